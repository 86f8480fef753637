"""Store benchmark: load and query a synthetic sociaal-domein graph on each backend.

Prints a table (load time, named-query latency, aggregate latency, peak
memory) for the embedded store, a real Oxigraph server and, as a baseline,
rdflib's own SPARQL engine. Each backend runs in its own process so peak
memory (ru_maxrss) is its own.

    python bench/bench_store.py --triples 1000000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SD = "https://w3id.org/sdgraph/def#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
GM = "https://identifier.overheid.nl/tooi/id/gemeente/gm"
ID = "https://w3id.org/sdgraph/id/"


def generate(path: Path, triples: int, seed: int = 7) -> int:
    """Write a synthetic graph of about ``triples`` triples (N-Triples); return the count."""
    rnd = random.Random(seed)
    n = 0

    def t(s: str, p: str, o: str) -> str:
        nonlocal n
        n += 1
        return f"{s} <{p}> {o} .\n"

    def date(y: int, m: int = 1, d: int = 1) -> str:
        return f'"{y:04d}-{m:02d}-{d:02d}"^^<{XSD_DATE}>'

    with path.open("w") as f:
        for g in range(1, 343):
            s = f"<{GM}{g:04d}>"
            f.write(t(s, RDF_TYPE, f"<{SD}Gemeente>"))
            f.write(t(s, LABEL, f'"Gemeente {g}"@nl'))
            f.write(t(s, SD + "gemeentecode", f'"GM{g:04d}"'))
        gr = 0
        while n < triples:
            gr += 1
            s = f"<{ID}gr/{gr}>"
            f.write(t(s, RDF_TYPE, f"<{SD}GemeenschappelijkeRegeling>"))
            f.write(t(s, LABEL, f'"Regeling {gr}"@nl'))
            start = rnd.randint(2000, 2020)
            for v in range(2):
                vs = f"<{ID}grversie/{gr}-{v}>"
                f.write(t(vs, RDF_TYPE, f"<{SD}GRVersie>"))
                f.write(t(vs, SD + "versieVan", s))
                f.write(t(vs, SD + "rooId", f'"{gr * 10 + v}"'))
                f.write(t(vs, SD + "citeertitel", f'"Regeling {gr} versie {v}"'))
                f.write(t(vs, SD + "geldigVanaf", date(start + 4 * v)))
                if v == 0:
                    f.write(t(vs, SD + "geldigTot", date(start + 4)))
            for g in rnd.sample(range(1, 343), rnd.randint(3, 15)):
                ls = f"<{ID}lidmaatschap/{gr}/{g}>"
                f.write(t(ls, RDF_TYPE, f"<{SD}Lidmaatschap>"))
                f.write(t(ls, ORG + "member", f"<{GM}{g:04d}>"))
                f.write(t(ls, ORG + "organization", s))
                f.write(t(ls, SD + "toetredingsdatum", date(start)))
    return n


AGGREGATE = f"""SELECT ?g (COUNT(DISTINCT ?gr) AS ?n) WHERE {{
  ?l a <{SD}Lidmaatschap> ; <{ORG}member> ?g ; <{ORG}organization> ?gr .
}} GROUP BY ?g ORDER BY DESC(?n) LIMIT 10"""


def worker(backend: str, data: Path, endpoint: str | None, repeat: int) -> dict:
    """Run in a child process: load, then time the named query and the aggregate."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sdgraph.queries import QueryLibrary

    named = QueryLibrary().get("lidmaatschappen")
    params = {"gemeente": "GM0100", "peildatum": "2019-07-02"}
    t0 = time.perf_counter()
    if backend == "rdflib":
        import rdflib

        from sdgraph.sparql import bind

        g = rdflib.Graph()
        g.parse(data, format="nt")
        load_s = time.perf_counter() - t0
        text = bind(named.text, named.bindings(params))

        def run_named():
            return len(list(g.query(text)))

        def run_agg():
            return len(list(g.query(AGGREGATE)))
    else:
        from sdgraph.store import EmbeddedStore, RemoteStore

        if backend == "embedded":
            store = EmbeddedStore(Path(tempfile.mkdtemp()) / "store")
        else:
            store = RemoteStore(endpoint)
        store.load_files([data], graph="https://w3id.org/sdgraph/graph/bench")
        load_s = time.perf_counter() - t0

        def run_named():
            return len(named.run(store, params))

        def run_agg():
            return len(store.select(AGGREGATE))

    def timed(fn) -> tuple[float, int]:
        fn()  # warm-up
        times = []
        for _ in range(repeat):
            s = time.perf_counter()
            rows = fn()
            times.append(time.perf_counter() - s)
        return sorted(times)[len(times) // 2], rows

    q_s, q_rows = timed(run_named)
    a_s, a_rows = timed(run_agg)
    return {
        "load_s": load_s, "query_ms": q_s * 1000, "query_rows": q_rows,
        "agg_ms": a_s * 1000, "agg_rows": a_rows,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _start_oxigraph(folder: Path) -> tuple[subprocess.Popen, str]:
    binary = Path(sys.executable).parent / "oxigraph"
    exe = str(binary) if binary.exists() else shutil.which("oxigraph")
    if exe is None:
        raise SystemExit("oxigraph not installed (pip install oxigraph)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "serve", "--location", str(folder / "ox"), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).read()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("oxigraph did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--backends", default="embedded,remote", help="comma-separated: embedded, remote, rdflib"
    )
    ap.add_argument(
        "--rdflib-max", type=int, default=200_000, help="skip rdflib above this size (it is slow)"
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--endpoint", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.data), args.endpoint, args.repeat)))
        return
    folder = Path(tempfile.mkdtemp(prefix="sdgraph-bench-"))
    data = folder / "synthetic.nt"
    n = generate(data, args.triples)
    print(f"synthetic graph: {n:,} triples ({data.stat().st_size / 2**20:.0f} MiB N-Triples)\n")
    rows = []
    server = None
    try:
        for backend in args.backends.split(","):
            if backend == "rdflib" and n > args.rdflib_max:
                rows.append((backend, None))
                continue
            endpoint = None
            if backend == "remote":
                server, endpoint = _start_oxigraph(folder)
            cmd = [sys.executable, __file__, "--worker", backend, "--data", str(data),
                   "--repeat", str(args.repeat)] + (["--endpoint", endpoint] if endpoint else [])
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"{backend} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
                rows.append((backend, None))
            else:
                rows.append((backend, json.loads(proc.stdout.strip().splitlines()[-1])))
            if server:
                server.terminate()
                server.wait()
                server = None
    finally:
        if server:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)
    head = (
        f"{'backend':<10} {'load s':>8} {'lidmaatschappen ms':>19} {'aggregate ms':>13} "
        f"{'peak MiB':>9}"
    )
    print(head)
    print("-" * len(head))
    for backend, r in rows:
        if r is None:
            print(f"{backend:<10} {'skipped or failed (see above)':>51}")
            continue
        print(f"{backend:<10} {r['load_s']:>8.2f} {r['query_ms']:>19.1f} {r['agg_ms']:>13.1f} "
              f"{r['peak_mib']:>9.0f}")
    print(
        f"\nmedian of {args.repeat} runs after one warm-up; remote = oxigraph serve on "
        "127.0.0.1; peak MiB of the client process (the server's memory is not included)"
    )


if __name__ == "__main__":
    main()
