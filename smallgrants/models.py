"""Every context's tables, imported in one place so the metadata (and Alembic) sees them all."""

from smallgrants.auth.models import Role, User, UserRole
from smallgrants.competitions.models import (
    ChecklistItem,
    Competition,
    CompetitionDistrict,
    Criterion,
)
from smallgrants.core.models import AuditLog, OutboxMessage, OutboxStatus

__all__ = [
    "AuditLog",
    "ChecklistItem",
    "Competition",
    "CompetitionDistrict",
    "Criterion",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "User",
    "UserRole",
]
