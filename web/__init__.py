"""The sdgraph web shell: a small Flask app over the core library.

Views parse the request, call a page of :mod:`sdgraph.pages` through
:mod:`web.data` and answer with :func:`web.export.respond`; there is no SPARQL
and no page logic here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

from sdgraph.cache import Refresher
from sdgraph.config import Settings
from sdgraph.follow import Follower, follows
from sdgraph.queries import QueryLibrary
from sdgraph.store import Store, open_store
from sdgraph.uploads import UploadLimits
from sdgraph.validation.staging import Staging, instance_secret_key

from . import errors, i18n, templating
from .data import QUERIES_KEY, SETTINGS_KEY, STORE_KEY
from .views import (
    foto,
    gemeenten,
    home,
    indexen,
    kaarten,
    klantreis,
    netwerk,
    organisaties,
    overlap,
    queries,
    resources,
    scenario,
    sparql,
    valideren,
    wiedoetwat,
    workbench,
    zoeken,
)

#: The app's :class:`~sdgraph.cache.Refresher` (absent when given a store, or turned off).
REFRESHER_KEY = "sdgraph.refresher"
#: The app's :class:`~sdgraph.follow.Follower` (only on a read-only embedded store it opened).
FOLLOWER_KEY = "sdgraph.follower"

#: Content Security Policy: everything from this host, nothing from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; "
    "object-src 'none'"
)


class _Sessions(SecureCookieSessionInterface):
    """Session cookies with SameSite=Lax, and Secure as ``COOKIE_SECURE`` says: ``auto``
    (when the request came over https; behind a proxy that terminates TLS, that
    needs the proxy's X-Forwarded-Proto trusted, docs/deploy.md), ``true`` or ``false``."""

    def get_cookie_secure(self, app: Flask) -> bool:
        mode = str(app.config.get("COOKIE_SECURE", "auto")).lower()
        if mode == "auto":
            return has_request_context() and request.is_secure
        return mode in ("true", "1", "yes", "on")


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    test_config: dict[str, Any] | None = None,
) -> Flask:
    """Build the app from ``settings`` (default: the environment's); the store is opened
    once, read-only, unless one is passed in."""
    given = settings
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.from_mapping(
        JSON_AS_ASCII=False,
        LANG_COOKIE="sdgraph_lang",
        QUERY_TIMEOUT=settings.query_timeout,  # user queries, seconds
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,  # any request body; 413 above (uploads: 5 MB)
        ADMIN_TOKEN=settings.admin_token,  # web writes; None = off
        # the app's own files (Valideren reports, the generated key); an app given a store
        # of its own and no settings (tests) gets a temporary folder
        INSTANCE_FOLDER=str(settings.instance_folder) if given is not None or store is None
        else tempfile.mkdtemp(prefix="sdgraph-instance-"),
        SESSION_COOKIE_SAMESITE="Lax",
        COOKIE_SECURE=settings.cookie_secure,  # auto: Secure when the request came over https
    )
    if test_config:
        app.config.from_mapping(test_config)
    instance = Path(app.config["INSTANCE_FOLDER"])
    # sessions and report tokens are signed with one key in every worker: SDGRAPH_SECRET_KEY,
    # else a key generated once and kept in the instance folder
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.secret_key or instance_secret_key(instance)
    app.extensions[valideren.STAGING_KEY] = Staging(instance / "valideren",
                                                    app.config["SECRET_KEY"])
    app.session_interface = _Sessions()

    library = QueryLibrary.from_settings(settings)
    if store is None:  # read-only: the web never writes through this store
        store = open_store(settings, read_only=True)
        # after a load, recompute what visitors asked before, and on a new day the national
        # aggregates of that day (not in tests: no thread per app)
        if settings.cache_refresh > 0 and not app.testing:
            app.extensions[REFRESHER_KEY] = Refresher(store, settings.cache_refresh,
                                                      library).start()
        # after a load, reopen the store and read its load records before a visitor asks
        if settings.store_follow > 0 and not app.testing and follows(store):
            app.extensions[FOLLOWER_KEY] = Follower(store, settings.store_follow).start()
    app.extensions[SETTINGS_KEY] = settings
    app.extensions[STORE_KEY] = store
    app.extensions[QUERIES_KEY] = library
    app.extensions["sdgraph.upload_limits"] = UploadLimits.from_settings(settings)

    i18n.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    app.register_blueprint(home.bp)
    app.register_blueprint(gemeenten.bp)
    app.register_blueprint(organisaties.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(queries.bp)
    app.register_blueprint(resources.bp)
    app.register_blueprint(wiedoetwat.bp)
    app.register_blueprint(klantreis.bp)
    app.register_blueprint(netwerk.bp)
    app.register_blueprint(foto.bp)
    app.register_blueprint(workbench.bp)
    app.register_blueprint(valideren.bp)
    app.register_blueprint(scenario.bp)
    app.register_blueprint(overlap.bp)
    app.register_blueprint(zoeken.bp)
    app.register_blueprint(indexen.bp)
    app.register_blueprint(kaarten.bp)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app


__all__ = ["create_app"]
