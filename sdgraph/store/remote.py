"""Remote backend: any SPARQL 1.1 endpoint (Oxigraph, Fuseki, GraphDB, Virtuoso).

Queries and updates go through SPARQLWrapper; a load is one SPARQL Update
(DROP + INSERT DATA), which the server applies as one transaction; a large
load is staged with the Graph Store Protocol and swapped in by one update. The
endpoint must answer queries over the union of its named graphs
(``oxigraph serve --union-default-graph``; Fuseki ``unionDefaultGraph``), as
the embedded store does.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from rdflib import Graph
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from ..errors import StoreError, UserError
from ..namespaces import GRAPH
from .base import Plan, Store, Table, ntriples, system_query
from .terms import from_json

STAGING_PREFIX = str(GRAPH["staging/"])


def _sibling(url: str, name: str) -> str:
    """Oxigraph layout: .../query -> .../update; a bare host gets /name."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last in ("query", "sparql"):
        path = f"{head}/{name}"
    else:
        path = f"{path}/{name}"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class RemoteStore(Store):
    """A store behind SPARQL 1.1 Protocol query and update URLs."""

    backend = "remote"

    #: Loads whose update would exceed this many bytes go through the Graph Store
    #: Protocol instead (Oxigraph refuses SPARQL bodies over 128 MiB).
    max_update_bytes = 32 * 2**20

    #: Seconds a read of :meth:`version` is reused. Each read is an HTTP request
    #: (~10 ms), paid by every cached query; a load through this object resets
    #: it at once, a load by another machine is seen within this time.
    version_ttl = 2.0

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        gsp_endpoint: str | None = None,
        timeout: float = 60.0,
        update_timeout: float = 3600.0,
    ) -> None:
        if not urllib.parse.urlsplit(endpoint).scheme.startswith("http"):
            raise UserError(f"endpoint must be an http(s) URL, got {endpoint!r}")
        parts = urllib.parse.urlsplit(endpoint)
        self.endpoint = endpoint if parts.path.strip("/") else _sibling(endpoint, "query")
        self.update_endpoint = update_endpoint or _sibling(self.endpoint, "update")
        self.gsp_endpoint = gsp_endpoint or _sibling(self.endpoint, "store")
        self.timeout = timeout
        self.update_timeout = update_timeout  # loads of ~1M triples take minutes on a server
        self._local = threading.local()
        self._sandbox = None
        self._sandbox_lock = threading.Lock()
        self._drop_graphs([g for g in self.named_graphs() if g.startswith(STAGING_PREFIX)])

    def describe(self) -> str:
        return f"SPARQL endpoint {self.endpoint}"

    def _wrapper(self, url: str, text: str, form: str) -> SPARQLWrapper:
        w = SPARQLWrapper(url, agent="sdgraph")
        limit = getattr(self._local, "timeout", None)
        w.setTimeout(int(self.update_timeout if form == "INSERT" else limit or self.timeout))
        w.setMethod(POST)
        w.setQuery(text)
        # SPARQLWrapper guesses the form with a regex that also matches words in
        # comments ("loaded" -> LOAD); we know the form, so we set it.
        w.queryType = form
        return w

    def _call(self, w: SPARQLWrapper):
        try:
            return w.query()
        except QueryBadFormed as exc:
            raise UserError(f"SPARQL syntax error: {_detail(exc)}") from None
        except (SPARQLWrapperException, urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{w.endpoint}: {_detail(exc)}") from None

    def _limited(self, text: str, timeout: float | None):
        """The guard runs in a confined worker when it must parse; the HTTP request's timeout
        is the limit, and the server should stop the query too (oxigraph serve
        --timeout-s, see docs/deploy.md). The response is read up to a bound."""
        from .. import guard
        from .sandbox import QueryTimeout, Sandbox

        started = time.monotonic()
        limits = self.query_limits
        if guard.needs_parse(text):  # rdflib's parse can take seconds: in a worker
            with self._sandbox_lock:
                if self._sandbox is None:
                    self._sandbox = Sandbox(None, limits)
            self._sandbox.check(text, timeout)
        else:  # no parser needed: a few string operations
            guard.check(text, limits.max_query_chars, limits.max_nesting)
        left = None if timeout is None else timeout - (time.monotonic() - started)
        if left is not None and left <= 0:
            raise QueryTimeout(timeout)
        self._local.timeout = max(1, round(left)) if left is not None else None
        # JSON and Turtle spell a term out with some overhead: allow four times the text
        self._local.max_bytes = 4 * self.query_limits.max_result_bytes
        try:
            return self.query(text)
        except StoreError as exc:
            if left is not None and ("timed out" in str(exc).lower()
                                     or time.monotonic() - started >= timeout):
                raise QueryTimeout(timeout) from None
            raise
        finally:
            self._local.timeout = None
            self._local.max_bytes = None

    def _body(self, w: SPARQLWrapper, convert: bool = True):
        """The response to ``w``: converted by SPARQLWrapper, or, for a user's query, read
        up to the byte bound (ResultTooLarge beyond it) and returned as text."""
        result = self._call(w)
        limit = getattr(self._local, "max_bytes", None)
        if limit is None:
            return result.convert()
        try:
            body = result.response.read(limit + 1)
        except OSError as exc:
            raise StoreError(f"{w.endpoint}: {_detail(exc)}") from None
        finally:
            result.response.close()
        if len(body) > limit:
            from .sandbox import ResultTooLarge

            raise ResultTooLarge(limit // 4)
        text = body.decode("utf-8")
        return json.loads(text) if convert else text

    def _select(self, text: str) -> Table:
        w = self._wrapper(self.endpoint, text, "SELECT")
        w.setReturnFormat(JSON)
        data = self._body(w)
        columns = list(data["head"].get("vars", []))
        rows = [tuple(from_json(b.get(c)) for c in columns) for b in data["results"]["bindings"]]
        return Table(columns, rows)

    def _ask(self, text: str) -> bool:
        w = self._wrapper(self.endpoint, text, "ASK")
        w.setReturnFormat(JSON)
        return bool(self._body(w)["boolean"])

    def _construct(self, text: str) -> Graph:
        w = self._wrapper(self.endpoint, text, "CONSTRUCT")
        w.setReturnFormat(TURTLE)
        raw = self._body(w, convert=False)
        return Graph().parse(data=raw, format="turtle")

    def version(self) -> str:
        memo = getattr(self, "_version_memo", None)
        now = time.monotonic()
        if memo is not None and now - memo[0] < self.version_ttl:
            return memo[1]
        version = super().version()
        self._version_memo = (now, version)
        return version

    def _update(self, text: str) -> None:
        try:
            self._call(self._wrapper(self.update_endpoint, text, "INSERT"))
        finally:  # also a version read while the update ran is stale now
            self._version_memo = None

    def _write(self, plan: Plan) -> None:
        """Small loads: one update. Large ones: upload each graph under a staging name
        (one Graph Store Protocol PUT), then swap all into place in one update. A
        load killed before the swap leaves staging graphs, dropped on the next open."""
        texts = {t: ntriples([x for p in parts for x in p.triples]) for t, parts in plan.items()}
        if sum(len(x) for x in texts.values()) < self.max_update_bytes:
            super()._write(plan)
            return
        staged: dict[str, str] = {}
        try:
            for target, text in texts.items():
                staged[target] = f"{STAGING_PREFIX}{uuid.uuid4()}"
                self._put_graph(staged[target], text.encode("utf-8"))
            ops = self._clear_ops(plan)
            ops += [f"MOVE SILENT GRAPH <{staged[t]}> TO GRAPH <{t}>" for t in plan]
            ops.append(f"INSERT DATA {{\n{self._provenance_block(plan)}\n}}")
            self._update(" ;\n".join(ops))
        except BaseException:
            self._drop_graphs(list(staged.values()))
            raise

    def _put_graph(self, graph: str, body: bytes) -> None:
        url = f"{self.gsp_endpoint}?{urllib.parse.urlencode({'graph': graph})}"
        req = urllib.request.Request(
            url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
        )
        try:
            with urllib.request.urlopen(req, timeout=self.update_timeout) as resp:
                resp.read()
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{self.gsp_endpoint}: upload failed: {_detail(exc)}") from None

    def _drop_graphs(self, graphs: list[str]) -> None:
        if graphs:
            try:
                self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
            except (StoreError, UserError):
                pass  # best effort: the next open tries again

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None

    def named_graphs(self) -> list[str]:
        table = self._select(system_query("named-graphs"))
        return sorted(str(r[0]) for r in table.rows)

    def __len__(self) -> int:
        table = self._select(system_query("count-quads"))
        return int(table.rows[0][0]) if table.rows else 0


def _detail(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        try:
            return f"HTTP {exc.code}: {exc.read().decode('utf-8', 'replace')[:500]}"
        except OSError:
            return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return f"cannot connect ({exc.reason})"
    return str(exc).strip()[:800]
