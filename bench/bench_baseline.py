"""Baseline benchmark: the derivation for every gemeente, its load, and the queries it feeds.

Imports the register sources (TOOI, ROO, GR-taken, RegioAtlas/CBS gebieden) from a
sources folder once, then times, cold (first run in the process) and warm (second run):

* the in-memory copy of the register facts the rules read,
* the derivation (reading the facts with queries/derive/*.rq and applying
  data/rules/basislijn.yaml to every gemeente since 2015),
* writing the records as N-Triples,
* loading them into a fresh embedded store (as the reference build does, bulk) and into
  one that has them already (as `sdgraph derive` does, by difference),
* and on that store `wie-doet-wat` for a few gemeenten and the national `dekking`.

Prints a Markdown table; nothing is written to the repository.

    python bench/bench_baseline.py --sources ../shared/data/sources
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "shared" / "data" / "sources"
GEMEENTEN = ("GM0823", "GM0344", "GM0088", "GM0753", "GM0363")


def timed(fn, *args):
    started = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path,
                    default=Path(os.environ.get("SDGRAPH_SOURCES", DEFAULT_SOURCES)))
    args = ap.parse_args()
    if not (args.sources / "roo-polder").is_dir():
        sys.exit(f"{args.sources}: no roo-polder folder (point --sources at shared/data/sources)")

    from sdgraph.build import init_store
    from sdgraph.derive import register_sources_store
    from sdgraph.derive.baseline import baseline_source, derive, ntriples
    from sdgraph.importers import IMPORTERS
    from sdgraph.queries import QueryLibrary
    from sdgraph.store import EmbeddedStore

    print(f"# sdgraph baseline: {args.sources}; {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.1f}")
    sources, imported = [], time.perf_counter()
    for importer in IMPORTERS.values():
        if importer.register and importer.applies(args.sources):
            sources += importer.run(args.sources, [])
    print(f"(register sources imported in {time.perf_counter() - imported:.1f} s, not counted)")
    rows: list[tuple[str, float, float]] = []

    def twice(label: str, fn, *fargs):
        value, cold = timed(fn, *fargs)
        value, warm = timed(fn, *fargs)
        rows.append((label, cold, warm))
        return value

    memory = twice("copy of the register facts (in memory)", register_sources_store, sources)
    basislijn = twice("derivation: read facts, apply the rules", derive, memory)
    text = twice("write N-Triples", ntriples, basislijn)
    rules = basislijn.seconds
    with tempfile.TemporaryDirectory(prefix="sdgraph-bench-baseline-") as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        init_store(store, None)
        store.load(sources)
        source = baseline_source(basislijn)
        _, bulk = timed(store.load, [source])
        _, again = timed(store.load, [source])
        rows.append(("load into a store without it (bulk)", bulk, float("nan")))
        rows.append(("load into a store with it (difference, unchanged)", again, float("nan")))
        library = QueryLibrary()
        for code in GEMEENTEN:
            q = library.get("wie-doet-wat")
            values = {"gemeente": code, "peildatum": "2024-07-01"}
            _, cold = timed(q.run, store, values)
            warm = statistics.median(timed(q.run, store, values)[1] for _ in range(5))
            rows.append((f"wie-doet-wat {code} (warm: median of 5)", cold, warm))
        q = library.get("dekking")
        _, cold = timed(q.run, store, {"peildatum": "2024-07-01"})
        _, warm = timed(q.run, store, {"peildatum": "2024-07-01"})
        rows.append(("dekking, national (warm: cached per store version)", cold, warm))
        # the coverage of docs/baseline.md: with the illustrative Oirschot inventory, as
        # `sdgraph init` leaves it beside the reference graph (not timed)
        init_store(store, "oirschot", args.sources)
        coverage = library.get("dekking").run(store, {"peildatum": "2024-07-01"}).dicts()
        store.close()
    print()
    print(f"{len(basislijn.records):,} records, {text.count(chr(10)):,} triples, "
          f"{len({r.gemeente for r in basislijn.records})} gemeenten; of the derivation "
          f"(cold): reading {rules.get('lezen', 0):.2f} s, rules {rules.get('regels', 0):.2f} s")
    print()
    print(f"| {'step':<58} | {'cold s':>7} | {'warm s':>7} |")
    print(f"|{'-' * 60}|{'-' * 9}|{'-' * 9}|")
    for label, cold, warm in rows:
        warm_text = "" if warm != warm else f"{warm:.3f}"
        print(f"| {label:<58} | {cold:>7.3f} | {warm_text:>7} |")
    print_coverage(coverage)


STATES = ("bevestigd", "afgeleid", "aangenomen", "onbekend")
SHOWN = ("GM0823", "GM0344", "GM0088", "GM1961")


def print_coverage(rows: list[dict]) -> None:
    """The national coverage on 2024-07-01 as the Markdown tables of docs/baseline.md."""
    per = {str(r["code"]): {k: int(r[k]) for k in STATES} for r in rows}
    names = {str(r["code"]): str(r["naam"]) for r in rows}
    print()
    print(f"Coverage on 2024-07-01: {len(per)} gemeenten x 105 cells")
    print()
    print("| state | cells | gemeenten with such cells | min | median | max per gemeente |")
    print("|---|---:|---:|---:|---:|---:|")
    for state in STATES:
        values = [v[state] for v in per.values()]
        print(f"| {state} | {sum(values):,} | {sum(1 for v in values if v)} | {min(values)} | "
              f"{statistics.median(values):g} | {max(values)} |")
    print()
    print("| gemeente | " + " | ".join(STATES) + " |")
    print("|---|" + "---:|" * len(STATES))
    for code in SHOWN:
        if code in per:
            print(f"| {names[code]} ({code}) | " + " | ".join(str(per[code][s]) for s in STATES)
                  + " |")


if __name__ == "__main__":
    main()
