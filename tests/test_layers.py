"""The layers are checked, not hoped for: the import-linter contracts of pyproject.toml (run
by `make lint`) hold on the tree and fail on an upward import; no module imports another
module's private names; every permission predicate states its rule."""

from __future__ import annotations

import ast
import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGE = ROOT / "smallgrants"


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_import_contracts_hold_on_the_tree():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # a lower context reaching up: core → commission
        (
            "core/models.py",
            "from smallgrants.commission import services as _up  # noqa",
            "smallgrants.core is not allowed to import smallgrants.commission",
        ),
        # a policy reaching for the services of its own context
        (
            "grants/policies.py",
            "from smallgrants.grants import services as _up  # noqa",
            "smallgrants.grants.policies is not allowed to import smallgrants.grants.services",
        ),
        # a service importing a view
        (
            "reporting/services.py",
            "from smallgrants.reporting import views as _up  # noqa",
            "smallgrants.reporting.services is not allowed to import smallgrants.reporting.views",
        ),
    ],
)
def test_an_upward_import_breaks_the_contracts(tmp_path, module, line, broken):
    shutil.copytree(PACKAGE, tmp_path / "smallgrants", ignore=shutil.ignore_patterns("static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copy(ROOT / "config.py", tmp_path / "config.py")
    target = tmp_path / "smallgrants" / module
    target.write_text(target.read_text() + f"\n{line}\n")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1
    assert broken in " ".join(result.stdout.split()), result.stdout


def _private_imports() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
                "smallgrants"
            ):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.relative_to(ROOT)}: {node.module}.{alias.name}")
    return found


def test_no_module_imports_another_modules_private_names():
    assert _private_imports() == []


def test_every_permission_predicate_states_its_rule(app):
    from smallgrants.applications import policies as applications
    from smallgrants.auth import policies as auth
    from smallgrants.commission import policies as commission
    from smallgrants.competitions import policies as competitions
    from smallgrants.grants import policies as grants
    from smallgrants.mail import policies as mail
    from smallgrants.reporting import policies as reporting

    undocumented = [
        f"{module.__name__}.{name}"
        for module in (applications, auth, commission, competitions, grants, mail, reporting)
        for name, predicate in inspect.getmembers(module, inspect.isfunction)
        if name.startswith(("can_", "is_", "may_", "owns_"))
        and predicate.__module__ == module.__name__
        and not (predicate.__doc__ or "").strip()
    ]
    assert undocumented == []
