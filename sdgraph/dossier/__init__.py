"""The foto van het sociaal domein as a handover dossier: PDF, Word and Markdown.

The content is built once (:mod:`.inhoud`: title page, the foto's sections, maps,
verantwoording) and written by three renderers: :mod:`.html` (one self-contained HTML
document for A4, made into PDF by WeasyPrint), :mod:`.word` (python-docx) and
:mod:`.markdown`. All three run offline: no font, script or file is fetched (WeasyPrint
gets a ``url_fetcher`` that refuses every URL). docs/foto.md says why these libraries.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from . import html as html_renderer
from . import markdown as markdown_renderer
from .inhoud import Dossier, dossier

if TYPE_CHECKING:
    from ..pages.foto import Foto

__all__ = ["Dossier", "docx", "dossier", "html", "markdown", "pdf"]


def html(foto: Foto, gemaakt: date | None = None) -> str:
    """The dossier as one self-contained HTML document (what the PDF is made from)."""
    return html_renderer.html(dossier(foto, gemaakt))


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the dossier fetches nothing: {url}")


def pdf(foto: Foto, gemaakt: date | None = None) -> bytes:
    """The dossier as PDF (A4), with WeasyPrint."""
    import weasyprint

    document = weasyprint.HTML(string=html(foto, gemaakt), url_fetcher=_no_fetch)
    return document.write_pdf()


def docx(foto: Foto, gemaakt: date | None = None) -> bytes:
    """The dossier as an editable Word document."""
    from . import word

    return word.docx(dossier(foto, gemaakt))


def markdown(foto: Foto, gemaakt: date | None = None) -> str:
    """The dossier as Markdown."""
    return markdown_renderer.markdown(dossier(foto, gemaakt))
