"""Grants and monitoring: grants from the signed protocol, agreements, tranches and payments,
grantees' reports with breakdown checks, review with versions, reminders, dashboards."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document
from sqlalchemy import func, select

from smallgrants.auth.models import User
from smallgrants.core.models import OutboxMessage
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db
from smallgrants.grants import queries, services
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.grants.models import (
    Event,
    Grant,
    GrantStatus,
    Payment,
    Report,
    ReportStatus,
    ReportVersion,
)
from tests.conftest import TINY_PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def event_form(**overrides) -> dict:
    """A valid event: 10 people, 4 men and 6 women, youth, ages 17–22."""
    data = {
        "title": "Тренинг «Есірткіге жол жоқ»",
        "held_on": "2023-10-05",
        "district_code": "aksu",
        "settlement": "Жансүгіров",
        "format": "offline",
        "description": "Мектепте өтті",
        **dict.fromkeys(ALL_COLUMNS, "0"),
        "total": "10",
        "men": "4",
        "women": "6",
        "s_youth": "10",
        "a_17_22": "10",
    }
    data.update(overrides)
    return data


def test_create_grants_from_signed_protocol(app, create_grant_case):
    case = create_grant_case(3, awards=2)
    with app.app_context():
        grants = [db.session.get(Grant, gid) for gid in case.grant_ids]
        assert [g.agreement_number for g in grants] == ["ШГ-01", "ШГ-02"]
        assert [g.amount for g in grants] == [300_000, 300_000]
        assert all(g.status == GrantStatus.ACTIVE for g in grants)
        assert [len(case.reports[g.id]) for g in grants] == [2, 2]
