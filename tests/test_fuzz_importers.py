"""Property tests of the importers: a source file that is truncated, has bytes
flipped or inserted, or a line replaced by junk ends in a result (possibly with warnings)
or in a clear error naming the file (UserError/DataError), never in another exception."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sdgraph.errors import UserError  # noqa: E402
from sdgraph.importers.cbs_sociaal import cbs_sociaal_sources  # noqa: E402
from sdgraph.importers.regio import regio_sources  # noqa: E402
from sdgraph.importers.roo import roo_sources  # noqa: E402
from sdgraph.importers.tooi import tooi_sources  # noqa: E402
from sdgraph.store.base import parse  # noqa: E402

ROO = Path(__file__).parent / "data" / "roo"

#: importer name -> (fixture folder, the file in it to damage, how to run the importer)
IMPORTERS: dict[str, tuple[Path, str, Callable[[Path], list]]] = {
    "tooi": (FIXTURE_DATA / "tooi", "rwc_gemeenten_compleet_1.json", tooi_sources),
    "roo-xml": (ROO, "roo-export-sample.xml", lambda d: roo_sources(d / "roo-export-sample.xml")),
    "roo-yaml": (ROO / "yaml", "testregio-zorg.yaml", roo_sources),
    "regioatlas": (FIXTURE_DATA / "regio", "regioatlas-2016/Sociaal/jeugdzorgregios1.csv",
                   regio_sources),
    "cbs-gebieden": (FIXTURE_DATA / "regio", "cbs-gebieden/83287NED-gebieden-2016-codes.json",
                     regio_sources),
    "cbs-sociaal": (FIXTURE_DATA / "cbs-sociaal", "statline/86050NED.csv", cbs_sociaal_sources),
    "iv3": (FIXTURE_DATA / "cbs-sociaal", "iv3/2023_jaarrekening.csv", cbs_sociaal_sources),
}


@st.composite
def damage(draw, data: bytes) -> bytes:
    """One of: truncate, flip bytes, insert random bytes, replace a line with junk."""
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "line"]))
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(out) - 1))
            out[i] = draw(st.integers(0, 255))
        return bytes(out)
    if kind == "insert":
        i = draw(st.integers(0, len(data)))
        return data[:i] + draw(st.binary(min_size=1, max_size=64)) + data[i:]
    lines = data.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    lines[i] = draw(st.text(max_size=80)).encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


@pytest.mark.parametrize("name", sorted(IMPORTERS))
def test_damaged_source_gives_a_result_or_a_clear_error(name: str) -> None:
    folder, target, run = IMPORTERS[name]
    original = (folder / target).read_bytes()

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(damaged=damage(original))
    def check(damaged: bytes) -> None:
        work = Path(tempfile.mkdtemp(prefix=f"sdgraph-fuzz-{name}-"))
        try:
            copy = work / "src"
            shutil.copytree(folder, copy)
            (copy / target).write_bytes(damaged)
            try:
                sources = run(copy)
                for source in sources:  # what would be loaded must parse too
                    parse(source)
            except UserError as exc:
                assert str(exc), "an error without a message"
        finally:
            shutil.rmtree(work, ignore_errors=True)

    check()


def _roo(folder: Path) -> tuple[list, list]:
    from sdgraph.importers.report import ImportReport

    report = ImportReport("roo")
    return roo_sources(folder, report), [report]


def _regio(folder: Path) -> tuple[list, list]:
    reports: list = []
    return regio_sources(folder, reports), reports


#: Damage the fuzz test found, kept as cases: (importer, fixture folder, file, text in it,
#: replacement, what a warning must name). Each IRI or code minted from the replaced
#: field is checked: the row is skipped or placed otherwise, with a warning naming the
#: file, the row and the field, and what is loaded parses.
MINTED: list[tuple[str, Path, str, bytes, bytes, tuple[str, ...]]] = [
    ("roo-yaml deelnemer tooi", ROO / "yaml", "testregio-zorg.yaml",
     b"tooi/id/gemeente/gm9902", b"tooi/id/<gemeente/gm9902",
     ("testregio-zorg.yaml", "deelnemer 2", "field tooi", "<gemeente/gm9902")),
    ("roo-yaml samenwerkingsorgaan tooi", ROO / "yaml", "testregio-zorg.yaml",
     b"tooi/id/so/so9901", b"tooi/id/so/so 9901",
     ("testregio-zorg.yaml", "regionaal_samenwerkingsorgaan.tooi", "so 9901")),
    ("cbs-gebieden wgr code", FIXTURE_DATA / "regio",
     "cbs-gebieden/83287NED-gebieden-2016-codes.json", b'"WG31",\n  "WG31",',
     b'"{wg31",\n  "WG31",', ("83287NED-gebieden-2016-codes.json:1", "{wg31",
                               "Wgr-samenwerkingsgebieden")),
    ("cbs-geo regiocode", FIXTURE_DATA / "regio", "cbs-geo/gemeente-regio-2025.csv",
     b";JZ", b";J>Z", ("gemeente-regio-2025.csv:", "field regiocode", "J>Z")),
]


@pytest.mark.parametrize("case", MINTED, ids=[c[0] for c in MINTED])
def test_an_invalid_iri_or_code_in_the_input_is_a_warning_naming_file_and_field(
    case: tuple[str, Path, str, bytes, bytes, tuple[str, ...]],
) -> None:
    name, folder, target, old, new, named = case
    run = _roo if name.startswith("roo") else _regio
    work = Path(tempfile.mkdtemp(prefix="sdgraph-minted-"))
    try:
        copy = work / "src"
        shutil.copytree(folder, copy)
        text = (copy / target).read_bytes()
        assert old in text, f"the fixture no longer has {old!r}"
        (copy / target).write_bytes(text.replace(old, new, 1))
        sources, reports = run(copy)
        for source in sources:
            parse(source)  # every IRI that is loaded is valid
        warnings = [str(w) for r in reports for w in r.warnings]
        assert any(all(part in w for part in named) for w in warnings), warnings
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_an_invalid_iri_that_reaches_a_source_is_a_clear_error_and_nothing_is_written() -> None:
    from rdflib import Graph, Literal, URIRef

    from sdgraph.importers.report import graph_source

    g = Graph()
    g.add((URIRef("https://example.org/id/{x"), URIRef("https://example.org/p"), Literal(1)))
    with pytest.raises(UserError) as err:
        graph_source(g, "proef", "https://example.org/graph", title="proefbron")
    assert "proefbron" in str(err.value) and "{x" in str(err.value)
    assert err.value.in_language("en") != str(err.value)  # the catalogue has it
