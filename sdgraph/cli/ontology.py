"""``sdgraph ontology check``: the ontology, and an extension of it, checked by a reasoner."""

from __future__ import annotations

from pathlib import Path

import click

from .common import NO, user_errors


@click.group()
def ontology() -> None:
    """The OWL ontology of sdgraph."""


@ontology.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--without-ontology", is_flag=True,
              help="Check FILES alone, not together with the bundled ontology.")
@user_errors
def check(files: tuple[str, ...], without_ontology: bool) -> None:
    """Check that the ontology (with extension or data FILES) is consistent and that every
    class can have members, with the HermiT reasoner (needs owlready2 and Java:
    pip install 'sdgraph[reasoner]').

    Exit code 0: consistent and satisfiable; 1: not; 2: could not run.
    """
    from ..reasoner import check as run_check

    result = run_check([Path(f) for f in files], with_ontology=not without_ontology)
    if not result.consistent:
        click.echo(f"Inconsistent: {result.triples} triples have no model.")
        raise SystemExit(NO)
    for iri in result.unsatisfiable:
        click.echo(f"Unsatisfiable class: {iri}")
    if result.unsatisfiable:
        raise SystemExit(NO)
    click.echo(f"Consistent; every class is satisfiable ({result.triples} triples).")


COMMANDS = (ontology,)
