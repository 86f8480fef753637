"""Search that forgives: one label index per store version, matched without regard to
case, accents, punctuation or a typo.

The index holds everything a user may look for: gemeenten (also those that ended),
gemeenschappelijke regelingen, regio's, regio-indelingen, provincies, aanbieders and
other organisations, and taken, each under every name it has: its official name in
Dutch and English, other names (``skos:altLabel``, e.g. "Den Bosch" from
data/vocab/zoeknamen.ttl), the titles of earlier versions of a GR, and its codes (CBS
code, ROO id, regiocode, provinciecode). Two named queries read them
(``zoeken/entiteiten`` and ``zoeken/namen``). Every load whose data those queries read
builds the index in Dutch into the store (:data:`STORED`, a
:class:`~sdgraph.materialise.StoredTable`: entries and normalised names as compact JSON,
so reading it takes no normalising); :func:`index` keeps it in this process while that
input is unchanged (:class:`~sdgraph.inputcache.InputCache`), so a load of other data
keeps it too, and builds it from the queries only when the store holds none.

Matching, best first: a name equal to the query (after :func:`normalize`), a name that
starts with it, a word of a name that starts with it, then fuzzy similarity (RapidFuzz's
``WRatio``, so "Oirschott" still finds Oirschot and "Sudwest Fryslan" Súdwest-Fryslân).
RapidFuzz is a maintained C++ implementation of these edit-distance scores; a
hand-written Levenshtein over a few thousand names per keystroke would be slower and
would need its own tests (docs/search.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .cache import follows_version
from .errors import UserError
from .i18n import DEFAULT, N_
from .identity import gemeente_code
from .inputcache import InputCache
from .materialise import StoredTable
from .output import text

#: Kinds of things in the index, in the order results of equal score are shown.
KINDS = ("gemeente", "gr", "regio", "regioindeling", "provincie", "aanbieder", "organisatie",
         "taak")
#: Kinds that are organisations (a parameter of type ``organisatie`` takes these).
ORGANISATIES = ("gr", "regio", "gemeente", "provincie", "aanbieder", "organisatie")

#: Scores of the kinds of match (fuzzy matches score below PREFIX, scaled from WRatio).
EXACT, PREFIX, WORD = 100.0, 96.0, 92.0
#: The lowest fuzzy score (0-100) that still counts as a hit.
FUZZY_CUTOFF = 80.0

_SEPARATORS = re.compile(r"[^0-9a-z]+")


def normalize(value: str) -> str:
    """'Súdwest-Fryslân' -> 'sudwest fryslan', "'s-Hertogenbosch" -> 's hertogenbosch':
    accents removed, case folded, every run of other characters one space."""
    plain = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return _SEPARATORS.sub(" ", plain).strip()


@dataclass(frozen=True)
class Entry:
    """One thing that can be found."""

    iri: str
    kind: str
    label: str
    code: str = ""
    context: str = ""  # provincie, regio-indeling or wet
    ended: str = ""  # geldigTot (exclusive), empty while it exists
    names: tuple[str, ...] = ()

    @property
    def gm_code(self) -> str:
        """'GM0823' for a gemeente, else ''."""
        code = gemeente_code(self.code) if self.kind == "gemeente" and self.code else None
        return code.upper() if code else ""

    def to_dict(self) -> dict[str, str]:
        return {"iri": self.iri, "soort": self.kind, "naam": self.label, "code": self.code,
                "context": self.context, "geldigTot": self.ended}


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    matched: str  # the name (as written) that matched best

    @property
    def exact(self) -> bool:
        return self.score >= EXACT

    def to_dict(self) -> dict[str, object]:
        return {**self.entry.to_dict(), "score": round(self.score, 1), "gevonden": self.matched}


@dataclass
class SearchIndex:
    """The entries and, per normalised name, which entries bear it."""

    entries: list[Entry]
    _by_name: dict[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._by_name:  # (given when read from its JSON: already normalised)
            for i, entry in enumerate(self.entries):
                for name in {entry.label, *entry.names}:
                    key = normalize(name)
                    if key:
                        self._by_name.setdefault(key, []).append((i, name))
        self._keys = list(self._by_name)
        self._words = [(key, key.split()) for key in self._keys]
        # sorted (text, key number): the keys a query can start, or start a word of,
        # found by bisection instead of a test of every key
        self._sorted_keys = sorted((key, n) for n, key in enumerate(self._keys))
        self._later_words = sorted((w, n) for n, (_, ws) in enumerate(self._words)
                                   for w in ws[1:])
        self._all_words = sorted((w, n) for n, (_, ws) in enumerate(self._words) for w in ws)

    def _candidates(self, wanted: str, words: list[str]) -> list[int]:
        """The numbers of the keys that may match ``wanted`` exactly, by prefix or by word
        (a superset of those :meth:`search` accepts), in key order."""
        found = set(_starting(self._sorted_keys, wanted))
        found.update(_starting(self._later_words, wanted))
        if len(words) > 1:
            common = None
            for w in words:
                having = set(_starting(self._all_words, w))
                common = having if common is None else common & having
            found |= common or set()
        return sorted(found)

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, query: str, kinds: Sequence[str] | None = None,
               limit: int = 10) -> list[Hit]:
        """The best ``limit`` hits for ``query`` among ``kinds`` (default all)."""
        wanted = normalize(query)
        if not wanted:
            return []
        allowed = set(kinds or KINDS)
        best: dict[int, tuple[float, str]] = {}

        def consider(key: str, score: float) -> None:
            for i, name in self._by_name[key]:
                if self.entries[i].kind in allowed and score > best.get(i, (-1.0, ""))[0]:
                    best[i] = (score, name)

        code = gemeente_code(query)  # '823', 'gm823': the gemeente's code as the index has it
        if code and code in self._by_name:
            consider(code, EXACT)
        words = wanted.split()
        for n in self._candidates(wanted, words):
            key, key_words = self._words[n]
            if key == wanted:
                consider(key, EXACT)
            elif key.startswith(wanted):
                consider(key, PREFIX - min(len(key) - len(wanted), 30) / 10)
            elif any(w.startswith(wanted) for w in key_words[1:]) or (
                    len(words) > 1 and all(any(k.startswith(w) for k in key_words)
                                           for w in words)):
                consider(key, WORD - min(len(key) - len(wanted), 30) / 10)
        if len(wanted) >= 3 and not any(c.isdigit() for c in wanted):  # no typos in codes
            for key, score, _ in process.extract(wanted, self._keys, scorer=fuzz.WRatio,
                                                 limit=max(limit * 4, 20),
                                                 score_cutoff=FUZZY_CUTOFF):
                consider(key, FUZZY_CUTOFF + (score - FUZZY_CUTOFF) * (WORD - 1 - FUZZY_CUTOFF)
                         / (100 - FUZZY_CUTOFF))
        order = {k: n for n, k in enumerate(KINDS)}
        hits = [Hit(self.entries[i], score, name) for i, (score, name) in best.items()]
        hits.sort(key=lambda h: (-h.score, bool(h.entry.ended), order.get(h.entry.kind, 99),
                                 normalize(h.entry.label)))
        return hits[:limit]

    def single(self, query: str, kinds: Sequence[str] | None = None) -> Entry | None:
        """The one thing ``query`` names: the only exact hit (if two match exactly, the
        one that still exists when exactly one does), else the only hit at all."""
        hits = self.search(query, kinds, limit=50)
        exact = _preferred([h for h in hits if h.exact])
        if len(exact) == 1:
            return exact[0].entry
        if not exact and len(hits) == 1:
            return hits[0].entry
        return None

    def resolve(self, value: str, kinds: Sequence[str], what: str) -> Entry:
        """The entry a name (or code) given where a code is asked stands for: only a name
        matched exactly (or the only existing one of several); else a UserError that names
        what was asked for and suggests the closest names."""
        hits = self.search(value, kinds, limit=50)
        exact = _preferred([h for h in hits if h.exact])
        if len(exact) == 1:
            return exact[0].entry
        if exact:
            raise UserError(N_("'{value}' is de naam van meer dan één {what}: {names}"),
                            value=value, what=what, names=describe(h.entry for h in exact))
        if hits:
            raise UserError(N_("Geen {what} met de naam '{value}'. Bedoelde u: {names}?"),
                            value=value, what=what, names=describe(h.entry for h in hits[:5]))
        raise UserError(N_("Geen {what} met de naam '{value}'."), value=value, what=what)


def _starting(pairs: list[tuple[str, int]], prefix: str) -> Iterable[int]:
    """The numbers of the sorted (text, number) ``pairs`` whose text starts with ``prefix``."""
    i = bisect_left(pairs, (prefix, -1))
    while i < len(pairs) and pairs[i][0].startswith(prefix):
        yield pairs[i][1]
        i += 1


def _preferred(exact: list[Hit]) -> list[Hit]:
    """Of several exact hits, those that still exist (if any do), and of those the ones of
    the first kind (a gemeente before a regio of the same name: "Den Haag")."""
    current = [h for h in exact if not h.entry.ended] or exact
    if not current:
        return []
    rank = {k: n for n, k in enumerate(KINDS)}
    first = min(rank.get(h.entry.kind, 99) for h in current)
    return [h for h in current if rank.get(h.entry.kind, 99) == first]


def describe(entries: Iterable[Entry]) -> str:
    """'Oirschot (GM0823), Oisterwijk (GM0824)': names with their code for a message."""
    out = []
    for e in entries:
        code = e.gm_code or e.code
        out.append(f"{e.label} ({code})" if code else e.label)
    return ", ".join(dict.fromkeys(out))


def build(entities: Iterable[dict], names: Iterable[dict]) -> SearchIndex:
    """An index from the rows of ``zoeken/entiteiten`` and ``zoeken/namen``."""
    by_iri: dict[str, list[str]] = {}
    for row in names:
        by_iri.setdefault(text(row["iri"]), []).append(text(row["naam"]))
    entries: dict[str, Entry] = {}
    order = {k: n for n, k in enumerate(KINDS)}
    for row in entities:
        iri = text(row["iri"])
        kind = text(row["soort"])
        old = entries.get(iri)
        if old is not None and order.get(old.kind, 99) <= order.get(kind, 99):
            continue  # one entry per IRI, of its first kind (a gemeente is no organisatie)
        code = text(row.get("code"))
        label = text(row.get("naam")) or code or iri.rsplit("/", 1)[-1]
        names = tuple(by_iri.get(iri, ())) + ((code,) if code else ())
        entries[iri] = Entry(iri, kind, label, code, text(row.get("context")),
                             text(row.get("geldigTot")), names)
    return SearchIndex(sorted(entries.values(), key=lambda e: (order.get(e.kind, 99),
                                                                normalize(e.label))))


#: Bumped whenever the stored form of the index changes (an older one is then not read).
FORMAT = 1
#: The queries the index is built from (their predicates make its input version).
READS = ("zoeken/entiteiten", "zoeken/namen")
#: The indexes kept in this process while their input is unchanged.
NAAR_INVOER = InputCache(maxsize=8)


def to_json(index: SearchIndex, queries: str) -> str:
    """The index as compact JSON: the entries and, per normalised name, which entries bear
    it (in the index's order, so the index read back matches exactly the same way);
    ``queries`` names the query texts it was built from."""
    return json.dumps({
        "format": FORMAT, "queries": queries,
        "entries": [[e.iri, e.kind, e.label, e.code, e.context, e.ended, list(e.names)]
                    for e in index.entries],
        "names": [[key, [x for pair in bearers for x in pair]]
                  for key, bearers in index._by_name.items()],
    }, ensure_ascii=False, separators=(",", ":"))


def from_json(data: dict) -> SearchIndex:
    """The index :func:`to_json` wrote."""
    entries = [Entry(iri, kind, label, code, context, ended, tuple(names))
               for iri, kind, label, code, context, ended, names in data["entries"]]
    by_name = {key: list(zip(flat[::2], flat[1::2], strict=True))
               for key, flat in data["names"]}
    return SearchIndex(entries, by_name)


def _queries_checksum(run) -> str:
    """Which texts of the two queries (a changed query file makes a stored index stale)."""
    digest = hashlib.sha256()
    for name in READS:
        digest.update(run.query(name).text.encode())
    return digest.hexdigest()[:16]


def _built(run) -> SearchIndex:
    return build(run.rows("zoeken/entiteiten", {}), run.rows("zoeken/namen", {}))


def _stored_table(lang: str) -> StoredTable:
    return StoredTable(f"zoeken/index/{lang}", READS,
                       lambda run: to_json(_built(run.with_lang(lang)),
                                           _queries_checksum(run)))


#: The index in the default language, built by every load that changes its input
#: (sdgraph.materialise): 1-2 s at 1m. English is built on the first English search
#: (the entities' English labels are not stored: their query alone is seconds at load).
STORED = {DEFAULT: _stored_table(DEFAULT)}


def _stored(run) -> SearchIndex | None:
    """The index the load stored for ``run``'s language, when current; else None."""
    from . import materialise

    table = STORED.get(run.lang)
    if table is None:
        return None
    found = materialise.lookup_table(run.store, run.library, table)
    if found is None:
        return None
    try:
        data = json.loads(found)
        if data.get("format") != FORMAT or data.get("queries") != _queries_checksum(run):
            return None
        return from_json(data)
    except (ValueError, KeyError, TypeError):
        return None


def index(run) -> SearchIndex:
    """The index of ``run``'s store in ``run``'s language: kept in this process while the
    data its queries read is unchanged; read from the store, where the load built it,
    else built from the two queries (whose results are cached too, so a language change
    costs only the build)."""
    if not follows_version(run.store):
        return _built(run)
    key = ("search-index", _queries_checksum(run), run.lang)
    return NAAR_INVOER.get(run, READS, key, lambda: _stored(run) or _built(run))
