"""Property-based tests of the HTTP API, driven by the OpenAPI description the
app serves at /openapi.json: for random and edge-case parameters every answer is a
documented status (200 or a 4xx with a reason), never a server error, and matches the
documented content type and schema."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from conftest import SOURCES  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi import checks  # noqa: E402

from sdgraph.build import init_store  # noqa: E402
from sdgraph.store import EmbeddedStore  # noqa: E402


def _app():
    from web import create_app

    store = EmbeddedStore(None)
    init_store(store, "oirschot", SOURCES)
    return create_app(store=store, test_config={"TESTING": True, "QUERY_TIMEOUT": 5})


APP = _app()
schema = schemathesis.openapi.from_wsgi("/openapi.json", APP)


def test_description_lists_every_select_query() -> None:
    from sdgraph.queries import QueryLibrary

    doc = APP.test_client().get("/openapi.json").get_json()
    expected = {f"/api/query/{q.name}.json" for q in QueryLibrary().all() if q.form == "SELECT"}
    assert expected <= set(doc["paths"])
    params = {p["name"]: p["schema"] for p in
              doc["paths"]["/api/query/lidmaatschappen.json"]["get"]["parameters"]}
    assert params["peildatum"]["format"] == "date"


#: What must hold for every request, valid or not. Not checked: whether a value the schema
#: calls invalid is rejected (an empty parameter means its default, by design) and whether a
#: valid one is accepted (an IRI of the right form may name nothing: 200 with no rows).
CHECKS = [
    not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api(case) -> None:
    case.call_and_validate(checks=CHECKS)


#: Requests the random search once found out of line with the description, each kept as a
#: case: (path, path parameters, query).
FOUND = [
    # JSON-LD asked by a name in capitals: a JSON array, described as a string before
    ("/id/{rest}", {"rest": "taak/toegang-wmo"}, {"format": "JSON-LD"}),
]


@pytest.mark.parametrize(("path", "path_parameters", "query"), FOUND)
def test_found_cases(path: str, path_parameters: dict, query: dict) -> None:
    case = schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
    case.call_and_validate(checks=CHECKS)


def test_description_covers_every_route_that_takes_input() -> None:
    """Every route of the app that reads a parameter, a path part or a body is described
    (the static files aside), with each of its methods."""
    doc = APP.test_client().get("/openapi.json").get_json()
    described = {(re_path, m.upper()) for re_path, item in doc["paths"].items() for m in item}
    import re

    for rule in APP.url_map.iter_rules():
        if rule.endpoint in ("static", "home.index", "queries.index", "queries.openapi"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            # <any(a, b):x> becomes one path per choice; <x> becomes {x}
            paths = [rule.rule]
            while any("<any(" in p for p in paths):
                p = next(p for p in paths if "<any(" in p)
                m = re.search(r"<any\(([^)]*)\):(\w+)>", p)
                choices = [c.strip().strip('"') for c in m.group(1).split(",")]
                paths.remove(p)
                paths += [p[: m.start()] + c + p[m.end():] for c in choices]
            for p in paths:
                p = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", p)
                if p.startswith("/api/query/{name}"):
                    continue  # one path per named query, checked above
                if p.startswith("/valideren/{key}/laden"):
                    continue  # the admin load: needs the administrator token
                assert (p, method) in described, (p, method)


class CsrfSession(schema.as_state_machine()):
    """Stateful fuzzing: the session cookie is kept between the steps of a scenario, so the
    upload form's CSRF token (an OpenAPI link from GET /valideren) is valid in the POST."""

    #: For each POST /valideren: whether it got past the CSRF check.
    past_csrf: list[bool] = []

    def setup(self) -> None:
        from werkzeug.test import Client

        self.client = Client(APP)

    def call(self, case, **kwargs):
        response = super().call(case, **kwargs)
        if case.method.upper() == "POST" and case.path == "/valideren":
            refused = ("formulier is verlopen", "form has expired")  # nl, en
            self.past_csrf.append(not any(m in response.text for m in refused))
        return response

    def get_call_kwargs(self, case):
        return {"session": self.client}

    def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)


def test_stateful_upload_with_csrf() -> None:
    CsrfSession.run(settings=settings(max_examples=15, deadline=None, stateful_step_count=3,
                                      suppress_health_check=list(HealthCheck)))
    # the link carried the token: uploads reached the reading and validation of the file
    assert any(CsrfSession.past_csrf), CsrfSession.past_csrf
