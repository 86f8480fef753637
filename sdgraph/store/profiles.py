"""Server profiles: what differs between SPARQL 1.1 servers, kept in one place.

The remote backend speaks the SPARQL 1.1 Protocol to every server; a profile
says only where the servers differ: where the update and Graph Store Protocol
URLs are, how credentials are sent, how the default graph becomes the union of
the store's own named graphs, and how large one update may be. ``auto`` picks
the profile from the ``Server`` header of the first answer (Oxigraph,
Virtuoso, Fuseki) or from the URL (GraphDB's ``/repositories/``). Oxigraph and
Virtuoso are tested here on real servers; the Fuseki and GraphDB profiles
follow their documentation (docs/deploy.md).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ..errors import UserError
from ..sparql import Binding, _values_block, bind, check_parameter, query_form, term_text
from . import query_forms

#: names accepted by SDGRAPH_ENDPOINT_PROFILE
PROFILES = ("auto", "oxigraph", "virtuoso", "fuseki", "graphdb", "generic")

SD_SERVICE = "http://www.w3.org/ns/sparql-service-description#Service"


def _replace_last(url: str, names: Iterable[str], new: str) -> str:
    """``url`` with its last path segment replaced by ``new`` when it is one of ``names``,
    else with ``new`` appended (``.../query`` -> ``.../update``, ``.../ds`` ->
    ``.../ds/update``)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    path = f"{head}/{new}" if last in names else f"{path}/{new}"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class ServerProfile:
    """Any SPARQL 1.1 server laid out as Oxigraph is (``/query``, ``/update``, ``/store``)
    whose default graph is the union of its named graphs."""

    name = "generic"
    #: how credentials (SDGRAPH_ENDPOINT_USER / _PASSWORD) are sent: "basic" or "digest"
    auth = "basic"
    #: loads above this many bytes of N-Triples are staged with the Graph Store Protocol
    #: and swapped in by one update (Oxigraph refuses SPARQL bodies over 128 MiB)
    max_update_bytes = 32 * 2**20
    #: ... or above this many triples (None: no limit)
    max_update_triples: int | None = None
    #: whether INSERT DATA may hold blank nodes (else such loads are staged)
    blank_nodes_in_insert_data = True
    #: operations one update may hold (a staged load of more graphs swaps in several)
    max_update_operations = 100_000
    #: graphs the server keeps for itself, never part of the store's data
    system_graphs: tuple[str, ...] = ()
    #: the query listing the named graphs (None: queries/system/named-graphs.rq)
    named_graphs_query: str | None = None
    #: whether the server also runs its own extensions of SPARQL (pragmas, built-in
    #: functions): a user's query is then parsed as standard SPARQL 1.1 before it is sent
    extensions = True

    def update_url(self, query_url: str, authenticated: bool) -> str:
        return _replace_last(query_url, ("query", "sparql"), "update")

    def gsp_url(self, query_url: str, authenticated: bool) -> str:
        return _replace_last(query_url, ("query", "sparql"), "store")

    def detect_system_graphs(self, graphs_with_service: list[str]) -> set[str]:
        """The system graphs of this server, given the graphs that hold an sd:Service."""
        return set(self.system_graphs)

    def bind(self, text: str, bindings: Mapping[str, Binding] | None) -> str:
        """``text`` with its parameters bound in the form this server evaluates right."""
        return bind(text, bindings, self.binding_block)

    def binding_block(self, items: list[tuple[str, Identifier]]) -> str:
        """How a query's parameters are bound (:func:`sdgraph.sparql.bind`): one VALUES row."""
        return _values_block(items)

    def prepare_query(self, text: str) -> str:
        """The query text as this server must get it to give the SPARQL 1.1 answer."""
        return text

    def __repr__(self) -> str:
        return f"<ServerProfile {self.name}>"


class OxigraphProfile(ServerProfile):
    """``oxigraph serve --union-default-graph``: ``/query``, ``/update``, ``/store``."""

    name = "oxigraph"
    extensions = False


