"""Users and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smallgrants.core.models import enum_column
from smallgrants.core.timeutil import utcnow
from smallgrants.core.types import UTCDateTime
from smallgrants.extensions import db


class Role(enum.StrEnum):
    """Applicant is every registered user; the others are granted by an admin."""

    APPLICANT = "applicant"
    COMMISSION_MEMBER = "commission_member"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    OPERATOR = "operator"  # given with a programme's operator row (organisations.services)


GRANTABLE_ROLES = (Role.COMMISSION_MEMBER, Role.COORDINATOR, Role.ADMIN)  # on the admin's page
# every role a service may give: the operator's comes with a programme's operator row
ASSIGNABLE_ROLES = (*GRANTABLE_ROLES, Role.OPERATOR)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(5), default="kk")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # consent to processing personal data (Law of the RK "On personal data and their
    # protection"): when, and which text (`auth.consent.CONSENT_VERSION`) was agreed to
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_version: Mapped[str | None] = mapped_column(String(16))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="UserRole.user_id",
    )

    __table_args__ = (
        CheckConstraint("locale IN ('kk', 'ru', 'en')", name="locale_known"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    # the sign-in this request runs under (`auth.session`): an attribute, not a column
    session_key = None

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated account cannot sign in
        return self.active

    def get_id(self) -> str:
        """Flask-Login keeps this in the session and the remember-me cookie: the account and
        the sign-in, so that ending the sign-in (its row) ends every copy of either cookie."""
        if not self.session_key:
            raise RuntimeError("sign in through auth.session.sign_in")
        return f"{self.id}:{self.session_key}"

    @property
    def is_privileged(self) -> bool:
        """Coordinators and administrators: a shorter idle timeout, no remember-me."""
        return bool(self.roles & {Role.COORDINATOR, Role.ADMIN})

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def roles(self) -> set[Role]:
        return {Role.APPLICANT} | {row.role for row in self.role_rows}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="role_rows", foreign_keys=[user_id])


class UserSession(db.Model):
    """One sign-in of one account on one browser. The session and remember-me cookies carry
    its key; signing out deletes the row, a password change or reset deletes the account's
    other rows (or all of them), so a copied cookie opens nothing once its sign-in ended."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    remember: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(lazy="joined")


class ApiToken(db.Model):
    """A personal access token for the read-only JSON API: it acts as its owner, with their
    rights at the moment of each request. Only its SHA-256 is kept; the token itself is shown
    once, when it is made. Revoked or expired, it opens nothing."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # its first characters, to tell it apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
