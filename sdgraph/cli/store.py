"""``sdgraph init``, ``load``, ``stats`` and ``serve``: the store itself."""

from __future__ import annotations

import time

import click

from ..build import init_store
from ..errors import UserError
from ..pages import home
from ..store import Source
from .common import Context, emit, user_errors


@click.command()
@click.option(
    "--example",
    default="oirschot",
    show_default=True,
    help="Bundled example to load; 'none' for ontology and vocabularies only.",
)
@click.pass_obj
@user_errors
def init(obj: Context, example: str) -> None:
    """Create the store and load the ontology, vocabularies and an example.

    The example's register facts are read from the public sources folder
    (SDGRAPH_SOURCES, else ../shared/data/sources beside the checkout); which one
    is used is printed.
    """
    started = time.perf_counter()
    name = None if example == "none" else example
    sources = obj.settings.sources_folder()
    if name:
        click.echo(f"Register facts of the example from {obj.settings.describe_sources()}",
                   err=True)
    results = init_store(obj.store, name, sources)
    for r in results:
        click.echo(f"{r.triples:>8} triples  {r.graph}")
    click.echo(
        f"Loaded {sum(r.triples for r in results)} triples into {len(results)} graphs of "
        f"{obj.store.describe()} in {time.perf_counter() - started:.1f} s"
    )


@click.command()
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


@click.command()
@click.pass_obj
@user_errors
def derive(obj: Context) -> None:
    """Derive the baseline (who does what for every gemeente) from the register facts.

    Reads the register graphs of the store (reference build or example stand-in), applies
    data/rules/basislijn.yaml and replaces graph afgeleid/basislijn (docs/baseline.md).
    `sdgraph reference build` and `sdgraph init` do this themselves.
    """
    from ..derive import derive_and_load, has_register_facts

    if not has_register_facts(obj.store):
        raise UserError("the store holds no register facts: run `sdgraph reference build` "
                        "or `sdgraph init` with a sources folder first")
    basislijn, loaded = derive_and_load(obj.store)
    for name, n in sorted(basislijn.meldingen.items()):
        click.echo(f"  not used: {name}: {n}", err=True)
    seconds = ", ".join(f"{k} {v:.1f} s" for k, v in basislijn.seconds.items())
    click.echo(f"{len(basislijn.records)} records, {sum(r.triples for r in loaded)} triples "
               f"in {loaded[0].graph} ({seconds})")


@click.command()
@click.option("--lang", type=click.Choice(["nl", "en"]), default="en", show_default=True,
              help="Language of the names of the kinds of things.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "csv", "json"]),
              default="text", show_default=True)
@click.pass_obj
@user_errors
def stats(obj: Context, lang: str, fmt: str) -> None:
    """Show the number of triples per graph and of the main kinds of things."""
    page = home.page(obj.runner(lang))
    emit({"text": page.to_text, "csv": page.to_csv, "json": page.to_json}[fmt](), None)


@click.command()
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


COMMANDS = (init, load, derive, stats, serve)
