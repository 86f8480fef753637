"""Valideren: upload an inventory (one or more files), see the report, load it only when it
passes; the template to fill in; the loaded inventories and their versions.

Nothing is written to the store on upload: the parsed inventory and its
report are kept in the instance folder (:mod:`sdgraph.validation.staging`),
named by a signed token and private to the browser session (at most five per
session, for an hour), so every worker can show and load them. Every form that
writes carries a session-bound CSRF token.
"""

from __future__ import annotations

import hmac
import io
import secrets
import unicodedata
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    session,
    url_for,
)
from markupsafe import Markup
from rdflib import Graph, URIRef

from sdgraph.errors import DataError, UserError
from sdgraph.identity import gemeente_iri
from sdgraph.inventory import ImportErrors
from sdgraph.inventory.history import FileRef, load_inventory
from sdgraph.inventory.historypage import history_page
from sdgraph.store import Source
from sdgraph.uploads import UploadLimits, read_and_validate, upload_source
from sdgraph.validation import Inventory
from sdgraph.validation.report import document
from sdgraph.validation.staging import Staging, owner_of

from .. import data
from ..i18n import gettext as _

bp = Blueprint("valideren", __name__)

#: The largest upload accepted (bytes, all files together), and how many files.
MAX_UPLOAD = 5 * 1024 * 1024
MAX_FILES = 10
UPLOAD_TYPES = (".ttl", ".jsonld", ".json", ".nt", ".xlsx", ".csv")
LANGS = ("nl", "en")
STAGING_KEY = "sdgraph.staging"


def staging() -> Staging:
    return current_app.extensions[STAGING_KEY]


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check_csrf() -> None:
    sent = request.form.get("csrf", "").encode("utf-8")
    expected = session.get("csrf", "").encode("utf-8")
    if not sent or not hmac.compare_digest(sent, expected):
        abort(400, _("Het formulier is verlopen of ongeldig; laad de pagina opnieuw."))


def _owner() -> str:
    return owner_of(session.get("csrf", ""))


def _lang() -> str:
    from flask import g

    return g.get("lang", "nl")


