"""The OpenAPI 3.0 description of every route that takes input, served at /openapi.json.

Every named query is a path ``/api/query/NAME.json`` (and ``.csv``) whose query
parameters are the query's typed parameters, so the description is always as
complete as the library. The pages and their downloads (gemeente, matrix,
klantreis, netwerk, foto, organisatie, overlap, resources, the workbench,
Valideren and the scenario's) are described from :data:`PAGES`, so the fuzz
test (tests/test_fuzz_api.py) drives all of them. The upload form gets its CSRF
token from the form page's ``X-CSRF-Token`` header: an OpenAPI link says so,
and the stateful fuzz test follows it with the session's cookie.
"""

from __future__ import annotations

from typing import Any

from sdgraph.queries import NamedQuery, Param, QueryLibrary
from sdgraph.scenario.vergelijking import CRITERIA

from .export import DOWNLOAD_SUFFIXES

#: Query parameter type -> JSON Schema
SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "iri": {"type": "string", "format": "uri"},
    "gemeente": {"type": "string", "example": "GM0823"},
    "organisatie": {"type": "string", "example": "https://identifier.overheid.nl/tooi/id/so/so0665"},
    "date": {"type": "string", "format": "date"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
}
ERROR = {
    "description": "A parameter the query cannot use; the message says which and why.",
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "string"}, "query": {"type": "string"},
                       "status": {"type": "integer"}},
    }}},
}
TABLE = {
    "type": "object",
    "required": ["columns", "rows"],
    "properties": {
        "query": {"type": "string"},
        "params": {"type": "object", "additionalProperties": {"type": "string"}},
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {"type": "array", "items": {"type": "object"}},
        "count": {"type": "integer"},
    },
}
PLAIN = {"text/plain": {"schema": {"type": "string"}}}


def _parameter(param: Param) -> dict[str, Any]:
    schema = dict(SCHEMAS.get(param.type, {"type": "string"}))
    if param.default not in (None, "", "-", "today"):
        schema["default"] = param.default
    return {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": f"{param.label.get('en') or param.name} ({param.type})",
        "schema": schema,
    }


def _operation(query: NamedQuery, fmt: str) -> dict[str, Any]:
    ok = ({"application/json": {"schema": TABLE}} if fmt == "json"
          else {"text/csv": {"schema": {"type": "string"}}})
    return {"get": {
        "operationId": f"{query.name}.{fmt}",
        "summary": query.label("en"),
        "description": query.describe("en"),
        "tags": ["queries"],
        "parameters": [_parameter(p) for p in query.params],
        "responses": {"200": {"description": "The rows.", "content": ok}, "400": ERROR},
    }}


def _sparql() -> dict[str, Any]:
    """GET, and POST with the query as a form field or as the body."""
    get = _sparql_get()
    post = {**get["get"], "operationId": "sparql.post", "parameters": [],
            "requestBody": {"required": True, "content": {
                "application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "properties": {"query": {"type": "string"}}}},
                "application/sparql-query": {"schema": {"type": "string"}}}}}
    post["responses"] = {**post["responses"], "415": {"description": "Unknown body type.",
                                                      "content": PLAIN}}
    return {**get, "post": post}


