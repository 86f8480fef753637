"""Organisation page: a GR, regio, gemeente, aanbieder, ... and its members
(core: :mod:`sdgraph.pages.organisatie`)."""

from __future__ import annotations

from flask import Blueprint, request

from sdgraph.pages import organisatie as pages
from sdgraph.pages.organisatie import TABLES

from .. import data
from ..export import respond
from .wiedoetwat import iri_arg

bp = Blueprint("organisaties", __name__)


@bp.get("/organisatie")
def organisatie():
    return respond(pages.page(data.runner(), iri_arg(), request.args.get("peildatum")))


@bp.get("/organisatie.json")
def organisatie_json():
    return respond(pages.page(data.runner(), iri_arg(), request.args.get("peildatum")), "json")


_CHOICES = ", ".join(f'"{q}"' for q in TABLES.subject)


@bp.get(f"/organisatie/<any({_CHOICES}):query>.<any(json, csv):fmt>")
def export(query: str, fmt: str):
    return respond(pages.table(data.runner(), iri_arg(), query, request.args.get("peildatum")),
                   fmt)
