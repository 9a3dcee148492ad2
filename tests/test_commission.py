"""The commission end to end through its pages: composition and invitations, conflicts
enforced everywhere, score sheets, progress, ranking, meeting, protocol, results."""

from __future__ import annotations

import hashlib
import io
import re
import threading
from fractions import Fraction

import pytest
from docx import Document
from sqlalchemy import func, select

from smallgrants.applications.models import Application, Attachment
from smallgrants.auth.models import Role, User
from smallgrants.commission import queries, rules
from smallgrants.commission.models import (
    Commission,
    CommissionMember,
    ConflictDeclaration,
    Decision,
    Meeting,
    Outcome,
    ScorePoint,
    ScoreSheet,
    SheetStatus,
)
from smallgrants.competitions.models import Criterion
from smallgrants.core.models import AuditLog, OutboxMessage
from smallgrants.extensions import db
from tests.conftest import body_text


def _criteria(app, competition_id) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Criterion.id)
                .where(Criterion.competition_id == competition_id)
                .order_by(Criterion.position)
            )
        )


def _declare(client, application_id, conflict=False, ground="", reason=""):
    data = {"conflict": "yes" if conflict else "no", "ground": ground, "reason": reason}
    return client.post(f"/commission/applications/{application_id}/declaration", data=data)


def _sheet(client, app, case, application_id, points, action="submit", comment="Жақсы"):
    ids = _criteria(app, case.competition_id)
    data = {f"points-{cid}": str(p) for cid, p in zip(ids, points, strict=True)}
    data |= {"action": action, "comment": comment}
    return client.post(f"/commission/applications/{application_id}/sheet", data=data)


def _score_all(client, auth, app, case, table):
    """table: {role: [(points…) per application]}; each member declares and submits."""
    for role, per_application in table.items():
        auth.as_user(getattr(case, role))
        for application_id, points in zip(case.application_ids, per_application, strict=True):
            if points is None:
                continue
            assert _declare(client, application_id).status_code == 302
            assert _sheet(client, app, case, application_id, points).status_code == 302


def _close_scoring(client, auth, case):
    auth.as_user(case.coordinator)
    response = client.post(f"/manage/competitions/{case.competition_id}/scoring/close")
    assert response.status_code == 302


# --- pure rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "total", "num", "den", "required", "met"),
    [
        (2, 3, 2, 3, 2, True),
        (1, 3, 2, 3, 2, False),
        (4, 5, 2, 3, 4, True),  # ⌈10/3⌉ = 4
        (3, 5, 2, 3, 4, False),
        (3, 5, 1, 2, 3, True),  # ⌈5/2⌉ = 3
        (0, 0, 2, 3, 0, False),  # nobody to vote: no quorum
        (6, 9, 2, 3, 6, True),
    ],
)
def test_quorum_exact(present, total, num, den, required, met):
    q = rules.quorum(present, total, num, den)
    assert (q.required, q.met) == (required, met)


def test_least_loaded_balances_and_skips_conflicts():
    plan = rules.least_loaded([1, 2, 3], [10, 11, 12, 13], 2, lambda m, a: (m, a) == (1, 11))
    assert plan == {10: [1, 2], 11: [2, 3], 12: [1, 3], 13: [1, 2]}
    loads = [sum(m in chosen for chosen in plan.values()) for m in (1, 2, 3)]
    assert max(loads) - min(loads) <= 1


# --- composition and invitations --------------------------------------------------------


def test_existing_user_is_seated_at_once_and_told(
    app, client, auth, create_commission_case, create_user, mailbox
):
    case = create_commission_case(1)
    expert = create_user("expert@example.kz", full_name="Эксперт", locale="ru")
    auth.as_user(case.coordinator)
    response = client.post(
        f"/manage/competitions/{case.competition_id}/commission/members",
        data={
            "email": "Expert@Example.kz",
            "full_name": "Эксперт Эсперов",
            "job_title": "ҮЕҰ жетекшісі",
            "role": "member",
            "voting": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        seat = db.session.scalars(
            select(CommissionMember).where(CommissionMember.email == "expert@example.kz")
        ).one()
        assert (seat.user_id, seat.voting, seat.job_title) == (expert.id, True, "ҮЕҰ жетекшісі")
        assert db.session.get(User, expert.id).has_role(Role.COMMISSION_MEMBER)
    message = mailbox.wait_for("expert@example.kz")[0]
    assert message["Subject"] == "Вы в составе конкурсной комиссии"
    assert "ваша роль: Член" in body_text(message)


def test_invitation_creates_the_account_on_acceptance(
    app, client, auth, create_commission_case, mailbox
):
    case = create_commission_case(1)
    auth.as_user(case.coordinator)
    client.post(
        f"/manage/competitions/{case.competition_id}/commission/members",
        data={"email": "new@example.kz", "full_name": "Жаңа Мүше", "role": "member", "voting": "y"},
    )
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(User).filter_by(email="new@example.kz")
            )
            == 0
        )
    link = re.search(
        r"http://\S+/commission/invitations/\S+", body_text(mailbox.wait_for("new@example.kz")[0])
    ).group(0)
    path = link.split("localhost", 1)[1]
    auth.logout()
    assert "Жаңа Мүше" in client.get(path).text
    short = client.post(
        path, data={"full_name": "Жаңа Мүше", "password": "x", "password_confirm": "x"}
    )
    assert short.status_code == 200 and 'value="Жаңа Мүше"' in short.text  # kept on error
    done = client.post(
        path,
        data={
            "full_name": "Жаңа Мүше",
            "password": "long-enough-pass",
            "password_confirm": "long-enough-pass",
            "consent": "y",
        },
    )
    assert done.headers["Location"] == f"/commission/competitions/{case.competition_id}"
    with app.app_context():
        user = db.session.scalars(select(User).filter_by(email="new@example.kz")).one()
        seat = db.session.scalars(select(CommissionMember).filter_by(email="new@example.kz")).one()
        assert (
            seat.user_id == user.id
            and user.email_confirmed
            and user.has_role(Role.COMMISSION_MEMBER)
        )
    # the link is used up
    assert client.post(path, data={}).status_code == 302
    assert client.get("/commission").status_code == 200