def _sparql_get() -> dict[str, Any]:
    results = {media: {"schema": {"type": "string"}} for media in (
        "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
        "text/tab-separated-values", "text/turtle", "application/n-triples",
        "application/rdf+xml", "application/ld+json", "text/n3", "text/html")}
    graphs = {"type": "array", "items": {"type": "string"}}
    return {"get": {
        "operationId": "sparql",
        "summary": "SPARQL 1.1 Protocol endpoint (read-only)",
        "description": "Without a query: the service description. The dataset: "
                       "default-graph-uri / named-graph-uri, else the query's FROM / FROM "
                       "NAMED, from the store's own graphs (never fetched). Updates, SERVICE, "
                       "two query parameters or an empty one are refused (400); a query over "
                       "the time limit is stopped (503). Also POST (form or "
                       "application/sparql-query) and HEAD.",
        "tags": ["sparql"],
        "parameters": [{"name": "query", "in": "query", "required": False,
                        "schema": {"type": "string"}},
                       {"name": "default-graph-uri", "in": "query", "required": False,
                        "schema": graphs, "style": "form", "explode": True},
                       {"name": "named-graph-uri", "in": "query", "required": False,
                        "schema": graphs, "style": "form", "explode": True},
                       {"name": "format", "in": "query", "required": False,
                        "schema": {"type": "string"},
                        "description": "json, xml, csv, tsv, turtle, ntriples, n3, rdfxml, "
                                       "jsonld or html; an unknown value is ignored "
                                       "(Accept decides)"}],
        "responses": {
            "200": {"description": "Results or graph, by Accept header.", "content": results},
            "400": {"description": "Not a read-only SPARQL query.", "content": PLAIN},
            "406": {"description": "No acceptable format.", "content": PLAIN},
            "503": {"description": "Stopped at the time limit, busy (Retry-After), or store "
                    "unavailable.", "content": PLAIN,
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
        },
    }}


def description(library: QueryLibrary, version: str) -> dict[str, Any]:
    paths: dict[str, Any] = {"/sparql": _sparql(), **_pages()}
    for query in library.all():
        if query.form != "SELECT":
            continue
        for fmt in ("json", "csv"):
            paths[f"/api/query/{query.name}.{fmt}"] = _operation(query, fmt)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "sdgraph API",
            "version": version,
            "description": "Named queries of the sociaal-domein knowledge graph as JSON and "
                           "CSV, the read-only SPARQL endpoint, and every page and "
                           "download that takes input.",
        },
        "paths": paths,
    }


# --------------------------------------------------------------------------- pages

HTML = {"text/html": {"schema": {"type": "string"}}}
JSON_ERROR = {"application/json": {"schema": {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}}}}
#: Any type and body: RDF in the serialisation asked for (JSON-LD is JSON, Turtle is
#: text), or the page.
ANY = {"*/*": {"schema": {}}}
RETRY = {"Retry-After": {"description": "Seconds to wait before trying again.",
                         "schema": {"type": "integer"}}}


def _responses(ok: dict[str, Any], *extra: int) -> dict[str, Any]:
    """200 with ``ok``; redirects and errors as HTML pages (their own status)."""
    out: dict[str, Any] = {"200": {"description": "The page or download.", "content": ok}}
    for status in (301, 302, 308, 400, 404, *extra):
        out[str(status)] = {"description": "A redirect or an error page.", "content": HTML}
    return out


def _busy(responses: dict[str, Any]) -> dict[str, Any]:
    responses["503"] = {"description": "Stopped at a limit, or busy: try again later.",
                        "content": HTML, "headers": RETRY}
    return responses


def _q(name: str, schema: dict[str, Any] | None = None, required: bool = False,
       where: str = "query", **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path",
            "schema": schema or {"type": "string"}, **extra}


GEMEENTE = _q("code", {"type": "string", "example": "GM0823"}, where="path")
PEILDATUM = _q("peildatum", {"type": "string", "format": "date"},
               description="The day the page shows (empty: the default)")
LANG = _q("lang", {"type": "string", "enum": ["nl", "en"]})
FORMATS = {"json": {"application/json": {"schema": {"type": "object"}}},
           "csv": {"text/csv": {"schema": {"type": "string"}}},
           "graphml": {"application/graphml+xml": {"schema": {"type": "string"}}},
           "html": HTML,
           "txt": {"text/plain": {"schema": {"type": "string"}}},
           "md": {"text/markdown": {"schema": {"type": "string"}}},
           "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
               "schema": {"type": "string", "format": "binary"}}},
           "svg": {"image/svg+xml": {"schema": {"type": "string"}}},
           "geojson": {"application/geo+json": {"schema": {"type": "object"}}},
           "pdf": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
           "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
               "schema": {"type": "string", "format": "binary"}}}}
