"""The coordinator's pages: composition and settings, assignment, scoring progress and ranking,
the meeting, decisions, the protocol, its signing and addenda, publishing the results."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from smallgrants.applications.models import Application
from smallgrants.commission import policies, queries, services
from smallgrants.commission.forms import (
    AddendumForm,
    AssignForm,
    DecisionForm,
    MeetingForm,
    MemberEditForm,
    MemberForm,
    ReactionsForm,
    SettingsForm,
    SignForm,
)
from smallgrants.commission.labels import outcome_labels
from smallgrants.commission.models import (
    AttendanceMode,
    Commission,
    CommissionMember,
    CommissionRole,
    Outcome,
    TieBreakRule,
)
from smallgrants.commission.views.blueprint import (
    LABELS,
    bp,
    commission_sources,
    kept_table,
    managed_commission,
    refused,
)
from smallgrants.core import fragments, uploads
from smallgrants.core.access import require
from smallgrants.core.downloads import document_locale, document_response
from smallgrants.core.i18n import current_locale
from smallgrants.documents import protocols
from smallgrants.extensions import db
from smallgrants.organisations import policies as organisation_policies

# --- the coordinator: public reactions (likes) of a contest's entries ---------------------


def _reactions_page(commission: Commission, form=None, typed=None, errors=None, status=200):
    rows = queries.ranking(commission)  # each row with its latest likes and their day
    return (
        render_template(
            "commission/reactions.html",
            commission=commission,
            c=commission.competition,
            rows=rows,
            form=form or ReactionsForm(),
            typed=typed or {},
            errors=errors or {},
        ),
        status,
    )


@bp.get("/manage/competitions/<int:competition_id>/reactions")
@require(policies.can_manage_commission)
def reactions(competition_id: int):
    """The entries' likes, counted on a day, and the ranking they make with the scores."""
    return _reactions_page(managed_commission(competition_id))


@bp.post("/manage/competitions/<int:competition_id>/reactions")
@require(policies.can_manage_commission)
def record_reactions(competition_id: int):
    commission = managed_commission(competition_id)
    form = ReactionsForm()
    typed, errors, likes = {}, {}, {}
    for application in queries.entries(competition_id):
        raw = request.form.get(f"likes-{application.id}", "").strip()[:20]
        typed[application.id] = raw
        digits = "".join(raw.split())  # "1 250" as people type it
        if not digits:
            continue
        if not re.fullmatch(r"[0-9]{1,10}", digits):  # str.isdigit() also takes "²"
            errors[application.id] = _("Enter a whole number of likes, e.g. 125.")
            continue
        likes[application.id] = int(digits)
    if not form.validate_on_submit() or errors:
        flash(_("Please correct the fields marked below. Nothing you typed was lost."), "danger")
        return _reactions_page(commission, form, typed, errors, 400)
    try:
        n = services.record_reactions(current_user, commission, form.counted_on.data, likes)
    except services.CommissionError as error:
        refused(error)
        return _reactions_page(commission, form, typed, errors, 400)
    flash(_("Reactions of %(n)s entries recorded.", n=n), "success")
    return redirect(url_for("commission.reactions", competition_id=competition_id))


# --- the coordinator: composition -------------------------------------------------------


@bp.app_template_global()
def commission_steps():
    """The start page: each commission's next step (coordinators)."""
    if not policies.can_manage_commission(current_user):
        return []
    return queries.steps_waiting(organisation_policies.mine(current_user))


def _settings_form(commission: Commission) -> SettingsForm:
    form = SettingsForm(obj=commission) if request.method == "GET" else SettingsForm()
    if request.method == "GET":
        form.tie_break_rule.data = commission.tie_break_rule.value
    return form


def _render_manage(commission: Commission, **forms):
    return render_template(
        "commission/manage.html",
        commission=commission,
        c=commission.competition,
        settings_form=forms.get("settings_form") or _settings_form(commission),
        member_form=forms.get("member_form") or MemberForm(),
        assign_form=forms.get("assign_form") or AssignForm(k=commission.reviewers_per_application),
        edit_forms={
            m.id: MemberEditForm(job_title=m.job_title, role=m.role.value, voting=m.voting)
            for m in commission.members
        },
        labels=LABELS,
    )


@bp.get("/manage/competitions/<int:competition_id>/commission")
@require(policies.can_manage_commission)
def manage(competition_id: int):
    return _render_manage(managed_commission(competition_id))


