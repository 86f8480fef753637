"""Locate the bundled ontology, shapes, queries and data.

In a wheel they live in ``sdgraph/_resources/<kind>``; in a source checkout
(editable install) they are the top-level folders of the repository.
"""

from pathlib import Path

KINDS = ("ontology", "shapes", "queries", "data", "vendor")
_PACKAGE = Path(__file__).resolve().parent
#: Where a kind lives in a checkout, when not at the top level.
_CHECKOUT = {"vendor": Path("web") / "static" / "vendor"}


def resource_dir(kind: str) -> Path:
    """Return the folder of one kind of bundled resource (``vendor``: the third-party
    browser assets the web app serves and the offline HTML exports in-line)."""
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {KINDS}")
    for candidate in (_PACKAGE / "_resources" / kind,
                      _PACKAGE.parent / _CHECKOUT.get(kind, Path(kind))):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled {kind} not found next to {_PACKAGE}")


def ontology_file() -> Path:
    return resource_dir("ontology") / "sdgraph.ttl"


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


def vocabulary_files() -> list[Path]:
    return sorted((resource_dir("data") / "vocab").glob("*.ttl"))


def example_dir(name: str) -> Path:
    return resource_dir("data") / "examples" / name


def examples() -> list[str]:
    root = resource_dir("data") / "examples"
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
