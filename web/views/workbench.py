"""The SPARQL workbench at /workbench: write a query, run it, read the answer with labels.

``GET /workbench?query=...&limit=...`` runs the query and shows it, so the URL can
be shared; ``?voorbeeld=NAME`` loads a query of the library with its defaults
bound, and runs it. Without JavaScript the page is a textarea and a button;
``workbench.js`` turns it into an editor (CodeMirror, vendored) with SPARQL
highlighting and completion of the project's prefixes and terms, served by
``/workbench/termen.json``. Checks, row limit and labels live in
:mod:`sdgraph.workbench`; downloads go through the SPARQL endpoint.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, render_template, request, url_for

from sdgraph import workbench
from sdgraph.errors import UserError
from sdgraph.namespaces import PREFIXES
from sdgraph.store.sandbox import QueryMemory, QueryTimeout, ResultTooLarge, ServerBusy

from .. import data
from ..i18n import gettext as _

bp = Blueprint("workbench", __name__)

#: The library query the editor starts with (shown, not run).
STARTER = "statistieken"
#: Download formats per kind of result: (label, format of /sparql, file suffix).
DOWNLOADS = {
    "results": (("CSV", "csv", "csv"), ("JSON", "json", "json")),
    "graph": (("Turtle", "turtle", "ttl"), ("JSON-LD", "jsonld", "jsonld"),
              ("N-Triples", "ntriples", "nt")),
}


def _limit() -> int:
    try:
        value = int(request.args.get("limit", ""))
    except ValueError:
        return workbench.DEFAULT_LIMIT
    return value if value in workbench.LIMITS else workbench.DEFAULT_LIMIT


def _example_text(name: str) -> str:
    """A library query as runnable text, with a comment on its parameters."""
    ex = workbench.example(data.library().get(name), g.get("lang", "nl"))
    note = [_("Voorbeeld uit de querybibliotheek: {name}.", name=name)]
    if ex.bound:
        note.append(_("Parameters met hun standaardwaarde in VALUES-blokken (aan het begin van "
                      "de WHERE-groep en van elke sub-select die ze gebruikt): {names}; pas ze "
                      "daar aan.",
                      names=", ".join(f"?{n}" for n in ex.bound)))
    if ex.unbound:
        note.append(_("Niet gebonden (geen standaardwaarde): {names}; voeg ze aan een "
                      "VALUES-blok toe om ze te gebruiken.",
                      names=", ".join(f"?{n}" for n in ex.unbound)))
    return "".join(f"# {line}\n" for line in note) + ex.text


def _refusal(exc: workbench.QueryRefused) -> str:
    """The user's message for a refused query (Dutch first; the parser's detail as is)."""
    messages = {
        "update": _("De werkbank leest alleen: SPARQL Update (INSERT, DELETE, LOAD, DROP, …) "
                    "wordt niet uitgevoerd."),
        "service": _("SERVICE is niet toegestaan: de werkbank doet geen verzoeken aan andere "
                     "servers."),
        "empty": _("Geen query opgegeven."),
        "from": _("FROM en FROM NAMED worden niet ondersteund: de standaardgraaf is de "
                  "vereniging van alle grafen. Kies een graaf met GRAPH <iri> { ... }."),
        "timeout": _("De query is na {s} s gestopt (de tijdslimiet). Maak hem selectiever of "
                     "voeg een LIMIT toe.", s=current_app.config["QUERY_TIMEOUT"]),
        "depth": _("De query is te diep genest of te lang om te controleren; vereenvoudig hem."),
        "size": _("De query is te lang."),
        "busy": _("De server is bezig met andere query's; probeer het over {s} s opnieuw.",
                  s=getattr(exc, "retry_after", 5)),
        "memory": _("De query had meer geheugen nodig dan toegestaan en is gestopt. Maak hem "
                    "selectiever of voeg een LIMIT toe."),
        "result": _("Het resultaat is groter dan toegestaan. Voeg een LIMIT toe of kies minder "
                    "of kortere waarden."),
    }
    if exc.position is not None:
        return exc.position.message
    return messages.get(exc.reason, str(exc))


def _downloads(query: str, form: str) -> list[tuple[str, str, str]]:
    kind = "graph" if form in ("CONSTRUCT", "DESCRIBE") else "results"
    return [(label, url_for("sparql.endpoint", query=query, format=fmt), f"werkbank.{suffix}")
            for label, fmt, suffix in DOWNLOADS[kind]]


@bp.get("/workbench")
def page():
    limit = _limit()
    voorbeeld = request.args.get("voorbeeld", "")
    query = request.args.get("query")
    if query is not None:
        query = query.replace("\r\n", "\n")  # a submitted textarea has CRLF line ends
    if voorbeeld and query is None:
        try:
            query = _example_text(voorbeeld)
        except UserError:
            abort(404, _("Geen query met de naam {name}.", name=voorbeeld))
    outcome, error, status = None, None, 200
    if query is None:
        text = _example_text(STARTER) if STARTER in data.library().names() else ""
    else:
        text = query
        try:
            outcome = workbench.run(data.store(), query, limit, g.get("lang", "nl"),
                                    timeout=current_app.config["QUERY_TIMEOUT"])
        except workbench.QueryRefused as exc:
            error, status = exc, 400
        except QueryTimeout as exc:
            error, status = workbench.QueryRefused(str(exc), "timeout"), 503
        except ServerBusy as exc:
            error, status = workbench.QueryRefused(str(exc), "busy"), 503
            error.retry_after = exc.retry_after
        except QueryMemory as exc:
            error, status = workbench.QueryRefused(str(exc), "memory"), 400
        except ResultTooLarge as exc:
            error, status = workbench.QueryRefused(str(exc), "result"), 400
        except UserError as exc:  # e.g. a remote store's own syntax check
            error, status = workbench.QueryRefused(str(exc), "engine"), 400
    position = error.position if error is not None else None
    shared = {"query": query, **({"limit": limit} if limit != workbench.DEFAULT_LIMIT else {})}
    return render_template(
        "workbench.html",
        text=text,
        limit=limit,
        limits=sorted(workbench.LIMITS),
        time_limit=current_app.config["QUERY_TIMEOUT"],
        voorbeeld=voorbeeld,
        examples=data.library().all(),
        outcome=outcome,
        error=error,
        error_message=_refusal(error) if error is not None else None,
        position=position,
        error_line=text.split("\n")[position.line - 1].replace("\t", " ") if position else None,
        permalink=url_for(".page", **shared) if query else None,
        downloads=_downloads(query, outcome.form) if outcome and query else [],
    ), status, ({"Retry-After": str(error.retry_after)} if status == 503 and
                hasattr(error, "retry_after") else {})


@bp.get("/workbench/termen.json")
def terms():
    """The prefixes and terms the editor completes (classes, properties, concepts)."""
    return jsonify(prefixes=PREFIXES, terms=workbench.terms(data.store(), g.get("lang", "nl")))
