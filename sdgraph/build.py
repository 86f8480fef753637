"""Build a store from the bundled ontology, vocabularies and an example.

An example has two parts. Its own files (``data/examples/<name>/*.ttl``:
taakuitvoeringen, contracts, illustrative subregio's) go into graph
``example/<name>``. What public registers say about the gemeenten, GRs and
regio's involved is read from the sources folder (:mod:`sdgraph.register`,
for the identifiers in ``register.txt``) into graph ``example/<name>/register``,
standing in for the national reference graph. Without a sources folder the
example has no register facts. Where the reference graph is present the
stand-in is left out (and ``sdgraph reference build`` removes it): the
registers then speak for themselves, and no triple is stated twice.
"""

from __future__ import annotations

from pathlib import Path

from .errors import UserError
from .graphs import STAND_IN_SUFFIX, drop_stand_ins, has_reference
from .namespaces import GRAPH
from .register import register_facts
from .resources import example_dir, examples, ontology_file, vocabulary_files
from .store import LoadResult, Source, Store

EXAMPLE_NOTE = "Handgeschreven voorbeeld; cijfers gemarkeerd met sd:illustratief zijn verzonnen."


def bundled_sources(example: str | None = "oirschot",
                    register: Path | None = None) -> list[Source]:
    """The ontology, each vocabulary and (optionally) one example, with target graphs.

    ``register``: the public sources folder the example's register stand-in is read
    from (None: no stand-in).
    """
    sources = [Source.file(ontology_file(), graph=str(GRAPH["ontology"]), title="sdgraph ontology")]
    for path in vocabulary_files():
        sources.append(
            Source.file(path, graph=str(GRAPH[f"vocab/{path.stem}"]), title=f"vocab {path.stem}")
        )
    if example:
        if example not in examples():
            raise UserError(f"no example named {example!r} (known: {', '.join(examples())})")
        folder = example_dir(example)
        for path in sorted(folder.glob("*.ttl")):
            sources.append(
                Source.file(
                    path, graph=str(GRAPH[f"example/{example}"]), title=f"voorbeeld {example}"
                )
            )
        facts = register_facts(example, register) if register is not None else None
        if facts is not None:
            sources.append(
                Source(
                    name=f"{example}-register.nt",
                    data=facts,
                    graph=str(GRAPH[f"example/{example}{STAND_IN_SUFFIX}"]),
                    title=f"voorbeeld {example}: registerfeiten uit de bronnen "
                          "(tot de referentiegraaf er is)",
                )
            )
    return sources


def init_store(store: Store, example: str | None = "oirschot",
               sources: Path | None = None) -> list[LoadResult]:
    """Load ontology, vocabularies and example in one atomic step (idempotent).

    The example's register stand-in is read from ``sources`` (the public sources
    folder; None: no register facts). With the reference graph in the store it is
    not loaded (and removed if an earlier init left it). The baseline
    (docs/baseline.md) is derived again when the stand-in was loaded (a second,
    small load: about a second), or when register facts are there without it;
    the reference build derives its own.
    """
    from .derive import GRAPH_IRI, derive_and_load, has_register_facts
    from .materialise import deferred

    with deferred(store):  # the national aggregates once, after the last step
        reference = has_reference(store)
        bundle = bundled_sources(example, None if reference else sources)
        loaded = store.load(bundle)
        if reference:
            drop_stand_ins(store)
        stand_in = any(s.graph and s.graph.endswith(STAND_IN_SUFFIX) for s in bundle)
        missing = GRAPH_IRI not in store.named_graphs()
        if has_register_facts(store) and (stand_in or missing):
            loaded += derive_and_load(store)[1]
    return loaded
