"""One-off check of the lidmaatschappen index on a store (a copy: it writes the index).

Times the named query ``lidmaatschappen`` live (before: the index absent or stale),
builds the index (as a load's materialisation does), compares the index's answer with
the live SPARQL answer on every (gemeente, peildatum) pair of the given peildata (same
rows, same term types, ORDER BY order), and times the query again (after). Cold runs
empty every result cache first (as bench/workers.py); warm runs repeat the parameters.

    python bench/check_lidmaatschap_index.py --store /tmp/copy-of-1m [--days 2024-01-01 ...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from rdflib import Literal, URIRef
from rdflib.namespace import XSD


def _edges(store, n: int) -> list[tuple[str, str]]:
    """``n`` (gemeente, day) pairs where a membership or a version of its regeling begins
    or ends, or the day before (a fixed seed)."""
    import random
    from datetime import date, timedelta

    rows = store.select("""
        PREFIX sd: <https://w3id.org/sdgraph/def#> PREFIX org: <http://www.w3.org/ns/org#>
        SELECT DISTINCT ?g ?d WHERE { ?l a sd:Lidmaatschap ; org:member ?g ; org:organization ?gr .
          { ?l sd:toetredingsdatum ?d } UNION { ?l sd:uittredingsdatum ?d }
          UNION { ?v sd:versieVan ?gr ; sd:geldigVanaf ?d }
          UNION { ?v sd:versieVan ?gr ; sd:geldigTot ?d } }""").rows
    out = set()
    for g, d in rows:
        try:
            day = date.fromisoformat(str(d))
        except ValueError:
            continue
        out |= {(str(g), day.isoformat()), (str(g), (day - timedelta(days=1)).isoformat())}
    return random.Random(21).sample(sorted(out), min(n, len(out)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", required=True)
    ap.add_argument("--days", nargs="*", default=["2026-12-04", "2022-03-30", "2015-01-01"])
    ap.add_argument("--timed", type=int, default=24, help="gemeenten timed before/after")
    ap.add_argument("--edges", type=int, default=0, help="also this many (gemeente, day) "
                    "pairs on the edges: days a membership or a version of its regeling "
                    "begins or ends, and the day before (a fixed-seed sample)")
    args = ap.parse_args()
    from sdgraph import lidmaatschap_index
    from sdgraph.cache import clear_all
    from sdgraph.matrix_index import _key
    from sdgraph.queries import bundled_library
    from sdgraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(args.store)
    query = bundled_library().get("lidmaatschappen")
    gemeenten = sorted(str(r[0]) for r in store.select(
        "PREFIX sd: <https://w3id.org/sdgraph/def#> SELECT ?g WHERE { ?g a sd:Gemeente }").rows)
    step = max(1, len(gemeenten) // args.timed)
    timed = gemeenten[::step][:args.timed]

    def times() -> dict:
        cold, warm = [], []
        for gm in [timed[0], *timed]:
            values = {"gemeente": gm, "peildatum": args.days[0]}
            clear_all()
            store.__dict__.pop("_version_memo", None)
            t0 = time.perf_counter()
            query.run(store, values)
            c = time.perf_counter() - t0
            t0 = time.perf_counter()
            query.run(store, values)
            cold.append(c)
            warm.append(time.perf_counter() - t0)
        return {"cold_p50_ms": round(1000 * statistics.median(cold[1:]), 1),
                "warm_p50_ms": round(1000 * statistics.median(warm[1:]), 1)}

    out: dict = {"load": os.getloadavg()[0]}
    out["current_before"] = lidmaatschap_index.current(store)
    if not out["current_before"]:
        out["before"] = times()
        count, seconds = lidmaatschap_index.refresh(store)
        out["build"] = {"gemeenten": count, "seconds": round(seconds, 2)}
    pairs = same = filled = 0
    order = ("naam", "citeertitel", "roo_id")
    differ = []
    pairs_to_check = [(gm, day) for day in args.days for gm in gemeenten]
    if args.edges:
        pairs_to_check += _edges(store, args.edges)
    for gm, day in pairs_to_check:
        bindings = {"gemeente": URIRef(gm), "peildatum": Literal(day, datatype=XSD.date),
                    "lang": Literal("nl")}
        live = store.query(query.text, bindings)
        indexed = lidmaatschap_index.answer(store, query, bindings)
        pairs += 1
        at = [live.columns.index(c) for c in order]
        ok = (indexed is not None and indexed.columns == live.columns
              and sorted(map(repr, indexed.rows)) == sorted(map(repr, live.rows))
              and [[_key(r[i]) for i in at] for r in indexed.rows]
              == [[_key(r[i]) for i in at] for r in live.rows])
        same += ok
        filled += bool(live.rows)
        if not ok:
            differ.append((gm, day))
    out["compared"] = {"pairs": pairs, "identical": same, "non_empty": filled,
                       "differ": differ[:10]}
    out["after"] = times()
    out["load_end"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1))
    store.close()


if __name__ == "__main__":
    main()
