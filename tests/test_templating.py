"""The web's link helper query_url writes exactly what Flask's url_for writes (the
expectation is url_for itself, on IRIs with every character a query string escapes),
also under a prefix the app is mounted at (SCRIPT_NAME)."""

from __future__ import annotations

import pytest
from flask import url_for

from web.templating import query_url

IRIS = [
    "https://identifier.overheid.nl/tooi/id/gemeente/gm0823",
    "https://w3id.org/sdgraph/id/taakuitvoering/gm0823/toegang-wmo/2020",
    "https://e.org/a?b=c&d=e f#g",
    "https://e.org/é/ü%20+!$'()*,;:@~[]{}|\\^`\"<>",
    "urn:x-local:1",
]


@pytest.mark.parametrize("root", ["", "/sdgraph"])
@pytest.mark.parametrize(("endpoint", "name"), [
    ("resources.resource", "uri"), ("organisaties.organisatie", "iri")])
def test_query_url_is_url_for(app, root: str, endpoint: str, name: str) -> None:
    with app.test_request_context("/", base_url=f"http://localhost{root}/"):
        for iri in IRIS:
            assert query_url(endpoint, **{name: iri}) == url_for(endpoint, **{name: iri}), iri
        assert query_url(endpoint) == url_for(endpoint)
        assert query_url(endpoint, **{name: None}) == url_for(endpoint, **{name: None})
        both = {name: IRIS[2], "peildatum": "2020-01-01"}
        assert query_url(endpoint, **both) == url_for(endpoint, **both)
        assert query_url(endpoint).startswith(root + "/")
