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
from smallgrants.commission.models import (
    Addendum,
    Assignment,
    Attendance,
    Commission,
    CommissionMember,
    ConflictDeclaration,
    Decision,
    Meeting,
    ScorePoint,
    ScoreSheet,
)
from smallgrants.competitions.models import (
    ChecklistItem,
    Competition,
    CompetitionDistrict,
    Criterion,
)
from smallgrants.core.models import AuditLog, OutboxMessage, OutboxStatus

__all__ = [
    "ActivityRow",
    "Addendum",
    "ApplicantProfile",
    "Application",
    "Assignment",
    "Attachment",
    "Attendance",
    "AuditLog",
    "BudgetLine",
    "ChecklistItem",
    "Commission",
    "CommissionMember",
    "Competition",
    "CompetitionDistrict",
    "ConflictDeclaration",
    "Criterion",
    "Decision",
    "GroupMember",
    "Meeting",
    "OutboxMessage",
    "OutboxStatus",
    "ResultRow",
    "Role",
    "ScorePoint",
    "ScoreSheet",
    "User",
    "UserRole",
]
