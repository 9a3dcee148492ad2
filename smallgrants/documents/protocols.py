"""The commission's two protocols as Word documents, in Kazakh or Russian:
the approval of its members («комиссия мүшелерін бекіту хаттамасы») and the minutes of its
meeting («комиссия отырысының хаттамасы»)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from smallgrants.applications.labels import kind_label
from smallgrants.commission import conflicts, queries
from smallgrants.commission import services as commission_services
from smallgrants.commission.labels import (
    MODE_LABELS,
    ROLE_LABELS,
    outcome_labels,
    recusal_label,
)
from smallgrants.commission.models import AttendanceMode, Commission
from smallgrants.core import geography
from smallgrants.core.i18n import (
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_score,
)
from smallgrants.documents.docx import (
    add_table,
    centered,
    landscape_section,
    new_document,
    portrait_section,
    to_bytes,
)


def _signatures(doc, members) -> None:
    doc.add_paragraph(_("Signatures"))
    add_table(
        doc,
        [_("Role on the commission"), _("Full name"), _("Signature")],
        [(str(ROLE_LABELS[m.role]), m.full_name, "") for m in members],
    )


def build_approval_docx(commission: Commission, locale: str) -> bytes:
    competition = commission.competition
    with force_locale(locale):
        doc = new_document()
        centered(
            doc,
            _(
                "Protocol No. %(number)s on approving the members of the commission",
                number=commission.approval_number or "—",
            ),
        )
        centered(doc, competition.title(locale), bold=False)
        date_label, place_label = _("Date"), _("Place")
        doc.add_paragraph(
            f"{date_label}: {format_date(commission.approval_date, locale) or '—'}    "
            f"{place_label}: {commission.approval_place or '—'}"
        )
        doc.add_paragraph(
            _(
                "The commission of the competition is approved in the following composition "
                "(%(n)s members, of them %(voting)s voting):",
                n=len(commission.members),
                voting=sum(m.voting for m in commission.members),
            )
        )
        add_table(
            doc,
            [
                _("No."),
                _("Full name"),
                _("Position and organisation"),
                _("Role on the commission"),
                _("Vote"),
            ],
            [
                (
                    n,
                    m.full_name,
                    m.job_title,
                    str(ROLE_LABELS[m.role]),
                    _("voting") if m.voting else _("non-voting"),
                )
                for n, m in enumerate(commission.members, 1)
            ],
        )
        doc.add_paragraph(
            _(
                "Quorum of a meeting: at least %(num)s/%(den)s of the voting members; members "
                "with a conflict of interest do not score and do not vote on that application.",
                num=commission.quorum_numerator,
                den=commission.quorum_denominator,
            )
        )
        _signatures(doc, commission.members)
        return to_bytes(doc)


def _fmt(value, locale) -> str:
    return format_score(value, locale)


@commission_services.protocol_builder
def build_meeting_docx(commission: Commission, locale: str) -> bytes:
    competition = commission.competition
    meeting = commission.meeting
    rows = queries.ranking(commission)
    districts = {d.code: d for d in geography.districts_of(competition.region_code)}
    present_modes = (AttendanceMode.IN_PERSON, AttendanceMode.ONLINE)
    with force_locale(locale):
        doc = new_document()
        centered(doc, _("Protocol No. %(number)s of the commission meeting", number=meeting.number))
        centered(doc, competition.title(locale), bold=False)
        when_label, where_label = _("Date and time"), _("Place / format")
        doc.add_paragraph(f"{when_label}: {format_datetime(meeting.held_at, locale)}")
        parts = [meeting.place] if meeting.place else []
        if meeting.online_link:
            parts.append(_("online: %(link)s", link=meeting.online_link))
        doc.add_paragraph(f"{where_label}: {'; '.join(parts)}")

        doc.add_heading(_("1. Attendance"), level=2)
        attendance_rows = []
        for n, m in enumerate((m for m in commission.members if not m.is_pending), 1):
            mode = meeting.mode_of(m.id) or AttendanceMode.ABSENT
            attendance_rows.append(
                (
                    n,
                    m.full_name,
                    str(ROLE_LABELS[m.role]),
                    m.job_title,
                    _("voting") if m.voting else _("non-voting"),
                    str(MODE_LABELS[mode]),
                )
            )
        add_table(
            doc,
            [
                _("No."),
                _("Full name"),
                _("Role on the commission"),
                _("Position and organisation"),
                _("Vote"),
                _("Attendance"),
            ],
            attendance_rows,
        )
        quorum = commission_services.quorum_for(commission)
        doc.add_paragraph(
            _(
                "Present %(present)s of %(total)s voting members; the quorum (at least "
                "%(required)s) is %(state)s.",
                present=quorum.present,
                total=quorum.total,
                required=quorum.required,
                state=_("met") if quorum.met else _("not met"),
            )
        )

        doc.add_heading(_("2. Conflicts of interest"), level=2)
        numbers = {r.application.id: r.application.number for r in rows}
        names = {m.id: m.full_name for m in commission.members}
        recusals = [
            r for r in conflicts.recusals(commission.competition_id) if r.application_id in numbers
        ]
        if recusals:
            add_table(
                doc,
                [_("Member"), _("Application"), _("Ground")],
                [
                    (
                        names[r.member_id],
                        numbers[r.application_id],
                        f"{recusal_label(r)}{'; ' + r.reason if r.reason else ''}",
                    )
                    for r in recusals
                ],
            )
            doc.add_paragraph(
                _(
                    "These members did not see, score or vote on those applications and are not "
                    "counted in their averages or quorum."
                )
            )
        else:
            doc.add_paragraph(_("No member declared a conflict of interest."))

        landscape_section(doc)  # eleven columns: names and amounts stay whole
        doc.add_heading(_("3. Scores and decisions"), level=2)
        table_rows = []
        for r in rows:
            a, d = r.application, r.decision
            district = districts.get(a.district_code)
            rank = "—" if r.rank == 0 else f"{r.rank}{' *' if r.tied else ''}"
            table_rows.append(
                (
                    rank,
                    a.number,
                    a.applicant,
                    kind_label(a.kind),
                    district.name(locale) if district else "",
                    r.stats.n,
                    _fmt(r.stats.mean, locale),
                    _fmt(r.stats.median, locale),
                    _fmt(r.stats.stdev, locale),
                    str(outcome_labels(competition.awards_prizes)[d.outcome]) if d else "—",
                    format_money(d.amount, locale) if d and d.amount else "",
                )
            )
        add_table(
            doc,
            [
                _("Rank"),
                _("No."),
                _("Applicant"),
                _("Kind"),
                _("District"),
                _("Sheets"),
                _("Mean"),
                _("Median"),
                _("Std. dev."),
                _("Decision"),
                _("Amount"),
            ],
            table_rows,
            widths=[1.2, 2.6, 4.4, 2.4, 3.0, 1.3, 1.6, 1.6, 1.5, 2.4, 2.6],
        )
        if any(r.tied for r in rows):
            doc.add_paragraph(_("* equal scores; the tie-break is recorded below."))
        if competition.counts_reactions:
            if competition.reaction_weight:
                doc.add_paragraph(
                    _(
                        "The final score is %(commission)s%% the commission’s mean and "
                        "%(weight)s%% the reactions: the most liked entry gets 100 points for "
                        "them, the others in proportion.",
                        commission=100 - competition.reaction_weight,
                        weight=competition.reaction_weight,
                    )
                )
            add_table(
                doc,
                [_("No."), _("Likes (latest)"), _("Mean"), _("Final score")],
                [
                    (
                        r.application.number,
                        format_number(r.likes or 0, locale),
                        _fmt(r.stats.mean, locale),
                        _fmt(r.final, locale) if r.final is not None else "—",
                    )
                    for r in rows
                ],
            )
        if competition.takes_videos:
            doc.add_paragraph(_("The entries' videos:"))
            add_table(
                doc,
                [_("No."), _("Title"), _("Video")],
                [
                    (r.application.number, r.application.title, r.application.video_url)
                    for r in rows
                ],
                widths=[2.6, 8.0, 14.0],
            )
        total, count = queries.awarded(meeting.id)
        figures = {
            "count": count,
            "limit": competition.grant_count,
            "total": format_money(total, locale),
            "pool": format_money(competition.pool, locale),
        }
        if competition.awards_prizes:
            awarded = _(
                "Awarded: %(count)s prizes of %(limit)s, %(total)s of the prize fund %(pool)s.",
                **figures,
            )
        else:
            awarded = _(
                "Awarded: %(count)s grants of %(limit)s, %(total)s of the pool %(pool)s.",
                **figures,
            )
        doc.add_paragraph(awarded)
        portrait_section(doc)
        doc.add_heading(_("4. Votes, rationale and tie-breaks"), level=2)
        detail_rows = []
        for r in rows:
            d = r.decision
            if d is None:
                continue
            votes = (
                "—"
                if d.votes_for is None and d.votes_against is None
                else (f"{d.votes_for or 0} / {d.votes_against or 0} / {d.votes_abstain or 0}")
            )
            detail_rows.append((r.application.number, votes, d.rationale, d.tie_break))
        add_table(
            doc,
            [_("Application"), _("For / against / abstained"), _("Rationale"), _("Tie-break")],
            detail_rows,
        )
        _signatures(doc, [m for m in commission.members if meeting.mode_of(m.id) in present_modes])
        return to_bytes(doc)
