"""The record model both ROO readers produce: one :class:`GRVersion` per version of a
regeling (one ROO record), with its :class:`Deelnemer` entries as the register states them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_WS = re.compile(r"\s+")


# --------------------------------------------------------------------------- record model


@dataclass
class Deelnemer:
    naam: str | None
    tooi: str | None
    roo_id: str | None = None
    toetredingsdatum: str | None = None
    uittredingsdatum: str | None = None
    verdeelsleutel: str | None = None
    #: (name, OWMS IRI or None) of each organ of the deelnemer taking part
    bestuursorganen: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class GRVersion:
    file: str
    position: str  # where in the file (record id, or "regeling <n>")
    roo_id: str | None
    titel: str | None
    citeertitel: str | None
    valid_from: str | None
    valid_until: str | None = None
    vorm_afkorting: str | None = None
    vorm_naam: str | None = None
    doel: str | None = None
    bevoegdheden: list[str] = field(default_factory=list)
    grondslagen: list[str] = field(default_factory=list)
    so_tooi: str | None = None
    so_roo_id: str | None = None
    so_naam: str | None = None
    previous_roo_id: str | None = None
    next_roo_id: str | None = None
    deelnemers: list[Deelnemer] = field(default_factory=list)


def _text(value: Any) -> str | None:
    """Clean text: no zero-width characters, single spaces, None when empty."""
    if value is None:
        return None
    text = _WS.sub(" ", str(value).translate(_INVISIBLE)).strip()
    return text or None


def _join_bevoegdheid(kop: Any, inhoud: Any) -> str | None:
    kop, inhoud = _text(kop), _text(inhoud)
    if kop and inhoud:
        return f"{kop}: {inhoud}"
    return kop or inhoud