@bp.post("/manage/competitions/<int:competition_id>/commission/settings")
@require(policies.can_manage_commission)
def save_settings(competition_id: int):
    commission = managed_commission(competition_id)
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            services.save_settings(
                current_user,
                commission,
                services.SettingsInput(
                    approval_number=(form.approval_number.data or "").strip(),
                    approval_date=form.approval_date.data,
                    approval_place=(form.approval_place.data or "").strip(),
                    quorum_numerator=form.quorum_numerator.data,
                    quorum_denominator=form.quorum_denominator.data,
                    tie_break_rule=TieBreakRule(form.tie_break_rule.data),
                    dispute_threshold=form.dispute_threshold.data,
                    show_score_in_results=form.show_score_in_results.data,
                ),
            )
        except services.CommissionError as error:
            refused(error)
        else:
            flash(_("Commission settings saved."), "success")
            return redirect(url_for("commission.manage", competition_id=competition_id))
    return _render_manage(commission, settings_form=form)


@bp.post("/manage/competitions/<int:competition_id>/commission/members")
@require(policies.can_manage_commission)
def add_member(competition_id: int):
    commission = managed_commission(competition_id)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            member = services.add_member(
                current_user,
                commission,
                email=form.email.data,
                full_name=form.full_name.data,
                job_title=form.job_title.data or "",
                role=CommissionRole(form.role.data),
                voting=form.voting.data,
            )
        except services.CommissionError as error:
            refused(error)
        else:
            if member.is_pending:
                flash(_("Invitation sent to %(email)s.", email=member.email), "success")
            else:
                flash(_("%(name)s is on the commission.", name=member.full_name), "success")
            return redirect(url_for("commission.manage", competition_id=competition_id))
    return _render_manage(commission, member_form=form)


def _member(member_id: int) -> CommissionMember:
    member = db.session.get(CommissionMember, member_id) or abort(404)
    managed_commission(member.competition_id)
    return member


@bp.post("/manage/commission-members/<int:member_id>")
@require(policies.can_manage_commission)
def edit_member(member_id: int):
    member = _member(member_id)
    form = MemberEditForm()
    if form.validate_on_submit():
        try:
            services.update_member(
                current_user,
                member,
                job_title=form.job_title.data or "",
                role=CommissionRole(form.role.data),
                voting=form.voting.data,
            )
        except services.CommissionError as error:
            refused(error)
        else:
            flash(_("Saved."), "success")
    else:
        flash(_("Please correct the fields marked below. Nothing you typed was lost."), "danger")
    return redirect(url_for("commission.manage", competition_id=member.competition_id))


@bp.post("/manage/commission-members/<int:member_id>/remove")
@require(policies.can_manage_commission)
def remove_member(member_id: int):
    member = _member(member_id)
    competition_id = member.competition_id
    try:
        services.remove_member(current_user, member)
    except services.CommissionError as error:
        refused(error)
    else:
        flash(_("Removed from the commission."), "info")
    return redirect(url_for("commission.manage", competition_id=competition_id))


@bp.post("/manage/competitions/<int:competition_id>/commission/assign")
@require(policies.can_manage_commission)
def assign(competition_id: int):
    commission = managed_commission(competition_id)
    form = AssignForm()
    if form.validate_on_submit():
        try:
            made = services.assign_reviewers(current_user, commission, form.k.data)
        except services.CommissionError as error:
            refused(error)
        else:
            if form.k.data:
                flash(_("%(n)s assignments made.", n=made), "success")
            else:
                flash(_("Every voting member scores every application."), "success")
            return redirect(url_for("commission.manage", competition_id=competition_id))
    return _render_manage(commission, assign_form=form)


@bp.get("/manage/competitions/<int:competition_id>/commission/approval.docx")
@require(policies.can_manage_commission)
def approval_docx(competition_id: int):
    commission = managed_commission(competition_id)
    lang = document_locale()
    return document_response(
        protocols.build_approval_docx(commission, lang),
        f"approval-{competition_id}-{lang}.docx",
    )


# --- the coordinator: progress and ranking ----------------------------------------------


@bp.get("/manage/competitions/<int:competition_id>/scoring")
@require(policies.can_manage_commission)
def progress_page(competition_id: int):
    commission = managed_commission(competition_id)

    def build(_now):
        progress = queries.progress(commission)
        return render_template("commission/_progress_body.html", p=progress), None

    return render_template(
        "commission/progress.html",
        commission=commission,
        c=commission.competition,
        body=kept_table(competition_id, build),
        labels=LABELS,
    )


