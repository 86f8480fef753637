"""Gemeenten: the searchable list and one gemeente's page on a peildatum."""

from __future__ import annotations

from flask import Blueprint, request

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
    values = _search()
    return respond(data.run("gemeenten", values), template="gemeenten.html", **values)


@bp.get("/gemeenten.<any(json, csv, xlsx):fmt>")
def export(fmt: str):
    return respond(data.run("gemeenten", _search()), fmt)


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
