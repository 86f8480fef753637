"""Load test: the production server under light clients and a storm of hostile ones.

Starts ``sdgraph serve --production`` on 127.0.0.1 over a copy of a store (default: a
fresh store with the bundled example), runs ``--clients`` light clients (pages, the
JSON API, ``/id/``) and ``--heavy`` hostile clients for ``--seconds``, samples the
memory (RSS) of the server's whole process tree, and prints tables: requests,
throughput, p50/p95/max latency and errors per kind, and the tree's peak RSS.

A hostile client sends, over and over, runaway queries of several kinds
(``--mix``): a cartesian product (stopped at the time limit), a huge result, a
string that doubles 25 times (the worker's memory limit), 2,500 nested groups,
a SERVICE call. Each must end in 503 (stopped, or busy: try again) or 400
(refused with a reason), never hang. Light pages must all succeed; a small
``/sparql`` ASK is light too but shares the query workers with the storm, so it
may be told to come back (503 + Retry-After), which is counted apart.

    python bench/load_test.py --seconds 30 --clients 6 --heavy 10 --store STORE

``--nodes N`` measures the shared-server deployment instead (docs/deploy.md): one
``oxigraph serve`` on the copy of the store and N web nodes (each ``sdgraph serve
--production`` with ``SDGRAPH_ENDPOINT`` pointing at it), the clients spread over the
nodes in turn; the memory is that of every node and the SPARQL server together.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_store  # noqa: E402
from bench_store import oxigraph_binary  # noqa: E402

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
_DOUBLING = " ".join(['BIND("abcdefghijklmn" AS ?x0)'] +
                     [f"BIND(CONCAT(?x{i},?x{i}) AS ?x{i + 1})" for i in range(25)])
HOSTILE = {
    "runaway": RUNAWAY,
    "result": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
    "memory": f"SELECT (STRLEN(?x25) AS ?n) WHERE {{ {_DOUBLING} }}",
    "deep": "SELECT * WHERE " + "{" * 2500 + "}" * 2500,
    "service": "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\# AS ?q) "
               "SERVICE <http://127.0.0.1:9/x> { ?x ?p ?o } }",
}
LIGHT_SPARQL = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
LIGHT = [
    "/",
    "/gemeente/GM0823?peildatum=2020-07-02",
    "/gemeente/GM0823/matrix?peildatum=2020-07-02",
    "/gemeente/GM0823/klantreis?peildatum=2020-07-02",
    "/organisatie?iri=https://identifier.overheid.nl/tooi/id/so/so0665",
    "/api/query/lidmaatschappen.json?gemeente=GM0823&peildatum=2019-07-02",
    LIGHT_SPARQL,
    "/id/taak/toegang-wmo",
]


def tree_rss(root: int) -> tuple[int, int]:
    """(resident bytes, processes) of ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * page
    total, count, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        count += 1
        todo += children.get(pid, [])
    return total, count


def _total_rss(roots: list[int]) -> tuple[int, int]:
    """(resident bytes, processes) of the trees of ``roots`` together."""
    trees = [tree_rss(root) for root in roots]
    return sum(t[0] for t in trees), sum(t[1] for t in trees)


def sample_memory(roots: list[int], until: float, out: list) -> None:
    while time.monotonic() < until:
        out.append(_total_rss(roots))
        time.sleep(0.5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 60, body: bytes | None = None) -> tuple[int, float]:
    """GET ``url`` (or POST ``body`` as a SPARQL query): (status, seconds)."""
    started = time.perf_counter()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/sparql-query"} if body else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
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


