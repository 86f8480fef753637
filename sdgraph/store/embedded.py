"""Embedded backend: pyoxigraph (RocksDB) on disk, zero set-up.

Loads replace graphs in one transaction (see :mod:`.base`); a graph that
exists already is replaced by its difference (what went is deleted, what came
is inserted), as RocksDB deletes cost as much as inserts. A large load of
graphs that do not exist yet goes through Oxigraph's bulk loader instead,
about three times faster (docs/performance.md). It is made atomic by a marker
file written before and removed after it, and by the provenance record,
written last in one small transaction: a load that dies halfway leaves the
marker, and the next writer removes the graphs it names that have no record.
Readers in other processes do not switch to the new data while the marker's
loader is running, and no query sees a graph the marker names that has no
provenance record yet (a reader opened during the load, or after the loader was
killed and before the next writer cleaned up).

Readers never open the folder a writer writes: pyoxigraph calls opening a store
read-only while another process writes it undefined behaviour, and a web worker
that (re)opened the store as a load began grew to 24 GiB and was killed
(docs/performance.md). A writer that closes publishes a snapshot of the store
(a RocksDB checkpoint: hard links to its table files, in ``readers/`` inside the
store's folder) and readers open the newest snapshot, which no process ever
writes. Until a first writer has closed, readers open the folder itself.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph

from ..errors import StoreError, UserError
from ..namespaces import META_GRAPH
from .base import Dataset, Plan, Store, Table, graph_block, ntriples
from .terms import from_ox_memo

log = logging.getLogger(__name__)
T = TypeVar("T")

#: In the store's folder while a bulk load runs: {"pid": ..., "graphs": [...]}.
LOADING_MARKER = "sdgraph-loading.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _blank(line: str) -> bool:
    """Whether an N-Triples line (as Oxigraph writes it) has a blank node."""
    if line.startswith("_:"):
        return True
    last = line[:-2].rstrip().rsplit(" ", 1)[-1]  # the object; a literal's ends in '"...'
    return last.startswith("_:") and '"' not in last


def _loading(path: Path) -> dict | None:
    """The marker of a bulk load in ``path``, or None."""
    try:
        return json.loads((path / LOADING_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _writer_open(path: Path) -> bool:
    """Whether a process holds the store's lock (a writer has it open), from the kernel's
    table of file locks (Linux; elsewhere: False). Opening a read-only store while a
    writer writes is undefined behaviour in pyoxigraph: seen as a query that never
    ended and grew to 11 GiB (docs/performance.md), so a reader does not reopen then."""
    try:
        lock = os.stat(path / "LOCK")
        table = Path("/proc/locks").read_text(encoding="ascii")
    except OSError:
        return False
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 6 or fields[1] == "->":  # "->": a process waiting for the lock
            continue
        try:
            major, minor, inode = fields[5].split(":")
            if (int(inode) == lock.st_ino and int(major, 16) == os.major(lock.st_dev)
                    and int(minor, 16) == os.minor(lock.st_dev)):
                return True
        except ValueError:
            continue
    return False


def _generation(path: Path) -> tuple:
    """What the store's files look like now; it changes when a writer flushes. Table
    files (``.sst``) never change once written, so their names say enough; the others
    (the manifest, the write-ahead logs, ``CURRENT``) also by size and time. RocksDB's
    info logs (``LOG``, hundreds of ``LOG.old.*``: one per opening) are not the data."""
    try:
        names = sorted(n for n in os.listdir(path)
                       if not n.startswith("LOG") and n not in (LOADING_MARKER, SNAPSHOTS))
        out = []
        for name in names:
            if name.endswith(".sst"):
                out.append((name,))
            else:
                st = os.stat(os.path.join(path, name))
                out.append((name, st.st_size, st.st_mtime_ns))
        return tuple(out)
    except OSError:
        return ()


#: RocksDB info logs kept in the store's folder (the newest); see _prune_info_logs.
INFO_LOGS_KEPT = 10


def _size(entry: os.DirEntry) -> float:
    """A file's size; infinite for one RocksDB removed since the folder was listed (its
    background compaction runs beside the writer's own thread)."""
    try:
        return entry.stat().st_size
    except FileNotFoundError:
        return float("inf")


def _prune_info_logs(path: Path, keep: int = INFO_LOGS_KEPT) -> None:
    """Remove all but the newest ``keep`` of RocksDB's old info logs (``LOG.old.*``).
    Every writer's opening adds one and RocksDB keeps 1,000 (pyoxigraph does not expose
    the setting): a store loaded every few minutes had hundreds, and every version check
    of a read-only store lists the folder. They are diagnostics, not data."""
    try:
        old = sorted((e.stat().st_mtime_ns, e.path) for e in os.scandir(path)
                     if e.name.startswith("LOG.old."))
    except OSError:
        return
    for _, name in old[:max(0, len(old) - keep)]:
        try:
            os.unlink(name)
        except OSError:
            pass


