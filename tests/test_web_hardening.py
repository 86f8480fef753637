"""The weaker points of the web app: cookie flags, no machine paths in anything served,
exports without markup from the data, the offline network file under its own CSP, an
empty peildatum meaning the default everywhere, "busy, retry" for user queries, and
secrets compared as bytes."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import SHARED_SOURCES, SOURCES, missing
from test_validation_web import RULES, TOKEN, _csrf, _upload

from sdgraph.build import init_store
from sdgraph.store import EmbeddedStore
from sdgraph.store.sandbox import QueryLimits

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


# --------------------------------------------------------------------------- cookies

def _sources() -> Path:
    """The public sources the example's register facts come from (skip without them)."""
    if SOURCES is None:
        missing(f"the example's register facts are read from {SHARED_SOURCES}, which is absent")
    return SOURCES


def _set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_session_and_language_cookies_are_lax_and_secure_over_https(app) -> None:
    plain = app.test_client().get("/valideren?lang=en")
    cookies = _set_cookies(plain)
    assert len(cookies) == 2 and all("SameSite=Lax" in c for c in cookies), cookies
    assert not any("Secure" in c for c in cookies)  # auto: not over http
    tls = app.test_client().get("/valideren?lang=en", base_url="https://localhost")
    cookies = _set_cookies(tls)
    assert len(cookies) == 2 and all("Secure" in c and "SameSite=Lax" in c for c in cookies)


def test_secure_cookies_can_be_forced(example_store) -> None:
    from web import create_app

    app = create_app(store=example_store, test_config={"TESTING": True,
                                                       "COOKIE_SECURE": "true"})
    cookies = _set_cookies(app.test_client().get("/valideren"))
    assert cookies and all("Secure" in c for c in cookies)


# --------------------------------------------------------------------------- secrets


def test_non_ascii_admin_token_is_403_not_500(tmp_path: Path) -> None:
    from sdgraph.config import Settings
    from web import create_app

    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", _sources())
    store.close()
    app = create_app(settings=Settings(store_path=tmp_path / "store"), test_config={
        "TESTING": True, "SECRET_KEY": "test", "ADMIN_TOKEN": TOKEN})
    client = app.test_client()
    csrf = _csrf(client)
    response = _upload(client, RULES / "register.geldig.ttl", csrf)
    key = re.search(r'href="/valideren/([^".]+)\.json"', response.get_data(as_text=True)).group(1)
    for token in ("é", TOKEN + "é", "\U0001f600" * 8):
        answer = client.post(f"/valideren/{key}/laden", data={"csrf": csrf, "token": token})
        assert answer.status_code == 403, token
    assert client.post(f"/valideren/{key}/laden",
                       data={"csrf": csrf + "é", "token": TOKEN}).status_code == 400
    app.extensions["sdgraph.store"].close()


# --------------------------------------------------------------------------- no machine paths


def test_no_machine_path_is_served(tmp_path: Path) -> None:
    """Provenance records the file name and checksum; pages, /sparql and scenario messages
    show no path of the server."""
    from web import create_app

    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", _sources())
    app = create_app(store=store, test_config={"TESTING": True})
    client = app.test_client()
    machine = re.compile(r"(?:/work/|/home/|/tmp/|/usr/|file://|" + re.escape(str(ROOT)) + ")")
    for url in ("/", "/bronnen", "/bronnen.json", "/bronnen.csv"):
        body = client.get(url).get_data(as_text=True)
        assert not machine.search(body), url
    assert "Voorbeeld: oirschot" in client.get("/bronnen").get_data(as_text=True)
    sources = client.get("/sparql?" + urlencode({"query": (
        "SELECT ?s WHERE { GRAPH <https://w3id.org/sdgraph/graph/meta> { "
        "?g <http://purl.org/dc/terms/source> ?s } }")}),
        headers={"Accept": "text/csv"}).get_data(as_text=True)
    assert "taakuitvoeringen.ttl" in sources and not machine.search(sources)
    checksums = client.get("/sparql?" + urlencode({"query": (
        "SELECT (COUNT(?c) AS ?n) WHERE { GRAPH <https://w3id.org/sdgraph/graph/meta> { "
        "?g <https://w3id.org/sdgraph/def#checksum> ?c } }")}),
        headers={"Accept": "text/csv"}).get_data(as_text=True)
    assert int(checksums.split()[-1]) > 5
    # a scenario for a gemeente it does not fit: the message names the scenario, not a path
    wrong = client.get("/scenario/vergelijk?s=oirschot/a-subregio-de-kempen&gemeente=GM0363")
    body = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and "oirschot/a-subregio-de-kempen.yaml" in body
    assert not machine.search(body)
    store.close()


# --------------------------------------------------------------------------- exports


