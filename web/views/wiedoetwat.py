""""Wie doet wat" as a matrix: for a gemeente (taken x deelgebieden) or a regio/GR
(member gemeenten x taken), on a peildatum, optionally for one wet."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from sdgraph.matrix import Matrix, gemeente_matrix, regio_matrix

from .. import data
from ..i18n import gettext as _
from .gemeenten import _canonical, _gemeente, _last_day
from .organisaties import _iri

bp = Blueprint("wiedoetwat", __name__)


def _wetten(taken: data.Result) -> list[tuple[str, str]]:
    """The wetten of the taken, for the filter (IRI, name), in order."""
    seen: dict[str, str] = {}
    for row in taken.rows:
        seen.setdefault(str(row["wet"]), str(row.get("wetNaam") or row["wet"]))
    return list(seen.items())


def _matrix_download(matrix: Matrix, fmt: str, name: str, params: dict[str, str]) -> Response:
    if fmt == "csv":
        response = Response(matrix.to_csv(), mimetype="text/csv")
        response.headers["Content-Type"] = data.FORMATS["csv"]
        response.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
        return response
    response = Response(matrix.to_json(view=name, params=params), mimetype="application/json")
    response.headers["Content-Type"] = data.FORMATS["json"]
    return response


def _gemeente_view(code: str):
    info = _gemeente(code)
    moved = _canonical(code, info)
    if moved:
        return info, moved, None
    values = {
        "gemeente": code,
        "peildatum": request.args.get("peildatum") or _last_day(info),
        "wet": request.args.get("wet") or None,
    }
    uitvoeringen = data.run("wie-doet-wat", values)
    alle_taken = data.run("taken", {})
    taken = data.run("taken", {"wet": values["wet"]}) if values["wet"] else alle_taken
    deelgebieden = data.run("deelgebieden", {})
    matrix = gemeente_matrix(taken.rows, deelgebieden.rows, uitvoeringen.rows)
    context = dict(info=info, gemeente=info.first, code=code, matrix=matrix,
                   uitvoeringen=uitvoeringen, wetten=_wetten(alle_taken),
                   wet=values["wet"] or "", peildatum=uitvoeringen.params["peildatum"])
    return info, None, context


@bp.get("/gemeente/<code>/matrix")
def gemeente(code: str):
    _, moved, context = _gemeente_view(code)
    return moved or render_template("wiedoetwat.html", **context)


@bp.get("/gemeente/<code>/matrix.<any(json, csv):fmt>")
def gemeente_export(code: str, fmt: str):
    _, moved, context = _gemeente_view(code)
    if moved:
        return moved
    return _matrix_download(context["matrix"], fmt, f"wie-doet-wat-{context['code']}",
                            context["uitvoeringen"].params)


def _regio_view():
    iri = _iri()
    info = data.run("organisatie", {"organisatie": iri})
    if info.first is None:
        abort(404, _("Over deze IRI is niets bekend: {iri}", iri=iri))
    values = {"organisatie": iri, "peildatum": request.args.get("peildatum") or None,
              "wet": request.args.get("wet") or None,
              "deelgebied": request.args.get("deelgebied") or None}
    uitvoeringen = data.run("wie-doet-wat-regio", values)
    leden = data.run("deelnemers", {"organisatie": iri, "peildatum": values["peildatum"]})
    alle_taken = data.run("taken", {})
    taken = data.run("taken", {"wet": values["wet"]}) if values["wet"] else alle_taken
    matrix = regio_matrix(leden.rows, taken.rows, uitvoeringen.rows,
                          per_deelgebied=not values["deelgebied"])
    return dict(iri=iri, org=info.first, matrix=matrix, uitvoeringen=uitvoeringen,
                wetten=_wetten(alle_taken), wet=values["wet"] or "",
                deelgebieden=data.run("deelgebieden", {}),
                deelgebied=values["deelgebied"] or "",
                peildatum=uitvoeringen.params["peildatum"])


@bp.get("/organisatie/matrix")
def regio():
    return render_template("wiedoetwat_regio.html", **_regio_view())


@bp.get("/organisatie/matrix.<any(json, csv):fmt>")
def regio_export(fmt: str):
    context = _regio_view()
    return _matrix_download(context["matrix"], fmt, "wie-doet-wat-regio",
                            context["uitvoeringen"].params)
