"""Remote backend: any SPARQL 1.1 server (Oxigraph and Virtuoso tested; Fuseki, GraphDB).

Requests go through one ``requests.Session``: its connection pool keeps HTTP
connections open between requests (keep-alive), where a new connection per
request cost a TCP handshake and, on Virtuoso, a server thread each time
(docs/performance.md); it reads the environment's proxy, CA and login settings
once per host. A load is one SPARQL Update (DROP + INSERT DATA), which the server
applies as one transaction; a large load is staged with the Graph Store Protocol and
swapped in by one update. The query sees the union of the server's named graphs, as
the embedded store does; what a server needs for that (and any other difference) lives in its
profile (:mod:`.profiles`).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import uuid
from collections.abc import Mapping

import pyoxigraph as ox
import requests
from rdflib import Graph
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from ..errors import StoreError, UserError
from ..namespaces import GRAPH, META_GRAPH
from ..sparql import Binding
from . import profiles
from .base import Dataset, GraphInfo, Plan, Store, Table, ntriples, system_query
from .terms import from_json, from_ox

STAGING_PREFIX = str(GRAPH["staging/"])
#: stands for "no graph" where the protocol can only name graphs (an empty default graph
#: or no named graphs in a dataset); it never exists in a store
NO_GRAPH = "urn:x-sdgraph:no-graph"

_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_USER_AGENT = "sdgraph"


class _IncompleteResult(StoreError):
    """The server stopped a query at its own time limit and sent what it had."""


def _session() -> requests.Session:
    """A session that does not read the environment per request: requests would read the
    proxy variables, the CA bundle and ``~/.netrc`` on every one, 0.15-0.5 ms of a
    remote query's fixed cost (docs/performance.md). The CA bundle
    (``REQUESTS_CA_BUNDLE``) is read here; proxies and logins per host by
    :class:`_Hosts`."""
    session = requests.Session()
    session.headers["User-Agent"] = _USER_AGENT
    session.verify = session.merge_environment_settings("", {}, None, None, None)["verify"]
    session.trust_env = False
    return session


class _Hosts:
    """What requests reads from the environment for a URL, read once per host: its proxy
    (``HTTP_PROXY``/``HTTPS_PROXY`` unless ``NO_PROXY`` names the host) and its
    ``~/.netrc`` login (used when no user is given). The query, update and Graph Store
    URLs may be on different hosts; each gets its own, never another host's login."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], tuple[dict[str, str], AuthBase | None]] = {}
        self._lock = threading.Lock()

    def settings(self, url: str) -> tuple[dict[str, str], AuthBase | None]:
        """The proxies and the ``~/.netrc`` login for ``url``'s scheme and host."""
        parts = urllib.parse.urlsplit(url)
        origin = (parts.scheme, parts.netloc)
        found = self._found.get(origin)
        if found is None:
            login = requests.utils.get_netrc_auth(url)
            found = (requests.utils.get_environ_proxies(url),
                     HTTPBasicAuth(*login) if login else None)
            with self._lock:
                self._found[origin] = found
        return found


