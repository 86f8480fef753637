"""The foto at national scale: cold and warm, end to end over HTTP.

On a copy of a built reference store (``sdgraph reference build``) plus one period of the
synthetic national inventory (bench/generate.py, as the 1m scale of bench_store.py), it
starts ``sdgraph serve --production`` and requests ``/gemeente/<GM>/foto`` for gemeenten
cycled in a fixed random order:

* cold: the first request after the national table's file is removed (the query of every
  observation, sdgraph.kerncijfers), and the first after a restart with the file in place;
* warm: ``--runs`` requests after one warm-up, each for another gemeente (p50, p95);
* the same for ``/gemeente/<GM>`` beside it, and the dossier downloads (PDF, Word).

    python bench/bench_foto.py --reference-store var/reference [--runs 20]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_store  # noqa: E402
import generate  # noqa: E402


def timed(url: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        body = response.read()
    return time.perf_counter() - t0, len(body)


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--reference-store", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--peildatum", type=date.fromisoformat, default=date.today())
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--no-inventory", action="store_true",
                    help="the reference graph only (no synthetic inventory)")
    args = ap.parse_args()

    from sdgraph import kerncijfers
    from sdgraph.store import EmbeddedStore

    work = Path(tempfile.mkdtemp(prefix="sdgraph-bench-foto-"))
    try:
        store_dir = work / "store"
        bench_store.copy_store(args.reference_store, store_dir)
        s = EmbeddedStore(store_dir)
        context = generate.context_from_store(s, args.peildatum)
        if not args.no_inventory:
            inv = generate.generate(context, work / "inventory", 1, 3000, 7)
            s.load_files([*inv.shared, *inv.files])
            bench_store.log(f"inventory: {inv.triples:,} triples")
        version = s.version()
        quads = len(s)
        s.close()
        bench_store.log(f"store: {quads:,} quads")
        table = Path(tempfile.gettempdir()) / (
            f"sdgraph-kerncijfers-{kerncijfers.FORMAT}-{version}.json")
        table.unlink(missing_ok=True)
        codes = [g.code for g in context.gemeenten]
        random.Random(11).shuffle(codes)
        env = {"SDGRAPH_STORE": str(store_dir), "SDGRAPH_ENDPOINT": ""}
        server, base = bench_store.web_server(env, work / "web.log", args.workers, args.threads)
        try:
            cold, _ = timed(f"{base}/gemeente/{codes[0]}/foto")
            server.restart()
            cold_file, _ = timed(f"{base}/gemeente/{codes[1]}/foto")
            results: dict[str, list[float]] = {}
            sizes: dict[str, int] = {}
            for label, path in (("/gemeente/GM…/foto", "/gemeente/{gm}/foto"),
                                ("/gemeente/GM…", "/gemeente/{gm}"),
                                ("/gemeente/GM…/foto.pdf", "/gemeente/{gm}/foto.pdf"),
                                ("/gemeente/GM…/foto.docx", "/gemeente/{gm}/foto.docx")):
                runs = args.runs if "." not in label.rsplit("/", 1)[-1] else max(3, args.runs // 4)
                timed(base + path.format(gm=codes[2]))  # warm-up
                times = []
                for i in range(runs):
                    seconds, size = timed(base + path.format(gm=codes[3 + i % (len(codes) - 3)]))
                    times.append(seconds)
                    sizes[label] = size
                results[label] = times
                bench_store.log(f"{label}: p50 {statistics.median(times) * 1000:.0f} ms")
        finally:
            server.stop()
        print(f"\nStore: {quads:,} quads; peildatum {args.peildatum}; {args.workers} workers.\n")
        print("| view | runs | p50 ms | p95 ms | max ms | size KB |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for label, times in results.items():
            print(f"| {label} | {len(times)} | {statistics.median(times) * 1000:,.0f} | "
                  f"{p(times, 0.95) * 1000:,.0f} | {max(times) * 1000:,.0f} | "
                  f"{sizes[label] / 1024:,.0f} |")
        print(f"\nCold foto (the national table computed from every observation): "
              f"{cold * 1000:,.0f} ms; after a restart with its file: {cold_file * 1000:,.0f} ms.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
