"""``sdgraph validate``, ``template``, ``import`` and ``history``: an inventory, checked,
converted, loaded as a version of its gemeente's inventory, and the versions listed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import StoreError, UserError
from ..i18n import N_, gettext
from ..store import Source
from .common import COULD_NOT_RUN, NO, Context, user_errors

#: The CLI's own words around a validation (Dutch; other languages from the catalogue).
WORDS: dict[str, str] = {
    "error": N_("Fout"),
    "peildatum": N_("--peildatum verwacht JJJJ-MM-DD, niet {value!r}"),
    "gemeente": N_("--gemeente verwacht een GM-code (GM0823), niet {value!r}"),
    "wrote": N_("{file} geschreven: {summary}"),
    "loaded": N_("Geladen als versie {n} van {graph} ({triples} triples)"),
    "replaced": N_("Vervangt versie {n} (geladen {loaded}, {files}; bewaard in de historie)"),
}


def _word(key: str, lang: str, **values: object) -> str:
    return gettext(WORDS[key], lang, **values)


def _could_not_run(message: str, lang: str) -> None:
    """One line on stderr in the report's language, and exit code 2."""
    click.echo(f"{_word('error', lang)}: {message}", err=True)
    sys.exit(COULD_NOT_RUN)


def _gemeente(value: str | None, lang: str):
    """The TOOI IRI of --gemeente, or None; a bad code cannot run (exit 2)."""
    if not value:
        return None
    from ..identity import gemeente_iri

    try:
        return gemeente_iri(value)
    except ValueError:
        _could_not_run(_word("gemeente", lang, value=value), lang)


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (a container without a user entry)
        return ""


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
@click.option("--engine", type=click.Choice(["turbo", "rudof", "pyshacl", "split"]),
              default="turbo", show_default=True,
              help="SHACL engine (pyshacl-turbo, pyrudof, pySHACL, or split: Core by shacl-rust "
                   "and the SPARQL rules on Oxigraph).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--gemeente", metavar="GM-CODE",
              help="Whose inventory this is [default: the only gemeente it names].")
@click.option("--load", "load_", is_flag=True,
              help="When the inventory passes, load it as the next version of the gemeente's "
                   "inventory (atomic, the previous version kept as history).")
@click.option("--bron", metavar="NAME",
              help="With --load: a part of the gemeente's inventory kept apart (default: "
                   "'inventaris', the whole inventory).")
@click.option("--door", metavar="NAME", help="With --load: who loads it [default: login name].")
@click.option("--graph", metavar="IRI", help="With --load: another named graph to load into.")
@click.pass_obj
def validate(obj: Context, files: tuple[str, ...], peildatum: str | None, reference: bool,
             fmt: str, lang: str, strict: bool, engine: str, output: str | None,
             gemeente: str | None, load_: bool, bron: str | None, door: str | None,
             graph: str | None) -> None:
    """Validate an inventory (Turtle, JSON-LD, N-Triples, .xlsx, .csv) against the shapes.

    Exit code 0: conforms (warnings allowed unless --strict); 1: violations;
    2: could not run (unreadable file, bad option, store unavailable).
    """
    from datetime import date

    from ..inventory.history import text
    from ..validation import read
    from ..validation import validate as run_validation
    from ..validation.gate import load_validated

    try:
        day = date.fromisoformat(peildatum) if peildatum else None
    except ValueError:
        _could_not_run(_word("peildatum", lang, value=peildatum), lang)
    owner = _gemeente(gemeente, lang)
    sources = [Source.file(f) for f in files]
    spreadsheet = any(f.lower().endswith((".xlsx", ".csv")) for f in files)
    try:
        store = obj.store if (reference or spreadsheet or load_) else None
        inventory = read(sources, lang=lang, store=store, gemeente=owner)
        report = run_validation(inventory, peildatum=day, store=store, reference=reference,
                                engine=engine)
    except (UserError, StoreError) as exc:
        _could_not_run(exc.in_language(lang) if isinstance(exc, UserError) else str(exc),
                           lang)
    out = report.render(fmt, lang)
    if output:
        Path(output).write_text(out, encoding="utf-8")
        click.echo(_word("wrote", lang, file=output, summary=report.summary(lang)), err=True)
    else:
        click.echo(out, nl=False)
    if not report.passes(strict):
        if load_:
            click.echo(text("not_passed", lang), err=True)
        raise SystemExit(NO)
    if load_:
        try:
            loaded = load_validated(obj.store, sources, inventory, report, strict=strict,
                                    graph=graph, gemeente=owner, part=bron,
                                    by=door if door is not None else _login(), lang=lang)
        except (UserError, StoreError) as exc:
            _could_not_run(exc.in_language(lang) if isinstance(exc, UserError) else str(exc),
                           lang)
        click.echo(_word("loaded", lang, n=loaded.version.number, graph=loaded.graph,
                         triples=loaded.triples), err=True)
        if loaded.replaced is not None:
            old = loaded.replaced
            click.echo(_word("replaced", lang, n=old.number, loaded=old.loaded,
                             files=", ".join(f.name for f in old.files)), err=True)


