"""Namespaces and prefixes: the one place they are defined."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

SD = Namespace("https://w3id.org/sdgraph/def#")
SDID = Namespace("https://w3id.org/sdgraph/id/")
GRAPH = Namespace("https://w3id.org/sdgraph/graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
TOOI_ONT = Namespace("https://identifier.overheid.nl/tooi/def/ont/")
TOOI_GEMEENTE = Namespace("https://identifier.overheid.nl/tooi/id/gemeente/")
TOOI_PROVINCIE = Namespace("https://identifier.overheid.nl/tooi/id/provincie/")
TOOI_SO = Namespace("https://identifier.overheid.nl/tooi/id/so/")

#: The named graph holding provenance records of every loaded graph.
META_GRAPH = GRAPH["meta"]

PREFIXES: dict[str, str] = {
    "sd": str(SD),
    "sdid": str(SDID),
    "org": str(ORG),
    "tooiont": str(TOOI_ONT),
    "gm": str(TOOI_GEMEENTE),
    "pv": str(TOOI_PROVINCIE),
    "so": str(TOOI_SO),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dct": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}
