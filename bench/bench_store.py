"""Benchmark at national scale: reference build, load, named queries, web views, validation.

One run measures, side by side, the embedded store (pyoxigraph), rdflib's own
in-memory engine (the baseline), a real ``oxigraph serve`` and a real Virtuoso 7 on 127.0.0.1,
on a store made of the real national reference graph plus a synthetic
national inventory (bench/generate.py). Every backend runs in its own
process (bench/workers.py), so a slow query can be stopped and peak memory is
that process's own. Prints Markdown tables with the targets, each
marked met or missed; ``--write-docs`` writes them into docs/performance.md.

    python bench/bench_store.py --scale quick            # bundled example, < 1 min
    python bench/bench_store.py --scale 1m --scale 5m    # needs ../shared/data/sources

Scales: ``quick`` is the bundled Oirschot example (its 27 gemeenten) plus one
period of synthetic inventory and 300 aanbieders, without the reference
graph; ``1m`` and ``5m`` build the reference graph from the sources folder
and add as many yearly periods of inventory for every gemeente as bring the
store to about that size (at least one), with 3,000 aanbieders; ``toy`` is
quick with 3 gemeenten and one run each (tests/test_bench.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import report  # noqa: E402
from workers import Worker, WorkerDied  # noqa: E402

DEFAULT_SOURCES = ROOT.parent / "shared" / "data" / "sources"
BACKENDS = ("embedded", "rdflib", "remote", "virtuoso")
#: the remote backends: "remote" is a real ``oxigraph serve``, "virtuoso" a real Virtuoso 7
REMOTES = ("remote", "virtuoso")


@dataclass(frozen=True)
class Scale:
    name: str
    target: int | None  # whole-store size to aim at; None: one period
    reference: bool  # on the real reference graph (else the bundled example)
    providers: int
    repeat: int  # runs per query and per view (after one warm-up)
    limit: float  # seconds per query (all its runs) on embedded/remote
    view_limit: float  # seconds per view (all its requests)
    rdflib_limit: float  # seconds per query (all its runs) on rdflib
    validation_limit: float  # seconds per validation run
    scenario_limit: float  # seconds per scenario process (one run, then the compare)
    remote_extras: bool  # validation and scenarios against the remote store too
    per_load: int  # inventory files per atomic load (1: each gemeente loads its own)
    gemeenten: int | None = None  # only the first N gemeenten (the test's toy scale)


SCALES = {
    "toy": Scale("toy", None, False, 30, 1, 0.5, 0.5, 0.05, 2, 2, False, 1000, 3),
    "quick": Scale("quick", None, False, 300, 2, 1, 0.5, 0.1, 2, 4, False, 1000),
    "1m": Scale("1m", 1_000_000, True, 3000, 20, 120, 120, 30, 180, 600, True, 10**6),
    "5m": Scale("5m", 5_000_000, True, 3000, 20, 120, 120, 30, 180, 600, True, 10**6),
    # the scaling note of docs/performance.md (17 periods); not in `make bench`
    "10m": Scale("10m", 10_000_000, True, 3000, 20, 120, 120, 30, 180, 600, True, 10**6),
}

#: Web views measured end to end: (label, path template). Values cycle over the store's.
VIEWS = [
    ("/", "/"),
    ("/gemeenten", "/gemeenten"),
    ("/gemeente/GM…", "/gemeente/{gm}"),
    ("/gemeente/GM…/matrix", "/gemeente/{gm}/matrix"),
    ("/gemeente/GM…/klantreis", "/gemeente/{gm}/klantreis"),
    ("/gemeente/GM…/foto", "/gemeente/{gm}/foto"),
    ("/gemeente/GM…/netwerk", "/gemeente/{gm}/netwerk"),
    ("/organisatie?iri=…", "/organisatie?iri={org}"),
    ("/organisatie/matrix?iri=…", "/organisatie/matrix?iri={org}"),
    ("/queries", "/queries"),
    ("/query/lidmaatschappen", "/query/lidmaatschappen?gemeente={gm}"),
    ("/query/wijzigingen", "/query/wijzigingen"),  # a national table's first page
    ("/api/query/wie-doet-wat.json", "/api/query/wie-doet-wat.json?gemeente={gm}"),
    ("/resource?uri=…", "/resource?uri={gm_iri}"),
    ("/id/taakuitvoering/…", "/id/{tu}"),
    ("/sparql?query=…", "/sparql?query={sparql}"),
    ("/workbench?query=…", "/workbench?query={sparql}"),
    ("/overlap", "/overlap"),
    ("/bronnen", "/bronnen"),
    ("/zoek?q=…", "/zoek?q=Oirschott"),
    ("/api/zoek.json?q=…", "/api/zoek.json?q=den+bos&soort=gemeente"),
    ("/regelingen", "/regelingen"),
    ("/regio-indelingen", "/regio-indelingen"),
    ("/organisatie/netwerk?iri=…", "/organisatie/netwerk?iri={org}"),
    ("/gemeente/GM…/netwerk.xlsx", "/gemeente/{gm}/netwerk.xlsx"),
    ("/query/fragmentatie.xlsx", "/query/fragmentatie.xlsx"),
    ("/kaart", "/kaart"),
    ("/kaart?soort=fragmentatie", "/kaart?soort=fragmentatie"),
    ("/gemeente/GM…/kaart.svg", "/gemeente/{gm}/kaart.svg"),
]

#: Seconds between the bench's web server's checks for a load (``SDGRAPH_STORE_FOLLOW``;
#: default 0.5): shorter than the default so the wait after each tick is short; how
#: often the follower looks does not change what a request does.
FOLLOW = 0.25

#: Cold runs per view on the remote store (each waits 2 s, see Ticker).
REMOTE_VIEW_RUNS = 8

#: What an analyst types into /sparql and the workbench (per gemeente).
USER_QUERY = """PREFIX sd: <https://w3id.org/sdgraph/def#>
SELECT ?arrangementtype (COUNT(*) AS ?n) WHERE {
  ?t sd:gemeente <%s> ; sd:arrangementtype ?arrangementtype .
} GROUP BY ?arrangementtype"""


def copy_store(source, target) -> None:
    """Copy a store folder without the readers' snapshots (hard links to its files: a
    copy would hold every file twice)."""
    from sdgraph.store.embedded import copy_ignore

    shutil.copytree(source, target, ignore=copy_ignore)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited ({proc.returncode}) before answering")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def tree_memory(pid: int) -> dict[str, float]:
    """Peak (VmHWM) and current (VmRSS) MiB summed over a process and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += children.get(p, [])
    peak = current = 0.0
    for p in seen:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak += int(line.split()[1]) / 1024
            elif line.startswith("VmRSS:"):
                current += int(line.split()[1]) / 1024
    return {"peak_mib": peak, "rss_mib": current, "processes": len(seen)}


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def oxigraph_binary() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    exe = str(local) if local.exists() else shutil.which("oxigraph")
    if exe is None:
        raise SystemExit("oxigraph not installed (pip install oxigraph, see pyproject [test])")
    return exe


