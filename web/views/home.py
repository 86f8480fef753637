"""Home: what sdgraph answers, search and national figures; Bronnen: what the store holds
and where it comes from (core: :mod:`sdgraph.pages.home`)."""

from __future__ import annotations

from flask import Blueprint

from sdgraph.pages import home as pages

from .. import data
from ..export import respond

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return respond(pages.home(data.runner()))


@bp.get("/bronnen")
def bronnen():
    return respond(pages.page(data.runner()))


@bp.get("/bronnen.<any(json, csv, xlsx):fmt>")
def bronnen_export(fmt: str):
    return respond(pages.page(data.runner()), fmt)


#: Names of the licences the sources carry.
LICENCES = {"https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
            "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
            "https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12": "EUPL 1.2"}


@bp.app_context_processor
def source_names() -> dict[str, object]:
    """``bron_titel(graph, title)`` and ``licentie(iri)`` for the Bronnen page."""
    from ..i18n import gettext as _

    def title(graph: str, given: str) -> str:
        tail = graph.rsplit("/graph/", 1)[-1]
        if tail.startswith("vocab/"):
            return _("Vocabulaire: {naam}", naam=tail[len("vocab/"):])
        if tail.startswith("example/"):
            return _("Voorbeeld: {naam}", naam=tail[len("example/"):])
        if tail == "ontology":
            return _("Ontologie van sdgraph")
        return given or tail

    return {"bron_titel": title, "licentie": lambda iri: LICENCES.get(iri, iri)}
