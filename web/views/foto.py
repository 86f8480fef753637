""""Foto van het sociaal domein": one gemeente's partners, gaps, contracts and key figures
beside the national median and its regio (core: :mod:`sdgraph.pages.foto`)."""

from __future__ import annotations

from flask import Blueprint, request

from sdgraph.pages import foto as pages
from sdgraph.pages.gemeente import Gemeente

from .. import data
from ..export import respond

bp = Blueprint("foto", __name__)


def _foto(found: Gemeente, peildatum: str | None) -> pages.Foto:
    # the national figures (kerncijfer-landelijk) come from the query cache
    return pages.page(data.runner(), found, peildatum, request.args.get("regio"),
                      request.args.get("sinds"))


@bp.get("/gemeente/<code>/foto")
@data.gemeente_page
def page(found: Gemeente, peildatum: str | None):
    return respond(_foto(found, peildatum))


@bp.get("/gemeente/<code>/foto.json", defaults={"fmt": "json"})
@bp.get("/gemeente/<code>/foto.<any(txt):fmt>")
@data.gemeente_page
def export(found: Gemeente, peildatum: str | None, fmt: str):
    return respond(_foto(found, peildatum), fmt)