def safe_name(name: str) -> str:
    """The last part of an upload's name without control characters (NUL, newlines)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:200] or "bestand"


def _form(status: int = 200, issues: list[dict] | None = None, problem: str = ""):
    return render_template(
        "valideren.html", csrf=csrf_token(),
        peildatum=request.form.get("peildatum") or date.today().isoformat(),
        gemeente=request.form.get("gemeente", ""), max_mb=MAX_UPLOAD // (1024 * 1024),
        types=", ".join(UPLOAD_TYPES), issues=issues or [], problem=problem), status


@bp.get("/valideren")
def form():
    page, status = _form()
    return page, status, {"X-CSRF-Token": csrf_token()}  # for API clients (OpenAPI link)


@bp.get("/valideren/sjabloon.xlsx")
def template():
    """The inventory template to fill in; with ?gemeente= pre-filled with what the store
    says that gemeente does on the peildatum."""
    from sdgraph.inventory.template import baseline_rows, write_template
    from sdgraph.validation.engine import base_graph, shapes_graph

    store = data.store()
    code = request.args.get("gemeente", "").strip()
    rows = None
    name = "inventaris-sjabloon.xlsx"
    if code:
        try:
            gemeente = gemeente_iri(code)
        except ValueError:
            raise UserError(_("Onbekende gemeente: {value} (gebruik een GM-code, bijv. GM0823).",
                              value=code)) from None
        day = _peildatum(request.args.get("peildatum"))
        rows = baseline_rows(store, gemeente, day, shapes_graph(), base_graph(), data.library())
        name = f"inventaris-{gemeente.rsplit('/', 1)[-1]}-{day.isoformat()}.xlsx"
    out = io.BytesIO()
    write_template(out, shapes_graph(), base_graph(), store, rows=rows)
    response = Response(out.getvalue(), mimetype="application/vnd.openxmlformats-"
                                                 "officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _peildatum(text: str | None) -> date:
    text = text or date.today().isoformat()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(_("Ongeldige peildatum: {value} (gebruik JJJJ-MM-DD).", value=text)) \
            from None


def _limits() -> UploadLimits:
    return current_app.extensions["sdgraph.upload_limits"]


def _uploads() -> list[Source]:
    uploads = [f for f in request.files.getlist("bestand") if f and f.filename]
    if not uploads:
        raise UserError(_("Kies een bestand om te valideren."))
    if len(uploads) > MAX_FILES:
        raise UserError(_("Kies hoogstens {n} bestanden tegelijk.", n=MAX_FILES))
    sources, total = [], 0
    for upload in uploads:
        name = safe_name(upload.filename or "")
        if not name.lower().endswith(UPLOAD_TYPES):
            raise UserError(_("Dit soort bestand wordt niet ondersteund; gebruik {types}.",
                              types=", ".join(UPLOAD_TYPES)))
        body = upload.read(MAX_UPLOAD + 1 - total)
        total += len(body)
        if total > MAX_UPLOAD:
            abort(413)
        sources.append(upload_source(name, body, _limits()))  # at most so many triples
    return sources


@bp.post("/valideren")
def upload():
    if request.content_length and request.content_length > MAX_UPLOAD + 64 * 1024:
        abort(413)
    _check_csrf()
    sources = _uploads()
    peildatum = _peildatum(request.form.get("peildatum"))
    code = request.form.get("gemeente", "").strip()
    try:
        gemeente = gemeente_iri(code) if code else None
    except ValueError:
        raise UserError(_("Onbekende gemeente: {value} (gebruik een GM-code, bijv. GM0823).",
                          value=code)) from None
    store = data.store()
    lang = _lang()
    try:  # read and validated in a confined process, with a time and memory limit
        inventory, report = read_and_validate(store, sources, peildatum, lang, _limits(),
                                              gemeente)
    except ImportErrors as exc:
        return _form(400, [issue.to_dict(lang) for issue in exc.issues])
    except DataError as exc:
        return _form(400, problem=exc.in_language(lang))
    files: dict[str, str | bytes] = {"inventory.ttl": inventory.turtle()}
    for code_lang in LANGS:
        files[f"report.{code_lang}.html"] = report.html(code_lang, standalone=False,
                                                        record_link=_record_link(store))
        files[f"report.{code_lang}.json"] = report.json(code_lang)
    meta = {
        "files": [{"name": s.name, "checksum": FileRef.of(s.name, s.read()).checksum}
                  for s in sources],
        "peildatum": peildatum.isoformat(),
        "gemeente": str(inventory.gemeente) if inventory.gemeente else None,
        "conforms": report.conforms,
        "summary": {code_lang: report.summary(code_lang) for code_lang in LANGS},
        "langs": list(LANGS),
        "triples": report.triples,
    }
    key = staging().put(_owner(), meta, files)
    return _report_page(key)


def _record_link(store):
    """A link to the page of a record the store knows (the gemeente of a completeness
    warning, a register organisation); the inventory's own new records have none."""
    known: dict[str, bool] = {}

    def link(node) -> str | None:
        if not isinstance(node, URIRef):
            return None
        if str(node) not in known:
            known[str(node)] = bool(store.query("ASK { ?iri ?p ?o }", {"iri": node}))
        return url_for("resources.resource", uri=str(node)) if known[str(node)] else None

    return link


def _get(key: str):
    item = staging().get(key, _owner())
    if item is None:
        abort(404, _("Dit validatierapport bestaat niet (meer); upload het bestand opnieuw."))
    return item


def _writable() -> bool:
    """Loading from the website needs an administrator token (SDGRAPH_ADMIN_TOKEN)."""
    return bool(current_app.config.get("ADMIN_TOKEN"))


