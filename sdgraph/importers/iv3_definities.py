"""The official Iv3 code lists (CBS "Iv3 definitiebestand") and the size and urbanisation
classes of the Iv3 files, as SKOS concepts.

* ``iv3-definities/iv3_definities_Gemeente_<boekjaar>.json``: the taakvelden of the
  sociaal domein (6.x) with their full names, one ``skos:ConceptScheme`` per boekjaar
  (``sdid:iv3-taakvelden/2025``) and one ``skos:Concept`` per code
  (``sdid:iv3-taakveld/2025/6.711``: ``skos:notation``, ``skos:prefLabel``). An Iv3
  dataset is linked to the list of its own boekjaar, or the nearest one in the folder
  (:func:`nearest_list`), since the Iv3 CSV files cut taakveld names at ~40 characters.
* ``Gemeentegrootte`` and ``Stedelijkheid`` (columns of the Iv3 files, e.g.
  ``10000tot20000inwoners`` and ``Weinigstedelijk``): :func:`grootteklasse` and
  :func:`stedelijkheidsklasse` read them into concepts ``sdid:gemeentegrootte/10000-20000``
  and ``sdid:stedelijkheid/weinig-stedelijk`` with Dutch and English names and an order.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..namespaces import SDID

#: Code lists of gemeenten: iv3_definities_Gemeente_<boekjaar>.json
DEFINITIES = re.compile(r"^iv3_definities_Gemeente_(\d{4})\.json$")
SOCIAAL_DOMEIN = re.compile(r"^6\.\d+[a-z0-9]*$")


@dataclass(frozen=True)
class Taakveld:
    code: str
    naam: str


@dataclass(frozen=True)
class Codelijst:
    boekjaar: str
    titel: str  # the list's own description, e.g. "Iv3 definitiebestand versie 2.1"
    bestand: str
    taakvelden: tuple[Taakveld, ...]


def lijst_iri(boekjaar: str) -> str:
    return str(SDID[f"iv3-taakvelden/{boekjaar}"])


def taakveld_iri(boekjaar: str, code: str) -> str:
    return str(SDID[f"iv3-taakveld/{boekjaar}/{code}"])


def read_lists(folder: Path, warn) -> list[Codelijst]:
    """The gemeente code lists in ``folder`` (``iv3-definities/``); a file that cannot be read
    is reported through ``warn(path, row, message)`` and skipped."""
    found = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        match = DEFINITIES.match(path.name)
        if not match:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            meta = data.get("metadata") or {}
            codes = data["codelijsten"]["taakveld"]["codelijst"]
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            warn(path, None, f"not an Iv3 code list ({type(exc).__name__}: {exc}); not imported")
            continue
        taakvelden: dict[str, Taakveld] = {}
        _walk(codes, taakvelden)
        boekjaar = str(meta.get("boekjaar") or match.group(1))
        titel = " ".join(str(meta.get("omschrijving") or "Iv3 definitiebestand").split())
        found.append(Codelijst(boekjaar, titel, f"iv3-definities/{path.name}",
                               tuple(taakvelden.values())))
    return found


def _walk(items: object, found: dict[str, Taakveld]) -> None:
    """The 6.x taakvelden with a name anywhere in a nested code list."""
    if not isinstance(items, list):
        return
    for item in items:
        if not isinstance(item, dict):
            continue
        code = str(item.get("code") or "").strip()
        naam = " ".join(str(item.get("omschrijving") or "").split())
        if SOCIAAL_DOMEIN.match(code) and naam:
            found.setdefault(code, Taakveld(code, naam))
        _walk(item.get("subcodes"), found)


def nearest_list(lists: list[Codelijst], year: str) -> Codelijst | None:
    """The code list of boekjaar ``year``, else the nearest (a later one first on a tie)."""
    if not lists:
        return None
    return min(lists, key=lambda c: (abs(int(c.boekjaar) - int(year)),
                                     int(c.boekjaar) < int(year)))


# --------------------------------------------------------------------------- classes

@dataclass(frozen=True)
class Klasse:
    """A size or urbanisation class: concept IRI, order (small/rural first), names."""

    iri: str
    orde: int
    nl: str
    en: str
    schema: str  # the concept scheme's IRI


GROOTTE_SCHEMA = str(SDID["gemeentegrootte"])
STEDELIJKHEID_SCHEMA = str(SDID["stedelijkheid"])

_MINDER = re.compile(r"^minderdan(\d+)inwoners$")
_TOT = re.compile(r"^(\d+)tot(\d+)inwoners$")
_MEER = re.compile(r"^(\d+)inwonersofmeer$")


def _nl(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _en(n: int) -> str:
    return f"{n:,}"


def grootteklasse(value: str) -> Klasse | None:
    """'10000tot20000inwoners' -> the class 10.000 tot 20.000 inwoners; None if unreadable."""
    v = value.strip().lower().replace(" ", "")
    if m := _MINDER.match(v):
        n = int(m.group(1))
        return Klasse(str(SDID[f"gemeentegrootte/minder-dan-{n}"]), 0,
                      f"minder dan {_nl(n)} inwoners", f"fewer than {_en(n)} inhabitants",
                      GROOTTE_SCHEMA)
    if m := _TOT.match(v):
        a, b = int(m.group(1)), int(m.group(2))
        return Klasse(str(SDID[f"gemeentegrootte/{a}-{b}"]), a,
                      f"{_nl(a)} tot {_nl(b)} inwoners", f"{_en(a)} to {_en(b)} inhabitants",
                      GROOTTE_SCHEMA)
    if m := _MEER.match(v):
        n = int(m.group(1))
        return Klasse(str(SDID[f"gemeentegrootte/{n}-of-meer"]), n,
                      f"{_nl(n)} inwoners of meer", f"{_en(n)} inhabitants or more",
                      GROOTTE_SCHEMA)
    return None


#: CBS's five urbanisation classes (omgevingsadressendichtheid), least urban first.
STEDELIJKHEID = {
    "nietstedelijk": ("niet-stedelijk", 1, "niet stedelijk", "not urbanised"),
    "weinigstedelijk": ("weinig-stedelijk", 2, "weinig stedelijk", "hardly urbanised"),
    "matigstedelijk": ("matig-stedelijk", 3, "matig stedelijk", "moderately urbanised"),
    "sterkstedelijk": ("sterk-stedelijk", 4, "sterk stedelijk", "strongly urbanised"),
    "zeersterkstedelijk": ("zeer-sterk-stedelijk", 5, "zeer sterk stedelijk",
                           "extremely urbanised"),
}


def stedelijkheidsklasse(value: str) -> Klasse | None:
    """'Weinigstedelijk' -> the class weinig stedelijk; None if unreadable."""
    found = STEDELIJKHEID.get(value.strip().lower().replace(" ", ""))
    if found is None:
        return None
    slug, orde, nl, en = found
    return Klasse(str(SDID[f"stedelijkheid/{slug}"]), orde, nl, en, STEDELIJKHEID_SCHEMA)
