"""How regio-indelingen overlap with each other: a heatmap indeling x indeling.

Input: the rows of the named query ``indeling-leden`` (indeling, regio and its
member gemeenten as ``leden``, IRIs separated by spaces) on a peildatum, and the
labels of the indelingen (query ``indelingen``). For two indelingen P and Q, restricted to the
gemeenten G that both cover, let T_P be the set of unordered pairs of
gemeenten in G that share a regio of P. The figure of a cell is the Jaccard
index of those pair sets::

    J(P, Q) = |T_P ∩ T_Q| / |T_P ∪ T_Q|

1 means the two indelingen group the gemeenten in exactly the same way, 0 that
no two gemeenten are together in both. It is undefined (None) when neither
indeling puts two of the gemeenten of G together. The pair sets are exact sets,
so a gemeente in two regio's of one indeling counts each pair once. The CLI
(``sdgraph overlap``) and the overlap page render the same :class:`Heatmap`.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from itertools import combinations

from rdflib.term import Identifier

from .output import json_text, text

Row = Mapping[str, Identifier | None]
Pair = tuple[str, str]  # (indeling A, indeling B)


@dataclass(frozen=True)
class Indeling:
    key: str  # IRI
    label: str
    regios: int
    gemeenten: int


@dataclass(frozen=True)
class Cell:
    """One comparison of indeling ``a`` (row) with indeling ``b`` (column)."""

    a: str
    b: str
    gemeenten: int  # |G|: gemeenten covered by both
    paren_a: int  # |T_a| within G
    paren_b: int  # |T_b| within G
    samen: int  # |T_a ∩ T_b|

    @property
    def jaccard(self) -> float | None:
        union = self.paren_a + self.paren_b - self.samen
        return round(self.samen / union, 4) if union else None


@dataclass
class Heatmap:
    indelingen: list[Indeling]
    cells: dict[Pair, Cell] = field(default_factory=dict)

    def cell(self, a: str, b: str) -> Cell:
        return self.cells[(a, b)]

    def records(self) -> list[dict[str, object]]:
        """One row per ordered pair of indelingen (the diagonal included), for downloads."""
        labels = {i.key: i.label for i in self.indelingen}
        return [
            {
                "indelingA": c.a, "indelingANaam": labels[c.a],
                "indelingB": c.b, "indelingBNaam": labels[c.b],
                "gemeenten": c.gemeenten, "parenA": c.paren_a, "parenB": c.paren_b,
                "parenSamen": c.samen, "jaccard": c.jaccard,
            }
            for a in self.indelingen for b in self.indelingen
            for c in [self.cells[(a.key, b.key)]]
        ]

    def to_csv(self) -> str:
        out = io.StringIO()
        rows = self.records()
        fields = list(rows[0]) if rows else ["indelingA", "indelingB", "jaccard"]
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    def to_dict(self) -> dict[str, object]:
        return {"indelingen": [asdict(i) for i in self.indelingen], "cells": self.records()}

    def to_json(self, **meta: object) -> str:
        return json_text({**meta, **self.to_dict()})

    def to_text(self, width: int = 12) -> str:
        """A plain-text matrix of the Jaccard figures ('-' where undefined)."""
        def cut(s: str) -> str:
            return s if len(s) <= width else s[: width - 1] + "…"

        header = ["", *(cut(i.label) for i in self.indelingen)]
        lines = [header]
        for a in self.indelingen:
            values = [self.cells[(a.key, b.key)].jaccard for b in self.indelingen]
            lines.append([cut(a.label), *("-" if v is None else f"{v:.2f}" for v in values)])
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        return "\n".join(
            "  ".join(v.ljust(widths[i]) if i == 0 else v.rjust(widths[i])
                      for i, v in enumerate(line)).rstrip()
            for line in lines
        )


def _pairs(groups: Iterable[set[int]], within: set[int] | None = None) -> set[int]:
    """The unordered pairs of members that share a group, each as one int (i * 2**20 + j)."""
    found: set[int] = set()
    for members in groups:
        chosen = sorted(members if within is None else members & within)
        found.update((a << 20) | b for a, b in combinations(chosen, 2))
    return found


def heatmap(rows: Iterable[Row], labels: Mapping[str, str] | None = None) -> Heatmap:
    """The heatmap of the indelingen in ``rows`` (an ``indeling-leden`` result).

    ``labels`` maps an indeling's IRI to its name (default: the IRI).
    """
    regios: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    ids: dict[str, int] = {}  # gemeente IRI -> small int, so pairs are cheap to hash
    for row in rows:
        members = regios[text(row["indeling"])][text(row["regio"])]
        members.update(ids.setdefault(g, len(ids)) for g in text(row["leden"]).split())
    names = {k: (labels or {}).get(k) or k for k in regios}
    keys = sorted(regios, key=lambda k: names[k].lower())
    covered = {k: set().union(*regios[k].values()) for k in keys}
    full = {k: _pairs(regios[k].values()) for k in keys}
    result = Heatmap([Indeling(k, names[k], len(regios[k]), len(covered[k])) for k in keys])
    for i, a in enumerate(keys):
        for b in keys[i:]:  # symmetric: compute one half, mirror the other
            common = covered[a] & covered[b]
            pa = full[a] if common == covered[a] else _pairs(regios[a].values(), common)
            pb = full[b] if common == covered[b] else _pairs(regios[b].values(), common)
            samen = len(pa & pb) if len(pa) <= len(pb) else len(pb & pa)
            result.cells[(a, b)] = Cell(a, b, len(common), len(pa), len(pb), samen)
            result.cells[(b, a)] = Cell(b, a, len(common), len(pb), len(pa), samen)
    return result
