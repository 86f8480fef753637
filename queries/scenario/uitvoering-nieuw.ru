# title: Scenario-update: nieuwe taakuitvoeringen door de nieuwe uitvoerder
# title@en: Scenario update: new task assignments by the new executor
# description: Op de overlay (nooit op de opgeslagen graaf): voor elke cel (taak x deelgebied) die de wijziging raakt, een nieuwe taakuitvoering door ?naar vanaf de peildatum, tenzij ?naar die cel al uitvoert. Een cel is geraakt als een geldende taakuitvoering erin past (uitvoerder of via is ?van als die gegeven is; taak in de sd:taak-lijst en deelgebied in de dct:subject-lijst van de wijziging als die er zijn), of, zonder ?van, als de wijziging taken en deelgebieden allebei noemt (dan ook lege cellen).
# description@en: On the overlay (never on the stored graph): for every cell (task x deelgebied) the change touches, a new task assignment by ?naar from the reference date, unless ?naar already executes that cell. A cell is touched when a valid task assignment fits it (executor or via is ?van when given; task in the change's sd:taak list and deelgebied in its dct:subject list when present), or, without ?van, when the change names both tasks and deelgebieden (then empty cells too).
# param: wijziging | iri | | Wijziging | Change
# param: gemeente | gemeente | | Gemeente | Gemeente
# param: peildatum | date | | Peildatum | Reference date
# param: van | iri | - | Huidige uitvoerder | Current executor
# param: naar | iri | | Nieuwe uitvoerder | New executor
# param: via | iri | - | Arrangement van de nieuwe uitvoering | Arrangement of the new assignment
# param: arrangementtype | iri | - | Arrangementtype | Arrangement type
# param: bron | string | | Bron | Source
PREFIX sd: <https://w3id.org/sdgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
INSERT {
  ?nieuw a sd:Taakuitvoering ; rdfs:label ?label ; sd:gemeente ?gemeente ; sd:taak ?taak ;
         sd:deelgebied ?dg ; sd:uitvoerder ?naar ; sd:arrangementtype ?arrangementtype ; sd:via ?via ;
         sd:geldigVanaf ?peildatum ; sd:illustratief true ; prov:wasGeneratedBy ?wijziging ; dct:source ?bron .
} WHERE {
  ?tu a sd:Taakuitvoering ; sd:gemeente ?gemeente ; sd:taak ?taak ; sd:deelgebied ?dg ; sd:uitvoerder ?u .
  OPTIONAL { ?tu sd:via ?v }
  OPTIONAL { ?tu sd:geldigVanaf ?vanaf }
  OPTIONAL { ?tu sd:geldigTot ?tot }
  FILTER ((!BOUND(?vanaf) || ?vanaf <= ?peildatum) && (!BOUND(?tot) || ?peildatum < ?tot))
  FILTER (!BOUND(?van) || ?u = ?van || (BOUND(?v) && ?v = ?van))
  FILTER (NOT EXISTS { ?wijziging sd:taak ?t0 } || EXISTS { ?wijziging sd:taak ?taak })
  FILTER (NOT EXISTS { ?wijziging dct:subject ?d0 } || EXISTS { ?wijziging dct:subject ?dg })
  # unless ?naar already executes the cell (OPTIONAL + !BOUND: as FILTER NOT EXISTS, Oxigraph 0.5
  # re-evaluates the inner group for every row, about 1 s on an overlay of 12k triples)
  OPTIONAL {
    ?al a sd:Taakuitvoering ; sd:gemeente ?gemeente ; sd:taak ?taak ; sd:deelgebied ?dg ; sd:uitvoerder ?naar .
    OPTIONAL { ?al sd:geldigVanaf ?av }
    OPTIONAL { ?al sd:geldigTot ?at }
    FILTER ((!BOUND(?av) || ?av <= ?peildatum) && (!BOUND(?at) || ?peildatum < ?at))
  }
  FILTER (!BOUND(?al))
  BIND (IF(CONTAINS(STR(?taak), "/taak/"), STRAFTER(STR(?taak), "/taak/"), MD5(STR(?taak))) AS ?taakSlug)
  BIND (IF(CONTAINS(STR(?dg), "/deelgebied/"), STRAFTER(STR(?dg), "/deelgebied/"), MD5(STR(?dg))) AS ?dgSlug)
  BIND (IRI(CONCAT(STR(?wijziging), "/", ?taakSlug, "/", ?dgSlug)) AS ?nieuw)
  OPTIONAL { ?taak skos:prefLabel ?taakNaam FILTER (lang(?taakNaam) = "nl") }
  OPTIONAL { ?dg skos:prefLabel ?dgNaam FILTER (lang(?dgNaam) = "nl") }
  OPTIONAL { ?naar rdfs:label ?naarNaam FILTER (lang(?naarNaam) IN ("nl", "")) }
  BIND (STRLANG(CONCAT(COALESCE(?taakNaam, ?taakSlug), " (", LCASE(COALESCE(?dgNaam, ?dgSlug)),
        ") door ", COALESCE(?naarNaam, STR(?naar)), " (scenario)"), "nl") AS ?label)
} ;
INSERT {
  ?nieuw a sd:Taakuitvoering ; rdfs:label ?label ; sd:gemeente ?gemeente ; sd:taak ?taak ;
         sd:deelgebied ?dg ; sd:uitvoerder ?naar ; sd:arrangementtype ?arrangementtype ; sd:via ?via ;
         sd:geldigVanaf ?peildatum ; sd:illustratief true ; prov:wasGeneratedBy ?wijziging ; dct:source ?bron .
} WHERE {
  ?wijziging sd:taak ?taak ; dct:subject ?dg .
  ?dg a sd:Deelgebied .
  FILTER (!BOUND(?van))
  OPTIONAL {
    ?al a sd:Taakuitvoering ; sd:gemeente ?gemeente ; sd:taak ?taak ; sd:deelgebied ?dg ; sd:uitvoerder ?naar .
    OPTIONAL { ?al sd:geldigVanaf ?av }
    OPTIONAL { ?al sd:geldigTot ?at }
    FILTER ((!BOUND(?av) || ?av <= ?peildatum) && (!BOUND(?at) || ?peildatum < ?at))
  }
  FILTER (!BOUND(?al))
  BIND (IF(CONTAINS(STR(?taak), "/taak/"), STRAFTER(STR(?taak), "/taak/"), MD5(STR(?taak))) AS ?taakSlug)
  BIND (IF(CONTAINS(STR(?dg), "/deelgebied/"), STRAFTER(STR(?dg), "/deelgebied/"), MD5(STR(?dg))) AS ?dgSlug)
  BIND (IRI(CONCAT(STR(?wijziging), "/", ?taakSlug, "/", ?dgSlug)) AS ?nieuw)
  OPTIONAL { ?taak skos:prefLabel ?taakNaam FILTER (lang(?taakNaam) = "nl") }
  OPTIONAL { ?dg skos:prefLabel ?dgNaam FILTER (lang(?dgNaam) = "nl") }
  OPTIONAL { ?naar rdfs:label ?naarNaam FILTER (lang(?naarNaam) IN ("nl", "")) }
  BIND (STRLANG(CONCAT(COALESCE(?taakNaam, ?taakSlug), " (", LCASE(COALESCE(?dgNaam, ?dgSlug)),
        ") door ", COALESCE(?naarNaam, STR(?naar)), " (scenario)"), "nl") AS ?label)
}
