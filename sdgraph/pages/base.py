"""What every page offers, whoever shows it: the CLI, the web, the API.

A page is computed by a function over a :class:`~sdgraph.runner.Runner` and
returns a :class:`Page`: its data as a dict (and JSON), as CSV and as text, the
template the web renders it with and the variables that template gets. The one
JSON envelope is ``{"view": ..., "params": {...}, ...the page's own fields}``.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

#: Media types of the formats pages export (the web's response path uses them).
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "txt": "text/plain",
    "html": "text/html",
    "md": "text/markdown",
    "graphml": "application/graphml+xml",
}


class Page:
    """Base of every page result; subclasses set ``view`` and ``template`` and fill
    :meth:`to_dict`, :meth:`to_csv`, :meth:`to_text` and :meth:`context`."""

    #: Name of the page in the JSON envelope and in download file names.
    view: ClassVar[str] = ""
    #: The web template (templates/<name>).
    template: ClassVar[str] = ""
    #: The download formats besides HTML; ``attachment`` ones are saved, not shown.
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
        return json.dumps(self.envelope(), ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        raise NotImplementedError

    def to_text(self) -> str:
        raise NotImplementedError

    def export(self, fmt: str) -> str:
        """The page in one of its :attr:`formats`."""
        if fmt not in self.formats:
            raise ValueError(f"{self.view} has no {fmt} export")
        return {"json": self.to_json, "csv": self.to_csv, "txt": self.to_text}.get(
            fmt, lambda: self.render(fmt))()

    def render(self, fmt: str) -> str:
        """Formats other than json, csv and txt (a subclass that offers one fills this)."""
        raise NotImplementedError

    def filename(self, fmt: str) -> str:
        return f"{self.view}.{fmt}"

    def context(self) -> dict[str, Any]:
        """The variables of :attr:`template`."""
        raise NotImplementedError
