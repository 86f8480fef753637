"""The page's language, with Flask-Babel over the one catalogue of :mod:`sdgraph.i18n`.

The language comes from ``?lang=`` (and is then remembered in a cookie), else from that
cookie, else Dutch. Views and templates translate with ``_("Dutch text {x}", x=...)``;
the texts live in ``sdgraph/locale/`` (see docs/architecture.md, "to add a language string").
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, request, url_for
from flask_babel import Babel, Domain
from werkzeug.utils import cached_property

from sdgraph import i18n
from sdgraph.i18n import N_

LANGUAGES = i18n.LANGUAGES
DEFAULT = i18n.DEFAULT
COOKIE_AGE = 365 * 24 * 3600

#: Values that named queries return and templates show translated (``_(row.richting|t)``).
QUERY_WORDS = (
    N_("uit"), N_("in"),  # resource.rq: direction of a triple
    N_("opvolger"), N_("voorganger"),  # opvolging.rq
    N_("partij"), N_("via taakuitvoering"),  # contracten.rq: the gemeente's role
)


def current() -> str:
    return g.get("lang", DEFAULT)


def gettext(text: str, **values: Any) -> str:
    """Translate ``text`` into the page's language and fill in ``{name}`` values."""
    return i18n.gettext(text, current(), **values)


def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
    return i18n.ngettext(singular, plural, n, current(), **values)


def rows(n: int) -> str:
    return ngettext("{n} rij", "{n} rijen", n)


def lang_url(lang: str) -> str:
    """This page's URL with ``lang`` set (other query arguments kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    if request.endpoint is None:
        return "?lang=" + lang
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def _choose() -> None:
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        g.lang = asked
        g.lang_asked = True
        return
    cookie = request.cookies.get(_cookie_name(), "")
    g.lang = cookie if cookie in LANGUAGES else DEFAULT


def _cookie_name() -> str:
    from flask import current_app

    return current_app.config.get("LANG_COOKIE", "sdgraph_lang")


class _Catalogue(Domain):
    """Flask-Babel's own gettext reads the one catalogue too."""

    def get_translations(self):
        return i18n.translations(current())


class _Babel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:
        return _Catalogue()


def init_app(app: Flask) -> None:
    app.before_request(_choose)
    _Babel(app, default_locale=DEFAULT, locale_selector=current)
    # ``_`` in templates fills ``{name}`` placeholders, as in Python (not Jinja's %(name)s)
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)

    @app.after_request
    def remember(response):
        if g.get("lang_asked"):
            response.set_cookie(_cookie_name(), g.lang, max_age=COOKIE_AGE, samesite="Lax",
                                httponly=True, secure=app.session_interface.get_cookie_secure(app))
        response.headers.setdefault("Content-Language", g.get("lang", DEFAULT))
        response.vary.add("Cookie")
        return response

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"rows_label": rows, "lang": current(), "lang_url": lang_url,
                "languages": LANGUAGES}
