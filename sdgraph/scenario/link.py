"""A scenario as one compact URL parameter, so a scenario made in the browser can be shared as
a link and carried from page to page without any state on the server.

The value is the scenario's YAML form (:func:`~.model.to_doc`) as compact JSON, deflated
(zlib) and written in URL-safe base64 after a version prefix: ``1.eJyrVkrLz1eyUkpKLFKq...``.
It is not signed: anyone may write one, so it is read exactly like an uploaded YAML file
(:func:`~.model.from_doc` checks every field, and the engine checks every organisation,
taak and deelgebied against the graph). The text it inflates to is bounded, so a small
link cannot unpack into a large document.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from ..errors import UserError
from ..i18n import N_
from .model import Scenario, scenario_from_doc, to_doc

VERSION = "1."
#: Longest link value accepted (characters) and longest JSON it may inflate to (bytes).
MAX_LINK = 12_000
MAX_JSON = 64_000


def encode_doc(doc: dict[str, Any]) -> str:
    """The link value of a scenario's YAML form."""
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    packed = zlib.compress(body.encode("utf-8"), 9)
    return VERSION + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def encode(scenario: Scenario) -> str:
    """The link value of ``scenario``."""
    return encode_doc(to_doc(scenario))


def decode_doc(value: str) -> dict[str, Any]:
    """The YAML form in a link value (not yet checked as a scenario)."""
    value = (value or "").strip()
    if len(value) > MAX_LINK:
        raise UserError(N_("De scenariolink is te lang (meer dan {n} tekens)."), n=MAX_LINK)
    if not value.startswith(VERSION):
        raise UserError(N_("Dit is geen scenariolink van sdgraph."))
    raw = value[len(VERSION):]
    try:
        packed = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        inflater = zlib.decompressobj()
        body = inflater.decompress(packed, MAX_JSON + 1)
        if len(body) > MAX_JSON or inflater.unconsumed_tail:
            raise UserError(N_("De scenariolink is te lang (meer dan {n} tekens)."), n=MAX_LINK)
        doc = json.loads(body.decode("utf-8"))
    except UserError:
        raise
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
        raise UserError(N_("De scenariolink is beschadigd; kopieer hem opnieuw.")) from None
    if not isinstance(doc, dict):
        raise UserError(N_("De scenariolink is beschadigd; kopieer hem opnieuw."))
    return doc


def decode(value: str, name: str = "link") -> Scenario:
    """The scenario of a link value, checked as any scenario file is."""
    return scenario_from_doc(decode_doc(value), name)
