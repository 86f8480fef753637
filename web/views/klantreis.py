""""Klantreis": the route a gemeente's request for help takes along the deelgebieden."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from sdgraph.klantreis import klantreis as build_klantreis

from .. import data
from .gemeenten import _canonical, _gemeente, _last_day

bp = Blueprint("klantreis", __name__)


def _view(code: str):
    info = _gemeente(code)
    moved = _canonical(code, info)
    if moved:
        return moved, None
    values = {
        "gemeente": code,
        "klantreis": request.args.get("klantreis") or None,
        "peildatum": request.args.get("peildatum") or _last_day(info),
    }
    result = data.run("klantreis", values)
    return None, dict(
        info=info, gemeente=info.first, code=code, result=result,
        reis=build_klantreis(result.rows), soorten=data.run("klantreizen", {}),
        klantreis=result.params["klantreis"], peildatum=result.params["peildatum"],
    )


@bp.get("/gemeente/<code>/klantreis")
def page(code: str):
    moved, context = _view(code)
    return moved or render_template("klantreis.html", **context)


@bp.get("/gemeente/<code>/klantreis.<any(json, csv):fmt>")
def export(code: str, fmt: str):
    moved, context = _view(code)
    if moved:
        return moved
    if fmt == "csv":
        return data.download(context["result"], "csv")
    reis = context["reis"]
    body = {
        "query": "klantreis",
        "params": context["result"].params,
        "samenvatting": reis.summary(),
        "organisaties": reis.organisaties,
        "overdrachten": [o.__dict__ for o in reis.overdrachten],
        "stappen": [
            {**{k: v for k, v in s.__dict__.items() if k != "uitvoeringen"},
             "uitvoeringen": [u.__dict__ for u in s.uitvoeringen], "dubbel": s.dubbel}
            for s in reis.stappen
        ],
    }
    response = Response(json.dumps(body, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Type"] = data.FORMATS["json"]
    return response
