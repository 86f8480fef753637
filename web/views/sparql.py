"""SPARQL 1.1 Protocol endpoint at /sparql: read-only, CORS for reading.

GET (and HEAD) with ``query=``, POST as a form (``query=``) or with the query as the
body (``application/sparql-query``); dataset, format and negotiation as
:mod:`sdgraph.protocol` says. Without a query the endpoint describes itself
(SPARQL 1.1 Service Description). A browser (``text/html``) gets a page.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, url_for

from sdgraph import protocol
from sdgraph.errors import StoreError, UserError
from sdgraph.store.sandbox import QueryTimeout

from .. import data

bp = Blueprint("sparql", __name__)

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "86400",
}
#: rows an HTML page shows (the downloads have them all)
HTML_ROWS = 1000


def _plain(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain", headers=CORS)


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def endpoint():
    if request.method == "OPTIONS":  # CORS preflight
        return Response(status=204, headers=CORS)
    accept = request.headers.get("Accept")
    try:
        req = protocol.parse_request(request.method, request.query_string,
                                     request.headers.get("Content-Type"), request.get_data())
        if req.query is None:
            fmt, media = protocol.choose_format("graph", req.formats, accept)
            result = protocol.service_description(url_for(".endpoint", _external=True),
                                                  fmt, media)
        else:
            result = protocol.answer(data.store(), req, accept, base_iri=request.base_url,
                                     timeout=current_app.config["QUERY_TIMEOUT"])
    except protocol.ProtocolError as exc:
        return _plain(exc.status, str(exc))
    except QueryTimeout as exc:
        return _plain(503, str(exc))
    except UserError as exc:
        return _plain(400, str(exc))
    except StoreError as exc:
        response = _plain(503, str(exc))
        if getattr(exc, "retry_after", None):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    if result.media_type == "text/html":
        response = Response(_page(result), mimetype="text/html")
        response.headers.update(CORS)
    else:
        response = Response(result.body, headers=CORS)
        response.headers["Content-Type"] = result.content_type
    response.vary.add("Accept")
    return response


def _page(result: protocol.Answer) -> str:
    """The result as an HTML page (table, yes/no, or triples)."""
    table = result.result
    columns, rows, boolean = [], [], None
    if isinstance(table, bool):
        boolean = table
    elif hasattr(table, "columns"):
        columns, rows = table.columns, table.rows
    elif table is not None:  # a graph
        columns = ["subject", "predicate", "object"]
        rows = sorted(table, key=lambda t: tuple(str(x) for x in t))
    query = result.query
    return render_template(
        "sparql.html",
        query=query,
        columns=columns,
        rows=rows[:HTML_ROWS],
        total=len(rows),
        boolean=boolean,
        workbench=url_for("workbench.page", query=query) if query else url_for("workbench.page"),
        downloads=_downloads(query, table),
    )


def _downloads(query: str, result) -> list[tuple[str, str]]:
    if not query:
        return []
    names = (("Turtle", "turtle"), ("N-Triples", "ntriples"), ("JSON-LD", "jsonld"),
             ("RDF/XML", "rdfxml")) if not hasattr(result, "columns") and not isinstance(
        result, bool) else (("JSON", "json"), ("CSV", "csv"), ("TSV", "tsv"), ("XML", "xml"))
    return [(label, url_for(".endpoint", query=query, format=fmt)) for label, fmt in names]
