"""Identity of gemeenten: one node whatever a source calls them.

CBS codes with or without "GM", with or without leading zeros, and TOOI IRIs
all map to the TOOI IRI ``https://identifier.overheid.nl/tooi/id/gemeente/gmNNNN``.
"""

from __future__ import annotations

import re
import unicodedata

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