SCENARIO_ARGS = [
    _q("s", {"type": "array", "items": {"type": "string",
                                        "example": "oirschot/a-subregio-de-kempen"}},
       style="form", explode=True),
    _q("sc", {"type": "array", "items": {"type": "string"}}, style="form", explode=True,
       description="Own scenarios as link values (the builder's shareable state)"),
    _q("gemeente", {"type": "string", "example": "GM0823"}), PEILDATUM,
    *(_q(f"w_{c}", {"type": "number"}) for c in CRITERIA),
]
SCENARIO_FORM = {"required": False, "content": {"application/x-www-form-urlencoded": {"schema": {
    "type": "object",
    "properties": {"s": {"type": "array", "items": {"type": "string"}},
                   "sc": {"type": "array", "items": {"type": "string"}},
                   "gemeente": {"type": "string"}, "peildatum": {"type": "string"},
                   "yaml": {"type": "string", "maxLength": 30000}, "nr": {"type": "string"}},
}, "encoding": {"s": {"style": "form", "explode": True},
                "sc": {"style": "form", "explode": True}}}}}
#: The builder's form: the scenario so far (``sc``), what to do, and one change's fields
BOUWEN_FORM = {"required": False, "content": {"application/x-www-form-urlencoded": {"schema": {
    "type": "object",
    "properties": {
        "sc": {"type": "string"},
        "actie": {"type": "string", "enum": ["toevoegen", "kop", "verwijder", "bewerk"]},
        "nr": {"type": "string"}, "gemeente": {"type": "string"},
        "peildatum": {"type": "string"}, "besluitdatum": {"type": "string"},
        "titel": {"type": "string"}, "auteur": {"type": "string"},
        "soort": {"type": "string", "enum": ["uittreding", "toetreding", "eigen-regie",
                                             "overdracht", "doordecentralisatie"]},
        "betreft": {"type": "string"}, "van": {"type": "string"}, "naar": {"type": "string"},
        "taken": {"type": "array", "items": {"type": "string"}},
        "deelgebieden": {"type": "array", "items": {"type": "string"}},
        "partners": {"type": "array", "items": {"type": "string"}},
        "label": {"type": "string"}, "budget": {"type": "string"}},
}, "encoding": {f: {"style": "form", "explode": True}
                for f in ("taken", "deelgebieden", "partners")}}}}


def _page(summary: str, params: list[dict[str, Any]], ok: dict[str, Any] | None = None,
          *extra: int, busy: bool = False) -> dict[str, Any]:
    responses = _responses(ok or HTML, *extra)
    return {"summary": summary, "tags": ["pages"], "parameters": [LANG, *params],
            "responses": _busy(responses) if busy else responses}


