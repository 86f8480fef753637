"""Error pages: a user's mistake is a 400 with the message, never a traceback."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

from sdgraph.errors import StoreError, UserError

from .i18n import gettext as _

TITLES = {
    400: "Ongeldige invoer",
    404: "Niet gevonden",
    413: "Te groot",
    503: "De opslag is niet beschikbaar",
}
DEFAULT_MESSAGES = {
    404: "Deze pagina bestaat niet.",
    405: "Deze methode is hier niet toegestaan.",
    413: "Het verzoek of bestand is groter dan deze server aanneemt.",
    500: "Er is een onverwachte fout opgetreden.",
}


def error_page(status: int, message: str | None):
    title = _(TITLES.get(status, "Er ging iets mis" if status >= 500 else "Fout"))
    return render_template("error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(UserError)
    def user_error(exc: UserError):
        return error_page(400, str(exc))

    @app.errorhandler(StoreError)
    def store_error(exc: StoreError):
        current_app.logger.error("store error: %s", exc)
        return error_page(503, f"{exc} — {_('Probeer het later opnieuw.')}")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        custom = exc.description if exc.description != type(exc).description else None
        default = DEFAULT_MESSAGES.get(status)
        return error_page(status, custom or (_(default) if default else None))

    @app.errorhandler(InternalServerError)
    def internal_error(exc: InternalServerError):
        return error_page(500, _(DEFAULT_MESSAGES[500]))
