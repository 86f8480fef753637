""""Klantreis": the route a gemeente's request for help takes along the deelgebieden
(core: :mod:`sdgraph.pages.klantreis`)."""

from __future__ import annotations

from flask import Blueprint, request

from sdgraph.pages import klantreis as pages
from sdgraph.pages.gemeente import Gemeente

from .. import data
from ..export import respond

bp = Blueprint("klantreis", __name__)


def _reis(found: Gemeente, peildatum: str | None) -> pages.KlantreisPage:
    return pages.page(data.runner(), found, request.args.get("klantreis"), peildatum)


@bp.get("/gemeente/<code>/klantreis")
@data.gemeente_page
def page(found: Gemeente, peildatum: str | None):
    return respond(_reis(found, peildatum))


@bp.get("/gemeente/<code>/klantreis.<any(json, csv, xlsx):fmt>")
@data.gemeente_page
def export(found: Gemeente, peildatum: str | None, fmt: str):
    return respond(_reis(found, peildatum), fmt)
