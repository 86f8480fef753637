"""The query library: every ``queries/**/*.rq`` and ``*.ru`` file, with a comment header.

Names are the file's path under the folder without its extension: ``wie-doet-wat``,
``scenario/overlay-leden``, ``validatie/organisaties``, ``system/labels``. The
top-level queries are the public library (CLI ``sdgraph query``, the web's
``/queries`` and API); the namespaced ones serve the core (scenario engine,
validation, the store itself). ``.ru`` files are SPARQL Updates with the same
header; :meth:`NamedQuery.run` applies them.

Header lines, before the first line of SPARQL::

    # title: Lidmaatschappen van een gemeente
    # title@en: Memberships of a gemeente
    # description: Welke GR's en regio's ... (nl)
    # description@en: Which GRs and regions ... (en)
    # param: gemeente | gemeente | GM0823 | Gemeente (GM-code) | Gemeente (GM code)
    # param: peildatum | date | today | Peildatum | Reference date

A ``param`` line is ``name | type | default | label nl | label en``; an empty
default makes the parameter required, ``-`` makes it optional (unbound when
not given). A ``gemeente`` takes a code, a TOOI IRI or a name, an ``organisatie``
an IRI or a name: the :class:`~sdgraph.runner.Runner` looks names up in the search
index (:mod:`sdgraph.search`) before binding. Parameters are variables of the
query and are bound as typed RDF terms (see :func:`sdgraph.sparql.bind`).

A ``column`` line is ``name | titel nl | title en | beschrijving nl | description en``:
what a page, a CSV/XLSX download and the API's documentation call the result
variable ``name`` (``# column: partnersJeugdwet | Partners Jeugdwet | Partners Youth
Act | Andere gemeenten ... | Other gemeenten ...``); columns without one keep the
variable's name.

``# cache: store-version`` makes :meth:`NamedQuery.run` keep the result per
store and bound parameters until the store's version changes (for national
aggregates that no query shape makes fast; docs/queries.md).
``# index: gemeente`` has the load keep the query's rows per gemeente
(:mod:`sdgraph.gemeente_index`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .cache import VersionedCache, follows_version
from .errors import UserError
from .identity import gemeente_iri
from .resources import resource_dir
from .sparql import Binding, bind, query_form
from .store import Store, Table

_PART = r"[a-z0-9][a-z0-9\-]*"
_NAME = re.compile(rf"^(?:{_PART}/)*{_PART}$")
#: File extensions of queries and of updates.
QUERY_SUFFIX, UPDATE_SUFFIX = ".rq", ".ru"
#: An absolute IRI of IRIREF characters only (no spaces or control characters).
_IRI_CHARS = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^<>"{}|^`\\\x00-\x20]*$')

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


def is_iri(value: str) -> bool:
    """True for text written as an absolute IRI (scheme, colon, no spaces)."""
    return bool(_IRI_CHARS.match(value))


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
    "organisatie": _to_iri,
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
class Column:
    """What a result column is called and means (a ``# column:`` header line)."""

    name: str
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str = "nl") -> str:
        return self.title.get(lang) or self.title.get("nl") or self.name

    def describe(self, lang: str = "nl") -> str:
        return self.description.get(lang) or self.description.get("nl") or ""


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
    columns: tuple[Column, ...] = ()

    def column(self, name: str) -> Column:
        """The header's description of result column ``name`` (else just its name)."""
        return next((c for c in self.columns if c.name == name), Column(name))

    def label(self, lang: str = "nl") -> str:
        return self.title.get(lang) or self.title.get("nl") or self.name

    def describe(self, lang: str = "nl") -> str:
        return self.description.get(lang) or self.description.get("nl") or ""

    def bindings(self, values: Mapping[str, str | None],
                 skip: tuple[str, ...] = ()) -> dict[str, Identifier | None]:
        """Typed RDF terms for every declared parameter (but those in ``skip``); unknown
        names are an error."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            allowed = ", ".join(sorted(known)) or "none"
            raise UserError(
                f"query {self.name!r} has no parameter {unknown[0]!r} (it takes: {allowed})"
            )
        return {p.name: p.to_term(values.get(p.name)) for p in self.params
                if p.name not in skip}

    @property
    def cached(self) -> bool:
        """True if the header asks for ``# cache: store-version``."""
        return self.meta.get("cache") == "store-version"

    def terms(self, values: Mapping[str, str | None],
              each: tuple[str, list[str]] | None = None) -> dict[str, Binding]:
        """:meth:`bindings`, plus ``each``: one parameter bound to a list of values (one
        solution per value, converted by the parameter's type)."""
        bindings: dict[str, Binding] = dict(self.bindings(values, (each[0],) if each else ()))
        if each is not None:
            name, items = each
            param = next((p for p in self.params if p.name == name), None)
            if param is None:
                raise UserError(f"query {self.name!r} has no parameter {name!r}")
            bindings[name] = [t for t in (param.to_term(v) for v in items) if t is not None]
        return bindings

    def bound(self, values: Mapping[str, str | None] | None = None,
              each: tuple[str, list[str]] | None = None) -> str:
        """The text with the parameters bound (for a store's native query method)."""
        return bind(self.text, self.terms(values or {}, each))

    def run(self, store: Store, values: Mapping[str, str | None] | None = None,
            each: tuple[str, list[str]] | None = None, rows: int | None = None):
        """Run on ``store`` (an update is applied); a cached query serves equal bindings
        from :data:`RESULTS` while the store's version stays the same. ``each`` binds
        one parameter to a list of values (an empty list: no solutions, nothing run).
        ``rows``: only the first rows are wanted (a page of a long result); a result
        stored at load time is then read about that far (a Table with ``total`` set),
        any other in full."""
        if each is not None and not each[1]:
            return None if self.form == "UPDATE" else _empty(self.form)
        bindings = self.terms(values or {}, each)
        if self.form == "UPDATE":
            store.update(bind(self.text, bindings))
            return None
        if self.form == "SELECT" and self.meta.get("order"):
            # a stored result is stored in this order, so its first rows sort as they are
            return _ordered(self._run(store, bindings, each, rows), self.meta["order"])
        return self._run(store, bindings, each, rows)

    def _run(self, store: Store, bindings: dict[str, Binding],
             each: tuple[str, list[str]] | None, rows: int | None = None):
        cached = self.cached and self.form in ("SELECT", "ASK") and follows_version(store)
        if not cached:
            found = self._indexed(store, bindings, each)
            return store.query(self.text, bindings) if found is None else found
        from .materialise import lookup, result_key

        def compute():
            # the result computed at load time (national aggregates), else an index made
            # at load time, else the query
            if self.form == "SELECT":
                found = lookup(store, self, bindings, rows)
                if found is None:
                    found = self._indexed(store, bindings, each)
                if found is not None:
                    return found
            return store.query(self.text, bindings)

        key = result_key(self, bindings)
        result = RESULTS.get(store, key if rows is None else (*key, rows), compute,
                             size=lambda r: len(r) if isinstance(r, Table) else 1)
        if isinstance(result, Table):  # a copy: callers may change the lists they get
            return Table(list(result.columns), list(result.rows), result.total)
        return result

    def _indexed(self, store: Store, bindings: dict[str, Binding],
                 each: tuple[str, list[str]] | None) -> Table | None:
        """The answer of an index made at load time, when one serves this query and is
        current for the data the store holds; else None."""
        if self.form != "SELECT" or each is not None:
            return None
        from . import (
            gemeente_index,
            lidmaatschap_index,
            matrix_index,
            network_lines,
            overlap_index,
        )

        for index in (matrix_index, lidmaatschap_index, network_lines, overlap_index):
            if self.name in index.SERVES:
                found = index.answer(store, self, bindings)
                if found is not None:
                    return found
        if self.meta.get("index") == "gemeente":
            return gemeente_index.answer(store, self, bindings)
        return None


