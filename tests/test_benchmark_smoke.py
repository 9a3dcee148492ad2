"""The benchmark never rots: `benchmarks/run.py --smoke` builds its tiny dataset, starts
gunicorn and the bare Flask page, and every page it times answers as it should (the script
fails otherwise) — on the database the suite runs on. Its figures are not asserted: timings
belong to the benchmark, not to a test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from benchmarks.run import PAGES

ROOT = Path(__file__).resolve().parent.parent


def _database(tmp_path) -> str:
    configured = os.environ.get("TEST_DATABASE_URL", "")
    if configured.startswith("postgresql"):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        return str(make_url(configured).set(database=f"smallgrants_bench_smoke_{worker}"))
    return f"sqlite:///{tmp_path / 'bench.sqlite'}"


def test_the_benchmark_runs_in_smoke_mode(tmp_path):
    url = _database(tmp_path)
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--smoke", "--database", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for name, *_rest in PAGES:
        assert f"| {name} |" in done.stdout, name
    assert "| record a decision (0+ recorded) |" in done.stdout
    assert "FAILED" not in done.stdout
