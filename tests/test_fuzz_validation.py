"""Validation under hostile input: damaged inventories (Turtle, CSV, a workbook)
end in a report or a clear DataError, never another exception; zip bombs and oversized
sheets are refused before they are unpacked."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sdgraph.errors import DataError, UserError  # noqa: E402
from sdgraph.inventory import MAX_ROWS  # noqa: E402
from sdgraph.store import Source  # noqa: E402
from sdgraph.validation import read  # noqa: E402
from sdgraph.validation.engine import validate  # noqa: E402

DATA = Path(__file__).parent / "data" / "validation"
TURTLE = (DATA / "regels" / "datum.ongeldig.ttl").read_bytes()
CSV = (DATA / "inventaris" / "taakuitvoeringen.csv").read_bytes()


@st.composite
def damaged(draw, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["truncate", "flip", "insert"]))
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 6))):
            out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
        return bytes(out)
    i = draw(st.integers(0, len(data)))
    return data[:i] + draw(st.binary(min_size=1, max_size=40)) + data[i:]


def _check(name: str, body: bytes) -> None:
    try:
        inventory = read([Source(name=name, data=body)])
        report = validate(inventory)
        assert report.conforms in (True, False)
    except UserError as exc:  # DataError is a UserError: a clear message naming the file
        assert name in str(exc), exc


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=damaged(TURTLE))
def test_damaged_turtle(body: bytes) -> None:
    _check("inventaris.ttl", body)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=damaged(CSV))
def test_damaged_csv(body: bytes) -> None:
    _check("taakuitvoeringen.csv", body)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def test_zip_bomb_workbook_is_refused_before_unpacking() -> None:
    bomb = _zip({"xl/worksheets/sheet1.xml": b"<" + b"a" * (60 * 1024 * 1024) + b">"})
    assert len(bomb) < 200_000  # 60 MB of XML in a small file
    with pytest.raises(DataError, match=r"bom\.xlsx: the workbook unpacks to 60 MB"):
        read([Source(name="bom.xlsx", data=bomb)], lang="en")
    with pytest.raises(DataError, match=r"bom\.xlsx: de werkmap pakt uit tot 60 MB"):
        read([Source(name="bom.xlsx", data=bomb)])
    ratio = _zip({"xl/worksheets/sheet1.xml": b"x" * (5 * 1024 * 1024)})
    with pytest.raises(DataError, match=r"compressed \d+ times"):
        read([Source(name="bom.xlsx", data=ratio)], lang="en")


def test_not_a_workbook_and_not_text_are_clear_errors() -> None:
    with pytest.raises(DataError, match=r"kapot\.xlsx: not a readable \.xlsx workbook"):
        read([Source(name="kapot.xlsx", data=b"PK\x03\x04 not really")], lang="en")
    with pytest.raises(DataError, match=r"taakuitvoeringen\.csv: not UTF-8 text"):
        read([Source(name="taakuitvoeringen.csv", data=b"\xff\xfe\x00a,b\n")], lang="en")


def test_too_many_rows_are_refused() -> None:
    header = CSV.split(b"\n", 1)[0]
    body = header + b"\n" + b"\n".join(b"x" * 3 for _ in range(MAX_ROWS + 5)) + b"\n"
    with pytest.raises(DataError, match=f"meer dan {MAX_ROWS} rijen"):
        read([Source(name="taakuitvoeringen.csv", data=body)])


DATATYPES = ["date", "decimal", "gYear", "nonNegativeInteger", "integer", "string", "boolean",
             "dateTime"]
FIELDS = ["geldigVanaf", "geldigTot", "verdeelsleutel", "jaarwaardeEUR", "opzegtermijnMaanden",
          "kvkNummer", "jaar", "illustratief"]
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


def _turtle_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\r", "\\r") + '"'


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # rdflib's, for "x"^^xsd:boolean
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(values=st.lists(st.tuples(st.sampled_from(FIELDS), _text,
                                 st.one_of(st.none(), st.sampled_from(DATATYPES))),
                       min_size=1, max_size=6))
def test_any_literal_in_any_field_is_a_finding_not_a_traceback(values, caplog) -> None:
    """Dates that are no dates, numbers that are text, any datatype on any field: a report
    (one finding per bad value at most, for each field), never an exception or a logged
    traceback."""
    lines = ["@prefix sd: <https://w3id.org/sdgraph/def#> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
             "<https://w3id.org/sdgraph/id/taakuitvoering/gm0823/x> a sd:Taakuitvoering ;",
             "  sd:gemeente <https://identifier.overheid.nl/tooi/id/gemeente/gm0823> ;"]
    for field, text, datatype in values:
        typed = f"^^xsd:{datatype}" if datatype else ""
        lines.append(f"  sd:{field} {_turtle_literal(text)}{typed} ;")
    lines.append("  sd:taak <https://w3id.org/sdgraph/id/taak/toegang-jeugdhulp> .")
    body = "\n".join(lines).encode("utf-8")
    caplog.clear()
    _check("inventaris.ttl", body)
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


SHEET_HEADER = ["id", "gemeente", "taak", "deelgebied", "uitvoerder", "arrangementtype", "via",
                "geldig vanaf", "geldig tot", "illustratief"]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(cells=st.lists(st.lists(_text, min_size=len(SHEET_HEADER), max_size=len(SHEET_HEADER)),
                      min_size=1, max_size=4))
def test_any_cell_text_is_an_issue_or_a_report(cells) -> None:
    import csv as csv_module

    out = io.StringIO()
    writer = csv_module.writer(out, delimiter=";")
    writer.writerow(SHEET_HEADER)
    writer.writerows(cells)
    body = out.getvalue().encode("utf-8")
    try:
        inventory = read([Source(name="taakuitvoeringen.csv", data=body)])
        assert validate(inventory).conforms in (True, False)
    except UserError as exc:
        assert "taakuitvoeringen.csv" in str(exc)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.text(min_size=1, max_size=30))
def test_any_file_name_reads_or_is_refused_clearly(name: str) -> None:
    """Upload names with spaces, <>"{}|^, NUL or anything else: parsed (the base IRI is
    encoded) or refused with a clear error, never an exception from the parser."""
    for suffix in (".ttl", ".csv"):
        try:
            read([Source(name=name + suffix, data=TURTLE if suffix == ".ttl" else CSV)])
        except UserError:
            pass
