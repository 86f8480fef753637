"""The baseline's rule table (``data/rules/basislijn.yaml``): read and checked.

The table is data a domain expert reads and extends (the file's header explains the
kinds of rule); :mod:`sdgraph.derive.baseline` applies it. Loading checks every rule
and names the file and the rule id of anything wrong: an unknown key or kind, a taak or
deelgebied that is not in the vocabulary, a duplicate id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError
from ..namespaces import SDID
from ..resources import resource_dir

KINDS = ("gr", "regio", "aanname")
UITVOERDERS = {"gr": ("gr",), "regio": ("regio", "centrumgemeente"), "aanname": ("gemeente",)}
KEYS = {"id", "soort", "prioriteit", "taken", "deelgebieden",
        "deelgebieden_bedrijfsvoeringsorganisatie", "regioindeling", "uitvoerder",
        "via_voorgangers", "voorgangers_volgens", "actief", "uitgezonderd", "tenzij_gr_wet",
        "bron", "toelichting", "toelichting_en"}


def rules_file() -> Path:
    return resource_dir("data") / "rules" / "basislijn.yaml"


@dataclass(frozen=True)
class Regel:
    """One rule of the table (field names as in the YAML file)."""

    id: str
    soort: str
    prioriteit: int
    taken: tuple[str, ...] = ()
    deelgebieden: tuple[str, ...] = ()
    deelgebieden_bvo: tuple[str, ...] | None = None
    regioindeling: str | None = None
    uitvoerder: str = "gemeente"
    via_voorgangers: bool = False
    voorgangers_volgens: str | None = None  # an indeling slug that picks among predecessors
    actief: bool = True
    uitgezonderd: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tenzij_gr_wet: tuple[str, ...] = ()
    bron: str = ""
    toelichting: str = ""
    toelichting_en: str = ""

    @property
    def iri(self) -> str:
        return str(SDID[f"afleidingsregel/{self.id}"])

    @property
    def indeling_iri(self) -> str | None:
        return str(SDID[f"regioindeling/{self.regioindeling}"]) if self.regioindeling else None

    @property
    def anker_iri(self) -> str | None:
        """The indeling of ``voorgangers_volgens``."""
        return (str(SDID[f"regioindeling/{self.voorgangers_volgens}"])
                if self.voorgangers_volgens else None)


@dataclass(frozen=True)
class Regeltabel:
    versie: str
    vanaf: date
    regels: tuple[Regel, ...]
    bestand: str = ""

    @property
    def actief(self) -> list[Regel]:
        return [r for r in self.regels if r.actief]

    def regel(self, rule_id: str) -> Regel:
        return next(r for r in self.regels if r.id == rule_id)


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(f"{where}: '{key}' must be a list of slugs")
    return tuple(value)


def load_rules(path: Path | None = None, taken: set[str] | None = None,
               deelgebieden: set[str] | None = None) -> Regeltabel:
    """Read and check the rule table; ``taken``/``deelgebieden`` (slugs) check the cells."""
    path = Path(path) if path else rules_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: not a readable rule table ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("regels"), list):
        raise DataError(f"{path}: expected a mapping with 'versie', 'vanaf' and 'regels'")
    try:
        vanaf = date.fromisoformat(str(data.get("vanaf")))
    except ValueError:
        raise DataError(f"{path}: 'vanaf' is not a date (YYYY-MM-DD)") from None
    rules: list[Regel] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["regels"], start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise DataError(f"{path}: rule {i} has no id")
        where = f"{path}, rule {raw['id']}"
        unknown = sorted(set(raw) - KEYS)
        if unknown:
            known = ", ".join(sorted(KEYS))
            raise DataError(f"{where}: unknown key '{unknown[0]}' (known: {known})")
        if raw["id"] in seen:
            raise DataError(f"{where}: the id is used twice")
        seen.add(raw["id"])
        soort = raw.get("soort")
        if soort not in KINDS:
            raise DataError(f"{where}: soort must be one of {', '.join(KINDS)}")
        uitvoerder = raw.get("uitvoerder", UITVOERDERS[soort][0])
        if uitvoerder not in UITVOERDERS[soort]:
            raise DataError(f"{where}: uitvoerder of a {soort} rule must be one of "
                            f"{', '.join(UITVOERDERS[soort])}")
        if soort == "regio" and not raw.get("regioindeling"):
            raise DataError(f"{where}: a regio rule needs a regioindeling")
        volgens = raw.get("voorgangers_volgens")
        if volgens is not None and (not isinstance(volgens, str) or not raw.get("via_voorgangers")):
            raise DataError(f"{where}: 'voorgangers_volgens' is the slug of a regioindeling "
                            "and needs via_voorgangers: true")
        uitgezonderd = raw.get("uitgezonderd") or {}
        if not isinstance(uitgezonderd, dict):
            raise DataError(f"{where}: 'uitgezonderd' must map taken to lists of deelgebieden")
        rule = Regel(
            id=raw["id"], soort=soort, prioriteit=int(raw.get("prioriteit", 5)),
            taken=_strings(raw.get("taken"), where, "taken"),
            deelgebieden=_strings(raw.get("deelgebieden"), where, "deelgebieden"),
            deelgebieden_bvo=(_strings(raw["deelgebieden_bedrijfsvoeringsorganisatie"], where,
                                       "deelgebieden_bedrijfsvoeringsorganisatie")
                              if "deelgebieden_bedrijfsvoeringsorganisatie" in raw else None),
            regioindeling=raw.get("regioindeling"), uitvoerder=uitvoerder,
            via_voorgangers=bool(raw.get("via_voorgangers", False)),
            voorgangers_volgens=volgens,
            actief=bool(raw.get("actief", True)),
            uitgezonderd={t: _strings(d, where, f"uitgezonderd/{t}")
                          for t, d in uitgezonderd.items()},
            tenzij_gr_wet=_strings(raw.get("tenzij_gr_wet"), where, "tenzij_gr_wet"),
            bron=str(raw.get("bron", "")).strip(),
            toelichting=str(raw.get("toelichting", "")).strip(),
            toelichting_en=str(raw.get("toelichting_en", "")).strip(),
        )
        if not rule.bron or not rule.toelichting:
            raise DataError(f"{where}: every rule needs a bron and a toelichting")
        for slug in (*rule.taken, *rule.uitgezonderd):
            if taken is not None and slug not in taken:
                raise DataError(f"{where}: '{slug}' is not a taak of the vocabulary")
        used = (*rule.deelgebieden, *(rule.deelgebieden_bvo or ()), *rule.tenzij_gr_wet,
                *(d for ds in rule.uitgezonderd.values() for d in ds))
        for slug in used:
            if deelgebieden is not None and slug not in deelgebieden:
                raise DataError(f"{where}: '{slug}' is not a deelgebied of the vocabulary")
        rules.append(rule)
    return Regeltabel(versie=str(data.get("versie", "")), vanaf=vanaf, regels=tuple(rules),
                      bestand=str(path))