class Server:
    """A server process on a fixed port that can be restarted (after an abandoned request,
    whose work would otherwise go on and slow down the next measurements)."""

    def __init__(self, cmd: list[str], env: dict[str, str], logfile: Path, ready: str,
                 stop_signal: int = signal.SIGTERM) -> None:
        self.cmd, self.env, self.logfile, self.ready = cmd, env, logfile, ready
        self.stop_signal = stop_signal
        self.behind: list[Server] = []  # servers this one sends work to, restarted with it
        self.proc: subprocess.Popen | None = None
        self.peak_mib = 0.0
        self.memory: dict[str, float] = {}
        self.restarts = 0
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(self.cmd, env={**os.environ, **self.env},
                                     stdout=self.logfile.open("ab"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_http(self.ready, self.proc, 180)

    def sample(self) -> None:
        """Remember the memory of the process tree (the highest peak seen)."""
        if self.proc is not None and self.proc.poll() is None:
            mem = tree_memory(self.proc.pid)
            if mem["peak_mib"] >= self.peak_mib:
                self.peak_mib, self.memory = mem["peak_mib"], mem

    def restart(self) -> None:
        self.sample()
        self.stop(kill=True)
        for other in self.behind:  # e.g. the Oxigraph server still evaluating for the web
            other.restart()
        self.restarts += 1
        self.start()

    def stop(self, kill: bool = False) -> None:
        """Stop the server; ``kill``: at once, with every process it started."""
        if self.proc is None:
            return
        if kill:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        else:
            stop(self.proc, self.stop_signal)
            try:  # what is left of its session (e.g. query sandboxes)
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc = None


def oxigraph_server(location: Path, logfile: Path) -> tuple[Server, str]:
    """``oxigraph serve`` on a copy of a store folder, as in tests/conftest.py."""
    port = free_port()
    cmd = [oxigraph_binary(), "serve", "--location", str(location), "--bind",
           f"127.0.0.1:{port}", "--union-default-graph"]
    url = f"http://127.0.0.1:{port}/query"
    return Server(cmd, {}, logfile, url + "?query=ASK%7B%7D"), url


def virtuoso_server(folder: Path, logfile: Path) -> tuple[Server, str, dict[str, str]]:
    """Virtuoso 7 on a fresh database in ``folder``, as in tests/virtuoso_server.py; its
    query limit is the bench's (the slowest query is stopped by the bench, not by it)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import virtuoso_server as virtuoso

    found = virtuoso.binaries()
    if found is None:
        raise SystemExit("Virtuoso not installed (Debian virtuoso-opensource; "
                         "scripts/system-deps.sh) - or leave it out with --backends")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = virtuoso.write_ini(folder, sql_port, http_port, buffers=170_000, max_seconds=3600)
    url = f"http://127.0.0.1:{http_port}/sparql"
    server = Server([found[0], "-c", str(ini), "+foreground"], {}, logfile,
                    url + "?query=ASK%7B%7D")
    password = "bench"
    virtuoso.create_user(sql_port, "sdgraph", password)
    return server, url, {"SDGRAPH_ENDPOINT_USER": "sdgraph",
                         "SDGRAPH_ENDPOINT_PASSWORD": password}


#: Seconds one graph's upload to a server may take in :func:`load_quads`.
BASE_PUT_TIMEOUT = 900.0


def load_quads(endpoint: str, env: dict[str, str], nquads: Path) -> float:
    """Put every graph of an N-Quads file into the server as it is (Graph Store
    Protocol), for a base store the server has no copy of; seconds taken."""
    import pyoxigraph as ox

    os.environ.update(env)
    from workers import _remote

    store = _remote(endpoint)
    # one graph's upload took at most minutes (4M triples in 764 s at 5m, 2026-11-24):
    # a server that stops answering fails the backend instead of holding the run an hour
    store.update_timeout = BASE_PUT_TIMEOUT
    started = time.perf_counter()
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    for graph, triples in graphs.items():
        store._put_graph(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    store.close()
    return time.perf_counter() - started


def web_server(env: dict[str, str], logfile: Path, workers: int, threads: int
               ) -> tuple[Server, str]:
    """``sdgraph serve --production`` (gunicorn) on a free port."""
    port = free_port()
    exe = Path(sys.executable).parent / "sdgraph"
    cmd = [str(exe), "serve", "--production", "--workers", str(workers), "--threads",
           str(threads), "--host", "127.0.0.1", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    # SIGQUIT: gunicorn's quick shutdown (SIGTERM would wait for running requests)
    return Server(cmd, env, logfile, base + "/queries", signal.SIGQUIT), base


# --------------------------------------------------------------------------- parameters


def pools(store, context: generate.Context, inventory: generate.Inventory) -> dict[str, list]:
    """Real values for parameters, taken from the store and the generated inventory."""
    from sdgraph.queries import QueryLibrary

    lib = QueryLibrary()
    day = context.peildatum.isoformat()
    rng = random.Random(11)
    gemeenten = list(context.gemeenten)
    rng.shuffle(gemeenten)
    grs = sorted({gr.iri for members in context.memberships.values() for gr in members})
    rng.shuffle(grs)
    regios, indelingen = set(), set()
    indeling = lib.get("regio-indeling")
    for g in gemeenten[:20]:
        for r in indeling.run(store, {"gemeente": g.iri, "peildatum": day}).dicts():
            if r.get("regio") is not None:
                regios.add(str(r["regio"]))
            if r.get("indeling") is not None:
                indelingen.add(str(r["indeling"]))
    klantreizen = sorted({str(r["klantreis"]) for r in lib.get("klantreizen").run(store).dicts()})
    regios_l = sorted(regios)
    rng.shuffle(regios_l)
    indelingen_l = sorted(indelingen)
    organisaties = [x for pair in zip(grs, regios_l + grs, strict=False) for x in pair]
    uris = [x for group in zip(
        [g.iri for g in gemeenten], grs * 5, (inventory.samples["taakuitvoering"] or grs) * 5,
        (inventory.samples["overeenkomst"] or grs) * 20, strict=False) for x in group]
    return {
        "gemeente": [g.code for g in gemeenten],
        "gemeente_iri": [g.iri for g in gemeenten],
        "gr": grs,
        "organisatie": organisaties or grs,
        "uri": uris,
        "iri": uris,
        "klantreis": klantreizen,
        "indeling": indelingen_l,
        "indelingA": indelingen_l,
        "indelingB": indelingen_l[1:] + indelingen_l[:1],
        "wet": sorted({w for _, w in context.taken}),
        "taakuitvoering": inventory.samples["taakuitvoering"],
    }


def parameter_sets(query, values: dict[str, list], runs: int) -> list[dict[str, str]] | None:
    """``runs`` parameter sets: gemeente, organisatie etc. cycled over real values;
    optional parameters unbound and the rest at their declared default. None when a
    required parameter has no value to take."""
    sets = []
    for i in range(runs):
        chosen = {}
        for p in query.params:
            if p.optional:
                continue
            pool = values.get(p.name) or (values["gemeente"] if p.type == "gemeente" else None)
            if pool:
                chosen[p.name] = pool[i % len(pool)]
            elif p.required:
                return None
        sets.append(chosen)
    return sets


def view_urls(template: str, values: dict[str, list], runs: int) -> list[str]:
    urls = []
    q = urllib.parse.quote
    for i in range(runs + 1):
        gm_iri = values["gemeente_iri"][i % len(values["gemeente_iri"])]
        tus = values["taakuitvoering"] or [gm_iri]
        urls.append(template.format(
            gm=values["gemeente"][i % len(values["gemeente"])],
            gm_iri=q(gm_iri, safe=""),
            org=q(values["organisatie"][i % len(values["organisatie"])], safe=""),
            tu=tus[i % len(tus)].split("/sdgraph/id/", 1)[-1],
            sparql=q(USER_QUERY % gm_iri, safe=""),
        ))
    return urls


# --------------------------------------------------------------------------- phases


def build_base(scale: Scale, args: argparse.Namespace, tmp: Path, result: dict) -> Path:
    """The store without the inventory: reference graph (built or copied) or the example."""
    base = tmp / "base"
    if not scale.reference:
        from sdgraph.build import init_store
        from sdgraph.store import EmbeddedStore

        s = EmbeddedStore(base)
        init_store(s, "oirschot", args.sources if args.sources.is_dir() else None)
        s.close()
        result["base"] = ("bundled Oirschot example (ontology, vocabularies, example and its "
                          "register stand-in: 27 gemeenten); no national reference graph")
        return base
    if args.reference_store:
        copy_store(args.reference_store, base)
        result["base"] = f"copy of the reference store {args.reference_store} (build not timed)"
        return base
    built = args.workdir / "reference"
    if args.reference_build is None:
        log(f"reference build from {args.sources} (sdgraph init + reference build) ...")
        cmd = [sys.executable, str(HERE / "workers.py"), "reference", "--store", str(built),
               "--sources", str(args.sources)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise SystemExit(f"reference build failed:\n{out.stderr[-3000:]}")
        args.reference_build = json.loads(out.stdout.strip().splitlines()[-1])
        log(f"reference build: {args.reference_build['total_s']:.1f} s")
    copy_store(built, base)  # every scale starts from the same build
    result["reference_build"] = args.reference_build
    result["base"] = f"national reference graph from {args.sources} (built in this run)"
    return base


def dump(store_dir: Path, quads: Path, triples: Path) -> None:
    """The store as N-Quads (for rdflib's dataset) and as N-Triples (for the whole-graph
    validation; a triple stated in two graphs appears twice there, a parser keeps one)."""
    import pyoxigraph as ox

    s = ox.Store.read_only(str(store_dir))
    s.dump(str(quads), ox.RdfFormat.N_QUADS)
    ox.serialize((q.triple for q in s.quads_for_pattern(None, None, None, None)), str(triples),
                 ox.RdfFormat.N_TRIPLES)


def measure_queries(worker_factory, plans, limit: float, grace: float,
                    server: Server | None = None, spare: bool = False) -> tuple[dict, float]:
    """Every planned query on one backend; a worker that overruns is killed and replaced
    (and the server restarted, which would otherwise go on evaluating). With ``spare`` a
    replacement worker is started ahead (cheap for a store, not for rdflib's graph)."""
    out: dict[str, dict] = {}
    peak = 0.0
    worker = worker_factory()
    standby = worker_factory(wait=False) if spare else None
    for name, values in plans:
        if values is None:
            out[name] = {"skipped": "no value for a required parameter"}
            continue
        try:
            answer = worker.call({"op": "query", "name": name, "values": values, "limit": limit},
                                 timeout=limit + grace)
        except (TimeoutError, WorkerDied) as exc:
            answer = {"times": [], "rows": [], "timeout": isinstance(exc, TimeoutError),
                      "error": None if isinstance(exc, TimeoutError) else str(exc)[-300:]}
            log(f"  {name}: worker {'overran' if answer['timeout'] else 'died'}; restarting")
            if server is not None:
                server.restart()
            if standby is not None:
                worker, standby = standby, worker_factory(wait=False)
            else:
                worker = worker_factory()
        if answer.get("timeout") and server is not None:
            server.restart()
        out[name] = report.summarise(answer, limit)
        out[name]["load"] = os.getloadavg()[0]  # other processes on the same cores
        log(f"  {name}: {report.describe(out[name])}")
    peak = max(peak, worker.call({"op": "stats"}, 120)["peak_mib"])
    worker.close()
    if standby is not None:
        standby.kill()
    return out, peak


class Ticker:
    """Makes the next request a cold one: loads a one-triple graph that changes every
    time (a real load, so every cache keyed on the store's version is stale), then
    waits until the web has noticed the load: remote, until its reused version read
    has expired (2 s); embedded, until its follower (``sdgraph.follow``, every
    :data:`FOLLOW` s in the bench's server) has reopened the store, as it does within
    that time after any load.

    On an embedded store each tick opens the writer, loads and closes it, as
    ``sdgraph load`` does (a process that ends): a writer kept open goes on
    compacting in the background, so the web's read-only store would see its files
    change during the next request and reopen more than once."""

    GRAPH = "https://w3id.org/sdgraph/graph/bench/tick"

    def __init__(self, store=None, endpoint: str | None = None) -> None:
        from sdgraph.store import RemoteStore

        self.path = store
        self.endpoint = endpoint
        self.wait = FOLLOW + 0.25 if store is not None else RemoteStore.version_ttl + 0.1
        self.n = 0

    def _open(self):
        from sdgraph.store import EmbeddedStore, RemoteStore

        store = (EmbeddedStore(self.path) if self.path is not None
                 else RemoteStore(self.endpoint))
        # as every load does: a stored national aggregate whose input the tick does not touch
        # stays valid (sdgraph.materialise)
        store.materialise = True
        return store

    def __call__(self) -> None:
        from sdgraph.store import Source

        self.n += 1
        data = (f"<{self.GRAPH}> <https://w3id.org/sdgraph/def#benchTick> "
                f'"{self.n}" .\n').encode()
        store = self._open()
        try:
            store.load([Source(name="tick.nt", data=data, graph=self.GRAPH)])
        finally:
            store.close()
        if self.wait:
            time.sleep(self.wait)

    def close(self) -> None:
        """Nothing stays open between ticks."""


def _get(conn: list, base_url: str, url: str, accept: str, timeout: float):
    """GET over the kept-alive connection in ``conn[0]`` (opened again when the server
    closed it); the status."""
    import http.client

    host = urllib.parse.urlsplit(base_url).netloc
    for attempt in (1, 2):
        if conn[0] is None:
            conn[0] = http.client.HTTPConnection(host, timeout=timeout)
        conn[0].timeout = timeout
        if conn[0].sock is not None:
            conn[0].sock.settimeout(timeout)
        try:
            conn[0].request("GET", url, headers={"Accept": accept})
            response = conn[0].getresponse()
            response.read()
            if response.will_close:
                conn[0].close()
                conn[0] = None
            return response.status
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
                http.client.CannotSendRequest):
            conn[0].close()
            conn[0] = None
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def measure_views(server: Server, base_url: str, values: dict, runs: int, limit: float,
                  available: set[str], tick: Ticker) -> dict:
    """Every view over HTTP, per URL cold (``tick`` first: a load) then warm (the same
    request again on the same connection, so the same worker); a view gets ``limit``
    seconds for all its runs (the loads not counted), and a request that overruns is
    abandoned and the server restarted."""
    out = {}
    conn: list = [None]
    for label, template in VIEWS:
        path = template.split("?", 1)[0]
        if label not in available:
            out[label] = {"skipped": "no such view in this version"}
            continue
        accept = "application/sparql-results+json" if path == "/sparql" else "text/html"
        cold, warm, statuses, timeout = [], [], [], False
        spent = 0.0
        for i, url in enumerate(view_urls(template, values, runs)):
            for first in (True, False):
                left = limit - spent
                if left <= 0:
                    timeout = True
                    break
                if first and i > 0:
                    tick()
                t0 = time.perf_counter()
                try:
                    status = _get(conn, base_url, url, accept, max(left, 0.5))
                except TimeoutError:
                    timeout = True
                    if conn[0] is not None:
                        conn[0].close()
                    conn[0] = None
                    server.restart()
                    break
                except OSError as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - t0
                spent += elapsed
                if i > 0:  # request 0 is the warm-up
                    (cold if first else warm).append(elapsed)
                    statuses.append(status)
            if timeout:
                break
        server.sample()
        out[label] = report.summarise({"times": cold, "warm": warm, "rows": [],
                                       "timeout": timeout, "error": None}, limit)
        out[label]["load"] = os.getloadavg()[0]
        bad = sorted({str(s) for s in statuses if s != 200})
        if bad:
            out[label]["status"] = ", ".join(bad)
        log(f"  {label}: {report.describe(out[label])}")
    if conn[0] is not None:
        conn[0].close()
    return out


def available_views() -> set[str]:
    """Labels of the views this checkout's app has (others are reported as absent)."""
    from werkzeug.exceptions import MethodNotAllowed, NotFound

    from sdgraph.store import EmbeddedStore
    from web import create_app

    app = create_app(store=EmbeddedStore(None), test_config={"TESTING": True})
    adapter = app.url_map.bind("localhost")
    found = set()
    for label, template in VIEWS:
        path = template.split("?", 1)[0].format(gm="GM0823", tu="taakuitvoering/x")
        try:
            adapter.match(path)
            found.add(label)
        except (NotFound, MethodNotAllowed):
            pass
    return found


def measure_validation(scale: Scale, inv: generate.Inventory, peildatum: date, tmp: Path,
                       backends: dict[str, dict], base_nt: Path | None,
                       whole_skipped: str | None = None) -> dict:
    if importlib.util.find_spec("sdgraph.validation") is None:
        return {"status": "not available (no sdgraph.validation)"}
    from sdgraph import validation

    if not all(hasattr(validation, n) for n in ("validate", "read_files", "Inventory")):
        return {"status": "not available (sdgraph.validation has no validate/read_files API)"}
    out: dict = {}
    code = "GM0823" if inv.gemeente_file("GM0823").exists() else None
    one = inv.gemeente_file(code) if code else inv.files[0]
    runs = [(f"one gemeente ({one.stem.split('-')[-1].upper()}, {backend}, with reference "
             "check)", [one], where) for backend, where in backends.items()]
    whole = ("whole graph (base store + inventory, every shape; Core by shacl-rust, "
             "SHACL-SPARQL on Oxigraph, both reading the N-Triples)")
    if whole_skipped:
        out[whole] = {"skipped": whole_skipped}
    elif base_nt is not None:
        runs.append((whole, [base_nt, *inv.shared, *inv.files], {}))
    for label, files, where in runs:
        cmd = [sys.executable, str(HERE / "workers.py"), "validate", "--peildatum",
               peildatum.isoformat()]
        for key, value in where.items():
            cmd += [f"--{key}", str(value)]
        cmd += [str(f) for f in files]
        log(f"validation: {label} ...")
        try:
            done = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=scale.validation_limit)
        except subprocess.TimeoutExpired:
            out[label] = {"timeout": scale.validation_limit}
            continue
        if done.returncode != 0:
            out[label] = {"error": done.stderr.strip().splitlines()[-1][:300]
                          if done.stderr.strip() else f"exit {done.returncode}"}
            continue
        out[label] = json.loads(done.stdout.strip().splitlines()[-1])
        log(f"  {out[label]['seconds']:.1f} s, {out[label]['counts']}")
    return out


def measure_scenarios(scale: Scale, peildatum: date, backends: dict[str, dict]) -> dict:
    """Scenario run and 4-scenario compare, when this checkout has them."""
    if importlib.util.find_spec("sdgraph.scenario") is None:
        return {"status": "not built"}
    from sdgraph import scenario as sc

    if not all(hasattr(sc, n) for n in ("impacts", "compare", "load_all", "with_overrides")):
        return {"status": "not available (sdgraph.scenario has no impacts/compare API)"}
    out: dict = {}
    for backend, where in backends.items():
        cmd = [sys.executable, str(HERE / "workers.py"), "scenario", "--peildatum",
               peildatum.isoformat()]
        for key, value in where.items():
            cmd += [f"--{key}", str(value)]
        log(f"scenarios ({backend}) ...")
        try:
            done = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=scale.scenario_limit)
            stdout, code, stderr = done.stdout, done.returncode, done.stderr
        except subprocess.TimeoutExpired as exc:  # keep the scenario run if it finished
            stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
            code, stderr = None, ""
        lines = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
        out[backend] = lines[-1] if lines else {}
        if code is None:
            out[backend]["timeout"] = scale.scenario_limit
        elif code != 0:
            errors = stderr.strip().splitlines()
            out[backend]["error"] = errors[-1][:300] if errors else f"exit {code}"
        log(f"  {report.describe_scenario(out[backend])}")
    return out


