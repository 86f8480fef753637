"""The ``sdgraph`` command line: thin wrappers around the core library."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

import click

from . import __version__
from .build import init_store
from .clierrors import user_errors
from .config import Settings
from .errors import StoreError, UserError
from .namespaces import PREFIXES
from .output import render
from .queries import QueryLibrary, load_query_file
from .store import Source, Store, Table, open_store


class Context:
    """Lazily opened store shared by the commands of one invocation."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None




@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sdgraph")
@click.option(
    "--store",
    "store_path",
    envvar="SDGRAPH_STORE",
    type=click.Path(file_okay=False),
    help="Folder of the embedded store [env SDGRAPH_STORE; default ~/.local/share/sdgraph/store].",
)
@click.option(
    "--endpoint",
    envvar="SDGRAPH_ENDPOINT",
    metavar="URL",
    help="Use a SPARQL 1.1 endpoint instead of the embedded store [env SDGRAPH_ENDPOINT].",
)
@click.pass_context
def main(ctx: click.Context, store_path: str | None, endpoint: str | None) -> None:
    """sdgraph: the knowledge graph of the Dutch sociaal domein.

    Gemeenten, gemeenschappelijke regelingen, regio's, taken and who does what,
    as a graph you can query from the command line and the web.
    """
    obj = Context(Settings.from_env(store_path=store_path, endpoint=endpoint))
    ctx.obj = obj
    ctx.call_on_close(obj.close)


@main.command()
@click.option(
    "--example",
    default="oirschot",
    show_default=True,
    help="Bundled example to load; 'none' for ontology and vocabularies only.",
)
@click.pass_obj
@user_errors
def init(obj: Context, example: str) -> None:
    """Create the store and load the ontology, vocabularies and an example."""
    started = time.perf_counter()
    results = init_store(obj.store, None if example == "none" else example)
    for r in results:
        click.echo(f"{r.triples:>8} triples  {r.graph}")
    click.echo(
        f"Loaded {sum(r.triples for r in results)} triples into {len(results)} graphs of "
        f"{obj.store.describe()} in {time.perf_counter() - started:.1f} s"
    )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--graph",
    metavar="IRI",
    help="Load all files together into this named graph (default: one graph per file).",
)
@click.option("--title", help="Title recorded in the provenance of the graph.")
@click.option("--publisher", help="Source organisation recorded in the provenance.")
@click.option(
    "--license", "license_", metavar="IRI", help="License IRI recorded in the provenance."
)
@click.option("--issued", metavar="DATE", help="Date of the data itself (YYYY-MM-DD).")
@click.pass_obj
@user_errors
def load(
    obj: Context,
    files: tuple[str, ...],
    graph: str | None,
    title: str | None,
    publisher: str | None,
    license_: str | None,
    issued: str | None,
) -> None:
    """Load RDF files (Turtle, N-Triples, RDF/XML, JSON-LD) atomically.

    Each target graph is replaced as a whole; if any file has an error,
    nothing is written.
    """
    sources = [
        Source.file(f, title=title, publisher=publisher, license=license_, issued=issued)
        for f in files
    ]
    started = time.perf_counter()
    results = obj.store.load(sources, graph)
    for r in results:
        click.echo(f"{r.triples:>8} triples  {r.graph}  ({', '.join(r.sources)})")
    click.echo(f"Done in {time.perf_counter() - started:.1f} s")


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UserError(f"--param expects NAME=VALUE, got {item!r}")
        values[key.strip()] = value
    return values


