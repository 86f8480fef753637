"""A page for any IRI: its outgoing and incoming triples (:mod:`sdgraph.pages.resource`;
its downloads are the named query ``resource``).

``/resource?uri=IRI`` works for every IRI; IRIs under ``https://w3id.org/sdgraph/id/``
are also dereferenced at ``/id/...``. Both negotiate the format: HTML for
browsers, Turtle, N-Triples or JSON-LD (query ``beschrijving``) by Accept
header or ``?format=ttl|nt|jsonld``.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for

from sdgraph.namespaces import SDID
from sdgraph.pages.resource import resource as resource_page
from sdgraph.protocol import TYPES, NotAcceptable, choose_format, negotiate, serialize

from .. import data
from ..i18n import gettext as _

bp = Blueprint("resources", __name__)

HTML = "text/html"


def _wanted() -> str:
    """'html' or a graph format name, from ?format= or the Accept header (HTML first)."""
    fmt = request.args.get("format")
    if fmt and fmt.lower() == "html":
        return "html"
    if fmt:
        try:
            return choose_format("graph", [fmt], request.headers.get("Accept"))[0]
        except NotAcceptable as exc:
            abort(406, str(exc))
    offered = [HTML] + [media for name, (media, _) in TYPES["graph"].items() if name != "html"]
    best = negotiate(request.headers.get("Accept"), offered)
    if best is None:
        abort(406, _("Beschikbaar als {types}", types=", ".join(offered)))
    return "html" if best == HTML else choose_format("graph", [best], None)[0]


def _describe(uri: str):
    fmt = _wanted()
    if fmt != "html":
        graph = data.graph("beschrijving", {"uri": uri})
        if not len(graph):
            abort(404, _("Over deze IRI is niets bekend: {iri}", iri=uri))
        answer = serialize(graph, fmt)
        response = Response(answer.body, mimetype=answer.media_type)
    else:
        page = resource_page(data.runner(), uri)
        if page is None:
            abort(404, _("Over deze IRI is niets bekend: {iri}", iri=uri))
        alternates = {
            name: url_for("resources.resource", uri=uri, format=short)
            for name, short in (("Turtle", "ttl"), ("N-Triples", "nt"), ("JSON-LD", "jsonld"))
        }
        response = Response(render_template(
            page.template, **page.context(), alternates=alternates,
        ))
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/resource")
def resource():
    uri = request.args.get("uri", "").strip()
    if not uri:
        abort(400, _("Geef een IRI op met ?uri=..."))
    return _describe(uri)


@bp.get("/id/<path:rest>")
def dereference(rest: str):
    """An sdgraph IRI (https://w3id.org/sdgraph/id/...), resolved on this host."""
    return _describe(str(SDID) + rest)