#: Folder in the store's folder with the readers' snapshots; ``CURRENT`` in it names
#: the newest.
SNAPSHOTS = "readers"
#: Snapshots older than the newest that stay for readers still on them (seconds; a
#: reader moves to the newest before its next query, a request ends within 60 s).
SNAPSHOT_GRACE = 120.0
#: For copying a store folder without its snapshots (``shutil.copytree(..., ignore=)``):
#: they are hard links, and a copy would hold every file twice.
copy_ignore = shutil.ignore_patterns(SNAPSHOTS)


def current_snapshot(path: Path) -> Path | None:
    """The newest snapshot of the store in ``path`` for readers, or None."""
    folder = path / SNAPSHOTS
    try:
        name = (folder / "CURRENT").read_text(encoding="ascii").strip()
    except OSError:
        return None
    snapshot = folder / name
    return snapshot if name and (snapshot / "CURRENT").exists() else None


def _prune_snapshots(folder: Path, current: str) -> None:
    """Remove the snapshots other than ``current`` made more than SNAPSHOT_GRACE s ago."""
    now, grace = time.time(), SNAPSHOT_GRACE
    for entry in os.scandir(folder):
        if not entry.is_dir() or entry.name == current:
            continue
        try:
            if now - entry.stat().st_mtime > grace:
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            continue


