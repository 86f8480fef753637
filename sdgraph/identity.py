"""Identity of gemeenten: one node whatever a source calls them.

CBS codes with or without "GM", with or without leading zeros, and TOOI IRIs
all map to the TOOI IRI ``https://identifier.overheid.nl/tooi/id/gemeente/gmNNNN``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rdflib import URIRef

from .namespaces import TOOI_GEMEENTE

_GM_CODE = re.compile(r"^(?:gm)?(\d{1,4})$", re.I)
_TOOI = re.compile(re.escape(str(TOOI_GEMEENTE)) + r"(gm\d{4})$")


def gemeente_code(value: str) -> str | None:
    """'823', '0823', 'GM0823', 'gm823' or a TOOI IRI -> 'gm0823'; anything else -> None."""
    value = value.strip()
    m = _GM_CODE.match(value)
    if m:
        return f"gm{int(m.group(1)):04d}"
    m = _TOOI.match(value)
    return m.group(1) if m else None


def gemeente_iri(value: str) -> URIRef:
    """The TOOI IRI of a gemeente given any of its codes; ValueError if it is none."""
    code = gemeente_code(value)
    if code is None:
        raise ValueError(
            f"not a gemeente: {value!r} (use a CBS code like GM0823 or a TOOI IRI like "
            f"{TOOI_GEMEENTE}gm0823)"
        )
    return TOOI_GEMEENTE[code]


def slugify(text: str) -> str:
    """'Zuid-Oost Brabant' -> 'zuid-oost-brabant': ASCII, lower case, '-' between words."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


#: Everyday names of gemeenten that the TOOI register does not record (it has "Den Haag"
#: beside "'s-Gravenhage", but not "Den Bosch"); RegioAtlas names regio's after them.
ALIASSEN = {"den bosch": "'s-hertogenbosch"}


def _name_key(name: str) -> str:
    """'Gemeente  Haaren ' -> 'haaren': case, spacing and the word 'gemeente' do not count."""
    key = " ".join(name.split()).casefold()
    return key[len("gemeente ") :] if key.startswith("gemeente ") else key


@dataclass(frozen=True)
class GemeenteLeven:
    """One gemeente's name and lifetime; ``end`` is exclusive (None: still exists)."""

    code: str
    name: str
    begin: date | None = None
    end: date | None = None

    def exists_on(self, day: date) -> bool:
        return (self.begin is None or self.begin <= day) and (self.end is None or day < self.end)


class GemeenteNamen:
    """Resolve a gemeente name on a date to the gemeente that bore it then.

    Names are not identities: 'Haaren' is GM0788 until 2021 and nothing after
    it. A source that names gemeenten (CBS StatLine titles, Iv3 files) is
    linked to the historic gemeente valid on the date of its figures; that
    gemeente's successors are reachable through ``sd:opgevolgdDoor``.
    """

    def __init__(self, levens: Iterable[GemeenteLeven]) -> None:
        self._by_name: dict[str, list[GemeenteLeven]] = {}
        self._by_code: dict[str, GemeenteLeven] = {}
        for leven in levens:
            self._by_name.setdefault(_name_key(leven.name), []).append(leven)
            self._by_code.setdefault(leven.code, leven)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_name.values())

    def leven(self, code: str) -> GemeenteLeven | None:
        """The lifetime of the gemeente with this code ('gm0788'), if the register has it."""
        return self._by_code.get(code)

    def resolve(self, name: str, day: date) -> str | None:
        """The code ('gm0788') of the gemeente named ``name`` (or one of the
        :data:`ALIASSEN`) on ``day``, if exactly one."""
        key = _name_key(name)
        levens = self._by_name.get(key) or self._by_name.get(ALIASSEN.get(key, ""), ())
        found = {x.code for x in levens if x.exists_on(day)}
        return found.pop() if len(found) == 1 else None
