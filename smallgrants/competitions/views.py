"""Public announcements and the coordinator's set-up screens."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from smallgrants.auth import policies as auth_policies
from smallgrants.competitions import policies, queries, services
from smallgrants.competitions.forms import AnswerForm, CompetitionForm, QuestionForm
from smallgrants.competitions.models import (
    AwardKind,
    Competition,
    CompetitionStatus,
    EntryKind,
    Question,
    next_change,
)
from smallgrants.core import fragments, geography
from smallgrants.core.access import authorize, require
from smallgrants.core.downloads import stored_file_response
from smallgrants.core.i18n import current_locale
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db
from smallgrants.organisations import policies as organisation_policies
from smallgrants.organisations import queries as organisation_queries

bp = Blueprint("competitions", __name__)


def _load(competition_id: int) -> Competition:
    competition = db.session.get(Competition, competition_id)
    if competition is None or not policies.can_view_competition(current_user, competition):
        abort(404)  # a draft does not exist for the public
    return competition


def _managed(competition_id: int) -> Competition:
    """A competition of one of the coordinator's organisations (another's: 403)."""
    competition = db.session.get(Competition, competition_id) or abort(404)
    authorize(policies.can_manage_competition(current_user, competition))
    return competition


def _place_names(competition: Competition) -> dict:
    locale = current_locale()
    region = geography.region(competition.region_code)
    districts = [
        geography.district(competition.region_code, code) for code in competition.district_codes
    ]
    return {
        "region_name": region.name(locale) if region else competition.region_code,
        "district_names": [d.name(locale) for d in districts if d],
    }


@bp.app_template_global()
def competitions_now():
    """The start page's competitions: open now and upcoming (everyone)."""
    return queries.public_listing(utcnow(), past_page=None)


@bp.app_template_global()
def questions_waiting():
    """The start page: questions waiting for an answer, per competition (coordinators)."""
    if not policies.can_manage_competitions(current_user):
        return []
    return queries.unanswered_questions(organisation_policies.mine(current_user))


@bp.get("/competitions")
def public_list():
    only = queries.PublicFilter.from_args(request.args)
    page = request.args.get("page", 1, type=int)

    def build(now):
        listing = queries.public_listing(now, page, only)
        locale = current_locale()
        html = render_template(
            "competitions/_public_list_body.html",
            listing=listing,
            only=only,
            regions=geography.named(geography.REGIONS, locale),
            holders=[
                (o.short_name, o.name(locale)) for o in organisation_queries.all_organisations()
            ],
        )
        return html, next_change([*listing.open, *listing.upcoming, *listing.past.items], now)

    body = fragments.kept(fragments.LISTINGS, fragments.request_key(), build)
    return render_template("competitions/public_list.html", body=body)


@bp.get("/o/<short_name>")
def holder(short_name: str):
    """A grant holder's public page: who it is, its open, coming and past competitions."""
    organisation = organisation_queries.by_short_name(short_name[:40]) or abort(404)
    only = queries.PublicFilter(holder=organisation.short_name)
    listing = queries.public_listing(utcnow(), request.args.get("page", 1, type=int), only)
    region = geography.region(organisation.region_code)
    return render_template(
        "competitions/holder.html",
        organisation=organisation,
        listing=listing,
        region_name=region.name(current_locale()) if region else "",
    )


def _render_announcement(competition: Competition, question_form: QuestionForm):
    mine = (
        queries.questions_of(current_user.id, competition.id)
        if current_user.is_authenticated
        else []
    )
    return render_template(
        "competitions/announcement.html",
        c=competition,
        answers=queries.published_answers(competition.id),
        my_questions=[q for q in mine if not q.is_answered],
        question_form=question_form,
        **_place_names(competition),
    )


@bp.get("/competitions/<int:competition_id>")
def announcement(competition_id: int):
    return _render_announcement(_load(competition_id), QuestionForm())


