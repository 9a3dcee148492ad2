"""Read side of administration: user lists and the audit log, filtered in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select

from smallgrants.auth.models import Role, User, UserRole
from smallgrants.core.collation import collate
from smallgrants.core.models import AuditLog
from smallgrants.core.search import contains_text
from smallgrants.core.timeutil import local_to_utc
from smallgrants.extensions import db


def users_query(search: str = "", role: str = "") -> Select:
    query = select(User).order_by(  # by name in the page's alphabet; unnamed accounts last
        User.full_name == "", collate(User.full_name), User.email
    )
    if search:
        query = query.where(contains_text(search, User.email, User.full_name))
    if role and role != Role.APPLICANT.value:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    return query


@dataclass
class AuditFilter:
    action: str = ""
    actor: str = ""  # e-mail or part of it
    object_type: str = ""
    object_id: str = ""
    since: date | None = None  # Almaty calendar days, inclusive
    until: date | None = None


def audit_query(f: AuditFilter) -> Select:
    query = select(AuditLog).order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    if f.action:
        query = query.where(AuditLog.action == f.action)
    if f.object_type:
        query = query.where(AuditLog.object_type == f.object_type)
    if f.object_id:
        query = query.where(AuditLog.object_id == f.object_id)
    if f.actor:
        query = query.where(
            AuditLog.actor_id.in_(
                select(User.id).where(contains_text(f.actor, User.email, User.full_name))
            )
        )
    if f.since:
        query = query.where(AuditLog.created_at >= local_to_utc(datetime.combine(f.since, time())))
    if f.until:
        next_day = datetime.combine(f.until + timedelta(days=1), time())
        query = query.where(AuditLog.created_at < local_to_utc(next_day))
    return query


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))


def audit_object_types() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditLog.object_type)
            .where(AuditLog.object_type.is_not(None))
            .distinct()
            .order_by(AuditLog.object_type)
        )
    )


def actors_by_id(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