def _order_key(term) -> tuple:
    """A term's place in SPARQL's ORDER BY: unbound, blank nodes, IRIs, then literals
    (numbers by value, before other literals, which go by their text)."""
    if term is None:
        return (0,)
    if isinstance(term, BNode):
        return (1, str(term))
    if isinstance(term, Literal):
        value = term.value
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return (3, 0, float(value), str(term))
        return (3, 1, 0.0, str(term))
    return (2, str(term))


def _ordered(table, spec: str):
    """``table`` (rows of rdflib terms) sorted by an ``# order:`` header: columns, each
    optionally followed by ``desc``, comma-separated. Sorting the decoded rows in Python
    is far cheaper than Oxigraph's ORDER BY, which reads a term's text for every
    comparison (docs/queries.md)."""
    if not isinstance(table, Table):
        return table
    rows = list(table.rows)
    for part in reversed([p.split() for p in spec.split(",") if p.strip()]):
        column = table.columns.index(part[0])
        rows.sort(key=lambda r, c=column: _order_key(r[c]),
                  reverse=len(part) > 1 and part[1].lower() == "desc")
    return Table(table.columns, rows, table.total)


def _empty(form: str):
    if form == "SELECT":
        return Table([], [])
    if form == "ASK":
        return False
    from rdflib import Graph

    return Graph()