def hostile(base: str, queries: list[str], until: float, out: list, offset: int) -> None:
    """POST each of ``queries`` to /sparql in turn (a body: no URL length limit)."""
    i = offset
    while time.monotonic() < until:
        query = queries[i % len(queries)]
        out.append((query,) + fetch(base + "/sparql", body=query.encode("utf-8")))
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
    parser.add_argument("--mix", default="runaway,result,memory,deep,service",
                        help=f"kinds of hostile query, from {', '.join(HOSTILE)}")
    parser.add_argument("--nodes", type=int, default=0, help="web nodes on one Oxigraph "
                        "server (0: one node on the embedded store)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sdgraph-load-"))
    store = work / "store"
    env = {**os.environ, "SDGRAPH_STORE": str(store),
           "SDGRAPH_QUERY_TIMEOUT": str(args.timeout)}
    if args.store:
        bench_store.copy_store(args.store, store)
    else:
        subprocess.run([BIN / "sdgraph", "init"], env=env, check=True, capture_output=True)
    processes: list[subprocess.Popen] = []
    bases: list[str] = []
    if args.nodes:
        sparql_port = free_port()
        processes.append(subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(store), "--bind",
             f"127.0.0.1:{sparql_port}", "--union-default-graph",
             # as docs/deploy.md advises: the server's own limit behind the web's
             "--timeout-s", "10"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        env = {**env, "SDGRAPH_ENDPOINT": f"http://127.0.0.1:{sparql_port}/query",
               "SDGRAPH_STORE": str(work / "unused")}
    for _ in range(max(args.nodes, 1)):
        port = free_port()
        bases.append(f"http://127.0.0.1:{port}")
        processes.append(subprocess.Popen(
            [BIN / "sdgraph", "serve", "--production", "--port", str(port),
             "--workers", str(args.workers), "--threads", str(args.threads)],
            env={**env, "SDGRAPH_INSTANCE": str(work / f"instance-{port}")},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
    try:
        deadline = time.monotonic() + 120
        for base in bases:
            while fetch(base + "/", timeout=5)[0] != 200:
                if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                    print("server did not start", file=sys.stderr)
                    return 2
                time.sleep(0.2)
            for path in LIGHT:  # warm up every worker's caches once
                fetch(base + path)
        light: list = []
        heavy: list = []
        pids = [p.pid for p in processes]
        memory: list = [_total_rss(pids)]
        until = time.monotonic() + args.seconds
        storm = [HOSTILE[k] for k in args.mix.split(",")]
        threads = [threading.Thread(target=client,
                                    args=(bases[i % len(bases)], LIGHT, until, light, i))
                   for i in range(args.clients)]
        threads += [threading.Thread(target=hostile,
                                     args=(bases[i % len(bases)], storm, until, heavy, i))
                    for i in range(args.heavy)]
        threads.append(threading.Thread(target=sample_memory, args=(pids, until, memory)))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        memory.append(_total_rss(pids))
    finally:
        for proc in processes:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in processes:
            proc.wait(30)
        shutil.rmtree(work, ignore_errors=True)

    pages = [(p, status, s) for p, status, s in light if p != LIGHT_SPARQL]
    asks = [(p, status, s) for p, status, s in light if p == LIGHT_SPARQL]
    ok = [s for _, status, s in pages if status == 200]
    light_errors = [(p, status) for p, status, _ in pages if status != 200]
    ask_ok = [s for _, status, s in asks if status == 200]
    ask_busy = [s for _, status, s in asks if status == 503]
    ask_errors = [(p, status) for p, status, _ in asks if status not in (200, 503)]
    stopped = [s for _, status, s in heavy if status in (400, 503)]
    heavy_errors = [(q[:60], status) for q, status, _ in heavy if status not in (400, 503)]
    kinds = {q: k for k, q in HOSTILE.items()}
    where = (f"{args.nodes} web node(s) on one Oxigraph server" if args.nodes
             else "one web node on the embedded store")
    print(f"load test: {args.seconds:g} s, {where}, {args.clients} light + {args.heavy} "
          f"hostile clients ({args.mix}), {args.workers} workers x {args.threads} threads "
          f"per node, time limit "
          f"{args.timeout:g} s, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}")
    print()
    print("| requests | count | per s | p50 ms | p95 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, done, durations, errors in (
        ("light pages, API, /id/", len(pages), ok, light_errors),
        (f"light /sparql ASK (200; {len(ask_busy)} busy 503)", len(asks), ask_ok + ask_busy,
         ask_errors),
        ("hostile queries (400 or 503)", len(heavy), stopped, heavy_errors),
    ):
        print(f"| {name} | {done} | {done / args.seconds:.1f} | "
              f"{statistics.median(durations) * 1000 if durations else float('nan'):.0f} | "
              f"{percentile(durations, 0.95) * 1000:.0f} | "
              f"{max(durations, default=float('nan')) * 1000:.0f} | {len(errors)} |")
    per_kind: dict[tuple[str, int], int] = {}
    for query, status, _ in heavy:
        key = (kinds.get(query, "?"), status)
        per_kind[key] = per_kind.get(key, 0) + 1
    print()
    print("hostile answers (kind, status: count):",
          ", ".join(f"{k} {st}: {v}" for (k, st), v in sorted(per_kind.items())))
    per_path: dict[str, list[float]] = {}
    for path, status, seconds in pages:
        if status == 200:
            per_path.setdefault(path.split("?")[0], []).append(seconds)
    print()
    print("| light path | count | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for path, values in per_path.items():
        print(f"| {path} | {len(values)} | {statistics.median(values) * 1000:.0f} | "
              f"{percentile(values, 0.95) * 1000:.0f} |")
    peak, processes = max(memory)
    print()
    print(f"server process trees: start {memory[0][0] / 2**20:.0f} MB ({memory[0][1]} processes), "
          f"peak {peak / 2**20:.0f} MB ({processes} processes), end "
          f"{memory[-1][0] / 2**20:.0f} MB")
    p95 = percentile(ok, 0.95) * 1000
    target = not light_errors and not heavy_errors and not ask_errors and p95 < 1000
    print()
    print(f"target (0 errors, light page p95 < 1 s during the storm): "
          f"{'met' if target else 'missed'} (p95 {p95:.0f} ms, "
          f"{len(light_errors) + len(heavy_errors) + len(ask_errors)} errors)")
    if light_errors or heavy_errors or ask_errors:
        print("errors:", (light_errors + ask_errors + heavy_errors)[:10])
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
