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
    )


@bp.get("/organisatie/deelnemers.<any(json, csv):fmt>")
def deelnemers_export(fmt: str):
    values = {"organisatie": _iri(), "peildatum": request.args.get("peildatum")}
    return data.download(data.run("deelnemers", values), fmt)
