"""The "spaghetti" network of a gemeente: its lines of cooperation on a peildatum,
drawn with vis-network, filtered per wet and deelgebied, downloadable as JSON, CSV,
GraphML and a self-contained HTML file."""

from __future__ import annotations

from flask import Blueprint, Response, g, render_template, request

from sdgraph import network
from sdgraph.output import text

from .. import data
from ..i18n import gettext as _
from .gemeenten import _canonical, _gemeente, _last_day

bp = Blueprint("netwerk", __name__)

#: Download formats: media type, and whether the browser should save the file.
EXPORTS = {
    "json": ("application/json", False),
    "csv": ("text/csv", False),
    "graphml": ("application/graphml+xml", True),
    "html": ("text/html", True),
}


def _view(code: str):
    """(redirect, None) for a non-canonical code, else (None, context)."""
    info = _gemeente(code)
    moved = _canonical(code, info)
    if moved:
        return moved, None
    wet = request.args.get("wet") or None
    deelgebied = request.args.get("deelgebied") or None
    values = {"gemeente": code, "peildatum": request.args.get("peildatum") or _last_day(info)}
    # the filters are IRIs: let the query's typed parameters check them (a UserError is a 400)
    data.library().get("netwerk").bindings({**values, "wet": wet, "deelgebied": deelgebied})
    result = data.run("netwerk", values)
    graph = network.build(result.rows, gemeente=text(info.first["gemeente"]),
                          lang=g.get("lang", "nl"))
    shown = network.select(graph, wet, deelgebied)
    params = dict(result.params)
    params.update({k: v for k, v in (("wet", wet), ("deelgebied", deelgebied)) if v})
    return None, dict(
        info=info, gemeente=info.first, code=code, result=result, graph=graph, shown=shown,
        edges=network.edges(graph), shown_ids={e["id"] for e in network.edges(shown)},
        legend=network.legend(graph, g.get("lang", "nl")),
        wetten=network.options(graph, "wet"), deelgebieden=network.options(graph, "deelgebied"),
        wet=wet or "", deelgebied=deelgebied or "", peildatum=result.params["peildatum"],
        params=params,
    )


@bp.get("/gemeente/<code>/netwerk")
def page(code: str):
    moved, context = _view(code)
    return moved or render_template("netwerk.html", **context)


@bp.get("/gemeente/<code>/netwerk.<any(json, csv, graphml, html):fmt>")
def export(code: str, fmt: str):
    moved, context = _view(code)
    if moved:
        return moved
    shown, params = context["shown"], context["params"]
    if fmt == "json":
        body = network.to_json(shown, query="netwerk", params=params)
    elif fmt == "csv":
        body = network.to_csv(shown)
    elif fmt == "graphml":
        body = network.to_graphml(shown)
    else:
        naam = text(context["gemeente"].get("naam")) or context["code"]
        body = network.to_html(shown, heading=_("Netwerk van {naam}", naam=naam),
                               subtitle=_("Peildatum") + f" {context['peildatum']}")
    mimetype, attachment = EXPORTS[fmt]
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    name = f"netwerk-{context['code']}-{context['peildatum']}.{fmt}"
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response