@main.command()
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Query parameter; repeat for several.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file.")
@click.pass_obj
@user_errors
def query(obj: Context, name: str, params: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Run a named query (see 'sdgraph queries') or a .rq file.

    Example: sdgraph query lidmaatschappen -p gemeente=GM0823 -p peildatum=2019-07-02
    """
    named = load_query_file(Path(name)) if name.endswith(".rq") else QueryLibrary().get(name)
    values = _parse_params(params)
    result = named.run(obj.store, values)
    if isinstance(result, Table):
        meta = {
            "query": named.name,
            "params": {k: str(v) for k, v in named.bindings(values).items() if v is not None},
        }
        out = render(result, fmt, meta)
    elif isinstance(result, bool):
        out = "true" if result else "false"
    else:
        for prefix, namespace in PREFIXES.items():
            result.bind(prefix, namespace, override=True)
        out = result.serialize(format="turtle")
    _emit(out, output)


def _rows(obj: Context, name: str, values: dict[str, str | None]) -> list[dict[str, Any]]:
    return QueryLibrary().get(name).run(obj.store, values).dicts()


def _emit(out: str, output: str | None) -> None:
    if output:
        Path(output).write_text(out if out.endswith("\n") else out + "\n", encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(out)


@main.command()
@click.argument("gemeente", required=False)
@click.option("--organisatie", metavar="IRI", help="A regio or GR: its member gemeenten x taken.")
@click.option("--peildatum", metavar="DATE", help="Reference date (default: today).")
@click.option("--wet", metavar="IRI", help="Only the taken of this wet.")
@click.option("--deelgebied", metavar="IRI", help="With --organisatie: only this deelgebied.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "csv", "json"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file.")
@click.pass_obj
@user_errors
def matrix(obj: Context, gemeente: str | None, organisatie: str | None, peildatum: str | None,
           wet: str | None, deelgebied: str | None, lang: str, fmt: str,
           output: str | None) -> None:
    """"Wie doet wat" as a matrix: a gemeente's taken x deelgebieden, or with
    --organisatie a regio's member gemeenten x taken.

    Example: sdgraph matrix GM0823 --peildatum 2020-07-02
    """
    from .matrix import gemeente_matrix, regio_matrix

    if bool(gemeente) == bool(organisatie):
        raise UserError("give either a GEMEENTE or --organisatie IRI")
    taken = _rows(obj, "taken", {"wet": wet, "lang": lang})
    if gemeente:
        values = {"gemeente": gemeente, "peildatum": peildatum, "wet": wet, "lang": lang}
        result = gemeente_matrix(taken, _rows(obj, "deelgebieden", {"lang": lang}),
                                 _rows(obj, "wie-doet-wat", values))
    else:
        values = {"organisatie": organisatie, "peildatum": peildatum, "wet": wet,
                  "deelgebied": deelgebied, "lang": lang}
        leden = _rows(obj, "deelnemers", {"organisatie": organisatie, "peildatum": peildatum})
        result = regio_matrix(leden, taken, _rows(obj, "wie-doet-wat-regio", values),
                              per_deelgebied=not deelgebied)
    params = {k: v for k, v in values.items() if v}
    out = {"text": result.to_text, "csv": result.to_csv,
           "json": lambda: result.to_json(view="matrix", params=params)}[fmt]()
    _emit(out, output)


@main.command()
@click.argument("gemeente")
@click.option("--soort", default="jeugd", show_default=True, metavar="SOORT|IRI",
              help="Kind of request: jeugd, wmo, werk-en-inkomen (or a klantreis IRI).")
@click.option("--peildatum", metavar="DATE", help="Reference date (default: today).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.pass_obj
@user_errors
def klantreis(obj: Context, gemeente: str, soort: str, peildatum: str | None, lang: str) -> None:
    """The route of a request for help through toegang, backoffice, inkoop, governance
    and visie en beleid: who does each step, with organisations and hand-overs counted.

    Example: sdgraph klantreis GM0823 --soort wmo --peildatum 2020-07-02
    """
    from .klantreis import klantreis as build
    from .namespaces import SDID

    iri = soort if ":" in soort else str(SDID[f"klantreis/{soort}"])
    reis = build(_rows(obj, "klantreis", {"gemeente": gemeente, "klantreis": iri,
                                          "peildatum": peildatum, "lang": lang}))
    if not reis.stappen:
        raise UserError(f"no klantreis {soort!r}; use jeugd, wmo or werk-en-inkomen")
    for stap in reis.stappen:
        click.echo(f"{stap.volgorde}. {stap.naam} ({stap.deelgebiedNaam})")
        for u in stap.uitvoeringen:
            via = f" via {u.viaNaam}" if u.viaNaam and u.via != u.uitvoerder else ""
            click.echo(f"   - {u.uitvoerderNaam or u.uitvoerder}: {u.taakNaam}"
                       f" [{u.arrangementtype}]{via}")
        if not stap.uitvoeringen:
            click.echo("   - (no executor: gap)")
    summary = reis.summary()
    click.echo(", ".join(f"{k}: {v}" for k, v in summary.items()))


@main.command()
@click.argument("gemeente")
@click.option("--peildatum", metavar="DATE", help="Reference date (default: today).")
@click.option("--regio", metavar="IRI", help="Regio to compare with (default: its jeugdregio).")
@click.option("--sinds", metavar="DATE", help="List changes since (default: a year before).")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file.")
@click.pass_obj
@user_errors
def foto(obj: Context, gemeente: str, peildatum: str | None, regio: str | None,
         sinds: str | None, fmt: str, output: str | None) -> None:
    """The "foto van het sociaal domein" of a gemeente: partners per wet and deelgebied,
    gaps and double work, running contracts, and key figures beside the national median
    and its regio.

    Example: sdgraph foto GM0823 --peildatum 2024-01-01
    """
    import json
    from datetime import date

    from .foto import foto as build
    from .identity import gemeente_iri

    try:
        iri = gemeente_iri(gemeente)
    except ValueError:
        raise UserError(f"not a gemeente: {gemeente!r} (use a GM code or TOOI IRI)") from None
    result = build(lambda name, values: _rows(obj, name, dict(values)), str(iri),
                   peildatum or date.today().isoformat(), regio, sinds)
    if fmt == "json":
        _emit(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), output)
        return
    lines = [f"Foto van het sociaal domein: {gemeente} on {result.peildatum}", "",
             "Partners per wet and deelgebied:", result.partners.to_text(), "",
             f"Gaps: {result.matrix.gaps} of {len(result.matrix.rows) * len(result.matrix.columns)}"
             " taak x deelgebied cells have no uitvoerder."]
    lines += [f"Double work: {r.label}, {c.label}" for r, c in result.matrix.double]
    lines += ["", f"Changes since {result.sinds}: {len(result.wijzigingen)}"]
    lines += [f"  {row['datum']} {row['soort']}: "
              f"{row.get('toelichting') or row.get('onderwerpNaam')}" for row in result.wijzigingen]
    lines += ["", f"Running contracts: {len(result.contracten)}"]
    lines += [f"  {row['naam']} (ends {row.get('einddatum') or '-'}, notice by "
              f"{row.get('uitersteOpzegdatum') or '-'})" for row in result.contracten]
    if result.vergelijkingen:
        lines += ["", f"Key figures (national median; regio {result.regio_naam}):"]
        for v in result.vergelijkingen:
            per = " per inwoner" if v.per == 1 else f" per {v.per} inwoners" if v.per else ""
            value = "-" if v.waarde is None else f"{v.waarde:.1f}"
            median = "-" if v.mediaan is None else f"{v.mediaan:.1f}"
            lines.append(f"  {v.naam}{per} ({v.periode}): {value}; median {median}; "
                         f"rank {v.rang or '-'} of {v.aantal}")
    _emit("\n".join(lines), output)


@main.command()
@click.argument("gemeente")
@click.option("--peildatum", metavar="DATE", help="Reference date (default: today).")
@click.option("--wet", metavar="IRI", help="Only the lines of this wet.")
@click.option("--deelgebied", metavar="IRI", help="Only the lines of this deelgebied.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
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
    from . import network

    writers = {".html": None, ".graphml": network.to_graphml, ".json": network.to_json,
               ".csv": network.to_csv}
    suffix = Path(output).suffix.lower()
    if suffix not in writers:
        raise UserError(f"unknown format {suffix or output!r}: use .html, .graphml, .json or .csv")
    query = QueryLibrary().get("netwerk")
    values = {"gemeente": gemeente, "peildatum": peildatum, "wet": wet,
              "deelgebied": deelgebied, "lang": lang}
    bound = query.bindings(values)
    graph = network.build(query.run(obj.store, values).dicts(), gemeente=str(bound["gemeente"]),
                          lang=lang)
    if suffix == ".html":
        out = network.to_html(graph, subtitle=network.WORDS[lang]["peildatum"].format(
            datum=bound["peildatum"]))
    else:
        out = writers[suffix](graph)
    _emit(out, output)
    click.echo(f"{graph.number_of_nodes()} organisations, {graph.number_of_edges()} lines",
               err=True)


@main.command()
@click.option("--peildatum", metavar="DATE", help="Reference date (default: today).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "csv", "json"]), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file.")
@click.pass_obj
@user_errors
def overlap(obj: Context, peildatum: str | None, lang: str, fmt: str, output: str | None) -> None:
    """How the regio-indelingen of the vocabulary overlap: per pair of indelingen the
    Jaccard index of the pairs of gemeenten that share a regio in each.

    Pairs of regio's or GRs: sdgraph query overlap; one gemeente: sdgraph query
    overlap-gemeente. Example: sdgraph overlap --peildatum 2024-01-01
    """
    from .overlap import heatmap

    values = {"peildatum": peildatum, "lang": lang}
    labels = {str(r["indeling"]): str(r["naam"]) for r in _rows(obj, "indelingen", {"lang": lang})}
    result = heatmap(_rows(obj, "indeling-leden", {"peildatum": peildatum}), labels)
    out = {"text": result.to_text, "csv": result.to_csv,
           "json": lambda: result.to_json(view="overlap-indelingen",
                                          params={k: v for k, v in values.items() if v})}[fmt]()
    _emit(out, output)


@main.command()
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@user_errors
def queries(lang: str) -> None:
    """List the named queries with their parameters."""
    for q in QueryLibrary().all():
        params = " ".join(
            f"{p.name}={p.default or '?'}" if not p.optional else f"[{p.name}]" for p in q.params
        )
        click.echo(f"{q.name:<24} {q.label(lang)}" + (f"  ({params})" if params else ""))


@main.command()
@click.pass_obj
@user_errors
def stats(obj: Context) -> None:
    """Show the number of triples per graph and of the main kinds of things."""
    store = obj.store
    click.echo(store.describe())
    click.echo(f"{len(store)} triples in total\n")
    graphs = store.graphs()
    for g in graphs:
        loaded = f"  loaded {g.loaded}" if g.loaded else ""
        click.echo(f"{g.triples:>8}  {g.graph}{loaded}")
    table = QueryLibrary().get("statistieken").run(store, {"lang": "en"})
    click.echo("")
    for row in table.dicts():
        click.echo(f"{int(row['aantal']):>8}  {row['label']}")


@main.group()
def reference() -> None:
    """The national reference graph from public registers (TOOI, ROO, RegioAtlas, CBS)."""


_STEP = re.compile(r"^\[(\d+)/(\d+)\] (.*)$")


def _step_bar(width: int = 24):
    """A progress callback: a bar redrawn in place on a terminal, plain lines otherwise."""
    tty = sys.stderr.isatty()

    def show(message: str) -> None:
        m = _STEP.match(message)
        if not m:
            click.echo(message, err=True)
            return
        done, total, text = int(m.group(1)), int(m.group(2)), m.group(3)
        finished = not text.endswith("...")
        filled = width * (done if finished else done - 1) // total
        bar = f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total} {text}"
        if tty:
            click.echo(f"\r\x1b[2K{bar}", err=True, nl=finished and done == total)
        else:
            click.echo(bar, err=True)

    return show


@reference.command("build")
@click.option(
    "--sources",
    envvar="SDGRAPH_SOURCES",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder with tooi/, roo-polder/, regioatlas-2016/, cbs-gebieden/ [env SDGRAPH_SOURCES].",
)
@click.option("--show-warnings", default=10, show_default=True, help="How many warnings to print.")
@click.option(
    "--if-missing",
    is_flag=True,
    help="Do nothing when the store already holds a reference graph (make run uses this).",
)
@click.pass_obj
@user_errors
def reference_build(obj: Context, sources: str, show_warnings: int, if_missing: bool) -> None:
    """Import the public sources and load them in one atomic step."""
    from .build import has_reference
    from .reference import build_reference

    if if_missing and has_reference(obj.store):
        click.echo(
            f"The reference graph is already in {obj.store.describe()}; "
            "run 'sdgraph reference build' without --if-missing to rebuild it.",
            err=True,
        )
        return

    result = build_reference(obj.store, Path(sources), progress=_step_bar())
    for report in result.reports:
        click.echo(report.summary())
        for w in report.warnings[:show_warnings]:
            click.echo(f"  warning {w}")
        if len(report.warnings) > show_warnings:
            click.echo(f"  ... and {len(report.warnings) - show_warnings} more warnings")
    for r in result.loaded:
        click.echo(f"{r.triples:>8} triples  {r.graph}")
    click.echo(f"Loaded in {result.seconds['load']:.1f} s")


@reference.command("download")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False))
@click.option(
    "--only",
    metavar="tooi,roo,cbs",
    help="Comma-separated sources to fetch (default: all).",
)
@click.option(
    "--base-url",
    envvar="SDGRAPH_DOWNLOAD_BASE",
    metavar="URL",
    help="Replace scheme and host of every URL, for a mirror [env SDGRAPH_DOWNLOAD_BASE].",
)
@user_errors
def reference_download(folder: str, only: str | None, base_url: str | None) -> None:
    """Download the official source files into DIR (the layout 'build' reads).

    Each file is replaced only when its download is complete; on an error the
    previous file stays and the command exits 1.
    """
    from .download import download_sources

    started = time.perf_counter()
    written = download_sources(
        Path(folder), only, base_url, progress=lambda m: click.echo(m, err=True)
    )
    for path in written:
        click.echo(f"{path.stat().st_size:>12,} bytes  {path}")
    click.echo(f"Downloaded {len(written)} files in {time.perf_counter() - started:.1f} s")


# --------------------------------------------------------------------------- validation (issue 4)


def _could_not_run(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


@main.command()
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

    from .validation import read
    from .validation import validate as run_validation
    from .validation.gate import load_validated

    try:
        day = date.fromisoformat(peildatum) if peildatum else None
    except ValueError:
        _could_not_run(f"--peildatum expects YYYY-MM-DD, got {peildatum!r}")
    sources = [Source.file(f) for f in files]
    spreadsheet = any(f.lower().endswith((".xlsx", ".csv")) for f in files)
    try:
        store = obj.store if (reference or spreadsheet or load_) else None
        inventory = read(sources, lang=lang, store=store)
        report = run_validation(inventory, peildatum=day, store=store, reference=reference,
                                engine=engine)
    except (UserError, StoreError) as exc:
        _could_not_run(str(exc))
    out = report.render(fmt, lang)
    if output:
        Path(output).write_text(out, encoding="utf-8")
        click.echo(f"Wrote {output}: {report.summary(lang)}", err=True)
    else:
        click.echo(out, nl=False)
    if not report.passes(strict):
        if load_:
            click.echo("Not loaded: the inventory did not pass validation.", err=True)
        sys.exit(1)
    if load_:
        try:
            for r in load_validated(obj.store, sources, inventory, report, strict=strict,
                                    graph=graph):
                click.echo(f"{r.triples:>8} triples  {r.graph}  ({', '.join(r.sources)})",
                           err=True)
        except (UserError, StoreError) as exc:
            _could_not_run(str(exc))


@main.command()
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--no-store", is_flag=True,
              help="Do not list the store's organisations in the drop-downs.")
@click.pass_obj
@user_errors
def template(obj: Context, output: str, no_store: bool) -> None:
    """Write the inventory spreadsheet template (.xlsx) generated from the shapes."""
    from .inventory import write_template
    from .validation.engine import base_graph, shapes_graph

    write_template(output, shapes_graph(), base_graph(), None if no_store else obj.store)
    click.echo(f"Wrote {output}")


@main.command("import")
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
    from .inventory import import_sources

    imported = import_sources([Source.file(f) for f in files],
                              None if no_store else obj.store)
    Path(output).write_text(imported.graph.serialize(format="turtle"), encoding="utf-8")
    click.echo(f"Wrote {output}: {len(imported.graph)} triples, "
               f"{len(imported.origins)} records")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Flask debug mode (reloader, tracebacks).")
@click.option("--production", is_flag=True,
              help="Serve with gunicorn: several worker processes (docs/deploy.md).")
@click.option("--workers", default=2, show_default=True, type=int,
              help="With --production: worker processes.")
@click.option("--threads", default=4, show_default=True, type=int,
              help="With --production: threads per worker.")
@click.pass_obj
@user_errors
def serve(obj: Context, host: str, port: int, debug: bool, production: bool, workers: int,
          threads: int) -> None:
    """Start the web app (the embedded store is opened read-only, so loads can run beside it)."""
    click.echo(f"sdgraph on http://{host}:{port}/ ({obj.settings.describe()})")
    if production:
        from web.production import serve as serve_production

        serve_production(obj.settings, host, port, workers, threads)
        return
    from web import create_app

    app = create_app(settings=obj.settings)
    app.run(host=host, port=port, debug=debug, use_reloader=False, threaded=True)


# --------------------------------------------------------------------------- scenario (issue 6)
from .scenario.cli import scenario as _scenario  # noqa: E402 - the group lives with its engine

main.add_command(_scenario)