def test_one_chair_only(client, auth, create_commission_case):
    case = create_commission_case(1)
    auth.as_user(case.coordinator)
    response = client.post(
        f"/manage/competitions/{case.competition_id}/commission/members",
        data={
            "email": "x@example.kz",
            "full_name": "Екінші Төраға",
            "role": "chair",
            "voting": "y",
        },
    )
    assert response.status_code == 200
    assert "Комиссияда төраға немесе хатшы бұрыннан бар." in response.text
    assert 'value="Екінші Төраға"' in response.text


def test_approval_protocol_docx_cell_by_cell(app, client, auth, create_commission_case):
    case = create_commission_case(1)
    auth.as_user(case.coordinator)
    response = client.get(
        f"/manage/competitions/{case.competition_id}/commission/approval.docx?lang=ru"
    )
    doc = Document(io.BytesIO(response.data))
    assert doc.paragraphs[0].text == "Протокол № 1 об утверждении состава комиссии"
    table = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["№", "ФИО", "Должность и организация", "Роль в комиссии", "Голос"]
    assert rows[1] == ["1", "Айгүл Төраға", "chair position", "Председатель", "с правом голоса"]
    assert rows[2] == ["2", "Бауыржан Хатшы", "secretary position", "Секретарь", "с правом голоса"]
    assert rows[3] == ["3", "Сәуле Мүше", "member position", "Член", "с правом голоса"]


def test_cli_exports_approval_protocol(app, runner, create_commission_case, tmp_path):
    case = create_commission_case(1)
    out = tmp_path / "approval.docx"
    result = runner.invoke(
        args=[
            "export",
            "protocol",
            str(case.competition_id),
            "--kind",
            "approval",
            "--lang",
            "kk",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "Комиссия мүшелерін бекіту туралы № 1 хаттама"
    assert [c.text for c in doc.tables[0].rows[3].cells][1] == "Сәуле Мүше"


# --- conflicts of interest --------------------------------------------------------------


def test_a_member_declares_before_seeing_the_application(client, auth, create_commission_case):
    case = create_commission_case(1)
    auth.as_user(case.member)
    page = client.get(f"/commission/applications/{case.application_ids[0]}").text
    assert 'data-testid="declaration"' in page
    assert "Жастар арасында синтетикалық есірткі таралып барады." not in page
    assert _declare(client, case.application_ids[0]).status_code == 302
    page = client.get(f"/commission/applications/{case.application_ids[0]}").text
    assert "Жастар арасында синтетикалық есірткі таралып барады." in page
    assert 'data-testid="score-sheet"' in page


def test_a_conflict_closes_the_application_everywhere(app, client, auth, create_commission_case):
    case = create_commission_case(2)
    target, other = case.application_ids
    auth.as_user(case.member)
    assert _declare(client, other).status_code == 302
    response = _declare(client, target, conflict=True, ground="relative", reason="ағам")
    assert response.status_code == 302
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id).filter_by(application_id=target))
        number = db.session.get(Application, target).number
    assert client.get(f"/commission/applications/{target}").status_code == 403
    assert client.get(f"/applications/{target}").status_code == 403
    assert client.get(f"/attachments/{attachment_id}").status_code == 403
    assert client.get(f"/applications/{target}.docx").status_code == 403
    assert _sheet(client, app, case, target, (5, 5)).status_code == 403
    listing = client.get(f"/commission/competitions/{case.competition_id}").text
    assert f'data-application="{number}"' not in listing
    assert listing.count("data-application=") == 1  # the cleared one
    searched = client.get(f"/commission/competitions/{case.competition_id}?q={number}").text
    assert "data-application=" not in searched

    # the cleared one stays open, files included
    assert client.get(f"/applications/{other}.docx").status_code == 200
    # a conflict cannot be withdrawn by the member
    with app.app_context():
        declaration = db.session.scalars(
            select(ConflictDeclaration).filter_by(application_id=target)
        ).one()
        assert (declaration.conflict, declaration.ground.value, declaration.reason) == (
            True,
            "relative",
            "ағам",
        )


