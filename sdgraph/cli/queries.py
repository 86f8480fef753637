"""``sdgraph query`` and ``sdgraph queries``: the named-query library."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UserError
from ..namespaces import PREFIXES
from ..pages.query import QueryResult
from ..queries import load_query_file
from ..store import Table
from .common import Context, emit, user_errors


def parse_params(params: tuple[str, ...]) -> dict[str, str]:
    """``NAME=VALUE`` options as a dict."""
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UserError(f"--param expects NAME=VALUE, got {item!r}")
        values[key.strip()] = value
    return values


@click.command()
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
    named = load_query_file(Path(name)) if name.endswith(".rq") else obj.library.get(name)
    values = parse_params(params)
    result = named.run(obj.store, values)
    if isinstance(result, Table):
        bound = {k: str(v) for k, v in named.bindings(values).items() if v is not None}
        page = QueryResult(named, result, bound)
        out = {"table": page.to_text, "csv": page.to_csv, "json": page.to_json}[fmt]()
    elif isinstance(result, bool):
        out = "true" if result else "false"
    else:
        for prefix, namespace in PREFIXES.items():
            result.bind(prefix, namespace, override=True)
        out = result.serialize(format="turtle")
    emit(out, output)


@click.command()
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.pass_obj
@user_errors
def queries(obj: Context, lang: str) -> None:
    """List the named queries with their parameters."""
    for q in obj.library.all():
        params = " ".join(
            f"{p.name}={p.default or '?'}" if not p.optional else f"[{p.name}]" for p in q.params
        )
        click.echo(f"{q.name:<24} {q.label(lang)}" + (f"  ({params})" if params else ""))


COMMANDS = (query, queries)
