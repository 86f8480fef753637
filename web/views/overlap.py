"""Overlap: how the regio-indelingen and GRs overlap on a peildatum.

A heatmap of the vocabulary's regio-indelingen against each other
(:mod:`sdgraph.overlap` computes it from the ``indeling-leden`` rows), the
pairs of regio's or GRs of two chosen indelingen (query ``overlap``) and, for
one gemeente, all its regio's and GRs compared (query ``overlap-gemeente``).
Every table downloads as JSON and CSV.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, g, render_template, request

from sdgraph.namespaces import SD
from sdgraph.overlap import Heatmap, heatmap

from .. import data
from ..i18n import gettext as _

bp = Blueprint("overlap", __name__)

#: The "indeling" value that stands for the gemeenschappelijke regelingen.
GR = str(SD.GemeenschappelijkeRegeling)


def _values() -> dict[str, str | None]:
    """The page's parameters as the queries name them (empty: the query's default)."""
    return {name: request.args.get(name, "").strip() or None
            for name in ("peildatum", "indelingA", "indelingB", "gemeente")}


def _peildatum(values: dict[str, str | None]) -> str:
    return values["peildatum"] or date.today().isoformat()


def _indelingen() -> list[dict]:
    return data.run("indelingen", {"lang": g.get("lang", "nl")}).rows


def _heatmap(values: dict[str, str | None], indelingen: list[dict]) -> Heatmap:
    leden = data.run("indeling-leden", {"peildatum": _peildatum(values)})
    labels = {str(r["indeling"]): str(r["naam"]) for r in indelingen}
    return heatmap(leden.rows, labels)


def _paren(values: dict[str, str | None]) -> data.Result:
    return data.run("overlap", {"peildatum": _peildatum(values), "indelingA": values["indelingA"],
                               "indelingB": values["indelingB"], "lang": g.get("lang", "nl")})


def _gemeente(values: dict[str, str | None], indeling_a: str) -> data.Result | None:
    if not values["gemeente"]:
        return None
    reference = indeling_a if indeling_a != GR else None  # a GR is no regio-indeling
    return data.run("overlap-gemeente", {"gemeente": values["gemeente"], "indeling": reference,
                                         "peildatum": values["peildatum"]})


@bp.get("/overlap")
def index():
    values = _values()
    paren = _paren(values)  # first: a bad peildatum is a 400 before anything is cached
    indelingen = _indelingen()
    return render_template(
        "overlap.html",
        heat=_heatmap(values, indelingen),
        paren=paren,
        gemeente=_gemeente(values, paren.params["indelingA"]),
        indelingen=indelingen,
        gr=GR,
        values=values,
        peildatum=paren.params["peildatum"],
        indeling_a=paren.params["indelingA"],
        indeling_b=paren.params["indelingB"],
    )


@bp.get("/overlap/<any(heatmap, paren, gemeente):table>.<any(json, csv):fmt>")
def export(table: str, fmt: str):
    values = _values()
    if table == "paren":
        return data.download(_paren(values), fmt)
    if table == "gemeente":
        result = _gemeente(values, values["indelingA"] or "")
        if result is None:
            abort(400, _("Geef een gemeente op met ?gemeente=..."))
        return data.download(result, fmt)
    data.library().get("indeling-leden").bindings({"peildatum": values["peildatum"]})  # 400
    heat = _heatmap(values, _indelingen())
    if fmt == "csv":
        response = Response(heat.to_csv(), mimetype="text/csv")
        response.headers["Content-Type"] = data.FORMATS["csv"]
        response.headers["Content-Disposition"] = 'inline; filename="overlap-indelingen.csv"'
        return response
    body = heat.to_json(view="overlap-indelingen", params={"peildatum": _peildatum(values)})
    response = Response(body, mimetype="application/json")
    response.headers["Content-Type"] = data.FORMATS["json"]
    return response
