"""Hostile input files and texts are refused before a parser can crash or swell: JSON-LD
and RDF/XML nesting, YAML aliases and nesting in scenarios, uploads by their triples, and
the validation of an upload by its time. Each case names what was too large."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from conftest import SHARED_SOURCES, SOURCES, missing

from sdgraph.build import init_store
from sdgraph.errors import DataError, UserError
from sdgraph.jobs import JobTimeout
from sdgraph.scenario.model import from_yaml
from sdgraph.store import EmbeddedStore, Source
from sdgraph.store.base import parse
from sdgraph.uploads import UploadLimits, read_and_validate

#: 5,000 nested objects, 185 KB: made production workers die with SIGSEGV
DEEP_JSONLD = ('{"@id": "http://e/a", "http://e/p": ' + '{"http://e/p": ' * 5000 + "1"
               + "}" * 5000 + "}").encode()
DEEP_XML = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:e="http://e/"><rdf:Description rdf:about="http://e/a">'
            + "<e:p><rdf:Description>" * 20_000 + "</rdf:Description></e:p>" * 20_000
            + "</rdf:Description></rdf:RDF>").encode()
#: 315 characters; with the aliases written out 9**8 values (a page of 738 MB before)
LAUGHS = """id: x
gemeente: GM0823
peildatum: 2024-01-01
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
beschrijving: [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""


def _sources() -> Path:
    """The public sources the example's register facts come from (skip without them)."""
    if SOURCES is None:
        missing(f"the example's register facts are read from {SHARED_SOURCES}, which is absent")
    return SOURCES


def test_deep_jsonld_is_refused_before_the_parser() -> None:
    with pytest.raises(DataError, match=r"diep\.jsonld, line 1: JSON nested more than 64"):
        parse(Source(name="diep.jsonld", data=DEEP_JSONLD))


def test_deep_jsonld_made_the_parser_crash() -> None:
    """The control: Oxigraph's JSON-LD parser itself dies on this file (in a child)."""
    script = textwrap.dedent("""
        import sys, pyoxigraph as ox
        list(ox.parse(sys.stdin.buffer.read(), ox.RdfFormat.JSON_LD))
    """)
    out = subprocess.run([sys.executable, "-c", script], input=DEEP_JSONLD,
                         capture_output=True, timeout=120)
    assert out.returncode < 0, "the parser survived: the limit may no longer be needed"


def test_shallow_json_with_brackets_in_strings_is_read() -> None:
    text = ('{"@id": "http://e/a", "http://e/p": "' + "{[" * 500 + '\\"' + '"}').encode()
    assert len(parse(Source(name="vlak.jsonld", data=text)).triples) == 1


def test_deep_rdfxml_is_refused_before_the_parser() -> None:
    with pytest.raises(DataError, match=r"diep\.rdf, line 1: XML nested more than 64"):
        parse(Source(name="diep.rdf", data=DEEP_XML))


def test_yaml_aliases_cannot_expand_a_scenario() -> None:
    with pytest.raises(UserError, match="more than 20,000 values"):
        from_yaml(LAUGHS, "bom.yaml")


def test_deep_yaml_is_refused() -> None:
    with pytest.raises(UserError, match=r"diep\.yaml, line 1: nested more than 32"):
        from_yaml("beschrijving: " + "[" * 5000 + "]" * 5000, "diep.yaml")


def test_a_few_aliases_are_still_fine() -> None:
    text = textwrap.dedent("""\
        id: met-alias
        gemeente: GM0823
        peildatum: 2024-01-01
        wijzigingen:
          - &w {soort: uittreding, betreft: "https://identifier.overheid.nl/tooi/id/so/so0665",
                taken: [toegang-wmo]}
        """)
    assert len(from_yaml(text)) > 0


def test_uploads_are_bounded_in_triples() -> None:
    body = "".join(f'<http://e/s{i}> <http://e/p> "{i}" .\n' for i in range(1001)).encode()
    source = Source(name="groot.nt", data=body, max_triples=1000)
    with pytest.raises(DataError, match=r"groot\.nt: more than 1,000 triples"):
        parse(source)
    assert len(parse(Source(name="groot.nt", data=body, max_triples=1001)).triples) == 1001


def _inventory(copies: int) -> bytes:
    """The example's taakuitvoeringen, ``copies`` times under other IRIs (10,000 triples of
    this took 50 s to validate)."""
    from sdgraph.resources import resource_dir

    text = (resource_dir("data") / "examples" / "oirschot" / "taakuitvoeringen.ttl").read_text(
        encoding="utf-8")
    head, _, body = text.partition("\n@prefix so:")
    so_line, _, body = body.partition("\n")
    parts = [f"@base <https://w3id.org/sdgraph/id/taakuitvoering/gm0823/c{i}/> .\n{body}"
             for i in range(copies)]
    return (head + "\n@prefix so:" + so_line + "\n" + "\n".join(parts)).encode()


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    path = tmp_path_factory.mktemp("uploads") / "store"
    writer = EmbeddedStore(path)
    init_store(writer, "oirschot", _sources())
    writer.close()
    return EmbeddedStore(path, read_only=True)


def test_validation_of_an_upload_is_time_limited(disk_store: EmbeddedStore) -> None:
    source = Source(name="veel.ttl", data=_inventory(30))
    limits = UploadLimits(timeout=3)
    with pytest.raises(JobTimeout, match="longer than 3 s"):
        read_and_validate(disk_store, [source], date(2024, 1, 1), "nl", limits)


def test_a_small_upload_is_validated_in_the_confined_process(disk_store: EmbeddedStore) -> None:
    source = Source(name="klein.ttl", data=_inventory(1))
    inventory, report = read_and_validate(disk_store, [source], date(2024, 1, 1), "nl",
                                          UploadLimits(timeout=120))
    assert len(inventory.graph) > 300 and report.triples > 0


def test_web_upload_limits(client) -> None:
    """Over the web: a deep JSON-LD file and one over the triple limit are 400s that say so."""
    page = client.get("/valideren").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)

    def upload(name: str, body: bytes):
        return client.post("/valideren", data={
            "csrf": csrf, "peildatum": "2024-01-01",
            "bestand": (io.BytesIO(body), name)}, content_type="multipart/form-data")

    deep = upload("diep.jsonld", DEEP_JSONLD)
    assert deep.status_code == 400 and "nested more than 64" in deep.get_data(as_text=True)
    many = "".join(f'<http://e/s{i}> <http://e/p> "{i}" .\n' for i in range(100_001)).encode()
    big = upload("groot.nt", many)
    assert big.status_code == 400
    assert "more than 100,000 triples" in big.get_data(as_text=True)


def test_non_ascii_csrf_and_admin_token_are_refused_not_500(client) -> None:
    page = client.get("/valideren").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    for value in ("é", "€" * 40, "\U0001f600", csrf + "é"):
        response = client.post("/valideren", data={"csrf": value},
                               content_type="multipart/form-data")
        assert response.status_code == 400, value
