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


def _key(response) -> str:
    return re.search(r'href="/valideren/([^".]+)\.json"', response.get_data(as_text=True)).group(1)


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
    assert "sdgraph validate register.geldig.ttl --reference --load" in html


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
    target = "https://w3id.org/sdgraph/graph/inventaris/gm0823/inventaris"
    assert new == {target, "https://w3id.org/sdgraph/graph/historie/inventaris/gm0823/"
                           "inventaris/v1"}
    info = graphs[target]
    assert info.triples == 7 * 4 and info.source == "register.geldig.ttl"
    # the version is listed on the page of the gemeente's inventories
    history = client.get("/inventarissen/GM0823").get_data(as_text=True)
    assert "register.geldig.ttl" in history and "beheerder via de website" in history


def test_several_files_at_once_as_the_cli(client):
    csrf = _csrf(client)
    files = [RULES / "verlopen-overeenkomst.geldig.ttl", ORGS]
    response = client.post("/valideren", data={
        "csrf": csrf, "peildatum": "2024-08-01",
        "bestand": [(io.BytesIO(p.read_bytes()), p.name) for p in files],
    }, content_type="multipart/form-data")
    assert response.status_code == 200
    data = json.loads(client.get(f"/valideren/{_key(response)}.json").get_data(as_text=True))
    assert data["files"] == [p.name for p in files]
    assert data["conforms"] is True


def test_conversion_errors_are_a_table(client):
    csrf = _csrf(client)
    sheet = (b"id;gemeente;taak;geldig vanaf;kleur\n"
             b"a;Oirschot;Toegang jeugdhulp;1-13-2020;rood\n")
    response = client.post("/valideren", data={
        "csrf": csrf, "peildatum": "2024-08-01",
        "bestand": (io.BytesIO(sheet), "taakuitvoeringen.csv"),
    }, content_type="multipart/form-data")
    assert response.status_code == 400
    page = get_page(client, "/valideren")  # the form itself still renders without errors
    html = response.get_data(as_text=True)
    assert 'data-testid="conversion-errors"' in html
    rows = re.findall(r'<tr class="severity-violation">(.*?)</tr>', html, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in rows]
    assert ["taakuitvoeringen.csv", "Taakuitvoeringen", "1", "kleur", "kleur",
            "onbekende kolom &#39;kleur&#39;"] == cells[0][:6]
    assert cells[1][:6] == ["taakuitvoeringen.csv", "Taakuitvoeringen", "2", "geldig vanaf",
                            "1-13-2020", "&#39;1-13-2020&#39; is geen datum"]
    assert cells[1][6].startswith("Schrijf een datum als JJJJ-MM-DD")
    assert page.html.count('name="csrf"') >= 1


def test_report_styles_and_links_each_message_to_its_record(client):
    response = _upload(client, RULES / "onbekende-taak.ongeldig.ttl", _csrf(client))
    html = response.get_data(as_text=True)
    # fout, waarschuwing and (when any) opmerking each have their own badge style and sign
    assert 'class="badge severity-badge badge-violation"><span aria-hidden="true">✖</span> fout' \
        in html
    assert 'badge-warning"><span aria-hidden="true">⚠</span> waarschuwing' in html
    css = client.get("/static/sdgraph.css").get_data(as_text=True)
    for kind in ("violation", "warning", "info"):
        assert f".badge-{kind}" in css
    # every message in the overview links to its record, which shows what was read
    targets = set(re.findall(r'<a href="#(g-\d+)">', html))
    anchors = set(re.findall(r'<article class="finding-group" id="(g-\d+)"', html))
    assert targets and targets == anchors
    assert "Wat de inventaris hierover zegt" in html
    # a record the store knows (the gemeente of a completeness warning) links to its page
    assert 'href="/resource?uri=https://identifier.overheid.nl/tooi/id/gemeente/gm0823"' in html


@pytest.mark.parametrize("name", ["inventaris 2024.ttl", "in<v>e{n}t|a^ris`.ttl",
                                  "inventaris\x00.ttl", "../../etc/inventaris.ttl",
                                  'inventaris "2024".ttl'])
