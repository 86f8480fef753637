"""Search: ``/zoek`` (results; one hit opens its page) and ``/api/zoek.json`` (the
suggestions of every search box and of every field that takes a gemeente or
organisation; core: :mod:`sdgraph.pages.zoeken`)."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from sdgraph.pages import zoeken as pages
from sdgraph.search import Entry

from .. import data
from ..export import respond
from ..i18n import gettext as _

bp = Blueprint("zoeken", __name__)


def entry_url(entry: Entry) -> str:
    """The page of a search hit."""
    if entry.kind == "gemeente" and entry.gm_code:
        return url_for("gemeenten.gemeente", code=entry.gm_code)
    if entry.kind == "regioindeling":
        return url_for("indexen.regio_indeling", iri=entry.iri)
    if entry.kind == "taak":
        return url_for("resources.resource", uri=entry.iri)
    return url_for("organisaties.organisatie", iri=entry.iri)


def _limit(default: int) -> int:
    try:
        return max(1, min(int(request.args.get("limit", default)), 100))
    except ValueError:
        return default


def _page(default: int) -> pages.ZoekPage:
    return pages.page(data.runner(), request.args.get("q", ""), request.args.get("soort"),
                      _limit(default), entry_url, kind_names())


@bp.get("/zoek")
def index():
    found = _page(25)
    if found.single is not None and request.args.get("alle") is None:
        return redirect(entry_url(found.single), 303)
    return respond(found)


@bp.get("/zoek.<any(json, csv, xlsx):fmt>")
@bp.get("/api/zoek.<any(json, csv, xlsx):fmt>")
def api(fmt: str):
    return respond(_page(8), fmt)


def kind_names() -> dict[str, str]:
    """The kinds of search hits in the page's language."""
    return {"gemeente": _("gemeente"), "gr": _("gemeenschappelijke regeling"),
            "regio": _("regio"), "regioindeling": _("regio-indeling"),
            "provincie": _("provincie"), "aanbieder": _("aanbieder"),
            "organisatie": _("organisatie"), "taak": _("taak")}


@bp.app_context_processor
def names_of_kinds() -> dict[str, object]:
    """``soort_naam(kind)`` in templates."""
    return {"soort_naam": lambda kind: kind_names().get(kind, kind)}
