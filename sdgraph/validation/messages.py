"""The words of a validation report, and how-to-fix hints (Dutch; English and other
languages come from the catalogue, :mod:`sdgraph.i18n`).

The shapes carry the message of each rule (``sh:message`` in nl and en) and,
for the SHACL-SPARQL rules, a hint (``sdsh:oplossing``). For SHACL Core rules
the hint depends on what failed (a missing value, a wrong date, an unknown
organisation), so it is written here once per constraint component.
"""

from __future__ import annotations

from ..i18n import N_, gettext

#: Words of the report, by key.
WORDS: dict[str, str] = {
    "Violation": N_("fout"),
    "Warning": N_("waarschuwing"),
    "Info": N_("opmerking"),
    "Violation+": N_("fouten"),
    "Warning+": N_("waarschuwingen"),
    "Info+": N_("opmerkingen"),
    "title": N_("Validatierapport"),
    "conforms": N_("Voldoet: geen fouten."),
    "conforms_warnings": N_("Voldoet: geen fouten, wel waarschuwingen."),
    "fails": N_("Voldoet niet."),
    "files": N_("Bestanden"),
    "peildatum": N_("Peildatum"),
    "reference": N_("Vergeleken met het register"),
    "yes": N_("ja"),
    "no": N_("nee"),
    "engine": N_("Validator"),
    "seconds": N_("Duur"),
    "triples": N_("triples"),
    "field": N_("veld"),
    "value": N_("waarde"),
    "fix": N_("oplossing"),
    "where": N_("plaats"),
    "rule": N_("regel"),
    "severity": N_("ernst"),
    "message": N_("melding"),
    "record": N_("gegeven"),
    "none": N_("geen meldingen"),
    "sheet_row": N_("blad {sheet}, rij {row}"),
    "file_line": N_("bestand {file}"),
    "unknown": N_("onbekend"),
    "overview": N_("Overzicht"),
    "as_read": N_("Wat de inventaris hierover zegt"),
    "no_reference": N_("Of valideer met de opslag (--reference): dan komen bestaande "
                       "organisaties, taken en wetten daaruit."),
}

#: How to fix a failed SHACL Core constraint, per constraint component (local name).
HINTS: dict[str, str] = {
    "MinCountConstraintComponent": N_("Vul '{field}' in."),
    "MaxCountConstraintComponent": N_("Laat één waarde voor '{field}' over."),
    "DatatypeConstraintComponent": N_("Schrijf '{field}' als {datatype}."),
    "PatternConstraintComponent": N_("Schrijf '{field}' in de gevraagde vorm (zie de melding)."),
    "ClassConstraintComponent":
        N_("Kies voor '{field}' een bestaande {cls} uit de lijst, of voeg die eerst toe."),
    # the same for a Dutch neuter noun (het deelgebied: een bestaand deelgebied)
    "ClassConstraintComponent/het":
        N_("Kies voor '{field}' een bestaand {cls} uit de lijst, of voeg dat eerst toe."),
    "OrConstraintComponent": N_("Kies voor '{field}' een bestaande waarde van de gevraagde soort."),
    "InConstraintComponent": N_("Kies voor '{field}' een van de waarden uit de keuzelijst."),
    "NodeKindConstraintComponent": N_("Geef een verwijzing (code of IRI) in plaats van tekst."),
    "LessThanOrEqualsConstraintComponent": N_("Zet de einddatum op of na de begindatum."),
    "MinInclusiveConstraintComponent": N_("Geef voor '{field}' een groter getal."),
    "MaxInclusiveConstraintComponent": N_("Geef voor '{field}' een kleiner getal."),
    "UniqueLangConstraintComponent": N_("Laat per taal één waarde voor '{field}' over."),
}

#: Readable names of datatypes in hints.
DATATYPES: dict[str, str] = {
    "date": N_("datum (JJJJ-MM-DD)"),
    "gYear": N_("jaartal (JJJJ)"),
    "decimal": N_("getal (bijv. 12.5)"),
    "integer": N_("geheel getal"),
    "nonNegativeInteger": N_("geheel getal van 0 of meer"),
    "boolean": N_("ja of nee"),
    "string": N_("gewone tekst"),
    "langString": N_("tekst met een taal"),
}

#: What a value of the wrong datatype gets as message (the shape's own message is about
#: the number of values, which is not what went wrong).
DATATYPE_MESSAGE = N_("'{value}' is geen {datatype}.")

#: Dutch nouns with the article 'het' among the class names used in hints (a neuter noun
#: takes 'een bestaand ...', the others 'een bestaande ...').
NEUTER = frozenset({"arrangement", "arrangementtype", "bestuursorgaan", "deelgebied",
                    "samenwerkingsverband", "lidmaatschap", "mandaat", "orgaan", "taakveld"})

#: Names of classes from other vocabularies, used in hints.
CLASSES: dict[str, str] = {
    "http://www.w3.org/ns/org#Organization": N_("organisatie"),
}


def word(key: str, lang: str, **values: object) -> str:
    """The word ``key`` of the report in ``lang``, with its ``{name}`` values filled in."""
    return gettext(WORDS[key], lang, **values)
