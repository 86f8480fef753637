"""Build the national reference graph from a folder of public sources.

The folder has the layout of ``../shared/data/sources`` (or of what
``sdgraph reference download`` fetches): ``tooi/``, ``roo-polder/``,
``regioatlas-2016/``, ``cbs-gebieden/``. Every importer that finds its folder
runs; the baseline of every gemeente is then derived from the register facts
they produced (:mod:`sdgraph.derive`, graph ``afgeleid/basislijn``); all graphs
are loaded in one atomic step, so a failed build leaves the previous graph in
place, and a rebuild replaces the same graphs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .derive import register_sources_store
from .derive.baseline import Basislijn, baseline_source, derive
from .errors import UserError
from .graphs import drop_stand_ins
from .importers import IMPORTERS
from .importers.report import ImportReport
from .materialise import deferred
from .store import LoadResult, Source, Store

BASELINE_STEP = "Afgeleid: basislijn wie doet wat per gemeente"


@dataclass
class BuildResult:
    reports: list[ImportReport] = field(default_factory=list)
    loaded: list[LoadResult] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    baseline: Basislijn | None = None


def build_reference(
    store: Store, root: Path, progress: Callable[[str], None] = lambda _: None
) -> BuildResult:
    """Run every importer whose folder exists under ``root``, then load all at once.

    ``progress`` gets one line per step: ``[i/n] name ...`` when it starts and
    ``[i/n] name: 4.4 s`` when it is done (n counts the final load).
    """
    root = Path(root)
    if not root.is_dir():
        raise UserError(f"{root}: no such folder (expected the layout of shared/data/sources)")
    steps = []
    for importer in IMPORTERS.values():
        if importer.applies(root):
            steps.append((importer.title, importer.run))
        else:
            progress(f"skip  {importer.title}: no {' or '.join(importer.folders)} in {root}")
    if not steps:
        known = ", ".join(f for i in IMPORTERS.values() for f in i.folders)
        raise UserError(f"{root}: none of the source folders found ({known})")
    total = len(steps) + 2
    result = BuildResult()
    sources: list[Source] = []
    for i, (name, step) in enumerate(steps, start=1):
        started = time.perf_counter()
        progress(f"[{i}/{total}] {name} ...")
        sources += step(root, result.reports)
        result.seconds[name] = time.perf_counter() - started
        progress(f"[{i}/{total}] {name}: {result.seconds[name]:.1f} s")
    name = BASELINE_STEP
    started = time.perf_counter()
    progress(f"[{total - 1}/{total}] {name} ...")
    basislijn = derive(register_sources_store(sources))
    sources.append(baseline_source(basislijn))
    result.baseline = basislijn
    result.seconds[name] = time.perf_counter() - started
    progress(f"[{total - 1}/{total}] {name}: {len(basislijn.records)} records, "
             f"{result.seconds[name]:.1f} s")
    started = time.perf_counter()
    progress(f"[{total}/{total}] load {len(sources)} graphs (one atomic load) ...")
    with deferred(store):  # the national aggregates once, after the stand-ins went
        result.loaded = store.load(sources)
        result.seconds["load"] = time.perf_counter() - started
        progress(f"[{total}/{total}] load {len(sources)} graphs: {result.seconds['load']:.1f} s")
        for graph in drop_stand_ins(store):
            progress(f"the reference graph replaces the example's register stand-in {graph}")
        started = time.perf_counter()
    if store.materialised:
        result.seconds["national aggregates"] = time.perf_counter() - started
        progress(f"national aggregates computed into the store: "
                 f"{result.seconds['national aggregates']:.1f} s")
    return result
