"""Shared fixtures: stores for both backends, the Flask app, client and CLI runner.

The remote backend is tested on two real servers on 127.0.0.1, each started
once per session: ``oxigraph serve`` and OpenLink Virtuoso 7. Outside CI a
missing component (oxigraph binary, Virtuoso, Java, chromium, ../shared) skips
the tests that need it with the reason; in CI (CI=true) it fails them, so
nothing is silently not tested there.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
import virtuoso_server as virtuoso
from click.testing import CliRunner

from sdgraph.build import init_store
from sdgraph.config import Settings
from sdgraph.store import EmbeddedStore, RemoteStore, Store

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Loads do not compute the national aggregates into the store (sdgraph.materialise: seconds
# per load): tests/test_materialise.py turns it on where it is tested.
os.environ.setdefault("SDGRAPH_MATERIALISE", "0")
_SETTINGS = Settings.from_env()
#: The public sources folder the settings name (SDGRAPH_SOURCES, else ../shared/data/sources);
#: SDGRAPH_SOURCES=/nonexistent runs the suite as a machine without it would.
SHARED_SOURCES = _SETTINGS.sources or ROOT.parent / "shared" / "data" / "sources"
#: That folder when it exists, else None.
SOURCES = _SETTINGS.sources_folder()


#: Fixtures whose importer looks for a register's own file name: the name in
#: tests/data (without ``.fixture``) -> the name the importer reads.
SOURCE_NAMES = {
    "tooi/gemeenten-sample.json": "rwc_gemeenten_compleet_1.json",
    "regio/cbs-gebieden/gebieden-2016-sample.json": "83287NED-gebieden-2016-codes.json",
}


def _materialize(src: Path) -> Path:
    """Copy tests/data to a temporary folder, ``x.fixture.csv`` becoming ``x.csv``.

    The hand-written fixtures never carry the file name of a public source in
    the repository (the real files stay in ../shared); the importers, which
    look for those names, read this copy (``SOURCE_NAMES`` renames the rest).
    """
    dest = Path(tempfile.mkdtemp(prefix="sdgraph-fixtures-"))
    atexit.register(shutil.rmtree, dest, ignore_errors=True)
    for path in src.rglob("*"):
        if path.is_file():
            target = dest / path.relative_to(src)
            target = target.with_name(target.name.replace(".fixture.", ".", 1))
            rename = SOURCE_NAMES.get(target.relative_to(dest).as_posix())
            if rename:
                target = target.with_name(rename)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return dest


#: tests/data with the fixtures under the names the importers expect.
FIXTURE_DATA = _materialize(ROOT / "tests" / "data")


def missing(reason: str) -> None:
    """Skip (or fail in CI) because a component the test needs is absent."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def index_serves_once_current(store: Store, index, name: str,
                              values: dict[str, str]) -> tuple[object, int]:
    """An index made at load time (matrix_index, lidmaatschap_index, overlap_index) on
    ``store`` with the Oirschot example loaded without materialisation: not current, so
    not served and the query runs live; once refreshed it is current and gives the live
    rows in the same order. Returns the query and the number of entries written."""
    from sdgraph.build import init_store
    from sdgraph.queries import bundled_library

    if SOURCES is None:
        missing("the Oirschot example's register facts come from ../shared/data/sources")
    init_store(store, "oirschot", SOURCES)
    query = bundled_library().get(name)
    assert not index.current(store)
    assert index.answer(store, query, query.terms(values)) is None
    live = query.run(store, values)
    assert live.rows
    count, _ = index.refresh(store)
    assert count >= 2 and index.current(store)
    assert query.run(store, values).rows == live.rows  # served from the index
    return query, count


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