def _scored(commission: Commission) -> list[queries.RankRow]:
    """`queries.scored`, kept while its rows are unchanged (`commission_sources`): a decision
    recorded at the meeting changes none of them, so the meeting page after it reads only
    decisions. One per competition, whichever page asks."""
    competition_id = commission.competition_id
    return fragments.kept_value(
        commission_sources(competition_id),
        ("scored", competition_id),
        lambda _now: (queries.scored(commission), None),
    )


@bp.post("/manage/competitions/<int:competition_id>/scoring/<any(close, reopen):action>")
@require(policies.can_manage_commission)
def scoring_state(competition_id: int, action: str):
    commission = managed_commission(competition_id)
    try:
        if action == "close":
            services.close_scoring(current_user, commission)
            flash(_("Scoring is closed; members can now see each other’s scores."), "success")
        else:
            services.reopen_scoring(current_user, commission)
            flash(_("Scoring is open again."), "info")
    except services.CommissionError as error:
        refused(error)
    return redirect(url_for("commission.progress_page", competition_id=competition_id))


@bp.post("/manage/competitions/<int:competition_id>/scoring/remind")
@require(policies.can_manage_commission)
def remind(competition_id: int):
    commission = managed_commission(competition_id)
    try:
        sent = services.remind(current_user, commission)
    except services.CommissionError as error:
        refused(error)
    else:
        flash(_("Reminders sent to %(n)s members.", n=sent), "success")
    return redirect(url_for("commission.progress_page", competition_id=competition_id))


@bp.get("/manage/competitions/<int:competition_id>/ranking")
@require(policies.can_manage_commission)
def ranking(competition_id: int):
    commission = managed_commission(competition_id)

    def build(_now):
        rows = _scored(commission)
        hints = {r.application.id: queries.tie_break_hint(commission, r, rows) for r in rows}
        return render_template("commission/_ranking_body.html", rows=rows, hints=hints), None

    return render_template(
        "commission/ranking.html",
        commission=commission,
        c=commission.competition,
        body=kept_table(competition_id, build),
        labels=LABELS,
    )


# --- the coordinator: meeting, decisions, protocol, results -----------------------------


# frames each open link in the kept decision blocks, with its application's id (NUL never
# comes out of a template otherwise)
_LINK_MARK = "\x00"


@dataclass(frozen=True)
class MeetingRows:
    """The meeting's decision blocks as kept: their HTML, where each row's open link lies in
    it, and what the page asks of the rows besides (which to open, the pool's awards)."""

    html: str
    links: dict[int, tuple[int, int]]  # application id → (start, end) of its open link
    numbers: dict[int, str]  # application id → its number, in ranking order
    undecided: tuple[int, ...]  # without a decision, in ranking order
    tied: frozenset[int]
    awarded: tuple[int, int]  # (total, count) of the awards recorded (`queries.awarded`)

    def opened(self, asked: int | None) -> int | None:
        """The application whose decision form the page opens: the one asked for
        (`?decide=`), else the next one in the ranking without a decision."""
        if asked in self.numbers:
            return asked
        return self.undecided[0] if self.undecided else None

    def with_form(self, application_id: int | None, form: str) -> Markup:
        """The blocks with `form` in place of the open link of `application_id` (none: as
        kept)."""
        if application_id not in self.links:
            return Markup(self.html)  # noqa: S704 - rendered by Jinja with autoescape on
        start, end = self.links[application_id]
        return Markup(self.html[:start] + form + self.html[end:])  # noqa: S704 - as above


def _framed(rendered: str) -> tuple[str, dict[int, tuple[int, int]]]:
    """The rendered blocks without their marks, and where each framed link is: the marks
    split them into text, id, link, text, id, link, …, text."""
    pieces = rendered.split(_LINK_MARK)
    out, links, at = [pieces[0]], {}, len(pieces[0])
    for i in range(1, len(pieces) - 1, 3):
        link, after = pieces[i + 1], pieces[i + 2]
        links[int(pieces[i])] = (at, at + len(link))
        out += (link, after)
        at += len(link) + len(after)
    return "".join(out), links


