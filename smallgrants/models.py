"""Every context's tables, imported in one place so the metadata (and Alembic) sees them all."""

from smallgrants.applications.models import (
    ActivityRow,
    ApplicantProfile,
    Application,
    Attachment,
    BudgetLine,
    GroupMember,
    ResultRow,
)
from smallgrants.auth.models import Role, User, UserRole
from smallgrants.competitions.models import (
    ChecklistItem,
    Competition,
    CompetitionDistrict,
    Criterion,
)
from smallgrants.core.models import AuditLog, OutboxMessage, OutboxStatus

__all__ = [
    "ActivityRow",
    "ApplicantProfile",
    "Application",
    "Attachment",
    "AuditLog",
    "BudgetLine",
    "ChecklistItem",
    "Competition",
    "CompetitionDistrict",
    "Criterion",
    "GroupMember",
    "OutboxMessage",
    "OutboxStatus",
    "ResultRow",
    "Role",
    "User",
    "UserRole",
]
