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
