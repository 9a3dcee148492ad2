"""Every context's tables, imported in one place so the metadata (and Alembic) sees them all."""

from smallgrants.auth.models import Role, User, UserRole
from smallgrants.core.models import AuditLog, OutboxMessage, OutboxStatus

__all__ = ["AuditLog", "OutboxMessage", "OutboxStatus", "Role", "User", "UserRole"]
