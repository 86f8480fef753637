# title: Scenario-update: de inventaris gaat voor de basislijn
# title@en: Scenario update: the inventory takes precedence over the baseline
# description: Op de overlay (nooit op de opgeslagen graaf): elke afgeleide taakuitvoering (sd:afgeleid) van een cel waarvoor op de peildatum een geïnventariseerde taakuitvoering geldt, gaat eruit, zodat een scenario dat de geïnventariseerde beëindigt geen afgeleide onder de cel vandaan haalt (docs/baseline.md).
# description@en: On the overlay (never on the stored graph): every derived task assignment of a cell for which an inventoried one holds on the reference date is removed, so that a scenario ending the inventoried one does not uncover a derived one (docs/baseline.md).
# param: peildatum | date | | Peildatum | Reference date
PREFIX sd: <https://w3id.org/sdgraph/def#>
DELETE { ?tu ?p ?o } WHERE {
  ?inv a sd:Taakuitvoering ; sd:gemeente ?g ; sd:taak ?t ; sd:deelgebied ?d .
  OPTIONAL { ?inv sd:afgeleid ?invAfgeleid }
  OPTIONAL { ?inv sd:geldigVanaf ?iv }
  OPTIONAL { ?inv sd:geldigTot ?it }
  FILTER (!BOUND(?invAfgeleid) && (!BOUND(?iv) || ?iv <= ?peildatum) && (!BOUND(?it) || ?peildatum < ?it))
  ?tu sd:gemeente ?g ; sd:taak ?t ; sd:deelgebied ?d ; sd:afgeleid true .
  ?tu ?p ?o .
}
