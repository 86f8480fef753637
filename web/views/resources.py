"""A page for any IRI: its outgoing and incoming triples (query ``resource``)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from rdflib.namespace import RDFS, SKOS

from .. import data
from ..i18n import gettext as _

bp = Blueprint("resources", __name__)

PAGE_ROWS = 1000
LABELS = {str(RDFS.label), str(SKOS.prefLabel)}


@bp.get("/resource")
def resource():
    uri = request.args.get("uri", "").strip()
    if not uri:
        abort(400, _("Geef een IRI op met ?uri=..."))
    result = data.run("resource", {"uri": uri})
    if not len(result):
        abort(404, _("Over deze IRI is niets bekend: {iri}", iri=uri))
    label = next(
        (
            r["waarde"]
            for r in result.rows
            if str(r["richting"]) == "uit" and str(r["eigenschap"]) in LABELS
        ),
        None,
    )
    return render_template(
        "resource.html", uri=uri, label=label, result=result, page_rows=PAGE_ROWS
    )
