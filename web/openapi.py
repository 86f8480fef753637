"""The OpenAPI 3.0 description of the JSON/CSV API, generated from the query library.

Every named query is a path ``/api/query/NAME.json`` (and ``.csv``) whose query
parameters are the query's typed parameters, so the description is always as
complete as the library. Served at ``/openapi.json``; the fuzz test
(tests/test_fuzz_api.py) drives the app from it.
"""

from __future__ import annotations

from typing import Any

from sdgraph.queries import NamedQuery, Param, QueryLibrary

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
        "properties": {"error": {"type": "string"}, "query": {"type": "string"}},
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
            "503": {"description": "Stopped at the time limit, or store unavailable.",
                    "content": PLAIN},
        },
    }}


def description(library: QueryLibrary, version: str) -> dict[str, Any]:
    paths: dict[str, Any] = {"/sparql": _sparql()}
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
                           "CSV, and the read-only SPARQL endpoint.",
        },
        "paths": paths,
    }