def test_upload_names_are_safe(client, name: str):
    response = _upload(client, RULES / "datum.geldig.ttl", _csrf(client), name=name)
    if '"' in name:  # a multipart name with a quote reaches the app cut short: refused, no 500
        assert response.status_code in (200, 400)
        return
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    data = json.loads(client.get(f"/valideren/{_key(response)}.json").get_data(as_text=True))
    (shown,) = data["files"]
    assert "\x00" not in shown and "/" not in shown and shown.endswith(".ttl")


def test_template_downloads_empty_and_prefilled(client):
    from openpyxl import load_workbook

    from sdgraph.inventory import EXPLANATION, LISTS, SHEETS

    page = get_page(client, "/valideren")
    assert ("/valideren/sjabloon.xlsx", "Download het lege sjabloon (.xlsx)") in page.links
    empty = client.get("/valideren/sjabloon.xlsx")
    assert empty.status_code == 200
    assert empty.headers["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(empty.data))
    assert book.sheetnames == [EXPLANATION] + [s for s, _, _ in SHEETS] + [LISTS]
    assert not any(c.value for row in book["Taakuitvoeringen"].iter_rows(min_row=2) for c in row)
    filled = client.get("/valideren/sjabloon.xlsx?gemeente=GM0823&peildatum=2024-08-01")
    sheet = load_workbook(io.BytesIO(filled.data))["Taakuitvoeringen"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True))
            for row in sheet.iter_rows(min_row=2)]
    ids = {r["id"] for r in rows}
    # the example's records that run on 2024-08-01, keyed so that a re-import keeps their IRIs
    assert "toegang-jeugdhulp/toegang" in ids and "jeugdhulp-ambulant/inkoop" not in ids
    first = next(r for r in rows if r["id"] == "toegang-jeugdhulp/toegang")
    assert (first["gemeente"], first["taak"], first["uitvoerder"]) == (
        "GM0823", "Toegang jeugdhulp", "Oirschot (GM0823)")
    assert client.get("/valideren/sjabloon.xlsx?gemeente=nergens").status_code == 400


def test_reports_are_shared_by_workers_and_capped_per_session(example_store, tmp_path: Path):
    """Two apps over one instance folder stand in for two workers: a report made by one is
    read by the other; a session keeps five; a forged or expired key is a 404."""
    from web import create_app

    config = {"TESTING": True, "SECRET_KEY": "gedeeld", "INSTANCE_FOLDER": str(tmp_path)}
    one = create_app(store=example_store, test_config=config).test_client()
    two_app = create_app(store=example_store, test_config=config)
    two = two_app.test_client()
    csrf = _csrf(one)
    keys = [_key(_upload(one, RULES / "datum.geldig.ttl", csrf)) for _ in range(6)]
    cookie = one.get_cookie("session")
    two.set_cookie("session", cookie.value)
    assert two.get(f"/valideren/{keys[-1]}.json").status_code == 200
    assert two.get(f"/valideren/{keys[-1]}").status_code == 200
    assert two.get(f"/valideren/{keys[0]}.json").status_code == 404  # the sixth evicted it
    assert len([p for p in (tmp_path / "valideren").iterdir() if p.is_dir()]) == 5
    forged = keys[-1][:-2] + ("AA" if not keys[-1].endswith("AA") else "BB")
    assert two.get(f"/valideren/{forged}.json").status_code == 404
    staging = two_app.extensions["sdgraph.staging"]
    staging.keep_seconds = -1  # every report is now past its hour
    assert two.get(f"/valideren/{keys[-1]}.json").status_code == 404


def test_secret_key_is_kept_in_the_instance_folder(example_store, tmp_path: Path):
    from sdgraph.config import Settings
    from web import create_app

    settings = Settings(store_path=tmp_path / "store", instance_path=tmp_path / "instance")
    first = create_app(settings=settings, store=example_store)
    second = create_app(settings=settings, store=example_store)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0
    fixed = create_app(settings=Settings(store_path=tmp_path / "store", secret_key="vast",
                                         instance_path=tmp_path / "instance"),
                       store=example_store)
    assert fixed.config["SECRET_KEY"] == "vast"
