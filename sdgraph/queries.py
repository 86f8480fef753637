"""The query library: named ``queries/*.rq`` files with a comment header.

Header lines, before the first line of SPARQL::

    # title: Lidmaatschappen van een gemeente
    # title@en: Memberships of a gemeente
    # description: Welke GR's en regio's ... (nl)
    # description@en: Which GRs and regions ... (en)
    # param: gemeente | gemeente | GM0823 | Gemeente (GM-code) | Gemeente (GM code)
    # param: peildatum | date | today | Peildatum | Reference date

A ``param`` line is ``name | type | default | label nl | label en``; an empty
default makes the parameter required, ``-`` makes it optional (unbound when
not given). Parameters are variables of the query and are bound as typed RDF
terms (see :func:`sdgraph.sparql.bind`).

``# cache: store-version`` makes :meth:`NamedQuery.run` keep the result per
store and bound parameters until the store's version changes (for national
aggregates that no query shape makes fast; docs/queries.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .cache import VersionedCache
from .errors import UserError
from .identity import gemeente_iri
from .resources import resource_dir
from .sparql import query_form
from .store import EmbeddedStore, Store, Table

_NAME = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
_IRI_CHARS = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^<>"{}|^`\\\s]*$')

#: Values of the ``cache`` header line.
CACHE_POLICIES = ("store-version",)

#: Results of the queries marked ``# cache: store-version``, per store (see NamedQuery.run).
RESULTS = VersionedCache()


def _to_date(value: str) -> Literal:
    text = date.today().isoformat() if value == "today" else value
    try:
        return Literal(date.fromisoformat(text).isoformat(), datatype=XSD.date)
    except ValueError:
        raise ValueError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _to_iri(value: str) -> URIRef:
    if not _IRI_CHARS.match(value):
        raise ValueError(f"not an IRI: {value!r}")
    return URIRef(value)


def _to_integer(value: str) -> Literal:
    try:
        return Literal(int(value), datatype=XSD.integer)
    except ValueError:
        raise ValueError(f"not a whole number: {value!r}") from None


def _to_decimal(value: str) -> Literal:
    try:
        return Literal(Decimal(value.replace(",", ".")), datatype=XSD.decimal)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def _to_boolean(value: str) -> Literal:
    low = value.lower()
    if low in ("true", "1", "ja", "yes"):
        return Literal(True)
    if low in ("false", "0", "nee", "no"):
        return Literal(False)
    raise ValueError(f"not true/false: {value!r}")


#: Parameter types: name -> converter from text to an RDF term.
PARAM_TYPES: dict[str, Callable[[str], Identifier]] = {
    "string": Literal,
    "iri": _to_iri,
    "gemeente": gemeente_iri,
    "date": _to_date,
    "integer": _to_integer,
    "decimal": _to_decimal,
    "boolean": _to_boolean,
}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None  # None: required; "-": optional
    label: dict[str, str] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def optional(self) -> bool:
        return self.default == "-"

    def to_term(self, value: str | None) -> Identifier | None:
        """Convert text (or the default when ``value`` is None or empty) to a term."""
        if value is None or value == "":
            if self.required:
                raise UserError(f"parameter {self.name!r} is required ({self.type})")
            if self.optional:
                return None
            value = self.default
        try:
            return PARAM_TYPES[self.type](value)
        except ValueError as exc:
            raise UserError(f"parameter {self.name!r}: {exc}") from None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    form: str
    path: Path | None = None
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    params: tuple[Param, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str = "nl") -> str:
        return self.title.get(lang) or self.title.get("nl") or self.name

    def describe(self, lang: str = "nl") -> str:
        return self.description.get(lang) or self.description.get("nl") or ""

    def bindings(self, values: Mapping[str, str | None]) -> dict[str, Identifier | None]:
        """Typed RDF terms for every declared parameter; unknown names are an error."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            allowed = ", ".join(sorted(known)) or "none"
            raise UserError(
                f"query {self.name!r} has no parameter {unknown[0]!r} (it takes: {allowed})"
            )
        return {p.name: p.to_term(values.get(p.name)) for p in self.params}

    @property
    def cached(self) -> bool:
        """True if the header asks for ``# cache: store-version``."""
        return self.meta.get("cache") == "store-version"

    def run(self, store: Store, values: Mapping[str, str | None] | None = None):
        """Run on ``store``; a cached query serves equal bindings from :data:`RESULTS`
        while the store's version stays the same."""
        bindings = self.bindings(values or {})
        if not (self.cached and self.form in ("SELECT", "ASK") and _versioned(store)):
            return store.query(self.text, bindings)
        key = (self.name, self.text,
               tuple(sorted((k, None if v is None else v.n3()) for k, v in bindings.items())))
        result = RESULTS.get(store, key, lambda: store.query(self.text, bindings),
                             size=lambda r: len(r) if isinstance(r, Table) else 1)
        if isinstance(result, Table):  # a copy: callers may change the lists they get
            return Table(list(result.columns), list(result.rows))
        return result


