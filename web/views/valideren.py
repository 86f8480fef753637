"""Valideren: upload an inventory, see the validation report, load it only when it passes.

Nothing is written on upload: the parsed inventory and its report are kept in
memory for this browser session (a few at most, for an hour) so that the
report can be downloaded and, when it has no violations, loaded into the
store with the one atomic store load. Every form that writes carries a
session-bound CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request, session
from markupsafe import Markup

from sdgraph.errors import UserError
from sdgraph.store import Source
from sdgraph.validation import Inventory, Report, read, validate
from sdgraph.validation.gate import load_validated

from .. import data
from ..i18n import gettext as _

bp = Blueprint("valideren", __name__)

#: The largest upload accepted (bytes).
MAX_UPLOAD = 5 * 1024 * 1024
UPLOAD_TYPES = (".ttl", ".jsonld", ".json", ".nt", ".xlsx", ".csv")
KEEP_SECONDS = 3600
KEEP_PER_SESSION = 5


@dataclass
class Checked:
    owner: str
    created: float
    source: Source
    inventory: Inventory
    report: Report
    loaded: list | None = None


_checked: dict[str, Checked] = {}
_lock = threading.Lock()


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check_csrf() -> None:
    sent = request.form.get("csrf", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, _("Het formulier is verlopen of ongeldig; laad de pagina opnieuw."))


def _keep(item: Checked) -> str:
    key = secrets.token_urlsafe(16)
    now = time.time()
    with _lock:
        for k in [k for k, v in _checked.items() if now - v.created > KEEP_SECONDS]:
            del _checked[k]
        mine = sorted((v.created, k) for k, v in _checked.items() if v.owner == item.owner)
        for _created, k in mine[: max(0, len(mine) - KEEP_PER_SESSION + 1)]:
            del _checked[k]
        _checked[key] = item
    return key


def _get(key: str) -> Checked:
    item = _checked.get(key)
    if item is None or item.owner != session.get("csrf"):
        abort(404, _("Dit validatierapport bestaat niet (meer); upload het bestand opnieuw."))
    return item


@bp.get("/valideren")
def form():
    return render_template("valideren.html", csrf=csrf_token(), peildatum=date.today().isoformat(),
                           max_mb=MAX_UPLOAD // (1024 * 1024), types=", ".join(UPLOAD_TYPES))


@bp.post("/valideren")
def upload():
    if request.content_length and request.content_length > MAX_UPLOAD:
        abort(413)
    _check_csrf()
    upload = request.files.get("bestand")
    if upload is None or not upload.filename:
        raise UserError(_("Kies een bestand om te valideren."))
    name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not name.lower().endswith(UPLOAD_TYPES):
        raise UserError(_("Dit soort bestand wordt niet ondersteund; gebruik {types}.",
                          types=", ".join(UPLOAD_TYPES)))
    body = upload.read(MAX_UPLOAD + 1)
    if len(body) > MAX_UPLOAD:
        abort(413)
    text = request.form.get("peildatum") or date.today().isoformat()
    try:
        peildatum = date.fromisoformat(text)
    except ValueError:
        raise UserError(_("Ongeldige peildatum: {value} (gebruik JJJJ-MM-DD).", value=text)) \
            from None
    source = Source(name=name, data=body)
    store = data.store()
    lang = request.args.get("lang") or _lang()
    inventory = read([source], lang=lang, store=store)
    report = validate(inventory, peildatum=peildatum, store=store, reference=True)
    key = _keep(Checked(session["csrf"], time.time(), source, inventory, report))
    return _report_page(key)


def _lang() -> str:
    from flask import g

    return g.get("lang", "nl")


def _writable() -> bool:
    """Loading from the website needs an administrator token (SDGRAPH_ADMIN_TOKEN)."""
    return bool(current_app.config.get("ADMIN_TOKEN"))


def _check_admin() -> None:
    expected = current_app.config.get("ADMIN_TOKEN") or ""
    sent = request.form.get("token", "")
    if not expected or not sent or not hmac.compare_digest(sent, expected):
        abort(403, _("Alleen een beheerder kan vanaf de website laden: het beheerderstoken "
                     "ontbreekt of klopt niet."))


def _report_page(key: str, status: int = 200):
    item = _get(key)
    lang = _lang()
    return render_template("valideren_rapport.html", key=key, item=item, csrf=csrf_token(),
                           rapport=Markup(item.report.html(lang, standalone=False)),
                           summary=item.report.summary(lang), writable=_writable()), status


@bp.get("/valideren/<key>")
def report(key: str):
    return _report_page(key)


@bp.get("/valideren/<key>.<any(html, json):fmt>")
def download(key: str, fmt: str):
    item = _get(key)
    lang = _lang()
    body = item.report.html(lang) if fmt == "html" else item.report.json(lang)
    mimetype = "text/html" if fmt == "html" else "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="validatierapport.{fmt}"'
    if fmt == "html":  # a standalone document with its own small stylesheet, no scripts
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
    return response


@bp.post("/valideren/<key>/laden")
def load(key: str):
    _check_csrf()
    item = _get(key)
    if not item.report.conforms:
        raise UserError(_("Een inventaris met fouten wordt niet geladen."))
    _check_admin()
    if item.loaded is None:
        with data.writer() as store:
            item.loaded = load_validated(store, [item.source], item.inventory, item.report)
    return _report_page(key)
