"""The ``sdgraph`` command line: one module per group of commands, each only parsing its
input, calling the core (a page, the store, an importer) and printing the result.

- :mod:`.store`: init, load, stats, serve;
- :mod:`.queries`: query, queries;
- :mod:`.pages`: matrix, klantreis, foto, netwerk, overlap;
- :mod:`.reference`: reference build, reference download;
- :mod:`.inventory`: validate, template, import;
- :mod:`.scenario`: scenario run, scenario compare;
- :mod:`.ontology`: ontology check (the HermiT reasoner, optional).
"""

from __future__ import annotations

import click

from .. import __version__
from ..config import Settings
from .common import Context


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sdgraph")
@click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False),
    help="Folder of the embedded store [env SDGRAPH_STORE; default ~/.local/share/sdgraph/store].",
)
@click.option(
    "--endpoint",
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


def _register() -> None:
    from . import inventory, ontology, pages, queries, reference, scenario, store

    for module in (store, queries, pages, reference, inventory, scenario, ontology):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
