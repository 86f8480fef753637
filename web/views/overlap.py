"""Overlap: how the regio-indelingen and GRs overlap on a peildatum (core:
:mod:`sdgraph.pages.overlap`); every table downloads as JSON and CSV."""

from __future__ import annotations

from flask import Blueprint, abort, request

from sdgraph.pages import overlap as pages

from .. import data
from ..export import respond
from ..i18n import gettext as _

bp = Blueprint("overlap", __name__)


def _values() -> dict[str, str | None]:
    """The page's parameters as the queries name them (empty: the query's default)."""
    return {name: request.args.get(name, "").strip() or None for name in pages.PARAMS}


@bp.get("/overlap")
def index():
    return respond(pages.page(data.runner(), _values()))


@bp.get("/overlap.<any(json, csv, xlsx):fmt>")
def heatmap(fmt: str):
    """The page's own data, the heatmap (also at /overlap/heatmap.json)."""
    return respond(pages.heat(data.runner(), _values()["peildatum"]), fmt)


@bp.get("/overlap/<any(heatmap, paren, gemeente):table>.<any(json, csv, xlsx):fmt>")
def export(table: str, fmt: str):
    values = _values()
    run = data.runner()
    if table == "paren":
        return respond(pages.paren(run, values), fmt)
    if table == "gemeente":
        result = pages.gemeente(run, values, values["indelingA"] or "")
        if result is None:
            abort(400, _("Geef een gemeente op met ?gemeente=..."))
        return respond(result, fmt)
    return respond(pages.heat(run, values["peildatum"]), fmt)
