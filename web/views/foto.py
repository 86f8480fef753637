""""Foto van het sociaal domein": one gemeente's partners, gaps, contracts and key figures
beside the national median and its regio (core: :mod:`sdgraph.foto`)."""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, render_template, request

from sdgraph.foto import foto as build_foto

from .. import data
from ..i18n import gettext as _
from .gemeenten import _canonical, _gemeente, _last_day

bp = Blueprint("foto", __name__)

def _view(code: str):
    info = _gemeente(code)
    moved = _canonical(code, info)
    if moved:
        return moved, None
    peildatum = request.args.get("peildatum") or _last_day(info) or date.today().isoformat()
    # the national figures (kerncijfer-landelijk) come from the query cache
    run = lambda name, values: data.run(name, values).rows  # noqa: E731
    gemeente = str(info.first["gemeente"])
    result = build_foto(run, gemeente, peildatum, request.args.get("regio") or None,
                        request.args.get("sinds") or None)
    return None, dict(info=info, gemeente=info.first, code=code, foto=result,
                      peildatum=result.peildatum)


@bp.get("/gemeente/<code>/foto")
def page(code: str):
    moved, context = _view(code)
    return moved or render_template("foto.html", **context)


@bp.get("/gemeente/<code>/foto.json")
def export(code: str):
    moved, context = _view(code)
    if moved:
        return moved
    body = {"title": _("Foto van het sociaal domein"), **context["foto"].to_dict()}
    response = Response(json.dumps(body, ensure_ascii=False, indent=2),
                        mimetype="application/json")
    response.headers["Content-Type"] = data.FORMATS["json"]
    return response
