"""queries/herindelingen.rq on the TOOI import: fixtures and the real register."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import FIXTURE_DATA, SHARED_SOURCES, missing

from sdgraph.importers.tooi import tooi_sources
from sdgraph.queries import QueryLibrary
from sdgraph.store import EmbeddedStore, Store

DATA = FIXTURE_DATA


def _names(value: object) -> set[str]:
    """The labels of a GROUP_CONCAT column ("; "-separated; unbound or "" is empty)."""
    return {n.strip() for n in str(value or "").split(";") if n.strip()}


def _rows(store: Store, **params: str) -> list[dict]:
    return QueryLibrary().get("herindelingen").run(store, params).dicts()


@pytest.fixture(scope="module")
def fixture_store() -> Iterator[Store]:
    store = EmbeddedStore(None)
    store.load(tooi_sources(DATA / "tooi"))
    yield store
    store.close()


def test_fixture_merge_event(fixture_store: Store) -> None:
    rows = _rows(fixture_store)
    assert len(rows) == 1
    row = rows[0]
    assert str(row["datum"]) == "2021-01-01"
    assert str(row["type"]) == "Samenvoeging"
    assert _names(row["opgeheven"]) == {"Oudedorp", "Beekveld"}
    assert _names(row["ontstaan"]) == {"Samenstede"}
    assert _names(row["betrokken"]) == set()


@pytest.mark.parametrize("gemeente", ["GM9901", "GM9902", "GM9903"])
def test_gemeente_filter_matches_opgeheven_and_ontstaan(
    fixture_store: Store, gemeente: str
) -> None:
    assert len(_rows(fixture_store, gemeente=gemeente)) == 1


def test_filters_exclude(fixture_store: Store) -> None:
    assert _rows(fixture_store, gemeente="GM0823") == []
    assert _rows(fixture_store, vanaf="2021-01-02") == []
    assert len(_rows(fixture_store, vanaf="2021-01-01")) == 1


@pytest.fixture(scope="module")
def real_store() -> Iterator[Store]:
    if not (SHARED_SOURCES / "tooi").is_dir():
        missing(f"{SHARED_SOURCES / 'tooi'} not present (real public data lives in ../shared)")
    store = EmbeddedStore(None)
    store.load(tooi_sources(SHARED_SOURCES / "tooi"))
    yield store
    store.close()


def test_real_haaren_2021(real_store: Store) -> None:
    rows = _rows(real_store, gemeente="GM0788")
    assert len(rows) == 1
    row = rows[0]
    assert str(row["datum"]) == "2021-01-01"
    assert _names(row["opgeheven"]) == {"Haaren"}
    assert {"Boxtel", "Oisterwijk", "Tilburg", "Vught"} <= (
        _names(row["betrokken"]) | _names(row["ontstaan"])
    )


def test_real_meierijstad_2017(real_store: Store) -> None:
    rows = _rows(real_store, gemeente="GM1948")
    created = [r for r in rows if "Meierijstad" in _names(r["ontstaan"])]
    assert len(created) == 1
    row = created[0]
    assert str(row["datum"]) == "2017-01-01"
    assert _names(row["opgeheven"]) == {"Schijndel", "Sint-Oedenrode", "Veghel"}


def test_real_vanaf(real_store: Store) -> None:
    rows = _rows(real_store, vanaf="2021-01-01")
    assert rows and all(str(r["datum"]) >= "2021-01-01" for r in rows)
    assert len(rows) < len(_rows(real_store))
