"""Backups of the database and their restore (`flask db backup`, `flask db restore`).

SQLite: the online backup API (a consistent copy while the app runs, WAL included).
PostgreSQL: `pg_dump --format=custom` of the schema the app uses, restored with
`pg_restore --clean --if-exists`. Uploaded files live in UPLOAD_DIR and are copied with it
(the README says how).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine


class BackupError(RuntimeError):
    pass


def _pg_conninfo(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def backup(engine: Engine, out: Path) -> None:
    out = Path(out)
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(out)
            try:
                raw.driver_connection.backup(target)
            finally:
                target.close()
        finally:
            raw.close()
        return
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        subprocess.run(  # noqa: S603 - a fixed tool and our own URL
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--schema={schema}",
                f"--file={out}",
                f"--dbname={_pg_conninfo(engine)}",
            ],
            check=True,
            capture_output=True,
        )
        return
    raise BackupError(f"no backup for {engine.dialect.name}")


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's content by the backup's (stop the app first)."""
    source = Path(source)
    engine.dispose()  # no pooled connection holds a lock on what is replaced
    if engine.dialect.name == "sqlite":
        backup_db = sqlite3.connect(source)
        raw = engine.raw_connection()
        try:
            backup_db.backup(raw.driver_connection)
        finally:
            raw.close()
            backup_db.close()
        engine.dispose()
        return
    if engine.dialect.name == "postgresql":
        result = subprocess.run(  # noqa: S603 - a fixed tool and our own URL
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_pg_conninfo(engine)}",
                str(source),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(result.stderr.strip() or "pg_restore failed")
        return
    raise BackupError(f"no restore for {engine.dialect.name}")