class VirtuosoProfile(ServerProfile):
    """OpenLink Virtuoso 7: one ``/sparql`` URL for queries and updates; with credentials
    ``/sparql-auth`` and ``/sparql-graph-crud-auth`` (HTTP digest). The default graph is
    every graph in the server, including its own (quad-map metadata, the LDP vocabulary,
    the service description: about 2,500 triples): the store's graph list and counts
    leave them out; a user's own query (/sparql, workbench) sees them. Neither
    Virtuoso's ``input:default-graph-exclude`` pragma (with it, ``GRAPH <iri> { ... }``
    finds nothing in 7.2) nor naming the store's graphs as the dataset (then ``GRAPH
    <iri> { ... }`` of a graph not named matches) is a way out. ``DROP ALL``,
    ``CLEAR ALL`` and ``DROP NAMED`` do nothing in Virtuoso (sdgraph drops graphs by
    name). Virtuoso's SPARQL compiler runs out of memory on an ``INSERT DATA`` of about
    5,000 triples ("SP030 ... memory exhausted") and refuses blank nodes in it, so larger
    loads and loads with blank nodes are staged with the Graph Store Protocol; a load of
    more than about 800 graphs is swapped in by several updates (each graph whole, the
    provenance records last), as one update of more operations fails."""

    name = "virtuoso"
    auth = "digest"
    max_update_triples = 2_000
    blank_nodes_in_insert_data = False  # "SP031 ... Blank node is not allowed in a constant clause"
    # 800 MOVEs in one update went, 1,500 did not ("SQ156 ... Query too large")
    max_update_operations = 800
    # an empty group pattern matches no graph in Virtuoso (GRAPH ?g { } gives nothing), and
    # SELECT DISTINCT ?g over every quad took 71 s at 41k quads, GROUP BY ?g 0.02 s
    named_graphs_query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    system_graphs = (
        "http://www.openlinksw.com/schemas/virtrdf#",
        "http://www.w3.org/ns/ldp#",
    )

    def update_url(self, query_url: str, authenticated: bool) -> str:
        return _replace_last(query_url, ("sparql", "sparql-auth"),
                             "sparql-auth" if authenticated else "sparql")

    def gsp_url(self, query_url: str, authenticated: bool) -> str:
        return _replace_last(query_url, ("sparql", "sparql-auth"),
                             "sparql-graph-crud-auth" if authenticated else "sparql-graph-crud")

    def detect_system_graphs(self, graphs_with_service: list[str]) -> set[str]:
        # the service description Virtuoso writes for its /sparql (named after the host)
        return set(self.system_graphs) | set(graphs_with_service)

    def bind(self, text: str, bindings: Mapping[str, Binding] | None) -> str:
        """Parameters substituted into the text as constants (SEP-0007), not bound by
        VALUES: the same answer under SPARQL 1.1, where Virtuoso 7.2 gets bound variables
        wrong in three ways:

        - a FILTER inside OPTIONAL is evaluated without the variables bound outside it
          (``OPTIONAL { ?t skos:prefLabel ?n FILTER (lang(?n) = ?lang) }`` found no
          label), and a sub-select's projection of a variable bound outside it was joined
          wrongly (fragmentatie.rq counted 18 partners where there are 20);
        - a variable bound by VALUES or BIND to a constant is a "fixed value" that its
          SQL compiler fails on when it is the object of a pattern ("SP031 ...
          ssg_print_rvr_fixed_val(): no SPART_VARR_FIXED": lidmaatschappen.rq,
          kerncijfer-landelijk.rq);
        - a constant xsd:date in a comparison becomes a range scan of its POGS index that
          finds nothing in some states of the index (``?van <= "2019-01-01"^^xsd:date``:
          no rows for two earlier dates; ``<`` and xsd:dateTime were right), so in
          expressions a date is made at run time: ``STRDT("2019-01-01", xsd:date)``.

        A string parameter holding U+0000 is refused (a UserError: 400 on the web):
        Virtuoso 7.2 keeps strings as C strings, and no form of the literal came back
        whole (``"a\\u0000"^^xsd:string`` gave ``"a"``, a plain ``"\\u0080\\u0000b"``
        gave ``"\\u0080"``, ``STR()`` of it other characters).

        In a CONSTRUCT or DESCRIBE query the parameters are written only into expressions
        and bound by :meth:`binding_block` in the patterns: there Virtuoso gets constants
        wrong (``CONSTRUCT { <iri> a ?t ; rdfs:label ?l ; skos:prefLabel ?p } WHERE {
        <iri> a ?t OPTIONAL { <iri> rdfs:label ?l } OPTIONAL { <iri> skos:prefLabel ?p }
        }`` gave no triples; with ``?iri`` bound, the three). A parameter that a VALUES
        clause of the query binds is bound as usual."""
        items = {k: v for k, v in (bindings or {}).items() if v is not None}
        for name, value in items.items():
            for term in value if isinstance(value, list | tuple) else (value,):
                if isinstance(term, Literal) and "\x00" in term:
                    raise UserError(
                        f"parameter {name}: Virtuoso cannot hold the character U+0000 in a "
                        "literal (it cuts the text off there, or drops what follows); "
                        "remove it")
        fixed = query_forms.in_values_clause(text)
        terms: dict[str, tuple[str, str]] = {}
        for name, term in items.items():
            if isinstance(term, list | tuple):  # one solution per term: a VALUES block
                continue
            check_parameter(name, term)
            if name in fixed:
                continue
            dated = isinstance(term, Literal) and term.datatype == XSD.date
            terms[name] = (_made_at_run_time(term) if dated else term_text(term), term_text(term))
        if not terms:
            return bind(text, items, self.binding_block)
        if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
            text = query_forms.rewrite_expressions(
                text, lambda span, _: query_forms.substitute(span, terms))
            return bind(text, items, self.binding_block)
        text = query_forms.substitute_parameters(text, terms)
        return bind(text, {k: v for k, v in items.items() if k not in terms},
                    self.binding_block)

    def prepare_query(self, text: str) -> str:
        """Divisions as ``* 1.0 /``, computed booleans cast to xsd:boolean, an assigned
        ``&&`` next to ``EXISTS`` as nested IFs, months added with ``bif:dateadd``,
        ``a <= b`` as ``(a < b || a = b)`` (and ``>=`` alike):
        Virtuoso 7.2 divides integers as SQL does (3 / 4 = 0, where SPARQL gives 0.75),
        returns a boolean expression (``?a < ?b``, ``EXISTS { }``, ``true``) as the
        integer 1 or 0, refuses ``BIND (?a && EXISTS { } AS ?x)`` (SQ074), has no
        arithmetic on xsd:yearMonthDuration (``?d + "P12M"^^xsd:yearMonthDuration`` is
        unbound), and in some states of its index finds nothing with a ``<=`` or ``>=``
        against a date it computes before the scan (:func:`~.query_forms.or_equal`)."""
        def rewrite(span: str, assigns: bool) -> str:
            span = query_forms.decimal_division(query_forms.virtuoso_month_arithmetic(span))
            if assigns:
                span = query_forms.boolean_cast(query_forms.exists_conjunction(span))
            return query_forms.or_equal(span)  # after the cast: it sees the comparison

        return query_forms.rewrite_expressions(text, rewrite)

    def binding_block(self, items: list[tuple[str, Identifier]]) -> str:
        """Parameters that cannot be substituted, as ``BIND (<made at run time> AS ?x)``:
        IRI("..."), STRDT("...", datatype), STRLANG("...", "nl") or STR("...")."""
        return "".join(f" BIND ({_made_at_run_time(term)} AS ?{name})"
                       for name, term in items) + " "


