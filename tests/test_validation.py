"""Inventory validation: shapes, engine, report, register check, CLI.

Every rule has a valid and an invalid fixture in tests/data/validation/regels/
(validated together with tests/data/validation/organisaties.ttl on peildatum
2024-08-01). The expected results below were worked out by hand from those
files; both engines (pyshacl-turbo, the default, and pySHACL) must report
exactly them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import SOURCES, example_files
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from sdgraph.build import init_store
from sdgraph.namespaces import SD
from sdgraph.store import EmbeddedStore
from sdgraph.validation import read_files, shape_paths, shapes_graph, validate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "validation"
RULES = DATA / "regels"
PEILDATUM = date(2024, 8, 1)
ID = "https://w3id.org/sdgraph/id/"
GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
SO = "https://identifier.overheid.nl/tooi/id/so/"
TU = ID + "taakuitvoering/test/"

#: rule -> the results of its invalid fixture: (focus, shape or constraint, value or None).
#: "V" = Violation, "W" = Warning.
EXPECTED: dict[str, set[tuple[str, str, str | None, str]]] = {
    "gemeentecode": {(GM + "gm0753", "Gemeente-gemeentecode", "GM753", "V")},
    "datum": {(TU + "x", "Taakuitvoering-geldigVanaf", "2015-01-01", "V")},
    "verplicht": {(TU + "x", "Taakuitvoering-taak", None, "V")},
    "maximaal": {(ID + "lidmaatschap/test/x", "Lidmaatschap-organization", None, "V")},
    "keuzelijst": {(TU + "x", "Taakuitvoering-arrangementtype",
                    ID + "arrangementtype/uitbesteed", "V")},
    "bwb-id": {(ID + "wet/test", "Wet-bwbId", "BWB1234", "V")},
    "verdeelsleutel": {(ID + "lidmaatschap/test/x", "Lidmaatschap-verdeelsleutel", "120.0", "V")},
    "kvk-nummer": {(ID + "aanbieder/ander", "Organisatie-kvkNummer", "8765", "V")},
    "volgorde": {(ID + "overeenkomst/test/x", "Overeenkomst-volgorde", "2022-01-01", "V")},
    "na-opheffing": {(ID + "lidmaatschap/test/x", "NaOpheffing", GM + "gm0788", "V")},
    "voor-ontstaan": {(TU + "x", "VoorOntstaan", GM + "gm1948", "V")},
    # open-ended past a contract that ended before the peildatum, and an end after the end of
    # a contract that still runs (a contract running until 2026 is no error: the valid fixture)
    "verlopen-overeenkomst": {(TU + "x", "OvereenkomstVerlopen", ID + "overeenkomst/test/x", "V"),
                              (TU + "te-lang", "OvereenkomstVerlopen",
                               ID + "overeenkomst/test/lopend", "V")},
    # a date that is no date: one error, at its field (not also 'end before start')
    "ongeldige-datum": {(TU + "x", "Taakuitvoering-geldigVanaf", "2015-13-01", "V")},
    # text instead of a number: one error (not also 'too small' and 'too large')
    "verdeelsleutel-tekst": {(ID + "lidmaatschap/test/x", "Lidmaatschap-verdeelsleutel", "14,5%",
                              "V")},
    "financiering-taak": {(ID + "financieringsstroom/test/x", "Financieringsstroom-taak",
                           ID + "taak/bestaat-niet", "V")},
    "financiering-wet": {(ID + "financieringsstroom/test/x", "Financieringsstroom-wet",
                          ID + "wet/BWBR9999999", "V")},
    "onbekende-organisatie": {(TU + "x", "Taakuitvoering-uitvoerder", SO + "so9999", "V")},
    "onbekende-taak": {(TU + "x", "Taakuitvoering-taak", ID + "taak/bestaat-niet", "V")},
    # the unknown wet is reported, and so is the taak that now belongs to none of the stated wetten
    "onbekende-wet": {(ID + "overeenkomst/test/x", "Overeenkomst-wet", ID + "wet/BWBR9999999", "V"),
                      (ID + "overeenkomst/test/x", "TaakBijWet", ID + "taak/huishoudelijke-hulp",
                       "V")},
    "taak-bij-wet": {(ID + "overeenkomst/test/x", "TaakBijWet", ID + "taak/bijstand", "V")},
    "volledigheid": {(GM + "gm0823", "TaakZonderUitvoerder", ID + "taak/schuldhulpverlening", "W")},
    "dubbel-werk": {(TU + "a", "DubbelWerk", TU + "b", "W"),
                    (TU + "b", "DubbelWerk", TU + "a", "W")},
}
SHAPES_NS = "https://w3id.org/sdgraph/shapes#"


def _rule(result) -> str:
    node = result.constraint or result.shape
    return str(node).replace(SHAPES_NS, "")


def _rows(report, rules: set[str] | None = None) -> set[tuple]:
    return {
        (str(r.focus), _rule(r), str(r.value) if r.value is not None else None, r.severity[0])
        for r in report.results
        if rules is None or _rule(r) in rules
    }


def _validate(name: str, kind: str, engine: str = "turbo"):
    inventory = read_files([DATA / "organisaties.ttl", RULES / f"{name}.{kind}.ttl"])
    return validate(inventory, peildatum=PEILDATUM, engine=engine)


# --------------------------------------------------------------------------- shapes


def test_shapes_conform_to_the_w3c_shacl_shapes():
    from pyshacl import validate as pyshacl_validate

    shacl_shacl = Graph().parse(
        Path(__import__("pyshacl").__file__).parent / "assets" / "shacl-shacl.ttl"
    )
    conforms, _, text = pyshacl_validate(shapes_graph(), shacl_graph=shacl_shacl,
                                         inference="none")
    assert conforms, text


def test_every_constraint_has_dutch_and_english_message_and_a_severity():
    shapes = shapes_graph()
    constrained = set(shapes.subjects(SH.path, None)) | set(shapes.subjects(SH.sparql, None))
    for shape in constrained:
        holders = [shape, *shapes.objects(shape, SH.sparql)]
        langs = {m.language for h in holders for m in shapes.objects(h, SH.message)}
        assert {"nl", "en"} <= langs, shape
        if (None, SH.property, shape) in shapes or (shape, SH.sparql, None) in shapes:
            assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape


def test_form_fields_have_name_description_group_and_order():
    shapes = shapes_graph()
    for prop in set(shapes.objects(None, SH.property)):
        if shapes.value(prop, SH.order) is None:
            # only the start <= end checks (sh:lessThanOrEquals) are no form field
            assert shapes.value(prop, SH.lessThanOrEquals) is not None, prop
            continue
        for key in (SH.name, SH.description):
            assert {v.language for v in shapes.objects(prop, key)} >= {"nl", "en"}, (prop, key)
        assert shapes.value(prop, SH.group) is not None, prop


#: Classes without a shape of their own, and why.
UNSHAPED = {
    SD.Arrangement: "abstract: its subclasses (GR, Overeenkomst, Mandaat) have shapes",
}


def test_every_class_of_the_ontology_has_a_shape():
    ontology = Graph().parse(ROOT / "ontology" / "sdgraph.ttl")
    shapes = shapes_graph()
    targeted = set(shapes.objects(None, SH.targetClass))
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if not isinstance(cls, URIRef) or not str(cls).startswith(str(SD)) or cls in UNSHAPED:
            continue
        supers = set(ontology.transitive_objects(cls, RDFS.subClassOf))
        assert supers & targeted, f"no shape targets {cls} or a superclass"


def test_shape_files_include_the_inventory_rules():
    names = [p.relative_to(ROOT / "shapes").as_posix() for p in shape_paths()]
    assert "inventaris/inventaris.ttl" in names and "tijd.ttl" in names


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize("engine", ["turbo", "rudof", "split", "pyshacl"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rule_fixtures(name: str, engine: str):
    expected = EXPECTED[name]
    rules = {rule for _, rule, _, _ in expected}
    valid = _validate(name, "geldig", engine)
    assert valid.conforms, valid.text()
    assert not _rows(valid, rules), valid.text()
    invalid = _validate(name, "ongeldig", engine)
    assert _rows(invalid, rules) == expected, invalid.text()
    # no stray violations from other rules; warnings of other rules are allowed
    # (a fixture with one taakuitvoering leaves most taken without an uitvoerder)
    violations = {row for row in _rows(invalid) if row[3] == "V"}
    assert violations == {row for row in expected if row[3] == "V"}, invalid.text()


def test_engines_agree_on_every_fixture():
    for path in sorted(RULES.glob("*.ttl")):
        name, kind = path.name.split(".")[:2]
        reference = _validate(name, kind, "pyshacl")
        for engine in ("turbo", "rudof", "split"):
            assert _rows(_validate(name, kind, engine)) == _rows(reference), (engine, path.name)


def test_oirschot_example_conforms_with_its_documented_anomalies_as_warnings():
    example = ROOT / "data" / "examples" / "oirschot"
    report = validate(read_files(example_files(example)), peildatum=PEILDATUM)
    assert report.conforms, report.text()
    tu = ID + "taakuitvoering/gm0823/"
    assert _rows(report) == {
        # anomaly 1 and 2 of taakuitvoeringen.ttl
        (tu + "toegang-wmo/toegang", "DubbelWerk", tu + "toegang-wmo/toegang/so0665", "W"),
        (tu + "toegang-wmo/toegang/so0665", "DubbelWerk", tu + "toegang-wmo/toegang", "W"),
        (tu + "begeleiding-dagbesteding/inkoop", "DubbelWerk",
         tu + "begeleiding-dagbesteding/inkoop/gm0861", "W"),
        (tu + "begeleiding-dagbesteding/inkoop/gm0861", "DubbelWerk",
         tu + "begeleiding-dagbesteding/inkoop", "W"),
        # jeugdhulp met verblijf is bought until 2024-01-01 and has no successor
        (GM + "gm0823", "TaakZonderUitvoerder", ID + "taak/jeugdhulp-verblijf", "W"),
    }


# --------------------------------------------------------------------------- register check


def test_register_check_on_both_backends(store):
    init_store(store, "oirschot", SOURCES)
    files = [RULES / "register.geldig.ttl"]
    valid = validate(read_files(files), peildatum=PEILDATUM, store=store, reference=True)
    assert not valid.results, valid.text()
    invalid = validate(read_files([RULES / "register.ongeldig.ttl"]), peildatum=PEILDATUM,
                       store=store, reference=True)
    assert _rows(invalid) == {
        (ID + "lidmaatschap/test/so0394", "NietInRegister", SO + "so0394", "W"),
        (GM + "gm0823", "OntbreektInInventaris", SO + "so0292", "W"),
    }, invalid.text()
    # without --reference the register is not consulted (and the GRs are unknown)
    alone = validate(read_files([RULES / "register.ongeldig.ttl"]), peildatum=PEILDATUM,
                     store=store)
    assert not _rows(alone, {"NietInRegister", "OntbreektInInventaris"})


def test_reference_resolves_organisations_the_inventory_only_names(example_store):
    files = [ROOT / "data" / "examples" / "oirschot" / "taakuitvoeringen.ttl"]
    alone = validate(read_files(files), peildatum=PEILDATUM)
    assert not alone.conforms  # GM0772, so0665, ... are unknown without the store
    unknown = {str(r.value) for r in alone.results if _rule(r) == "Taakuitvoering-uitvoerder"}
    assert SO + "so0665" in unknown
    referenced = validate(read_files(files), peildatum=PEILDATUM, store=example_store,
                          reference=True)
    assert referenced.conforms, referenced.text()


# --------------------------------------------------------------------------- report


def test_report_speaks_plain_dutch_and_english_with_labels():
    report = _validate("onbekende-organisatie", "ongeldig")
    text = report.text("nl")
    assert "Voldoet niet. 1 fout" in text
    assert "Een taakuitvoering heeft precies één uitvoerder" in text
    assert "oplossing: Kies voor 'uitvoerder' een bestaande organisatie" in text
    # an unknown IRI has no label: its code, marked unknown; never a prefixed name
    assert "uitvoerder · so9999 (onbekend)" in text and "so:" not in text
    english = report.text("en")
    assert "Does not conform." in english and "how to fix:" in english
    na = _validate("na-opheffing", "ongeldig")
    line = next(ln for g in na.groups("nl") for ln in g.lines)
    assert line.message == ("De gemeente Haaren (GM0788) bestaat vanaf 2021-01-01 niet meer, "
                            "maar dit gegeven loopt daarna nog door.")
    assert line.value == "Haaren (GM0788)"


def test_report_json_html_and_turtle():
    report = _validate("dubbel-werk", "ongeldig")
    data = json.loads(report.json("nl"))
    assert data["conforms"] is True and data["counts"]["Warning"] == len(report.results)
    focus = {g["focus"] for g in data["groups"]}
    assert {TU + "a", TU + "b", GM + "gm0823"} == focus
    page = report.html("nl")
    assert page.startswith("<!doctype html>") and "dubbel werk" in page
    graph = Graph().parse(data=report.turtle(), format="turtle")
    (node,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms).toPython() is True
    assert len(set(graph.objects(node, SH.result))) == len(report.results)


def test_html_escapes_user_text(tmp_path: Path):
    evil = tmp_path / "evil.ttl"
    evil.write_text(
        '@prefix sd: <https://w3id.org/sdgraph/def#> .\n'
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '<https://w3id.org/sdgraph/id/aanbieder/x> a sd:Aanbieder ; '
        'rdfs:label "<script>alert(1)</script>"@nl ; sd:kvkNummer "1" .\n',
        encoding="utf-8",
    )
    page = validate(read_files([evil]), peildatum=PEILDATUM).html("nl", standalone=False)
    assert "<script>" not in page and "&lt;script&gt;" in page


# --------------------------------------------------------------------------- CLI


def _cli(runner, *args):
    from sdgraph.cli import main

    return runner.invoke(main, list(args))


def test_cli_exit_codes(runner, tmp_path: Path):
    org = str(DATA / "organisaties.ttl")
    ok = _cli(runner, "validate", org, str(RULES / "volgorde.geldig.ttl"),
              "--peildatum", "2024-08-01")
    assert ok.exit_code == 0, ok.output
    bad = _cli(runner, "validate", org, str(RULES / "volgorde.ongeldig.ttl"),
               "--peildatum", "2024-08-01")
    assert bad.exit_code == 1 and "Voldoet niet." in bad.output
    warn = _cli(runner, "validate", org, str(RULES / "dubbel-werk.ongeldig.ttl"),
                "--peildatum", "2024-08-01")
    assert warn.exit_code == 0, warn.output
    strict = _cli(runner, "validate", org, str(RULES / "dubbel-werk.ongeldig.ttl"),
                  "--peildatum", "2024-08-01", "--strict")
    assert strict.exit_code == 1
    broken = tmp_path / "kapot.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    assert _cli(runner, "validate", str(broken)).exit_code == 2
    assert _cli(runner, "validate", str(tmp_path / "weg.ttl")).exit_code == 2
    assert _cli(runner, "validate", org, "--peildatum", "gisteren").exit_code == 2


def test_cli_formats(runner, tmp_path: Path):
    args = ["validate", str(DATA / "organisaties.ttl"), str(RULES / "kvk-nummer.ongeldig.ttl"),
            "--peildatum", "2024-08-01"]
    out = _cli(runner, *args, "--format", "json", "--lang", "en")
    data = json.loads(out.output)
    assert data["counts"]["Violation"] == 1 and data["groups"][0]["label"] == "Andere aanbieder"
    target = tmp_path / "rapport.ttl"
    out = _cli(runner, *args, "--format", "ttl", "-o", str(target))
    assert out.exit_code == 1
    assert (None, RDF.type, SH.ValidationReport) in Graph().parse(target)


def test_cli_loads_only_a_passing_inventory(runner, tmp_path: Path):
    store_dir = tmp_path / "cli-store"
    org = str(DATA / "organisaties.ttl")
    refused = _cli(runner, "validate", org, str(RULES / "volgorde.ongeldig.ttl"),
                   "--peildatum", "2024-08-01", "--load")
    assert refused.exit_code == 1 and "Niet geladen: de inventaris voldoet niet" in refused.output
    english = _cli(runner, "validate", org, str(RULES / "volgorde.ongeldig.ttl"),
                   "--peildatum", "2024-08-01", "--load", "--lang", "en")
    assert english.exit_code == 1 and "Not loaded: the inventory did not pass" in english.output
    assert "Niet" not in english.output
    store = EmbeddedStore(store_dir)
    assert not [g for g in store.named_graphs() if "/inventaris/" in g]
    store.close()
    loaded = _cli(runner, "validate", org, str(RULES / "volgorde.geldig.ttl"),
                  "--peildatum", "2024-08-01", "--load", "--door", "adviseur")
    assert loaded.exit_code == 0, loaded.output
    target = "https://w3id.org/sdgraph/graph/inventaris/gm0823/inventaris"
    assert f"Geladen als versie 1 van {target}" in loaded.output
    store = EmbeddedStore(store_dir)
    try:
        expected = len(read_files([DATA / "organisaties.ttl",
                                   RULES / "volgorde.geldig.ttl"]).graph)
        assert store.graph_size(target) == expected
        info = {g.graph: g for g in store.graphs()}[target]
        assert info.title and "gevalideerd" in info.title
        # provenance names the files, never a path on this machine
        assert info.source == "organisaties.ttl, volgorde.geldig.ttl"
    finally:
        store.close()
    # the same records into another graph would describe them twice: refused, nothing written
    other = _cli(runner, "validate", org, str(RULES / "volgorde.geldig.ttl"),
                 "--peildatum", "2024-08-01", "--load", "--graph", "urn:x:inventaris")
    assert other.exit_code == 2
    assert "Niet geladen: 1 gegeven(s) van deze inventaris staan al in een andere inventaris " \
           "(https://w3id.org/sdgraph/id/overeenkomst/test/x in " + target in other.output
    store = EmbeddedStore(store_dir)
    try:
        assert "urn:x:inventaris" not in store.named_graphs()
    finally:
        store.close()
