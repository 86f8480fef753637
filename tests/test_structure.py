"""The shape of the code the architecture promises (docs/architecture.md): one reader of the
settings, one query library and binder, pages shared by CLI and web, one response path."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdgraph.cli import main
from sdgraph.config import VARIABLES, Settings
from sdgraph.queries import QueryLibrary
from sdgraph.sparql import bind

ROOT = Path(__file__).resolve().parent.parent


def _python_files(*folders: str) -> list[Path]:
    return [p for f in folders for p in sorted((ROOT / f).rglob("*.py"))]


def test_only_settings_reads_the_environment() -> None:
    readers = []
    for path in _python_files("sdgraph", "web"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") and \
                    isinstance(node.value, ast.Name) and node.value.id == "os":
                readers.append(str(path.relative_to(ROOT)))
    assert set(readers) == {"sdgraph/config.py"}, readers


def test_every_variable_is_a_setting_and_read() -> None:
    env = {name: "1" for name in VARIABLES}
    env.update(SDGRAPH_STORE="/tmp/s", SDGRAPH_SOURCES="/tmp/src", SDGRAPH_QUERIES="/a:/b",
               SDGRAPH_ENDPOINT="http://127.0.0.1:1/query")
    settings = Settings.from_env(env=env)
    for name, (attr, _) in VARIABLES.items():
        assert getattr(settings, attr) not in (None, ""), name
    assert settings.query_folders == (Path("/a"), Path("/b"))
    assert settings.sources_origin == "SDGRAPH_SOURCES"
    with pytest.raises(Exception, match="SDGRAPH_LOCK_WAIT"):
        Settings.from_env(env={"SDGRAPH_LOCK_WAIT": "soon"})


def test_no_import_cycles_between_core_modules() -> None:
    """The modules of sdgraph import one way; a cycle at import time fails here."""
    import importlib
    import subprocess
    import sys

    modules = sorted({".".join(p.relative_to(ROOT).with_suffix("").parts)
                      for p in _python_files("sdgraph") if p.name != "__main__.py"})
    for module in modules:  # each in a fresh interpreter: no module hides another's cycle
        name = module.removesuffix(".__init__")
        result = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True,
                                text=True, cwd=ROOT)
        assert result.returncode == 0, (name, result.stderr[-800:])
    importlib.import_module("sdgraph.cli")


def test_the_library_names_public_and_namespaced_queries() -> None:
    lib = QueryLibrary()
    public = lib.names()
    assert "wie-doet-wat" in public and not any("/" in n for n in public)
    assert "scenario/overlay-leden" in lib.names("scenario")
    assert "scenario/uitvoering-nieuw" in lib.names("scenario")  # an update
    assert lib.get("scenario/uitvoering-nieuw").form == "UPDATE"
    assert lib.get("system/labels").form == "SELECT"
    every = lib.names(None)
    assert len(every) == len(public) + sum(len(lib.names(ns)) for ns in
                                           ("derive", "scenario", "system", "validatie",
                                            "inventaris", "zoeken", "foto", "matrix", "netwerk",
                                            "lidmaatschap", "overlap"))


def test_one_binder_for_queries_updates_and_lists() -> None:
    from rdflib import Literal, URIRef

    update = ("INSERT { ?a <p:q> ?b } WHERE { ?a <p:r> ?c } ;\n"
              "DELETE { ?a <p:q> ?b } WHERE { ?a <p:s> ?b }")
    bound = bind(update, {"a": URIRef("x:1")})
    assert bound.count("VALUES (?a) { (<x:1>) }") == 2
    listed = bind("SELECT ?a WHERE { ?a ?p ?o }", {"a": [URIRef("x:1"), URIRef("x:2")],
                                                   "o": Literal("z")})
    assert "VALUES ?a { <x:1> <x:2> }" in listed and 'VALUES (?o) { ("z") }' in listed


def test_cli_and_web_render_the_same_matrix(app, example_store, tmp_path: Path) -> None:
    """The page is computed once: the CLI's JSON equals the web's .json download."""
    from sdgraph.pages import gemeente, matrix
    from sdgraph.runner import Runner

    web = app.test_client().get("/gemeente/GM0823/matrix.json?peildatum=2020-07-02").get_json()
    run = Runner(example_store)
    page = matrix.gemeente(run, gemeente.lookup(run, "GM0823"), "2020-07-02")
    assert json.loads(page.to_json()) == web
    assert web["view"] == "wie-doet-wat" and web["params"]["peildatum"] == "2020-07-02"


@pytest.mark.parametrize("url", [
    "/gemeente/GM0823/matrix.json?peildatum=bad",
    "/gemeente/GM0823/matrix.csv?peildatum=bad",
    "/gemeente/GM0823/klantreis.json?peildatum=bad",
    "/gemeente/GM0823/netwerk.json?peildatum=bad",
    "/gemeente/GM0823/foto.json?peildatum=bad",
    "/gemeente/GM0823/lidmaatschappen.json?peildatum=bad",
    "/gemeente/GM0823.json?peildatum=bad",
    "/gemeenten.json?peildatum=bad",
    "/organisatie.json?iri=geen%20iri",
    "/organisatie/matrix.json?iri=geen%20iri",
    "/overlap.json?peildatum=bad",
    "/overlap/paren.csv?peildatum=bad",
    "/api/query/lidmaatschappen.json?peildatum=bad",
    "/query/lidmaatschappen.csv?peildatum=bad",
    "/gemeente/GM9999/matrix.json",
    "/api/query/bestaat-niet.json",
])
def test_errors_on_downloads_and_the_api_are_json(client, url: str) -> None:
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert response.mimetype == "application/json", url
    body = response.get_json()
    assert body["status"] == response.status_code and body["error"], url


@pytest.mark.parametrize("url", [
    "/gemeente/GM0823?peildatum=2020-07-02", "/gemeente/GM0823/matrix?peildatum=2020-07-02",
    "/gemeente/GM0823/klantreis?peildatum=2020-07-02", "/gemeente/GM0823/foto",
    "/gemeente/GM0823/netwerk", "/gemeenten",
    "/organisatie?iri=https://identifier.overheid.nl/tooi/id/so/so0665", "/overlap",
])
def test_pages_link_their_downloads(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    links = [part.split(";")[0].strip(" <>") for part in response.headers["Link"].split(",")]
    assert links, url
    for link in links:
        download = client.get(link)
        assert download.status_code == 200, link
        assert download.mimetype in ("application/json", "text/csv", "text/plain",
                                     "application/vnd.openxmlformats-officedocument."
                                     "spreadsheetml.sheet"), link


def test_every_user_error_exits_2_and_a_no_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["matrix"]).exit_code == 2  # neither gemeente nor organisatie
    assert runner.invoke(main, ["query", "gemeente", "-p", "peildatum"]).exit_code == 2
    assert runner.invoke(main, ["bestaat-niet"]).exit_code == 2  # click's own usage error
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sd: <https://w3id.org/sdgraph/def#> .\n"
                   "<https://example.org/t> a sd:Taakuitvoering .\n", encoding="utf-8")
    assert runner.invoke(main, ["validate", str(bad)]).exit_code == 1
