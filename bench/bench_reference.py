"""Reference-build benchmark: time per importer, triples per source graph, peak memory.

Builds the national reference graph from a sources folder (the layout of
``../shared/data/sources``) into a fresh embedded store, once per requested
selection of sources, each in its own process so peak memory (ru_maxrss) is
that build's own. Prints a table; nothing is written to the repository.

    python bench/bench_reference.py --sources ../shared/data/sources
    python bench/bench_reference.py --sources ../shared/data/sources --without cbs-sociaal
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "shared" / "data" / "sources"


def worker(sources: Path, without: list[str]) -> dict:
    """Run one build in this process; return its figures."""
    from sdgraph.reference import build_reference
    from sdgraph.store import EmbeddedStore

    with tempfile.TemporaryDirectory(prefix="sdgraph-bench-ref-") as tmp:
        root = Path(tmp) / "sources"
        root.mkdir()
        for folder in sorted(sources.iterdir()):
            if folder.is_dir() and folder.name not in without:
                (root / folder.name).symlink_to(folder.resolve())
        store = EmbeddedStore(Path(tmp) / "store")
        started = time.perf_counter()
        result = build_reference(store, root)
        total = time.perf_counter() - started
        rebuild_started = time.perf_counter()
        size = len(store)
        build_reference(store, root)
        rebuild = time.perf_counter() - rebuild_started
        same = len(store) == size
        store.close()
    return {
        "steps": result.seconds,
        "graphs": [(r.graph, r.triples) for r in result.loaded],
        "total": total,
        "rebuild": rebuild,
        "idempotent": same,
        "quads": size,
        "warnings": sum(len(r.warnings) for r in result.reports),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run(sources: Path, without: list[str]) -> dict:
    cmd = [sys.executable, __file__, "--worker", "--sources", str(sources)]
    for name in without:
        cmd += ["--without", name]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _versions() -> str:
    from importlib.metadata import version

    names = ("sdgraph", "pyoxigraph", "rdflib")
    return ", ".join(f"{n} {version(n)}" for n in names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sources", type=Path, default=Path(os.environ.get("SDGRAPH_SOURCES", DEFAULT_SOURCES))
    )
    ap.add_argument("--without", action="append", default=[], help="leave out a source folder")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not args.sources.is_dir():
        sys.exit(
            f"{args.sources}: no such folder "
            "(point --sources or SDGRAPH_SOURCES at shared/data/sources)"
        )
    if args.worker:
        print(json.dumps(worker(args.sources, args.without)))
        return

    print(
        f"# sdgraph reference build: {args.sources}"
        + (f" without {', '.join(args.without)}" if args.without else "")
    )
    print(
        f"# {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {_versions()}"
    )
    r = _run(args.sources, args.without)
    print()
    print(f"| {'step':<40} | {'seconds':>8} |")
    print(f"|{'-' * 42}|{'-' * 10}|")
    for step, seconds in r["steps"].items():
        print(f"| {step:<40} | {seconds:>8.1f} |")
    print(f"| {'total build':<40} | {r['total']:>8.1f} |")
    print(f"| {'rebuild (replaces the same graphs)':<40} | {r['rebuild']:>8.1f} |")
    print()
    print(f"| {'graph':<58} | {'triples':>9} |")
    print(f"|{'-' * 60}|{'-' * 11}|")
    for graph, triples in r["graphs"]:
        print(f"| {graph:<58} | {triples:>9,} |")
    print(f"| {'all quads in the store':<58} | {r['quads']:>9,} |")
    print()
    print(
        f"peak memory {r['peak_mib']:,.0f} MiB; {r['warnings']} import warnings; "
        f"rebuild idempotent: {'yes' if r['idempotent'] else 'NO'}"
    )


if __name__ == "__main__":
    main()
