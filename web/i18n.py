"""A small dict-based translation catalog: Dutch is the source language.

Every UI string is written in Dutch and passed through ``_()``; the English
catalog maps it to English. A missing entry falls back to the Dutch text (the
tests check the catalog is complete). The language comes from ``?lang=`` (and
is then remembered in a cookie), else from that cookie, else Dutch.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, request, url_for

LANGUAGES = ("nl", "en")
DEFAULT = "nl"
COOKIE_AGE = 365 * 24 * 3600

EN: dict[str, str] = {
    # layout
    "Naar de inhoud": "Skip to content",
    "Hoofdmenu": "Main menu",
    "Taal": "Language",
    "Nederlands": "Dutch",
    "Engels": "English",
    "Start": "Home",
    "Gemeenten": "Municipalities",
    "Kennisgraaf van het sociaal domein": "Knowledge graph of the Dutch social domain",
    "Gegevens met het label 'illustratief' zijn verzonnen voorbeelden; de herkomst "
    "van elke graaf staat op de startpagina.":
        "Facts labelled 'illustrative' are made-up examples; the provenance of every "
        "graph is on the home page.",
    # home
    "Over sdgraph": "About sdgraph",
    "sdgraph is een kennisgraaf van het Nederlandse sociaal domein: gemeenten, "
    "gemeenschappelijke regelingen, regio's en wie welke taak uitvoert onder de "
    "Jeugdwet, de Wmo 2015 en de Participatiewet.":
        "sdgraph is a knowledge graph of the Dutch social domain: municipalities, "
        "joint arrangements (gemeenschappelijke regelingen), regions and who carries "
        "out which task under the Youth Act, the Social Support Act (Wmo 2015) and the "
        "Participation Act.",
    "Alles is tijdgebonden: kies een peildatum om te zien hoe het op die dag geregeld was.":
        "Everything is time-bound: pick a reference date to see how things were "
        "arranged on that day.",
    "Bekijk alle gemeenten": "Browse all municipalities",
    "Voorbeeld: Oirschot": "Example: Oirschot",
    "Inhoud van de graaf": "Contents of the graph",
    "Soort": "Kind",
    "Aantal": "Number",
    "triples in totaal": "triples in total",
    "Grafen en herkomst": "Graphs and provenance",
    "Graaf": "Graph",
    "Triples": "Triples",
    "Titel": "Title",
    "Bron": "Source",
    "Geladen": "Loaded",
    "Opslag": "Store",
    "ingebouwd": "embedded",
    "SPARQL-endpoint": "SPARQL endpoint",
    # search
    "Zoek een gemeente": "Find a municipality",
    "Naam of CBS-code": "Name or CBS code",
    "Zoeken": "Search",
    "Bestaand op (optioneel)": "Existing on (optional)",
    "Zoekterm": "Search term",
    "Alles tonen": "Show all",
    "Geen gemeenten gevonden.": "No municipalities found.",
    # columns
    "Naam": "Name",
    "Code": "Code",
    "CBS-code": "CBS code",
    "Provincie": "Province",
    "Bestaat vanaf": "Exists from",
    "Bestaat tot": "Exists until",
    "ROO-id": "ROO id",
    "Citeertitel": "Citation title",
    "Samenwerkingsvorm": "Form of cooperation",
    "Toetredingsdatum": "Date of joining",
    "Uittredingsdatum": "Date of leaving",
    "Verdeelsleutel (%)": "Cost share (%)",
    "Regio-indeling": "Regional division",
    "Regio": "Region",
    "Regiocode": "Region code",
    "Centrumgemeente": "Central municipality",
    "Peiljaar": "Reference year",
    "Wet": "Law",
    "Taak": "Task",
    "Deelgebied": "Sub-area",
    "Uitvoerder": "Executed by",
    "Arrangement": "Arrangement",
    "Via": "Via",
    "Geldig vanaf": "Valid from",
    "Geldig tot": "Valid until",
    "Geldig": "Valid",
    "Doel": "Purpose",
    "Versie": "Version",
    "Register": "Register",
    "geldig op de peildatum": "valid on the reference date",
    # peildatum
    "Peildatum": "Reference date",
    "Toon": "Show",
    "Vandaag": "Today",
    "Gegevens zoals ze golden op {datum}.": "Data as they stood on {datum}.",
    "einddatum exclusief": "end date exclusive",
    # gemeente page
    "Gemeente": "Municipality",
    "Gemeenschappelijke regelingen": "Joint arrangements",
    "Regio's": "Regions",
    "Wie doet wat": "Who does what",
    "Geen gemeenschappelijke regelingen op deze peildatum.":
        "No joint arrangements on this reference date.",
    "Geen regio's op deze peildatum.": "No regions on this reference date.",
    "Geen taakuitvoeringen op deze peildatum.": "No task assignments on this reference date.",
    "illustratief": "illustrative",
    "Verzonnen voorbeeld, geen echt gegeven.": "Made-up example, not a real fact.",
    "Download": "Download",
    "eigen organisatie": "own organisation",
    # organisation page
    "Organisatie": "Organisation",
    "Soorten": "Kinds",
    "Ook bekend als": "Also known as",
    "Identificatie (IRI)": "Identifier (IRI)",
    "Naar de gemeentepagina": "Go to the municipality page",
    "Versies van de regeling": "Versions of the arrangement",
    "Deelnemers": "Members",
    "Geen deelnemers op deze peildatum.": "No members on this reference date.",
    "Geef een organisatie op met ?iri=...": "Name an organisation with ?iri=...",
    # errors
    "Fout": "Error",
    "Ongeldige invoer": "Invalid input",
    "Niet gevonden": "Not found",
    "De opslag is niet beschikbaar": "The store is not available",
    "Er ging iets mis": "Something went wrong",
    "Deze pagina bestaat niet.": "This page does not exist.",
    "Probeer het later opnieuw.": "Please try again later.",
    "Deze methode is hier niet toegestaan.": "This method is not allowed here.",
    "Er is een onverwachte fout opgetreden.": "An unexpected error occurred.",
    "Geen gemeente met code {code} in de graaf.": "No municipality with code {code} in the graph.",
    "Over deze IRI is niets bekend: {iri}": "Nothing is known about this IRI: {iri}",
    "Terug naar de startpagina": "Back to the home page",
    # herindelingen, kerncijfers, derived taken, members through time
    "Opgeheven; opgegaan in": "Abolished; merged into",
    "Herindelingen": "Reorganisations",
    "Kerncijfers": "Key figures",
    "Relatie": "Relation",
    "Datum": "Date",
    "opvolger": "successor",
    "voorganger": "predecessor",
    "Geen herindelingen bekend voor deze gemeente.":
        "No reorganisations known for this municipality.",
    "Toon {n} cijfers": "Show {n} figures",
    "Dataset": "Data set",
    "Periode": "Period",
    "Maatstaf": "Measure",
    "Waarde": "Value",
    "Eenheid": "Unit",
    "Geen kerncijfers in de graaf (bouw de referentiegraaf met de CBS-bronnen).":
        "No key figures in the graph (build the reference graph with the CBS sources).",
    "Gevonden in": "Found in",
    "Bewijs": "Evidence",
    "De afgeleide laag vond in deze regeling geen wet van het sociaal domein.":
        "The derived layer found no law of the social domain in this arrangement.",
    # query library, resource pages
    "Queries": "Queries",
    "Elke vraag hieronder is een bestand in queries/ (of in een map uit SDGRAPH_QUERIES): "
    "een pagina met een formulier, een API (.json, .csv) en een commando (sdgraph query NAAM). "
    "Een nieuw .rq-bestand verschijnt hier vanzelf.":
        "Every question below is a file in queries/ (or in a folder from SDGRAPH_QUERIES): "
        "a page with a form, an API (.json, .csv) and a command (sdgraph query NAME). "
        "A new .rq file appears here by itself.",
    "Vraag": "Question",
    "Parameters": "Parameters",
    "Uitvoeren": "Run",
    "optioneel": "optional",
    "standaard": "default",
    "Vul de verplichte parameters in.": "Fill in the required parameters.",
    "Alleen SELECT-queries hebben een pagina; gebruik /sparql.":
        "Only SELECT queries have a page; use /sparql.",
    "Geen query met de naam {name}.": "No query named {name}.",
    "Geen rijen.": "No rows.",
    "Filter": "Filter",
    "{ms} ms": "{ms} ms",
    "de eerste {n} getoond; de downloads hebben alle rijen":
        "the first {n} shown; the downloads have all rows",
    "Resource": "Resource",
    "Geef een IRI op met ?uri=...": "Give an IRI with ?uri=...",
    "Richting": "Direction",
    "Eigenschap": "Property",
    "uit": "out",
    "in": "in",
    # wie doet wat (matrix), klantreis, resources as RDF
    "Per taak (rijen, per wet) en deelgebied (kolommen): wie de taak voor de gemeente uitvoert "
    "en via welk arrangement. Een leeg vak is een gat in de inventaris; een vak met meer dan "
    "één uitvoerder kan dubbel werk zijn.":
        "Per task (rows, per law) and sub-area (columns): who executes the task for the "
        "municipality and through which arrangement. An empty cell is a gap in the inventory; "
        "a cell with more than one executor may be double work.",
    "als query": "as a query",
    "Wie doet wat in de regio": "Who does what in the region",
    "Per gemeente die op de peildatum lid is (rijen) en per taak (kolommen): wie de taak voor "
    "die gemeente uitvoert. Een leeg vak is een gat in de inventaris.":
        "Per municipality that is a member on the reference date (rows) and per task (columns): "
        "who executes the task for that municipality. An empty cell is a gap in the inventory.",
    "Alle deelgebieden": "All sub-areas",
    "via": "via",
    "Geen uitvoerder gevonden": "No executor found",
    "{filled} van {total} vakken gevuld": "{filled} of {total} cells filled",
    "{n} zonder uitvoerder": "{n} without an executor",
    "{n} met meer dan één uitvoerder": "{n} with more than one executor",
    "dubbel": "double",
    "Alle wetten": "All laws",
    "Klantreis": "Client journey",
    "De route die een hulpvraag van een inwoner neemt: per stap welke organisatie die stap "
    "uitvoert voor de taken van de wet, en onder welk arrangement.":
        "The route a resident's request for help takes: per step which organisation carries "
        "out that step for the law's tasks, and under which arrangement.",
    "Soort hulpvraag": "Kind of request",
    "Organisaties": "Organisations",
    "Overdrachten": "Hand-overs",
    "Stappen zonder uitvoerder": "Steps without an executor",
    "Taken met meer dan één uitvoerder": "Tasks with more than one executor",
    "Overdrachten: per stap de organisaties die in de vorige stap met een uitvoerder nog niet "
    "meededen; aan elk van hen wordt het verzoek overgedragen.":
        "Hand-overs: per step the organisations that did not take part in the previous step "
        "with an executor; the request is handed over to each of them.",
    "Geen uitvoerder gevonden voor deze stap op de peildatum.":
        "No executor found for this step on the reference date.",
    "Als RDF": "As RDF",
    "Overzichten": "Views",
    "Wie doet wat (matrix)": "Who does what (matrix)",
    "Wie doet wat in de regio (matrix)": "Who does what in the region (matrix)",
    "Beschikbaar als {types}": "Available as {types}",
    # foto van het sociaal domein
    "Foto van het sociaal domein": "Snapshot of the social domain",
    "{naam}: {waarde}; landelijke mediaan {mediaan}": "{naam}: {waarde}; national median {mediaan}",
    "Landelijke mediaan": "National median",
    "Met wie de gemeente samenwerkt per wet en deelgebied, waar taken geen of twee uitvoerders "
    "hebben, welke contracten lopen en hoe haar kerncijfers zich verhouden tot de landelijke "
    "mediaan en de gemeenten van haar regio.":
        "With whom the municipality works per law and sub-area, where tasks have no executor or "
        "two, which contracts run, and how its key figures compare with the national median and "
        "the municipalities of its region.",
    "Vergelijk met regio": "Compare with region",
    "Partnerorganisaties": "Partner organisations",
    "Vakken zonder uitvoerder": "Cells without an executor",
    "Mogelijk dubbel werk": "Possible double work",
    "Lopende contracten": "Running contracts",
    "Partners per wet en deelgebied": "Partners per law and sub-area",
    "eigen organisatie of onbekend": "own organisation or unknown",
    "Geen taakuitvoeringen in de graaf voor deze gemeente op de peildatum.":
        "No task executions in the graph for this municipality on the reference date.",
    "Gaten en dubbel werk": "Gaps and double work",
    "{gaps} van de {total} combinaties van taak en deelgebied hebben op de peildatum geen "
    "uitvoerder in de inventaris.":
        "{gaps} of the {total} combinations of task and sub-area have no executor in the "
        "inventory on the reference date.",
    "Bekijk de matrix": "See the matrix",
    "{taak}, {deelgebied}: meer dan één uitvoerder": "{taak}, {deelgebied}: more than one executor",
    "Contracten": "Contracts",
    "Overeenkomst": "Contract",
    "Rol van de gemeente": "Role of the municipality",
    "Opdrachtgever": "Client",
    "Opdrachtnemers": "Contractors",
    "Einddatum": "End date",
    "Uiterste opzegdatum": "Latest notice date",
    "Jaarwaarde (EUR)": "Annual value (EUR)",
    "geen": "none",
    "partij": "party",
    "via taakuitvoering": "through a task execution",
    "Geen lopende contracten in de graaf op de peildatum.":
        "No running contracts in the graph on the reference date.",
    "Kerncijfers naast het land en de regio": "Key figures beside the country and the region",
    "Balk: {naam}. Streep: landelijke mediaan. Stippen: de andere gemeenten van {regio}. "
    "Iv3-lasten per inwoner in euro (delen van een taakveld opgeteld); rang 1 is de hoogste "
    "waarde van het land.":
        "Bar: {naam}. Line: national median. Dots: the other municipalities of {regio}. Iv3 "
        "expenditure per resident in euros (parts of a policy field added up); rank 1 is the "
        "highest value in the country.",
    "Kerncijfer": "Key figure",
    "Wijzigingen sinds": "Changes since",
    "Wijzigingen sinds {datum}": "Changes since {datum}",
    "Toelichting": "Explanation",
    "Geen wijzigingen in de graaf tussen deze datums.":
        "No changes in the graph between these dates.",
    "Mediaan regio": "Median of the region",
    "Rang": "Rank",
    "Grafiek": "Chart",
    "per inwoner": "per resident",
    "per {n} inwoners": "per {n} residents",
    "Geen CBS-kerncijfers voor deze gemeente in de graaf (ze komen uit de referentiegraaf).":
        "No CBS key figures for this municipality in the graph (they come from the reference "
        "graph).",
    # netwerk (spaghetti network of a gemeente)
    "Netwerk": "Network",
    "Netwerk van de samenwerking": "Network of cooperation",
    "Alle samenwerkingslijnen van de gemeente op de peildatum: lidmaatschappen van "
    "gemeenschappelijke regelingen en regio's (gestippeld), taakuitvoeringen (van de "
    "gemeente naar de uitvoerder) en overeenkomsten (van opdrachtgever naar opdrachtnemer). "
    "De kleur van een lijn is de wet.":
        "All lines of cooperation of the municipality on the reference date: memberships of "
        "joint arrangements and regions (dashed), task assignments (from the municipality to "
        "the executor) and contracts (from the commissioning party to the contractor). The "
        "colour of a line is the law.",
    "Legenda: kleur per wet": "Legend: colour per law",
    "lidmaatschap": "membership",
    "lijnen": "lines",
    "organisaties": "organisations",
    "Netwerk van {naam}": "Network of {naam}",
    "De tekening heeft JavaScript nodig; de tabel hieronder toont dezelfde lijnen.":
        "The drawing needs JavaScript; the table below shows the same lines.",
    "HTML (offline)": "HTML (offline)",
    "Lijnen": "Lines",
    "Van": "From",
    "Naar": "To",
    "Geen samenwerkingslijnen op deze peildatum.":
        "No lines of cooperation on this reference date.",
    # SPARQL workbench (/workbench)
    "Werkbank": "Workbench",
    "SPARQL-werkbank": "SPARQL workbench",
    "Schrijf een SPARQL-query over de hele graaf, of begin met een query uit de bibliotheek. "
    "De werkbank leest alleen; IRI's in het resultaat krijgen hun label. De URL van een "
    "uitgevoerde query kun je delen.":
        "Write a SPARQL query over the whole graph, or start from a query of the library. "
        "The workbench only reads; IRIs in the result get their label. The URL of a query "
        "that ran can be shared.",
    "Voorbeeld uit de querybibliotheek": "Example from the query library",
    "Kies een query": "Choose a query",
    "Laden en uitvoeren": "Load and run",
    "Query (SPARQL)": "Query (SPARQL)",
    "In de editor: Ctrl+Spatie vult prefixen en termen aan (ook na het typen van bijvoorbeeld "
    "sd:), Ctrl+Enter voert uit.":
        "In the editor: Ctrl+Space completes prefixes and terms (also after typing, say, sd:), "
        "Ctrl+Enter runs.",
    "Rijlimiet": "Row limit",
    "Syntaxfout op regel {line}, kolom {column}": "Syntax error on line {line}, column {column}",
    "Resultaat": "Result",
    "Ja/nee-vraag (ASK)": "Yes/no question (ASK)",
    "meer dan {n} rijen; de eerste {n} getoond (rijlimiet)":
        "more than {n} rows; the first {n} shown (row limit)",
    "{n} triples": "{n} triples",
    "rijlimiet {n}": "row limit {n}",
    "Download (alle rijen)": "Download (all rows)",
    "Link naar deze query": "Link to this query",
    "Link gekopieerd": "Link copied",
    "Kopiëren lukte niet; kopieer de link hierboven.": "Copying failed; copy the link above.",
    "Kopieer link": "Copy link",
    "Antwoord": "Answer",
    "ja": "yes",
    "nee": "no",
    "Onderwerp": "Subject",
    "Geen triples.": "No triples.",
    "Voorbeeld uit de querybibliotheek: {name}.": "Example from the query library: {name}.",
    "Parameters met hun standaardwaarde in VALUES-blokken (aan het begin van de WHERE-groep "
    "en van elke sub-select die ze gebruikt): {names}; pas ze daar aan.":
        "Parameters with their default in VALUES blocks (at the start of the WHERE group and "
        "of every sub-select that uses them): {names}; change them there.",
    "Niet gebonden (geen standaardwaarde): {names}; voeg ze aan een VALUES-blok toe om ze te "
    "gebruiken.":
        "Not bound (no default): {names}; add them to a VALUES block to use them.",
    "De werkbank leest alleen: SPARQL Update (INSERT, DELETE, LOAD, DROP, …) wordt niet "
    "uitgevoerd.":
        "The workbench only reads: SPARQL Update (INSERT, DELETE, LOAD, DROP, …) is not run.",
    "SERVICE is niet toegestaan: de werkbank doet geen verzoeken aan andere servers.":
        "SERVICE is not allowed: the workbench makes no requests to other servers.",
    "Geen query opgegeven.": "No query given.",
    # query time limit
    "De query is na {s} s gestopt (de tijdslimiet). Maak hem selectiever of voeg een LIMIT toe.":
        "The query was stopped after {s} s (the time limit). Make it more selective or add "
        "a LIMIT.",
    "tijdslimiet {s} s": "time limit {s} s",
    "Te groot": "Too large",
    "Beheerderstoken": "Administrator token",
    "Alleen een beheerder kan vanaf de website laden: het beheerderstoken ontbreekt of klopt "
    "niet.":
        "Only an administrator can load from the website: the administrator token is missing "
        "or wrong.",
    "De inventaris heeft geen fouten. Laden vanaf de website staat uit (er is geen "
    "beheerderstoken ingesteld); laad hem met het commando:":
        "The inventory has no errors. Loading from the website is switched off (no "
        "administrator token is set); load it with the command:",
    "Het verzoek of bestand is groter dan deze server aanneemt.":
        "The request or file is larger than this server accepts.",
    "FROM en FROM NAMED worden niet ondersteund: de standaardgraaf is de vereniging van alle "
    "grafen. Kies een graaf met GRAPH <iri> { ... }.":
        "FROM and FROM NAMED are not supported: the default graph is the union of all graphs. "
        "Pick a graph with GRAPH <iri> { ... }.",
    # counts
    "{n} rij": "{n} row",
    "{n} rijen": "{n} rows",
    # valideren (inventory validation)
    "Valideren": "Validate",
    "Validatierapport": "Validation report",
    "Bestand": "File",
    "Controleer een inventaris van arrangementen, contracten en taakuitvoeringen voordat u "
    "die gebruikt. U ziet per gegeven wat er mis is, waar, en hoe u het oplost. Er wordt niets "
    "opgeslagen, tenzij u daarna zelf kiest een inventaris zonder fouten te laden.":
        "Check an inventory of arrangements, contracts and task executions before you use it. "
        "For every record you see what is wrong, where, and how to fix it. Nothing is stored "
        "unless you then choose to load an inventory without errors.",
    "Turtle, JSON-LD, N-Triples, Excel (.xlsx, het sjabloon van sdgraph template) of CSV; "
    "hoogstens {n} MB.":
        "Turtle, JSON-LD, N-Triples, Excel (.xlsx, the template of sdgraph template) or CSV; "
        "at most {n} MB.",
    "Het formulier is verlopen of ongeldig; laad de pagina opnieuw.":
        "The form has expired or is invalid; reload the page.",
    "Dit validatierapport bestaat niet (meer); upload het bestand opnieuw.":
        "This validation report does not exist (any more); upload the file again.",
    "Kies een bestand om te valideren.": "Choose a file to validate.",
    "Dit soort bestand wordt niet ondersteund; gebruik {types}.":
        "This kind of file is not supported; use {types}.",
    "Ongeldige peildatum: {value} (gebruik JJJJ-MM-DD).":
        "Invalid reference date: {value} (use YYYY-MM-DD).",
    "Een inventaris met fouten wordt niet geladen.": "An inventory with errors is not loaded.",
    "Geladen in de opslag": "Loaded into the store",
    "De inventaris heeft geen fouten. U kunt hem nu in de opslag laden; dat gebeurt in één "
    "keer en wordt met herkomst vastgelegd.":
        "The inventory has no errors. You can now load it into the store; that happens in one "
        "step and is recorded with its provenance.",
    "Inventaris laden": "Load inventory",
    "Los eerst de fouten op; een inventaris met fouten kan niet worden geladen.":
        "Fix the errors first; an inventory with errors cannot be loaded.",
    "Nog een bestand valideren": "Validate another file",
    # overlap (regio-indelingen and GRs: heatmap, pairs, one gemeente)
    "Overlap": "Overlap",
    "Analyse": "Analysis",
    "Hoe de regio-indelingen (jeugdregio, Wmo-regio, arbeidsmarktregio, ...) en de "
    "gemeenschappelijke regelingen elkaar overlappen: welke gemeenten samen in een regio "
    "zitten in de ene indeling en in de andere.":
        "How the regional divisions (youth care, Wmo, labour market regions, ...) and the "
        "joint arrangements overlap: which gemeenten share a region in one division and in "
        "the other.",
    "Indeling A": "Division A",
    "Indeling B": "Division B",
    "Gemeente (GM-code)": "Gemeente (GM code)",
    "Indelingen naast elkaar": "Divisions side by side",
    "Paren": "Pairs",
    "Regio's en regelingen van de gemeente": "Regions and joint arrangements of the gemeente",
    "Per paar regio-indelingen A en B (de indelingen uit de vocabulaire met leden op de "
    "peildatum): van de paren gemeenten die in beide indelingen voorkomen, het deel dat in A "
    "samen in een regio zit én in B. Met T(A) de paren gemeenten die in A een regio delen:":
        "Per pair of regional divisions A and B (the divisions of the vocabulary with members on "
        "the reference date): of the pairs of gemeenten found in both divisions, the share that "
        "is together in a region in A and in B. With T(A) the pairs of gemeenten that share a "
        "region in A:",
    "1 = de indelingen groeperen de gemeenten precies hetzelfde; 0 = geen twee gemeenten "
    "zitten in beide samen; – = geen van beide zet twee van de gedeelde gemeenten samen.":
        "1 = the divisions group the gemeenten exactly alike; 0 = no two gemeenten are together "
        "in both; – = neither puts two of the shared gemeenten together.",
    "regio's": "regions",
    "gemeenten": "gemeenten",
    "{a} en {b}: {samen} van {unie} paren samen in beide; {gemeenten} gemeenten in beide":
        "{a} and {b}: {samen} of {unie} pairs together in both; {gemeenten} gemeenten in both",
    "Geen regio-indelingen met leden op deze peildatum.":
        "No regional divisions with members on this reference date.",
    "{n} indelingen": "{n} divisions",
    "Geen paren die gemeenten delen op deze peildatum.":
        "No pairs sharing gemeenten on this reference date.",
    "Referentie": "Reference",
    "Geen regio's of regelingen voor deze gemeente op deze peildatum.":
        "No regions or joint arrangements for this gemeente on this reference date.",
    "Geef een gemeente op met ?gemeente=...": "Give a gemeente with ?gemeente=...",
    # scenario's (scenario impact)
    "eindigt": "ends", "wijzigt": "changes", "start": "starts", "gaten": "gaps",
    "dubbel werk": "double work", "contracten": "contracts", "aanbieders": "providers",
    "partners": "partners", "zetels": "seats", "stemmen": "votes",
    "Zeggenschap (%)": "Own control (%)", "Integraal werken": "Integral working",
    "Complexiteit": "Complexity", "Kosten (EUR)": "Cost (EUR)",
    "Transitierisico": "Transition risk",
    "Uittreding": "Leaving", "Toetreding": "Joining", "Eigen regie": "In-house",
    "Overdracht": "Transfer", "Doordecentralisatie": "Decentralisation",
    "opzeggen": "terminate", "heronderhandelen": "renegotiate",
    "loopt vanzelf af": "ends by itself",
    "Het eigen scenario is te lang (meer dan {n} tekens).":
        "The own scenario is too long (more than {n} characters).",
    "eigen scenario": "own scenario",
    "Kies ten minste één scenario.": "Choose at least one scenario.",
    "Vergelijk hoogstens {n} scenario's tegelijk.": "Compare at most {n} scenarios at a time.",
    "Een scenario is twee keer gekozen.": "A scenario was chosen twice.",
    "Geen scenario nummer {n} in deze keuze.": "No scenario number {n} in this selection.",
    "nr moet een geheel getal zijn.": "nr must be a whole number.",
    "Scenario's": "Scenarios",
    "Scenario's vergelijken": "Compare scenarios",
    "Wat verandert er per deelgebied (toegang, backoffice, visie en beleid, inkoop, governance) "
    "als een gemeente uittreedt, toetreedt, taken zelf gaat doen, overdraagt of beschermd wonen "
    "en maatschappelijke opvang gedecentraliseerd krijgt? Kies scenario's, vergelijk ze naast "
    "elkaar en weeg de criteria. De opgeslagen graaf verandert niet: elk scenario wordt op een "
    "kopie doorgerekend.":
        "What changes per deelgebied (access, back office, vision and policy, procurement, "
        "governance) when a municipality leaves, joins, takes tasks in-house, transfers them or "
        "gets sheltered housing and social shelter decentralised? Choose scenarios, compare "
        "them side by side and weigh the criteria. The stored graph does not change: every "
        "scenario is computed on a copy.",
    "Scenario's uit de voorbeelden": "Scenarios from the examples",
    "Kies": "Choose",
    "Scenario": "Scenario",
    "Voorbeeld": "Example",
    "Voor een andere gemeente (optioneel)": "For another municipality (optional)",
    "Leeg: de gemeente van elk scenario.": "Empty: each scenario's own municipality.",
    "Vergelijk": "Compare",
    "Eigen scenario (YAML)": "Own scenario (YAML)",
    "Beschrijf een scenario in de YAML-vorm van docs/scenarios.md; het wordt vergeleken met de "
    "gekozen scenario's hierboven.":
        "Describe a scenario in the YAML form of docs/scenarios.md; it is compared with the "
        "scenarios chosen above.",
    "Scenario (YAML)": "Scenario (YAML)",
    "Scenariovergelijking": "Scenario comparison",
    "bron": "source",
    "besluitdatum": "decision date",
    "Gegevens met het label 'illustratief' zijn verzonnen voorbeelden. Elk getal is terug te "
    "voeren op de knopen en bronnen in de details.":
        "Facts labelled 'illustrative' are made-up examples. Every number traces back to the "
        "nodes and sources in the details.",
    "Inhoud": "Contents",
    "Matrix": "Matrix",
    "Criteria": "Criteria",
    "Rangorde": "Ranking",
    "Details": "Details",
    "Matrix: scenario x deelgebied": "Matrix: scenario x deelgebied",
    "geen veranderingen": "no changes",
    "details": "details",
    "Cellen (taak x deelgebied) die eindigen, wijzigen of starten; verandering in gaten, dubbel "
    "werk en partners; contracten om op te zeggen of te heronderhandelen en de aanbieders "
    "daarvan; verandering in zetels en stemmen.":
        "Cells (task x deelgebied) that end, change or start; change in gaps, double work and "
        "partners; contracts to terminate or renegotiate and their providers; change in seats "
        "and votes.",
    "Gewicht": "Weight",
    "Herbereken": "Recompute",
    "hoger is beter": "higher is better",
    "lager is beter": "lower is better",
    "Totaal": "Total",
    "voor": "before",
    "score": "score",
    "Score 0-10 per criterium over de vergeleken scenario's (10 = best; allemaal gelijk: "
    "allemaal 10); totaal = som(gewicht x score) / som(gewichten).":
        "Score 0-10 per criterion over the compared scenarios (10 = best; all equal: all 10); "
        "total = sum(weight x score) / sum(weights).",
    "Formules met de getallen": "Formulas with the numbers",
    "rapport (HTML, afdrukbaar)": "report (HTML, printable)",
    "alle contracten kunnen uiterlijk eindigen op": "all contracts can end at the latest on",
    "Netwerk voor en na": "Network before and after",
    "na": "after",
    "dubbel werk na het scenario": "double work after the scenario",
    "Actie": "Action",
    "Opzegtermijn (maanden)": "Notice period (months)",
    "Vroegste einde": "Earliest end",
    "Aandeel": "Share",
    "Frictiekosten (EUR)": "Transition costs (EUR)",
    "Exitclausule": "Exit clause",
    "Aanbieders": "Providers",
    "Zetels": "Seats",
    "Partners in dit deelgebied": "Partners in this deelgebied",
    "Lidmaatschappen": "Memberships",
    "eindigen": "end",
    "starten": "start",
    "Partners en arrangementen": "Partners and arrangements",
    "arrangementen": "arrangements",
    "partnergemeenten": "partner municipalities",
    "Partnerorganisaties na het scenario": "Partner organisations after the scenario",
    "Klantreizen": "Client journeys",
    "Organisaties voor → na": "Organisations before → after",
    "Overdrachten voor → na": "Hand-overs before → after",
    "Organisaties na": "Organisations after",
    "Geldstromen": "Money flows",
    "Ontvanger": "Receiver",
    "Verdeling": "Distribution",
    "De samenwerkingslijnen van {naam} op de peildatum, voor en na het scenario; dezelfde "
    "lijnen als de netwerkpagina van de gemeente.":
        "The lines of cooperation of {naam} on the reference date, before and after the "
        "scenario; the same lines as the municipality's network page.",
    "Netwerk nu": "Network now",
    "Voor": "Before",
    "Netwerk voor het scenario": "Network before the scenario",
    "Na": "After",
    "Netwerk na het scenario": "Network after the scenario",
    "lijnen blijven": "lines stay",
    "Lijnen die verdwijnen": "Lines that go",
    "Nieuwe lijnen": "New lines",
}

CATALOGS: dict[str, dict[str, str]] = {"nl": {}, "en": EN}


def current() -> str:
    return g.get("lang", DEFAULT)


def gettext(text: str, **values: Any) -> str:
    """Translate ``text`` into the page's language and fill in ``{name}`` values."""
    out = CATALOGS.get(current(), {}).get(text, text)
    return out.format(**values) if values else out


def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
    return gettext(singular if n == 1 else plural, n=n, **values)


def rows(n: int) -> str:
    return ngettext("{n} rij", "{n} rijen", n)


def lang_url(lang: str) -> str:
    """This page's URL with ``lang`` set (other query arguments kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    if request.endpoint is None:
        return "?lang=" + lang
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def _choose() -> None:
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        g.lang = asked
        g.lang_asked = True
        return
    cookie = request.cookies.get(_cookie_name(), "")
    g.lang = cookie if cookie in LANGUAGES else DEFAULT


def _cookie_name() -> str:
    from flask import current_app

    return current_app.config.get("LANG_COOKIE", "sdgraph_lang")


def init_app(app: Flask) -> None:
    app.before_request(_choose)

    @app.after_request
    def remember(response):
        if g.get("lang_asked"):
            response.set_cookie(_cookie_name(), g.lang, max_age=COOKIE_AGE, samesite="Lax",
                                httponly=True)
        response.headers.setdefault("Content-Language", g.get("lang", DEFAULT))
        response.vary.add("Cookie")
        return response

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"_": gettext, "ngettext": ngettext, "rows_label": rows,
                "lang": current(), "lang_url": lang_url, "languages": LANGUAGES}
