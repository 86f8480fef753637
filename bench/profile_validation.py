"""Per-shape profile of whole-graph validation: each shape (and each SHACL-SPARQL
constraint) timed on its own over the same data, read once.

The data are N-Triples files (the bench's ``base.nt`` and inventory files; the
validation context with the peildatum is added). The engine reads them once;
then every top-level shape is validated alone (every other shape
``sh:deactivated``), and a shape with several ``sh:sparql`` constraints once per
constraint. Prints a Markdown table, slowest first, with wall and CPU seconds
(CPU of this process, every thread) and the load average at the start of each
run. A shape that runs away stops the whole profile, so ``--skip`` leaves
named shapes out and ``--only`` measures just some.

    python bench/profile_validation.py --peildatum 2026-12-04 base.nt inventory/*.nt
    python bench/profile_validation.py --engine sparql ...   # the SPARQL rules on Oxigraph
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sdgraph.validation.engine import CONTEXT, PEILDATUM, shapes_graph  # noqa: E402

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def top_shapes(shapes: Graph) -> list[URIRef]:
    return sorted({s for t in TARGETS for s in shapes.subjects(t, None)})


def variants(shapes: Graph) -> list[tuple[str, Graph]]:
    """(label, shapes graph) with one shape active; one per constraint of a shape with
    several sh:sparql."""
    tops = top_shapes(shapes)
    out = []
    for shape in tops:
        base = Graph()
        base += shapes
        for other in tops:
            if other != shape:
                base.add((other, SH.deactivated, Literal(True)))
        rules = sorted(shapes.objects(shape, SH.sparql))
        name = str(shape).rsplit("#", 1)[-1]
        if len(rules) <= 1:
            out.append((name, base))
            continue
        for rule in rules:
            g = Graph()
            g += base
            for other in rules:
                if other != rule:
                    g.remove((shape, SH.sparql, other))
            out.append((f"{name} / {str(rule).rsplit('#', 1)[-1]}", g))
    return out


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peildatum", required=True)
    ap.add_argument("--only", default="", help="comma-separated shape names")
    ap.add_argument("--skip", default="", help="comma-separated shape names")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    import pyrudof

    only = {s for s in args.only.split(",") if s}
    skip = {s for s in args.skip.split(",") if s}
    with tempfile.TemporaryDirectory(prefix="sdgraph-profile-") as tmp:
        context = Path(tmp) / "context.nt"
        Graph().add((CONTEXT, PEILDATUM, Literal(args.peildatum, datatype=XSD.date))).serialize(
            context, format="nt", encoding="utf-8")
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        w0, c0 = time.perf_counter(), cpu()
        for i, f in enumerate([*args.files, str(context)]):
            rudof.read_data(f, format=pyrudof.RDFFormat.NTriples, merge=i > 0)
        read = (time.perf_counter() - w0, cpu() - c0)
    print(f"read {len(args.files)} files: {read[0]:.1f} s wall, {read[1]:.1f} s CPU, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    rows = []
    empty = Graph()
    empty += shapes_graph()
    for s in top_shapes(empty):
        empty.add((s, SH.deactivated, Literal(True)))
    for label, g in [("(every shape deactivated)", empty), *variants(shapes_graph())]:
        name = label.split(" / ")[0]
        if (only and name not in only and label not in only) or name in skip:
            continue
        load = os.getloadavg()[0]
        rudof.reset_shacl()
        rudof.reset_validation_results()
        rudof.read_shacl(g.serialize(format="turtle"))
        w0, c0 = time.perf_counter(), cpu()
        rudof.validate_shacl()
        wall, used = time.perf_counter() - w0, cpu() - c0
        report = Graph().parse(data=rudof.serialize_shacl_validation_results(
            format=pyrudof.ResultShaclValidationFormat.Turtle), format="turtle")
        n = sum(1 for _ in report.subjects(RDF.type, SH.ValidationResult))
        rows.append((label, wall, used, n, load))
        print(f"  {label}: {wall:.2f} s wall, {used:.2f} s CPU, {n} results, load {load:.1f}",
              flush=True)
    print("\n| shape / constraint | wall s | CPU s | results | load |\n|---|---:|---:|---:|---:|")
    for label, wall, used, n, load in sorted(rows, key=lambda r: -r[1]):
        print(f"| {label} | {wall:.2f} | {used:.2f} | {n:,} | {load:.1f} |")


if __name__ == "__main__":
    main()
