"""``sdgraph scenario run`` and ``sdgraph scenario compare``: thin wrappers around the engine
(the comparison page of :mod:`sdgraph.pages.scenario`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import UserError
from ..i18n import N_
from .common import Context, user_errors

if TYPE_CHECKING:
    from ..scenario.model import Scenario


def _outputs(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed((
        click.option("--weight", "-w", "weights", multiple=True, metavar="CRITERION=W",
                     help="Weight of a criterion (eigen-uitvoering, zeggenschap, klantreis, "
                          "arrangementen, exitkosten, transitie; default 1); repeatable."),
        click.option("--gemeente", metavar="CODE", help="Run for this gemeente instead."),
        click.option("--peildatum", metavar="DATE", help="Override the peildatum (YYYY-MM-DD)."),
        click.option("--besluitdatum", metavar="DATE", help="Override the besluitdatum."),
        click.option("--html", "html_file", type=click.Path(dir_okay=False),
                     help="Write a self-contained, printable HTML report."),
        click.option("--markdown", "--md", "md_file", type=click.Path(dir_okay=False),
                     help="Write the report as Markdown."),
        click.option("--csv", "csv_file", type=click.Path(dir_okay=False),
                     help="Write every figure with its items as CSV."),
        click.option("--json", "json_file", type=click.Path(dir_okay=False),
                     help="Write criteria, scores and matrix figures as JSON."),
        click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True),
    )):
        func = option(func)
    return func


def _wijziging(spec: str, index: int) -> dict[str, Any]:
    """'uittreding betreft=so:so0665 taken=a,b' -> the YAML mapping of one change."""
    parts = spec.split()
    if not parts:
        raise UserError(N_("--wijziging {n}: leeg"), n=index)
    change: dict[str, Any] = {"soort": parts[0]}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if not sep:
            raise UserError(N_("--wijziging {n}: verwacht sleutel=waarde, niet {waarde}"),
                            n=index, waarde=repr(part))
        lists = ("taken", "deelgebieden", "partners")
        change[key] = [v for v in value.split(",") if v] if key in lists else value
    return change


def _from_options(gemeente: str | None, peildatum: str | None, besluitdatum: str | None,
                  wijzigingen: tuple[str, ...]) -> Scenario:
    from ..scenario.model import scenario_from_doc

    if not (gemeente and peildatum):
        raise UserError(N_("zonder BESTAND: geef --gemeente, --peildatum en --wijziging"))
    doc = {"id": "cli", "titel": "Scenario (opdrachtregel)", "gemeente": gemeente,
           "peildatum": peildatum,
           "wijzigingen": [_wijziging(s, i) for i, s in enumerate(wijzigingen, start=1)]}
    if besluitdatum:
        doc["besluitdatum"] = besluitdatum
    return scenario_from_doc(doc, "opdrachtregel")


def _scenarios(files: tuple[str, ...], gemeente: str | None, peildatum: str | None,
               besluitdatum: str | None) -> list[Scenario]:
    from ..scenario.model import load_all, with_overrides

    return [with_overrides(s, gemeente, peildatum, besluitdatum) for s in load_all(list(files))]


def _write(path: str, body: str) -> None:
    Path(path).write_text(body, encoding="utf-8")
    click.echo(f"Wrote {path}", err=True)


def _finish(obj: Context, scenarios: list[Scenario], weights: tuple[str, ...], lang: str,
            details: bool, html_file: str | None, md_file: str | None, csv_file: str | None,
            json_file: str | None) -> None:
    from ..pages.scenario import compare as compare_page
    from ..scenario import report
    from ..scenario.vergelijking import parse_weights

    folder = obj.settings.sources_folder() if html_file else None  # the maps in the report
    page = compare_page(obj.store, scenarios, parse_weights(weights), lang, obj.library, folder)
    click.echo(report.to_text(page.v, lang, details=details), nl=False)
    for path, fmt in ((html_file, "html"), (md_file, "md"), (csv_file, "csv"),
                      (json_file, "json")):
        if path:
            _write(path, page.export(fmt))


@click.group()
def scenario() -> None:
    """Scenario impact: what changes per deelgebied when a gemeente leaves or joins a GR or
    regio, takes taken back (eigen regie), hands them over or gets BW/MO decentralised.

    Scenarios are Turtle or YAML files (docs/scenarios.md). The stored graph is only
    read: every scenario is applied to an in-memory copy.
    """


@scenario.command("run")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--wijziging", "wijzigingen", multiple=True, metavar="SPEC",
              help="Without FILE: one change, e.g. 'uittreding betreft=so:so0665' or "
                   "'eigen-regie van=so:so0665 taken=inkoop-wmo deelgebieden=inkoop'.")
@click.option("--kort", is_flag=True, help="Leave out the items behind the figures.")
@_outputs
@click.pass_obj
@user_errors
def run(obj: Context, file: str | None, wijzigingen: tuple[str, ...], kort: bool,
        weights: tuple[str, ...], gemeente: str | None, peildatum: str | None,
        besluitdatum: str | None, html_file: str | None, md_file: str | None,
        csv_file: str | None, json_file: str | None, lang: str) -> None:
    """The impact of the scenario(s) in FILE, per deelgebied, with the items behind each figure.

    Example: sdgraph scenario run data/examples/oirschot/scenarios/d-eigen-regie.yaml
    """
    if file:
        if wijzigingen:
            raise UserError(N_("geef een BESTAND of --wijziging, niet allebei"))
        scenarios = _scenarios((file,), gemeente, peildatum, besluitdatum)
    else:
        scenarios = [_from_options(gemeente, peildatum, besluitdatum, wijzigingen)]
    _finish(obj, scenarios, weights, lang, not kort, html_file, md_file, csv_file, json_file)


@scenario.command("compare")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--details", is_flag=True, help="Also print the items behind every figure.")
@_outputs
@click.pass_obj
@user_errors
def compare(obj: Context, files: tuple[str, ...], details: bool, weights: tuple[str, ...],
            gemeente: str | None, peildatum: str | None, besluitdatum: str | None,
            html_file: str | None, md_file: str | None, csv_file: str | None,
            json_file: str | None, lang: str) -> None:
    """Compare scenarios side by side: the N x 5 matrix (scenario x deelgebied), the criteria
    with their formulas, and the ranking under the given weights.

    Example: sdgraph scenario compare data/examples/oirschot/scenarios/*.yaml --html report.html
    """
    scenarios = _scenarios(files, gemeente, peildatum, besluitdatum)
    _finish(obj, scenarios, weights, lang, details, html_file, md_file, csv_file, json_file)


COMMANDS = (scenario,)
