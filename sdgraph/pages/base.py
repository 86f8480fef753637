"""What every page offers, whoever shows it: the CLI, the web, the API.

A page is computed by a function over a :class:`~sdgraph.runner.Runner` and
returns a :class:`Page`: its data as a dict (and JSON), as CSV and as text, the
template the web renders it with and the variables that template gets. The one
JSON envelope is ``{"view": ..., "params": {...}, ...the page's own fields}``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .. import spreadsheet
from ..i18n import N_, gettext
from ..output import json_text
from ..spreadsheet import XLSX_MEDIA_TYPE, Sheet

#: Media types of the formats pages export (the web's response path uses them).
MEDIA_TYPES = {
    "json": "application/json",
    "svg": "image/svg+xml",
    "geojson": "application/geo+json",
    "csv": "text/csv",
    "txt": "text/plain",
    "html": "text/html",
    "md": "text/markdown",
    "graphml": "application/graphml+xml",
    "xlsx": XLSX_MEDIA_TYPE,
}


class Page:
    """Base of every page result; subclasses set ``view`` and ``template`` and fill
    :meth:`to_dict`, :meth:`to_csv`, :meth:`to_text` and :meth:`context`."""

    #: Name of the page in the JSON envelope and in download file names.
    view: ClassVar[str] = ""
    #: The web template (templates/<name>).
    template: ClassVar[str] = ""
    #: The download formats besides HTML; ``attachment`` ones are saved, not shown. A page
    #: with a CSV also offers XLSX (:meth:`offers`), made from :meth:`sheets`.
    formats: ClassVar[tuple[str, ...]] = ("json", "csv")
    attachments: ClassVar[tuple[str, ...]] = ()
    #: Content Security Policy of the page's self-contained HTML download (inline style,
    #: nothing from elsewhere; a page whose file draws with an inline script allows it).
    html_policy: ClassVar[str] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'")

    params: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    def envelope(self) -> dict[str, Any]:
        return {"view": self.view, "params": dict(self.params), **self.to_dict()}

    def to_json(self) -> str:
        return json_text(self.envelope())

    def to_csv(self) -> str:
        raise NotImplementedError

    def to_text(self) -> str:
        raise NotImplementedError

    def offers(self, fmt: str) -> bool:
        """True for the formats of the page: its :attr:`formats`, and XLSX with a CSV."""
        return fmt in self.formats or (fmt == "xlsx" and "csv" in self.formats)

    def download_formats(self) -> tuple[str, ...]:
        return self.formats + (("xlsx",) if self.offers("xlsx") and "xlsx" not in self.formats
                               else ())

    def export(self, fmt: str, lang: str = "nl", dialect: str | None = None) -> str | bytes:
        """The page in one of its formats (:meth:`offers`); XLSX as bytes. ``dialect``
        :data:`~sdgraph.spreadsheet.EXCEL_NL` makes the CSV one Dutch Excel opens."""
        if not self.offers(fmt):
            raise ValueError(f"{self.view} has no {fmt} export")
        if fmt == "xlsx":
            return self.to_xlsx(lang)
        if fmt == "csv" and dialect == spreadsheet.EXCEL_NL:
            return self.to_excel_csv(lang)
        return {"json": self.to_json, "csv": self.to_csv, "txt": self.to_text}.get(
            fmt, lambda: self.render(fmt))()

    def sheets(self, lang: str = "nl") -> list[Sheet]:
        """The page's tables for people (XLSX, Excel CSV); by default its CSV, one sheet.
        Pages with column titles and IRIs override it (titles, label columns)."""
        return [spreadsheet.from_csv(self.view, self.to_csv())]

    def about(self, lang: str = "nl") -> list[tuple[str, str]]:
        """Where the data come from, for the sheet that describes the columns."""
        params = ", ".join(f"{k}={v}" for k, v in self.params.items() if v)
        return [(gettext(N_("Pagina"), lang), self.view),
                (gettext(N_("Parameters"), lang), params), ("sdgraph", "https://w3id.org/sdgraph")]

    def to_xlsx(self, lang: str = "nl") -> bytes:
        return spreadsheet.to_xlsx(self.sheets(lang), self.about(lang), lang)

    def to_excel_csv(self, lang: str = "nl") -> str:
        return spreadsheet.to_excel_csv(self.sheets(lang)[0])

    def render(self, fmt: str) -> str:
        """Formats other than json, csv and txt (a subclass that offers one fills this)."""
        raise NotImplementedError

    def filename(self, fmt: str) -> str:
        return f"{self.view}.{fmt}"

    def policy(self, html: str) -> str:
        """The Content-Security-Policy of the HTML download ``html`` (its own, not the
        app's): :attr:`html_policy`, unless a page allows exactly its own scripts."""
        return self.html_policy

    def context(self) -> dict[str, Any]:
        """The variables of :attr:`template`."""
        raise NotImplementedError
