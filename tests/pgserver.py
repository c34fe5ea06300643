"""A real PostgreSQL server in a temporary directory, for the tests (Debian's ``postgresql`` binaries).

``PgServer.start()`` runs ``initdb`` and ``pg_ctl start`` on a free local port
with password authentication over TCP, as the ``postgres`` system user when
running as root (initdb refuses root). :func:`find_bin` says why no server can
be started (no binaries, no psycopg), so the fixtures skip with that reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

PASSWORD = "storyline-test"
USER = "postgres"


def find_bin() -> tuple[Path | None, str]:
    """(directory holding initdb and pg_ctl, '') or (None, why not)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "psycopg is not installed (pip install -e '.[test]' or '.[postgres]')"
    for cand in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True) + [
        str(Path(p).resolve().parent) for p in filter(None, [shutil.which("initdb")])
    ]:
        if os.access(os.path.join(cand, "initdb"), os.X_OK) and os.access(os.path.join(cand, "pg_ctl"), os.X_OK):
            return Path(cand), ""
    return None, "no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0

    def _cmd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self._as_root:
            cmd = ["runuser", "-u", USER, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> "PgServer":
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self._as_root:
            shutil.chown(self.root, USER)
            shutil.chown(pwfile, USER)
            os.chmod(self.root, 0o700)
        self._cmd(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER, "--pwfile", str(pwfile),
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
        )
        self.run_ctl("start")
        return self

    def run_ctl(self, action: str, *extra: str) -> None:
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        args = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.root / "log")]
        if action == "start":
            args += ["-o", opts]
        self._cmd(*args, action, *extra)

    def url(self, db: str = "postgres", password: str = PASSWORD, user: str = USER) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{db}"

    def create_db(self) -> str:
        """A fresh empty database; returns its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_db(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
