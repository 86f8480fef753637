"""Build the national reference graph from a folder of public sources.

The folder has the layout of ``../shared/data/sources`` (or of what
``sdgraph reference download`` fetches): ``tooi/``, ``roo-polder/``,
``regioatlas-2016/``, ``cbs-gebieden/``. Every importer that finds its folder
runs; all graphs are then loaded in one atomic step, so a failed build leaves
the previous graph in place, and a rebuild replaces the same graphs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .build import drop_stand_ins
from .errors import UserError
from .importers.cbs_sociaal import cbs_sociaal_sources
from .importers.gr_taken import gr_taken_sources
from .importers.regioatlas import regio_sources
from .importers.report import ImportReport
from .importers.roo import roo_sources
from .importers.tooi import tooi_sources
from .store import LoadResult, Source, Store


@dataclass
class BuildResult:
    reports: list[ImportReport] = field(default_factory=list)
    loaded: list[LoadResult] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _roo(root: Path, reports: list[ImportReport]) -> list[Source]:
    report = ImportReport("roo")
    reports.append(report)
    polder = root / "roo-polder"
    tooi = root / "tooi" if (root / "tooi").is_dir() else None
    return roo_sources(polder if polder.is_dir() else root / "roo" / "exportOO.xml", report, tooi)


def _gr_taken(root: Path, reports: list[ImportReport]) -> list[Source]:
    report = ImportReport("gr-taken (afgeleid)")
    reports.append(report)
    return gr_taken_sources(root / "roo-polder", report)


def _cbs_sociaal(root: Path, reports: list[ImportReport]) -> list[Source]:
    report = ImportReport("cbs-sociaal")
    reports.append(report)
    return cbs_sociaal_sources(root / "cbs-sociaal", report)


def _tooi(root: Path, reports: list[ImportReport]) -> list[Source]:
    report = ImportReport("tooi")
    reports.append(report)
    return tooi_sources(root / "tooi", report)


#: (name, folders of which one must exist, importer) in build order.
STEPS: list[tuple[str, tuple[str, ...], Callable[[Path, list[ImportReport]], list[Source]]]] = [
    ("TOOI gemeenten en provincies", ("tooi",), _tooi),
    ("ROO gemeenschappelijke regelingen", ("roo-polder", "roo"), _roo),
    ("Afgeleid: wetten en taken per GR", ("roo-polder",), _gr_taken),
    ("RegioAtlas 2016 en CBS gebieden", ("regioatlas-2016", "cbs-gebieden"), regio_sources),
    ("CBS kerncijfers sociaal domein", ("cbs-sociaal",), _cbs_sociaal),
]


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
    for name, folders, step in STEPS:
        if any((root / f).is_dir() for f in folders):
            steps.append((name, step))
        else:
            progress(f"skip  {name}: no {' or '.join(folders)} in {root}")
    if not steps:
        known = ", ".join(f for _, folders, _ in STEPS for f in folders)
        raise UserError(f"{root}: none of the source folders found ({known})")
    total = len(steps) + 1
    result = BuildResult()
    sources: list[Source] = []
    for i, (name, step) in enumerate(steps, start=1):
        started = time.perf_counter()
        progress(f"[{i}/{total}] {name} ...")
        sources += step(root, result.reports)
        result.seconds[name] = time.perf_counter() - started
        progress(f"[{i}/{total}] {name}: {result.seconds[name]:.1f} s")
    started = time.perf_counter()
    progress(f"[{total}/{total}] load {len(sources)} graphs (one atomic load) ...")
    result.loaded = store.load(sources)
    result.seconds["load"] = time.perf_counter() - started
    progress(f"[{total}/{total}] load {len(sources)} graphs: {result.seconds['load']:.1f} s")
    for graph in drop_stand_ins(store):
        progress(f"the reference graph replaces the example's register stand-in {graph}")
    return result