def _versioned(store: Store) -> bool:
    """False for an in-memory embedded store: it is written directly (scenario
    overlays), so its version does not follow every change."""
    return not (isinstance(store, EmbeddedStore) and store.path is None)


def parse_query(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """Parse a query file's header and body; errors name the file and line."""
    where = str(path or name)
    title: dict[str, str] = {}
    description: dict[str, str] = {}
    params: list[Param] = []
    meta: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = re.match(r"#\s*([A-Za-z]+)(?:@([a-z]{2}))?\s*:\s*(.*)$", stripped)
        if not m:
            continue
        key, lang, value = m.group(1).lower(), m.group(2) or "nl", m.group(3).strip()
        if key == "title":
            title[lang] = value
        elif key == "description":
            description[lang] = (description.get(lang, "") + " " + value).strip()
        elif key == "param":
            params.append(_parse_param(value, where, lineno))
        elif key == "cache" and value not in CACHE_POLICIES:
            raise UserError(f"{where} line {lineno}: unknown cache policy {value!r} "
                            f"(known: {', '.join(CACHE_POLICIES)})")
        else:
            meta[key] = value
    try:
        form = query_form(text)
    except ValueError as exc:
        raise UserError(f"{where}: {exc}") from None
    if form == "UPDATE":
        raise UserError(f"{where}: a named query must be SELECT, ASK, CONSTRUCT or DESCRIBE")
    return NamedQuery(name, text, form, path, title, description, tuple(params), meta)


def _parse_param(value: str, where: str, lineno: int) -> Param:
    fields = [f.strip() for f in value.split("|")]
    if len(fields) < 2 or not fields[0]:
        raise UserError(f"{where} line {lineno}: param needs 'name | type | default | label'")
    name, kind = fields[0], fields[1]
    if kind not in PARAM_TYPES:
        raise UserError(
            f"{where} line {lineno}: unknown parameter type {kind!r} "
            f"(known: {', '.join(PARAM_TYPES)})"
        )
    default = fields[2] if len(fields) > 2 and fields[2] != "" else None
    label = {"nl": fields[3] if len(fields) > 3 and fields[3] else name}
    label["en"] = fields[4] if len(fields) > 4 and fields[4] else label["nl"]
    return Param(name, kind, default, label)


class QueryLibrary:
    """The named queries in one or more folders (later folders override earlier)."""

    def __init__(self, folders: list[Path] | None = None) -> None:
        if folders is None:
            extra = os.environ.get("SDGRAPH_QUERIES", "")
            folders = [resource_dir("queries"), *(Path(p) for p in extra.split(os.pathsep) if p)]
        self.folders = folders

    def _files(self) -> dict[str, Path]:
        files: dict[str, Path] = {}
        for folder in self.folders:
            for path in sorted(Path(folder).glob("*.rq")):
                if _NAME.match(path.stem):
                    files[path.stem] = path
        return files

    def names(self) -> list[str]:
        return sorted(self._files())

    def all(self) -> list[NamedQuery]:
        return [self.get(n) for n in self.names()]

    def get(self, name: str) -> NamedQuery:
        """Load a named query; new and changed files are seen at once (a parsed file is
        reused while its size and modification time stay the same)."""
        if _NAME.match(name):
            for folder in reversed(self.folders):  # later folders override earlier
                path = Path(folder) / f"{name}.rq"
                try:
                    stat = path.stat()
                except OSError:
                    continue
                key = (str(path), stat.st_mtime_ns, stat.st_size)
                query = _PARSED.get(key)
                if query is None:
                    query = _PARSED[key] = load_query_file(path)
                return query
        raise UserError(f"no query named {name!r} (known: {', '.join(self.names())})")


#: Parsed query files by (path, modification time, size).
_PARSED: dict[tuple[str, int, int], NamedQuery] = {}


def load_query_file(path: Path) -> NamedQuery:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    return parse_query(text, Path(path).stem, Path(path))
