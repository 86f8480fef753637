"""``sdgraph matrix``, ``klantreis``, ``foto``, ``netwerk`` and ``overlap``: the pages of
:mod:`sdgraph.pages`, printed or written as the web serves them."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UserError
from ..pages import foto as foto_page
from ..pages import gemeente as gemeente_page
from ..pages import klantreis as klantreis_page
from ..pages import matrix as matrix_page
from ..pages import netwerk as netwerk_page
from ..pages import overlap as overlap_page
from ..pages.base import Page
from .common import LANG_OPTION, Context, emit, user_errors


def _render(page: Page, fmt: str) -> str:
    """The page as text, CSV or JSON (the --format of the page commands)."""
    return {"text": page.to_text, "csv": page.to_csv, "json": page.to_json}[fmt]()


def _format_option(*choices: str):
    return click.option("--format", "-f", "fmt", type=click.Choice(list(choices)),
                        default="text", show_default=True)


OUTPUT_OPTION = click.option("--output", "-o", type=click.Path(dir_okay=False),
                             help="Write to a file.")
PEILDATUM_OPTION = click.option("--peildatum", metavar="DATE",
                                help="Reference date (default: today).")


@click.command()
@click.argument("gemeente", required=False)
@click.option("--organisatie", metavar="IRI", help="A regio or GR: its member gemeenten x taken.")
@PEILDATUM_OPTION
@click.option("--wet", metavar="IRI", help="Only the taken of this wet.")
@click.option("--deelgebied", metavar="IRI", help="With --organisatie: only this deelgebied.")
@LANG_OPTION
@_format_option("text", "csv", "json")
@OUTPUT_OPTION
@click.pass_obj
@user_errors
def matrix(obj: Context, gemeente: str | None, organisatie: str | None, peildatum: str | None,
           wet: str | None, deelgebied: str | None, lang: str, fmt: str,
           output: str | None) -> None:
    """"Wie doet wat" as a matrix: a gemeente's taken x deelgebieden, or with
    --organisatie a regio's member gemeenten x taken.

    Example: sdgraph matrix GM0823 --peildatum 2020-07-02
    """
    if bool(gemeente) == bool(organisatie):
        raise UserError("give either a GEMEENTE or --organisatie IRI")
    run = obj.runner(lang)
    if gemeente:
        page = matrix_page.gemeente(run, gemeente_page.lookup(run, gemeente), peildatum, wet)
    else:
        page = matrix_page.regio(run, organisatie or "", peildatum, wet, deelgebied)
    emit(_render(page, fmt), output)


@click.command()
@click.argument("gemeente")
@click.option("--soort", default="jeugd", show_default=True, metavar="SOORT|IRI",
              help="Kind of request: jeugd, wmo, werk-en-inkomen (or a klantreis IRI).")
@PEILDATUM_OPTION
@LANG_OPTION
@_format_option("text", "csv", "json")
@OUTPUT_OPTION
@click.pass_obj
@user_errors
def klantreis(obj: Context, gemeente: str, soort: str, peildatum: str | None, lang: str,
              fmt: str, output: str | None) -> None:
    """The route of a request for help through toegang, backoffice, inkoop, governance
    and visie en beleid: who does each step, with organisations and hand-overs counted.

    Example: sdgraph klantreis GM0823 --soort wmo --peildatum 2020-07-02
    """
    run = obj.runner(lang)
    page = klantreis_page.page(run, gemeente_page.lookup(run, gemeente), soort, peildatum)
    emit(_render(page, fmt), output)


@click.command()
@click.argument("gemeente")
@PEILDATUM_OPTION
@click.option("--regio", metavar="IRI", help="Regio to compare with (default: its jeugdregio).")
@click.option("--sinds", metavar="DATE", help="List changes since (default: a year before).")
@_format_option("text", "json")
@OUTPUT_OPTION
@click.pass_obj
@user_errors
def foto(obj: Context, gemeente: str, peildatum: str | None, regio: str | None,
         sinds: str | None, fmt: str, output: str | None) -> None:
    """The "foto van het sociaal domein" of a gemeente: partners per wet and deelgebied
    with their state (confirmed, derived, assumed, unknown), double work, running
    contracts, and key figures beside the national median and its regio.

    Example: sdgraph foto GM0823 --peildatum 2024-01-01
    """
    run = obj.runner()
    try:
        found = gemeente_page.lookup(run, gemeente)
    except gemeente_page.UnknownGemeente:
        raise UserError(f"not a gemeente: {gemeente!r} (use a GM code or TOOI IRI)") from None
    page = foto_page.page(run, found, peildatum, regio, sinds)
    emit(_render(page, fmt), output)


#: Output file extension -> page format of ``sdgraph netwerk``.
NETWERK_FORMATS = {".html": "html", ".graphml": "graphml", ".json": "json", ".csv": "csv"}


@click.command()
@click.argument("gemeente")
@PEILDATUM_OPTION
@click.option("--wet", metavar="IRI", help="Only the lines of this wet.")
@click.option("--deelgebied", metavar="IRI", help="Only the lines of this deelgebied.")
@LANG_OPTION
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="FILE.html (self-contained, offline), .graphml, .json or .csv.")
@click.pass_obj
@user_errors
def netwerk(obj: Context, gemeente: str, peildatum: str | None, wet: str | None,
            deelgebied: str | None, lang: str, output: str) -> None:
    """The "spaghetti" network of a gemeente: its memberships, taakuitvoeringen and
    contracts on a peildatum, coloured per wet; the format follows the file extension.

    Example: sdgraph netwerk GM0823 --peildatum 2022-06-01 -o oirschot.html
    """
    suffix = Path(output).suffix.lower()
    if suffix not in NETWERK_FORMATS:
        raise UserError(f"unknown format {suffix or output!r}: use .html, .graphml, .json or .csv")
    run = obj.runner(lang)
    page = netwerk_page.page(run, gemeente_page.lookup(run, gemeente), peildatum, wet,
                             deelgebied)
    emit(page.export(NETWERK_FORMATS[suffix]), output)
    click.echo(page.to_text(), err=True)


@click.command()
@PEILDATUM_OPTION
@LANG_OPTION
@_format_option("text", "csv", "json")
@OUTPUT_OPTION
@click.pass_obj
@user_errors
def overlap(obj: Context, peildatum: str | None, lang: str, fmt: str, output: str | None) -> None:
    """How the regio-indelingen of the vocabulary overlap: per pair of indelingen the
    Jaccard index of the pairs of gemeenten that share a regio in each.

    Pairs of regio's or GRs: sdgraph query overlap; one gemeente: sdgraph query
    overlap-gemeente. Example: sdgraph overlap --peildatum 2024-01-01
    """
    emit(_render(overlap_page.heat(obj.runner(lang), peildatum), fmt), output)


COMMANDS = (matrix, klantreis, foto, netwerk, overlap)