def test_conflict_needs_a_ground_and_keeps_what_was_typed(client, auth, create_commission_case):
    case = create_commission_case(1)
    auth.as_user(case.member)
    response = _declare(client, case.application_ids[0], conflict=True, reason="менің ұйымым")
    assert response.status_code == 200
    assert "Қақтығыстың негізін таңдаңыз." in response.text
    assert "менің ұйымым" in response.text


def test_coordinator_records_a_conflict_and_the_sheet_goes(
    app, client, auth, create_commission_case
):
    case = create_commission_case(1)
    application_id = case.application_ids[0]
    auth.as_user(case.member)
    _declare(client, application_id)
    _sheet(client, app, case, application_id, (7, 3), action="save")
    auth.as_user(case.coordinator)
    response = client.post(
        f"/commission/applications/{application_id}/conflicts",
        data={"member_id": case.member_ids["member"], "ground": "paid_last_year", "reason": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0
        entry = db.session.scalars(select(AuditLog).filter_by(action="commission.conflict")).one()
        assert entry.payload["by_self"] is False
    auth.as_user(case.member)
    assert client.get(f"/commission/applications/{application_id}").status_code == 403


def test_an_ordinary_member_cannot_record_conflicts(client, auth, create_commission_case):
    case = create_commission_case(1)
    auth.as_user(case.member)
    response = client.post(
        f"/commission/applications/{case.application_ids[0]}/conflicts",
        data={"member_id": case.member_ids["secretary"], "ground": "relative"},
    )
    assert response.status_code == 403


# --- score sheets -----------------------------------------------------------------------


def test_sheet_draft_submit_lock_and_chair_reopen(app, client, auth, create_commission_case):
    case = create_commission_case(1)
    application_id = case.application_ids[0]
    auth.as_user(case.member)
    _declare(client, application_id)
    # a draft may have blanks
    ids = _criteria(app, case.competition_id)
    draft = client.post(
        f"/commission/applications/{application_id}/sheet",
        data={f"points-{ids[0]}": "7", f"points-{ids[1]}": "", "action": "save", "comment": "әлі"},
    )
    assert draft.status_code == 302
    # submitting with a blank is refused and keeps the values
    refused = client.post(
        f"/commission/applications/{application_id}/sheet",
        data={f"points-{ids[0]}": "8", f"points-{ids[1]}": "", "action": "submit", "comment": "ой"},
    )
    assert refused.status_code == 200
    assert "Жібермес бұрын әр өлшемшартқа балл қойыңыз." in refused.text
    assert 'value="8"' in refused.text and ">ой</textarea>" in refused.text
    # out of range: named, kept
    over = _sheet(client, app, case, application_id, (11, 5))
    assert over.status_code == 200
    assert "0 мен 10 аралығында балл қойыңыз." in over.text and 'value="11"' in over.text
    # digits that are not 0–9, and numbers past any column: named, kept, no server error
    for odd in ("²", "٣", "9" * 40, "-1", "7.5"):
        odd_sheet = _sheet(client, app, case, application_id, (odd, 5))
        assert odd_sheet.status_code == 200, odd
        assert "0 мен 10 аралығында балл қойыңыз." in odd_sheet.text, odd
        assert f'value="{odd}"' in odd_sheet.text, odd
    assert _sheet(client, app, case, application_id, (8, 4)).status_code == 302
    with app.app_context():
        sheet = db.session.scalars(select(ScoreSheet)).one()
        assert sheet.status == SheetStatus.SUBMITTED
        assert sheet.points_by_criterion() == {ids[0]: 8, ids[1]: 4}
        sheet_id = sheet.id
    locked = _sheet(client, app, case, application_id, (1, 1))
    assert "Парақ жіберілген және құлыпталған; оны тек төраға қайта аша алады." in locked.text
    # the member is no chair
    assert (
        client.post(f"/commission/sheets/{sheet_id}/reopen", data={"reason": "x"}).status_code
        == 403
    )
    auth.as_user(case.chair)
    # the chair reopens a sheet on the application's page, not from a list of every sheet
    reopen = f'action="/commission/sheets/{sheet_id}/reopen"'
    assert reopen in client.get(f"/commission/applications/{application_id}").text
    assert reopen not in client.get(f"/commission/competitions/{case.competition_id}").text
    response = client.post(f"/commission/sheets/{sheet_id}/reopen", data={"reason": "қате балл"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/commission/applications/{application_id}#submitted"
    with app.app_context():
        assert db.session.get(ScoreSheet, sheet_id).status == SheetStatus.DRAFT
        entry = db.session.scalars(select(AuditLog).filter_by(action="score.reopen")).one()
        assert (entry.actor_id, entry.payload["reason"]) == (case.chair.id, "қате балл")


def test_others_scores_only_after_own_submit_and_closing(app, client, auth, create_commission_case):
    case = create_commission_case(1)
    a = case.application_ids[0]
    _score_all(client, auth, app, case, {"chair": [(8, 4)], "member": [(6, 5)]})
    auth.as_user(case.secretary)
    _declare(client, a)
    auth.as_user(case.member)
    assert 'data-testid="others-scores"' not in client.get(f"/commission/applications/{a}").text
    _close_scoring(client, auth, case)
    auth.as_user(case.member)
    page = client.get(f"/commission/applications/{a}").text
    assert 'data-testid="others-scores"' in page and "Айгүл Төраға" in page
    auth.as_user(case.secretary)  # declared, never submitted
    assert 'data-testid="others-scores"' not in client.get(f"/commission/applications/{a}").text
    # and scoring is closed: nothing more is accepted
    assert "Бағалау ашық емес." in _sheet(client, app, case, a, (1, 1)).text


def test_progress_matrix_and_reminders(app, client, auth, create_commission_case, mailbox):
    case = create_commission_case(2)
    first, second = case.application_ids
    auth.as_user(case.chair)
    _declare(client, first)
    _sheet(client, app, case, first, (5, 5))
    _declare(client, second, conflict=True, ground="head_or_board")
    auth.as_user(case.member)
    _declare(client, first)
    _sheet(client, app, case, first, (5, 5), action="save")
    auth.as_user(case.coordinator)
    page = client.get(f"/manage/competitions/{case.competition_id}/scoring").text
    chair, member, secretary = (case.member_ids[k] for k in ("chair", "member", "secretary"))
    assert f'data-cell="{chair}-{first}" data-state="submitted"' in page
    assert f'data-cell="{chair}-{second}" data-state="conflict"' in page
    assert f'data-cell="{member}-{first}" data-state="draft"' in page
    assert f'data-cell="{secretary}-{second}" data-state="undeclared"' in page
    assert re.search(rf'data-testid="done-{chair}">1 / 1<', page)
    assert re.search(rf'data-testid="done-{member}">0 / 2<', page)
    assert "Жіберілген парақтар: 1 / 5." in page  # the chair's conflict is not counted
    client.post(f"/manage/competitions/{case.competition_id}/scoring/remind")
    assert len(mailbox.wait_for("member1@example.kz")) == 1
    assert len(mailbox.wait_for("secretary@example.kz")) == 1
    assert "2 өтінім" in body_text(mailbox.to("member1@example.kz")[0])
    assert mailbox.to("chair@example.kz") == []


def test_least_loaded_assignment_limits_who_scores(app, client, auth, create_commission_case):
    case = create_commission_case(3)
    auth.as_user(case.coordinator)
    response = client.post(
        f"/manage/competitions/{case.competition_id}/commission/assign", data={"k": "2"}
    )
    assert response.status_code == 302
    with app.app_context():
        from smallgrants.commission.models import Assignment

        rows = db.session.execute(select(Assignment.member_id, Assignment.application_id)).all()
    assert len(rows) == 6
    per_member = {}
    for member_id, _ in rows:
        per_member[member_id] = per_member.get(member_id, 0) + 1
    assert sorted(per_member.values()) == [2, 2, 2]
    unassigned = next(
        a for a in case.application_ids if (case.member_ids["member"], a) not in set(rows)
    )
    auth.as_user(case.member)
    listing = client.get(f"/commission/competitions/{case.competition_id}").text
    with app.app_context():
        assert db.session.get(Application, unassigned).number not in listing


# --- ranking ----------------------------------------------------------------------------


def test_ranking_exact_values_and_conflicted_sheets_never_count(
    app, client, auth, create_commission_case
):
    case = create_commission_case(2)
    a, b = case.application_ids
    # criteria: (max 10, weight 2), (max 5, weight 1)
    # chair on a: (2·8/10 + 4/5) / 3 × 100 = 80; member on a: (2·6/10 + 5/5) / 3 × 100 = 220/3
    _score_all(client, auth, app, case, {"chair": [(8, 4), (10, 5)], "member": [(6, 5), (5, 0)]})
    with app.app_context():
        commission = db.session.get(Commission, case.competition_id)
        rows = {r.application.id: r for r in queries.ranking(commission)}
        assert rows[a].stats.mean == Fraction(460, 6)  # (80 + 220/3) / 2
        assert rows[a].stats.n == 2
        assert rows[b].stats.mean == Fraction(200, 3)  # chair 100, member (2·5/10 + 0)/3·100
        assert [rows[a].rank, rows[b].rank] == [1, 2]
        before = rows[a].stats
        # a sheet by a conflicted member, slipped in behind the services' back, is ignored
        secretary = case.member_ids["secretary"]
        db.session.add(
            ConflictDeclaration(
                member_id=secretary, application_id=a, conflict=True, ground="relative"
            )
        )
        sheet = ScoreSheet(member_id=secretary, application_id=a, status=SheetStatus.SUBMITTED)
        sheet.points = [
            ScorePoint(criterion_id=c, points=0) for c in _criteria(app, case.competition_id)
        ]
        db.session.add(sheet)
        db.session.commit()
        assert {r.application.id: r for r in queries.ranking(commission)}[a].stats == before


def test_ties_are_marked_and_the_rule_is_shown(app, client, auth, create_commission_case):
    case = create_commission_case(2)
    # same total 80, different heaviest-criterion points: (8, 4) vs (10, 2)... (2·10/10+2/5)/3 = 80
    _score_all(client, auth, app, case, {"chair": [(8, 4), (10, 2)]})
    with app.app_context():
        commission = db.session.get(Commission, case.competition_id)
        commission.tie_break_rule = "heaviest_criterion"
        db.session.commit()
    auth.as_user(case.coordinator)
    page = client.get(f"/manage/competitions/{case.competition_id}/ranking").text
    assert page.count('data-testid="tied"') == 2
    with app.app_context():
        commission = db.session.get(Commission, case.competition_id)
        rows = queries.ranking(commission)
        hints = [queries.tie_break_hint(commission, r, rows) for r in rows]
        assert sorted(hints) == [(1, Fraction(10)), (2, Fraction(8))]


# --- meeting, decisions, signing, results -----------------------------------------------


def _meeting(client, case, modes, number="2", place="", link="https://zoom.us/j/123"):
    data = {"number": number, "held_at": "2023-09-20T15:00", "place": place, "online_link": link}
    data |= {f"mode-{case.member_ids[role]}": mode for role, mode in modes.items()}
    return client.post(f"/manage/competitions/{case.competition_id}/meeting", data=data)


def _decide(client, case, application_id, outcome="award", amount="300 000", **extra):
    data = {f"d{application_id}-outcome": outcome, f"d{application_id}-amount": amount}
    data |= {f"d{application_id}-{k}": v for k, v in extra.items()}
    return client.post(
        f"/manage/competitions/{case.competition_id}/meeting/decisions/{application_id}", data=data
    )


def test_no_decision_without_quorum(app, client, auth, create_commission_case):
    case = create_commission_case(1)
    _score_all(client, auth, app, case, {"chair": [(8, 4)]})
    _close_scoring(client, auth, case)
    assert (
        _meeting(
            client, case, {"chair": "online", "secretary": "absent", "member": "absent"}
        ).status_code
        == 302
    )
    page = client.get(f"/manage/competitions/{case.competition_id}/meeting").text
    assert "Дауыс беретін 3 мүшеден 1 мүше қатысты; кворум (кемінде 2) жоқ." in page
    response = _decide(client, case, case.application_ids[0])
    assert "Кворум жоқ: шешім жазуға болмайды." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_conflicted_members_leave_the_application_quorum(app, client, auth, create_commission_case):
    case = create_commission_case(1)
    a = case.application_ids[0]
    auth.as_user(case.chair)
    _declare(client, a, conflict=True, ground="relative")
    auth.as_user(case.secretary)
    _declare(client, a, conflict=True, ground="head_or_board")
    _score_all(client, auth, app, case, {"member": [(8, 4)]})
    _close_scoring(client, auth, case)
    # 2 of 3 present: the meeting has its quorum; for this application only the member is left,
    # and the member is absent
    _meeting(client, case, {"chair": "in_person", "secretary": "online", "member": "absent"})
    response = _decide(client, case, a)
    assert "Мүдделер қақтығысы бар мүшелерсіз бұл өтінім бойынша кворум жоқ." in response.text


def test_pool_and_count_are_never_exceeded(app, client, auth, create_commission_case):
    case = create_commission_case(3, grant_count=2, grant_amount=300_000)
    _score_all(
        client,
        auth,
        app,
        case,
        {"chair": [(8, 4), (7, 4), (6, 4)], "member": [(8, 4), (7, 4), (6, 4)]},
    )
    _close_scoring(client, auth, case)
    _meeting(client, case, {"chair": "in_person", "secretary": "online", "member": "online"})
    a, b, c = case.application_ids
    too_much = _decide(client, case, a, amount="300 001")
    assert "Сома 1 теңгеден 300\xa0000\xa0₸ дейін болуы керек." in too_much.text
    assert 'value="300 001"' in too_much.text  # kept
    assert (
        _decide(
            client, case, a, votes_for="3", votes_against="0", votes_abstain="0", rationale="Үздік"
        ).status_code
        == 302
    )
    assert _decide(client, case, b, amount="250 000").status_code == 302
    third = _decide(client, case, c)
    assert "Барлық 2 грант берілді." in third.text
    assert _decide(client, case, c, outcome="reserve").status_code == 302
    more_votes = _decide(client, case, b, amount="250 000", votes_for="4")
    assert "Дауыстар қатысқан дауыс беретін мүшелер санынан (3) көп." in more_votes.text
    with app.app_context():
        rows = db.session.execute(
            select(Decision.application_id, Decision.outcome, Decision.amount).order_by(
                Decision.application_id
            )
        ).all()
        assert [(r[1].value, r[2]) for r in rows] == [
            ("award", 300_000),
            ("award", 250_000),
            ("reserve", None),
        ]
        assert queries.awarded(db.session.get(Commission, case.competition_id).meeting.id) == (
            550_000,
            2,
        )


def test_a_tied_application_needs_the_tie_break_recorded(app, client, auth, create_commission_case):
    case = create_commission_case(2)
    _score_all(client, auth, app, case, {"chair": [(8, 4), (8, 4)], "member": [(8, 4), (8, 4)]})
    _close_scoring(client, auth, case)
    _meeting(client, case, {"chair": "in_person", "secretary": "online", "member": "online"})
    a = case.application_ids[0]
    response = _decide(client, case, a)
    assert "Бұл өтінімнің баллы басқасымен тең: теңдік қалай шешілгенін жазыңыз." in response.text
    assert _decide(client, case, a, tie_break="дауыс беру 3–0").status_code == 302


def _full_meeting(client, auth, app, case, sign_locale="kk"):
    _score_all(
        client,
        auth,
        app,
        case,
        {
            "chair": [(8, 4), (7, 4), (3, 1)],
            "secretary": [(9, 5), (6, 3), (2, 1)],
            "member": [(7, 4), (7, 5), None],
        },
    )
    auth.as_user(case.member)
    _declare(client, case.application_ids[2], conflict=True, ground="relative", reason="қызым")
    _close_scoring(client, auth, case)
    _meeting(
        client,
        case,
        {"chair": "in_person", "secretary": "online", "member": "online"},
        place="Талдықорған",
    )
    a, b, c = case.application_ids
    assert (
        _decide(
            client, case, a, votes_for="3", votes_against="0", votes_abstain="0", rationale="Өзекті"
        ).status_code
        == 302
    )
    assert (
        _decide(
            client, case, b, amount="250 000", votes_for="2", votes_against="1", votes_abstain="0"
        ).status_code
        == 302
    )
    assert (
        _decide(client, case, c, outcome="reject", rationale="Бюджеті негізсіз").status_code == 302
    )
    if sign_locale is None:
        return None
    return client.post(
        f"/manage/competitions/{case.competition_id}/meeting/sign", data={"locale": sign_locale}
    )


def test_meeting_protocol_docx_cell_by_cell(app, client, auth, create_commission_case):
    case = create_commission_case(3)
    _full_meeting(client, auth, app, case, sign_locale=None)
    response = client.get(
        f"/manage/competitions/{case.competition_id}/meeting/protocol.docx?lang=ru"
    )
    doc = Document(io.BytesIO(response.data))
    assert doc.paragraphs[0].text == "Протокол № 2 заседания комиссии"
    attendance, recusals, scores, details = (
        [[c.text for c in r.cells] for r in t.rows] for t in doc.tables[:4]
    )
    assert attendance[1] == [
        "1",
        "Айгүл Төраға",
        "Председатель",
        "chair position",
        "с правом голоса",
        "Очно",
    ]
    assert attendance[3][5] == "Онлайн"
    texts = [p.text for p in doc.paragraphs]
    assert "Присутствовали 3 из 3 членов с правом голоса; кворум (не менее 2) имеется." in texts
    with app.app_context():
        numbers = [db.session.get(Application, i).number for i in case.application_ids]
    assert recusals[1] == [
        "Сәуле Мүше",
        numbers[2],
        "Мой близкий родственник работает там или состоит в группе; қызым",
    ]
    # a: chair 80, secretary (2·9/10 + 1)/3·100 = 280/3, member (2·7/10 + 4/5)/3·100 = 220/3
    # → mean 82.22
    assert scores[0] == [
        "Место",
        "№",
        "Заявитель",
        "Вид",
        "Район",
        "Листов",
        "Среднее",
        "Медиана",
        "Ст. откл.",
        "Решение",
        "Сумма",
    ]
    assert scores[1][:4] == ["1", numbers[0], "Топ 1", "Инициативная группа"]
    assert scores[1][5:8] == ["3", "82,22", "80"]
    assert scores[1][9:] == ["Выделить грант", "300\xa0000\xa0₸"]
    assert scores[3][1] == numbers[2] and scores[3][5] == "2"  # the conflicted member left out
    assert details[1] == [numbers[0], "3 / 0 / 0", "Өзекті", ""]


def test_signing_freezes_everything_and_addenda_correct(app, client, auth, create_commission_case):
    case = create_commission_case(3)
    assert _full_meeting(client, auth, app, case).status_code == 302
    with app.app_context():
        meeting = db.session.scalars(select(Meeting)).one()
        sha = meeting.protocol_sha256
        assert meeting.signed_at is not None and meeting.protocol_locale == "kk"
        # both languages signed at once, each its own file and hash
        hashes = {p.locale: p.sha256 for p in meeting.signed_protocols}
        assert set(hashes) == {"kk", "ru"} and hashes["kk"] == sha and hashes["ru"] != sha
        audit = db.session.scalars(select(AuditLog).filter_by(action="meeting.sign")).one()
        assert audit.payload["sha256_by_locale"] == hashes
    url = f"/manage/competitions/{case.competition_id}/meeting/protocol.docx"
    for lang, title in (
        ("ru", "Протокол № 2 заседания комиссии"),
        ("kk", "Комиссия отырысының № 2 хаттамасы"),
    ):
        signed = client.get(f"{url}?lang={lang}")
        assert signed.headers["Content-Disposition"].endswith(f"-{lang}.docx")
        assert hashlib.sha256(signed.data).hexdigest() == hashes[lang]
        assert Document(io.BytesIO(signed.data)).paragraphs[0].text == title
    # frozen: decisions, meeting, scores, members, conflicts
    a = case.application_ids[0]
    refusal = "Отырыс хаттамасына қол қойылған: түзетулер тек қосымша арқылы."
    assert refusal in _decide(client, case, a, outcome="reject").text
    assert refusal in _meeting(client, case, {"chair": "absent"}).text
    with app.app_context():
        sheet_id = db.session.scalar(select(ScoreSheet.id).where(ScoreSheet.application_id == a))
    auth.as_user(case.chair)
    client.post(f"/commission/sheets/{sheet_id}/reopen", data={"reason": "x"})
    with app.app_context():
        assert db.session.get(ScoreSheet, sheet_id).status == SheetStatus.SUBMITTED
        assert (
            db.session.scalars(select(Decision).filter_by(application_id=a)).one().outcome.value
            == "award"
        )
    auth.as_user(case.coordinator)
    client.post(
        f"/manage/competitions/{case.competition_id}/meeting/addenda",
        data={"text": "Тегі қате жазылған."},
    )
    page = client.get(f"/manage/competitions/{case.competition_id}/meeting").text
    assert "Тегі қате жазылған." in page and sha in page
    assert (
        hashlib.sha256(
            client.get(f"/manage/competitions/{case.competition_id}/meeting/protocol.docx").data
        ).hexdigest()
        == sha
    )


def test_sign_needs_every_decision(app, client, auth, create_commission_case):
    case = create_commission_case(2)
    _score_all(client, auth, app, case, {"chair": [(8, 4), (7, 4)], "member": [(8, 4), (7, 4)]})
    _close_scoring(client, auth, case)
    _meeting(client, case, {"chair": "in_person", "secretary": "online", "member": "online"})
    _decide(client, case, case.application_ids[0])
    response = client.post(
        f"/manage/competitions/{case.competition_id}/meeting/sign",
        data={"locale": "kk"},
        follow_redirects=True,
    )
    assert "Алдымен әр қабылданған өтінім бойынша шешім жазыңыз (2 ішінен 1)." in response.text


def test_publish_results_page_and_emails_in_each_language(
    app, client, auth, create_commission_case, mailbox
):
    case = create_commission_case(3, locales=("kk", "ru", "en"))
    with app.app_context():
        db.session.get(Commission, case.competition_id).show_score_in_results = True
        db.session.commit()
    _full_meeting(client, auth, app, case)
    assert client.get(f"/competitions/{case.competition_id}/results").status_code == 404
    response = client.post(f"/manage/competitions/{case.competition_id}/results/publish")
    assert response.headers["Location"] == f"/competitions/{case.competition_id}/results"
    auth.logout()
    page = client.get(f"/competitions/{case.competition_id}/results").text
    assert "Топ 1" in page and "Топ 2" in page and "Топ 3" not in page
    assert re.search(r'data-testid="total">550\xa0000\xa0₸<', page)
    kk = body_text(mailbox.wait_for("applicant1@example.kz")[0])
    ru = body_text(mailbox.wait_for("applicant2@example.kz")[0])
    en = body_text(mailbox.wait_for("applicant3@example.kz")[0])
    assert "300\xa0000\xa0₸ грант" in kk and "Сіздің балыңыз: 100-ден 82,22." in kk
    # b: chair (7, 4) → 220/3, secretary (6, 3) → 60, member (7, 5) → 80; mean 71.11
    assert "250\xa0000\xa0₸" in ru and "Ваш балл: 71,11 из 100." in ru
    assert "was not selected this time" in en
    with app.app_context():
        sent = db.session.scalars(select(OutboxMessage).filter_by(template="results")).all()
        assert sorted(m.status.value for m in sent) == ["sent", "sent", "sent"]
        assert db.session.scalars(
            select(AuditLog).filter_by(action="commission.publish")
        ).one().payload == {"emails": 3, "from": "signed", "to": "published"}
    # published once
    auth.as_user(case.coordinator)
    again = client.post(
        f"/manage/competitions/{case.competition_id}/results/publish", follow_redirects=True
    )
    assert "Нәтижелерді жарияламас бұрын отырыс хаттамасына қол қойыңыз." in again.text


@pytest.mark.real_commits  # threads on connections of their own
def test_concurrent_awards_never_exceed_the_number_of_grants(
    app, client, auth, create_commission_case
):
    from smallgrants.commission import services

    case = create_commission_case(6, grant_count=3)
    _score_all(client, auth, app, case, {"chair": [(8, 4 - i % 4) for i in range(6)]})
    _close_scoring(client, auth, case)
    _meeting(client, case, {"chair": "in_person", "secretary": "online", "member": "online"})
    barrier = threading.Barrier(len(case.application_ids))
    awarded, refused, errors = [], [], []

    def worker(application_id):
        with app.test_request_context(method="POST"):  # as the form posts it
            # all at once, before any of them reads (on SQLite the first read takes the lock)
            barrier.wait()
            commission = db.session.get(Commission, case.competition_id)
            application = db.session.get(Application, application_id)
            actor = db.session.get(User, case.coordinator.id)
            # the points tie in pairs: the decision records how (the service finds the ties)
            data = services.DecisionInput(
                Outcome.AWARD, 300_000, None, None, None, "", "тең балл: дауыс беру"
            )
            try:
                services.decide(actor, commission, application, data)
                db.session.commit()
                awarded.append(application_id)
            except services.CommissionError as error:
                refused.append(str(error.message))
                db.session.rollback()
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))
                db.session.rollback()

    threads = [threading.Thread(target=worker, args=(i,)) for i in case.application_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(awarded) == 3
    assert refused == ["Барлық 3 грант берілді."] * 3
    with app.app_context():
        meeting_id = db.session.get(Commission, case.competition_id).meeting.id
        assert queries.awarded(meeting_id) == (900_000, 3)


def test_property_a_conflicted_sheet_never_changes_a_score(
    app, client, auth, create_commission_case
):
    """Whatever points a conflicted member's sheet holds (slipped in behind the services),
    every application's statistics and rank stay as they were."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    case = create_commission_case(2)
    _score_all(client, auth, app, case, {"chair": [(8, 4), (6, 2)], "member": [(5, 5), (9, 1)]})
    criteria = _criteria(app, case.competition_id)
    secretary = case.member_ids["secretary"]

    def snapshot():
        commission = db.session.get(Commission, case.competition_id)
        return [(r.application.id, r.stats, r.rank) for r in queries.ranking(commission)]

    with app.app_context():
        before = snapshot()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(case.application_ids), st.integers(0, 10), st.integers(0, 5))
    def check(application_id, first, second):
        with app.app_context():
            db.session.add(
                ConflictDeclaration(
                    member_id=secretary,
                    application_id=application_id,
                    conflict=True,
                    ground="relative",
                )
            )
            sheet = ScoreSheet(
                member_id=secretary, application_id=application_id, status=SheetStatus.SUBMITTED
            )
            sheet.points = [
                ScorePoint(criterion_id=criteria[0], points=first),
                ScorePoint(criterion_id=criteria[1], points=second),
            ]
            db.session.add(sheet)
            db.session.flush()
            try:
                assert snapshot() == before
            finally:
                db.session.rollback()

    check()


def test_signing_checks_the_pool_the_count_and_each_quorum_again(
    app, client, auth, create_grant_case
):
    """Awards that reached the table beyond the pool and the count (here: the count lowered
    behind the services, as a race on an unserialised database once did) are not signed;
    nor is a decision whose application lost its quorum to a conflict declared later."""
    from smallgrants.commission.models import (
        AttendanceMode,
        CommissionMember,
        ConflictDeclaration,
        Outcome,
    )
    from smallgrants.commission.models import ConflictGround as Ground

    case = create_grant_case(3, until="meeting", grant_count=3)
    with app.test_request_context(method="POST"):
        from smallgrants.auth.models import User
        from smallgrants.commission import services

        coordinator = db.session.get(User, case.coordinator.id)
        commission = db.session.get(Commission, case.competition_id)
        for application_id in case.application_ids:
            services.decide(
                coordinator,
                commission,
                db.session.get(Application, application_id),
                services.DecisionInput(Outcome.AWARD, None, None, None, None, "", ""),
            )
        commission.competition.grant_count = 2  # behind the services
        db.session.commit()
    auth.as_user(case.coordinator)
    url = f"/manage/competitions/{case.competition_id}/meeting/sign"
    refused = client.post(url, data={"locale": "kk"}, follow_redirects=True)
    assert (
        "Шешімдер 900\u00a0000\u00a0₸ сомасына 3 грант береді; байқауда 2 грант және "
        "600\u00a0000\u00a0₸ қор бар. Қол қоймас бұрын шешімдерді түзетіңіз."
    ) in refused.text
    with app.app_context():
        assert db.session.scalars(select(Meeting)).one().signed_at is None
        competition = db.session.get(Commission, case.competition_id).competition
        competition.grant_count = 3
        # the secretary was absent after all (2 of 3 present: a quorum), and the chair
        # recuses from the first application (1 of the other 2 present: none for it)
        first = case.application_ids[0]
        meeting = db.session.scalars(select(Meeting)).one()
        secretary = next(
            a for a in meeting.attendance if a.member_id == case.member_ids["secretary"]
        )
        secretary.mode = AttendanceMode.ABSENT
        chair = db.session.get(CommissionMember, case.member_ids["chair"])
        declaration = db.session.scalars(
            select(ConflictDeclaration).where(
                ConflictDeclaration.member_id == chair.id,
                ConflictDeclaration.application_id == first,
            )
        ).one()
        declaration.conflict, declaration.ground = True, Ground.RELATIVE
        db.session.commit()
        number = db.session.get(Application, first).number
    refused = client.post(url, data={"locale": "kk"}, follow_redirects=True)
    assert (
        f"Мүдделер қақтығысы бар мүшелерсіз {number} үшін кворум жоқ: бұл шешімдерге қол "
        "қоюға болмайды."
    ) in refused.text
    with app.app_context():
        assert db.session.scalars(select(Meeting)).one().signed_at is None
