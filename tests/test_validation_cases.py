"""Data-driven validation: every folder in tests/data/validation/gevallen/ is an inventory with
its expected results (verwacht.toml, see the README there), like pySHACL's manifest-driven
tests. A case is validated as `sdgraph validate --reference` validates it, against a store
built from the ontology, the vocabularies and the case's `opslag` file; the results must be
exactly the expected ones, each once, at its record."""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.term import Identifier

from sdgraph.build import init_store
from sdgraph.errors import DataError
from sdgraph.identity import gemeente_iri
from sdgraph.inventory import ImportErrors
from sdgraph.namespaces import PREFIXES
from sdgraph.store import EmbeddedStore, Source
from sdgraph.validation import read, validate

CASES = Path(__file__).parent / "data" / "validation" / "gevallen"
SEVERITIES = {"fout": "Violation", "waarschuwing": "Warning", "opmerking": "Info"}
SHAPES_NS = "https://w3id.org/sdgraph/shapes#"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "verwacht.toml").is_file())


@cache
def _store(path: Path) -> EmbeddedStore:
    store = EmbeddedStore(None)
    init_store(store, None)
    store.load([Source.file(path, graph="urn:test:opslag")])
    return store


def _term(text: str) -> str | None:
    """A CURIE (sdid:, gm:, so:, ...) as its IRI; other text as it is; '' as None."""
    if not text:
        return None
    prefix, sep, rest = text.partition(":")
    if sep and prefix in PREFIXES and rest and not rest.startswith("//"):
        return PREFIXES[prefix] + rest
    return text


def _rule(result) -> str:
    return str(result.constraint or result.shape).replace(SHAPES_NS, "")


def _row(result) -> tuple[str, str, str | None, str]:
    value: Identifier | None = result.value
    return (str(result.focus), _rule(result), None if value is None else str(value),
            result.severity)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_case(case: Path) -> None:
    spec = tomllib.loads((case / "verwacht.toml").read_text(encoding="utf-8"))
    files = [p for p in sorted(case.iterdir()) if p.name not in ("verwacht.toml",)
             and not p.name.startswith(".")]
    store = _store((case / spec["opslag"]).resolve())
    gemeente = gemeente_iri(spec["gemeente"]) if spec.get("gemeente") else None
    sources = [Source.file(p) for p in files]
    if "omzetfouten" in spec:
        with pytest.raises(ImportErrors) as caught:
            read(sources, store=store, gemeente=gemeente)
        found = [[i.file, i.sheet, i.row, i.column, i.value, i.key]
                 for i in caught.value.issues]
        assert found == spec["omzetfouten"]
        return
    try:
        inventory = read(sources, store=store, gemeente=gemeente)
    except DataError as exc:
        pytest.fail(f"{case.name}: could not be read: {exc}")
    report = validate(inventory, peildatum=date.fromisoformat(spec["peildatum"]), store=store,
                      reference=True)
    ignored = set(spec.get("negeer", []))
    actual = Counter(_row(r) for r in report.results if _rule(r) not in ignored)
    expected = Counter((_term(focus), rule, _term(value), SEVERITIES[severity])
                       for _, focus, rule, value, severity, *_ in spec.get("resultaten", []))
    missing = expected - actual
    extra = actual - expected
    assert not missing and not extra, (
        f"{case.name}\nnot reported: {sorted(missing)}\nnot expected: {sorted(extra)}\n"
        + report.text())
    assert all(n == 1 for n in actual.values()), "a finding reported twice"
    assert report.conforms == spec["voldoet"]
    for _, focus, _, _, _, *place in spec.get("resultaten", []):
        if place:  # a spreadsheet record: reported at its sheet and row
            assert report.where(URIRef(_term(focus))) == place[0]


def test_every_seed_of_the_broken_inventory_is_expected() -> None:
    """The manifest of the seeded inventory names every SEED comment of its Turtle file."""
    text = (CASES / "vught-kapot" / "inventaris.ttl").read_text(encoding="utf-8")
    seeds = {int(n) for n in __import__("re").findall(r"SEED (\d+)", text)}
    spec = tomllib.loads((CASES / "vught-kapot" / "verwacht.toml").read_text(encoding="utf-8"))
    assert seeds == {row[0] for row in spec["resultaten"]} == set(range(1, 35))
