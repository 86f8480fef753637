"""Errors: a user's mistake is a 400 with the message, never a traceback; HTML for pages,
JSON for downloads and the API (:func:`web.export.wants_json`)."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from sdgraph.errors import StoreError, UserError
from sdgraph.i18n import N_
from sdgraph.pages.gemeente import UnknownGemeente
from sdgraph.pages.indexen import UnknownIndeling
from sdgraph.pages.matrix import UnknownOrganisatie

from .export import wants_json
from .i18n import current
from .i18n import gettext as _

TITLES = {
    400: N_("Ongeldige invoer"),
    404: N_("Niet gevonden"),
    413: N_("Te groot"),
    503: N_("De opslag is niet beschikbaar"),
}
DEFAULT_MESSAGES = {
    404: N_("Deze pagina bestaat niet."),
    405: N_("Deze methode is hier niet toegestaan."),
    413: N_("Het verzoek of bestand is groter dan deze server aanneemt."),
    500: N_("Er is een onverwachte fout opgetreden."),
}


def error_page(status: int, message: str | None):
    default = N_("Er ging iets mis") if status >= 500 else N_("Fout")
    title = _(TITLES.get(status, default))
    if wants_json():
        response = jsonify(error=message or title, status=status)
        response.status_code = status
        return response
    return render_template("error.html", status=status, title=title, message=message), status


def user_message(exc: UserError) -> str:
    """The error in the page's language: its template translated, then filled in."""
    return exc.in_language(current())


def init_app(app: Flask) -> None:
    @app.errorhandler(UnknownGemeente)
    @app.errorhandler(UnknownOrganisatie)
    @app.errorhandler(UnknownIndeling)
    def unknown(exc: UserError):
        return error_page(404, user_message(exc))

    @app.errorhandler(UserError)
    def user_error(exc: UserError):
        return error_page(400, user_message(exc))

    @app.errorhandler(StoreError)
    def store_error(exc: StoreError):
        current_app.logger.error("store error: %s", exc)
        later = _("Probeer het later opnieuw.")
        response = make_response(error_page(503, f"{exc} — {later}"))
        retry = getattr(exc, "retry_after", None)
        if retry:  # busy: every query worker is in use
            response.headers["Retry-After"] = str(retry)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        custom = exc.description if exc.description != type(exc).description else None
        default = DEFAULT_MESSAGES.get(status)
        return error_page(status, custom or (_(default) if default else None))

    @app.errorhandler(InternalServerError)
    def internal_error(exc: InternalServerError):
        return error_page(500, _(DEFAULT_MESSAGES[500]))
