"""Valideren under the documented production command: `sdgraph serve --production --workers 2`.

Without SDGRAPH_SECRET_KEY, so the workers must share the key generated once in the instance
folder; reports live in that folder, so any worker serves a report another made. 50 uploads,
each followed by fetches of its report page and JSON, from five browser sessions at once:
every request must succeed.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

BIN = Path(sys.executable).parent
RULES = Path(__file__).parent / "data" / "validation" / "regels"
UPLOADS = 50
SESSIONS = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_run(base: str, count: int, body: bytes) -> list[str]:
    """One browser: the form, then ``count`` uploads, each with its report and JSON fetched.
    Returns a description of every request that failed."""
    failures: list[str] = []
    with requests.Session() as http:
        # a new connection per request, so requests of one browser reach either worker
        http.headers["Connection"] = "close"
        form = http.get(f"{base}/valideren", timeout=30)
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        for i in range(count):
            name = f"inventaris {i} <{{}}|^>.ttl"  # spaces and IRI-unsafe characters
            up = http.post(f"{base}/valideren", data={"csrf": csrf, "peildatum": "2024-08-01"},
                           files={"bestand": (name, body, "text/turtle")}, timeout=60)
            if up.status_code != 200:
                failures.append(f"upload {i}: {up.status_code}")
                continue
            key = re.search(r'href="/valideren/([^".]+)\.json"', up.text).group(1)
            for url in (f"{base}/valideren/{key}", f"{base}/valideren/{key}.json"):
                got = http.get(url, timeout=30)
                if got.status_code != 200:
                    failures.append(f"{url}: {got.status_code}")
            data = http.get(f"{base}/valideren/{key}.json", timeout=30)
            if data.status_code != 200 or data.json()["files"] != [name]:
                failures.append(f"report {i}: {data.status_code}")
    return failures


def test_valideren_under_production_with_two_workers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SDGRAPH_SECRET_KEY"}
    env["SDGRAPH_STORE"] = str(tmp_path / "store")
    subprocess.run([BIN / "sdgraph", "init"], env=env, check=True, capture_output=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [BIN / "sdgraph", "serve", "--production", "--port", str(port), "--workers", "2",
         "--threads", "4"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/valideren", timeout=2)
                break
            except requests.ConnectionError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        body = (RULES / "datum.geldig.ttl").read_bytes()
        with ThreadPoolExecutor(SESSIONS) as pool:
            runs = list(pool.map(lambda _: _session_run(base, UPLOADS // SESSIONS, body),
                                 range(SESSIONS)))
        failures = [f for run in runs for f in run]
        assert failures == [], failures
        instance = tmp_path / "store-instance"
        assert (instance / "secret_key").is_file()  # one key, generated once, shared
        # at most five reports per session are kept
        kept = [p for p in (instance / "valideren").iterdir() if not p.name.startswith(".")]
        assert len(kept) == SESSIONS * 5
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
