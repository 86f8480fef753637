"""SPARQL 1.1 Protocol endpoint at /sparql: read-only, CORS for reading.

GET with ``query=``, POST as a form (``query=``) or with the query as the body
(``application/sparql-query``). The result format comes from ``format=`` or the
Accept header (see :mod:`sdgraph.protocol`); without a query the endpoint
describes itself (SPARQL 1.1 Service Description).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for

from sdgraph import protocol
from sdgraph.errors import StoreError, UserError
from sdgraph.store.sandbox import QueryTimeout

from .. import data

bp = Blueprint("sparql", __name__)

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "86400",
}


def _plain(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain", headers=CORS)


def _query_text() -> tuple[str | None, Response | None]:
    """The query of this request, or an error response."""
    if request.method == "GET":
        if "update" in request.args:
            return None, _plain(400, "this endpoint is read-only: SPARQL Update is not accepted")
        return request.args.get("query"), None
    mimetype = request.mimetype
    if mimetype == "application/sparql-query":
        return request.get_data(as_text=True), None
    if mimetype == "application/sparql-update" or "update" in request.form:
        return None, _plain(400, "this endpoint is read-only: SPARQL Update is not accepted")
    if mimetype == "application/x-www-form-urlencoded":
        return request.form.get("query"), None
    return None, _plain(
        415,
        "send the query as ?query=..., as a form field 'query' "
        "(application/x-www-form-urlencoded) or as the body (application/sparql-query)",
    )


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], provide_automatic_options=False)
def endpoint():
    if request.method == "OPTIONS":  # CORS preflight
        return Response(status=204, headers=CORS)
    query, error = _query_text()
    if error is not None:
        return error
    if request.values.getlist("default-graph-uri") or request.values.getlist("named-graph-uri"):
        return _plain(400, "default-graph-uri and named-graph-uri are not supported: "
                           "the default graph is the union of all graphs")  # fmt: skip
    fmt = request.args.get("format") or request.form.get("format")
    best = request.accept_mimetypes.best_match
    if request.accept_mimetypes.provided is False:  # no Accept header: take the default
        best = lambda offered: offered[0]  # noqa: E731
    try:
        if not query:
            if request.method == "POST":
                return _plain(400, "no query given")
            kind = protocol.choose_format("graph", fmt, best)
            result = protocol.service_description(url_for(".endpoint", _external=True), kind)
        else:
            result = protocol.answer(data.store(), query, fmt, best,
                                     timeout=current_app.config["QUERY_TIMEOUT"])
    except protocol.NotAcceptable as exc:
        return _plain(406, str(exc))
    except QueryTimeout as exc:
        return _plain(503, str(exc))
    except UserError as exc:
        return _plain(400, str(exc))
    except StoreError as exc:
        response = _plain(503, str(exc))
        if getattr(exc, "retry_after", None):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    response = Response(result.body, mimetype=result.media_type, headers=CORS)
    if result.media_type.startswith("text/"):
        response.headers["Content-Type"] = f"{result.media_type}; charset=utf-8"
    response.vary.add("Accept")
    return response
