"""Every route × every role and every outsider. A route missing from MATRIX fails
`test_matrix_covers_every_route`; a row that does not name every role fails
`test_matrix_rows_name_every_role`.

Statuses: 200 page, 302 redirect (anonymous → sign-in, or a form that bounces), 403 refused,
400 bad form, 404 not there for this person, 405 wrong method. Routes with an object use the
ids of one world (`build_world`), built once per worker in a database of its own; each check
runs in a transaction that is rolled back, so a POST that deletes leaves the world whole.

The roles, and who they are in the world:
- applicant: owns every application, profile, grant and report;
- other_applicant: a signed-up applicant with an application of their own elsewhere;
- member: the chair of the {scored} and {granted} commissions, cleared on {scored_application};
- unseated_member: a commission member seated only on another competition's commission;
- conflicted_member: seated on the {scored} commission, conflict declared on
  {scored_application};
- self_reviewer: seated on the {scored} commission and a member (by e-mail) of the
  initiative group that applied with {scored_application}: a built-in conflict, never
  declared, so refused on its declaration, its sheet and its scores;
- coordinator: works for the grant holder that holds every object of the world;
- other_coordinator: a coordinator of another organisation. On a route about an object of
  the world they are an outsider: refused as the other applicant is (403, or 404 where the
  object does not exist for outsiders), unless the row names them; on a route about no
  object (their lists, a new competition) they are a coordinator (`_cases` fills this in);
- operator: operates the programme {programme}, whose one grant holder holds every object of
  the world: reads its roll-up and, read-only, the monitoring of its competitions;
- other_operator: operates another programme (over the other organisation): refused on
  everything of {programme};
- admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from smallgrants.auth.models import Role
from smallgrants.competitions.models import Question
from smallgrants.demo import demo_iin
from smallgrants.extensions import db
from tests.conftest import Factories, default_organisation_id

ROLES = (
    "anonymous",
    "applicant",
    "other_applicant",
    "member",
    "unseated_member",
    "conflicted_member",
    "self_reviewer",
    "coordinator",
    "other_coordinator",
    "operator",
    "other_operator",
    "admin",
)
SIGNED = ROLES[1:]
COMMISSION_ROLE = ("member", "unseated_member", "conflicted_member", "self_reviewer")


def only(**allowed: int) -> dict[str, int]:
    """Anonymous → the sign-in page; every signed-in role refused but those named (the
    other organisation's coordinator is filled in by `_with_other_coordinator`)."""
    refused = [role for role in SIGNED if role != "other_coordinator"]
    return {"anonymous": 302, **dict.fromkeys(refused, 403), **allowed}


PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = {"anonymous": 302, **dict.fromkeys(SIGNED, 200)}
ADMIN_ONLY = only(admin=200)
REDIRECT_ALL = dict.fromkeys(ROLES, 302)
NOT_FOUND_ALL = dict.fromkeys(ROLES, 404)
# Signed-in visitors of sign-in/sign-up pages are sent home.
GUEST_PAGE = {"anonymous": 200, **dict.fromkeys(SIGNED, 302)}
COORDINATOR_ONLY = only(coordinator=200)
# The applicant who owns the object; everyone else — the other applicant too — is refused.
OWNER_ONLY = only(applicant=200)
# Anyone holding the commission-member role (seated anywhere).
ANY_MEMBER = only(**dict.fromkeys(COMMISSION_ROLE, 200))
# A member seated on this competition (the conflicted one too: the list is theirs).
SEATED = only(member=200, conflicted_member=200, self_reviewer=200)
# A seated member cleared on this application (here the chair); the role alone is not
# enough, a seat elsewhere is not enough, and a declared conflict closes it.
MEMBER_ONLY = only(member=200)
# The grantee (the applicant user) and coordinators.
GRANTEE_OR_COORDINATOR = only(applicant=200, coordinator=200)
# The competition's coordinators, and read-only the operator of a programme its holder is in.
MONITORING = {**COORDINATOR_ONLY, "operator": 200}
# Who makes API tokens (the token of {api_token} is the coordinator's: another's is not there).
TOKEN_MAKERS = only(coordinator=200, other_coordinator=200, operator=200, other_operator=200)
TOKEN_MAKERS_400 = dict.fromkeys(
    ("coordinator", "other_coordinator", "operator", "other_operator"), 400
)
TOKEN_MAKERS_404 = {**TOKEN_MAKERS, **dict.fromkeys(TOKEN_MAKERS_400, 404)}
# The API (a Bearer token per role, `World.tokens`): no token → 401; a token whose owner may
# not make one (any role but coordinators and operators; an administrator too) → 403.
API_READERS = ("coordinator", "other_coordinator", "operator", "other_operator")
API_REFUSED = {"anonymous": 401, **dict.fromkeys(SIGNED, 403)}
API_LIST = {**API_REFUSED, **dict.fromkeys(API_READERS, 200)}
# an object of the world's holder: its coordinator, and the operator of its programme
API_HOLDERS = {**API_REFUSED, "coordinator": 200, "operator": 200}
API_MISSING = {**API_REFUSED, **dict.fromkeys(API_READERS, 404)}
# A draft does not exist for anyone but coordinators.
DRAFT_HIDDEN = {**NOT_FOUND_ALL, "coordinator": 200}

# (endpoint, method): (url template, {role: status}), or a list of them for several cases.
# Templates may name a user by role ({applicant}) or a competition ({draft}, {published}).
MATRIX: dict[tuple[str, str], tuple[str, dict[str, int]] | list[tuple[str, dict[str, int]]]] = {
    ("core.index", "GET"): ("/", PUBLIC),
    ("core.healthz", "GET"): ("/healthz", PUBLIC),
    # coordinators watch their organisations' messages, administrators every message
    ("mail.outbox_page", "GET"): ("/manage/outbox", {**COORDINATOR_ONLY, "admin": 200}),
    ("mail.retry_message", "POST"): [
        (
            "/manage/outbox/{failed_message}/retry",
            {**COORDINATOR_ONLY, "coordinator": 302, "admin": 302},
        ),
        (
            "/manage/outbox/2147483647/retry",
            {**COORDINATOR_ONLY, "coordinator": 404, "other_coordinator": 404, "admin": 404},
        ),
    ],
    ("auth.set_language", "POST"): ("/language", REDIRECT_ALL),
    ("auth.register", "GET"): ("/auth/register", GUEST_PAGE),
    ("auth.register", "POST"): ("/auth/register", {**GUEST_PAGE, "anonymous": 200}),
    ("auth.privacy", "GET"): ("/privacy", PUBLIC),
    ("auth.my_data", "GET"): ("/account/data", SIGNED_IN),
    ("auth.my_data_file", "GET"): [
        ("/account/data.json", SIGNED_IN),
        ("/account/data.xlsx", SIGNED_IN),
    ],
    # no password: the page again with its error (nothing erased)
    ("auth.erase", "POST"): ("/account/erase", SIGNED_IN),
    ("auth.login", "GET"): ("/auth/login", GUEST_PAGE),
    ("auth.login", "POST"): ("/auth/login", {**GUEST_PAGE, "anonymous": 200}),
    ("auth.logout", "POST"): ("/auth/logout", REDIRECT_ALL),
    ("auth.sign_out_everywhere", "POST"): ("/account/sessions/end", REDIRECT_ALL),
    ("auth.confirm_email", "GET"): ("/auth/confirm/bad-token", REDIRECT_ALL),
    ("auth.resend_confirmation", "GET"): ("/auth/confirm", PUBLIC),
    ("auth.resend_confirmation", "POST"): ("/auth/confirm", PUBLIC),  # empty form re-renders
    ("auth.forgot_password", "GET"): ("/auth/reset", PUBLIC),
    ("auth.forgot_password", "POST"): ("/auth/reset", PUBLIC),
    ("auth.reset_password", "GET"): ("/auth/reset/bad-token", REDIRECT_ALL),
    ("auth.reset_password", "POST"): ("/auth/reset/bad-token", REDIRECT_ALL),
    ("auth.profile", "GET"): ("/account/profile", SIGNED_IN),
    # personal access tokens: coordinators and operators, each their own
    ("auth.api_tokens", "GET"): ("/account/tokens", TOKEN_MAKERS),
    ("auth.api_tokens", "POST"): ("/account/tokens", {**TOKEN_MAKERS, **TOKEN_MAKERS_400}),
    ("auth.revoke_api_token", "POST"): [
        (
            "/account/tokens/{api_token}/revoke",
            {**TOKEN_MAKERS_404, "coordinator": 302},
        ),
        ("/account/tokens/2147483647/revoke", TOKEN_MAKERS_404),
    ],
    # an empty POST keeps the stored values (WTForms falls back to the object) and saves
    ("auth.profile", "POST"): ("/account/profile", REDIRECT_ALL),
    ("auth.change_password", "GET"): ("/account/password", SIGNED_IN),
    ("auth.change_password", "POST"): ("/account/password", SIGNED_IN),
    ("admin.users", "GET"): ("/admin/users", ADMIN_ONLY),
    ("admin.user_detail", "GET"): ("/admin/users/{applicant}", ADMIN_ONLY),
    ("admin.change_role", "POST"): ("/admin/users/{applicant}/roles", {**ADMIN_ONLY, "admin": 400}),
    ("admin.audit_log", "GET"): ("/admin/audit", ADMIN_ONLY),
    ("organisations.index", "GET"): ("/admin/organisations", ADMIN_ONLY),
    ("organisations.create", "GET"): ("/admin/organisations/new", ADMIN_ONLY),
    ("organisations.create", "POST"): ("/admin/organisations/new", {**ADMIN_ONLY, "admin": 400}),
    ("organisations.detail", "GET"): ("/admin/organisations/{organisation}", ADMIN_ONLY),
    ("organisations.update", "POST"): (
        "/admin/organisations/{organisation}",
        {**ADMIN_ONLY, "admin": 400},
    ),
    ("organisations.add_coordinator", "POST"): (
        "/admin/organisations/{organisation}/coordinators",
        {**ADMIN_ONLY, "admin": 400},
    ),
    ("organisations.remove_coordinator", "POST"): [
        (
            "/admin/organisations/{organisation}/coordinators/{coordinator}/remove",
            {**ADMIN_ONLY, "admin": 302},
        ),
        (
            "/admin/organisations/{organisation}/coordinators/{applicant}/remove",
            {**ADMIN_ONLY, "admin": 404},
        ),
    ],
    ("organisations.programmes", "GET"): ("/admin/programmes", ADMIN_ONLY),
    ("organisations.create_programme", "GET"): ("/admin/programmes/new", ADMIN_ONLY),
    ("organisations.create_programme", "POST"): (
        "/admin/programmes/new",
        {**ADMIN_ONLY, "admin": 400},
    ),
    ("organisations.programme", "GET"): [
        ("/admin/programmes/{programme}", ADMIN_ONLY),
        ("/admin/programmes/2147483647", {**ADMIN_ONLY, "admin": 404}),
    ],
    ("organisations.update_programme", "POST"): (
        "/admin/programmes/{programme}",
        {**ADMIN_ONLY, "admin": 400},
    ),
    ("organisations.add_holder", "POST"): (
        "/admin/programmes/{programme}/holders",
        {**ADMIN_ONLY, "admin": 400},
    ),
    ("organisations.remove_holder", "POST"): [
        (
            "/admin/programmes/{programme}/holders/{organisation}/remove",
            {**ADMIN_ONLY, "admin": 302},
        ),
        (
            "/admin/programmes/{programme}/holders/2147483647/remove",
            {**ADMIN_ONLY, "admin": 404},
        ),
    ],
    ("organisations.add_operator", "POST"): (
        "/admin/programmes/{programme}/operators",
        {**ADMIN_ONLY, "admin": 400},
    ),
    ("organisations.remove_operator", "POST"): [
        (
            "/admin/programmes/{programme}/operators/{operator}/remove",
            {**ADMIN_ONLY, "admin": 302},
        ),
        (
            "/admin/programmes/{programme}/operators/{applicant}/remove",
            {**ADMIN_ONLY, "admin": 404},
        ),
    ],
    # --- a programme's roll-up: its operators (another programme's: refused) and admins
    ("programmes.index", "GET"): ("/programmes", only(operator=200, other_operator=200, admin=200)),
    ("programmes.rollup", "GET"): [
        ("/programmes/{programme}", only(operator=200, admin=200)),
        (
            "/programmes/{programme}?holder=2147483647&region=%00",
            only(operator=200, admin=200),
        ),
        ("/programmes/2147483647", only(operator=404, other_operator=404, admin=404)),
    ],
    ("programmes.rollup_xlsx", "GET"): (
        "/programmes/{programme}/rollup.xlsx?lang=ru",
        only(operator=200, admin=200),
    ),
    ("competitions.public_list", "GET"): [
        ("/competitions", PUBLIC),
        ("/competitions?region=KZ-33&holder=test-holder&page=1", PUBLIC),
        ("/competitions?region=%00&holder=" + "x" * 300, PUBLIC),
    ],
    ("competitions.holder", "GET"): [
        ("/o/test-holder", PUBLIC),
        ("/o/nobody-here", NOT_FOUND_ALL),
    ],
    ("competitions.announcement", "GET"): [
        ("/competitions/{published}", PUBLIC),
        ("/competitions/{draft}", DRAFT_HIDDEN),
    ],
    ("competitions.announcement_print", "GET"): [
        ("/competitions/{published}/print", PUBLIC),
        ("/competitions/{draft}/print", DRAFT_HIDDEN),
    ],
    ("competitions.manage_list", "GET"): ("/manage/competitions", COORDINATOR_ONLY),
    # public like the announcement; this one has no rules document, so nobody gets a file
    ("competitions.rules_file", "GET"): [
        ("/competitions/{published}/rules", NOT_FOUND_ALL),
        ("/competitions/{draft}/rules", NOT_FOUND_ALL),
    ],
    ("competitions.create", "GET"): ("/manage/competitions/new", COORDINATOR_ONLY),
    # an empty form re-renders with its errors
    ("competitions.create", "POST"): ("/manage/competitions/new", COORDINATOR_ONLY),
    ("competitions.edit", "GET"): ("/manage/competitions/{draft}/edit", COORDINATOR_ONLY),
    ("competitions.edit", "POST"): ("/manage/competitions/{draft}/edit", COORDINATOR_ONLY),
    ("competitions.ask", "POST"): [
        # an empty question re-renders the announcement with the error
        ("/competitions/{published}/questions", SIGNED_IN),
        ("/competitions/{draft}/questions", {**DRAFT_HIDDEN, "anonymous": 302}),
    ],
    ("competitions.manage_questions", "GET"): (
        "/manage/competitions/{published}/questions",
        COORDINATOR_ONLY,
    ),
    ("competitions.answer", "POST"): (
        "/manage/questions/{question}/answer",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("applications.profiles", "GET"): ("/profiles", SIGNED_IN),
    ("applications.new_profile", "GET"): ("/profiles/new/group", SIGNED_IN),
    ("applications.new_profile", "POST"): ("/profiles/new/ngo", SIGNED_IN),  # errors re-render
    ("applications.edit_profile", "GET"): ("/profiles/{profile}/edit", OWNER_ONLY),
    ("applications.edit_profile", "POST"): ("/profiles/{profile}/edit", OWNER_ONLY),
    ("applications.my_applications", "GET"): ("/applications", SIGNED_IN),
    ("applications.start", "POST"): (  # no profile chosen
        "/competitions/{published}/apply",
        {"anonymous": 302, **dict.fromkeys(SIGNED, 400)},
    ),
    ("applications.edit", "GET"): ("/applications/{draft_application}/edit", OWNER_ONLY),
    # an empty form is a valid (empty) draft: saved, then back to the application
    ("applications.edit", "POST"): (
        "/applications/{draft_application}/edit",
        {**OWNER_ONLY, "applicant": 302},
    ),
    ("applications.view", "GET"): [
        ("/applications/{draft_application}", OWNER_ONLY),
        ("/applications/{submitted_application}", {**OWNER_ONLY, "coordinator": 200}),
    ],
    ("applications.submit", "POST"): (
        "/applications/{draft_application}/submit",
        {**OWNER_ONLY, "applicant": 302},
    ),
    ("applications.withdraw", "POST"): (
        "/applications/{submitted_application}/withdraw",
        {**OWNER_ONLY, "applicant": 302},
    ),
    ("applications.upload", "POST"): (  # no file chosen: a message, back to the application
        "/applications/{draft_application}/attachments",
        {**OWNER_ONLY, "applicant": 302},
    ),
    ("applications.delete_attachment", "POST"): (
        "/applications/{draft_application}/attachments/{draft_attachment}/delete",
        {**OWNER_ONLY, "applicant": 302},
    ),
    ("applications.download", "GET"): (
        "/attachments/{submitted_attachment}",
        {**OWNER_ONLY, "coordinator": 200},
    ),
    ("applications.download_docx", "GET"): [
        ("/applications/{submitted_application}.docx", {**OWNER_ONLY, "coordinator": 200}),
        ("/applications/{draft_application}.docx", {**OWNER_ONLY, "applicant": 404}),
    ],
    ("applications.registry", "GET"): (
        "/manage/competitions/{published}/applications",
        COORDINATOR_ONLY,
    ),
    ("applications.registry_xlsx", "GET"): (
        "/manage/competitions/{published}/applications.xlsx",
        COORDINATOR_ONLY,
    ),
    ("applications.screening", "POST"): (  # no decision given
        "/manage/applications/{submitted_application}/screening",
        {**COORDINATOR_ONLY, "coordinator": 400},
    ),
    ("competitions.change_status", "POST"): (
        "/manage/competitions/{draft}/status",
        {**COORDINATOR_ONLY, "coordinator": 400},
    ),
    # --- the commission: {scored} is a closed competition whose commission has the member
    # user as its chair, cleared on {scored_application} with a submitted sheet
    ("commission.mine", "GET"): ("/commission", ANY_MEMBER),
    ("commission.competition", "GET"): ("/commission/competitions/{scored}", SEATED),
    ("commission.application", "GET"): (
        "/commission/applications/{scored_application}",
        MEMBER_ONLY,
    ),
    # an empty declaration re-renders with its error
    ("commission.declare", "POST"): (
        "/commission/applications/{scored_application}/declaration",
        MEMBER_ONLY,
    ),
    # the sheet is submitted: the refusal re-renders the page
    ("commission.save_sheet", "POST"): (
        "/commission/applications/{scored_application}/sheet",
        MEMBER_ONLY,
    ),
    ("commission.reopen_sheet", "POST"): (  # no reason: a message, back to the list
        "/commission/sheets/{sheet}/reopen",
        {**MEMBER_ONLY, "member": 302},
    ),
    ("commission.record_conflict", "POST"): (  # no member chosen: a message, back
        "/commission/applications/{scored_application}/conflicts",
        {**MEMBER_ONLY, "member": 302, "coordinator": 302},
    ),
    ("commission.invitation", "GET"): ("/commission/invitations/bad-token", REDIRECT_ALL),
    ("commission.invitation", "POST"): ("/commission/invitations/bad-token", REDIRECT_ALL),
    # {published} has never been touched: its first page loads must not make its rows
    ("commission.manage", "GET"): [
        ("/manage/competitions/{scored}/commission", COORDINATOR_ONLY),
        ("/manage/competitions/{published}/commission", COORDINATOR_ONLY),
    ],
    ("commission.save_settings", "POST"): (  # empty: errors re-render
        "/manage/competitions/{scored}/commission/settings",
        COORDINATOR_ONLY,
    ),
    ("commission.add_member", "POST"): (
        "/manage/competitions/{scored}/commission/members",
        COORDINATOR_ONLY,
    ),
    ("commission.edit_member", "POST"): (
        "/manage/commission-members/{seat}",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("commission.remove_member", "POST"): (  # the seat has a sheet: refused, back
        "/manage/commission-members/{seat}/remove",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("commission.assign", "POST"): (
        "/manage/competitions/{scored}/commission/assign",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("commission.approval_docx", "GET"): [
        ("/manage/competitions/{scored}/commission/approval.docx", COORDINATOR_ONLY),
        ("/manage/competitions/{published}/commission/approval.docx", COORDINATOR_ONLY),
    ],
    ("commission.progress_page", "GET"): [
        ("/manage/competitions/{scored}/scoring", COORDINATOR_ONLY),
        ("/manage/competitions/{published}/scoring", COORDINATOR_ONLY),
    ],
    ("commission.scoring_state", "POST"): (  # not closed: refused, back
        "/manage/competitions/{scored}/scoring/reopen",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("commission.remind", "POST"): (
        "/manage/competitions/{scored}/scoring/remind",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("commission.ranking", "GET"): [
        ("/manage/competitions/{scored}/ranking", COORDINATOR_ONLY),
        ("/manage/competitions/{published}/ranking", COORDINATOR_ONLY),
    ],
    ("commission.meeting", "GET"): [
        ("/manage/competitions/{scored}/meeting", COORDINATOR_ONLY),
        ("/manage/competitions/{published}/meeting", COORDINATOR_ONLY),
    ],
    ("commission.reactions", "GET"): (  # a grants round: the page says it counts none
        "/manage/competitions/{scored}/reactions",
        COORDINATOR_ONLY,
    ),
    ("commission.record_reactions", "POST"): (  # no day given: the form is returned
        "/manage/competitions/{scored}/reactions",
        {**COORDINATOR_ONLY, "coordinator": 400},
    ),
    ("commission.save_meeting", "POST"): (
        "/manage/competitions/{scored}/meeting",
        COORDINATOR_ONLY,
    ),
    ("commission.decide", "POST"): (
        "/manage/competitions/{scored}/meeting/decisions/{scored_application}",
        COORDINATOR_ONLY,
    ),
    ("commission.protocol_docx", "GET"): (  # no meeting yet
        "/manage/competitions/{scored}/meeting/protocol.docx",
        {**COORDINATOR_ONLY, "coordinator": 404},
    ),
    ("commission.sign", "POST"): (
        "/manage/competitions/{scored}/meeting/sign",
        {**COORDINATOR_ONLY, "coordinator": 400},
    ),
    ("commission.add_addendum", "POST"): (
        "/manage/competitions/{scored}/meeting/addenda",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("commission.publish", "POST"): (
        "/manage/competitions/{scored}/results/publish",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    # public once published; these results are not
    ("commission.results", "GET"): [
        ("/competitions/{scored}/results", NOT_FOUND_ALL),
        ("/competitions/{published}/results", NOT_FOUND_ALL),
    ],
    # --- grants: {granted} is a competition whose signed protocol gave the applicant user a
    # grant; {report} is its draft interim report (one event, publication, expense, photo),
    # {submitted_report} its submitted final report (version 1)
    ("grants.mine", "GET"): ("/grants", SIGNED_IN),
    ("grants.grant", "GET"): ("/grants/{grant}", GRANTEE_OR_COORDINATOR),
    ("grants.agreement_docx", "GET"): ("/grants/{grant}/agreement.docx", GRANTEE_OR_COORDINATOR),
    ("grants.report", "GET"): [
        ("/reports/{report}", GRANTEE_OR_COORDINATOR),
        ("/reports/{submitted_report}", GRANTEE_OR_COORDINATOR),
    ],
    ("grants.version", "GET"): [
        ("/reports/{submitted_report}/versions/1", GRANTEE_OR_COORDINATOR),
        (
            "/reports/{report}/versions/1",
            {**GRANTEE_OR_COORDINATOR, "applicant": 404, "coordinator": 404},
        ),
    ],
    ("grants.save_narrative", "POST"): (  # an empty narrative is a valid draft
        "/reports/{report}/narrative",
        {**OWNER_ONLY, "applicant": 302},
    ),
    ("grants.new_event", "GET"): [
        ("/reports/{report}/events/new", OWNER_ONLY),
        # submitted: back to the report with a message
        ("/reports/{submitted_report}/events/new", {**OWNER_ONLY, "applicant": 302}),
    ],
    ("grants.new_event", "POST"): (  # an empty event re-renders with its errors
        "/reports/{report}/events/new",
        OWNER_ONLY,
    ),
    ("grants.edit_event", "GET"): ("/events/{event}/edit", OWNER_ONLY),
    ("grants.edit_event", "POST"): ("/events/{event}/edit", OWNER_ONLY),
    ("grants.delete_event", "POST"): ("/events/{event}/delete", {**OWNER_ONLY, "applicant": 302}),
    ("grants.add_publication", "POST"): (
        "/reports/{report}/publications",
        OWNER_ONLY,
    ),
    ("grants.delete_publication", "POST"): (
        "/publications/{publication}/delete",
        {**OWNER_ONLY, "applicant": 302},
    ),
    ("grants.add_expense", "POST"): (
        "/reports/{report}/expenses",
        OWNER_ONLY,
    ),
    ("grants.delete_expense", "POST"): (
        "/expenses/{expense}/delete",
        {**OWNER_ONLY, "applicant": 302},
    ),
    ("grants.add_file", "POST"): ("/reports/{report}/files", OWNER_ONLY),
    ("grants.delete_file", "POST"): (
        "/grant-files/{report_file}/delete",
        {**OWNER_ONLY, "applicant": 302},
    ),
    ("grants.download_file", "GET"): [
        ("/grant-files/{report_file}", GRANTEE_OR_COORDINATOR),
        ("/grant-files/{visit_file}", COORDINATOR_ONLY),  # visit findings are the coordinators'
    ],
    ("grants.submit_report", "POST"): (  # no results written yet: refused, back
        "/reports/{report}/submit",
        {**OWNER_ONLY, "applicant": 302},
    ),
    ("grants.manage", "GET"): [
        ("/manage/competitions/{granted}/grants", COORDINATOR_ONLY),
        ("/manage/competitions/{published}/grants", COORDINATOR_ONLY),
    ],
    ("grants.prizes", "GET"): (  # a grants round: the page says so and links the grants
        "/manage/competitions/{granted}/prizes",
        COORDINATOR_ONLY,
    ),
    ("grants.pay_prize", "POST"): (  # a grants round pays no prizes: refused, back
        "/manage/competitions/{granted}/prizes/{decision}",
        {**COORDINATOR_ONLY, "coordinator": 400},
    ),
    ("grants.create_grants", "POST"): (
        "/manage/competitions/{granted}/grants",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("grants.save_terms", "POST"): (  # every term is optional
        "/manage/competitions/{granted}/grant-terms",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("grants.save_tranches", "POST"): (  # an empty schedule is refused
        "/manage/competitions/{granted}/tranches",
        COORDINATOR_ONLY,
    ),
    ("grants.add_period", "POST"): (
        "/manage/competitions/{granted}/periods",
        COORDINATOR_ONLY,
    ),
    ("grants.edit_period", "POST"): (  # no date: a message, back
        "/manage/report-periods/{period}",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("grants.save_agreement", "POST"): (
        "/manage/grants/{grant}/agreement",
        COORDINATOR_ONLY,
    ),
    ("grants.record_payment", "POST"): (
        "/manage/grants/{grant}/payments",
        COORDINATOR_ONLY,
    ),
    ("grants.change_status", "POST"): (
        "/manage/grants/{grant}/status",
        COORDINATOR_ONLY,
    ),
    ("grants.add_visit", "POST"): (
        "/manage/grants/{grant}/visits",
        COORDINATOR_ONLY,
    ),
    ("grants.review", "POST"): (
        "/manage/reports/{submitted_report}/review",
        COORDINATOR_ONLY,
    ),
    ("grants.monitoring", "GET"): [
        ("/manage/competitions/{granted}/monitoring", MONITORING),
        ("/manage/competitions/{published}/monitoring", MONITORING),
    ],
    ("grants.events", "GET"): [
        ("/manage/competitions/{granted}/monitoring/events", MONITORING),
        ("/manage/competitions/{published}/monitoring/events", MONITORING),
    ],
    ("grants.monitoring_report", "GET"): [
        ("/manage/competitions/{granted}/monitoring.docx", MONITORING),
        ("/manage/competitions/{granted}/monitoring.xlsx?lang=ru", MONITORING),
        ("/manage/competitions/{published}/monitoring.docx", MONITORING),
    ],
    ("grants.send_reminders", "POST"): (
        "/manage/competitions/{granted}/reminders",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    # --- the final report: coordinators only. {project} has a task, an activity with one
    # indicator, and a partner row.
    ("reporting.projects", "GET"): ("/manage/projects", COORDINATOR_ONLY),
    ("reporting.new_project", "GET"): ("/manage/projects/new", COORDINATOR_ONLY),
    # an empty form re-renders with its errors
    ("reporting.new_project", "POST"): ("/manage/projects/new", COORDINATOR_ONLY),
    ("reporting.project", "GET"): ("/manage/projects/{project}", COORDINATOR_ONLY),
    ("reporting.edit_project", "GET"): ("/manage/projects/{project}/edit", COORDINATOR_ONLY),
    ("reporting.edit_project", "POST"): ("/manage/projects/{project}/edit", COORDINATOR_ONLY),
    ("reporting.texts", "GET"): ("/manage/projects/{project}/texts", COORDINATOR_ONLY),
    ("reporting.texts", "POST"): (  # every section may be empty: saved, back
        "/manage/projects/{project}/texts",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.add_task", "POST"): (  # no wording: a message, back
        "/manage/projects/{project}/tasks",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.edit_task", "GET"): ("/manage/tasks/{task}/edit", COORDINATOR_ONLY),
    # an empty POST keeps the stored values (WTForms falls back to the object) and saves
    ("reporting.edit_task", "POST"): (
        "/manage/tasks/{task}/edit",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.delete_task", "POST"): (
        "/manage/tasks/{task}/delete",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.attach_competition", "POST"): (  # no competition chosen: a message, back
        "/manage/tasks/{task}/competition",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.new_activity", "GET"): ("/manage/tasks/{task}/activities/new", COORDINATOR_ONLY),
    ("reporting.new_activity", "POST"): ("/manage/tasks/{task}/activities/new", COORDINATOR_ONLY),
    ("reporting.edit_activity", "GET"): ("/manage/activities/{activity}/edit", COORDINATOR_ONLY),
    ("reporting.edit_activity", "POST"): ("/manage/activities/{activity}/edit", COORDINATOR_ONLY),
    ("reporting.delete_activity", "POST"): (
        "/manage/activities/{activity}/delete",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.add_indicator", "POST"): (  # no name: the form re-renders
        "/manage/activities/{activity}/indicators",
        COORDINATOR_ONLY,
    ),
    ("reporting.edit_indicator", "GET"): ("/manage/indicators/{indicator}/edit", COORDINATOR_ONLY),
    ("reporting.edit_indicator", "POST"): (  # stored values kept, saved
        "/manage/indicators/{indicator}/edit",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.delete_indicator", "POST"): (
        "/manage/indicators/{indicator}/delete",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.effects", "GET"): ("/manage/projects/{project}/effects", COORDINATOR_ONLY),
    ("reporting.effects", "POST"): (  # every plan and fact may be empty: saved, back
        "/manage/projects/{project}/effects",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.add_row", "POST"): ("/manage/projects/{project}/partners", COORDINATOR_ONLY),
    ("reporting.edit_row", "GET"): [
        ("/manage/projects/{project}/partners/{partner}/edit", COORDINATOR_ONLY),
        # a row of another kind with that id does not exist
        (
            "/manage/projects/{project}/proposals/{partner}/edit",
            {**COORDINATOR_ONLY, "coordinator": 404},
        ),
    ],
    ("reporting.edit_row", "POST"): (  # stored values kept, saved
        "/manage/projects/{project}/partners/{partner}/edit",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.delete_row", "POST"): (
        "/manage/projects/{project}/partners/{partner}/delete",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    ("reporting.reconciliation", "GET"): (
        "/manage/projects/{project}/reconciliation",
        COORDINATOR_ONLY,
    ),
    ("api.openapi", "GET"): ("/api/v1/openapi.json", PUBLIC),
    ("api.reference", "GET"): ("/api/v1/docs", PUBLIC),
    ("api.organisations", "GET"): ("/api/v1/organisations", API_LIST),
    ("api.competitions", "GET"): ("/api/v1/competitions?per_page=5", API_LIST),
    ("api.competition", "GET"): [
        ("/api/v1/competitions/{published}", API_HOLDERS),
        ("/api/v1/competitions/{draft}", {**API_REFUSED, "coordinator": 200}),  # the holder's own
        ("/api/v1/competitions/2147483647", API_MISSING),
    ],
    ("api.registry", "GET"): [
        ("/api/v1/competitions/{published}/applications", API_HOLDERS),
        ("/api/v1/competitions/{draft}/applications", {**API_REFUSED, "coordinator": 200}),
    ],
    ("api.decisions", "GET"): ("/api/v1/competitions/{granted}/decisions", API_HOLDERS),
    ("api.grants", "GET"): [
        ("/api/v1/competitions/{granted}/grants", API_HOLDERS),
        ("/api/v1/competitions/2147483647/grants", API_MISSING),
    ],
    ("api.programmes", "GET"): ("/api/v1/programmes", API_LIST),
    ("api.rollup", "GET"): [
        ("/api/v1/programmes/{programme}/rollup", {**API_REFUSED, "operator": 200}),
        ("/api/v1/programmes/2147483647/rollup", API_MISSING),
    ],
    ("api.projects", "GET"): ("/api/v1/projects", API_LIST),
    ("api.section4", "GET"): [
        ("/api/v1/projects/{project}/section4", API_HOLDERS),
        ("/api/v1/projects/2147483647/section4", API_MISSING),
    ],
    ("reporting.report_file", "GET"): [
        ("/manage/projects/{project}/report.docx?lang=ru", COORDINATOR_ONLY),
        ("/manage/projects/{project}/report.xlsx", COORDINATOR_ONLY),
    ],
}


OBJECT_IN_URL = re.compile(r"{(?!(?:" + "|".join(ROLES) + r")})\w+}|/\d+(?:/|$)")


def _with_other_coordinator(url: str, statuses: dict[str, int]) -> dict[str, int]:
    """The other organisation's coordinator: as the other applicant on a route about an
    object of the world, as the coordinator on one about none (see the module's text)."""
    if "other_coordinator" in statuses:
        return statuses
    like = "other_applicant" if OBJECT_IN_URL.search(url) else "coordinator"
    return {**statuses, "other_coordinator": statuses[like]}


def _cases(key):
    value = MATRIX[key]
    return [
        (url, _with_other_coordinator(url, statuses))
        for url, statuses in (value if isinstance(value, list) else [value])
    ]


CASES = [(key, i) for key in sorted(MATRIX) for i in range(len(_cases(key)))]


@dataclass
class World:
    users: dict[str, object]  # role → user (detached)
    ids: dict[str, int]  # template name → id
    tokens: dict[str, str]  # role → an API token of theirs (made whatever their role)


def build_world(f: Factories) -> World:
    """Everything the URL templates name, made once and committed."""
    app = f.app
    users = {
        "applicant": f.user("applicant@example.kz", full_name="Applicant"),
        "other_applicant": f.user("other@example.kz", full_name="Other Applicant"),
        "member": f.user("member@example.kz", roles=(Role.COMMISSION_MEMBER,), full_name="M"),
        "unseated_member": f.user("unseated@example.kz", full_name="Unseated Member"),
        "conflicted_member": f.user("conflicted@example.kz", full_name="Conflicted Member"),
        "self_reviewer": f.user("self@example.kz", full_name="Group Member On The Commission"),
        "coordinator": f.user("coordinator@example.kz", roles=(Role.COORDINATOR,)),
        "other_coordinator": f.user(
            "other-coordinator@example.kz",
            roles=(Role.COORDINATOR,),
            organisation=_other_organisation(app),
        ),
        "operator": f.user("operator@example.kz", full_name="Operator"),
        "other_operator": f.user("other-operator@example.kz", full_name="Other Operator"),
        "admin": f.user("admin@example.kz", roles=(Role.ADMIN,), full_name="Admin"),
    }
    applicant = users["applicant"]
    published = f.competition(published=True)
    profile = f.profile(applicant, leader_iin="791028302728")
    submitted = f.application(
        applicant, published, f.profile(applicant, leader_iin="061211600012"), submit=True
    )
    draft = f.application(applicant, published, profile, complete=False)
    # the other applicant's own application, in the same competition
    other = users["other_applicant"]
    f.application(other, published, f.profile(other, leader_iin=demo_iin(7)), submit=True)

    scored_competition = f.competition(published=True)
    scored = _seat_member_as_chair(
        app,
        users,
        scored_competition.id,
        f.application(applicant, scored_competition, profile, submit=True).id,
        conflicted=users["conflicted_member"],
    )
    _seat_self_reviewer(app, users, scored_competition.id, profile.id)
    granted_competition = f.competition(published=True)
    granted = _grant_to_applicant(
        app,
        users,
        _seat_member_as_chair(
            app,
            users,
            granted_competition.id,
            f.application(applicant, granted_competition, profile, submit=True).id,
        ),
    )
    _seat_elsewhere(app, users, f.competition(published=True).id)
    ids = {
        **{name: user.id for name, user in users.items()},
        "published": published.id,
        "draft": f.competition(published=False).id,
        "profile": profile.id,
        "draft_application": draft.id,
        "submitted_application": submitted.id,
        "submitted_attachment": _first_attachment(app, submitted.id),
        "draft_attachment": _attach(app, draft.id, applicant.id),
        "question": _question(app, published.id, applicant.id),
        "scored": scored["competition"],
        "scored_application": scored["application"],
        "sheet": scored["sheet"],
        "seat": scored["seat"],
        **granted,
        **_project_with_rows(app, users),
        "failed_message": _failed_message(app),
        "organisation": _holder(app),
        "programme": _programmes(app, users),
        "api_token": _api_token(app, users["coordinator"]),
    }
    return World(users, ids, _role_tokens(app, users))


@pytest.fixture
def app(matrix_app):
    """The world's app, each test in a transaction rolled back afterwards."""
    return matrix_app


@pytest.fixture
def users(matrix_world):
    return matrix_world[1].users


IGNORED_ENDPOINTS = {"static"}


def test_matrix_covers_every_route(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in IGNORED_ENDPOINTS
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert missing == [], f"routes without an authorization row: {missing}"
    assert stale == [], f"rows for routes that no longer exist: {stale}"


def test_matrix_rows_name_every_role():
    for key in MATRIX:
        for _url, statuses in _cases(key):
            assert set(statuses) == set(ROLES), key


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("key", "case"), CASES, ids=[f"{k[0]}-{k[1]}-{i}" for k, i in CASES])
def test_route_status_for_role(client, auth, count_queries, matrix_world, key, case, role):
    url_template, statuses = _cases(key)[case]
    users, ids = matrix_world[1].users, matrix_world[1].ids
    url = url_template.format(**{name: ids[name] for name in re.findall(r"{(\w+)}", url_template)})
    headers = {}
    if role != "anonymous" and key[0].startswith("api."):
        headers["Authorization"] = f"Bearer {matrix_world[1].tokens[role]}"
    elif role != "anonymous":
        auth.as_user(users[role])
    with (
        count_queries() as statements,
        client.open(url, method=key[1], headers=headers) as response,
    ):
        assert response.status_code == statuses[role], (key, url, role)
    if key[1] == "GET":  # a page load writes nothing, for anyone
        assert [s for s in statements if s.lstrip().upper().startswith(WRITES)] == [], (url, role)


WRITES = ("INSERT", "UPDATE", "DELETE")


def test_forbidden_page_is_translated(client, auth, users):
    auth.as_user(users["applicant"])
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Бұл бетті ашуға құқығыңыз жоқ." in response.text


def test_navigation_shows_admin_links_only_to_admins(client, auth, users):
    auth.as_user(users["coordinator"])
    assert 'href="/admin/users"' not in client.get("/").text
    auth.as_user(users["admin"])
    home = client.get("/").text
    assert 'href="/admin/users"' in home
    assert 'href="/admin/audit"' in home


def _holder(app) -> int:
    with app.app_context():
        return default_organisation_id()


def _programmes(app, users) -> int:
    """The world's programme (its holder, the operator), and another programme over the other
    organisation (the other operator)."""
    from smallgrants.organisations import services
    from smallgrants.organisations.models import Organisation

    with app.app_context():
        programme = services.create_programme(
            None, services.ProgrammeInput("Бағдарлама", 2024, 2025)
        )
        services.add_holder(
            None, programme, db.session.get(Organisation, default_organisation_id())
        )
        services.add_operator(None, programme, users["operator"].email)
        other = services.create_programme(None, services.ProgrammeInput("Басқа", 2024, 2025))
        holder = db.session.scalar(
            select(Organisation).where(Organisation.short_name == "other-holder")
        )
        services.add_holder(None, other, holder)
        services.add_operator(None, other, users["other_operator"].email)
        db.session.commit()
        return programme.id


def _api_token(app, user) -> int:
    from smallgrants.auth import services
    from smallgrants.auth.models import User

    with app.app_context():
        row, _token = services.create_api_token(db.session.get(User, user.id), "Дашборд", 90)
        db.session.commit()
        return row.id


def _role_tokens(app, users) -> dict[str, str]:
    """A token for every role, made by the service (which does not ask the role: a
    coordinator who loses the role keeps their tokens; the API refuses them)."""
    from smallgrants.auth import services
    from smallgrants.auth.models import User

    with app.app_context():
        tokens = {
            role: services.create_api_token(db.session.get(User, user.id), "API", 30)[1]
            for role, user in users.items()
        }
        db.session.commit()
        return tokens


def _other_organisation(app) -> int:
    """A second grant holder, which holds nothing of the world."""
    from smallgrants.organisations.models import Organisation

    with app.app_context():
        organisation = Organisation(short_name="other-holder", name_kk="Басқа ұйым")
        db.session.add(organisation)
        db.session.commit()
        return organisation.id


def _failed_message(app) -> int:
    from smallgrants.core.models import OutboxMessage, OutboxStatus

    with app.app_context():
        message = OutboxMessage(
            recipient="gone@example.kz",
            locale="kk",
            template="t",
            subject="s",
            body_text="b",
            status=OutboxStatus.FAILED,
            attempts=20,
            last_error="SMTPRecipientsRefused",
            organisation_id=default_organisation_id(),  # sent for the world's grant holder
        )
        db.session.add(message)
        db.session.commit()
        return message.id


def _question(app, competition_id: int, author_id: int) -> int:
    with app.app_context():
        question = Question(competition_id=competition_id, author_id=author_id, text="?")
        db.session.add(question)
        db.session.commit()
        return question.id


def _first_attachment(app, application_id: int) -> int:
    from smallgrants.applications.models import Attachment

    with app.app_context():
        return db.session.scalars(
            select(Attachment.id).where(Attachment.application_id == application_id)
        ).first()


def _attach(app, application_id: int, user_id: int) -> int:
    import io

    from smallgrants.applications import services
    from smallgrants.applications.models import Application
    from smallgrants.auth.models import User
    from tests.conftest import TINY_PDF

    with app.test_request_context():
        application = db.session.get(Application, application_id)
        attachment = services.add_attachment(
            db.session.get(User, user_id), application, io.BytesIO(TINY_PDF), "a.pdf", None
        )
        db.session.commit()
        return attachment.id


def _seat_member_as_chair(
    app, users, competition_id: int, application_id: int, conflicted=None
) -> dict:
    """Close the window, admit the application, approve a commission with the member user as
    its chair, declare no conflict and submit a sheet; seat `conflicted` too, with a declared
    conflict on the application."""
    from datetime import date, timedelta

    from smallgrants.applications import services as application_services
    from smallgrants.applications.models import Application
    from smallgrants.auth.models import User
    from smallgrants.commission import services as commission_services
    from smallgrants.commission.models import CommissionRole, ConflictGround, TieBreakRule
    from smallgrants.competitions.models import Competition
    from smallgrants.core.timeutil import utcnow

    with app.test_request_context():
        coordinator = db.session.get(User, users["coordinator"].id)
        competition = db.session.get(Competition, competition_id)
        competition.closes_at = utcnow() - timedelta(minutes=1)
        application = db.session.get(Application, application_id)
        application_services.screen(coordinator, application, True)
        commission = commission_services.commission_of(competition)
        seat = commission_services.add_member(
            coordinator,
            commission,
            email=users["member"].email,
            full_name="Member",
            job_title="",
            role=CommissionRole.CHAIR,
            voting=True,
        )
        if conflicted is not None:
            conflicted_seat = commission_services.add_member(
                coordinator,
                commission,
                email=conflicted.email,
                full_name=conflicted.full_name,
                job_title="",
                role=CommissionRole.MEMBER,
                voting=True,
            )
        commission_services.save_settings(
            coordinator,
            commission,
            commission_services.SettingsInput(
                "1", date(2023, 9, 1), "", 2, 3, TieBreakRule.VOTE, 25, False
            ),
        )
        if conflicted is not None:
            commission_services.declare(
                db.session.get(User, conflicted.id),
                conflicted_seat,
                application,
                conflict=True,
                ground=ConflictGround.RELATIVE,
            )
        member_user = db.session.get(User, users["member"].id)
        commission_services.declare(member_user, seat, application, conflict=False)
        sheet = commission_services.save_sheet(
            member_user,
            seat,
            application,
            {c.id: 1 for c in competition.criteria},
            "",
            submit=True,
        )
        db.session.commit()
        return {
            "competition": competition_id,
            "application": application_id,
            "sheet": sheet.id,
            "seat": seat.id,
        }


def _seat_self_reviewer(app, users, competition_id: int, profile_id: int) -> None:
    """Put the self reviewer's e-mail in the applicant group's member list and seat them on
    the competition's commission; nobody declares anything."""
    from smallgrants.applications.models import ApplicantProfile, GroupMember
    from smallgrants.auth.models import User
    from smallgrants.commission import services as commission_services
    from smallgrants.commission.models import CommissionRole
    from smallgrants.competitions.models import Competition

    with app.test_request_context():
        profile = db.session.get(ApplicantProfile, profile_id)
        db.session.add(
            GroupMember(
                profile_id=profile.id,
                position=len(profile.members) + 1,
                full_name="Group Member On The Commission",
                email="SELF@example.kz",  # typed in capitals: matched all the same
            )
        )
        coordinator = db.session.get(User, users["coordinator"].id)
        commission = commission_services.commission_of(db.session.get(Competition, competition_id))
        commission_services.add_member(
            coordinator,
            commission,
            email=users["self_reviewer"].email,
            full_name=users["self_reviewer"].full_name,
            job_title="",
            role=CommissionRole.MEMBER,
            voting=True,
        )
        db.session.commit()


def _seat_elsewhere(app, users, competition_id: int) -> None:
    """Seat the unseated member on another competition's commission (so that they hold the
    commission-member role and a real seat, just not on {scored})."""
    from smallgrants.auth.models import User
    from smallgrants.commission import services as commission_services
    from smallgrants.commission.models import CommissionRole
    from smallgrants.competitions.models import Competition

    with app.test_request_context():
        coordinator = db.session.get(User, users["coordinator"].id)
        commission = commission_services.commission_of(db.session.get(Competition, competition_id))
        commission_services.add_member(
            coordinator,
            commission,
            email=users["unseated_member"].email,
            full_name=users["unseated_member"].full_name,
            job_title="",
            role=CommissionRole.MEMBER,
            voting=True,
        )
        db.session.commit()


def _grant_to_applicant(app, users, seated: dict) -> dict:
    """Carry a seated competition through a signed protocol to a grant for the applicant
    user, with a draft interim report holding one of everything and a submitted final one."""
    import io
    from datetime import date, timedelta

    from smallgrants.applications.models import Application
    from smallgrants.auth.models import User
    from smallgrants.commission import services as cs
    from smallgrants.commission.models import AttendanceMode, CommissionMember, Outcome
    from smallgrants.competitions.models import Competition
    from smallgrants.core.timeutil import utcnow
    from smallgrants.grants import queries as gq
    from smallgrants.grants import services as gs
    from smallgrants.grants.models import EventFormat, FilePurpose, PeriodKind
    from tests.conftest import TINY_PDF

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    with app.test_request_context():
        coordinator = db.session.get(User, users["coordinator"].id)
        grantee = db.session.get(User, users["applicant"].id)
        competition = db.session.get(Competition, seated["competition"])
        application = db.session.get(Application, seated["application"])
        commission = cs.commission_of(competition)
        seat = db.session.get(CommissionMember, seated["seat"])
        cs.close_scoring(coordinator, commission)
        cs.save_meeting(
            coordinator,
            commission,
            cs.MeetingInput(
                "2",
                utcnow() - timedelta(hours=1),
                "Талдықорған",
                "",
                {seat.id: AttendanceMode.IN_PERSON},
            ),
        )
        cs.decide(
            coordinator,
            commission,
            application,
            cs.DecisionInput(Outcome.AWARD, None, None, None, None, "", ""),
        )
        cs.sign(coordinator, cs.commission_of(competition), "kk")
        terms = gs.terms_of(competition)
        interim = gs.add_period(
            coordinator, terms, PeriodKind.INTERIM, utcnow() + timedelta(days=5)
        )
        gs.add_period(coordinator, terms, PeriodKind.FINAL, utcnow() + timedelta(days=30))
        grant = gs.create_grants(coordinator, competition)[0]
        draft, final = gq.reports_of(grant.id)
        counts = {"total": 2, "men": 1, "women": 1, "s_youth": 2, "a_17_22": 2}
        event_input = gs.EventInput(
            "Тренинг", date(2023, 10, 1), "", "", EventFormat.OFFLINE, "", counts
        )
        event = gs.save_event(grantee, draft, event_input)
        publication = gs.add_publication(grantee, draft, "https://example.kz/a", "", None, 10)
        line = application.budget[0]
        expense = gs.add_expense(
            grantee,
            draft,
            gs.ExpenseInput(line.id, date(2023, 10, 2), 1000, "Чек 1"),
            io.BytesIO(TINY_PDF),
            "chek.pdf",
        )
        photo = gs.add_report_file(grantee, draft, io.BytesIO(png), "a.png", FilePurpose.PHOTO, "")
        gs.save_event(grantee, final, event_input)
        gs.save_narrative(grantee, final, "Нәтиже", "", "")
        gs.submit_report(grantee, final)
        visit = gs.add_visit(
            coordinator,
            grant,
            date(2023, 10, 3),
            "Үйлестіруші",
            "Бәрі дұрыс",
            [(io.BytesIO(png), "v.png")],
        )
        db.session.commit()
        return {
            "granted": competition.id,
            "grant": grant.id,
            "decision": grant.decision_id,
            "report": draft.id,
            "submitted_report": final.id,
            "event": event.id,
            "publication": publication.id,
            "expense": expense.id,
            "report_file": photo.id,
            "visit_file": visit.photos[0].id,
            "period": interim.id,
        }


def _project_with_rows(app, users) -> dict:
    """A project with one task, one activity (with one indicator) and one partner."""
    from smallgrants.auth.models import User
    from smallgrants.reporting import services as rs

    with app.test_request_context():
        coordinator = db.session.get(User, users["coordinator"].id)
        project = rs.create_project(coordinator, rs.ProjectInput("ҚБ «Жастар»", "Жоба"))
        task = rs.add_task(coordinator, project, "Міндет")
        activity = rs.save_activity(
            coordinator, task, rs.ActivityInput("Іс-шара", counted=False, counts={"total": 5})
        )
        indicator = rs.save_indicator(coordinator, activity, rs.IndicatorInput("Пост", 1, False, 1))
        partner = rs.save_list_row(coordinator, project, "partners", {"name": "Серіктес"})
        db.session.commit()
        return {
            "project": project.id,
            "task": task.id,
            "activity": activity.id,
            "indicator": indicator.id,
            "partner": partner.id,
        }