class OxigraphServer:
    """A real Oxigraph server process bound to 127.0.0.1."""

    def __init__(self, data_dir: Path, *extra_args: str) -> None:
        binary = oxigraph_binary()
        if binary is None:
            missing("the 'oxigraph' server is not installed (pip install oxigraph)")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(data_dir / "oxigraph.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                binary,
                "serve",
                "--location",
                str(data_dir / "db"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
                *extra_args,
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not start; see {data_dir / 'oxigraph.log'}")

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    def open_store(self, **options) -> RemoteStore:
        return RemoteStore(self.query_url, **options)

    def env(self) -> dict[str, str]:
        """SDGRAPH_* variables that point the CLI at this server."""
        return {"SDGRAPH_ENDPOINT": self.query_url}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class VirtuosoServer(virtuoso.VirtuosoServer):
    """A real OpenLink Virtuoso 7 on 127.0.0.1 (tests/virtuoso_server.py); skipped, or failed in
    CI, when Virtuoso is not installed."""

    def __init__(self, data_dir: Path) -> None:
        if virtuoso.binaries() is None:
            missing("Virtuoso is not installed (Debian package virtuoso-opensource; "
                    "scripts/system-deps.sh installs it)")
        super().__init__(data_dir)

    def open_store(self, **options) -> RemoteStore:
        return RemoteStore(self.query_url, user=self.user, password=self.password, **options)


#: the SPARQL servers the remote backend is tested on
REMOTE_SERVERS = ["oxigraph", "virtuoso"]
#: query URL -> the running test server behind it
SERVERS: dict[str, OxigraphServer | VirtuosoServer] = {}


def server_of(store: RemoteStore) -> OxigraphServer | VirtuosoServer:
    """The test server behind a remote store (to reopen it, or point the CLI at it)."""
    return SERVERS[store.endpoint]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    SERVERS[server.query_url] = server
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    SERVERS[server.query_url] = server
    yield server
    server.stop()


@pytest.fixture(params=REMOTE_SERVERS)
def remote_server(request: pytest.FixtureRequest):
    """Each real SPARQL server (session-wide), for tests of the remote backend only."""
    return request.getfixturevalue(f"{request.param}_server")


def wipe(store: Store) -> None:
    """Remove every graph (Virtuoso ignores DROP ALL: graph by graph)."""
    graphs = store.named_graphs()
    if graphs:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
    if isinstance(store, RemoteStore) and store.profile.name != "virtuoso":
        store.update("DROP SILENT DEFAULT")
    assert len(store) == 0


def remote_store(request: pytest.FixtureRequest, server: str) -> RemoteStore:
    """An empty remote store on the named server."""
    s = request.getfixturevalue(f"{server}_server").open_store()
    wipe(s)
    return s


@pytest.fixture(params=["embedded", *REMOTE_SERVERS])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend (embedded, and remote on each server): the same
    tests run on all."""
    if request.param == "embedded":
        s: Store = EmbeddedStore(tmp_path / "store")
    else:
        s = remote_store(request, request.param)
    yield s
    if request.param != "embedded":
        # the server is shared by the session: a graph left behind (a reference graph
        # makes `sdgraph init` skip the example's register facts) must not leak
        wipe(s)
    s.close()


def without_baseline(store: Store) -> Store:
    """The store without the baseline graph (docs/baseline.md): for tests that count the
    example's own inventory by hand; the baseline over it is tested in test_baseline*.py."""
    from sdgraph.derive import GRAPH_IRI

    store.drop_graph(GRAPH_IRI)
    return store


def inventory_only_store() -> Iterator[Store]:
    """An in-memory store with the Oirschot example and without the baseline; skips (fails
    in CI) without the public sources its register facts come from."""
    if SOURCES is None:
        missing(f"the Oirschot example's register facts are read from {SHARED_SOURCES}, "
                "which is absent")
    s = EmbeddedStore(None)
    init_store(s, "oirschot", SOURCES)
    without_baseline(s)
    yield s
    s.close()


@pytest.fixture(scope="session")
def example_store() -> Iterator[Store]:
    """An in-memory embedded store with the bundled Oirschot example and its register facts
    (read-only use); skips (fails in CI) without the public sources they come from."""
    if SOURCES is None:
        missing(f"the Oirschot example's register facts are read from {SHARED_SOURCES}, "
                "which is absent")
    s = EmbeddedStore(None)
    init_store(s, "oirschot", SOURCES)
    yield s
    s.close()


@pytest.fixture
def materialising_example(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """An embedded store on disk with the Oirschot example and its register facts that
    computes the national aggregates and the load-time indexes at every load, as the CLI's
    stores do; skips (fails in CI) without the public sources."""
    if SOURCES is None:
        missing("the Oirschot example's register facts come from ../shared/data/sources")
    store = EmbeddedStore(tmp_path / "materialising")
    store.materialise = True
    init_store(store, "oirschot", SOURCES)
    yield store
    store.close()


@pytest.fixture
def app(example_store: Store):
    from web import create_app

    return create_app(store=example_store, test_config={"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner with its own embedded store folder (SDGRAPH_STORE)."""
    monkeypatch.setenv("SDGRAPH_STORE", str(tmp_path / "cli-store"))
    monkeypatch.delenv("SDGRAPH_ENDPOINT", raising=False)
    return CliRunner()


def example_files(folder: Path) -> list[Path]:
    """An example's Turtle files plus its register facts, read from ../shared by
    sdgraph.register into a temporary file (the facts are never in the repository);
    skips the test when there is no sources folder."""
    from sdgraph.register import register_facts

    files = sorted(folder.rglob("*.ttl"))
    if (folder / "register.txt").is_file():
        if SOURCES is None:
            missing("the example's register facts are read from ../shared/data/sources, "
                    "which is absent")
        facts = register_facts(folder.name, SOURCES)
        path = Path(tempfile.gettempdir()) / f"sdgraph-test-register-{folder.name}.nt"
        path.write_bytes(facts or b"")
        files.append(path)
    return files


# --------------------------------------------------------------------------- HTML pages


class Page(HTMLParser):
    """The parts of a page the tests look at: tables (by id), links, text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.lang: str | None = None
        self.tables: dict[str, list[list[dict]]] = {}
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.badges: list[str] = []
        self.messages: list[str] = []
        self.texts: list[str] = []
        self._table: str | None = None
        self._in_body = False
        self._row: list[dict] | None = None
        self._cell: dict | None = None
        self._link: list | None = None
        self._capture: list[str] | None = None
        self._capture_into: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "table":
            self._table = a.get("id", f"table{len(self.tables)}")
            self.tables[self._table] = []
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._table and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = {"text": "", "links": [], "class": a.get("class") or ""}
        elif tag == "a" and a.get("href") is not None:
            self._link = [a["href"], ""]
        elif tag == "span" and "badge" in (a.get("class") or ""):
            self._capture, self._capture_into = [], self.badges
        elif tag == "p" and "message" in (a.get("class") or ""):
            self._capture, self._capture_into = [], self.messages

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._cell["text"] = " ".join(self._cell["text"].split())
            self._row.append(self._cell)
            self._cell = None
        elif tag == "a" and self._link is not None:
            href, text = self._link
            self.links.append((href, " ".join(text.split())))
            if self._cell is not None:
                self._cell["links"].append(href)
            self._link = None
        elif tag in ("span", "p") and self._capture is not None:
            self._capture_into.append(" ".join("".join(self._capture).split()))
            self._capture = None

    def handle_data(self, data):
        self.texts.append(data)
        if self._cell is not None:
            self._cell["text"] += data
        if self._link is not None:
            self._link[1] += data
        if self._capture is not None:
            self._capture.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def rows(self, table: str) -> list[list[dict]]:
        assert table in self.tables, f"no table {table!r}; tables: {list(self.tables)}"
        return self.tables[table]

    def column(self, table: str, index: int) -> list[str]:
        return [row[index]["text"] for row in self.rows(table)]


@contextmanager
def serving(app, name: str = "sdgraph-web") -> Iterator[str]:
    """Serves a Flask app for real on 127.0.0.1 (werkzeug, threaded, a free port) and yields
    its base URL; the server stops when the block ends."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


#: The Debian chromium Playwright drives in the browser tests.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """One chromium for every browser test of the session (each test opens its own page)."""
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the python package 'playwright' is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def get_page(client, url: str, status: int = 200) -> Page:
    response = client.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == status, (url, response.status_code, body[:500])
    assert response.mimetype == "text/html"
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    assert title and "<" not in title.group(1), f"{url}: markup in <title>"
    ids = re.findall(r'\bid="([^"]+)"', body)
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"{url}: duplicate ids {twice}"
    return Page(body)
