"""What an import did: counts, and warnings that name file and row."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from ..store import Source
from .iri import check_graph


@dataclass
class ImportWarning:
    file: str
    row: int | str | None
    message: str
    #: listed in full in every summary (e.g. a deelnemer that could not be placed)
    always: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row is not None else self.file
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    """Counts per kind of record and the warnings of one importer run."""

    source: str
    imported: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    warnings: list[ImportWarning] = field(default_factory=list)

    def count(self, kind: str, n: int = 1) -> None:
        self.imported[kind] = self.imported.get(kind, 0) + n

    def warn(
        self, file: str | Path, row: int | str | None, message: str, skip: bool = False,
        always: bool = False,
    ) -> None:
        """Record a warning; ``always``: the summary lists it however many are shown."""
        self.warnings.append(ImportWarning(Path(file).name, row, message, always))
        if skip:
            self.skipped += 1

    def summary(self) -> str:
        parts = ", ".join(f"{n} {kind}" for kind, n in sorted(self.imported.items()))
        return (
            f"{self.source}: {parts or 'nothing'} imported; {self.skipped} skipped; "
            f"{len(self.warnings)} warnings"
        )

    def lines(self, show: int = 10) -> list[str]:
        """The summary, then the first ``show`` warnings and every ``always`` warning."""
        out = [self.summary()]
        shown = 0
        for i, w in enumerate(self.warnings):
            if w.always or i < show:
                out.append(f"  warning {w}")
                shown += 1
        if len(self.warnings) > shown:
            out.append(f"  ... and {len(self.warnings) - shown} more warnings")
        return out


def graph_source(
    graph: Graph,
    name: str,
    target: str,
    *,
    title: str,
    publisher: str | None = None,
    license: str | None = None,
    issued: str | None = None,
) -> Source:
    """Wrap an importer's rdflib graph as a Source the store can load atomically; an IRI
    that would not load is a DataError naming the source (see :mod:`.iri`)."""
    check_graph(graph, title or name)
    data = graph.serialize(format="nt", encoding="utf-8")
    return Source(
        name=name if name.endswith(".nt") else f"{name}.nt",
        data=data,
        graph=target,
        title=title,
        publisher=publisher,
        license=license,
        issued=issued,
    )
