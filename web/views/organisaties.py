"""Organisation page: a GR, regio, gemeente, aanbieder, ... and its members
(core: :mod:`sdgraph.pages.organisatie`)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from sdgraph.pages import organisatie as pages
from sdgraph.pages.organisatie import TABLES

from .. import data
from ..export import respond
from .wiedoetwat import iri_arg

bp = Blueprint("organisaties", __name__)


@bp.get("/organisatie")
def organisatie():
    """One organisation; without ``?iri=`` the index of organisations (search, GRs,
    regio-indelingen); a name instead of an IRI is looked up and redirected to its IRI."""
    asked = request.args.get("iri", "").strip()
    if not asked:
        return render_template("organisaties.html")
    found = pages.page(data.runner(), asked, request.args.get("peildatum"))
    if found.iri != asked:
        args = request.args.to_dict(flat=False)
        args["iri"] = [found.iri]
        return redirect(url_for("organisaties.organisatie", **args), 301)
    return respond(found)


@bp.get("/organisatie.json")
def organisatie_json():
    return respond(pages.page(data.runner(), iri_arg(), request.args.get("peildatum")), "json")


_CHOICES = ", ".join(f'"{q}"' for q in TABLES.subject)


@bp.get(f"/organisatie/<any({_CHOICES}):query>.<any(json, csv, xlsx):fmt>")
def export(query: str, fmt: str):
    return respond(pages.table(data.runner(), iri_arg(), query, request.args.get("peildatum")),
                   fmt)