class RemoteStore(Store):
    """A store behind SPARQL 1.1 Protocol query and update URLs."""

    backend = "remote"

    #: Seconds a read of :meth:`version` is reused. Each read is an HTTP request
    #: (~1-10 ms), paid by every cached query; a load through this object resets
    #: it at once, a load by another machine is seen within this time.
    version_ttl = 2.0

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        gsp_endpoint: str | None = None,
        timeout: float = 60.0,
        update_timeout: float = 3600.0,
        *,
        profile: str = "auto",
        user: str | None = None,
        password: str | None = None,
    ) -> None:
        parts = urllib.parse.urlsplit(endpoint)
        if not parts.scheme.startswith("http") or not parts.netloc:
            raise UserError(f"endpoint must be an http(s) URL, got {endpoint!r}")
        if profile not in profiles.PROFILES:
            raise UserError(f"unknown SPARQL server profile {profile!r}; "
                            f"use one of {', '.join(profiles.PROFILES)}")
        self.endpoint = endpoint if parts.path.strip("/") else endpoint.rstrip("/") + "/query"
        self.timeout = timeout
        self.update_timeout = update_timeout  # loads of ~1M triples take minutes on a server
        self._local = threading.local()
        self._sandbox = None
        self._sandbox_lock = threading.Lock()
        self._session = _session()
        self._hosts = _Hosts()
        # one pooled connection per thread that talks to the server at once
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=32)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._excluded: set[str] = set()
        self._auth: AuthBase | None = None  # the user given; else each host's ~/.netrc
        if profile == "auto":
            self.profile = profiles.detect(self.endpoint, self._probe().headers.get("Server"))
        else:
            self.profile = profiles.profile(profile)
        if user:
            auth_class = HTTPDigestAuth if self.profile.auth == "digest" else HTTPBasicAuth
            self._auth = auth_class(user, password or "")
        self.update_endpoint = update_endpoint or self.profile.update_url(self.endpoint, bool(user))
        self.gsp_endpoint = gsp_endpoint or self.profile.gsp_url(self.endpoint, bool(user))
        for url in (self.endpoint, self.update_endpoint, self.gsp_endpoint):
            self._hosts.settings(url)  # the environment as it is when the store opens
        self.max_update_bytes = self.profile.max_update_bytes
        self.max_update_triples = self.profile.max_update_triples
        service_graphs = [
            str(r[0]) for r in self._select(
                "SELECT ?g (COUNT(*) AS ?n) "
                f"WHERE {{ GRAPH ?g {{ ?s a <{profiles.SD_SERVICE}> }} }} GROUP BY ?g"
            ).rows
        ] if self.profile.system_graphs else []
        self._excluded = self.profile.detect_system_graphs(service_graphs)
        self._drop_graphs([g for g in self.named_graphs() if g.startswith(STAGING_PREFIX)])

    def describe(self) -> str:
        return f"SPARQL endpoint {self.endpoint} ({self.profile.name})"

    @property
    def system_graphs(self) -> frozenset[str]:
        """The server's own graphs, left out of the store's data."""
        return frozenset(self._excluded)

    # --- HTTP --------------------------------------------------------------
    def _probe(self) -> requests.Response:
        """One small query, for the server's ``Server`` header (any status will do)."""
        proxies, login = self._hosts.settings(self.endpoint)
        try:
            return self._session.post(self.endpoint, data={"query": "ASK {}"},
                                      headers={"Accept": _RESULTS_JSON}, proxies=proxies,
                                      auth=self._auth or login,
                                      timeout=(min(10.0, self.timeout), self.timeout))
        except requests.RequestException as exc:
            raise StoreError(f"{self.endpoint}: cannot connect ({_reason(exc)})") from None

    def _post(
        self,
        url: str,
        data: dict | bytes,
        accept: str,
        timeout: float,
        content_type: str | None = None,
        params: list[tuple[str, str]] | None = None,
        retry: bool = True,
    ) -> requests.Response:
        """POST to the server; an error status becomes a UserError (400) or StoreError.

        A query is sent again once when the connection drops before an answer (a server
        may close a kept-alive connection just as it is reused); an update is not.
        """
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        proxies, login = self._hosts.settings(url)
        for attempt in (1, 2):
            try:
                response = self._session.post(
                    url, data=data, params=params, headers=headers, proxies=proxies,
                    auth=self._auth or login,
                    timeout=(min(10.0, timeout), timeout),
                    stream=getattr(self._local, "max_bytes", None) is not None,
                )
                break
            except requests.Timeout:
                raise StoreError(f"{url}: timed out after {timeout:g} s") from None
            except requests.ConnectionError as exc:
                if retry and attempt == 1:
                    continue
                raise StoreError(f"{url}: cannot connect ({_reason(exc)})") from None
            except requests.RequestException as exc:
                raise StoreError(f"{url}: {_reason(exc)}") from None
        return self._checked(url, response)

    @staticmethod
    def _checked(url: str, response: requests.Response) -> requests.Response:
        if response.status_code >= 400:
            detail = response.text.strip()[:800]
            if response.status_code == 400:
                raise UserError(f"SPARQL syntax error: HTTP 400: {detail}")
            raise StoreError(f"{url}: HTTP {response.status_code}: {detail}")
        # Virtuoso answers a query it stopped at its own time limit with 200 and part of
        # the result ("anytime query"); a part must never pass for the whole answer
        state = response.headers.get("X-SQL-State", "")
        if state.startswith("S1TAT"):
            message = response.headers.get("X-SQL-Message", "")
            raise _IncompleteResult(
                f"{url}: the server stopped the query at its time limit and returned "
                f"incomplete results ({message or state}); raise its limit "
                "(Virtuoso: MaxQueryExecutionTime) or make the query more selective"
            )
        return response

    def _query_request(self, text: str, accept: str, dataset: Dataset | None):
        data: list[tuple[str, str]] = [("query", self.profile.prepare_query(text))]
        if dataset is not None:
            data += [("default-graph-uri", g) for g in dataset.default_graphs or (NO_GRAPH,)]
            data += [("named-graph-uri", g) for g in dataset.named_graphs or (NO_GRAPH,)]
        limit = getattr(self._local, "timeout", None)
        return self._post(self.endpoint, data, accept, limit or self.timeout)

    # --- queries -----------------------------------------------------------
    def bind(self, text: str, bindings: Mapping[str, Binding] | None) -> str:
        return self.profile.bind(text, bindings)

    def _limited(self, text: str, timeout: float | None, dataset: Dataset | None = None):
        """The guard checks the query, in a confined worker when it must parse (the text
        holds 'service' or 'from', or the server also accepts its own extensions of
        SPARQL: then every query is parsed, so one reaches such a server only as
        standard SPARQL 1.1, without e.g. Virtuoso's DEFINE pragmas). The HTTP request's
        timeout is the limit; the server should stop the query too (oxigraph serve
        --timeout-s, Virtuoso MaxQueryExecutionTime; docs/deploy.md). The response is
        read up to a bound."""
        from .. import guard
        from .sandbox import QueryTimeout, Sandbox

        started = time.monotonic()
        limits = self.query_limits
        if self.profile.extensions or guard.needs_parse(text):  # a parse can take seconds
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
            return self.query(text, dataset=dataset)
        except _IncompleteResult:
            raise QueryTimeout(timeout or 0) from None
        except StoreError as exc:
            if left is not None and ("timed out" in str(exc).lower()
                                     or time.monotonic() - started >= timeout):
                raise QueryTimeout(timeout) from None
            raise
        finally:
            self._local.timeout = None
            self._local.max_bytes = None

    def _content(self, response: requests.Response) -> bytes:
        """The body of ``response``; for a user's query read up to the byte bound
        (ResultTooLarge beyond it, and the connection dropped)."""
        limit = getattr(self._local, "max_bytes", None)
        if limit is None:
            return response.content
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    from .sandbox import ResultTooLarge

                    response.close()
                    raise ResultTooLarge(limit // 4)
        except requests.RequestException as exc:
            response.close()
            raise StoreError(f"{self.endpoint}: {_reason(exc)}") from None
        return b"".join(chunks)

    def _select(self, text: str, dataset: Dataset | None = None) -> Table:
        data = self._json(self._query_request(text, _RESULTS_JSON, dataset))
        columns = list(data.get("head", {}).get("vars", []))
        bindings = data.get("results", {}).get("bindings")
        if bindings is None:
            raise StoreError(f"{self.endpoint}: no solutions in the answer to a SELECT query")
        rows = [tuple(from_json(b.get(c)) for c in columns) for b in bindings]
        return Table(columns, rows)

    def _ask(self, text: str, dataset: Dataset | None = None) -> bool:
        data = self._json(self._query_request(text, _RESULTS_JSON, dataset))
        if isinstance(data.get("boolean"), bool):
            return data["boolean"]
        # Virtuoso 7.2 answers ASK with a table of one column __ASK_RETVAL (1 or 0)
        if data.get("head", {}).get("vars") == ["__ASK_RETVAL"]:
            rows = data.get("results", {}).get("bindings", [])
            return bool(rows) and rows[0].get("__ASK_RETVAL", {}).get("value") not in ("0", None)
        raise StoreError(f"{self.endpoint}: no boolean answer to an ASK query")

    def _json(self, response: requests.Response) -> dict:
        """The SPARQL JSON results of ``response`` (blank node labels as the server wrote
        them: Virtuoso's ``nodeID://b1`` is not a label Oxigraph's parser accepts)."""
        try:
            data = json.loads(self._content(response))
        except ValueError:
            raise StoreError(f"{self.endpoint}: the answer is not SPARQL JSON results "
                             f"({response.headers.get('Content-Type', '?')})") from None
        if not isinstance(data, dict):
            raise StoreError(f"{self.endpoint}: the answer is not SPARQL JSON results")
        return data

    def _construct(self, text: str, dataset: Dataset | None = None) -> Graph:
        response = self._query_request(text, _GRAPH_TYPES, dataset)
        media = response.headers.get("Content-Type", "").split(";")[0].strip()
        rdf_format = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
        content = self._content(response)
        g = Graph()
        try:
            for quad in ox.parse(content, rdf_format, base_iri=self.endpoint):
                g.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        except SyntaxError as exc:
            raise StoreError(
                f"{self.endpoint}: unreadable {media or 'RDF'} answer: {exc}") from None
        return g

    def version(self) -> str:
        memo = getattr(self, "_version_memo", None)
        now = time.monotonic()
        if memo is not None and now - memo[0] < self.version_ttl:
            return memo[1]
        version = super().version()
        self._version_memo = (now, version)
        return version

    # --- updates -----------------------------------------------------------
    def _update(self, text: str) -> None:
        try:
            self._post(self.update_endpoint, text.encode("utf-8"), "*/*", self.update_timeout,
                       content_type="application/sparql-update; charset=utf-8", retry=False)
        finally:  # also a version read while the update ran is stale now
            self._version_memo = None

    def _write(self, plan: Plan) -> None:
        """Small loads: one update. Large ones: upload each graph, and the provenance
        records, under staging names (one Graph Store Protocol PUT each), then swap all
        into place in one update: the old records out, each graph moved in, the new
        records added. A load killed before the swap leaves staging graphs, dropped on
        the next open. A server that takes fewer operations per update than the swap
        needs (Virtuoso: about 1,000) gets it in several, the records last."""
        texts = {t: ntriples([x for p in parts for x in p.triples]) for t, parts in plan.items()}
        triples = sum(len(p.triples) for parts in plan.values() for p in parts)
        small = (
            sum(len(x) for x in texts.values()) < self.max_update_bytes
            and (self.max_update_triples is None or triples < self.max_update_triples)
            # "_:" may also be in a literal: then the load is staged without need
            and (self.profile.blank_nodes_in_insert_data
                 or not any("_:" in x for x in texts.values()))
        )
        if small:
            super()._write(plan)
            return
        staged: dict[str, str] = {}
        records = f"{STAGING_PREFIX}{uuid.uuid4()}"
        try:
            for target, text in texts.items():
                if text:  # an empty graph is dropped, not moved
                    staged[target] = f"{STAGING_PREFIX}{uuid.uuid4()}"
                    self._put_graph(staged[target], text.encode("utf-8"))
            self._put_graph(records, self._provenance(plan).serialize(format="nt").encode())
            ops = [
                f"MOVE SILENT GRAPH <{staged[t]}> TO GRAPH <{t}>" if t in staged
                else f"DROP SILENT GRAPH <{t}>" for t in plan
            ]
            last = [f"ADD SILENT GRAPH <{records}> TO GRAPH <{META_GRAPH}>",
                    f"DROP SILENT GRAPH <{records}>"]
            size = self.profile.max_update_operations - len(last) - 1
            targets = list(plan)
            for start in range(0, len(ops), size):
                chunk = [self._delete_records(targets[start:start + size]),
                         *ops[start:start + size]]
                if start + size >= len(ops):
                    chunk += last
                self._update(" ;\n".join(chunk))
        except BaseException:
            self._drop_graphs([*staged.values(), records])
            raise

    @staticmethod
    def _delete_records(graphs: list[str]) -> str:
        """One update operation removing the provenance records of ``graphs``."""
        values = " ".join(f"<{g}>" for g in graphs)
        return (f"DELETE {{ GRAPH <{META_GRAPH}> {{ ?g ?p ?o }} }} WHERE {{ "
                f"GRAPH <{META_GRAPH}> {{ ?g ?p ?o }} VALUES ?g {{ {values} }} }}")

    def _put_graph(self, graph: str, body: bytes) -> None:
        url = f"{self.gsp_endpoint}?{urllib.parse.urlencode({'graph': graph})}"
        proxies, login = self._hosts.settings(url)
        try:
            response = self._session.put(
                url, data=body, proxies=proxies, auth=self._auth or login,
                timeout=(10.0, self.update_timeout),
                headers={"Content-Type": "application/n-triples"},
            )
        except requests.RequestException as exc:
            raise StoreError(f"{self.gsp_endpoint}: upload failed: {_reason(exc)}") from None
        if response.status_code >= 400:
            raise StoreError(f"{self.gsp_endpoint}: upload failed: HTTP {response.status_code}: "
                             f"{response.text.strip()[:500]}")

    def _drop_graphs(self, graphs: list[str]) -> None:
        if graphs:
            try:
                self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
            except (StoreError, UserError):
                pass  # best effort: the next open tries again

    def named_graphs(self) -> list[str]:
        table = self._select(self.profile.named_graphs_query or system_query("named-graphs"))
        return sorted(str(r[0]) for r in table.rows if str(r[0]) not in self._excluded)

    def _graph_infos(self, rows: list[dict] | None = None) -> list[GraphInfo]:
        return [g for g in super()._graph_infos(rows) if g.graph not in self._excluded]

    def __len__(self) -> int:
        if self._excluded:
            table = self._select(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
            return sum(int(n) for g, n in table.rows if str(g) not in self._excluded)
        table = self._select(system_query("count-quads"))
        return int(table.rows[0][0]) if table.rows else 0

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None
        self._session.close()


def _reason(exc: BaseException) -> str:
    """The innermost reason of a requests error, without the stack of wrappers."""
    while exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    reason = getattr(exc, "reason", None)
    if isinstance(reason, BaseException):
        exc = reason
    return str(exc).strip()[:500] or type(exc).__name__
