"""Scenario impact: what changes for a gemeente when it leaves, joins, takes back or hands
over taken, per deelgebied, and how scenarios compare.

- :mod:`.model`: scenarios as data (Turtle with the ontology's terms, or YAML);
- :mod:`.overlay`: an in-memory copy of the part of the store a scenario touches;
  the store itself is only read;
- :mod:`.applying`: applies a scenario to a copy of the overlay (SPARQL Update);
- :mod:`.state`, :mod:`.compute`, :mod:`.money`: before and after with the same named
  queries, the impact per deelgebied, klantreis, contracts and money, as the
  figures of :mod:`.figures` with the items behind them;
- :mod:`.vergelijking`: the criteria with their formulas, weights, scores and ranking;
- :mod:`.tekst`: texts from the data (what a change does, a deelgebied in words);
- :mod:`.report`: text, Markdown, CSV and a self-contained HTML report;
- :mod:`.link`: a scenario as one compact URL parameter (shareable links).

The names below are imported on first use, so ``sdgraph --help`` stays quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..queries import QueryLibrary
    from ..store import Store
    from .figures import Impact
    from .model import Scenario
    from .vergelijking import Vergelijking

_NAMES = {
    "CRITERIA": "vergelijking", "INDICATOREN": "vergelijking", "Vergelijking": "vergelijking",
    "parse_weights": "vergelijking", "vergelijk": "vergelijking",
    "Impact": "figures", "apply": "applying", "impact": "compute",
    "Scenario": "model", "Wijziging": "model", "from_graph": "model", "from_yaml": "model",
    "load": "model", "load_all": "model", "with_overrides": "model", "from_doc": "model",
    "to_doc": "model", "to_yaml": "model", "to_turtle": "model",
    "Overlay": "overlay", "build": "overlay",
}

__all__ = [*_NAMES, "compare", "impacts"]


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(import_module(f".{_NAMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def impacts(store: Store, scenarios: list[Scenario], lang: str = "nl",
            library: QueryLibrary | None = None) -> list[Impact]:
    """The impact of each scenario; one overlay per gemeente and peildatum, copied per scenario.

    ``library``: the named queries to use (default: the bundled ones)."""
    from .compute import impact
    from .overlay import Overlay, build

    overlays: dict[tuple[str, str], Overlay] = {}
    for s in scenarios:
        key = (s.gemeente, s.peildatum.isoformat())
        if key not in overlays:
            refs = [o for t in scenarios if (t.gemeente, t.peildatum.isoformat()) == key
                    for o in t.organisaties()]
            overlays[key] = build(store, s.gemeente, key[1], refs, library)
    return [impact(overlays[(s.gemeente, s.peildatum.isoformat())], s, store, lang)
            for s in scenarios]


def compare(store: Store, scenarios: list[Scenario], gewichten: dict[str, float] | None = None,
            lang: str = "nl", library: QueryLibrary | None = None) -> Vergelijking:
    """Compute and compare ``scenarios`` on ``store`` (only read)."""
    from .vergelijking import vergelijk

    return vergelijk(impacts(store, scenarios, lang, library), gewichten, lang)