@bp.post("/competitions/<int:competition_id>/questions")
@require(auth_policies.is_signed_in)
def ask(competition_id: int):
    competition = _load(competition_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            services.ask_question(current_user, competition, form.text.data)
        except services.CompetitionError as error:
            flash(str(error.message), "danger")
        else:
            flash(_("Your question is sent. The answer will be published on this page."), "success")
            return redirect(
                url_for(
                    "competitions.announcement", competition_id=competition.id, _anchor="questions"
                )
            )
    return _render_announcement(competition, form)


@bp.get("/manage/competitions/<int:competition_id>/questions")
@require(policies.can_manage_competitions)
def manage_questions(competition_id: int):
    competition = _managed(competition_id)
    return render_template(
        "competitions/manage_questions.html",
        c=competition,
        questions=queries.questions_for_coordinator(competition.id),
        form=AnswerForm(),
    )


@bp.post("/manage/questions/<int:question_id>/answer")
@require(policies.can_manage_competitions)
def answer(question_id: int):
    question = db.session.get(Question, question_id) or abort(404)
    _managed(question.competition_id)
    form = AnswerForm()
    if form.validate_on_submit():
        services.answer_question(current_user, question, form.answer.data)
        flash(_("The answer is published."), "success")
    else:
        flash(_("Write the answer first."), "danger")
    return redirect(
        url_for("competitions.manage_questions", competition_id=question.competition_id)
    )


@bp.get("/competitions/<int:competition_id>/print")
def announcement_print(competition_id: int):
    competition = _load(competition_id)
    return render_template(
        "competitions/announcement_print.html", c=competition, **_place_names(competition)
    )


@bp.get("/manage/competitions")
@require(policies.can_manage_competitions)
def manage_list():
    organisations = organisation_policies.mine(current_user)
    number = request.args.get("page", 1, type=int)

    def build(now):
        page = queries.all_competitions(organisations, number)
        html = render_template("competitions/_manage_list_body.html", page=page, now=now)
        return html, next_change(page.items, now)

    body = fragments.kept(fragments.LISTINGS, fragments.request_key(organisations), build)
    return render_template("competitions/manage_list.html", body=body)


def _input_from(form: CompetitionForm) -> services.CompetitionInput:
    def text(field) -> str:
        return (field.data or "").strip()

    return services.CompetitionInput(
        title_kk=text(form.title_kk),
        title_ru=text(form.title_ru),
        description_kk=text(form.description_kk),
        description_ru=text(form.description_ru),
        direction_kk=text(form.direction_kk),
        direction_ru=text(form.direction_ru),
        region_code=form.region_code.data,
        district_codes=list(form.district_codes.data or []),
        grant_amount=form.grant_amount.data,
        grant_count=form.grant_count.data,
        accepts_ngo=form.accepts_ngo.data,
        accepts_group=form.accepts_group.data,
        accepts_individual=form.accepts_individual.data,
        min_age=form.min_age.data,
        max_age=form.max_age.data,
        organisation_id=form.chosen_holder(),
        min_group_members=form.min_group_members.data,
        opens_at=form.opens_at.data,
        closes_at=form.closes_at.data,
        rules_kk=text(form.rules_kk),
        rules_ru=text(form.rules_ru),
        number_prefix=text(form.number_prefix).upper(),
        entry_kind=EntryKind(form.entry_kind.data or "project"),
        award_kind=AwardKind(form.award_kind.data or "grant"),
        place_amounts=form.prize_amounts,
        video_hosts=text(form.video_hosts),
        counts_reactions=form.counts_reactions.data,
        reaction_weight=form.reaction_weight.data or 0,
        criteria=[
            services.CriterionInput(
                title_kk=text(row.title_kk),
                title_ru=text(row.title_ru),
                description=text(row.description),
                max_points=row.max_points.data,
                weight=row.weight.data or 1,
            )
            for row in (entry.form for entry in form.criteria)
            if not row.is_blank
        ],
        checklist=[
            services.ChecklistInput(
                title_kk=text(row.title_kk),
                title_ru=text(row.title_ru),
                required=bool(row.required.data),
            )
            for row in (entry.form for entry in form.checklist)
            if not row.is_blank
        ],
    )


def _attach_rules(competition: Competition, form: CompetitionForm) -> None:
    file = form.rules_file.data
    if file is not None and getattr(file, "filename", ""):
        services.attach_rules(current_user, competition, file.stream, file.filename)


@bp.get("/competitions/<int:competition_id>/rules")
def rules_file(competition_id: int):
    competition = _load(competition_id)
    if not competition.rules_stored_name:
        abort(404)
    return stored_file_response(
        competition.rules_stored_name,
        competition.rules_kind,
        competition.rules_file_name,
        private=False,  # the public rules of a published competition
    )


@bp.route("/manage/competitions/new", methods=["GET", "POST"])
@require(policies.can_manage_competitions)
def create():
    form = CompetitionForm(
        locale=current_locale(), holders=organisation_queries.organisations_of(current_user.id)
    )
    if form.validate_on_submit():
        try:
            competition = services.create_competition(current_user, _input_from(form))
            _attach_rules(competition, form)
        except services.CompetitionError as error:
            flash(str(error.message), "danger")
        else:
            flash(_("The competition is saved as a draft."), "success")
            return redirect(url_for("competitions.announcement", competition_id=competition.id))
    return render_template("competitions/form.html", form=form, competition=None)


@bp.route("/manage/competitions/<int:competition_id>/edit", methods=["GET", "POST"])
@require(policies.can_manage_competitions)
def edit(competition_id: int):
    competition = _managed(competition_id)
    if request.method == "GET":
        form = CompetitionForm(obj=competition, locale=current_locale())
        form.district_codes.data = competition.district_codes
        form.add_spare_rows()
    else:
        form = CompetitionForm(locale=current_locale())
    if form.validate_on_submit():
        try:
            services.update_competition(current_user, competition, _input_from(form))
            _attach_rules(competition, form)
        except services.CompetitionError as error:
            flash(str(error.message), "danger")
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("competitions.announcement", competition_id=competition.id))
    return render_template("competitions/form.html", form=form, competition=competition)


@bp.post("/manage/competitions/<int:competition_id>/status")
@require(policies.can_manage_competitions)
def change_status(competition_id: int):
    competition = _managed(competition_id)
    try:
        target = CompetitionStatus(request.form.get("to", ""))
    except ValueError:
        abort(400)
    try:
        services.transition(competition, target, current_user)
    except services.CompetitionError as error:
        flash(str(error.message), "danger")
    else:
        if target == CompetitionStatus.PUBLISHED:
            flash(_("The competition is published."), "success")
        else:
            flash(_("The announcement is withdrawn to draft."), "info")
    return redirect(url_for("competitions.announcement", competition_id=competition.id))