class EmbeddedStore(Store):
    """A pyoxigraph store in a folder; ``path=None`` keeps it in memory.

    ``read_only=True`` opens the newest snapshot a writer published (the folder
    itself when there is none yet) without taking a lock, so any number of processes
    (web workers) can read while one process (the CLI) writes. A read-only store sees
    the data as it was when it was opened; it reopens itself before a query when a
    writer has published a snapshot since (or, on the folder itself, changed the files
    and closed).
    """

    backend = "embedded"
    _reopen_lock = threading.Lock()

    #: Loads of at least this many triples into graphs that do not exist yet use the
    #: bulk loader (below it, one transaction is as fast).
    bulk_min_triples = 50_000

    #: After a load, compact the store when it has this many small RocksDB files or more:
    #: a short-lived writer leaves its files uncompacted, and queries over 100 files
    #: ran 1.5-3x slower than over 14 (docs/performance.md).
    compact_at_files = 48
    #: Table files below this size count as small: what flushes and short writers leave.
    #: A compaction writes files of up to 64 MiB, and a compacted 10M-quad store has 58
    #: of them: counting every file compacted the whole store (27.6 s) after each load.
    small_file_bytes = 16 * 1024 * 1024

    def __init__(self, path: str | Path | None = None, read_only: bool = False,
                 lock_wait: float | None = None) -> None:
        """``lock_wait``: how long a writer waits for another writer to finish (seconds;
        default 60, ``Settings.lock_wait``), so concurrent loads run one after another."""
        self.path = Path(path) if path is not None else None
        self.read_only = read_only and self.path is not None
        self._generation: tuple = ()
        #: the folder a read-only store opened: the newest snapshot, or the store's own
        self._opened: Path | None = None
        #: whether this writer changed the data (then its close publishes a snapshot)
        self._changed = False
        if lock_wait is None:
            lock_wait = 60.0
        deadline = time.monotonic() + lock_wait
        while True:
            try:
                if self.path is None:
                    self._store = ox.Store()
                elif read_only:
                    self._open_read_only()
                else:
                    self.path.mkdir(parents=True, exist_ok=True)
                    self._store = ox.Store(str(self.path))
                    self._recover()
                return
            except OSError as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(f"cannot open store {self.path}: {exc}") from None
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"store {self.path} is being written by another process (a load?) and "
                        f"stayed locked for {lock_wait:g} s; try again later or use --endpoint"
                    ) from None
                time.sleep(0.2)

    def _open_read_only(self) -> None:
        assert self.path is not None
        if not (self.path / "CURRENT").exists():
            raise StoreError(f"no store at {self.path}; create it first with 'sdgraph init'")
        for attempt in range(40):
            snapshot = current_snapshot(self.path)
            if snapshot is None:
                break
            try:  # a writer may have replaced it and pruned this one meanwhile: retry
                self._store = ox.Store.read_only(str(snapshot))
            except (OSError, RuntimeError):
                if attempt == 39:
                    raise
                time.sleep(0.05)
                continue
            self._opened, self._generation = snapshot, ("snapshot", snapshot.name)
            return
        # no snapshot yet: the folder itself; a writer may be compacting (replacing
        # files) right now: retry briefly
        for attempt in range(40):
            generation = _generation(self.path)
            try:
                self._store = ox.Store.read_only(str(self.path))
            except (OSError, RuntimeError):
                if attempt == 39:
                    raise
                time.sleep(0.05)
                continue
            self._opened, self._generation = self.path, generation
            return

    def _refresh(self) -> None:
        """Reopen a read-only store when a writer has changed it since it was opened and
        has closed it since (until then, the store as it was is served: a load is seen
        whole once it has ended, and a reader opened beside a writer may fail)."""
        if not self.read_only:
            return
        snapshot = current_snapshot(self.path)
        if snapshot is not None:
            if snapshot != self._opened:
                with self._reopen_lock:
                    if current_snapshot(self.path) != self._opened:
                        self._open_read_only()
            return
        if _generation(self.path) == self._generation:
            return
        marker = _loading(self.path)
        if marker is not None and _alive(int(marker.get("pid", 0))):
            return
        if _writer_open(self.path):
            return
        with self._reopen_lock:
            if _generation(self.path) != self._generation:
                self._open_read_only()

    def describe(self) -> str:
        mode = " (read-only)" if self.read_only else ""
        return f"embedded store {self.path or '(in memory)'}{mode}"

    def _run(self, text: str, dataset: Dataset | None = None):
        self._refresh()
        hidden = self._pending()
        if dataset is not None:
            options: dict = {
                "default_graph": [ox.NamedNode(g) for g in dataset.default_graphs
                                  if g not in hidden],
                "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs
                                 if g not in hidden],
            }
        elif not hidden:
            options = {"use_default_graph_as_union": True}
        else:
            graphs = [g for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value not in hidden]
            options = {"default_graph": graphs or [ox.DefaultGraph()], "named_graphs": graphs}
        try:
            return self._store.query(text, **options)
        except SyntaxError as exc:
            raise UserError(f"SPARQL syntax error: {exc.msg}") from None

    def _pending(self) -> set[str]:
        """Graphs of a bulk load that has not written their provenance record (yet, or
        ever: a load that was killed). Queries do not see them, so no reader is served
        a graph without a record, whether the loader still runs or died."""
        if self.path is None or (self.read_only and self._opened != self.path):
            return set()  # a snapshot is published when a load has ended
        marker = _loading(self.path)
        if marker is None:
            return set()
        meta = ox.NamedNode(str(META_GRAPH))
        return {str(g) for g in marker.get("graphs", [])
                if not any(True for _ in self._store.quads_for_pattern(
                    ox.NamedNode(str(g)), None, None, meta))}

    def native_query(self, text: str, dataset: Dataset | None = None):
        """A query's results as pyoxigraph gives them (no conversion to rdflib terms),
        for core code that stays in Oxigraph terms (the scenario overlay, query workers)."""
        return self._run(text, dataset)

    def _reading(self, read: Callable[[], T]) -> T:
        """``read()`` (a query run and its results consumed); on a read-only store once
        more after reopening it when the files it read were removed meanwhile: a writer's
        compaction (Store.optimize after a load) deletes table files, and a query that
        started just before it ends in FileNotFoundError (seen in the bench's cold runs,
        a one-triple load before every request)."""
        try:
            return read()
        except OSError:
            if not self.read_only or self.path is None:
                raise
            if self._opened == self.path and _writer_open(self.path):
                raise StoreError(f"store {self.path} changed during a query while a load "
                                 "writes it; try again when the load has ended") from None
            log.warning("store files changed during a query; reopening %s", self.path)
            with self._reopen_lock:
                self._open_read_only()
            return read()

    def _select(self, text: str, dataset: Dataset | None = None) -> Table:
        def read() -> Table:
            solutions = self._run(text, dataset)
            columns = [v.value for v in solutions.variables]
            return Table(columns, [tuple(map(from_ox_memo, s)) for s in solutions])

        return self._reading(read)

    def select_values(self, text: str) -> list[tuple[str | None, ...]]:
        def read() -> list[tuple[str | None, ...]]:
            solutions = self._run(text)
            n = len(solutions.variables)
            return [tuple(None if (term := s[i]) is None else term.value for i in range(n))
                    for s in solutions]

        return self._reading(read)

    def _ask(self, text: str, dataset: Dataset | None = None) -> bool:
        return self._reading(lambda: bool(self._run(text, dataset)))

    def _construct(self, text: str, dataset: Dataset | None = None) -> Graph:
        def read() -> Graph:
            g = Graph()
            for t in self._run(text, dataset):
                g.add((from_ox_memo(t.subject), from_ox_memo(t.predicate),
                       from_ox_memo(t.object)))
            return g

        return self._reading(read)

    def _limited(self, text: str, timeout: float | None, dataset: Dataset | None = None):
        """On disk: in a confined worker process, killed when the limit passes."""
        if self.path is None:
            return super()._limited(text, timeout, dataset)
        with self._reopen_lock:
            if getattr(self, "_sandbox", None) is None:
                from .sandbox import Sandbox

                self._sandbox = Sandbox(self.path, self.query_limits)
        return self._sandbox.query(text, timeout, dataset)

    def _update(self, text: str) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only; write with the CLI")
        self._changed = True
        try:
            self._store.update(text)
        except SyntaxError as exc:
            raise UserError(f"SPARQL Update syntax error: {exc.msg}") from None
        if self.path is not None:
            self._store.flush()

    def version(self) -> str:
        """As :meth:`Store.version`, recomputed only when the store's files have changed."""
        if self.path is None:
            return super().version()
        self._refresh()
        # a read-only store's version is that of the files it opened (it may not reopen
        # while a writer has the store open)
        files = self._generation if self.read_only else _generation(self.path)
        memo = getattr(self, "_version_memo", None)
        if memo is not None and memo[0] == files:
            return memo[1]
        version = super().version()
        self._version_memo = (files, version)
        return version

    def _write(self, plan: Plan) -> None:
        """New graphs: one transaction, or the bulk loader when large. Graphs that
        exist already: only the difference, in one transaction."""
        self._changed = True
        existing = {g for g in plan if self._store.contains_named_graph(ox.NamedNode(g))}
        new = {g for g in plan if g not in existing}
        size = sum(len(p.triples) for g in new for p in plan[g])
        if self.path is None or self.read_only or size < self.bulk_min_triples:
            if existing:
                self._write_difference(plan, existing)
            else:
                super()._write(plan)
        else:
            # large new graphs through the bulk loader even when the load also replaces
            # graphs that exist (a reference build over an initialised store): pushing
            # 1.5M triples through one SPARQL update instead took 173 s against 23 s
            self._write_bulk(plan, existing)
        self.compact_if_needed()

    def compact_if_needed(self) -> bool:
        """Compact the store (``Store.optimize``) when it has many small files; True if it
        did."""
        if self.path is None or self.read_only:
            return False
        files = sum(1 for e in os.scandir(self.path)
                    if e.name.endswith(".sst") and _size(e) < self.small_file_bytes)
        if files < self.compact_at_files:
            return False
        self._store.optimize()
        self._store.flush()
        return True

    def _write_difference(self, plan: Plan, existing: set[str],
                          loaded: frozenset[str] = frozenset()) -> None:
        """Replace graphs by deleting what is gone and inserting what is new, in one update.

        Deleting costs as much as inserting in RocksDB (44 s per 1M quads), so a
        reload that changes little is fast. Old and new are compared as
        N-Triples lines, both written by Oxigraph's serializer. Blank nodes get
        new names on every parse, so a graph's triples with blank nodes are all
        replaced. Graphs in ``loaded`` are already written (by the bulk loader); the
        update only records them.
        """
        ops = self._clear_ops(plan, drop=False)
        deletes: list[str] = []
        inserts = [self._provenance_block(plan)]
        for target, parts in plan.items():
            if target in loaded:
                continue
            text = ntriples([t for p in parts for t in p.triples])
            if target not in existing:
                inserts.append(graph_block(target, text))
                continue
            if not text:
                ops.append(f"DROP SILENT GRAPH <{target}>")
                continue
            new = set(text.splitlines())
            dumped = self._store.dump(format=ox.RdfFormat.N_TRIPLES,
                                      from_graph=ox.NamedNode(target)) or b""
            text_old = dumped.decode("utf-8")
            old = set(text_old.splitlines())
            if "_:" in text_old and any(_blank(line) for line in old):
                ops.append(
                    f"DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{target}> "
                    "{ ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) } }"
                )
                old = {line for line in old if not _blank(line)}
            if removed := old - new:
                deletes.append(graph_block(target, "".join(f"{x}\n" for x in removed)))
            if added := new - old:
                inserts.append(graph_block(target, "".join(f"{x}\n" for x in added)))
        if deletes:
            ops.append("DELETE DATA {\n" + "\n".join(deletes) + "\n}")
        ops.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
        self._update(" ;\n".join(ops))

    def _write_bulk(self, plan: Plan, existing: set[str] | frozenset[str] = frozenset()) -> None:
        """Load the new graphs with the bulk loader, made atomic by the marker and the record.

        Graphs in ``existing`` are replaced by their difference in the one transaction
        that also writes every record; until it commits, readers see none of the new
        graphs (their record is missing) and the old state of the existing ones, and a
        failure removes the new graphs again (:meth:`_recover`)."""
        assert self.path is not None
        new = {g: parts for g, parts in plan.items() if g not in existing}
        marker = self.path / LOADING_MARKER
        record = {"pid": os.getpid(), "graphs": sorted(new),
                  "started": datetime.now(UTC).isoformat(timespec="seconds")}
        with open(marker, "w", encoding="utf-8") as fh:
            json.dump(record, fh)
            fh.flush()
            os.fsync(fh.fileno())
        self._update(" ;\n".join(self._clear_ops(new)))  # stale records of these graphs
        try:
            # one call for all graphs: N-Triples lines become N-Quads lines (a line
            # ends in " .\n" only there; newlines inside literals are escaped)
            data = b"".join(
                ntriples([t for p in parts for t in p.triples]).encode("utf-8")
                .replace(b" .\n", f" <{target}> .\n".encode())
                for target, parts in new.items()
            )
            self._store.bulk_load(data, ox.RdfFormat.N_QUADS)
            self._store.flush()
            # the provenance records, in one transaction, are what make the load complete
            if existing:
                self._write_difference(plan, set(existing), frozenset(new))
            else:
                self._update(f"INSERT DATA {{\n{self._provenance_block(plan)}\n}}")
        except BaseException:
            self._recover()
            raise
        marker.unlink()

    def _recover(self) -> None:
        """Finish what a bulk load that died left: remove its graphs without a record."""
        if self.path is None:
            return
        marker = _loading(self.path)
        if marker is None:
            if (self.path / LOADING_MARKER).exists():  # unreadable: written only partly
                (self.path / LOADING_MARKER).unlink()
            return
        graphs = [str(g) for g in marker.get("graphs", [])]
        recorded = {
            str(q.subject.value)
            for g in graphs
            for q in self._store.quads_for_pattern(
                ox.NamedNode(g), None, None, ox.NamedNode(str(META_GRAPH)))
        }
        if not set(graphs) <= recorded:
            log.warning("removing %d graph(s) of a load that did not finish (started %s)",
                        len(graphs), marker.get("started", "?"))
            for g in graphs:
                self._store.remove_graph(ox.NamedNode(g))
            self._update(" ;\n".join(self._clear_ops({g: [] for g in graphs})))
            self._store.flush()
        (self.path / LOADING_MARKER).unlink()

    def named_graphs(self) -> list[str]:
        self._refresh()
        hidden = self._pending()
        return sorted(g.value for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value not in hidden)

    def __len__(self) -> int:
        self._refresh()
        return len(self._store)

    def publish(self) -> Path | None:
        """Make what this writer holds now the snapshot readers open (and remove the
        snapshots no reader needs any more); the snapshot, or None for a store in memory
        or read-only. :meth:`close` publishes when the writer changed the data or no
        snapshot exists yet."""
        if self.path is None or self.read_only:
            return None
        folder = self.path / SNAPSHOTS
        folder.mkdir(exist_ok=True)
        name = f"{time.time_ns():x}-{os.getpid()}"  # sorts by time; unique per writer
        self._store.backup(str(folder / name))  # flushes, then hard links
        pointer = folder / f".CURRENT.{os.getpid()}"
        pointer.write_text(name, encoding="ascii")
        os.replace(pointer, folder / "CURRENT")
        self._changed = False
        _prune_snapshots(folder, name)
        return folder / name

    def close(self) -> None:
        if getattr(self, "_sandbox", None) is not None:
            self._sandbox.close()
            self._sandbox = None
        if hasattr(self, "_store"):
            try:
                if not self.read_only:
                    self._store.flush()
            except OSError:
                pass
            if (not self.read_only and self.path is not None
                    and (self._changed or current_snapshot(self.path) is None)):
                try:
                    self.publish()
                except OSError as exc:  # readers keep the snapshot they have
                    log.warning("could not publish a snapshot of %s for readers: %s",
                                self.path, exc)
            del self._store
            if self.path is not None and not self.read_only:
                # RocksDB closes when its last reference goes; a query's results in a
                # reference cycle can hold it, and until the collector runs the writer
                # keeps the folder's lock and goes on compacting under the readers
                gc.collect()
                _prune_info_logs(self.path)
