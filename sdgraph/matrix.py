"""Pivot the rows of a "wie doet wat" query into a matrix: rows x columns -> uitvoerders.

For a gemeente the rows are taken (grouped per wet) and the columns deelgebieden;
for a regio the rows are its member gemeenten and the columns taken. A cell holds
every uitvoering found for that pair; a cell with more than one uitvoerder is
possible double work. The CLI and the web both render a :class:`Matrix`, so they
show the same cells.

Every uitvoering and cell has one of four states (:data:`STATES`, docs/baseline.md):
*bevestigd* (an inventory), *afgeleid* (derived from the registers by a rule, with
its evidence), *aangenomen* (eigen organisatie, assumed: the law places the taak with
the college and no register fact moves it) and *onbekend* (no uitvoering at all: the
data is unknown, which is not the same as a gap in the execution).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from rdflib.term import Identifier

from .output import json_text, text

Row = Mapping[str, Identifier | None]

#: The four states of a cell, strongest first (a cell shows the strongest of its
#: uitvoeringen; the queries never mix an inventory with derived records in one cell).
STATES = ("bevestigd", "afgeleid", "aangenomen", "onbekend")
#: Markers in the plain-text table.
MARKERS = {"bevestigd": "", "afgeleid": "*", "aangenomen": "?"}
LEGEND = "* afgeleid uit de registers, ? eigen organisatie (aangenomen), - onbekend"


def strongest(states: Iterable[str]) -> str:
    """The state of a cell with uitvoeringen in ``states`` (onbekend when none)."""
    found = set(states)
    return next((s for s in STATES if s in found), "onbekend")


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
    status: str = "bevestigd"  # bevestigd | afgeleid | aangenomen
    regel: str = ""  # the rule of a derived uitvoering (IRI)
    bewijs: str = ""  # its evidence
    taakuitvoering: str = ""  # the record (IRI)

    def label(self) -> str:
        parts = [self.uitvoerderNaam or self.uitvoerder]
        if self.detail:
            parts.append(f"[{self.detail}]")
        if self.viaNaam and self.via != self.uitvoerder:
            parts.append(f"via {self.viaNaam}")
        if self.status == "aangenomen":
            parts.append("(eigen organisatie, aangenomen)")
        return " ".join(parts)

    @property
    def regel_id(self) -> str:
        return self.regel.rsplit("/", 1)[-1] if self.regel else ""


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
        """Cells without any uitvoerder: their state is *onbekend* (no data), not a gap
        in the execution."""
        return len(self.rows) * len(self.columns) - self.filled

    def status(self, row: str, column: str) -> str:
        """The state of one cell (:data:`STATES`)."""
        return strongest(e.status for e in self.cell(row, column))

    def states(self) -> dict[str, int]:
        """How many cells have each state (all four keys, in :data:`STATES` order)."""
        counts = dict.fromkeys(STATES, 0)
        for r in self.rows:
            for c in self.columns:
                counts[self.status(r.key, c.key)] += 1
        return counts

    @property
    def inventoried(self) -> bool:
        """Whether any cell rests on an inventory (else the matrix is the derived picture)."""
        return any(e.status == "bevestigd" for entries in self.cells.values() for e in entries)

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

    def double_keys(self) -> set[tuple[str, str]]:
        """The (row key, column key) of the cells in :attr:`double` (a page asks per cell)."""
        return {(r.key, c.key) for r, c in self.double}

    def groups(self) -> list[tuple[str, list[Axis]]]:
        """The rows grouped by their ``group`` (in first-seen order)."""
        out: dict[str, list[Axis]] = {}
        for axis in self.rows:
            out.setdefault(axis.group, []).append(axis)
        return list(out.items())

    def to_records(self) -> list[dict[str, str]]:
        """One flat record per row: the row label, and per column label the cell text,
        its state (``<column> status``) and the evidence of derived uitvoeringen
        (``<column> bewijs``: rule id and evidence)."""
        records = []
        for r in self.rows:
            record = {"groep": r.group, "rij": r.label, "iri": r.key}
            for c in self.columns:
                entries = self.cell(r.key, c.key)
                record[c.label] = "; ".join(e.label() for e in entries)
                record[f"{c.label} status"] = self.status(r.key, c.key)
                record[f"{c.label} bewijs"] = "; ".join(
                    f"{e.regel_id}: {e.bewijs}" for e in entries if e.status != "bevestigd")
            records.append(record)
        return records

    def to_csv(self) -> str:
        out = io.StringIO()
        fields = ["groep", "rij", "iri"] + [f"{c.label}{suffix}" for c in self.columns
                                            for suffix in ("", " status", " bewijs")]
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.to_records())
        return out.getvalue()

    def to_dict(self) -> dict[str, object]:
        return {
            "rows": [asdict(a) for a in self.rows],
            "columns": [asdict(a) for a in self.columns],
            "cells": [
                {"row": r, "column": c, "status": strongest(e.status for e in entries),
                 "entries": [asdict(e) for e in entries]}
                for (r, c), entries in self.cells.items()
            ],
            "staten": self.states(),
            "onbekend": self.gaps,
            "gaps": self.gaps,
            "double": [{"row": r.key, "column": c.key} for r, c in self.double],
        }

    def to_json(self, **meta: object) -> str:
        return json_text({**meta, **self.to_dict()})

    def to_text(self, width: int = 28, legend: bool = True) -> str:
        """A plain-text table for the terminal (cells cut at ``width`` characters), with the
        legend of the state markers and the cells per state."""

        def cut(s: str) -> str:
            return s if len(s) <= width else s[: width - 1] + "…"

        def short(e: Entry) -> str:
            label = e.label().replace(" (eigen organisatie, aangenomen)", "")
            return label + MARKERS.get(e.status, "")

        header = ["", *(cut(c.label) for c in self.columns)]
        lines = [header]
        for group, axes in self.groups():
            if group:
                lines.append([f"[{group}]"] + [""] * len(self.columns))
            for r in axes:
                cells = [cut("; ".join(short(e) for e in self.cell(r.key, c.key)) or "-")
                         for c in self.columns]
                lines.append([cut(r.label), *cells])
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        table = "\n".join(
            "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip()
            for line in lines
        )
        if not legend:
            return table
        counts = ", ".join(f"{n} {state}" for state, n in self.states().items())
        return f"{table}\n\n{LEGEND}\n{counts}"


def _entry(row: Row, detail: str = "") -> Entry:
    return Entry(
        uitvoerder=text(row.get("uitvoerder")),
        uitvoerderNaam=text(row.get("uitvoerderNaam")),
        arrangementtype=text(row.get("arrangementtype")),
        via=text(row.get("via")),
        viaNaam=text(row.get("viaNaam")),
        detail=detail,
        illustratief=text(row.get("illustratief")).lower() == "true",
        status=text(row.get("status")) or "bevestigd",
        regel=text(row.get("regel")),
        bewijs=text(row.get("bewijs")),
        taakuitvoering=text(row.get("taakuitvoering")),
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
    """Wetten x deelgebieden -> the organisations (other than ``gemeente``) doing the work.

    One entry per organisation and cell, with the strongest state of its uitvoeringen
    there and the rule and evidence of one of them (the first in the query's order).
    """
    uitvoeringen = list(uitvoeringen)
    wetten = sorted({text(u.get("wetNaam")) for u in uitvoeringen})
    cols = [Axis(text(d["deelgebied"]), text(d.get("deelgebiedNaam")) or text(d["deelgebied"]))
            for d in deelgebieden]
    result = Matrix([Axis(w, w) for w in wetten], cols)
    found: dict[tuple[str, str], dict[str, list[Row]]] = {}
    for u in uitvoeringen:
        if text(u["uitvoerder"]) != gemeente:
            cell = (text(u.get("wetNaam")), text(u["deelgebied"]))
            found.setdefault(cell, {}).setdefault(text(u["uitvoerder"]), []).append(u)
    for cell, orgs in found.items():
        for org, rows in orgs.items():
            status = strongest(text(r.get("status")) or "bevestigd" for r in rows)
            first = next(r for r in rows if (text(r.get("status")) or "bevestigd") == status)
            result.cells.setdefault(cell, []).append(Entry(
                org, text(first.get("uitvoerderNaam")), status=status,
                regel=text(first.get("regel")), bewijs=text(first.get("bewijs")),
                taakuitvoering=text(first.get("taakuitvoering"))))
    return result
