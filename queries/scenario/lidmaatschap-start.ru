# title: Scenario-update: toetreden
# title@en: Scenario update: join
# description: Op de overlay (nooit op de opgeslagen graaf): een nieuw lidmaatschap van de gemeente in ?organisatie vanaf de peildatum, als zij er op die dag nog geen lid van is.
# description@en: On the overlay (never on the stored graph): a new membership of the gemeente in ?organisatie from the reference date, unless it is already a member that day.
# param: wijziging | iri | | Wijziging | Change
# param: gemeente | gemeente | | Gemeente | Gemeente
# param: organisatie | iri | | Organisatie | Organisation
# param: peildatum | date | | Peildatum | Reference date
# param: bron | string | | Bron | Source
PREFIX sd: <https://w3id.org/sdgraph/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
INSERT {
  ?l a sd:Lidmaatschap ; rdfs:label ?label ; org:member ?gemeente ; org:organization ?organisatie ;
     sd:toetredingsdatum ?peildatum ; sd:illustratief true ; prov:wasGeneratedBy ?wijziging ; dct:source ?bron .
} WHERE {
  # unless it is a member that day (OPTIONAL + !BOUND: ten times faster in Oxigraph 0.5 than
  # FILTER NOT EXISTS, which re-evaluates the inner group)
  OPTIONAL {
    ?al a sd:Lidmaatschap ; org:member ?gemeente ; org:organization ?organisatie .
    OPTIONAL { ?al sd:toetredingsdatum ?toe }
    OPTIONAL { ?al sd:uittredingsdatum ?uit }
    FILTER ((!BOUND(?toe) || ?toe <= ?peildatum) && (!BOUND(?uit) || ?peildatum < ?uit))
  }
  FILTER (!BOUND(?al))
  BIND (IRI(CONCAT(STR(?wijziging), "/lidmaatschap")) AS ?l)
  OPTIONAL { ?gemeente rdfs:label ?gNaam FILTER (lang(?gNaam) = "nl") }
  OPTIONAL { ?organisatie rdfs:label ?oNaam FILTER (lang(?oNaam) = "nl") }
  BIND (STRLANG(CONCAT(COALESCE(?gNaam, STR(?gemeente)), " in ", COALESCE(?oNaam, STR(?organisatie)),
        " (scenario)"), "nl") AS ?label)
}
