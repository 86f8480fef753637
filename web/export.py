"""The one response path of the web: a page as HTML or in one of its download formats.

Every view ends in :func:`respond`: HTML through the page's template (with
``Link: rel=alternate`` headers to its downloads), or the page's JSON, CSV, XLSX,
... with the right media type and file name. Every page with a CSV has an XLSX
(routes ``<path>.xlsx``) and, with ``?dialect=excel-nl``, a CSV for Dutch Excel
(sdgraph/spreadsheet.py). Errors on download routes and the API
come back as JSON (web/errors.py uses :func:`wants_json`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, g, render_template, request
from werkzeug.exceptions import BadRequest, HTTPException, NotFound

from sdgraph.pages.base import MEDIA_TYPES, Page
from sdgraph.spreadsheet import EXCEL_NL

from .i18n import gettext as _

#: Suffixes of download routes (``/gemeente/GM0823/matrix.json``) and API prefixes.
DOWNLOAD_SUFFIXES = tuple(f".{fmt}" for fmt in MEDIA_TYPES if fmt not in ("html",))
API_PREFIXES = ("/api/",)


def wants_json() -> bool:
    """True for a request whose errors should be JSON: a download or an API call."""
    path = request.path
    return path.startswith(API_PREFIXES) or path.endswith(DOWNLOAD_SUFFIXES)


def download(body: str | bytes, fmt: str, filename: str, attachment: bool = False) -> Response:
    """A download of ``body`` in ``fmt``: media type (with charset for text), file name;
    a workbook is always saved, not shown."""
    media = MEDIA_TYPES[fmt]
    response = Response(body, mimetype=media)
    if isinstance(body, str):
        response.headers["Content-Type"] = f"{media}; charset=utf-8"
    else:
        attachment = True
    if fmt != "json" or attachment:
        disposition = "attachment" if attachment else "inline"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def alternates(page: Page) -> list[tuple[str, str]]:
    """(format, URL) of the page's downloads: the page's path with ``.fmt`` and the same
    query, for every format the app has a route for."""
    query = urlencode(list(request.args.items(multi=True)))
    base = request.path.rstrip("/")
    adapter = current_app.url_map.bind("localhost")
    found = []
    for fmt in page.download_formats():
        if fmt in page.attachments or fmt == "html" or not base:
            continue
        try:
            adapter.match(f"{base}.{fmt}", method="GET")
        except HTTPException:
            continue
        found.append((fmt, f"{base}.{fmt}" + (f"?{query}" if query else "")))
    return found


def respond(page: Page, fmt: str | None = None, template: str | None = None,
            **extra: Any) -> Response:
    """``page`` as HTML (``fmt`` None; its own template or ``template``) with ``extra``
    template variables, or as ``fmt``."""
    if fmt is None:
        links = alternates(page)
        response = Response(render_template(template or page.template, **page.context(),
                                            **extra, alternates=links))
        if links:
            response.headers["Link"] = ", ".join(
                f'<{url}>; rel="alternate"; type="{MEDIA_TYPES[f]}"' for f, url in links)
        return response
    if not page.offers(fmt):
        raise NotFound()
    dialect = request.args.get("dialect") if fmt == "csv" else None
    if dialect not in (None, "", EXCEL_NL):
        raise BadRequest(_("Onbekend CSV-dialect {dialect} (bekend: {known}).", dialect=dialect,
                           known=EXCEL_NL))
    body = page.export(fmt, lang=g.get("lang", "nl"), dialect=dialect or None)
    response = download(body, fmt, page.filename(fmt), fmt in page.attachments)
    if fmt == "html":  # a self-contained report or drawing: its own policy, not the app's
        response.headers["Content-Security-Policy"] = page.policy(body)
    return response
