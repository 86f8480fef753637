"""Dutch and English words of a validation report, and how-to-fix hints.

The shapes carry the message of each rule (``sh:message`` in nl and en) and,
for the SHACL-SPARQL rules, a hint (``sdsh:oplossing``). For SHACL Core rules
the hint depends on what failed (a missing value, a wrong date, an unknown
organisation), so it is written here once per constraint component.
"""

from __future__ import annotations

LANGS = ("nl", "en")

WORDS: dict[str, dict[str, str]] = {
    "Violation": {"nl": "fout", "en": "error"},
    "Warning": {"nl": "waarschuwing", "en": "warning"},
    "Info": {"nl": "opmerking", "en": "note"},
    "Violation+": {"nl": "fouten", "en": "errors"},
    "Warning+": {"nl": "waarschuwingen", "en": "warnings"},
    "Info+": {"nl": "opmerkingen", "en": "notes"},
    "title": {"nl": "Validatierapport", "en": "Validation report"},
    "conforms": {"nl": "Voldoet: geen fouten.", "en": "Conforms: no errors."},
    "conforms_warnings": {
        "nl": "Voldoet: geen fouten, wel waarschuwingen.",
        "en": "Conforms: no errors, but warnings.",
    },
    "fails": {"nl": "Voldoet niet.", "en": "Does not conform."},
    "files": {"nl": "Bestanden", "en": "Files"},
    "peildatum": {"nl": "Peildatum", "en": "Reference date"},
    "reference": {"nl": "Vergeleken met het register", "en": "Compared with the register"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "engine": {"nl": "Validator", "en": "Validator"},
    "seconds": {"nl": "Duur", "en": "Time"},
    "triples": {"nl": "triples", "en": "triples"},
    "field": {"nl": "veld", "en": "field"},
    "value": {"nl": "waarde", "en": "value"},
    "fix": {"nl": "oplossing", "en": "how to fix"},
    "where": {"nl": "plaats", "en": "where"},
    "rule": {"nl": "regel", "en": "rule"},
    "severity": {"nl": "ernst", "en": "severity"},
    "message": {"nl": "melding", "en": "message"},
    "record": {"nl": "gegeven", "en": "record"},
    "none": {"nl": "geen meldingen", "en": "no findings"},
    "sheet_row": {"nl": "blad {sheet}, rij {row}", "en": "sheet {sheet}, row {row}"},
    "file_line": {"nl": "bestand {file}", "en": "file {file}"},
}

#: How to fix a failed SHACL Core constraint, per constraint component (local name).
HINTS: dict[str, dict[str, str]] = {
    "MinCountConstraintComponent": {
        "nl": "Vul '{field}' in.",
        "en": "Fill in '{field}'.",
    },
    "MaxCountConstraintComponent": {
        "nl": "Laat één waarde voor '{field}' over.",
        "en": "Keep one value for '{field}'.",
    },
    "DatatypeConstraintComponent": {
        "nl": "Schrijf '{field}' als {datatype}.",
        "en": "Write '{field}' as {datatype}.",
    },
    "PatternConstraintComponent": {
        "nl": "Schrijf '{field}' in de gevraagde vorm (zie de melding).",
        "en": "Write '{field}' in the required form (see the message).",
    },
    "ClassConstraintComponent": {
        "nl": "Kies voor '{field}' een bestaande {cls} uit de lijst, of voeg die eerst toe.",
        "en": "Choose an existing {cls} for '{field}' from the list, or add it first.",
    },
    "OrConstraintComponent": {
        "nl": "Kies voor '{field}' een bestaande waarde van de gevraagde soort.",
        "en": "Choose an existing value of the required kind for '{field}'.",
    },
    "InConstraintComponent": {
        "nl": "Kies voor '{field}' een van de waarden uit de keuzelijst.",
        "en": "Choose one of the values in the drop-down list for '{field}'.",
    },
    "NodeKindConstraintComponent": {
        "nl": "Geef een verwijzing (code of IRI) in plaats van tekst.",
        "en": "Give a reference (code or IRI) instead of text.",
    },
    "LessThanOrEqualsConstraintComponent": {
        "nl": "Zet de einddatum op of na de begindatum.",
        "en": "Set the end date on or after the start date.",
    },
    "MinInclusiveConstraintComponent": {
        "nl": "Geef voor '{field}' een groter getal.",
        "en": "Give a larger number for '{field}'.",
    },
    "MaxInclusiveConstraintComponent": {
        "nl": "Geef voor '{field}' een kleiner getal.",
        "en": "Give a smaller number for '{field}'.",
    },
    "UniqueLangConstraintComponent": {
        "nl": "Laat per taal één waarde voor '{field}' over.",
        "en": "Keep one value per language for '{field}'.",
    },
}

#: Readable names of datatypes in hints.
DATATYPES: dict[str, dict[str, str]] = {
    "date": {"nl": "datum (JJJJ-MM-DD)", "en": "date (YYYY-MM-DD)"},
    "gYear": {"nl": "jaartal (JJJJ)", "en": "year (YYYY)"},
    "decimal": {"nl": "getal (bijv. 12.5)", "en": "number (e.g. 12.5)"},
    "integer": {"nl": "geheel getal", "en": "whole number"},
    "nonNegativeInteger": {"nl": "geheel getal van 0 of meer", "en": "whole number, 0 or more"},
    "boolean": {"nl": "ja of nee", "en": "yes or no"},
    "string": {"nl": "gewone tekst", "en": "plain text"},
    "langString": {"nl": "tekst met een taal", "en": "text with a language"},
}


#: Names of classes from other vocabularies, used in hints.
CLASSES: dict[str, dict[str, str]] = {
    "http://www.w3.org/ns/org#Organization": {"nl": "organisatie", "en": "organisation"},
}


def word(key: str, lang: str, **values: object) -> str:
    text = WORDS[key].get(lang) or WORDS[key]["nl"]
    return text.format(**values) if values else text
