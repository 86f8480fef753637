"""Build a store from the bundled ontology, vocabularies and an example."""

from __future__ import annotations

from .errors import UserError
from .namespaces import GRAPH
from .resources import example_dir, examples, ontology_file, vocabulary_files
from .store import LoadResult, Source, Store

EXAMPLE_NOTE = "Handgeschreven voorbeeld; cijfers gemarkeerd met sd:illustratief zijn verzonnen."


def bundled_sources(example: str | None = "oirschot") -> list[Source]:
    """The ontology, each vocabulary and (optionally) one example, with target graphs."""
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
    return sources


def init_store(store: Store, example: str | None = "oirschot") -> list[LoadResult]:
    """Load ontology, vocabularies and example in one atomic step (idempotent)."""
    return store.load(bundled_sources(example))
