"""Pivot the rows of a "wie doet wat" query into a matrix: rows x columns -> uitvoerders.

For a gemeente the rows are taken (grouped per wet) and the columns deelgebieden;
for a regio the rows are its member gemeenten and the columns taken. A cell holds
every uitvoering found for that pair; an empty cell is a gap, a cell with more
than one uitvoerder possible double work. The CLI and the web both render a
:class:`Matrix`, so they show the same cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from rdflib.term import Identifier

from .output import json_text, text

Row = Mapping[str, Identifier | None]


@dataclass(frozen=True)
class Axis:
    """One row or column of the matrix: its key (an IRI), label and group (e.g. the wet)."""

    key: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class Entry:
    """One uitvoering in a cell: who, how, via what."""

    uitvoerder: str
    uitvoerderNaam: str
    arrangementtype: str = ""
    via: str = ""
    viaNaam: str = ""
    detail: str = ""  # e.g. the deelgebied when a regio matrix shows all of them
    illustratief: bool = False

    def label(self) -> str:
        parts = [self.uitvoerderNaam or self.uitvoerder]
        if self.detail:
            parts.append(f"[{self.detail}]")
        if self.viaNaam and self.via != self.uitvoerder:
            parts.append(f"via {self.viaNaam}")
        return " ".join(parts)


@dataclass
class Matrix:
    rows: list[Axis]
    columns: list[Axis]
    cells: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)

    def cell(self, row: str, column: str) -> list[Entry]:
        return self.cells.get((row, column), [])

    @property
    def filled(self) -> int:
        return sum(1 for entries in self.cells.values() if entries)

    @property
    def gaps(self) -> int:
        """Cells without any uitvoerder."""
        return len(self.rows) * len(self.columns) - self.filled

    @property
    def double(self) -> list[tuple[Axis, Axis]]:
        """Cells where more than one distinct uitvoerder does the same thing."""
        index = {a.key: a for a in self.rows}
        cols = {a.key: a for a in self.columns}
        return [
            (index[r], cols[c])
            for (r, c), entries in self.cells.items()
            if len({(e.uitvoerder, e.detail) for e in entries}) > len({e.detail for e in entries})
        ]

    def groups(self) -> list[tuple[str, list[Axis]]]:
        """The rows grouped by their ``group`` (in first-seen order)."""
        out: dict[str, list[Axis]] = {}
        for axis in self.rows:
            out.setdefault(axis.group, []).append(axis)
        return list(out.items())

    def to_records(self) -> list[dict[str, str]]:
        """One flat record per row: the row label and the cell text per column label."""
        records = []
        for r in self.rows:
            record = {"groep": r.group, "rij": r.label, "iri": r.key}
            for c in self.columns:
                record[c.label] = "; ".join(e.label() for e in self.cell(r.key, c.key))
            records.append(record)
        return records

    def to_csv(self) -> str:
        out = io.StringIO()
        fields = ["groep", "rij", "iri"] + [c.label for c in self.columns]
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.to_records())
        return out.getvalue()

    def to_dict(self) -> dict[str, object]:
        return {
            "rows": [asdict(a) for a in self.rows],
            "columns": [asdict(a) for a in self.columns],
            "cells": [
                {"row": r, "column": c, "entries": [asdict(e) for e in entries]}
                for (r, c), entries in self.cells.items()
            ],
            "gaps": self.gaps,
            "double": [{"row": r.key, "column": c.key} for r, c in self.double],
        }

    def to_json(self, **meta: object) -> str:
        return json_text({**meta, **self.to_dict()})

    def to_text(self, width: int = 28) -> str:
        """A plain-text table for the terminal (cells cut at ``width`` characters)."""

        def cut(s: str) -> str:
            return s if len(s) <= width else s[: width - 1] + "…"

        header = ["", *(cut(c.label) for c in self.columns)]
        lines = [header]
        for group, axes in self.groups():
            if group:
                lines.append([f"[{group}]"] + [""] * len(self.columns))
            for r in axes:
                cells = [cut("; ".join(e.label() for e in self.cell(r.key, c.key)) or "-")
                         for c in self.columns]
                lines.append([cut(r.label), *cells])
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        return "\n".join(
            "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip()
            for line in lines
        )


def _entry(row: Row, detail: str = "") -> Entry:
    return Entry(
        uitvoerder=text(row.get("uitvoerder")),
        uitvoerderNaam=text(row.get("uitvoerderNaam")),
        arrangementtype=text(row.get("arrangementtype")),
        via=text(row.get("via")),
        viaNaam=text(row.get("viaNaam")),
        detail=detail,
        illustratief=text(row.get("illustratief")).lower() == "true",
    )


def _add(cells: dict[tuple[str, str], list[Entry]], key: tuple[str, str], entry: Entry) -> None:
    entries = cells.setdefault(key, [])
    if entry not in entries:
        entries.append(entry)


def _taak(row: Row) -> Axis:
    return Axis(text(row["taak"]), text(row.get("taakNaam")) or text(row["taak"]),
                text(row.get("wetNaam")))


def gemeente_matrix(taken: Iterable[Row], deelgebieden: Iterable[Row],
                    uitvoeringen: Iterable[Row]) -> Matrix:
    """Taken (grouped per wet) x deelgebieden, from the queries taken, deelgebieden and
    wie-doet-wat."""
    rows = [_taak(t) for t in taken]
    cols = [Axis(text(d["deelgebied"]), text(d.get("deelgebiedNaam")) or text(d["deelgebied"]))
            for d in deelgebieden]
    matrix = Matrix(rows, cols)
    for u in uitvoeringen:
        _add(matrix.cells, (text(u["taak"]), text(u["deelgebied"])), _entry(u))
    return matrix


def regio_matrix(leden: Iterable[Row], taken: Iterable[Row], uitvoeringen: Iterable[Row],
                 per_deelgebied: bool = True) -> Matrix:
    """Member gemeenten x taken, from the queries deelnemers, taken and wie-doet-wat-regio.

    With ``per_deelgebied`` each entry names its deelgebied (when the matrix shows
    all deelgebieden at once).
    """
    rows = [Axis(text(m["lid"]), text(m.get("naam")) or text(m["lid"])) for m in leden]
    cols = [_taak(t) for t in taken]
    matrix = Matrix(rows, cols)
    for u in uitvoeringen:
        detail = text(u.get("deelgebiedNaam")) if per_deelgebied else ""
        _add(matrix.cells, (text(u["gemeente"]), text(u["taak"])), _entry(u, detail))
    return matrix


def partner_matrix(deelgebieden: Iterable[Row], uitvoeringen: Iterable[Row],
                   gemeente: str) -> Matrix:
    """Wetten x deelgebieden -> the organisations (other than ``gemeente``) doing the work."""
    uitvoeringen = list(uitvoeringen)
    wetten = sorted({text(u.get("wetNaam")) for u in uitvoeringen})
    cols = [Axis(text(d["deelgebied"]), text(d.get("deelgebiedNaam")) or text(d["deelgebied"]))
            for d in deelgebieden]
    result = Matrix([Axis(w, w) for w in wetten], cols)
    for u in uitvoeringen:
        if text(u["uitvoerder"]) != gemeente:
            entry = Entry(text(u["uitvoerder"]), text(u.get("uitvoerderNaam")))  # one per org
            _add(result.cells, (text(u.get("wetNaam")), text(u["deelgebied"])), entry)
    return result