def grace(scale: Scale) -> float:
    """How long past its limit a worker may take to answer before it is killed."""
    return min(30.0, scale.limit)


def web_views(env: dict[str, str], logfile: Path, args: argparse.Namespace, scale: Scale,
              values: dict, available: set[str], result: dict, backend: str,
              behind: Server | None = None) -> dict:
    # no background refresh after the bench's loads: a cold figure is what a visitor waits
    # for a result nobody asked before the load (docs/performance.md)
    env = {**env, "SDGRAPH_CACHE_REFRESH": "0", "SDGRAPH_STORE_FOLLOW": str(FOLLOW)}
    server, url = web_server(env, logfile, args.workers, args.threads)
    if behind is not None:
        server.behind.append(behind)
    remote = env.get("SDGRAPH_ENDPOINT")
    tick = Ticker(endpoint=remote) if remote else Ticker(store=env["SDGRAPH_STORE"])
    # remote: every cold request waits 2 s for the web's version read to expire
    runs = min(scale.repeat, REMOTE_VIEW_RUNS) if remote else scale.repeat
    try:
        views = measure_views(server, url, values, runs, scale.view_limit, available, tick)
        server.sample()
    finally:
        tick.close()
        server.stop()
    result["web_memory"][backend] = {**server.memory, "restarts": server.restarts}
    result["peak"][f"{backend}: web server (all processes)"] = server.peak_mib
    return views


