""""Foto van het sociaal domein": one gemeente's partners, changes, contracts, key figures over
time and goals (core: :mod:`sdgraph.pages.foto`), and its dossier as PDF, Word and Markdown
(:mod:`sdgraph.dossier`)."""

from __future__ import annotations

from flask import Blueprint, request

from sdgraph.pages import foto as pages
from sdgraph.pages.gemeente import Gemeente

from .. import data
from ..export import respond

bp = Blueprint("foto", __name__)


def _foto(found: Gemeente, peildatum: str | None) -> pages.Foto:
    # the national figures are kept per store version (sdgraph.kerncijfers.landelijk)
    vergelijk = request.args.get("vergelijk", "").replace(";", ",").replace(" ", ",")
    return pages.page(data.runner(), found, peildatum, request.args.get("regio"),
                      request.args.get("sinds"), vergelijk.split(","),
                      bronnenmap=data.settings().sources_folder())


@bp.get("/gemeente/<code>/foto")
@data.gemeente_page
def page(found: Gemeente, peildatum: str | None):
    return respond(_foto(found, peildatum))


@bp.get("/gemeente/<code>/foto.json", defaults={"fmt": "json"})
@bp.get("/gemeente/<code>/foto.<any(txt, csv, xlsx, pdf, docx, md):fmt>")
@data.gemeente_page
def export(found: Gemeente, peildatum: str | None, fmt: str):
    return respond(_foto(found, peildatum), fmt)