def _made_at_run_time(term: Identifier) -> str:
    """An expression that makes ``term`` when evaluated (not a constant of the query)."""
    text = term_text(Literal(str(term)))
    if isinstance(term, URIRef):
        return f"IRI({text})"
    if isinstance(term, Literal) and term.language:
        return f"STRLANG({text}, {term_text(Literal(term.language))})"
    if isinstance(term, Literal) and term.datatype:
        return f"STRDT({text}, {term_text(URIRef(term.datatype))})"
    return f"STR({text})"


class FusekiProfile(ServerProfile):
    """Apache Jena Fuseki: ``/ds/query`` (or ``/ds/sparql``, ``/ds``), ``/ds/update``,
    ``/ds/data``; the dataset needs ``tdb2:unionDefaultGraph true`` (not tested here)."""

    name = "fuseki"

    def update_url(self, query_url: str, authenticated: bool) -> str:
        return _replace_last(query_url, ("query", "sparql"), "update")

    def gsp_url(self, query_url: str, authenticated: bool) -> str:
        return _replace_last(query_url, ("query", "sparql"), "data")


class GraphDBProfile(ServerProfile):
    """Ontotext GraphDB: ``/repositories/ID`` for queries, ``/statements`` for updates,
    ``/rdf-graphs/service`` for the Graph Store Protocol (not tested here)."""

    name = "graphdb"

    def update_url(self, query_url: str, authenticated: bool) -> str:
        return query_url.rstrip("/") + "/statements"

    def gsp_url(self, query_url: str, authenticated: bool) -> str:
        return query_url.rstrip("/") + "/rdf-graphs/service"


_BY_NAME: dict[str, type[ServerProfile]] = {
    cls.name: cls
    for cls in (ServerProfile, OxigraphProfile, VirtuosoProfile, FusekiProfile, GraphDBProfile)
}


def profile(name: str) -> ServerProfile:
    """The profile called ``name`` (one of :data:`PROFILES` except ``auto``)."""
    try:
        return _BY_NAME[name]()
    except KeyError:
        raise ValueError(
            f"unknown SPARQL server profile {name!r}; use one of {', '.join(PROFILES)}"
        ) from None


def detect(query_url: str, server_header: str | None) -> ServerProfile:
    """The profile for a server, from its ``Server`` header and its query URL."""
    server = (server_header or "").lower()
    if "virtuoso" in server:
        return VirtuosoProfile()
    if "oxigraph" in server:
        return OxigraphProfile()
    if "fuseki" in server:
        return FusekiProfile()
    if "/repositories/" in urllib.parse.urlsplit(query_url).path:
        return GraphDBProfile()
    return ServerProfile()
