"""Creating organisations and programmes, appointing coordinators and operators (a site
administrator's work). They flush and audit; the request commits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from smallgrants.auth import services as auth_services
from smallgrants.auth.models import Role, User
from smallgrants.core import geography
from smallgrants.core.identifiers import bin_error, clean
from smallgrants.core.phone import normalize_phone
from smallgrants.core.services import ServiceError, record_audit
from smallgrants.extensions import db
from smallgrants.organisations import queries
from smallgrants.organisations.models import (
    SHORT_NAME_PATTERN,
    Organisation,
    OrganisationMember,
    Programme,
    ProgrammeHolder,
    ProgrammeOperator,
)


class OrganisationError(ServiceError):
    pass


@dataclass
class OrganisationInput:
    short_name: str
    name_kk: str
    name_ru: str = ""
    bin: str = ""
    head_name: str = ""
    address: str = ""
    phone: str = ""
    region_code: str = ""


def _validate(data: OrganisationInput, organisation: Organisation | None = None) -> None:
    short = data.short_name.strip().lower()
    if not re.fullmatch(SHORT_NAME_PATTERN, short):
        raise OrganisationError(
            _l("The short name is 3–40 small Latin letters, digits and hyphens.")
        )
    taken = queries.by_short_name(short)
    if taken is not None and taken is not organisation:
        raise OrganisationError(_l("Another organisation already has this short name."))
    if not data.name_kk.strip():
        raise OrganisationError(_l("Give the organisation's name in Kazakh."))
    if data.bin.strip() and bin_error(data.bin) is not None:
        raise OrganisationError(_l("The BIN is not valid: check its 12 digits."))
    if data.phone.strip() and normalize_phone(data.phone) is None:
        raise OrganisationError(
            _l("Enter a Kazakhstan phone number, for example +7 701 234 56 78.")
        )
    if data.region_code and geography.region(data.region_code) is None:
        raise OrganisationError(_l("Choose a region from the list."))


def _apply(organisation: Organisation, data: OrganisationInput) -> None:
    organisation.short_name = data.short_name.strip().lower()
    organisation.name_kk = data.name_kk.strip()[:300]
    organisation.name_ru = data.name_ru.strip()[:300]
    organisation.bin = clean(data.bin) if data.bin.strip() else ""
    organisation.head_name = data.head_name.strip()[:200]
    organisation.address = data.address.strip()[:500]
    organisation.phone = normalize_phone(data.phone) or ""
    organisation.region_code = data.region_code


def create_organisation(actor, data: OrganisationInput) -> Organisation:
    _validate(data)
    organisation = Organisation()
    _apply(organisation, data)
    db.session.add(organisation)
    db.session.flush()
    record_audit(actor, "organisation.create", organisation, {"short_name": data.short_name})
    return organisation


def update_organisation(actor, organisation: Organisation, data: OrganisationInput) -> None:
    _validate(data, organisation)
    _apply(organisation, data)
    db.session.flush()
    record_audit(actor, "organisation.update", organisation)


def _confirmed_account(email: str) -> User:
    """The account a right is given to: the person signs up first, so an address is never
    given rights before its owner has confirmed it."""
    user = auth_services.find_user_by_email(email)
    if user is None or not user.email_confirmed:
        raise OrganisationError(
            _l("No confirmed account has this e-mail: ask the person to sign up first.")
        )
    return user


def add_coordinator(actor, organisation: Organisation, email: str) -> User:
    """The account with this e-mail works for the organisation from now on (and holds the
    coordinator role)."""
    user = _confirmed_account(email)
    exists = db.session.scalars(
        select(OrganisationMember).where(
            OrganisationMember.organisation_id == organisation.id,
            OrganisationMember.user_id == user.id,
        )
    ).first()
    if exists is None:
        db.session.add(
            OrganisationMember(
                organisation_id=organisation.id,
                user_id=user.id,
                added_by_id=getattr(actor, "id", None),
            )
        )
        db.session.flush()
        record_audit(actor, "organisation.add_coordinator", organisation, {"user": user.id})
    auth_services.grant_role(user, Role.COORDINATOR, actor=actor)
    queries.forget(user.id)
    return user


def remove_coordinator(actor, organisation: Organisation, user_id: int) -> bool:
    removed = db.session.execute(
        delete(OrganisationMember).where(
            OrganisationMember.organisation_id == organisation.id,
            OrganisationMember.user_id == user_id,
        )
    ).rowcount
    if removed:
        record_audit(actor, "organisation.remove_coordinator", organisation, {"user": user_id})
    queries.forget(user_id)
    return bool(removed)


# --- programmes ----------------------------------------------------------------------------


@dataclass
class ProgrammeInput:
    name_kk: str
    starts_year: int | None
    ends_year: int | None
    name_ru: str = ""


def _apply_programme(programme: Programme, data: ProgrammeInput) -> None:
    if not data.name_kk.strip():
        raise OrganisationError(_l("Give the programme's name in Kazakh."))
    starts, ends = data.starts_year, data.ends_year
    if starts is None or ends is None or not 2000 <= starts <= ends <= 2100:
        raise OrganisationError(
            _l(
                "Give the programme's first and last year (2000–2100), the first not after "
                "the last."
            )
        )
    programme.name_kk = data.name_kk.strip()[:300]
    programme.name_ru = data.name_ru.strip()[:300]
    programme.starts_year = starts
    programme.ends_year = ends


def create_programme(actor, data: ProgrammeInput) -> Programme:
    programme = Programme()
    _apply_programme(programme, data)
    db.session.add(programme)
    db.session.flush()
    record_audit(actor, "programme.create", programme)
    return programme


def update_programme(actor, programme: Programme, data: ProgrammeInput) -> None:
    _apply_programme(programme, data)
    db.session.flush()
    record_audit(actor, "programme.update", programme)


def add_holder(actor, programme: Programme, organisation: Organisation) -> bool:
    """The organisation is a grant holder of the programme (again: nothing changes)."""
    if organisation.id in queries.holder_ids(programme.id):
        return False
    db.session.add(ProgrammeHolder(programme_id=programme.id, organisation_id=organisation.id))
    db.session.flush()
    record_audit(actor, "programme.add_holder", programme, {"organisation": organisation.id})
    return True


def remove_holder(actor, programme: Programme, organisation_id: int) -> bool:
    removed = db.session.execute(
        delete(ProgrammeHolder).where(
            ProgrammeHolder.programme_id == programme.id,
            ProgrammeHolder.organisation_id == organisation_id,
        )
    ).rowcount
    if removed:
        record_audit(actor, "programme.remove_holder", programme, {"organisation": organisation_id})
    return bool(removed)


def add_operator(actor, programme: Programme, email: str) -> User:
    """The account with this e-mail reads the programme's roll-up from now on (and holds the
    operator role, which opens the programme pages; which programmes: this row)."""
    user = _confirmed_account(email)
    exists = db.session.scalars(
        select(ProgrammeOperator.id).where(
            ProgrammeOperator.programme_id == programme.id, ProgrammeOperator.user_id == user.id
        )
    ).first()
    if exists is None:
        db.session.add(
            ProgrammeOperator(
                programme_id=programme.id, user_id=user.id, added_by_id=getattr(actor, "id", None)
            )
        )
        db.session.flush()
        record_audit(actor, "programme.add_operator", programme, {"user": user.id})
    auth_services.grant_role(user, Role.OPERATOR, actor=actor)
    queries.forget(user.id)
    return user


def remove_operator(actor, programme: Programme, user_id: int) -> bool:
    removed = db.session.execute(
        delete(ProgrammeOperator).where(
            ProgrammeOperator.programme_id == programme.id, ProgrammeOperator.user_id == user_id
        )
    ).rowcount
    if removed:
        record_audit(actor, "programme.remove_operator", programme, {"user": user_id})
    queries.forget(user_id)
    return bool(removed)
