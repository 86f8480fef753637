"""Organisation page: a GR, regio, gemeente, aanbieder, ... and its members."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from .. import data
from ..i18n import gettext as _

bp = Blueprint("organisaties", __name__)


def _iri() -> str:
    iri = request.args.get("iri", "").strip()
    if not iri:
        abort(400, _("Geef een organisatie op met ?iri=..."))
    return iri


@bp.get("/organisatie")
def organisatie():
    iri = _iri()
    info = data.run("organisatie", {"organisatie": iri})
    if info.first is None:
        abort(404, _("Over deze IRI is niets bekend: {iri}", iri=iri))
    peildatum = request.args.get("peildatum")
    deelnemers = data.run("deelnemers", {"organisatie": iri, "peildatum": peildatum})
    return render_template(
        "organisatie.html",
        iri=iri,
        org=info.first,
        info=info,
        peildatum=deelnemers.params["peildatum"],
        versies=data.run("gr-versies", {"gr": iri, "peildatum": peildatum}),
        deelnemers=deelnemers,
        historie=data.run("deelnemers-historie", {"organisatie": iri, "peildatum": peildatum}),
        taken=data.run("gr-taken", {"gr": iri}),
    )


#: The queries of an organisation page that can be downloaded, with their IRI parameter.
ORGANISATIE_QUERIES = {
    "deelnemers": "organisatie",
    "deelnemers-historie": "organisatie",
    "gr-versies": "gr",
    "gr-taken": "gr",
}
_CHOICES = ", ".join(f'"{q}"' for q in ORGANISATIE_QUERIES)


@bp.get(f"/organisatie/<any({_CHOICES}):query>.<any(json, csv):fmt>")
def export(query: str, fmt: str):
    values = {ORGANISATIE_QUERIES[query]: _iri()}
    if query != "gr-taken":
        values["peildatum"] = request.args.get("peildatum")
    return data.download(data.run(query, values), fmt)
