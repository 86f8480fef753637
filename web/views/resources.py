"""A page for any IRI: its outgoing and incoming triples (query ``resource``).

``/resource?uri=IRI`` works for every IRI; IRIs under ``https://w3id.org/sdgraph/id/``
are also dereferenced at ``/id/...``. Both negotiate the format: HTML for
browsers, Turtle, N-Triples or JSON-LD (query ``beschrijving``) by Accept
header or ``?format=ttl|nt|jsonld``.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template, request, url_for
from rdflib.namespace import RDFS, SKOS

from sdgraph.namespaces import SDID
from sdgraph.protocol import TYPES, NotAcceptable, choose_format, negotiate, serialize

from .. import data
from ..i18n import gettext as _

bp = Blueprint("resources", __name__)

#: Rows of a resource's page (its downloads have all): a gemeente's IRI has 700-900
#: (every taakuitvoering names it), and each row is two links (about 0.1 ms apiece).
PAGE_ROWS = 250
LABELS = {str(RDFS.label), str(SKOS.prefLabel)}
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


def _best_label(labels: list, lang: str):
    """The label in the page's language, else Dutch, else one without language, else any."""
    for wanted in (lang, "nl", None):
        for label in labels:
            if getattr(label, "language", None) == wanted:
                return label
    return labels[0] if labels else None


def _describe(uri: str):
    fmt = _wanted()
    if fmt != "html":
        graph = data.graph("beschrijving", {"uri": uri})
        if not len(graph):
            abort(404, _("Over deze IRI is niets bekend: {iri}", iri=uri))
        answer = serialize(graph, fmt)
        response = Response(answer.body, mimetype=answer.media_type)
    else:
        result = data.run("resource", {"uri": uri})
        if not len(result):
            abort(404, _("Over deze IRI is niets bekend: {iri}", iri=uri))
        labels = [r["waarde"] for r in result.rows
                  if str(r["richting"]) == "uit" and str(r["eigenschap"]) in LABELS]
        label = _best_label(labels, g.get("lang", "nl"))
        alternates = {
            name: url_for("resources.resource", uri=uri, format=short)
            for name, short in (("Turtle", "ttl"), ("N-Triples", "nt"), ("JSON-LD", "jsonld"))
        }
        response = Response(render_template(
            "resource.html", uri=uri, label=label, result=result, page_rows=PAGE_ROWS,
            alternates=alternates,
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
