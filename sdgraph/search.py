"""Search that forgives: one label index per store version, matched without regard to
case, accents, punctuation or a typo.

The index holds everything a user may look for: gemeenten (also those that ended),
gemeenschappelijke regelingen, regio's, regio-indelingen, provincies, aanbieders and
other organisations, and taken, each under every name it has: its official name in
Dutch and English, other names (``skos:altLabel``, e.g. "Den Bosch" from
data/vocab/zoeknamen.ttl), the titles of earlier versions of a GR, and its codes (CBS
code, ROO id, regiocode, provinciecode). Two named queries read them
(``zoeken/entiteiten`` and ``zoeken/namen``); :func:`index` builds it once per store
version and language in the one :class:`~sdgraph.cache.VersionedCache` of query results.

Matching, best first: a name equal to the query (after :func:`normalize`), a name that
starts with it, a word of a name that starts with it, then fuzzy similarity (RapidFuzz's
``WRatio``, so "Oirschott" still finds Oirschot and "Sudwest Fryslan" Súdwest-Fryslân).
RapidFuzz is a maintained C++ implementation of these edit-distance scores; a
hand-written Levenshtein over a few thousand names per keystroke would be slower and
would need its own tests (docs/search.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .cache import follows_version
from .errors import UserError
from .i18n import N_
from .identity import gemeente_code
from .output import text
from .queries import RESULTS

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
        for i, entry in enumerate(self.entries):
            for name in {entry.label, *entry.names}:
                key = normalize(name)
                if key:
                    self._by_name.setdefault(key, []).append((i, name))
        self._keys = list(self._by_name)
        self._words = [(key, key.split()) for key in self._keys]

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
        for key, key_words in self._words:
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


def index(run) -> SearchIndex:
    """The index of ``run``'s store in ``run``'s language, built once per store version
    (the queries' own results are cached too, so a language change costs only the build)."""
    store = run.store

    def make() -> SearchIndex:
        return build(run.rows("zoeken/entiteiten", {}), run.rows("zoeken/namen", {}))

    if not follows_version(store):
        return make()
    entities = run.query("zoeken/entiteiten")
    key = ("search-index", entities.text, run.query("zoeken/namen").text, run.lang)
    return RESULTS.get(store, key, make, size=len)
