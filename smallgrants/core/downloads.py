"""Documents the app builds and hands over: which language a document is asked in, and the
response that carries it (attachment, type from the file name, never cached)."""

from __future__ import annotations

from io import BytesIO

from flask import request, send_file

from smallgrants.core import uploads
from smallgrants.core.i18n import current_locale
from smallgrants.core.uploads import MIME

DOCUMENT_LOCALES = ("kk", "ru")


def document_locale() -> str:
    """`?lang=kk|ru`, else the page's language; documents are Kazakh or Russian (kk for en)."""
    lang = request.args.get("lang", current_locale())
    return lang if lang in DOCUMENT_LOCALES else "kk"


def document_response(data: bytes, name: str):
    response = send_file(
        BytesIO(data),
        as_attachment=True,
        download_name=name,
        mimetype=MIME[name.rsplit(".", 1)[-1]],
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(
    stored_name: str, kind: str, original_name: str, *, as_attachment: bool = True, private=True
):
    """An uploaded file, typed by what it is (`kind`, read from its content at upload) and
    named by `uploads.download_name`: no folders, no tricks, the kind's own extension."""
    response = send_file(
        uploads.path_of(stored_name),
        mimetype=MIME[kind],
        as_attachment=as_attachment,
        download_name=uploads.download_name(original_name, kind),
    )
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response