def _meeting_rows(commission: Commission, meeting) -> MeetingRows:
    """The decision blocks, kept while the scores (`commission_sources`), the meeting and its
    decisions (`fragments.meeting`) are unchanged, per language and attendance (each
    recusing row's quorum counts who is present)."""
    competition_id = commission.competition_id
    attendance = tuple(sorted((row.member_id, row.mode.value) for row in meeting.attendance))

    def build(_now):
        rows = queries.ranking(commission, _scored(commission))
        quorums = {}  # one per distinct set of recused members
        for r in rows:
            key = frozenset(m.id for m in r.recused)
            if key and key not in quorums:
                quorums[key] = services.quorum_for(commission, set(key))
        rendered = render_template(
            "commission/_meeting_rows.html",
            c=commission.competition,
            rows=rows,
            hints={r.application.id: queries.tie_break_hint(commission, r, rows) for r in rows},
            app_quorum={
                r.application.id: quorums[frozenset(m.id for m in r.recused)]
                for r in rows
                if r.recused
            },
            signed=meeting.is_signed,
            mark=Markup(_LINK_MARK),  # noqa: S704 - a constant
            # translated once, not once per row
            outcome_names={
                outcome: str(label)
                for outcome, label in outcome_labels(commission.competition.awards_prizes).items()
            },
        )
        html, links = _framed(rendered)
        kept = MeetingRows(
            html=html,
            links=links,
            numbers={r.application.id: r.application.number for r in rows},
            undecided=tuple(r.application.id for r in rows if r.decision is None),
            tied=frozenset(r.application.id for r in rows if r.tied),
            awarded=queries.awarded(meeting.id),
        )
        return kept, None

    return fragments.kept_value(
        (*commission_sources(competition_id), fragments.meeting(competition_id)),
        ("meeting rows", competition_id, current_locale(), request.script_root, attendance),
        build,
    )


def _decision_form(commission: Commission, meeting, application_id: int) -> DecisionForm:
    """The form of one application's decision, filled with the one recorded, if any."""
    d = queries.decision_of(meeting.id, application_id)
    return DecisionForm(
        prefix=f"d{application_id}",
        prizes=commission.competition.awards_prizes,
        formdata=None,
        outcome=d.outcome.value if d else Outcome.AWARD.value,
        amount=d.amount if d else commission.competition.grant_amount,
        votes_for=d.votes_for if d else None,
        votes_against=d.votes_against if d else None,
        votes_abstain=d.votes_abstain if d else None,
        rationale=d.rationale if d else "",
        tie_break=d.tie_break if d else "",
    )


def _render_meeting(commission: Commission, meeting_form=None, decision_form=None, opened=None):
    """The meeting: attendance, the ranking with each decision (kept: `_meeting_rows`), and
    one decision form — for the application being decided (a row's link opens another), so
    the page stays small with a thousand applications."""
    meeting = commission.meeting
    if meeting_form is None:
        meeting_form = MeetingForm(obj=meeting) if meeting else MeetingForm()
    rows_html, awarded = Markup(""), (0, 0)
    if meeting is not None:
        kept = _meeting_rows(commission, meeting)
        awarded = kept.awarded
        if opened is None:
            opened = kept.opened(request.args.get("decide", type=int))
        form = ""
        if opened in kept.numbers and not meeting.is_signed:
            form = render_template(
                "commission/_decision_form.html",
                c=commission.competition,
                application_id=opened,
                number=kept.numbers[opened],
                tied=opened in kept.tied,
                decision_form=decision_form or _decision_form(commission, meeting, opened),
            )
        rows_html = kept.with_form(opened, form)
    return render_template(
        "commission/meeting.html",
        commission=commission,
        c=commission.competition,
        meeting=meeting,
        meeting_form=meeting_form,
        rows_html=rows_html,
        quorum=services.quorum_for(commission),
        awarded_total=awarded[0],
        awarded_count=awarded[1],
        sign_form=SignForm(),
        addendum_form=AddendumForm(),
        seated=[m for m in commission.members if not m.is_pending],
        labels=LABELS,
    )


@bp.get("/manage/competitions/<int:competition_id>/meeting")
@require(policies.can_manage_commission)
def meeting(competition_id: int):
    return _render_meeting(managed_commission(competition_id))


