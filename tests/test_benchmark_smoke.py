"""The benchmark never rots: `benchmarks/run.py --smoke` builds its tiny dataset, starts
gunicorn and the bare Flask page, and every page it times answers as it should (the script
fails otherwise) — on the database the suite runs on. Its figures are not asserted: timings
belong to the benchmark, not to a test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.run import PAGES

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_in_smoke_mode(databases, tmp_path):
    url = databases.scratch_url("smallgrants_bench_smoke", tmp_path)
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
