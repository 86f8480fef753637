"""The analyst queries on the Oirschot example, on both backends:
partners, gr-per-samenwerkingsvorm, aflopende-contracten. Expected values are
counted by hand in data/examples/oirschot (register/ and overeenkomsten.ttl).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import SOURCES

from sdgraph.build import init_store
from sdgraph.queries import QueryLibrary
from sdgraph.store import Store

LIB = QueryLibrary()
KEMPEN = {"Bergeijk", "Bladel", "Eersel", "Reusel-De Mierden"}  # Oirschot's partners in so0665


@pytest.fixture
def example(store: Store) -> Store:
    init_store(store, "oirschot", SOURCES)
    return store


def test_partners_per_wet(example: Store) -> None:
    rows = LIB.get("partners").run(example, {"gemeente": "GM0823", "peildatum": "2019-07-02"})
    by_wet: dict[str, set[str]] = {}
    for r in rows.dicts():
        by_wet.setdefault(str(r["wetNaam"]), set()).add(str(r["partnerNaam"]))
        assert str(r["code"]) != "GM0823"  # never its own partner
    # taakuitvoeringen.ttl: Participatiewet backoffice via Samenwerking Kempengemeenten
    assert KEMPEN <= by_wet["Participatiewet"]
    assert set(by_wet) == {"Jeugdwet", "Wmo 2015", "Participatiewet"}
    # Bergeijk is reached through more than one organisation for the Jeugdwet
    bergeijk = next(
        r
        for r in rows.dicts()
        if str(r["partnerNaam"]) == "Bergeijk" and str(r["wetNaam"]) == "Jeugdwet"
    )
    assert int(bergeijk["aantalVia"]) >= 2 and "Samenwerking Kempengemeenten" in str(
        bergeijk["via_organisaties"]
    )


def test_gr_per_samenwerkingsvorm(example: Store) -> None:
    rows = LIB.get("gr-per-samenwerkingsvorm").run(example, {"peildatum": "2019-07-02"}).dicts()
    counts = {str(r["naam"]): int(r["regelingen"]) for r in rows}
    # register/grs.ttl: of the seven GRs, the Kempen school board is a gemeenschappelijk
    # orgaan, the other six openbare lichamen
    assert counts == {"Openbaar lichaam": 6, "Gemeenschappelijk orgaan": 1}
    only = LIB.get("gr-per-samenwerkingsvorm").run(
        example, {"peildatum": "2019-07-02", "gemeente": "GM1724"}
    )  # Bergeijk: in Kempengemeenten, GGD, ... per lidmaatschappen.ttl
    assert 0 < sum(int(r["regelingen"]) for r in only.dicts()) < 7


def test_aflopende_contracten(example: Store) -> None:
    q = LIB.get("aflopende-contracten")
    rows = q.run(example, {"peildatum": "2023-06-01", "maanden": "12"}).dicts()
    # overeenkomsten.ttl: the 2020-2023 youth care framework ends 2024-01-01, 6 months notice
    assert [str(r["einddatum"]) for r in rows] == ["2024-01-01"]
    [row] = rows
    assert str(row["uitersteOpzegdatum"]) == "2023-07-01"
    assert row["jaarwaardeEUR"].toPython() == Decimal("38500000")
    assert row["illustratief"].toPython() is True
    # a longer horizon finds the contracts ending 2025-01-01 as well
    longer = q.run(example, {"peildatum": "2023-06-01", "maanden": "24"}).dicts()
    assert len(longer) > len(rows)
    # after its end a contract is no longer running
    assert not q.run(example, {"peildatum": "2024-02-01", "maanden": "1"}).dicts()