@click.command()
@click.argument("gemeente", required=False)
@click.option("--bron", metavar="NAME", help="One part of the gemeente's inventory.")
@click.option("--diff", "diff", nargs=2, type=int, metavar="A B",
              help="The differences from version A to version B (default: the last two).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_obj
@user_errors
def history(obj: Context, gemeente: str | None, bron: str | None, diff: tuple[int, int] | None,
            lang: str, fmt: str) -> None:
    """The loaded versions of the inventories (of one gemeente), and what changed."""
    from ..inventory.historypage import history_page

    page = history_page(obj.store, _gemeente(gemeente, lang), bron, diff, lang)
    click.echo(page.json() if fmt == "json" else page.text(), nl=False)


@click.command()
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--no-store", is_flag=True,
              help="Do not list the store's organisations in the drop-downs.")
@click.option("--gemeente", metavar="GM-CODE",
              help="Pre-fill the Taakuitvoeringen sheet with what the store says this gemeente "
                   "does on the peildatum: its inventory, and its baseline with rule and "
                   "evidence to confirm per row (ja/nee/anders; docs/baseline.md).")
@click.option("--peildatum", metavar="DATE", help="With --gemeente: the day [default: today].")
@click.pass_obj
@user_errors
def template(obj: Context, output: str, no_store: bool, gemeente: str | None,
             peildatum: str | None) -> None:
    """Write the inventory spreadsheet template (.xlsx) generated from the shapes."""
    from datetime import date

    from ..inventory.template import baseline_rows, write_template
    from ..validation.engine import base_graph, shapes_graph

    rows = None
    if gemeente:
        try:
            day = date.fromisoformat(peildatum) if peildatum else date.today()
        except ValueError:
            raise UserError(f"--peildatum expects YYYY-MM-DD, got {peildatum!r}") from None
        rows = baseline_rows(obj.store, _gemeente(gemeente, "en"), day, shapes_graph(),
                             base_graph(), obj.library)
    write_template(output, shapes_graph(), base_graph(), None if no_store else obj.store,
                   rows=rows)
    filled = f" ({len(rows['Taakuitvoeringen'])} taakuitvoeringen)" if rows else ""
    click.echo(f"Wrote {output}{filled}")


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False),
              help="The Turtle file to write.")
@click.option("--no-store", is_flag=True,
              help="Do not resolve organisation names with the store (codes and IRIs only).")
@click.option("--gemeente", metavar="GM-CODE",
              help="Whose inventory this is [default: the only gemeente it names].")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.pass_obj
@user_errors
def import_(obj: Context, files: tuple[str, ...], output: str, no_store: bool,
            gemeente: str | None, lang: str) -> None:
    """Convert a filled-in template (.xlsx) or CSV files (one per sheet) to Turtle.

    Errors name file, sheet, row and column; nothing is written then.
    """
    from ..inventory import import_sources

    imported = import_sources([Source.file(f) for f in files],
                              None if no_store else obj.store, lang=lang,
                              gemeente=_gemeente(gemeente, lang))
    Path(output).write_text(imported.graph.serialize(format="turtle"), encoding="utf-8")
    click.echo(f"Wrote {output}: {len(imported.graph)} triples, "
               f"{len(imported.origins)} records")


COMMANDS = (validate, template, import_, history)
