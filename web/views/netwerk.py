"""The "spaghetti" network of a gemeente, and of a whole regio or GR (all its member
gemeenten): lines of cooperation on a peildatum, drawn with vis-network, filtered per wet
and deelgebied (the sociaal domein by default, ``?alle=1`` for every line), downloadable
as JSON, CSV, XLSX, GraphML and a self-contained HTML file (core:
:mod:`sdgraph.pages.netwerk`)."""

from __future__ import annotations

from flask import Blueprint, request

from sdgraph.pages import netwerk as pages
from sdgraph.pages.gemeente import Gemeente

from .. import data
from ..export import respond

bp = Blueprint("netwerk", __name__)


def _filters() -> dict[str, object]:
    return {"wet": request.args.get("wet") or None,
            "deelgebied": request.args.get("deelgebied") or None,
            "alle": request.args.get("alle") in ("1", "true", "ja")}


def _netwerk(found: Gemeente, peildatum: str | None) -> pages.NetwerkPage:
    return pages.page(data.runner(), found, peildatum, **_filters())


@bp.get("/gemeente/<code>/netwerk")
@data.gemeente_page
def page(found: Gemeente, peildatum: str | None):
    return respond(_netwerk(found, peildatum))


@bp.get("/gemeente/<code>/netwerk.<any(json, csv, xlsx, graphml, html):fmt>")
@data.gemeente_page
def export(found: Gemeente, peildatum: str | None, fmt: str):
    return respond(_netwerk(found, peildatum), fmt)


def _regio() -> pages.NetwerkPage:
    from .wiedoetwat import iri_arg

    return pages.regio(data.runner(), iri_arg(), request.args.get("peildatum") or None,
                       **_filters())


@bp.get("/organisatie/netwerk")
def regio():
    return respond(_regio())


@bp.get("/organisatie/netwerk.<any(json, csv, xlsx, graphml, html):fmt>")
def regio_export(fmt: str):
    return respond(_regio(), fmt)