def parse_query(text: str, name: str, path: Path | None = None,
                update: bool = False) -> NamedQuery:
    """Parse a query (or, with ``update``, an update) file's header and body; errors
    name the file and line."""
    where = str(path or name)
    title: dict[str, str] = {}
    description: dict[str, str] = {}
    params: list[Param] = []
    columns: list[Column] = []
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
        elif key == "column":
            columns.append(_parse_column(value, where, lineno))
        elif key == "order" and not re.fullmatch(
                r"\s*[A-Za-z_]\w*(\s+(?i:asc|desc))?(\s*,\s*[A-Za-z_]\w*(\s+(?i:asc|desc))?)*\s*",
                value):
            raise UserError(f"{where} line {lineno}: order needs 'column [desc], column ...'")
        elif key == "index" and value != "gemeente":
            raise UserError(f"{where} line {lineno}: unknown index {value!r} (known: gemeente)")
        elif key == "valid" and len(value.split()) != 2:
            raise UserError(f"{where} line {lineno}: valid needs two columns: 'van tot'")
        elif key == "cache" and value not in CACHE_POLICIES:
            raise UserError(f"{where} line {lineno}: unknown cache policy {value!r} "
                            f"(known: {', '.join(CACHE_POLICIES)})")
        else:
            meta[key] = value
    try:
        form = query_form(text)
    except ValueError as exc:
        raise UserError(f"{where}: {exc}") from None
    if form == "UPDATE" and not update:
        raise UserError(f"{where}: a named query must be SELECT, ASK, CONSTRUCT or DESCRIBE "
                        f"(an update goes in a {UPDATE_SUFFIX} file)")
    if update and form != "UPDATE":
        raise UserError(f"{where}: a {UPDATE_SUFFIX} file must hold a SPARQL Update")
    return NamedQuery(name, text, form, path, title, description, tuple(params), meta,
                      tuple(columns))


def _parse_column(value: str, where: str, lineno: int) -> Column:
    fields = [f.strip() for f in value.split("|")]
    if len(fields) < 2 or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", fields[0]) or not fields[1]:
        raise UserError(f"{where} line {lineno}: column needs 'name | titel nl | title en | "
                        f"beschrijving nl | description en'")
    title = {"nl": fields[1], "en": fields[2] if len(fields) > 2 and fields[2] else fields[1]}
    description = {}
    if len(fields) > 3 and fields[3]:
        description["nl"] = fields[3]
        description["en"] = fields[4] if len(fields) > 4 and fields[4] else fields[3]
    return Column(fields[0], title, description)


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
    """The named queries and updates in one or more folders (later folders override
    earlier ones, name by name)."""

    def __init__(self, folders: list[Path] | tuple[Path, ...] | None = None) -> None:
        self.folders = list(folders) if folders is not None else [resource_dir("queries")]

    @classmethod
    def from_settings(cls, settings) -> QueryLibrary:
        """The bundled queries plus the folders of ``settings.query_folders``."""
        return cls([resource_dir("queries"), *settings.query_folders])

    def _files(self) -> dict[str, Path]:
        files: dict[str, Path] = {}
        for folder in self.folders:
            root = Path(folder)
            for suffix in (QUERY_SUFFIX, UPDATE_SUFFIX):
                for path in sorted(root.rglob(f"*{suffix}")):
                    name = path.relative_to(root).with_suffix("").as_posix()
                    if _NAME.match(name):
                        files[name] = path
        return files

    def names(self, namespace: str | None = "") -> list[str]:
        """Sorted names: the public (top-level) queries by default, those of one
        ``namespace`` (e.g. ``scenario``), or all with ``namespace=None``."""
        files = self._files()
        if namespace is None:
            return sorted(files)
        prefix = f"{namespace}/" if namespace else ""
        return sorted(n for n, path in files.items()
                      if n.startswith(prefix) and "/" not in n[len(prefix):]
                      and (namespace or path.suffix == QUERY_SUFFIX))

    def all(self, namespace: str | None = "") -> list[NamedQuery]:
        return [self.get(n) for n in self.names(namespace)]

    def get(self, name: str) -> NamedQuery:
        """Load a named query or update; new and changed files are seen at once (a parsed
        file is reused while its size and modification time stay the same)."""
        if _NAME.match(name):
            for folder in reversed(self.folders):  # later folders override earlier
                for suffix in (QUERY_SUFFIX, UPDATE_SUFFIX):
                    path = Path(folder) / f"{name}{suffix}"
                    try:
                        stat = path.stat()
                    except OSError:
                        continue
                    key = (str(path), stat.st_mtime_ns, stat.st_size)
                    query = _PARSED.get(key)
                    if query is None:
                        query = _PARSED[key] = load_query_file(path, name)
                    return query
        raise UserError(f"no query named {name!r} (known: {', '.join(self.names())})")


_BUNDLED = QueryLibrary()


def bundled_library() -> QueryLibrary:
    """The bundled queries only: the default of core functions that take a ``library``
    (the CLI and the web pass the one of their settings, with ``SDGRAPH_QUERIES``)."""
    return _BUNDLED


def system_text(name: str) -> str:
    """The text of a bundled ``system/`` query: the store's own bookkeeping (graph list,
    sizes, version), which the query folders of the settings never override."""
    return _BUNDLED.get(f"system/{name}").text


#: Parsed query files by (path, modification time, size).
_PARSED: dict[tuple[str, int, int], NamedQuery] = {}


def load_query_file(path: Path, name: str | None = None) -> NamedQuery:
    """A query (``.rq``) or update (``.ru``) file, named ``name`` (default: its stem)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: file not found") from None
    return parse_query(text, name or Path(path).stem, Path(path),
                       update=Path(path).suffix == UPDATE_SUFFIX)
