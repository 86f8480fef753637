"""The web page Valideren: upload, report, downloads, CSRF, gated load."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from conftest import SOURCES, get_page

from sdgraph.build import init_store
from sdgraph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "tests" / "data" / "validation" / "regels"
ORGS = ROOT / "tests" / "data" / "validation" / "organisaties.ttl"


def _csrf(client) -> str:
    page = client.get("/valideren").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _upload(client, path: Path, csrf: str, peildatum: str = "2024-08-01", name: str | None = None):
    body = path.read_bytes()
    return client.post("/valideren", data={
        "csrf": csrf, "peildatum": peildatum,
        "bestand": (io.BytesIO(body), name or path.name),
    }, content_type="multipart/form-data")


TOKEN = "beheer-" + "x" * 24


@pytest.fixture
def writable_client(tmp_path: Path):
    """The production set-up: the app reads the store read-only and writes only through an
    admin action (token), which opens the store for writing for that action alone."""
    from sdgraph.config import Settings
    from web import create_app

    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    store.close()
    app = create_app(settings=Settings(store_path=tmp_path / "store"), test_config={
        "TESTING": True, "SECRET_KEY": "test", "ADMIN_TOKEN": TOKEN})
    reader = EmbeddedStore(tmp_path / "store", read_only=True)
    yield app.test_client(), reader
    reader.close()
    app.extensions["sdgraph.store"].close()


def test_form_has_labels_csrf_and_nav(client):
    page = get_page(client, "/valideren")
    assert "Valideren" in page.text
    assert ("/valideren", "Valideren") in page.links
    assert re.search(r'name="csrf" value="[^"]{20,}"', page.html)


def test_upload_shows_the_report_with_labels(client):
    response = _upload(client, RULES / "register.geldig.ttl", _csrf(client))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-testid="verdict"' in html and "Voldoet" in html
    # the inventory is Oirschot's memberships: with the example's register all are confirmed;
    # without an administrator token the website does not load, it names the command
    assert "Inventaris laden" not in html
    assert "sdgraph validate register.geldig.ttl --load" in html


def test_upload_with_errors_offers_no_load_and_downloads_work(client):
    csrf = _csrf(client)
    response = _upload(client, RULES / "onbekende-taak.ongeldig.ttl", csrf)
    html = response.get_data(as_text=True)
    assert "Voldoet niet." in html and "Inventaris laden" not in html
    key = re.search(r'href="/valideren/([^".]+)\.json"', html).group(1)
    data = json.loads(client.get(f"/valideren/{key}.json").get_data(as_text=True))
    assert data["conforms"] is False
    rules = {r["rule"] for g in data["groups"] for r in g["results"]}
    assert "taak" in rules
    page = client.get(f"/valideren/{key}.html")
    assert page.headers["Content-Disposition"].startswith("attachment")
    refused = client.post(f"/valideren/{key}/laden", data={"csrf": csrf})
    assert refused.status_code == 400


def test_csrf_size_and_type_are_checked(client):
    assert _upload(client, RULES / "datum.geldig.ttl", "vals").status_code == 400
    csrf = _csrf(client)
    assert _upload(client, RULES / "datum.geldig.ttl", csrf, name="x.exe").status_code == 400
    big = client.post("/valideren", data={
        "csrf": csrf, "bestand": (io.BytesIO(b"#" * (6 * 1024 * 1024)), "groot.ttl"),
    }, content_type="multipart/form-data")
    assert big.status_code == 413
    broken = client.post("/valideren", data={
        "csrf": csrf, "bestand": (io.BytesIO(b"<a> <b> ."), "kapot.ttl"),
    }, content_type="multipart/form-data")
    assert broken.status_code == 400


def test_reports_are_private_to_the_session(client, app):
    response = _upload(client, RULES / "datum.geldig.ttl", _csrf(client))
    key = re.search(r'href="/valideren/([^".]+)\.json"', response.get_data(as_text=True)).group(1)
    other = app.test_client()
    assert other.get(f"/valideren/{key}.json").status_code == 404


def test_nothing_is_written_until_the_user_loads(writable_client):
    client, store = writable_client
    before = {g.graph: g.triples for g in store.graphs()}
    csrf = _csrf(client)
    response = _upload(client, RULES / "register.geldig.ttl", csrf)
    assert {g.graph: g.triples for g in store.graphs()} == before
    key = re.search(r'href="/valideren/([^".]+)\.json"', response.get_data(as_text=True)).group(1)
    assert "Inventaris laden" in response.get_data(as_text=True)
    assert client.post(f"/valideren/{key}/laden",
                       data={"csrf": "vals", "token": TOKEN}).status_code == 400
    assert client.post(f"/valideren/{key}/laden",
                       data={"csrf": csrf, "token": "fout"}).status_code == 403
    assert client.post(f"/valideren/{key}/laden", data={"csrf": csrf}).status_code == 403
    assert {g.graph: g.triples for g in store.graphs()} == before
    loaded = client.post(f"/valideren/{key}/laden", data={"csrf": csrf, "token": TOKEN})
    assert loaded.status_code == 200 and 'data-testid="geladen"' in loaded.get_data(as_text=True)
    graphs = {g.graph: g for g in store.graphs()}
    new = set(graphs) - set(before)
    assert new == {"https://w3id.org/sdgraph/graph/file/register.geldig"}
    info = graphs[new.pop()]
    assert info.triples == 7 * 4 and info.source == "register.geldig.ttl"
