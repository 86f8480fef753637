"""The "spaghetti" network of a gemeente: its lines of cooperation on a peildatum,
drawn with vis-network, filtered per wet and deelgebied, downloadable as JSON, CSV,
GraphML and a self-contained HTML file (core: :mod:`sdgraph.pages.netwerk`)."""

from __future__ import annotations

from flask import Blueprint, request

from sdgraph.pages import netwerk as pages
from sdgraph.pages.gemeente import Gemeente

from .. import data
from ..export import respond

bp = Blueprint("netwerk", __name__)


def _netwerk(found: Gemeente, peildatum: str | None) -> pages.NetwerkPage:
    return pages.page(data.runner(), found, peildatum, request.args.get("wet") or None,
                      request.args.get("deelgebied") or None)


@bp.get("/gemeente/<code>/netwerk")
@data.gemeente_page
def page(found: Gemeente, peildatum: str | None):
    return respond(_netwerk(found, peildatum))


@bp.get("/gemeente/<code>/netwerk.<any(json, csv, xlsx, graphml, html):fmt>")
@data.gemeente_page
def export(found: Gemeente, peildatum: str | None, fmt: str):
    return respond(_netwerk(found, peildatum), fmt)