HOSTILE_YAML = """\
id: script
titel: "<script>alert(1)</script> [klik](javascript:alert(2)) | x"
gemeente: GM0823
peildatum: 2024-01-01
wijzigingen:
  - soort: uittreding
    label: "<img src=x onerror=alert(3)> ``` <script>alert(4)</script>"
    betreft: https://identifier.overheid.nl/tooi/id/so/so0665
    taken: [toegang-wmo]
"""


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_exports_carry_no_markup_from_the_data(client, fmt: str) -> None:
    response = client.post(f"/scenario/vergelijk.{fmt}", data={"yaml": HOSTILE_YAML})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body = response.get_data(as_text=True)
    assert "<script" not in body and "<img" not in body
    if fmt == "json":
        doc = json.loads(body)  # the same text, read back
        assert "<script>alert(1)</script>" in json.dumps(doc, ensure_ascii=False)
    else:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert not re.search(r"(?<!\\)\]\(javascript:", body)  # escaped: no link
        # the details describe each change from its data, not from its free label
        assert "Wijzigingen: Uittreding: Toegang Wmo niet meer via Samenwerking" in body
        assert "alert(3)" not in body and "alert(4)" not in body


def test_offline_network_file_has_its_own_csp(client) -> None:
    response = client.get("/gemeente/GM0823/netwerk.html?peildatum=2020-07-02")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    body = response.get_data(as_text=True)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", body, re.S)
    assert scripts
    import base64
    import hashlib

    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "default-src 'none'" in csp


# --------------------------------------------------------------------------- peildatum


def test_empty_peildatum_means_the_default_on_every_route(client) -> None:
    """Every route that takes a peildatum (from /openapi.json) answers ``peildatum=`` as if
    none was given, and a peildatum that is not a date with a 400 that names it."""
    doc = client.get("/openapi.json").get_json()
    examples = {"code": "GM0823", "rest": "taak/toegang-wmo", "name": "lidmaatschappen",
                "key": "x"}
    checked = 0
    for path, item in doc["paths"].items():
        op = item.get("get")
        if not op or not any(p["name"] == "peildatum" for p in op.get("parameters", [])):
            continue
        if not any(t.startswith(("text/", "application/json"))
                   for t in op["responses"]["200"]["content"]):
            continue  # a binary download (the xlsx template): its peildatum needs a gemeente
        url = re.sub(r"\{(\w+)\}", lambda m: examples[m.group(1)], path)
        extra = {"iri": "https://identifier.overheid.nl/tooi/id/so/so0665",
                 "gemeente": "GM0823", "s": "oirschot/a-subregio-de-kempen"}
        args = {p["name"]: extra[p["name"]] for p in op["parameters"]
                if p["name"] in extra and p.get("required")}
        if path.startswith(("/organisatie", "/scenario")):
            args.update({k: extra[k] for k in ("iri", "s")
                         if any(p["name"] == k for p in op["parameters"])})
        without = client.get(url, query_string=args)
        empty = client.get(url, query_string={**args, "peildatum": ""})
        assert without.status_code == empty.status_code, path
        if without.status_code == 200:
            strip = re.compile(r"""(?:href|action)="[^"]*"|peildatum=[^"&<]*""")
            # the same lines: rows tied on a query's ORDER BY may come in another order
            assert sorted(strip.sub("", without.get_data(as_text=True)).splitlines()) == sorted(
                strip.sub("", empty.get_data(as_text=True)).splitlines()), path
            bad = client.get(url, query_string={**args, "peildatum": "gisteren"})
            assert bad.status_code == 400 and "gisteren" in bad.get_data(as_text=True), path
            checked += 1
    assert checked >= 15


# --------------------------------------------------------------------------- busy


def test_user_queries_beyond_the_workers_are_told_to_retry(tmp_path: Path) -> None:
    from werkzeug.serving import make_server

    from web import create_app

    writer = EmbeddedStore(tmp_path / "store")
    init_store(writer, "oirschot", _sources())
    writer.close()
    store = EmbeddedStore(tmp_path / "store", read_only=True)
    store.query_limits = QueryLimits(workers=1, retry_after=9)
    app = create_app(store=store, test_config={"TESTING": True, "QUERY_TIMEOUT": 20})
    client = app.test_client()
    assert client.get("/sparql?" + urlencode({"query": "ASK {}"})).status_code == 200
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    box: dict = {}

    def runaway() -> None:
        import urllib.error
        import urllib.request

        try:
            urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/sparql?"
                                   + urlencode({"query": RUNAWAY}), timeout=60)
        except urllib.error.HTTPError as exc:
            box["status"] = exc.code

    thread = threading.Thread(target=runaway)
    thread.start()
    try:
        time.sleep(0.5)
        busy = client.get("/sparql?" + urlencode({"query": "ASK {}"}))
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "9"
        assert "busy" in busy.get_data(as_text=True)
        page = client.get("/workbench?" + urlencode({"query": "ASK {}"}))
        assert page.status_code == 503 and page.headers["Retry-After"] == "9"
        assert "probeer het over 9 s opnieuw" in page.get_data(as_text=True)
        assert client.get("/gemeente/GM0823").status_code == 200  # pages are not held up
        assert thread.is_alive()
    finally:
        thread.join(60)
        server.shutdown()
        store.close()
    assert box.get("status") == 503  # the runaway query itself: stopped at the limit


@pytest.mark.parametrize("path", ["/id/%1B", "/resource?uri=https://e/%01",
                                  "/organisatie?iri=https://e/%01",
                                  "/api/query/deelnemers.json?organisatie=https://e/%7F%01"])
def test_control_characters_in_an_iri_are_a_400(client, path: str) -> None:
    """An IRI parameter with a control character is refused by its type (the binder, which
    writes only IRIREF characters, would otherwise fail with a 500)."""
    assert client.get(path).status_code == 400
