"""The query library as pages and API: every public ``queries/*.rq`` file, without code.

``/queries`` lists them; ``/query/<name>`` is a form for the query's typed
parameters with the results as a table (links for IRIs, sortable, filterable,
visible time and row limit); ``/api/query/<name>.json`` and ``.csv`` (and
``/query/<name>.json``) give the same rows for programs. A new ``.rq`` file
appears here at once.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request

from sdgraph.errors import UserError
from sdgraph.queries import NamedQuery

from .. import data
from ..export import respond
from ..i18n import gettext as _

bp = Blueprint("queries", __name__)

#: How many rows a page shows; the downloads have them all.
PAGE_ROWS = 500
#: HTML input type per parameter type (others: text)
INPUT_TYPES = {"date": "date", "integer": "number"}


def _query(name: str) -> NamedQuery:
    """A public (top-level) named query; 404 for other names."""
    if "/" in name:
        abort(404, _("Geen query met de naam {name}.", name=name))
    try:
        return data.library().get(name)
    except UserError:
        abort(404, _("Geen query met de naam {name}.", name=name))


def _values(query: NamedQuery) -> dict[str, str | None]:
    """The submitted values of the query's parameters (lang from the page)."""
    return {p.name: request.args.get(p.name) for p in query.params if p.name in request.args}


def param_hint(param) -> str:
    """What a parameter takes and its default, in the page's language ("datum (JJJJ-MM-DD),
    standaard vandaag")."""
    kinds = {"date": _("datum (JJJJ-MM-DD)"), "gemeente": _("naam of CBS-code"),
             "organisatie": _("naam of IRI"), "iri": _("IRI"), "integer": _("geheel getal"),
             "decimal": _("getal"), "boolean": _("ja of nee"), "string": _("tekst")}
    hint = kinds.get(param.type, param.type)
    if param.optional:
        return _("{soort}, optioneel", soort=hint)
    if param.required:
        return _("{soort}, verplicht", soort=hint)
    default = _("vandaag") if param.default == "today" else param.default
    return _("{soort}, standaard {waarde}", soort=hint, waarde=default)


@bp.app_context_processor
def hints() -> dict[str, object]:
    return {"param_hint": param_hint}


@bp.get("/queries")
def index():
    return render_template("queries.html", queries=data.library().all())


@bp.get("/query/<name>")
def page(name: str):
    query = _query(name)
    values = _values(query)
    missing = [p for p in query.params if p.required and not values.get(p.name)]
    result, error = None, None
    if not missing and query.form == "SELECT":
        try:
            result = data.run(name, values, rows=PAGE_ROWS)
        except UserError as exc:
            error = str(exc)
    form = dict(values=values, missing=missing, error=error, page_rows=PAGE_ROWS,
                input_types=INPUT_TYPES)
    if result is not None:  # the table, with Link headers to its downloads
        return respond(result, **form)
    return render_template("query.html", query=query, result=None, **form)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI description of the API, generated from the query library."""
    from sdgraph import __version__

    from ..openapi import description

    return jsonify(description(data.library(), __version__))


@bp.get("/query/<name>.<any(json, csv, xlsx):fmt>")
@bp.get("/api/query/<name>.<any(json, csv, xlsx):fmt>")
def api(name: str, fmt: str):
    query = _query(name)
    if query.form != "SELECT":
        raise UserError("query {name!r} is not a SELECT query", name=name)
    return respond(data.run(name, _values(query)), fmt)
