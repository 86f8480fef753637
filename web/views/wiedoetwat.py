""""Wie doet wat" as a matrix: for a gemeente (taken x deelgebieden) or a regio/GR
(member gemeenten x taken), on a peildatum, optionally for one wet (core:
:mod:`sdgraph.pages.matrix`)."""

from __future__ import annotations

from flask import Blueprint, abort, request

from sdgraph.pages import matrix as pages
from sdgraph.pages.gemeente import Gemeente

from .. import data
from ..export import respond
from ..i18n import gettext as _

bp = Blueprint("wiedoetwat", __name__)


def _arg(name: str) -> str | None:
    return request.args.get(name) or None


def _gemeente(found: Gemeente, peildatum: str | None) -> pages.MatrixPage:
    return pages.gemeente(data.runner(), found, peildatum, _arg("wet"))


@bp.get("/gemeente/<code>/matrix")
@data.gemeente_page
def gemeente(found: Gemeente, peildatum: str | None):
    return respond(_gemeente(found, peildatum))


@bp.get("/gemeente/<code>/matrix.<any(json, csv, xlsx):fmt>")
@data.gemeente_page
def gemeente_export(found: Gemeente, peildatum: str | None, fmt: str):
    return respond(_gemeente(found, peildatum), fmt)


def iri_arg() -> str:
    """The ``?iri=`` of a page about one organisation (400 when missing)."""
    iri = request.args.get("iri", "").strip()
    if not iri:
        abort(400, _("Geef een organisatie op met ?iri=..."))
    return iri


def _regio() -> pages.MatrixPage:
    return pages.regio(data.runner(), iri_arg(), _arg("peildatum"), _arg("wet"),
                       _arg("deelgebied"))


@bp.get("/organisatie/matrix")
def regio():
    return respond(_regio())


@bp.get("/organisatie/matrix.<any(json, csv, xlsx):fmt>")
def regio_export(fmt: str):
    return respond(_regio(), fmt)
