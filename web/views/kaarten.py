"""Maps: a national map per regio-indeling, GR, key figure or fragmentation figure
(``/kaart``), and the maps inside the gemeente page, the foto and the overlap page
(core: :mod:`sdgraph.maps`, :mod:`sdgraph.pages.kaart`). Every map downloads as SVG,
GeoJSON, CSV (the table beside it) and JSON."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, request

from sdgraph import maps
from sdgraph.pages import kaart as pages
from sdgraph.pages.gemeente import Gemeente

from .. import data
from ..export import respond
from ..i18n import gettext as _

bp = Blueprint("kaarten", __name__)

VALUES = ("peildatum", "indeling", "gr", "gemeente", "maatstaf", "maat")


def _page() -> pages.KaartPage:
    values = {k: request.args.get(k, "").strip() or None for k in VALUES}
    return pages.page(data.runner(), data.settings().sources_folder(),
                      request.args.get("soort"), values, data.lang())


@bp.get("/kaart")
def index():
    return respond(_page())


@bp.get("/kaart.<any(json, csv, svg, geojson):fmt>")
def export(fmt: str):
    return respond(_page(), fmt)


@bp.get("/gemeente/<code>/kaart.<any(json, csv, svg, geojson):fmt>")
@data.gemeente_page
def gemeente(found: Gemeente, peildatum: str | None, fmt: str):
    day = found.peildatum(peildatum) or date.today().isoformat()
    try:
        page = pages.gemeente(data.runner(), data.settings().sources_folder(), found.code, day)
    except maps.GeenGrenzen:
        _no_boundaries()
    return respond(page, fmt)


def _no_boundaries() -> None:
    """A map download without the boundary files: 404 in the format asked, no traceback."""
    abort(404, _("Geen kaart: geen grenzen (cbs-geo) in de bronnenmap."))


def _namen() -> dict[str, str]:
    return dict(pages._indelingen(data.runner()))


@bp.get("/overlap/kaart.<any(json, csv, svg, geojson):fmt>")
def overlap(fmt: str):
    a = request.args.get("indelingA") or f"{maps.INDELING}jeugdregio"
    b = request.args.get("indelingB") or f"{maps.INDELING}arbeidsmarktregio"
    namen = _namen()
    day = request.args.get("peildatum") or date.today().isoformat()
    try:
        page = pages.overlap(data.runner(), data.settings().sources_folder(),
                             (a, namen.get(a, a)), (b, namen.get(b, b)), day)
    except maps.GeenGrenzen:
        _no_boundaries()
    return respond(page, fmt)


@bp.app_context_processor
def kaarten() -> dict[str, Any]:
    """Maps a page template can draw inline: ``kaart_gemeente(code, peildatum)`` and
    ``kaart_overlap(a, b, peildatum)``; None without boundaries (no sources folder)."""

    def kaart_gemeente(code: str, peildatum: str) -> pages.GemeenteKaart | None:
        try:
            return pages.gemeente(data.runner(), data.settings().sources_folder(), code,
                                  peildatum)
        except maps.GeenGrenzen:
            return None

    def kaart_overlap(a: str, b: str, peildatum: str) -> pages.GemeenteKaart | None:
        if maps.GR in (a, b):
            return None  # GRs overlap each other: no partition to draw
        namen = _namen()
        try:
            return pages.overlap(data.runner(), data.settings().sources_folder(),
                                 (a, namen.get(a, a)), (b, namen.get(b, b)), peildatum)
        except maps.GeenGrenzen:
            return None

    return {"kaart_gemeente": kaart_gemeente, "kaart_overlap": kaart_overlap}