def run_scale(scale: Scale, args: argparse.Namespace) -> dict:
    from sdgraph.queries import QueryLibrary
    from sdgraph.store import EmbeddedStore

    started = time.perf_counter()
    tmp = args.workdir / scale.name
    tmp.mkdir()
    result: dict = {"scale": scale.name, "repeat": scale.repeat, "peak": {},
                    "backends": list(args.backends)}
    peildatum = args.peildatum
    result["peildatum"] = peildatum.isoformat()
    try:
        base = build_base(scale, args, tmp, result)
        s = EmbeddedStore(base)
        base_size = len(s)
        log(f"{scale.name}: base store {base_size:,} quads; reading gemeenten, GRs, taken ...")
        context = generate.context_from_store(s, peildatum)
        s.close()
        if scale.gemeenten:
            context.gemeenten = context.gemeenten[:scale.gemeenten]

        t0 = time.perf_counter()
        n_periods = 1
        if scale.target:
            probe = generate.generate(context, tmp / "probe", 1, scale.providers, args.seed)
            shared = sum(1 for f in probe.shared for _ in f.open())
            per_period = probe.triples - shared
            n_periods = max(1, round((scale.target - base_size - shared) / per_period))
            shutil.rmtree(tmp / "probe")
        inv = generate.generate(context, tmp / "inventory", n_periods, scale.providers,
                                args.seed)
        result["generate_s"] = time.perf_counter() - t0
        result["store"] = {
            "base_quads": base_size, "inventory_triples": inv.triples,
            "gemeenten": len(context.gemeenten), "periods": [
                (a.isoformat(), b.isoformat() if b else None) for a, b in inv.periods],
            "providers": scale.providers, "counts": dict(inv.counts),
            "files": len(inv.files) + len(inv.shared),
        }
        log(f"generated {inv.triples:,} triples in {len(inv.files) + len(inv.shared)} files "
            f"({n_periods} period(s)) in {result['generate_s']:.1f} s")
        load_files = [str(f) for f in [*inv.shared, *inv.files]]

        lib = QueryLibrary()
        queries = lib.all()
        result["queries_found"] = [q.name for q in queries]
        available = available_views()

        # ---- embedded
        emb = tmp / "embedded"
        copy_store(base, emb)
        log(f"embedded: loading the inventory ({scale.per_load} file(s) per atomic load) ...")
        w = Worker("embedded", tmp / "embedded-load.log", store=emb, write=True)
        load = {"op": "load", "files": load_files, "per_load": scale.per_load}
        result["load"] = {"embedded": w.call(load, 7200)}
        # an analyst's reload: one gemeente's inventory replaces its graph (one transaction)
        sample = [str(f) for f in inv.files[:: max(1, len(inv.files) // 10)]][:10]
        # (the national aggregates computed once after the ten, not after each)
        result["reload"] = {"embedded": w.call({"op": "load", "files": sample, "per_load": 1,
                                                "materialise_each": False}, 3600)}
        result["peak"]["embedded: load process"] = w.call({"op": "stats"}, 60)["peak_mib"]
        w.close()
        result["store"]["total_quads"] = result["load"]["embedded"]["size"]
        log(f"  {result['load']['embedded']['seconds']:.1f} s; store now "
            f"{result['store']['total_quads']:,} quads")

        s = EmbeddedStore(emb, read_only=True)
        values = pools(s, context, inv)
        s.close()
        plans = [(q.name, parameter_sets(q, values, scale.repeat)) for q in queries]
        result["queries"] = {}
        result["views"] = {}
        result["web_memory"] = {}
        if "embedded" in args.backends:
            log("embedded: named queries ...")
            result["queries"]["embedded"], result["peak"]["embedded: query process"] = \
                measure_queries(lambda wait=True: Worker("embedded", tmp / "embedded.log",
                                                         store=emb, wait=wait),
                                plans, scale.limit, grace(scale), spare=True)
            log("embedded: web views (sdgraph serve --production) ...")
            result["views"]["embedded"] = web_views(
                {"SDGRAPH_STORE": str(emb), "SDGRAPH_ENDPOINT": ""}, tmp / "web-embedded.log",
                args, scale, values, available, result, "embedded")

        base_nq, base_nt = tmp / "base.nq", tmp / "base.nt"
        dump(base, base_nq, base_nt)

        # ---- remote: Oxigraph server and Virtuoso
        servers: dict[str, Server] = {}
        validation_where = {"embedded": {"store": emb}}
        try:
            for kind in REMOTES:
                if kind not in args.backends:
                    continue
                server = None
                try:
                    env: dict[str, str] = {}
                    if kind == "remote":
                        ox_dir = tmp / "oxigraph"
                        copy_store(base, ox_dir)
                        server, endpoint = oxigraph_server(ox_dir, tmp / "oxigraph.log")
                    else:
                        server, endpoint, env = virtuoso_server(tmp / "virtuoso",
                                                                tmp / "virtuoso.out")
                        log("virtuoso: the base store through the Graph Store Protocol ...")
                        result.setdefault("base_load", {})[kind] = load_quads(endpoint, env,
                                                                              base_nq)
                    servers[kind] = server
                    log(f"{kind}: loading the inventory through the SPARQL protocol ...")
                    w = Worker(kind, tmp / f"{kind}-load.log", endpoint=endpoint, env=env)
                    result["load"][kind] = w.call(load, 7200)
                    w.close()
                    log(f"  {result['load'][kind]['seconds']:.1f} s")
                    log(f"{kind}: named queries ...")
                    result["queries"][kind], result["peak"][f"{kind}: query client"] = \
                        measure_queries(lambda wait=True, kind=kind, endpoint=endpoint, env=env:
                                        Worker(kind, tmp / f"{kind}.log", endpoint=endpoint,
                                               wait=wait, env=env),
                                        plans, scale.limit, grace(scale), server, spare=True)
                    log(f"{kind}: web views ...")
                    result["views"][kind] = web_views(
                        {"SDGRAPH_ENDPOINT": endpoint, **env}, tmp / f"web-{kind}.log", args,
                        scale, values, available, result, kind, behind=server)
                    if kind == "remote":  # validation and scenarios: on Oxigraph's server only
                        validation_where["remote"] = {"endpoint": endpoint}
                except Exception as exc:  # noqa: BLE001 - one server failing keeps the rest
                    # a server that fails or hangs (Virtuoso held its locks for good during
                    # a base load on 2026-12-05) loses its own figures, not the run's
                    log(f"{kind}: failed, measured without it: {type(exc).__name__}: {exc}")
                    result.setdefault("failed", {})[kind] = f"{type(exc).__name__}: {exc}"
                    if server is not None and kind not in servers:
                        server.stop()
                    result["queries"].pop(kind, None)
                    result["views"].pop(kind, None)
                    validation_where.pop(kind, None)

            # ---- validation
            if not scale.remote_extras:
                validation_where.pop("remote", None)
            result["validation"] = measure_validation(
                scale, inv, peildatum, tmp, validation_where, base_nt)
            result["scenario"] = measure_scenarios(scale, peildatum, validation_where)
            for label, v in result["validation"].items():
                if isinstance(v, dict) and "peak_mib" in v:
                    result["peak"][f"validation: {label}"] = v["peak_mib"]
            for backend, v in result["scenario"].items():
                if isinstance(v, dict) and "peak_mib" in v:
                    result["peak"][f"scenarios ({backend})"] = v["peak_mib"]
        finally:
            for kind, server in servers.items():
                server.sample()
                name = "oxigraph" if kind == "remote" else kind
                result["peak"][f"{kind}: {name} server"] = server.peak_mib
                result[f"{name}_restarts"] = server.restarts
                server.stop()

        # ---- rdflib
        if "rdflib" in args.backends:
            size = result["store"]["total_quads"]
            if size > args.rdflib_max:
                result["rdflib_skipped"] = (f"skipped: {size:,} quads > --rdflib-max "
                                            f"{args.rdflib_max:,}")
            else:
                log("rdflib: parsing the reference/example and the inventory ...")
                loads: dict = {}

                def rdflib_worker() -> Worker:
                    w = Worker("rdflib", tmp / "rdflib.log")
                    loads["base"] = w.call({"op": "load", "files": [str(base_nq)]}, 7200)
                    loads["inventory"] = w.call(load, 7200)
                    return w

                w = rdflib_worker()
                result["load"]["rdflib"] = dict(loads["inventory"])
                result["load"]["rdflib"]["base_seconds"] = loads["base"]["seconds"]
                log(f"  base {loads['base']['seconds']:.1f} s, inventory "
                    f"{loads['inventory']['seconds']:.1f} s")
                first = [w]

                def factory() -> Worker:
                    return first.pop() if first else rdflib_worker()

                log("rdflib: named queries ...")
                result["queries"]["rdflib"], result["peak"]["rdflib: query process"] = \
                    measure_queries(factory, plans, scale.rdflib_limit, 60)

    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    result["seconds"] = time.perf_counter() - started
    return result


def machine() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    mem = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) // 1024 // 1024
    versions = {}
    for name in ("sdgraph", "pyoxigraph", "oxigraph", "rdflib", "flask", "gunicorn",
                 "pyshacl", "pyshacl-turbo"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            pass
    if server := shutil.which("virtuoso-t"):  # "Version 7.2.5.3229-pthreads as of ..."
        out = subprocess.run([server, "-?"], capture_output=True, text=True, check=False)
        words = (out.stdout + out.stderr).split()
        if "Version" in words[:-1]:
            versions["virtuoso"] = words[words.index("Version") + 1]
    load = os.getloadavg()
    return {"nproc": os.cpu_count(), "ram_gib": mem, "python": platform.python_version(),
            "versions": versions, "host": platform.node(), "platform": platform.platform(),
            "loadavg_start": load}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", action="append", choices=sorted(SCALES),
                    help="quick, 1m or 5m (repeatable; default quick)")
    ap.add_argument("--sources", type=Path,
                    default=Path(os.environ.get("SDGRAPH_SOURCES", DEFAULT_SOURCES)))
    ap.add_argument("--reference-store", type=Path,
                    help="copy this reference store instead of building one (build not timed)")
    ap.add_argument("--backends", default=",".join(BACKENDS),
                    help="comma-separated: embedded, rdflib, remote (Oxigraph server), "
                         "virtuoso")
    ap.add_argument("--rdflib-max", type=int, default=2_000_000,
                    help="skip rdflib on stores larger than this (quads)")
    ap.add_argument("--peildatum", type=date.fromisoformat, default=date.today())
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=2, help="web server worker processes")
    ap.add_argument("--threads", type=int, default=4, help="threads per web worker")
    ap.add_argument("--write-docs", action="store_true",
                    help="write the tables into docs/performance.md")
    ap.add_argument("--json", type=Path, help="also write the raw results here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    ap.add_argument("--from-json", type=Path,
                    help="print (and with --write-docs write) the tables of an earlier --json")
    args = ap.parse_args()
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        text = report.render(saved["results"], saved["machine"], saved["command"])
        print(text)
        if args.write_docs:
            report.write_docs(ROOT / "docs" / "performance.md", text)
        return
    args.backends = [b for b in args.backends.split(",") if b]
    args.reference_build = None
    scales = [SCALES[name] for name in (args.scale or ["quick"])]
    if any(s.reference for s in scales) and not args.reference_store \
            and not args.sources.is_dir():
        raise SystemExit(f"{args.sources}: no such folder; the 1m/5m scales need the national "
                         "sources (SDGRAPH_SOURCES or ../shared/data/sources); "
                         "make bench-quick runs without them")
    command = "python bench/bench_store.py " + " ".join(sys.argv[1:])
    info = machine()
    results = []
    args.workdir = Path(tempfile.mkdtemp(prefix="sdgraph-bench-"))
    try:
        for scale in scales:
            results.append(run_scale(scale, args))
            if args.json:  # after each scale, so a stopped run keeps what it measured
                args.json.write_text(json.dumps({"machine": info, "results": results,
                                                 "command": command}, indent=1))
    finally:
        if args.keep:
            log(f"kept {args.workdir}")
        else:
            shutil.rmtree(args.workdir, ignore_errors=True)
    info["loadavg_end"] = os.getloadavg()
    text = report.render(results, info, command)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results,
                                         "command": command}, indent=1))
    if args.write_docs:
        report.write_docs(ROOT / "docs" / "performance.md", text)
        log("wrote docs/performance.md")


if __name__ == "__main__":
    main()
