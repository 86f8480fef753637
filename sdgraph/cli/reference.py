"""``sdgraph reference build`` and ``reference download``: the national reference graph."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import click

from ..errors import UserError
from .common import Context, user_errors


@click.group()
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
    type=click.Path(file_okay=False),
    help="Folder with tooi/, roo-polder/, regioatlas-2016/, cbs-gebieden/ "
         "[env SDGRAPH_SOURCES; default ../shared/data/sources beside the checkout].",
)
@click.option("--show-warnings", default=10, show_default=True, help="How many warnings to print.")
@click.option(
    "--if-missing",
    is_flag=True,
    help="Do nothing when the store already holds a reference graph (make run uses this).",
)
@click.option(
    "--if-sources",
    is_flag=True,
    help="Do nothing (and say how to get them) when no sources folder is found (make run).",
)
@click.pass_obj
@user_errors
def reference_build(obj: Context, sources: str | None, show_warnings: int,
                    if_missing: bool, if_sources: bool) -> None:
    """Import the public sources and load them in one atomic step."""
    from ..graphs import has_reference
    from ..reference import build_reference

    settings = obj.settings.with_(sources=Path(sources), sources_origin="--sources") \
        if sources else obj.settings
    folder = settings.sources_folder()
    if folder is None and if_sources:
        click.echo(f"No national reference graph: {settings.describe_sources()}. Set "
                   "SDGRAPH_SOURCES to a sources folder, or fetch one with "
                   "'sdgraph reference download DIR'.", err=True)
        return
    if folder is None:
        raise UserError(f"no sources folder: {settings.describe_sources()}; give --sources DIR "
                        "or fetch one with 'sdgraph reference download DIR'")
    if if_missing and has_reference(obj.store):
        click.echo(
            f"The reference graph is already in {obj.store.describe()}; "
            "run 'sdgraph reference build' without --if-missing to rebuild it.",
            err=True,
        )
        return
    click.echo(f"Sources: {settings.describe_sources()}", err=True)
    result = build_reference(obj.store, folder, progress=_step_bar())
    for report in result.reports:
        click.echo("\n".join(report.lines(show_warnings)))
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
    metavar="URL",
    help="Replace scheme and host of every URL, for a mirror [env SDGRAPH_DOWNLOAD_BASE].",
)
@click.pass_obj
@user_errors
def reference_download(obj: Context, folder: str, only: str | None,
                       base_url: str | None) -> None:
    """Download the official source files into DIR (the layout 'build' reads).

    Each file is replaced only when its download is complete; on an error the
    previous file stays and the command exits 2.
    """
    from ..download import download_sources

    started = time.perf_counter()
    written = download_sources(
        Path(folder), only, base_url or obj.settings.download_base,
        progress=lambda m: click.echo(m, err=True)
    )
    for path in written:
        click.echo(f"{path.stat().st_size:>12,} bytes  {path}")
    click.echo(f"Downloaded {len(written)} files in {time.perf_counter() - started:.1f} s")


COMMANDS = (reference,)
