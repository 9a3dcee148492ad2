"""Attachments: kinds by content, size limits, storage by SHA-256, served only to the allowed."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from smallgrants.applications.models import Application, Attachment
from smallgrants.core.uploads import detect_kind
from smallgrants.extensions import db
from tests.conftest import TINY_PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _docx() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _zip_named_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("evil.exe", b"MZ")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (TINY_PDF, "pdf"),
        (PNG, "png"),
        (JPG, "jpg"),
        (_docx(), "docx"),
        (_xlsx(), "xlsx"),
        (b"MZ\x90\x00", None),
        (b"<html>", None),
        (_zip_named_docx(), None),
        (b"PK\x03\x04bad", None),
    ],
)
def test_kind_is_read_from_the_content(data, kind):
    assert detect_kind(io.BytesIO(data)) == kind


@pytest.fixture
def draft(create_user, create_profile, create_competition, create_application, auth):
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    application = create_application(user, c, create_profile(user), complete=False)
    auth.as_user(user)
    return application


def _upload(client, application_id, data, name, item=""):
    return client.post(
        f"/applications/{application_id}/attachments",
        data={"file": (io.BytesIO(data), name), "checklist_item_id": item},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_upload_stores_under_a_random_name_with_its_hash(app, client, draft):
    data = _docx()
    response = _upload(client, draft.id, data, "Жарғы.docx")
    assert "«Жарғы.docx» файлы тіркелді." in response.text
    with app.app_context():
        attachment = db.session.query(Attachment).one()
        assert attachment.kind == "docx"
        assert attachment.sha256 == hashlib.sha256(data).hexdigest()
        assert attachment.size == len(data)
        stored = (
            Path(app.config["UPLOAD_DIR"]) / attachment.stored_name[:2] / (attachment.stored_name)
        )
        assert stored.read_bytes() == data
        assert "Жарғы" not in attachment.stored_name
    download = client.get(f"/attachments/{attachment.id}")
    assert download.data == data
    assert download.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert download.headers["Cache-Control"] == "private, no-store"
    download.close()


def test_a_renamed_executable_is_refused(app, client, draft):
    response = _upload(client, draft.id, b"MZ\x90\x00" * 10, "passport.pdf")
    assert "Тек PDF, DOCX, XLSX, JPG және PNG файлдары қабылданады." in response.text
    with app.app_context():
        assert db.session.query(Attachment).count() == 0


def test_size_limits_per_file_and_per_application(app, client, draft):
    app.config["UPLOAD_MAX_FILE_BYTES"] = 2 * 2**20
    app.config["UPLOAD_MAX_APPLICATION_BYTES"] = 3 * 2**20
    big = TINY_PDF + b"0" * (2 * 2**20)
    assert "Файл 2 МБ-тан үлкен." in _upload(client, draft.id, big, "big.pdf").text
    chunk = TINY_PDF + b"0" * (2**20 + 2**19)  # 1.5 MB
    _upload(client, draft.id, chunk, "one.pdf")
    _upload(client, draft.id, chunk, "two.pdf")
    response = _upload(client, draft.id, chunk, "three.pdf")
    assert "Бір өтінімнің барлық файлы ең көбі 3 МБ болуы мүмкін." in response.text


def test_required_documents_block_submission_until_attached(
    app, client, create_user, create_profile, create_competition, create_application, auth
):
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    application = create_application(user, c, create_profile(user))
    with app.app_context():
        a = db.session.get(Application, application.id)
        for attachment in list(a.attachments):
            db.session.delete(attachment)
        db.session.commit()
        item_id = a.competition.checklist[0].id
    auth.as_user(user)
    view = client.get(f"/applications/{application.id}").text
    assert "9. Құжаттар" in view
    assert 'data-testid="submit"' not in view
    _upload(client, application.id, TINY_PDF, "charter.pdf", str(item_id))
    view = client.get(f"/applications/{application.id}").text
    assert 'data-testid="submit"' in view


def test_other_applicants_cannot_download(app, client, create_user, auth, draft):
    _upload(client, draft.id, TINY_PDF, "x.pdf")
    with app.app_context():
        attachment_id = db.session.query(Attachment.id).scalar()
    auth.as_user(create_user("stranger@example.kz"))
    assert client.get(f"/attachments/{attachment_id}").status_code == 403


def test_submitted_application_files_are_frozen(
    app, client, create_user, create_profile, create_competition, create_application, auth
):
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    application = create_application(user, c, create_profile(user), submit=True)
    auth.as_user(user)
    assert (
        client.post(
            f"/applications/{application.id}/attachments",
            data={"file": (io.BytesIO(TINY_PDF), "x.pdf")},
            content_type="multipart/form-data",
        ).status_code
        == 403
    )
    with app.app_context():
        snapshot = db.session.get(Application, application.id).snapshot
    assert [f["name"] for f in snapshot["attachments"]] == ["doc.pdf"]
    assert snapshot["attachments"][0]["sha256"] == hashlib.sha256(TINY_PDF).hexdigest()


# --- issue 15: files go with their rows, downloads are named safely, bombs refused -------


def _files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in root.glob("*/*") if p.is_file())


def _only_attachment(app, application_id) -> Attachment:
    with app.app_context():
        return db.session.scalars(
            db.select(Attachment).where(Attachment.application_id == application_id)
        ).one()


@pytest.mark.real_commits  # a file goes when the commit reaches the database
def test_deleted_attachments_leave_the_disk(app, client, draft):
    big = TINY_PDF + b"%" + b"0" * (2 * 2**20)  # 2 MB, five times over
    before = _files(app)
    for _ in range(5):
        assert _upload(client, draft.id, big, "plan.pdf").status_code == 200
        attachment = _only_attachment(app, draft.id)
        assert len(_files(app)) == len(before) + 1
        response = client.post(f"/applications/{draft.id}/attachments/{attachment.id}/delete")
        assert response.status_code == 302
        assert _files(app) == before


@pytest.mark.real_commits
def test_a_refused_delete_keeps_the_file(app, draft):
    from smallgrants.core import uploads

    with app.app_context():
        stored = uploads.store(io.BytesIO(TINY_PDF), "pdf")
        uploads.discard_after_commit(stored.stored_name)
        db.session.rollback()
        assert uploads.path_of(stored.stored_name).exists()
        uploads.discard_after_commit(stored.stored_name)
        db.session.commit()
        assert not uploads.path_of(stored.stored_name).exists()


@pytest.mark.parametrize(
    ("uploaded", "offered"),
    [
        ("../../x.pdf", "x.pdf"),
        ("report.html", "report.pdf"),  # a PDF named .html downloads as what it is
        ("a:b;c|d.pdf", "abcd.pdf"),
        ("Жоба жоспары.pdf", "Жоба жоспары.pdf"),
    ],
)
def test_download_name_is_cleaned_and_typed_by_content(app, client, draft, uploaded, offered):
    assert _upload(client, draft.id, TINY_PDF, uploaded).status_code == 200
    attachment = _only_attachment(app, draft.id)
    response = client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    from werkzeug.http import parse_options_header

    _value, options = parse_options_header(response.headers["Content-Disposition"])
    assert options["filename"] == offered


def _bomb(unpacked: int) -> bytes:
    """A real DOCX with a large, highly compressible part."""
    out = io.BytesIO(_docx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/zeros.bin", b"\x00" * unpacked)
    return out.getvalue()


def test_a_docx_that_unpacks_too_far_is_refused(app, client, draft):
    app.config["UPLOAD_MAX_UNPACKED_BYTES"] = 2 * 2**20
    bomb = _bomb(3 * 2**20)
    assert len(bomb) < 64 * 1024  # small on the wire
    response = _upload(client, draft.id, bomb, "bomb.docx")
    assert (
        "Құжат ашылғанда 2 МБ-тан асады: оны ендірілген файлдарсыз немесе PDF ретінде "
        "қайта сақтаңыз."
    ) in response.text
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count(Attachment.id)).where(Attachment.application_id == draft.id)
            )
            == 0
        )
    assert _upload(client, draft.id, _bomb(2**20), "fine.docx").status_code == 200
    assert _only_attachment(app, draft.id).original_name == "fine.docx"


def test_prune_removes_only_old_files_no_row_names(app, runner, client, draft):
    import os
    import time

    from smallgrants.core import uploads

    assert _upload(client, draft.id, TINY_PDF, "kept.pdf").status_code == 200
    kept = _only_attachment(app, draft.id).stored_name
    with app.app_context():
        old = uploads.store(io.BytesIO(TINY_PDF), "pdf").stored_name
        young = uploads.store(io.BytesIO(TINY_PDF), "pdf").stored_name
        hours_ago = time.time() - 2 * 3600
        for name in (old, kept):
            os.utime(uploads.path_of(name), (hours_ago, hours_ago))
    result = runner.invoke(args=["uploads", "prune"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"removed 1 files, {len(TINY_PDF)} bytes"
    with app.app_context():
        assert not uploads.path_of(old).exists()
        assert uploads.path_of(young).exists()
        assert uploads.path_of(kept).exists()