def _pages() -> dict[str, Any]:
    """Path items of the pages and downloads that take input."""
    paths: dict[str, Any] = {
        "/gemeenten": {"get": _page("Gemeenten", [PEILDATUM, _q("zoek")])},
        "/gemeente/{code}": {"get": _page("A gemeente", [GEMEENTE, PEILDATUM])},
        "/gemeente/{code}/matrix": {"get": _page("Wie doet wat", [GEMEENTE, PEILDATUM])},
        "/gemeente/{code}/klantreis": {"get": _page("Klantreis", [
            GEMEENTE, PEILDATUM, _q("klantreis")])},
        "/gemeente/{code}/netwerk": {"get": _page("Netwerk", [
            GEMEENTE, PEILDATUM, _q("wet", {"type": "string", "format": "uri"}),
            _q("deelgebied", {"type": "string", "format": "uri"})])},
        "/gemeente/{code}/foto": {"get": _page("Foto", [
            GEMEENTE, PEILDATUM, _q("regio"), _q("sinds")])},
        "/gemeente/{code}/foto.json": {"get": _page("Foto as JSON", [
            GEMEENTE, PEILDATUM, _q("regio"), _q("sinds")], FORMATS["json"])},
        "/organisatie": {"get": _page("An organisation", [
            _q("iri", {"type": "string", "format": "uri"}), PEILDATUM])},
        "/organisatie/matrix": {"get": _page("Wie doet wat in a regio", [
            _q("iri", {"type": "string", "format": "uri"}), PEILDATUM,
            _q("wet"), _q("deelgebied")])},
        "/overlap": {"get": _page("Overlap of regio-indelingen", [
            _q("indelingA"), _q("indelingB"), _q("gemeente"), PEILDATUM])},
        "/resource": {"get": _page("Any IRI described", [
            _q("uri", {"type": "string", "format": "uri"}), _q("format")], ANY, 406)},
        "/id/{rest}": {"get": _page("A project IRI dereferenced", [
            _q("rest", {"type": "string", "example": "taak/toegang-wmo"}, where="path"),
            _q("format")], ANY, 303, 406)},
        "/query/{name}": {"get": _page("A named query as a page", [
            _q("name", {"type": "string", "example": "lidmaatschappen"}, where="path")])},
        "/workbench": {"get": _page("SPARQL workbench: runs the query (checked, time-limited)", [
            _q("query"), _q("limit", {"type": "integer"}), _q("voorbeeld")], busy=True)},
        "/workbench/termen.json": {"get": _page("Terms the editor completes", [],
                                                FORMATS["json"])},
        "/valideren": {
            "get": {**_page("The upload form", []), "responses": {"200": {
                "description": "The form; its CSRF token is also in X-CSRF-Token.",
                "content": HTML,
                "headers": {"X-CSRF-Token": {"schema": {"type": "string"}}},
                "links": {"upload": {
                    "operationId": "valideren.upload",
                    "requestBody": {"csrf": "$response.header.X-CSRF-Token",
                                    "peildatum": "2024-01-01"},
                }},
            }}},
            "post": {
                "operationId": "valideren.upload",
                "summary": "Validate an uploaded inventory (nothing is written)",
                "tags": ["pages"], "parameters": [LANG],
                "requestBody": {"required": True, "content": {"multipart/form-data": {
                    "schema": {"type": "object", "required": ["bestand", "csrf"], "properties": {
                        "bestand": {"type": "string", "format": "binary"},
                        "csrf": {"type": "string"},
                        "peildatum": {"type": "string"}}},
                    "encoding": {"bestand": {"contentType": "text/turtle"}}}}},
                "responses": _busy(_responses(HTML, 413)),
            },
        },
        "/valideren/{key}": {"get": _page("A validation report", [_q("key", where="path")])},
        "/scenario": {"get": _page("Scenario choice", SCENARIO_ARGS[:4])},
        "/scenario/bouwen": {
            "get": _page("The scenario builder: start form, a scenario (sc) or a bundled one "
                         "(s) to change", [
                             _q("sc"), _q("s"), _q("gemeente"), PEILDATUM,
                             _q("besluitdatum"), _q("titel"), _q("auteur")], HTML, 303),
            "post": {**_page("Change the heading, add, edit or remove a change", [], HTML,
                             303),
                     "requestBody": BOUWEN_FORM},
        },
        "/scenario/bouwen/voorbeeld": {"post": {**_page(
            "The impact with the change being typed (a fragment)", [], HTML),
            "requestBody": BOUWEN_FORM}},
        "/scenario/openen": {"post": {
            **_page("Open a scenario file or YAML text in the builder", [], HTML, 303, 413),
            "requestBody": {"required": False, "content": {"multipart/form-data": {"schema": {
                "type": "object", "properties": {
                    "bestand": {"type": "string", "format": "binary"},
                    "yaml": {"type": "string", "maxLength": 30000}}},
                "encoding": {"bestand": {"contentType": "application/yaml"}}}}}}},
        "/scenario/opslaan": {"post": {
            **_page("Save a scenario in the store (administrator token and CSRF token)", [],
                    HTML, 403),
            "requestBody": {"required": False, "content": {
                "application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "properties": {
                        "sc": {"type": "string"}, "csrf": {"type": "string"},
                        "token": {"type": "string"}}}}}}}},
        "/scenario/doordecentralisatie": {"get": _page(
            "The doordecentralisatie BW/MO template", [_q("regio"), PEILDATUM])},
    }
    for fmt, mime in (("ttl", "text/turtle"), ("yaml", "application/yaml")):
        paths[f"/scenario/bestand.{fmt}"] = {"get": _page(
            "A built scenario as a file", [_q("sc")], {mime: {"schema": {"type": "string"}}})}
    for fmt in ("json", "csv"):
        paths[f"/scenario/doordecentralisatie.{fmt}"] = {"get": _page(
            "The doordecentralisatie BW/MO template", [_q("regio"), PEILDATUM],
            FORMATS[fmt])}
    paths["/gemeente/{code}.json"] = {"get": _page("A gemeente as JSON", [GEMEENTE, PEILDATUM],
                                                   FORMATS["json"])}
    for fmt in ("txt", "csv", "xlsx", "md", "pdf", "docx"):
        paths[f"/gemeente/{{code}}/foto.{fmt}"] = {"get": _page(
            "Foto as a download (the dossier: md, pdf, docx)", [
                GEMEENTE, PEILDATUM, _q("regio"), _q("sinds")], FORMATS[fmt])}
    paths["/organisatie.json"] = {"get": _page("An organisation as JSON", [
        _q("iri", {"type": "string", "format": "uri"}), PEILDATUM], FORMATS["json"])}
    for fmt in ("json", "csv", "xlsx"):
        paths[f"/overlap.{fmt}"] = {"get": _page("Overlap heatmap", [PEILDATUM], FORMATS[fmt])}
        paths[f"/query/{{name}}.{fmt}"] = {"get": _page("A named query's rows", [
            _q("name", {"type": "string", "example": "lidmaatschappen"}, where="path")],
            FORMATS[fmt])}
    for table in ("lidmaatschappen", "regio-indeling", "wie-doet-wat", "opvolging",
                  "kerncijfers"):
        dated = [PEILDATUM] if table not in ("opvolging", "kerncijfers") else []
        for fmt in ("json", "csv", "xlsx"):
            paths[f"/gemeente/{{code}}/{table}.{fmt}"] = {"get": _page(
                f"{table} of a gemeente", [GEMEENTE, *dated], FORMATS[fmt])}
    for fmt in ("json", "csv", "xlsx"):
        paths[f"/gemeenten.{fmt}"] = {"get": _page("Gemeenten", [PEILDATUM], FORMATS[fmt])}
        paths[f"/gemeente/{{code}}/matrix.{fmt}"] = {"get": _page(
            "Wie doet wat", [GEMEENTE, PEILDATUM], FORMATS[fmt])}
        paths[f"/gemeente/{{code}}/klantreis.{fmt}"] = {"get": _page(
            "Klantreis", [GEMEENTE, PEILDATUM, _q("klantreis")], FORMATS[fmt])}
        paths[f"/organisatie/matrix.{fmt}"] = {"get": _page("Wie doet wat in a regio", [
            _q("iri", {"type": "string", "format": "uri"}), PEILDATUM], FORMATS[fmt])}
        for table in ("deelnemers", "deelnemers-historie", "gr-versies", "gr-taken"):
            dated = [PEILDATUM] if table != "gr-taken" else []
            paths[f"/organisatie/{table}.{fmt}"] = {"get": _page(f"{table} of an organisation", [
                _q("iri", {"type": "string", "format": "uri"}), *dated], FORMATS[fmt])}
        for table in ("heatmap", "paren", "gemeente"):
            paths[f"/overlap/{table}.{fmt}"] = {"get": _page(f"Overlap {table}", [
                _q("indelingA"), _q("indelingB"), _q("gemeente"), PEILDATUM], FORMATS[fmt])}
    for fmt in ("json", "html"):
        paths[f"/valideren/{{key}}.{fmt}"] = {"get": _page(
            "A validation report as a download", [_q("key", where="path")], FORMATS[fmt])}
    for fmt in ("json", "csv", "xlsx", "graphml", "html"):
        paths[f"/gemeente/{{code}}/netwerk.{fmt}"] = {"get": _page("Netwerk download", [
            GEMEENTE, PEILDATUM, _q("wet"), _q("deelgebied")], FORMATS[fmt])}
    scenario_pages = {"/scenario/vergelijk": HTML, "/scenario/netwerk": HTML,
                      "/scenario/netwerk.json": FORMATS["json"],
                      **{f"/scenario/kaart.{f}": FORMATS[f] for f in ("svg", "geojson", "csv",
                                                                     "json")},
                      **{f"/scenario/vergelijk.{f}": FORMATS[f] for f in ("html", "md", "csv",
                                                                         "json")}}
    for path, ok in scenario_pages.items():
        args = SCENARIO_ARGS + ([_q("nr", {"type": "integer"})]
                                if "netwerk" in path or "kaart" in path else [])
        paths[path] = {
            "get": _page("Scenario comparison", args, ok),
            "post": {**_page("Scenario comparison with an own YAML scenario", [], ok),
                     "requestBody": SCENARIO_FORM},
        }
    paths.update(_analyst_pages())
    for path, item in paths.items():  # a download's errors are JSON (web/export.py)
        if path.endswith(DOWNLOAD_SUFFIXES):
            for op in item.values():
                for status, response in op["responses"].items():
                    if int(status) >= 400:
                        response["content"] = JSON_ERROR
    return paths


