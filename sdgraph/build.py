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

from .errors import UserError
from .namespaces import GRAPH
from .register import register_facts
from .resources import example_dir, examples, ontology_file, vocabulary_files
from .store import LoadResult, Source, Store

EXAMPLE_NOTE = "Handgeschreven voorbeeld; cijfers gemarkeerd met sd:illustratief zijn verzonnen."
REFERENCE_PREFIX = str(GRAPH["ref/"])
STAND_IN_SUFFIX = "/register"


def bundled_sources(example: str | None = "oirschot", register: bool = True) -> list[Source]:
    """The ontology, each vocabulary and (optionally) one example, with target graphs.

    ``register=False`` leaves out the example's register stand-in.
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
        facts = register_facts(example) if register else None
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


def has_reference(store: Store) -> bool:
    """True when the store holds a graph of the national reference build."""
    return any(g.startswith(REFERENCE_PREFIX) for g in store.named_graphs())


def drop_stand_ins(store: Store) -> list[str]:
    """Remove the examples' register stand-ins (the reference graph is there); return them."""
    prefix = str(GRAPH["example/"])
    dropped = [
        g for g in store.named_graphs() if g.startswith(prefix) and g.endswith(STAND_IN_SUFFIX)
    ]
    for graph in dropped:
        store.drop_graph(graph)
    return dropped


def init_store(store: Store, example: str | None = "oirschot") -> list[LoadResult]:
    """Load ontology, vocabularies and example in one atomic step (idempotent).

    With the reference graph in the store the example's register stand-in is
    not loaded (and removed if an earlier init left it).
    """
    reference = has_reference(store)
    loaded = store.load(bundled_sources(example, register=not reference))
    if reference:
        drop_stand_ins(store)
    return loaded
