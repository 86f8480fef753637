"""OpenLink Virtuoso 7 (Debian virtuoso-opensource) on 127.0.0.1, for the tests and the bench.

Its own database folder and virtuoso.ini, free ports, a user with the SPARQL_UPDATE role
(the recipe in docs/deploy.md) and a random dba password; stopped at the end. No pytest
here: tests/conftest.py skips when Virtuoso is missing, bench/bench_store.py stops.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 60
NumberOfBuffers    = {buffers}
MaxDirtyBuffers    = {dirty}
ThreadsPerQuery    = 2
DirsAllowed        = .

[HTTPServer]
ServerPort       = 127.0.0.1:{http_port}
ServerRoot       = {dir}/vsp
ServerThreads    = 10
MaxKeepAlives    = 10
KeepAliveTimeout = 10
Charset          = UTF-8

[SPARQL]
ResultSetMaxRows      = 1000000
MaxQueryExecutionTime = {max_seconds}
"""


def binaries() -> tuple[str, str] | None:
    """(virtuoso-t, isql-vt), or None when Virtuoso is not installed."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, isql) if server and isql else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_ini(folder: Path, sql_port: int, http_port: int, buffers: int = 20_000,
              max_seconds: int = 60) -> Path:
    """A virtuoso.ini for a database in ``folder`` (8 KiB buffers: 20,000 = 160 MiB)."""
    (folder / "vsp").mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port,
                              buffers=buffers, dirty=buffers * 3 // 4, max_seconds=max_seconds),
                   encoding="utf-8")
    return ini


def isql(sql_port: int, password: str, statements: list[str]) -> str:
    """Run SQL statements as dba; raises RuntimeError when one fails."""
    found = binaries()
    assert found is not None
    result = subprocess.run(
        [found[1], f"127.0.0.1:{sql_port}", "dba", password, "VERBOSE=OFF", "BANNER=OFF",
         "PROMPT=OFF", "ECHO=OFF", "ERRORS=stdout"],
        input="\n".join(statements) + "\n", capture_output=True, text=True, timeout=60,
    )
    if result.returncode != 0 or "Error" in result.stdout:
        raise RuntimeError(f"Virtuoso set-up failed: {result.stdout}{result.stderr}")
    return result.stdout


def create_user(sql_port: int, user: str, password: str) -> str:
    """The sdgraph user (SPARQL_UPDATE, read and write on every graph); dba gets a random
    password (nobody else on the machine logs in as dba/dba). Returns that password."""
    admin = secrets.token_urlsafe(12)
    isql(sql_port, "dba", [
        f"DB.DBA.USER_CREATE('{user}', '{password}');",
        f'GRANT SPARQL_UPDATE TO "{user}";',
        f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{user}', 3);",
        f'SET PASSWORD "dba" "{admin}";',
    ])
    return admin


def wait_ready(url: str, proc: subprocess.Popen, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Virtuoso did not start; see {log}") from None
            time.sleep(0.2)


class VirtuosoServer:
    """A Virtuoso server process with a fresh database in ``data_dir``."""

    user = "sdgraph"

    def __init__(self, data_dir: Path) -> None:
        found = binaries()
        if found is None:
            raise RuntimeError("Virtuoso is not installed (Debian package virtuoso-opensource)")
        self.dir = data_dir
        self.sql_port, self.port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(12)
        ini = write_ini(data_dir, self.sql_port, self.port)
        self.log = open(data_dir / "virtuoso.out", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen([found[0], "-c", str(ini), "+foreground"], cwd=data_dir,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_ready(self.query_url, self.proc, 120, data_dir / "virtuoso.log")
            self.admin_password = create_user(self.sql_port, self.user, self.password)
        except BaseException:
            self.stop()
            raise

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    def env(self) -> dict[str, str]:
        """SDGRAPH_* variables that point the CLI at this server."""
        return {"SDGRAPH_ENDPOINT": self.query_url, "SDGRAPH_ENDPOINT_USER": self.user,
                "SDGRAPH_ENDPOINT_PASSWORD": self.password}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