def _analyst_pages() -> dict[str, Any]:
    """Search, the index pages, the maps, the regional network, the inventories and the
    XLSX downloads of the table pages."""
    iri = _q("iri", {"type": "string", "format": "uri"})
    overlap = [_q("indelingA"), _q("indelingB"), _q("gemeente"), PEILDATUM]
    kaart = [_q("soort"), PEILDATUM, _q("indeling"), _q("gr"), _q("gemeente"),
             _q("maatstaf"), _q("maat")]
    zoek = [_q("q"), _q("soort"), _q("limit", {"type": "integer"}), _q("alle")]
    regelingen = [PEILDATUM, _q("wet"), _q("samenwerkingsvorm"), _q("provincie")]
    paths: dict[str, Any] = {
        "/zoek": {"get": _page("Search (one clear match: 303 to its page)", zoek, HTML, 303)},
        "/regelingen": {"get": _page("Gemeenschappelijke regelingen", regelingen)},
        "/regio-indelingen": {"get": _page("Regio-indelingen", [])},
        "/regio-indeling": {"get": _page("One regio-indeling", [iri, PEILDATUM])},
        "/kaart": {"get": _page("Maps", kaart)},
        "/organisatie/netwerk": {"get": _page("Regional network", [
            iri, PEILDATUM, _q("wet"), _q("deelgebied"), _q("alle")])},
        "/inventarissen": {"get": _page("Loaded inventories", [])},
        "/bronnen": {"get": _page("Sources and provenance of the graphs", [])},
        "/inventarissen/{code}": {"get": _page("A gemeente's inventory history", [
            GEMEENTE, _q("bron"), _q("van", {"type": "integer"}),
            _q("tot", {"type": "integer"}), _q("format")], ANY)},
        "/valideren/sjabloon.xlsx": {"get": _page("The inventory template (pre-filled)", [
            _q("gemeente"), PEILDATUM], FORMATS["xlsx"])},
    }
    for fmt in ("json", "csv", "xlsx", "graphml", "html"):
        paths[f"/organisatie/netwerk.{fmt}"] = {"get": _page("Regional network download", [
            iri, PEILDATUM, _q("wet"), _q("deelgebied"), _q("alle")], FORMATS[fmt])}
    for fmt in ("json", "csv", "xlsx"):
        ok = FORMATS[fmt]
        paths[f"/bronnen.{fmt}"] = {"get": _page("Sources and provenance", [], ok)}
        paths[f"/zoek.{fmt}"] = {"get": _page("Search results", zoek, ok)}
        paths[f"/api/zoek.{fmt}"] = {"get": _page("Search suggestions", zoek, ok)}
        paths[f"/regelingen.{fmt}"] = {"get": _page("Gemeenschappelijke regelingen",
                                                    regelingen, ok)}
        paths[f"/regio-indelingen.{fmt}"] = {"get": _page("Regio-indelingen", [], ok)}
        paths[f"/regio-indeling.{fmt}"] = {"get": _page("One regio-indeling",
                                                        [iri, PEILDATUM], ok)}
    for fmt in ("json", "csv", "svg", "geojson"):
        ok = FORMATS[fmt]
        paths[f"/kaart.{fmt}"] = {"get": _page("Map download", kaart, ok)}
        paths[f"/gemeente/{{code}}/kaart.{fmt}"] = {"get": _page(
            "Map of a gemeente", [GEMEENTE, PEILDATUM], ok)}
        paths[f"/overlap/kaart.{fmt}"] = {"get": _page("Map of two indelingen", overlap, ok)}
    return paths
