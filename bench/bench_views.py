"""Chosen web views of ``bench/bench_store.py``, cold and warm, on an existing store.

The views part of the full bench without its build, inventory and query phases: a copy
of ``--store`` (or, with ``--in-place``, the store itself) is served by ``sdgraph serve
--production`` and each chosen view is requested as ``bench_store.py`` does (a
one-triple load before every cold request, so every cache keyed on the store's version
is stale; the same request again is the warm one; the first URL is a warm-up).
Parameters cycle over the gemeenten that exist on the peildatum, shuffled with a fixed
seed. The output says which views had a map in their page (the server found the
boundaries of ``--sources``). Example (the three views with a map)::

    python bench/bench_views.py --store /tmp/ref --view '/gemeente/GM…' \\
        --view '/gemeente/GM…/foto' --view /overlap
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_store  # noqa: E402
import generate  # noqa: E402
import report  # noqa: E402

#: The views that draw a map inside the page (issue: maps within the view targets).
MAP_VIEWS = ("/gemeente/GM…", "/gemeente/GM…/foto", "/overlap")


def values_from_store(store_dir: Path, peildatum: date) -> dict[str, list]:
    """Parameter pools from the store: gemeenten existing on ``peildatum`` and their GRs."""
    from sdgraph.store import EmbeddedStore

    store = EmbeddedStore(store_dir, read_only=True)
    try:
        context = generate.context_from_store(store, peildatum)
        # taakuitvoeringen of the inventory (the bench's own IRIs), for /id/…
        tus = [str(t) for (t,) in store.select(
            "SELECT ?t WHERE { ?t a <https://w3id.org/sdgraph/def#Taakuitvoering> "
            "FILTER STRSTARTS(STR(?t), 'https://w3id.org/sdgraph/id/') } LIMIT 2000").rows]
    finally:
        store.close()
    random.Random(11).shuffle(tus)
    gemeenten = list(context.gemeenten)
    random.Random(11).shuffle(gemeenten)
    grs = sorted({gr.iri for members in context.memberships.values() for gr in members})
    return {"gemeente": [g.code for g in gemeenten], "gemeente_iri": [g.iri for g in gemeenten],
            "organisatie": grs or [g.iri for g in gemeenten], "taakuitvoering": tus[:50]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True,
                    help="embedded store to copy and serve (e.g. a reference build)")
    ap.add_argument("--view", action="append", help="a view label of bench_store.VIEWS "
                    f"(repeatable; default: {', '.join(MAP_VIEWS)})")
    ap.add_argument("--runs", type=int, default=20, help="cold (and as many warm) requests")
    ap.add_argument("--limit", type=float, default=120, help="seconds per view")
    ap.add_argument("--peildatum", type=date.fromisoformat, default=date.today())
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--sources", type=Path, default=Path(
        os.environ.get("SDGRAPH_SOURCES", bench_store.DEFAULT_SOURCES)),
                    help="the sources folder the server reads (the maps' boundaries)")
    ap.add_argument("--in-place", action="store_true", help="serve --store itself, not a "
                    "copy (the bench's one-triple loads stay in it, as graph bench/tick)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    chosen = args.view or list(MAP_VIEWS)
    known = {label for label, _ in bench_store.VIEWS}
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise SystemExit(f"unknown view(s) {unknown}; known: {sorted(known)}")
    work = Path(tempfile.mkdtemp(prefix="sdgraph-bench-views-"))
    try:
        store_dir = args.store if args.in_place else work / "store"
        if not args.in_place:
            bench_store.log(f"copying {args.store} ...")
            bench_store.copy_store(args.store, store_dir)
        values = values_from_store(store_dir, args.peildatum)
        env = {"SDGRAPH_STORE": str(store_dir), "SDGRAPH_CACHE_REFRESH": "0",
               "SDGRAPH_STORE_FOLLOW": str(bench_store.FOLLOW),
               "SDGRAPH_SOURCES": str(args.sources.resolve())}
        server, url = bench_store.web_server(env, work / "web.log", args.workers, args.threads)
        maps = _with_map(url, values, chosen)
        tick = bench_store.Ticker(store=str(store_dir))
        saved = bench_store.VIEWS
        bench_store.VIEWS = [v for v in saved if v[0] in chosen]
        try:
            load_start = os.getloadavg()[0]
            out = bench_store.measure_views(server, url, values, args.runs, args.limit,
                                            set(chosen), tick)
        finally:
            bench_store.VIEWS = saved
            tick.close()
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nLoad average {load_start:.1f} at the start; per view at its end below.")
    print(f"Pages with a map (svg class=\"kaart\"): {', '.join(maps) or 'none'}.\n")
    print("| view | cold p50 ms | cold p95 ms | warm p50 ms | load |")
    print("|---|---:|---:|---:|---:|")
    for label in chosen:
        r = out[label]
        print(f"| {label} | {_ms(r.get('p50'))} | {_ms(r.get('p95'))} | "
              f"{_ms(r.get('warm_p50'))} | {r.get('load', 0):.1f} |")
    if args.json:
        args.json.write_text(json.dumps({"views": out, "load_start": load_start}, indent=1))


def _with_map(base_url: str, values: dict[str, list], chosen: list[str]) -> list[str]:
    """The chosen views whose first page has a map in it (a check that the server found
    the boundaries)."""
    import urllib.error
    import urllib.request

    found = []
    for label, template in bench_store.VIEWS:
        if label in chosen:
            url = base_url + bench_store.view_urls(template, values, 0)[0]
            try:
                with urllib.request.urlopen(url, timeout=120) as response:
                    page = response.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as exc:  # the measurement reports the status
                bench_store.log(f"  {label}: HTTP {exc.code} for {url}")
                continue
            if 'class="kaart"' in page:
                found.append(label)
    return found


def _ms(value: float | None) -> str:
    return "–" if value is None else report.ms(value)


if __name__ == "__main__":
    main()