@bp.post("/manage/competitions/<int:competition_id>/meeting")
@require(policies.can_manage_commission)
def save_meeting(competition_id: int):
    commission = managed_commission(competition_id)
    form = MeetingForm()
    attendance = {}
    for m in commission.members:
        value = request.form.get(f"mode-{m.id}")
        if value in {mode.value for mode in AttendanceMode}:
            attendance[m.id] = AttendanceMode(value)
    if form.validate_on_submit():
        try:
            services.save_meeting(
                current_user,
                commission,
                services.MeetingInput(
                    number=form.number.data,
                    held_at=form.held_at.data,
                    place=form.place.data or "",
                    online_link=form.online_link.data or "",
                    attendance=attendance,
                ),
            )
        except services.CommissionError as error:
            refused(error)
        else:
            flash(_("Meeting saved."), "success")
            return redirect(url_for("commission.meeting", competition_id=competition_id))
    return _render_meeting(commission, meeting_form=form)


@bp.post("/manage/competitions/<int:competition_id>/meeting/decisions/<int:application_id>")
@require(policies.can_manage_commission)
def decide(competition_id: int, application_id: int):
    commission = managed_commission(competition_id)
    application = db.session.get(Application, application_id)
    if application is None or application.competition_id != competition_id:
        abort(404)
    form = DecisionForm(prefix=f"d{application_id}", prizes=commission.competition.awards_prizes)
    if form.validate_on_submit():
        try:
            services.decide(
                current_user,
                commission,
                application,
                services.DecisionInput(
                    outcome=Outcome(form.outcome.data),
                    amount=form.amount.data,
                    votes_for=form.votes_for.data,
                    votes_against=form.votes_against.data,
                    votes_abstain=form.votes_abstain.data,
                    rationale=form.rationale.data or "",
                    tie_break=form.tie_break.data or "",
                ),
            )
        except services.CommissionError as error:
            refused(error)
        else:
            flash(_("Decision on %(number)s recorded.", number=application.number), "success")
            return redirect(
                url_for(
                    "commission.meeting",
                    competition_id=competition_id,
                    _anchor=f"a{application_id}",
                )
            )
    else:
        flash(_("Please correct the fields marked below. Nothing you typed was lost."), "danger")
    return _render_meeting(commission, decision_form=form, opened=application_id)


@bp.get("/manage/competitions/<int:competition_id>/meeting/protocol.docx")
@require(policies.can_manage_commission)
def protocol_docx(competition_id: int):
    """The signed protocol exactly as signed; before signing, a draft in the asked language."""
    commission = managed_commission(competition_id)
    meeting = commission.meeting or abort(404)
    lang = document_locale()
    if meeting.is_signed:
        signed = meeting.signed_protocol(lang) or meeting.signed_protocol(meeting.protocol_locale)
        return document_response(
            uploads.path_of(signed.stored_name).read_bytes(),
            f"protocol-{competition_id}-{signed.locale}.docx",
        )
    return document_response(
        protocols.build_meeting_docx(commission, lang),
        f"protocol-{competition_id}-{lang}-draft.docx",
    )


@bp.post("/manage/competitions/<int:competition_id>/meeting/sign")
@require(policies.can_manage_commission)
def sign(competition_id: int):
    commission = managed_commission(competition_id)
    form = SignForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        meeting = services.sign(current_user, commission, form.locale.data)
    except services.CommissionError as error:
        refused(error)
    else:
        flash(_("The protocol is signed. SHA-256: %(sha)s", sha=meeting.protocol_sha256), "success")
    return redirect(url_for("commission.meeting", competition_id=competition_id))


@bp.post("/manage/competitions/<int:competition_id>/meeting/addenda")
@require(policies.can_manage_commission)
def add_addendum(competition_id: int):
    commission = managed_commission(competition_id)
    form = AddendumForm()
    try:
        if not form.validate_on_submit():
            raise services.CommissionError(_("Write the text of the addendum."))
        services.add_addendum(current_user, commission, form.text.data)
    except services.CommissionError as error:
        refused(error)
    else:
        flash(_("Addendum added to the protocol."), "success")
    return redirect(url_for("commission.meeting", competition_id=competition_id, _anchor="addenda"))


@bp.post("/manage/competitions/<int:competition_id>/results/publish")
@require(policies.can_manage_commission)
def publish(competition_id: int):
    commission = managed_commission(competition_id)
    try:
        sent = services.publish_results(current_user, commission)
    except services.CommissionError as error:
        refused(error)
        return redirect(url_for("commission.meeting", competition_id=competition_id))
    flash(
        _(
            "Results published; e-mails to %(n)s applicants are queued (the E-mail page shows "
            "what was delivered).",
            n=sent,
        ),
        "success",
    )
    return redirect(url_for("commission.results", competition_id=competition_id))
