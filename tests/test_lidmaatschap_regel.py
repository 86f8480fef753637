"""The rule that turns ROO listings into memberships (sdgraph/importers/roo/lidmaatschappen.py),
on made-up versions whose expected memberships are worked out by hand in each test."""

from __future__ import annotations

from datetime import date

from sdgraph.identity import GemeenteLeven
from sdgraph.importers.roo.lidmaatschappen import Vermelding, Versie, periodes
from sdgraph.importers.roo.model import Deelnemer

D = date.fromisoformat


def versions(*spans: tuple[str, str | None]) -> list[Versie]:
    return [Versie(str(i), D(a), D(b) if b else None) for i, (a, b) in enumerate(spans)]


def listed(*items: tuple[int, str | None] | tuple[int, str | None, str | None]) -> list[Vermelding]:
    out = []
    for item in items:
        index, joined, left = (*item, None)[:3]
        out.append(Vermelding(index, Deelnemer("Gemeente X", None, None, joined, left),
                              "x.yaml", f"r{index}"))
    return out


def run(vs, ls, leven=None):
    warnings: list[str] = []
    found = periodes(vs, ls, leven, lambda f, r, m: warnings.append(f"{r}: {m}"), "Gemeente X")
    return [(p.start and p.start.isoformat(), p.end and p.end.isoformat(),
             sorted(vs[x.index].roo_id for x in p.listings)) for p in found], warnings


def test_restated_join_date_is_one_membership_from_the_earliest() -> None:
    vs = versions(("2006-01-01", "2019-08-29"), ("2019-08-29", "2024-08-09"), ("2024-08-09", None))
    found, _ = run(vs, listed((0, "2006-01-01"), (1, "1979-12-01"), (2, "1979-12-01")))
    assert found == [("1979-12-01", None, ["0", "1", "2"])]


def test_version_valid_on_no_day_is_not_open_ended() -> None:
    # 0: 2021..2024-05-01; 1: 2024-05-01..2024-05-01 (no day); 2: 2024-05-01..
    vs = versions(("2021-01-01", "2024-05-01"), ("2024-05-01", "2024-05-01"), ("2024-05-01", None))
    found, _ = run(vs, listed((0, "2018-01-01"), (1, "2018-01-01"), (2, "2018-01-01")))
    assert found == [("2018-01-01", None, ["0", "1", "2"])]
    # a member that the no-day version alone lacks is not cut off by it
    found, _ = run(vs, listed((0, "2018-01-01"), (2, "2018-01-01")))
    assert found == [("2018-01-01", None, ["0", "2"])]
    # listed in the no-day version only: no membership, and a warning
    found, warnings = run(vs, listed((1, "2018-01-01")))
    assert found == [] and "no membership" in warnings[0]


def test_end_derived_from_the_next_version_or_the_last_end() -> None:
    vs = versions(("2015-01-01", "2020-01-01"), ("2020-01-01", "2023-01-01"))
    assert run(vs, listed((0, "2015-01-01")))[0] == [("2015-01-01", "2020-01-01", ["0"])]
    assert run(vs, listed((0, "2015-01-01"), (1, "2015-01-01")))[0] == [
        ("2015-01-01", "2023-01-01", ["0", "1"])]
    # a stated uittredingsdatum wins
    assert run(vs, listed((1, "2020-01-01", "2021-06-01")))[0] == [
        ("2020-01-01", "2021-06-01", ["1"])]


def test_gap_in_the_register_or_joining_again() -> None:
    vs = versions(("2015-01-01", "2018-01-01"), ("2018-01-01", "2020-01-01"), ("2020-01-01", None))
    # missing from version 1, listed again with the old date: one membership, a warning
    found, warnings = run(vs, listed((0, "2015-01-01"), (2, "2015-01-01")))
    assert found == [("2015-01-01", None, ["0", "2"])]
    assert "missing from version 1" in warnings[0]
    # listed again with a date after version 1 began: left, and joined again
    found, _ = run(vs, listed((0, "2015-01-01"), (2, "2019-06-01")))
    assert found == [("2015-01-01", "2018-01-01", ["0"]), ("2019-06-01", None, ["2"])]


def test_a_gemeente_is_a_member_only_while_it_exists() -> None:
    vs = versions(("2016-01-01", None))
    leven = GemeenteLeven("gm9999", "X", D("2013-01-01"), D("2019-01-01"))
    found, _ = run(vs, listed((0, "2002-01-01")), leven)
    assert found == [("2013-01-01", "2019-01-01", ["0"])]
