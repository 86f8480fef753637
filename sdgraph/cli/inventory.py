"""``sdgraph validate``, ``template`` and ``import``: an inventory, checked and converted."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import StoreError, UserError
from ..store import Source
from .common import NO, Context, could_not_run, user_errors


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--peildatum", metavar="DATE", help="Reference date (YYYY-MM-DD) [default: today].")
@click.option("--reference", is_flag=True,
              help="Compare with the store: referenced organisations, gemeente lifetimes and "
                   "the ROO register memberships.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "html", "ttl"]),
              default="text", show_default=True)
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--engine", type=click.Choice(["turbo", "pyshacl"]), default="turbo",
              show_default=True, help="SHACL engine (pyshacl-turbo or pySHACL).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--load", "load_", is_flag=True,
              help="When the inventory passes, load it into the store (atomic, with provenance).")
@click.option("--graph", metavar="IRI", help="With --load: the named graph to load into.")
@click.pass_obj
def validate(obj: Context, files: tuple[str, ...], peildatum: str | None, reference: bool,
             fmt: str, lang: str, strict: bool, engine: str, output: str | None, load_: bool,
             graph: str | None) -> None:
    """Validate an inventory (Turtle, JSON-LD, N-Triples, .xlsx, .csv) against the shapes.

    Exit code 0: conforms (warnings allowed unless --strict); 1: violations;
    2: could not run (unreadable file, bad option, store unavailable).
    """
    from datetime import date

    from ..validation import read
    from ..validation import validate as run_validation
    from ..validation.gate import load_validated

    try:
        day = date.fromisoformat(peildatum) if peildatum else None
    except ValueError:
        could_not_run(f"--peildatum expects YYYY-MM-DD, got {peildatum!r}")
    sources = [Source.file(f) for f in files]
    spreadsheet = any(f.lower().endswith((".xlsx", ".csv")) for f in files)
    try:
        store = obj.store if (reference or spreadsheet or load_) else None
        inventory = read(sources, lang=lang, store=store)
        report = run_validation(inventory, peildatum=day, store=store, reference=reference,
                                engine=engine)
    except (UserError, StoreError) as exc:
        could_not_run(exc.in_language(lang) if isinstance(exc, UserError) else str(exc))
    out = report.render(fmt, lang)
    if output:
        Path(output).write_text(out, encoding="utf-8")
        click.echo(f"Wrote {output}: {report.summary(lang)}", err=True)
    else:
        click.echo(out, nl=False)
    if not report.passes(strict):
        if load_:
            click.echo("Not loaded: the inventory did not pass validation.", err=True)
        raise SystemExit(NO)
    if load_:
        try:
            for r in load_validated(obj.store, sources, inventory, report, strict=strict,
                                    graph=graph):
                click.echo(f"{r.triples:>8} triples  {r.graph}  ({', '.join(r.sources)})",
                           err=True)
        except (UserError, StoreError) as exc:
            could_not_run(exc.in_language(lang) if isinstance(exc, UserError) else str(exc))


@click.command()
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--no-store", is_flag=True,
              help="Do not list the store's organisations in the drop-downs.")
@click.pass_obj
@user_errors
def template(obj: Context, output: str, no_store: bool) -> None:
    """Write the inventory spreadsheet template (.xlsx) generated from the shapes."""
    from ..inventory import write_template
    from ..validation.engine import base_graph, shapes_graph

    write_template(output, shapes_graph(), base_graph(), None if no_store else obj.store)
    click.echo(f"Wrote {output}")


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="The Turtle file to write.")
@click.option("--no-store", is_flag=True,
              help="Do not resolve organisation names with the store (codes and IRIs only).")
@click.pass_obj
@user_errors
def import_(obj: Context, files: tuple[str, ...], output: str, no_store: bool) -> None:
    """Convert a filled-in template (.xlsx) or CSV files (one per sheet) to Turtle.

    Errors name file, sheet, row and column; nothing is written then.
    """
    from ..inventory import import_sources

    imported = import_sources([Source.file(f) for f in files],
                              None if no_store else obj.store)
    Path(output).write_text(imported.graph.serialize(format="turtle"), encoding="utf-8")
    click.echo(f"Wrote {output}: {len(imported.graph)} triples, "
               f"{len(imported.origins)} records")


COMMANDS = (validate, template, import_)
