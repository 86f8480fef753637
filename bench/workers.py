"""Bench workers: one backend per process, driven by JSON lines on stdin.

A worker holds one store (embedded folder, remote endpoint, or an rdflib
``Graph`` in memory) and answers one JSON line per request:

* ``{"op": "load", "files": [...], "per_load": n}``: load each file into its own
  graph, ``n`` files per atomic load (rdflib: parse into the dataset);
* ``{"op": "query", "name": N, "values": [{...}, ...], "limit": S}``: run the
  named query per parameter set cold (every result cache emptied, as after a
  load) and then warm (the same again) after one warm-up run, stopping when
  ``limit`` seconds have passed (an alarm interrupts rdflib, which evaluates
  in Python); the times (``times`` cold, ``warm``) and row counts;
* ``{"op": "stats"}``: peak memory of this process (ru_maxrss) and its size.

The parent (:class:`Worker`) also keeps a deadline of its own and kills a
worker that does not answer in time, so nothing can hang the benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import resource
import signal
import subprocess
import sys
import threading
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent


class QueryTimeout(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` swallows it."""


def _alarm(_signum, _frame) -> None:
    raise QueryTimeout


class _Backend:
    def __init__(self, kind: str, store: str | None, endpoint: str | None, write: bool) -> None:
        from sdgraph.queries import QueryLibrary

        self.kind = kind
        self.library = QueryLibrary()
        self.store = None
        self.graph = None
        if kind == "rdflib":  # named graphs, queried as their union (like the stores)
            import rdflib

            self.graph = rdflib.Dataset(default_union=True)
        elif kind == "embedded":
            from sdgraph.store import EmbeddedStore

            self.store = EmbeddedStore(store, read_only=not write)
            # a writer computes the national aggregates into the store after each load,
            # as the CLI does (sdgraph.materialise)
            self.store.materialise = write
        else:
            self.store = _remote(endpoint)
            self.store.materialise = True

    def load(self, files: list[str], per_load: int = 1, materialise_each: bool = True) -> dict:
        """Load ``files``, ``per_load`` files per atomic load, each file into its own graph.
        Without ``materialise_each`` the national aggregates are computed once, after the
        last load (``materialise_after_s``), not after each."""
        from sdgraph.store import Source
        from sdgraph.store.base import default_graph_name

        started = time.perf_counter()
        loads = 0
        each: list[float] = []
        # What a load runs after writing (Store._materialise: the national aggregates and
        # the per-gemeente indexes) is run here, after each load or once after the last,
        # so that it is timed apart from the writing.
        hook = self.store is not None and self.store.materialise
        if hook:
            self.store.materialise = False
        materialise = 0.0  # of which: that hook after each load

        def run_hook(batch: list[str]) -> float:
            self.store.materialise = True
            t = time.perf_counter()
            try:
                self.store._materialise([default_graph_name(Source.file(f)) for f in batch])
            finally:
                self.store.materialise = False
            return time.perf_counter() - t

        for i in range(0, len(files), per_load):
            batch = files[i:i + per_load]
            loads += 1
            if self.graph is None:
                t = time.perf_counter()
                self.store.load([Source.file(f) for f in batch])
                if hook and materialise_each:
                    materialise += run_hook(batch)
                each.append(time.perf_counter() - t)
                continue
            for f in batch:
                if f.endswith(".nq"):
                    self.graph.parse(f, format="nquads")
                else:
                    from rdflib import URIRef

                    name = URIRef(default_graph_name(Source.file(f)))
                    self.graph.graph(name).parse(f, format="nt")
        seconds = time.perf_counter() - started
        answer = {"seconds": seconds, "loads": loads, "each": each, "size": self.size(),
                  "materialise_s": materialise}
        if hook and not materialise_each:
            # once for every graph these loads wrote
            answer["materialise_after_s"] = run_hook(files)
        if hook:
            self.store.materialise = True
        return answer

    def size(self) -> int:
        return len(self.graph) if self.graph is not None else len(self.store)

    def run_once(self, name: str, values: dict) -> int:
        query = self.library.get(name)
        if self.graph is not None:
            from sdgraph.sparql import bind

            result = self.graph.query(bind(query.text, query.bindings(values)))
            if query.form == "ASK":
                return 1
            if query.form in ("CONSTRUCT", "DESCRIBE"):
                return len(result.graph)
            return len(list(result))
        result = query.run(self.store, values)
        return 1 if isinstance(result, bool) else len(result)

    def forget(self) -> None:
        """Back to the state right after a load: every result cache of this process
        empty and the store's version unknown (the first query after a load reads it
        again). Oxigraph's own block cache and the OS page cache stay warm."""
        from sdgraph.cache import clear_all

        clear_all()
        if self.store is not None:
            self.store.__dict__.pop("_version_memo", None)

    def query(self, name: str, values: list[dict], limit: float) -> dict:
        """Per parameter set a cold run (caches emptied first) and, on a store, a warm
        one (the same parameters again); rdflib has no caches, so cold only. One
        warm-up run first, not counted (the process's first use of the query)."""
        cold: list[float] = []
        warm: list[float] = []
        rows: list[int] = []
        started = time.perf_counter()
        out = {"times": cold, "warm": warm, "rows": rows, "timeout": False, "error": None}
        passes = (True,) if self.graph is not None else (True, False)
        try:
            for i, params in enumerate([values[0], *values]):
                for first in passes:
                    left = limit - (time.perf_counter() - started)
                    if left <= 0:
                        out["timeout"] = len(cold) < len(values)
                        return out
                    if first:
                        self.forget()
                    signal.setitimer(signal.ITIMER_REAL, left)
                    t0 = time.perf_counter()
                    n = self.run_once(name, params)
                    elapsed = time.perf_counter() - t0
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    if i == 0:  # the warm-up
                        continue
                    (cold if first else warm).append(elapsed)
                    if first:
                        rows.append(n)
        except QueryTimeout:
            out["timeout"] = True
        except Exception as exc:  # noqa: BLE001 - reported, the bench goes on
            out["error"] = f"{type(exc).__name__}: {exc}"[:500]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return out


