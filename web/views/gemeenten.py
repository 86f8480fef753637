"""Gemeenten: the searchable list and one gemeente's page on a peildatum."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from sdgraph.pages import gemeente as pages
from sdgraph.pages.gemeente import TABLES, Gemeente

from .. import data
from ..export import respond

bp = Blueprint("gemeenten", __name__)


def _search() -> dict[str, str | None]:
    return {"zoek": request.args.get("zoek", "").strip() or None,
            "peildatum": request.args.get("peildatum") or None}


@bp.get("/gemeenten")
def index():
    """The gemeenten, or those the search term resembles; a name matched exactly opens
    its gemeente's page."""
    values = _search()
    found, single = pages.lijst(data.runner(), values["zoek"], values["peildatum"])
    if single is not None:
        return redirect(url_for("gemeenten.gemeente", code=single.code), 303)
    return respond(found, template="gemeenten.html", **values)


@bp.get("/gemeenten.<any(json, csv, xlsx):fmt>")
def export(fmt: str):
    values = _search()
    return respond(pages.lijst(data.runner(), values["zoek"], values["peildatum"])[0], fmt)


@bp.get("/gemeente/<code>")
@data.gemeente_page
def gemeente(found: Gemeente, peildatum: str | None):
    return respond(pages.page(data.runner(), found, peildatum))


@bp.get("/gemeente/<code>.json")
@data.gemeente_page
def gemeente_json(found: Gemeente, peildatum: str | None):
    return respond(pages.page(data.runner(), found, peildatum), "json")


_TABLE_CHOICES = ", ".join(f'"{q}"' for q in TABLES.subject)


@bp.get(f"/gemeente/<code>/<any({_TABLE_CHOICES}):query>.<any(json, csv, xlsx):fmt>")
@data.gemeente_page
def gemeente_export(found: Gemeente, peildatum: str | None, query: str, fmt: str):
    return respond(pages.table(data.runner(), found, query, peildatum), fmt)