def _check_admin() -> None:
    expected = (current_app.config.get("ADMIN_TOKEN") or "").encode("utf-8")
    sent = request.form.get("token", "").encode("utf-8")
    if not expected or not sent or not hmac.compare_digest(sent, expected):
        abort(403, _("Alleen een beheerder kan vanaf de website laden: het beheerderstoken "
                     "ontbreekt of klopt niet."))


def _report_page(key: str, status: int = 200):
    item = _get(key)
    lang = _lang()
    meta = item.meta
    names = " ".join(f["name"] if " " not in f["name"] else f'"{f["name"]}"'
                     for f in meta["files"])
    return render_template(
        "valideren_rapport.html", key=key, meta=meta, loaded=item.loaded, csrf=csrf_token(),
        rapport=Markup(item.report(lang, "html")), summary=meta["summary"].get(lang, ""),
        writable=_writable(), command=f"sdgraph validate {names} --reference --load",
    ), status


@bp.get("/valideren/<key>")
def report(key: str):
    return _report_page(key)


@bp.get("/valideren/<key>.<any(html, json):fmt>")
def download(key: str, fmt: str):
    item = _get(key)
    lang = _lang()
    body = item.report(lang, fmt)
    if fmt == "html":
        body = document(body, lang)
    mimetype = "text/html" if fmt == "html" else "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="validatierapport.{fmt}"'
    if fmt == "html":  # a standalone document with its own small stylesheet, no scripts
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
    return response


class _Verdict:
    """The stored verdict of a report, as the load gate asks it."""

    def __init__(self, meta: dict) -> None:
        self.conforms = bool(meta["conforms"])
        self.peildatum = date.fromisoformat(meta["peildatum"])

    def passes(self, strict: bool = False) -> bool:
        return self.conforms and not strict


@bp.post("/valideren/<key>/laden")
def load(key: str):
    _check_csrf()
    item = _get(key)
    if not item.meta["conforms"]:
        raise UserError(_("Een inventaris met fouten wordt niet geladen."))
    _check_admin()
    if item.loaded is None:
        graph = Graph().parse(data=item.inventory_turtle().decode("utf-8"), format="turtle")
        gemeente = URIRef(item.meta["gemeente"]) if item.meta.get("gemeente") else None
        inventory = Inventory(graph=graph, files=[f["name"] for f in item.meta["files"]],
                              gemeente=gemeente)
        files = [FileRef(f["name"], f["checksum"]) for f in item.meta["files"]]
        with data.writer() as store:
            loaded = load_inventory(store, inventory, _Verdict(item.meta), files,
                                    by=_("beheerder via de website"), lang=_lang())
        item.mark_loaded({"graph": loaded.graph, "triples": loaded.triples,
                          "version": loaded.version.number,
                          "replaced": loaded.replaced.number if loaded.replaced else None})
    return _report_page(key)


# --------------------------------------------------------------------------- history


@bp.get("/inventarissen")
def inventories():
    page = history_page(data.store(), lang=_lang())
    return render_template("inventarissen.html", page=page, gemeente=None)


@bp.get("/inventarissen/<code>")
def inventory_history(code: str):
    try:
        gemeente = gemeente_iri(code)
    except ValueError:
        abort(404, _("Onbekende gemeente: {value} (gebruik een GM-code, bijv. GM0823).",
                     value=code))
    diff = None
    if request.args.get("van") and request.args.get("tot"):
        try:
            diff = (int(request.args["van"]), int(request.args["tot"]))
        except ValueError:
            raise UserError(_("Kies twee versienummers.")) from None
    page = history_page(data.store(), gemeente, request.args.get("bron") or None, diff,
                        _lang())
    if request.args.get("format") == "json":
        return Response(page.json(), mimetype="application/json")
    return render_template("inventarissen.html", page=page, gemeente=gemeente)


__all__ = ["bp", "csrf_token", "safe_name"]