def serve(args: argparse.Namespace) -> None:
    signal.signal(signal.SIGALRM, _alarm)
    backend = _Backend(args.backend, args.store, args.endpoint, args.write)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        msg = json.loads(line)
        op = msg["op"]
        if op == "load":
            answer = backend.load(msg["files"], msg.get("per_load", 1),
                                  msg.get("materialise_each", True))
        elif op == "query":
            answer = backend.query(msg["name"], msg["values"], msg["limit"])
        elif op == "stats":
            answer = {"peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "size": backend.size()}
        else:
            answer = {"error": f"unknown op {op!r}"}
        print(json.dumps(answer), flush=True)
    if backend.store is not None:
        backend.store.close()


def _remote(endpoint: str):
    """A remote store on ``endpoint`` with the credentials of SDGRAPH_ENDPOINT_USER /
    _PASSWORD (Virtuoso's update endpoint needs them)."""
    from sdgraph.config import Settings
    from sdgraph.store import RemoteStore

    settings = Settings.from_env()
    return RemoteStore(endpoint, timeout=3600.0, user=settings.endpoint_user,
                       password=settings.endpoint_password)


class WorkerDied(RuntimeError):
    pass


class Worker:
    """A worker process seen from the parent: requests with a deadline."""

    def __init__(self, backend: str, log: Path, store: Path | None = None,
                 endpoint: str | None = None, write: bool = False, start_timeout: float = 600,
                 wait: bool = True, env: dict[str, str] | None = None):
        cmd = [sys.executable, str(HERE / "workers.py"), backend]
        if store is not None:
            cmd += ["--store", str(store)]
        if endpoint is not None:
            cmd += ["--endpoint", endpoint]
        if write:
            cmd.append("--write")
        self.backend = backend
        self.log_path = log
        self._log = open(log, "ab")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._log, text=True, bufsize=1,
                                     env={**os.environ, **(env or {}),
                                          "PYTHONUNBUFFERED": "1"})
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.start_timeout = start_timeout
        self._ready = False
        if wait:
            self.ready()

    def ready(self) -> Worker:
        """Wait until the worker has started (a spare one starts while another works)."""
        if not self._ready:
            self._answer(self.start_timeout)
            self._ready = True
        return self

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _answer(self, timeout: float) -> dict:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise TimeoutError(f"{self.backend} worker gave no answer in {timeout:.0f} s") from None
        if line is None:
            self.kill()
            tail = self.log_path.read_text(errors="replace")[-1500:]
            raise WorkerDied(f"{self.backend} worker died:\n{tail}")
        return json.loads(line)

    def call(self, msg: dict, timeout: float) -> dict:
        self.ready()
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(msg) + "\n")
        self.proc.stdin.flush()
        return self._answer(timeout)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def build_reference(store: str, sources: str) -> dict:
    """``sdgraph init`` then ``sdgraph reference build`` into a fresh store, timed."""
    from sdgraph.build import init_store
    from sdgraph.reference import build_reference as build
    from sdgraph.store import EmbeddedStore

    s = EmbeddedStore(store)
    s.materialise = True  # as the CLI: the aggregates and the index are part of the build
    started = time.perf_counter()
    init_store(s, "oirschot", Path(sources))
    init_s = time.perf_counter() - started
    result = build(s, Path(sources))
    total = time.perf_counter() - started
    out = {"init_s": init_s, "steps": result.seconds, "total_s": total, "quads": len(s),
           "graphs": [(r.graph, r.triples) for r in result.loaded],
           "warnings": sum(len(r.warnings) for r in result.reports)}
    s.close()
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def validate(files: list[str], peildatum: str, store: str | None, endpoint: str | None,
             whole_engine: str = "split") -> dict:
    """Validate ``files`` as one inventory; with a store, against its reference graph.
    Without one: the whole graph (every file) with every shape, reading the N-Triples
    files themselves (docs/validation.md: national validation)."""
    from datetime import date

    from sdgraph import validation

    if not (store or endpoint):
        return validate_whole(files, peildatum, whole_engine)
    started = time.perf_counter()
    inventory = validation.read_files(files)
    read_s = time.perf_counter() - started
    if store:
        from sdgraph.store import EmbeddedStore

        backend = EmbeddedStore(store, read_only=True)
    else:
        backend = _remote(endpoint)
    started = time.perf_counter()
    report = validation.validate(inventory, peildatum=date.fromisoformat(peildatum),
                                 store=backend, reference=True)
    seconds = time.perf_counter() - started
    counts, conforms = report.counts, report.conforms  # properties of Report
    return {"read_s": read_s, "seconds": seconds, "triples": len(inventory.graph),
            "conforms": conforms() if callable(conforms) else conforms,
            "counts": counts() if callable(counts) else counts,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def validate_whole(files: list[str], peildatum: str, engine: str = "split") -> dict:
    """Every shape over the whole graph (the files are the store's own N-Triples dumps and
    inventory files, with the ontology and vocabularies). ``split``: the Core shapes by
    shacl-rust and every SHACL-SPARQL constraint as one whole-graph query on Oxigraph
    (sdgraph/validation/whole.py); ``rudof``: every shape by pyrudof (the path before)."""
    import tempfile

    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, SH, XSD

    from sdgraph.validation import whole
    from sdgraph.validation.engine import CONTEXT, PEILDATUM, shapes_graph

    started, cpu0, load0 = time.perf_counter(), _cpu(), os.getloadavg()[0]
    timing = whole.Timing()
    with tempfile.TemporaryDirectory(prefix="sdgraph-bench-whole-") as tmp:
        context = Path(tmp) / "context.nt"
        Graph().add((CONTEXT, PEILDATUM, Literal(peildatum, datatype=XSD.date))).serialize(
            context, format="nt", encoding="utf-8")
        paths = [*files, str(context)]
        triples = 0
        for f in paths:
            with open(f, "rb") as lines:
                triples += sum(1 for _ in lines)
        if engine == "split":
            report = whole.validate_files(paths, shapes_graph(), timing=timing)
            name = (f"shacl-rust {version('shacl-rust')} + pyoxigraph {version('pyoxigraph')}"
                    " (SHACL-SPARQL)")
        else:
            import pyrudof

            rudof = pyrudof.Rudof(pyrudof.RudofConfig())
            for i, f in enumerate(paths):
                rudof.read_data(f, format=pyrudof.RDFFormat.NTriples, merge=i > 0)
            rudof.read_shacl(shapes_graph().serialize(format="turtle"))
            rudof.validate_shacl()
            report = Graph().parse(data=rudof.serialize_shacl_validation_results(
                format=pyrudof.ResultShaclValidationFormat.Turtle), format="turtle")
            name = f"pyrudof {version('pyrudof')}"
    seconds = time.perf_counter() - started
    counts: dict[str, int] = {}
    for node in report.subjects(RDF.type, SH.ValidationResult):
        kind = str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1]
        counts[kind] = counts.get(kind, 0) + 1
    return {"seconds": seconds, "cpu_s": _cpu() - cpu0, "triples": triples,
            "load": [load0, os.getloadavg()[0]], "steps": timing.steps,
            "rules": timing.rules,
            "conforms": not counts.get("Violation"), "counts": counts, "engine": name,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def scenarios(peildatum: str, store: str | None, endpoint: str | None) -> dict:
    """The bundled Oirschot scenarios: one scenario run, then all four compared."""
    from sdgraph import scenario as sc
    from sdgraph.scenario.model import bundled

    if store:
        from sdgraph.store import EmbeddedStore

        backend = EmbeddedStore(store, read_only=True)
    else:
        backend = _remote(endpoint)
    from datetime import date

    files = [path for ident, path in sorted(bundled().items()) if ident.startswith("oirschot/")]
    day = date.fromisoformat(peildatum)
    besluit = day.replace(year=day.year + 1, day=min(day.day, 28)).isoformat()
    found = [sc.with_overrides(s, peildatum=peildatum, besluitdatum=besluit)
             for s in sc.load_all(files)]
    out = {"scenarios": [s.slug for s in found]}
    started = time.perf_counter()
    sc.impacts(backend, found[:1])
    out["run_s"] = time.perf_counter() - started
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out), flush=True)  # kept by the parent if the compare is stopped
    started = time.perf_counter()
    sc.compare(backend, found)
    out["compare_s"] = time.perf_counter() - started
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("backend", choices=["embedded", "remote", "virtuoso", "rdflib", "reference",
                                        "validate", "scenario"])
    ap.add_argument("--store")
    ap.add_argument("--endpoint")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--sources")
    ap.add_argument("--peildatum")
    ap.add_argument("--whole-engine", choices=["split", "rudof"], default="split",
                    help="validate without a store: the engine of the whole graph")
    ap.add_argument("files", nargs="*")
    args = ap.parse_intermixed_args()
    if args.backend == "reference":
        print(json.dumps(build_reference(args.store, args.sources)))
    elif args.backend == "scenario":
        print(json.dumps(scenarios(args.peildatum, args.store, args.endpoint)))
    elif args.backend == "validate":
        print(json.dumps(validate(args.files, args.peildatum, args.store, args.endpoint,
                                  args.whole_engine)))
    else:
        serve(args)


if __name__ == "__main__":
    main()
