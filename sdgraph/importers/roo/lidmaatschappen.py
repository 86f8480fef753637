"""How the versions of one regeling become memberships in time (docs/lidmaatschappen.md).

ROO states a member's ``toetredingsdatum`` (and rarely an ``uittredingsdatum``)
anew in every version of a regeling that lists it, and versions restate it with
other dates (Haarlemmermeer in Recreatieschap Spaarnwoude: 2006-01-01 in the
first version, 1979-12-01 in the later ones). A member belongs to the regeling
from its toetredingsdatum to its uittredingsdatum, so :func:`periodes` makes
one membership per member for every run of versions that list it:

* versions valid for no day (``geldigVanaf`` = ``geldigTot``, e.g. 29474046
  SSC ONS) do not take part in the timeline; their listings are kept as
  ``sd:volgensVersie`` of the membership that covers their date;
* consecutive versions that list the member give one membership; its start is
  the earliest toetredingsdatum any of them states (the others are noted);
* a member missing from one or more versions and listed again later is one
  membership when the later versions restate a toetredingsdatum before the first
  version that lacks it (a gap in the register), and two when it joined again;
* the end is the stated uittredingsdatum; else the start of the first later
  version that no longer lists it; else the end of the regeling's last version;
  else open (all derived ends are noted);
* a gemeente is a member only while it exists (TOOI): the membership starts no
  earlier than the gemeente and ends when it is opgeheven at the latest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ...identity import GemeenteLeven
from .model import Deelnemer


@dataclass(frozen=True)
class Versie:
    """One checked version of the regeling: ROO id and validity (end exclusive)."""

    roo_id: str
    start: date
    end: date | None

    @property
    def no_day(self) -> bool:
        """True for a version valid on no day (geldigVanaf = geldigTot)."""
        return self.end is not None and self.end <= self.start


@dataclass(frozen=True)
class Vermelding:
    """One listing of the member: the version (index in the chain) and what it states."""

    index: int
    deelnemer: Deelnemer
    file: str
    row: str

    @property
    def joined(self) -> date | None:
        return _day(self.deelnemer.toetredingsdatum)

    @property
    def left(self) -> date | None:
        return _day(self.deelnemer.uittredingsdatum)


@dataclass
class Periode:
    """One membership: from ``start`` up to (excluding) ``end``, per its listings."""

    start: date | None
    end: date | None
    listings: list[Vermelding]
    notes: list[str] = field(default_factory=list)
    restated: bool = False  # versions stated more than one toetredingsdatum
    capped: bool = False  # the gemeente's lifetime cut the membership

    @property
    def newest(self) -> Deelnemer:
        return max(self.listings, key=lambda x: x.index).deelnemer


Warn = Callable[[str, str, str], None]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _runs(ranks: list[int]) -> list[list[int]]:
    """Consecutive ranks grouped: [0, 1, 3] -> [[0, 1], [3]]."""
    runs: list[list[int]] = []
    for r in sorted(set(ranks)):
        if runs and r == runs[-1][-1] + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    return runs


def periodes(
    versions: list[Versie],
    listings: list[Vermelding],
    leven: GemeenteLeven | None,
    warn: Warn,
    naam: str,
) -> list[Periode]:
    """The memberships of one member in one regeling (``versions`` in chain order)."""
    timeline = [i for i, v in enumerate(versions) if not v.no_day]
    rank = {i: r for r, i in enumerate(timeline)}
    on_timeline = [x for x in listings if x.index in rank]
    if not on_timeline:
        last = listings[-1]
        warn(last.file, last.row, f"deelnemer {naam!r} is listed only in versions valid on "
             "no day (geldigVanaf = geldigTot); no membership")
        return []
    by_rank: dict[int, list[Vermelding]] = {}
    for x in on_timeline:
        by_rank.setdefault(rank[x.index], []).append(x)

    def joined(run: list[int]) -> date | None:
        days = [x.joined for r in run for x in by_rank[r] if x.joined]
        return min(days, default=None)

    # groups of runs that form one membership each
    groups: list[list[list[int]]] = []
    for run in _runs(list(by_rank)):
        if groups:
            previous = groups[-1][-1]
            gap = versions[timeline[previous[-1] + 1]]
            again = joined(run)
            if again is None or again < gap.start:
                first = by_rank[run[0]][0]
                warn(first.file, first.row, f"deelnemer {naam!r} is missing from version "
                     f"{gap.roo_id} and listed again with toetredingsdatum {again}; "
                     "one membership")
                groups[-1].append(run)
                continue
        groups.append([run])

    result = []
    for n, group in enumerate(groups):
        ranks = [r for run in group for r in run]
        mine = [x for r in ranks for x in by_rank[r]]
        p = Periode(joined(ranks), None, mine)
        stated = sorted({x.joined for x in mine if x.joined})
        if len(stated) > 1:
            p.restated = True
            p.notes.append(
                "toetredingsdatum: de vroegste van "
                + "; ".join(f"{d.isoformat()} (versie "
                            + ", ".join(sorted({versions[x.index].roo_id for x in mine
                                                if x.joined == d})) + ")" for d in stated))
        left = max(mine, key=lambda x: x.index).left
        after = ranks[-1] + 1  # the first version on the timeline that no longer lists it
        if left:
            p.end = left
        elif after < len(timeline):
            nxt = versions[timeline[after]]
            p.end = nxt.start
            p.notes.append(f"uittredingsdatum afgeleid: niet meer als deelnemer vermeld in "
                           f"versie {nxt.roo_id} (geldig vanaf {nxt.start.isoformat()})")
        elif n == len(groups) - 1 and versions[timeline[-1]].end is not None:
            last = versions[timeline[-1]]
            p.end = last.end
            p.notes.append(f"uittredingsdatum afgeleid: de laatste versie ({last.roo_id}) "
                           f"van de regeling geldt tot {last.end.isoformat()}")  # type: ignore[union-attr]
        _cap(p, leven)
        if p.start and p.end and p.end <= p.start:
            x = mine[-1]
            warn(x.file, x.row, f"deelnemer {naam!r}: membership from {p.start} to {p.end} "
                 "holds on no day")
        result.append(p)

    # listings in versions valid on no day: with the membership that covers their date
    for x in listings:
        if x.index in rank:
            continue
        day = versions[x.index].start
        covering = [p for p in result if (p.start is None or p.start <= day)
                    and (p.end is None or day <= p.end)]
        (covering[-1] if covering else result[-1]).listings.append(x)
    return result


def _cap(p: Periode, leven: GemeenteLeven | None) -> None:
    """A gemeente is a member only while it exists."""
    if leven is None:
        return
    if leven.end is not None and (p.end is None or p.end > leven.end):
        p.end = leven.end
        p.capped = True
        p.notes = [n for n in p.notes if not n.startswith("uittredingsdatum afgeleid")]
        p.notes.append(f"uittredingsdatum afgeleid: de gemeente is opgeheven per "
                       f"{leven.end.isoformat()} (TOOI)")
    if leven.begin is not None and p.start is not None and p.start < leven.begin:
        p.notes.append(f"toetredingsdatum in het ROO ({p.start.isoformat()}) ligt vóór het "
                       f"ontstaan van de gemeente; lidmaatschap vanaf {leven.begin.isoformat()} "
                       "(TOOI)")
        p.start = leven.begin
        p.capped = True
