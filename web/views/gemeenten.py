"""Gemeenten: the searchable list and one gemeente's page on a peildatum."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, redirect, render_template, request, url_for
from rdflib import Literal

from sdgraph.errors import UserError
from sdgraph.output import text

from .. import data
from ..i18n import gettext as _

bp = Blueprint("gemeenten", __name__)

#: The queries of a gemeente page that can be downloaded as JSON or CSV.
GEMEENTE_QUERIES = (
    "lidmaatschappen",
    "regio-indeling",
    "wie-doet-wat",
    "opvolging",
    "kerncijfers",
)


def _search() -> dict[str, str | None]:
    return {"zoek": request.args.get("zoek", "").strip() or None,
            "peildatum": request.args.get("peildatum") or None}


@bp.get("/gemeenten")
def index():
    values = _search()
    return render_template("gemeenten.html", result=data.run("gemeenten", values), **values)


@bp.get("/gemeenten.<any(json, csv):fmt>")
def export(fmt: str):
    return data.download(data.run("gemeenten", _search()), fmt)


def _gemeente(code: str) -> data.Result:
    """The gemeente query's result for ``code``; 404 when it is not a known gemeente."""
    try:
        result = data.run("gemeente", {"gemeente": code})
    except UserError:
        result = None
    if result is None or result.first is None:
        abort(404, _("Geen gemeente met code {code} in de graaf.", code=code))
    return result


def _canonical(code: str, result: data.Result):
    """A redirect to the canonical code (GM0823) when ``code`` is written otherwise."""
    canonical = text(result.first["code"])
    if canonical and canonical != code:
        args = request.args.to_dict(flat=False)
        view_args = {**(request.view_args or {}), "code": canonical}
        return redirect(url_for(request.endpoint, **view_args, **args), 301)
    return None


def _last_day(info: data.Result) -> str | None:
    """For a gemeente that no longer exists, the default peildatum is its last day."""
    end = info.first.get("geldigTot")
    value = end.toPython() if isinstance(end, Literal) else None
    return (value - timedelta(days=1)).isoformat() if isinstance(value, date) else None


@bp.get("/gemeente/<code>")
def gemeente(code: str):
    info = _gemeente(code)
    moved = _canonical(code, info)
    if moved:
        return moved
    values = {"gemeente": code, "peildatum": request.args.get("peildatum") or _last_day(info)}
    lidmaatschappen = data.run("lidmaatschappen", values)
    return render_template(
        "gemeente.html",
        info=info,
        gemeente=info.first,
        code=code,
        peildatum=lidmaatschappen.params["peildatum"],
        lidmaatschappen=lidmaatschappen,
        regios=data.run("regio-indeling", values),
        wie_doet_wat=data.run("wie-doet-wat", values),
        opvolging=data.run("opvolging", {"gemeente": code}),
        kerncijfers=data.run("kerncijfers", {"gemeente": code}),
    )


_QUERY_CHOICES = ", ".join(f'"{q}"' for q in GEMEENTE_QUERIES)


@bp.get(f"/gemeente/<code>/<any({_QUERY_CHOICES}):query>.<any(json, csv):fmt>")
def gemeente_export(code: str, query: str, fmt: str):
    info = _gemeente(code)
    moved = _canonical(code, info)
    if moved:
        return moved
    values = {"gemeente": code}
    if query not in ("opvolging", "kerncijfers"):
        values["peildatum"] = request.args.get("peildatum")
    return data.download(data.run(query, values), fmt)
