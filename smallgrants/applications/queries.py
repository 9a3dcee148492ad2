"""Read side of applications."""

from __future__ import annotations

from sqlalchemy import select

from smallgrants.applications.models import ApplicantProfile, Application
from smallgrants.extensions import db


def profiles_of(user_id: int) -> list[ApplicantProfile]:
    return list(
        db.session.scalars(
            select(ApplicantProfile)
            .where(ApplicantProfile.owner_id == user_id)
            .order_by(ApplicantProfile.created_at)
        )
    )


def applications_of(user_id: int) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.applicant_id == user_id)
            .order_by(Application.created_at.desc())
        )
    )


def applications_of_user_in(user_id: int, competition_id: int) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(
                Application.applicant_id == user_id, Application.competition_id == competition_id
            )
            .order_by(Application.created_at)
        )
    )
