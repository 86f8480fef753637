"""Key figures (CBS, Iv3) as the queries return them: which dataset and codes to read."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import Identifier

from .output import text

Row = Mapping[str, Identifier | None]

#: An Iv3 lasten code: main taakveld (6.71) and an optional letter of its parts (6.71a).
IV3_LASTEN = re.compile(r"iv3-lasten-(6\.\d+)([a-z]?)$")


def latest_iv3(kerncijfers: list[Row]) -> str | None:
    """The gemeente's latest Iv3 jaarrekening (actual figures), else its latest begroting."""
    datasets = {text(r["dataset"]) for r in kerncijfers if text(r["dataset"]).startswith("iv3-")}

    def key(name: str) -> tuple[int, str]:
        return (1 if name.endswith("jaarrekening") else 0, name.split("-")[1])

    return max(datasets, key=key, default=None)
