"""Load test: the production server under a mix of light requests and a storm of runaway
queries that hit the time limit.

Starts ``sdgraph serve --production`` on 127.0.0.1 over a copy of a store (default: a
fresh store with the bundled example), runs ``--clients`` light clients and
``--heavy`` heavy clients for ``--seconds``, and prints a table: requests, throughput,
p50/p95/max latency and errors per kind. Light requests must all succeed; heavy ones
must end in 503 (stopped at the time limit), never hang or fail otherwise.

    python bench/load_test.py --seconds 30 --clients 8 --heavy 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = [
    "/",
    "/gemeente/GM0823?peildatum=2020-07-02",
    "/gemeente/GM0823/matrix?peildatum=2020-07-02",
    "/gemeente/GM0823/klantreis?peildatum=2020-07-02",
    "/organisatie?iri=https://identifier.overheid.nl/tooi/id/so/so0665",
    "/api/query/lidmaatschappen.json?gemeente=GM0823&peildatum=2019-07-02",
    "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}),
    "/id/taak/toegang-wmo",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 60) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def client(base: str, paths: list[str], until: float, out: list, offset: int) -> None:
    i = offset
    while time.monotonic() < until:
        path = paths[i % len(paths)]
        out.append((path,) + fetch(base + path))
        i += 1


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="store folder to copy (default: example)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=6, help="light clients")
    parser.add_argument("--heavy", type=int, default=2, help="clients sending runaway queries")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=3, help="query time limit (s)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sdgraph-load-"))
    store = work / "store"
    env = {**os.environ, "SDGRAPH_STORE": str(store),
           "SDGRAPH_QUERY_TIMEOUT": str(args.timeout)}
    if args.store:
        shutil.copytree(args.store, store)
    else:
        subprocess.run([BIN / "sdgraph", "init"], env=env, check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [BIN / "sdgraph", "serve", "--production", "--port", str(port),
         "--workers", str(args.workers), "--threads", str(args.threads)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while fetch(base + "/", timeout=2)[0] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                print("server did not start", file=sys.stderr)
                return 2
            time.sleep(0.2)
        for path in LIGHT:  # warm up every worker's caches once
            fetch(base + path)
        light: list = []
        heavy: list = []
        until = time.monotonic() + args.seconds
        storm = ["/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})]
        threads = [threading.Thread(target=client, args=(base, LIGHT, until, light, i))
                   for i in range(args.clients)]
        threads += [threading.Thread(target=client, args=(base, storm, until, heavy, 0))
                    for _ in range(args.heavy)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        shutil.rmtree(work, ignore_errors=True)

    ok = [s for _, status, s in light if status == 200]
    light_errors = [(p, status) for p, status, _ in light if status != 200]
    stopped = [s for _, status, s in heavy if status == 503]
    heavy_errors = [(p, status) for p, status, _ in heavy if status != 503]
    print(f"load test: {args.seconds:g} s, {args.clients} light + {args.heavy} heavy clients, "
          f"{args.workers} workers x {args.threads} threads, time limit {args.timeout:g} s, "
          f"{os.cpu_count()} cores")
    print()
    print("| requests | count | per s | p50 ms | p95 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, done, durations, errors in (
        ("light views, API, endpoint", len(light), ok, light_errors),
        ("runaway queries (must be 503)", len(heavy), stopped, heavy_errors),
    ):
        print(f"| {name} | {done} | {done / args.seconds:.1f} | "
              f"{statistics.median(durations) * 1000 if durations else float('nan'):.0f} | "
              f"{percentile(durations, 0.95) * 1000:.0f} | "
              f"{max(durations, default=float('nan')) * 1000:.0f} | {len(errors)} |")
    per_path: dict[str, list[float]] = {}
    for path, status, seconds in light:
        if status == 200:
            per_path.setdefault(path.split("?")[0], []).append(seconds)
    print()
    print("| light path | count | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for path, values in per_path.items():
        print(f"| {path} | {len(values)} | {statistics.median(values) * 1000:.0f} | "
              f"{percentile(values, 0.95) * 1000:.0f} |")
    p95 = percentile(ok, 0.95) * 1000
    target = not light_errors and not heavy_errors and p95 < 300
    print()
    print(f"target (0 errors, light p95 < 300 ms during the storm): "
          f"{'met' if target else 'missed'} (p95 {p95:.0f} ms, "
          f"{len(light_errors) + len(heavy_errors)} errors)")
    if light_errors or heavy_errors:
        print("errors:", (light_errors + heavy_errors)[:10])
    return 0 if not light_errors and not heavy_errors else 1


if __name__ == "__main__":
    sys.exit(main())
