"""Reader of the roo-polder YAML mirror: one file per GR version (schema
``organisatie.schema.json``). Files without a ``gr_meta`` block are records of the
samenwerkingsorganisatie itself, not of a regeling, and are passed over (counted,
no warning)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ...errors import DataError
from ..report import ImportReport
from .model import Deelnemer, GRVersion, _join_bevoegdheid, _text

GR_FOLDER = "gemeenschappelijke-regelingen"


class _StringLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe loader that keeps numbers and dates as strings (OIN, KvK: leading zeros)."""


_StringLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag.rsplit(":", 1)[-1] not in ("int", "float", "timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_StringLoader)  # noqa: S506 - a safe loader


def _gr_folder(folder: Path) -> Path:
    """Accept the roo-polder folder or its gemeenschappelijke-regelingen folder."""
    return folder / GR_FOLDER if (folder / GR_FOLDER).is_dir() else folder


def read_roo_yaml(folder: Path, report: ImportReport) -> list[GRVersion]:
    """Read every ``*.yaml`` GR-version file of ``folder`` (sorted by name)."""
    folder = _gr_folder(Path(folder))
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder")
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise DataError(f"{folder}: no *.yaml files")
    versions = []
    for path in files:
        try:
            record = _load_yaml(path)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            report.warn(
                path, None, f"not readable YAML ({str(exc).splitlines()[0]}); skipped", True
            )
            continue
        if not isinstance(record, dict):
            report.warn(path, None, "not a YAML mapping; skipped", skip=True)
            continue
        meta = record.get("gr_meta")
        if not meta:
            report.count("organisatierecords (geen regeling)")
            continue
        try:
            versions.append(_yaml_version(path, record, meta))
        except (AttributeError, TypeError) as exc:
            report.warn(path, record.get("id"), f"unexpected structure ({exc}); skipped", True)
    return versions


def _yaml_version(path: Path, record: dict[str, Any], meta: dict[str, Any]) -> GRVersion:
    names = record.get("names") or []
    vorm = meta.get("samenwerkingsvorm") or {}
    rso = meta.get("regionaal_samenwerkingsorgaan") or {}
    v = GRVersion(
        file=path.name,
        position=str(record.get("id") or ""),
        roo_id=_text((record.get("identifiers") or {}).get("roo_id")),
        titel=_text(names[0].get("value")) if names else None,
        citeertitel=_text(meta.get("citeertitel")),
        valid_from=_text(meta.get("datum_inwerkingtreding") or record.get("valid_from")),
        valid_until=_text(meta.get("datum_uitwerkingtreding") or record.get("valid_until")),
        vorm_afkorting=_text(vorm.get("afkorting")),
        vorm_naam=_text(vorm.get("value")),
        doel=_text(meta.get("doel")),
        bevoegdheden=[
            b
            for item in meta.get("bevoegdheden") or []
            if (b := _join_bevoegdheid(item.get("kop_artikel"), item.get("inhoud_artikel")))
        ],
        grondslagen=[
            g
            for item in meta.get("wettelijke_grondslagen") or []
            if (g := _text(item.get("referentie")) or _text(item.get("opschrift")))
        ],
        so_tooi=_text(rso.get("tooi")),
        so_roo_id=_text(rso.get("roo_id")),
        so_naam=_text(rso.get("naam")),
        previous_roo_id=_text((meta.get("previous_version") or {}).get("roo_id")),
        next_roo_id=_text((meta.get("next_version") or {}).get("roo_id")),
    )
    for d in meta.get("deelnemende_organisaties") or []:
        v.deelnemers.append(
            Deelnemer(
                naam=_text(d.get("naam")),
                tooi=_text(d.get("tooi")),
                roo_id=_text(d.get("roo_id")),
                toetredingsdatum=_text(d.get("toetredings_datum")),
                uittredingsdatum=_text(d.get("uittredings_datum")),
                verdeelsleutel=_text(d.get("verdeelsleutel")),
                bestuursorganen=[
                    (naam, _text(b.get("owms")))
                    for b in (d.get("bestuursorganen") or [])
                    if isinstance(b, dict) and (naam := _text(b.get("naam")))
                ],
            )
        )
    return v

