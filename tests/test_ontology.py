"""Tests for the sdgraph OWL ontology (ontology/sdgraph.ttl).

Two groups:

* structural checks with rdflib (fast, no Java): the file parses, has a proper
  ontology header, covers every term of the shared spec, every sd: term has
  rdfs:label and skos:definition in Dutch and English, and every term it uses
  is declared so the file is OWL 2 DL on its own (no owl:imports);
* reasoner checks with owlready2 + HermiT (need ``java``; marked ``reasoner``):
  the ontology is consistent with no unsatisfiable classes, and a deliberately
  inconsistent example (tests/data/ontology/inconsistent.ttl) is rejected.

HermiT only supports the OWL 2 datatype map, which lacks xsd:date and
xsd:gYear; the spec requires those for dates and years, so HermiT is run with
``ignore_unsupported_datatypes=True`` (values of those types are then opaque to
the reasoner; everything else is reasoned over normally).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import missing
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from sdgraph.reasoner import reason

ONTOLOGY = Path(__file__).parent.parent / "ontology" / "sdgraph.ttl"
INCONSISTENT = Path(__file__).parent / "data" / "ontology" / "inconsistent.ttl"

SD = Namespace("https://w3id.org/sdgraph/def#")
ONTOLOGY_IRI = URIRef("https://w3id.org/sdgraph/def")
DCT = Namespace("http://purl.org/dc/terms/")
# A plain Namespace: rdflib's closed XSD namespace makes pytest collection warn.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

TERM_TYPES = {
    OWL.Class,
    RDFS.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
}

# Terms of the shared modelling spec (/tmp/sdgraph-spec.md); they may never be renamed.
SPEC_CLASSES = """
Organisatie Gemeente Provincie Samenwerkingsverband Arrangement GemeenschappelijkeRegeling
GRVersie Samenwerkingsvorm Regioindeling Regio Lidmaatschap Vertegenwoordiging Wet Taak
Deelgebied Arrangementtype Taakuitvoering Overeenkomst Mandaat Bestuursorgaan AlgemeenBestuur
DagelijksBestuur Bestuurscommissie Aanbieder Financieringsstroom Scenario Wijziging Uittreding
Toetreding EigenRegie Overdracht Doordecentralisatie Bron
""".split()
SPEC_OBJECT_PROPERTIES = """
provincie versieVan samenwerkingsvorm regioindeling centrumgemeente wet taak deelgebied gemeente
uitvoerder arrangementtype via partij opdrachtgever opdrachtnemer mandaatgever mandaatnemer
betaler ontvanger wijziging betreft van naar partner
""".split()
SPEC_DATATYPE_PROPERTIES = """
gemeentecode provinciecode rooId oin kvkNummer geldigVanaf geldigTot toetredingsdatum
uittredingsdatum verdeelsleutel citeertitel doel bevoegdheid wettelijkeGrondslag regiocode peiljaar
bwbId startdatum einddatum opzegtermijnMaanden jaarwaardeEUR exitkostenEUR verlenging exitclausule
aantalZetels aantalStemmen bedragEUR jaar taakveld peildatum besluitdatum illustratief wettelijk
""".split()
SPEC_FUNCTIONAL = ["gemeentecode", "bwbId", "versieVan"]
SPEC_SUBPROPERTIES = [
    ("toetredingsdatum", "geldigVanaf"),
    ("uittredingsdatum", "geldigTot"),
    ("startdatum", "geldigVanaf"),
    ("einddatum", "geldigTot"),
    ("opdrachtgever", "partij"),
    ("opdrachtnemer", "partij"),
]

# Vocabularies whose terms are built into OWL 2 and need no declaration.
BUILTIN_PREFIXES = (str(RDF), str(RDFS), str(OWL), str(XSD))
# Datatypes in XSD that are NOT in the OWL 2 datatype map but are required by the spec.
NON_OWL2_DATATYPES_ALLOWED = {XSD.date, XSD.gYear}


@pytest.fixture(scope="module")
def onto() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY, format="turtle")
    return g


def _sd_terms(g: Graph) -> set[URIRef]:
    return {
        s
        for t in TERM_TYPES
        for s in g.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(str(SD))
    }


def _langs(g: Graph, s: URIRef, p: URIRef) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal) and o.language}


# --------------------------------------------------------------------------- rdflib checks


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    for p in (DCT.title, DCT.description):
        assert {"nl", "en"} <= _langs(onto, ONTOLOGY_IRI, p), f"{p} needs @nl and @en"
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert onto.value(ONTOLOGY_IRI, DCT.license) is not None
    assert not list(onto.objects(None, OWL.imports)), "owl:imports must not be used"


def test_every_sd_term_has_labels_and_definitions(onto: Graph) -> None:
    terms = _sd_terms(onto)
    assert len(terms) > 80
    missing = []
    for term in sorted(terms):
        for p, name in ((RDFS.label, "rdfs:label"), (SKOS.definition, "skos:definition")):
            for lang in ("nl", "en"):
                if lang not in _langs(onto, term, p):
                    missing.append(f"{term.removeprefix(str(SD))}: {name}@{lang}")
    assert not missing, "missing labels/definitions:\n" + "\n".join(missing)


def test_spec_terms_present(onto: Graph) -> None:
    expected = (
        [(n, OWL.Class) for n in SPEC_CLASSES]
        + [(n, OWL.ObjectProperty) for n in SPEC_OBJECT_PROPERTIES]
        + [(n, OWL.DatatypeProperty) for n in SPEC_DATATYPE_PROPERTIES]
    )
    missing = [f"sd:{n} a {t.n3()}" for n, t in expected if (SD[n], RDF.type, t) not in onto]
    assert not missing, "spec terms missing or wrongly typed:\n" + "\n".join(missing)
    for n in SPEC_FUNCTIONAL:
        assert (SD[n], RDF.type, OWL.FunctionalProperty) in onto, f"sd:{n} must be functional"
    for sub, sup in SPEC_SUBPROPERTIES:
        assert (SD[sub], RDFS.subPropertyOf, SD[sup]) in onto, f"sd:{sub} ⊑ sd:{sup}"
    assert (SD.wettelijk, RDFS.range, XSD.boolean) in onto
    assert onto.value(SD.geldigTot, RDFS.comment) is not None, "time convention comment"


def test_every_sd_iri_used_is_declared(onto: Graph) -> None:
    declared = _sd_terms(onto)
    used = {
        term
        for triple in onto
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(SD))
    }
    undeclared = sorted(t.removeprefix(str(SD)) for t in used - declared)
    assert not undeclared, f"sd: IRIs used but not declared (typos?): {undeclared}"


def test_property_kinds_are_not_mixed(onto: Graph) -> None:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    mixed = sorted(
        str(s)
        for s in set(onto.subjects(RDF.type, None))
        if sum((s, RDF.type, k) in onto for k in kinds) > 1
    )
    assert not mixed, f"IRIs declared as more than one kind of property: {mixed}"


def test_external_terms_are_declared(onto: Graph) -> None:
    """Without owl:imports every non-built-in IRI must be declared in the file itself."""

    def declared_as(iri: URIRef, *types: URIRef) -> bool:
        return str(iri).startswith(BUILTIN_PREFIXES) or any(
            (iri, RDF.type, t) in onto for t in types
        )

    problems = []
    for p in set(onto.predicates()):
        if not declared_as(p, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
            problems.append(f"predicate {p} is not declared")
    for p in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith):
        for s, o in onto.subject_objects(p):
            for c in (s, o):
                if isinstance(c, URIRef) and not declared_as(c, OWL.Class):
                    problems.append(f"class {c} is not declared")
    for s, o in onto.subject_objects(RDFS.range):
        if (s, RDF.type, OWL.ObjectProperty) in onto and not declared_as(o, OWL.Class):
            problems.append(f"range class {o} is not declared")
    for p in (OWL.onProperty, OWL.equivalentProperty, OWL.inverseOf):
        for o in onto.objects(None, p):
            if not declared_as(o, OWL.ObjectProperty, OWL.DatatypeProperty):
                problems.append(f"property {o} is not declared")
    assert not problems, "\n".join(sorted(set(problems)))


def test_only_expected_datatypes_outside_owl2_map(onto: Graph) -> None:
    owl2_map = {
        XSD.string, XSD.boolean, XSD.decimal, XSD.integer, XSD.nonNegativeInteger,
        XSD.dateTime, XSD.anyURI, XSD.double, XSD.float,
    }  # fmt: skip
    ranges = {
        o
        for s, o in onto.subject_objects(RDFS.range)
        if (s, RDF.type, OWL.DatatypeProperty) in onto
    }
    assert ranges - owl2_map <= NON_OWL2_DATATYPES_ALLOWED


# --------------------------------------------------------------------------- reasoner checks

@pytest.fixture
def java() -> None:
    """Skip outside CI (fail in CI) when there is no Java runtime for HermiT."""
    if shutil.which("java") is None:
        missing("HermiT (owlready2.sync_reasoner) needs a Java runtime; `java` is not on PATH")


def _reason(graph: Graph, tmp_path: Path):
    """HermiT on ``graph`` (sdgraph.reasoner); raises OwlReadyInconsistentOntologyError."""
    return reason(graph)


def _load(*paths: Path) -> Graph:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


@pytest.mark.reasoner
@pytest.mark.usefixtures("java")
def test_ontology_is_consistent_without_unsatisfiable_classes(tmp_path: Path) -> None:
    world = _reason(_load(ONTOLOGY), tmp_path)
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes())
    assert not unsatisfiable, f"unsatisfiable classes: {unsatisfiable}"


@pytest.mark.reasoner
@pytest.mark.usefixtures("java")
def test_unsatisfiable_class_would_be_detected(tmp_path: Path) -> None:
    """Control for the test above: a class below two disjoint classes is reported."""
    g = _load(ONTOLOGY)
    probe = URIRef("urn:test:GemeenteEnProvincie")
    g.add((probe, RDF.type, OWL.Class))
    g.add((probe, RDFS.subClassOf, SD.Gemeente))
    g.add((probe, RDFS.subClassOf, SD.Provincie))
    world = _reason(g, tmp_path)
    assert str(probe) in {c.iri for c in world.inconsistent_classes()}


@pytest.mark.reasoner
@pytest.mark.usefixtures("java")
def test_inconsistent_example_is_rejected(tmp_path: Path) -> None:
    import owlready2

    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(_load(ONTOLOGY, INCONSISTENT), tmp_path)


@pytest.mark.reasoner
@pytest.mark.usefixtures("java")
def test_example_without_the_offending_triple_is_consistent(tmp_path: Path) -> None:
    """The inconsistency comes from the gemeentecode on a provincie, nothing else."""
    g = _load(ONTOLOGY, INCONSISTENT)
    pv30 = URIRef("https://identifier.overheid.nl/tooi/id/provincie/pv30")
    assert (pv30, SD.gemeentecode, None) in g
    g.remove((pv30, SD.gemeentecode, None))
    world = _reason(g, tmp_path)
    assert not list(world.inconsistent_classes())


@pytest.mark.reasoner
@pytest.mark.usefixtures("java")
def test_cli_ontology_check(runner, tmp_path: Path) -> None:
    from sdgraph.cli import main

    assert runner.invoke(main, ["ontology", "check"]).exit_code == 0
    bad = runner.invoke(main, ["ontology", "check", str(INCONSISTENT)])
    assert bad.exit_code == 1 and "Inconsistent" in bad.output
    assert runner.invoke(main, ["ontology", "check", str(tmp_path / "weg.ttl")]).exit_code == 2
