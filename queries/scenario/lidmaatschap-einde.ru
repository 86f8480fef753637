# title: Scenario-update: uittreden
# title@en: Scenario update: leave
# description: Op de overlay (nooit op de opgeslagen graaf): het lidmaatschap van de gemeente in ?organisatie en haar vertegenwoordiging in de bestuursorganen daarvan eindigen op de peildatum (exclusief).
# description@en: On the overlay (never on the stored graph): the gemeente's membership of ?organisatie and its representation in the governing bodies of it end on the reference date (exclusive).
# param: gemeente | gemeente | | Gemeente | Gemeente
# param: organisatie | iri | | Organisatie | Organisation
# param: peildatum | date | | Peildatum | Reference date
PREFIX sd: <https://w3id.org/sdgraph/def#>
PREFIX org: <http://www.w3.org/ns/org#>
DELETE { ?l sd:uittredingsdatum ?uit }
INSERT { ?l sd:uittredingsdatum ?peildatum }
WHERE {
  ?l a sd:Lidmaatschap ; org:member ?gemeente ; org:organization ?organisatie .
  OPTIONAL { ?l sd:toetredingsdatum ?toe }
  OPTIONAL { ?l sd:uittredingsdatum ?uit }
  FILTER ((!BOUND(?toe) || ?toe <= ?peildatum) && (!BOUND(?uit) || ?peildatum < ?uit))
} ;
DELETE { ?v sd:geldigTot ?tot }
INSERT { ?v sd:geldigTot ?peildatum }
WHERE {
  ?orgaan org:unitOf ?organisatie .
  ?v a sd:Vertegenwoordiging ; org:member ?gemeente ; org:organization ?orgaan .
  OPTIONAL { ?v sd:geldigVanaf ?vanaf }
  OPTIONAL { ?v sd:geldigTot ?tot }
  FILTER ((!BOUND(?vanaf) || ?vanaf <= ?peildatum) && (!BOUND(?tot) || ?peildatum < ?tot))
}
