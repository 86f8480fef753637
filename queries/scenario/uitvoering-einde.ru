# title: Scenario-update: taakuitvoeringen beëindigen
# title@en: Scenario update: end task assignments
# description: Op de overlay (nooit op de opgeslagen graaf): elke taakuitvoering die op de peildatum geldt en die de wijziging raakt (uitvoerder of via is ?van als die gegeven is; taak en deelgebied in de lijsten van de wijziging als die er zijn) en niet door ?naar wordt uitgevoerd, eindigt op de peildatum (sd:geldigTot, exclusief). Nieuwe uitvoeringen van dezelfde wijziging blijven staan.
# description@en: On the overlay (never on the stored graph): every task assignment valid on the reference date that the change touches (executor or via is ?van when given; task and deelgebied in the change's lists when present) and is not executed by ?naar ends on the reference date (sd:geldigTot, exclusive). New assignments of the same change stay.
# param: wijziging | iri | | Wijziging | Change
# param: gemeente | gemeente | | Gemeente | Gemeente
# param: peildatum | date | | Peildatum | Reference date
# param: van | iri | - | Huidige uitvoerder | Current executor
# param: naar | iri | - | Nieuwe uitvoerder | New executor
PREFIX sd: <https://w3id.org/sdgraph/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
DELETE { ?tu sd:geldigTot ?oud }
INSERT { ?tu sd:geldigTot ?peildatum }
WHERE {
  ?tu a sd:Taakuitvoering ; sd:gemeente ?gemeente ; sd:taak ?taak ; sd:deelgebied ?dg ; sd:uitvoerder ?u .
  OPTIONAL { ?tu sd:via ?v }
  OPTIONAL { ?tu sd:geldigVanaf ?vanaf }
  OPTIONAL { ?tu sd:geldigTot ?oud }
  FILTER ((!BOUND(?vanaf) || ?vanaf <= ?peildatum) && (!BOUND(?oud) || ?peildatum < ?oud))
  FILTER (!BOUND(?naar) || ?u != ?naar)
  FILTER (!BOUND(?van) || ?u = ?van || (BOUND(?v) && ?v = ?van))
  FILTER (NOT EXISTS { ?wijziging sd:taak ?t0 } || EXISTS { ?wijziging sd:taak ?taak })
  FILTER (NOT EXISTS { ?wijziging dct:subject ?d0 } || EXISTS { ?wijziging dct:subject ?dg })
  FILTER NOT EXISTS { ?tu prov:wasGeneratedBy ?wijziging }
}
