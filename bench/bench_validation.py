"""Validation speed and equivalence of SHACL engines on the same shapes and data.

Two data sets, each with known injected errors:

* one gemeente inventory (~5k triples): the bundled Oirschot example plus a
  generated inventory of the same gemeente (every wettelijke taak in every
  deelgebied in four periods), 1% of its taakuitvoeringen broken;
* the national graph: a copy of a reference store dumped to N-Triples (in a
  temporary folder, never in the repository), with one in a thousand
  lidmaatschappen, GR versions and gemeenten broken.

Every engine gets the same data graph (data + ontology + vocabularies +
peildatum) and all shapes. An engine's results are compared with the results
on the clean data plus the injected errors; "missing" are injected errors not
reported, "extra" results neither in the clean run nor injected. Each run is
a separate process with a time limit. Prints a Markdown table.

    python bench/bench_validation.py --store /tmp/ref/store          # both data sets
    python bench/bench_validation.py --no-national                   # the inventory only
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH, XSD

from sdgraph.namespaces import SD, SDID, TOOI_GEMEENTE
from sdgraph.resources import example_dir
from sdgraph.store.embedded import copy_ignore
from sdgraph.validation.engine import CONTEXT, PEILDATUM, base_graph, shapes_graph

ENGINES = ("pyshacl-turbo (rdflib Graph)", "pyshacl-turbo (pyoxigraph Store)",
           "pyshacl-turbo (N-Triples file)", "pyrudof (N-Triples file)",
           "shacl-rust (N-Triples file)",
           "split: shacl-rust Core + SHACL-SPARQL on Oxigraph (N-Triples file)",
           "pySHACL (rdflib Graph)", "pySHACL (oxrdflib Graph)")
#: The clean runs (and the reference when pySHACL does not finish).
REFERENCE = "pyshacl-turbo (rdflib Graph)"
#: Engines that read the data from an N-Triples file themselves (no rdflib graph).
FILE_ENGINES = ("(N-Triples file)",)
DAY = date(2024, 8, 1)
SHAPES = "https://w3id.org/sdgraph/shapes#"


# --------------------------------------------------------------------------- data


def inventory_data(seed: int = 4) -> tuple[Graph, set[tuple[str, str]]]:
    """Oirschot example + a generated inventory; returns the data and the injected errors."""
    g = Graph()
    for path in sorted(example_dir("oirschot").rglob("*.ttl")):
        g.parse(path)
    base = base_graph()
    taken = sorted(t for t in base.subjects(RDF.type, SD.Taak))
    deelgebieden = sorted(base.subjects(RDF.type, SD.Deelgebied))
    gm = TOOI_GEMEENTE["gm0823"]
    nodes = []
    periods = [("2015-01-01", "2017-01-01"), ("2017-01-01", "2019-01-01"),
               ("2019-01-01", "2021-01-01"), ("2021-01-01", None)]
    for taak in taken:
        for dg in deelgebieden:
            for start, end in periods:
                node = SDID[f"taakuitvoering/bench/{taak.rsplit('/', 1)[1]}/"
                            f"{dg.rsplit('/', 1)[1]}/{start}"]
                g.add((node, RDF.type, SD.Taakuitvoering))
                g.add((node, SD.gemeente, gm))
                g.add((node, SD.taak, taak))
                g.add((node, SD.deelgebied, dg))
                g.add((node, SD.uitvoerder, gm))
                g.add((node, SD.arrangementtype, SDID["arrangementtype/eigen-organisatie"]))
                g.add((node, SD.geldigVanaf, Literal(start, datatype=XSD.date)))
                if end:
                    g.add((node, SD.geldigTot, Literal(end, datatype=XSD.date)))
                nodes.append(node)
    rng = random.Random(seed)
    injected = set()
    for i, node in enumerate(rng.sample(nodes, max(1, len(nodes) // 100))):
        kind = i % 3
        if kind == 0:  # the taak is missing
            g.remove((node, SD.taak, None))
            injected.add((str(node), SHAPES + "Taakuitvoering-taak"))
        elif kind == 1:  # a date written as plain text
            value = g.value(node, SD.geldigVanaf)
            g.set((node, SD.geldigVanaf, Literal(str(value))))
            injected.add((str(node), SHAPES + "Taakuitvoering-geldigVanaf"))
        else:  # an organisation nobody knows
            g.set((node, SD.uitvoerder, SDID["organisatie/onbekend"]))
            injected.add((str(node), SHAPES + "Taakuitvoering-uitvoerder"))
    return g, injected


def national_data(store_path: Path, work: Path, seed: int = 4) -> tuple[Path, Path, set]:
    """Dump a copy of the store to N-Triples, clean and with injected errors."""
    copy = work / "store"
    shutil.copytree(store_path, copy, ignore=copy_ignore)
    store = ox.Store.read_only(str(copy))
    triples = {q.triple for q in store}
    clean = work / "national.nt"
    clean.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    rng = random.Random(seed)
    sd = "https://w3id.org/sdgraph/def#"
    by_subject: dict[str, dict[str, list[ox.Triple]]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            by_subject.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t)
    injected: set[tuple[str, str]] = set()
    changed = set(triples)

    def pick(cls: str, prop: str, absent: str | None = None) -> list[str]:
        return sorted(s for s, props in by_subject.items()
                      if any(t.object == ox.NamedNode(sd + cls)
                             for t in props.get(str(RDF.type), []))
                      and len(props.get(sd + prop, [])) == 1
                      and (absent is None or not props.get(sd + absent)))

    for cls, prop, absent, shape, make in (
        ("Lidmaatschap", "toetredingsdatum", "uittredingsdatum", "Lidmaatschap-toetredingsdatum",
         lambda o: ox.Literal(o.value)),
        ("GRVersie", "rooId", None, "GRVersie-rooId", lambda o: ox.Literal("ROO" + o.value)),
        ("Gemeente", "gemeentecode", None, "Gemeente-gemeentecode",
         lambda o: ox.Literal(o.value[:4])),
    ):
        subjects = pick(cls, prop, absent)
        for s in rng.sample(subjects, max(1, len(subjects) // 1000)):
            (old,) = by_subject[s][sd + prop]
            changed.discard(old)
            changed.add(ox.Triple(old.subject, old.predicate, make(old.object)))
            injected.add((s, SHAPES + shape))
    broken = work / "national-injected.nt"
    broken.write_bytes(ox.serialize(changed, format=ox.RdfFormat.N_TRIPLES) or b"")
    del store
    shutil.rmtree(copy)
    return clean, broken, injected


# --------------------------------------------------------------------------- engines


def _context() -> Graph:
    g = Graph()
    g += base_graph()
    g.add((CONTEXT, PEILDATUM, Literal(DAY.isoformat(), datatype=XSD.date)))
    return g


def _key(term) -> str:
    """A result term as text, the same for every engine (blank nodes: "_")."""
    if term is None:
        return "None"
    text = str(term)
    if text.startswith("_:") or text.startswith("<_:") or type(term).__name__ == "BNode":
        return "_"
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def _results(report: Graph) -> set[tuple]:
    """(focus node, source shape, severity, value) of every result; the shape, not the
    constraint, as the Rust engines report only the shape."""
    out = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        value = report.value(r, SH.value)
        out.add((_key(report.value(r, SH.focusNode)), _key(report.value(r, SH.sourceShape)),
                 str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                 _key(value) if not isinstance(value, Literal) else value.n3()))
    return out


def _rust_results(results: list[dict]) -> set[tuple]:
    """The same tuples from shacl-rust's dicts (terms in N-Triples syntax)."""
    def term(text: str | None) -> str:
        if text is None:
            return "None"
        if text.startswith("_:"):
            return "_"
        if text.startswith("<") and text.endswith(">"):
            return text[1:-1]
        return _literal(text)
    return {(term(r.get("focusNode")), term(r.get("sourceShape")),
             r["severity"].strip("<>").rsplit("#", 1)[-1], term(r.get("value")))
            for r in results}


def _literal(text: str) -> str:
    """An N-Triples literal as rdflib's n3() writes it (one spelling for every engine)."""
    from rdflib.util import from_n3

    return from_n3(text).n3()


def _shapes_file(work: Path) -> Path:
    path = work / "shapes.ttl"
    if not path.exists():
        shapes_graph().serialize(path, format="turtle")
    return path


def _run(engine: str, nt: Path | None, graph: Graph | None, queue) -> None:
    started = time.perf_counter()
    context = _context()
    if engine.endswith(FILE_ENGINES):  # the data and the context as one N-Triples file
        work = Path(tempfile.mkdtemp(prefix="sdgraph-bench-engine-"))
        path = work / "data.nt"
        with path.open("wb") as out:
            if nt is not None:
                with nt.open("rb") as f:
                    shutil.copyfileobj(f, out)
            else:
                out.write(graph.serialize(format="nt", encoding="utf-8"))
            out.write(context.serialize(format="nt", encoding="utf-8"))
        shapes = _shapes_file(work)
        loaded = time.perf_counter()
        if engine.startswith("split"):
            from sdgraph.validation.whole import validate_files

            results = _results(validate_files([path], shapes_graph()))
        elif engine.startswith("pyrudof"):
            import pyrudof

            rudof = pyrudof.Rudof(pyrudof.RudofConfig())
            rudof.read_data(str(path), format=pyrudof.RDFFormat.NTriples)
            rudof.read_shacl(str(shapes))
            rudof.validate_shacl()
            report = Graph().parse(data=rudof.serialize_shacl_validation_results(
                format=pyrudof.ResultShaclValidationFormat.Turtle), format="turtle")
            results = _results(report)
        elif engine.startswith("shacl-rust"):
            import shacl_rust

            results = _rust_results(shacl_rust.validate_file(
                str(path), str(shapes), experimental_index=True)["results"])
        else:
            from pyshacl_turbo import validate

            _, report, _ = validate(str(path), data_graph_format="nt", shacl_graph=str(shapes),
                                    shacl_graph_format="turtle", inference="none",
                                    allow_warnings=True)
            results = _results(report)
        shutil.rmtree(work, ignore_errors=True)
        queue.put((0.0, time.perf_counter() - loaded, results))
        return
    if engine.endswith("(pyoxigraph Store)"):
        data = ox.Store()
        if nt is not None:
            data.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        else:
            data.bulk_load(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
        data.bulk_load(context.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    else:
        data = Graph(store="Oxigraph") if "oxrdflib" in engine else Graph()
        if nt is not None:
            data.parse(nt, format="nt")
        else:
            data += graph
        data += context
    loaded = time.perf_counter()
    shapes = shapes_graph()
    if isinstance(data, ox.Store):
        # the shapes in a Store too: read from a Store, a plain literal is typed xsd:string,
        # and compared with an rdflib shape's untyped "Samenvoeging" it failed every sh:in
        shapes = ox.Store()
        shapes.bulk_load(shapes_graph().serialize(format="nt", encoding="utf-8"),
                         format=ox.RdfFormat.N_TRIPLES)
    if engine.startswith("pyshacl-turbo"):
        from pyshacl_turbo import validate
    else:
        from pyshacl import validate
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    done = time.perf_counter()
    queue.put((loaded - started, done - loaded, _results(report)))


def run(engine: str, nt: Path | None, graph: Graph | None, timeout: float):
    queue = mp.get_context("fork").Queue()
    proc = mp.get_context("fork").Process(target=_run, args=(engine, nt, graph, queue))
    proc.start()
    deadline = time.monotonic() + timeout
    while proc.is_alive() and time.monotonic() < deadline and queue.empty():
        time.sleep(0.2)
    if queue.empty():
        proc.kill()
        proc.join()
        return None
    result = queue.get()
    proc.join()
    return result


# --------------------------------------------------------------------------- main


def compare(name: str, triples: int, clean: set, injected: set, engine: str, outcome,
            reference: set | None) -> str:
    """One table row; ``reference``: the results of the reference engine on the same data
    (``≠ ref`` counts the results only one of the two reported)."""
    if outcome is None:
        return f"| {name} | {triples:,} | {engine} | – | – | did not finish | | | |"
    load_s, validate_s, results = outcome
    keys = {(f, s) for f, s, _, _ in results}
    missing = len(injected - keys)
    expected = {(f, s) for f, s, _, _ in clean} | injected
    extra = len(keys - expected)
    violations = sum(1 for r in results if r[2] == "Violation")
    differ = "–" if reference is None else f"{len(results ^ reference):,}"
    return (f"| {name} | {triples:,} | {engine} | {load_s:.1f} | {validate_s:.1f} | "
            f"{violations:,} | {missing} | {extra} | {differ} |")


def _data_set(name: str, triples: int, engines: list[str], clean: set, injected: set,
              nt: Path | None, graph: Graph | None, timeout: float, rows: list[str]) -> None:
    """Every engine on one data set; the reference is pySHACL when it finished, else
    pyshacl-turbo on an rdflib Graph (they agree on every fixture)."""
    outcomes = {}
    for engine in engines:
        outcomes[engine] = run(engine, nt, graph, timeout)
        print(f"  {engine}: {'did not finish' if outcomes[engine] is None else 'done'}",
              flush=True)
    reference = next((outcomes[e][2] for e in ("pySHACL (rdflib Graph)", REFERENCE)
                      if outcomes.get(e) is not None), None)
    for engine in engines:
        rows.append(compare(name, triples, clean, injected, engine, outcomes[engine],
                            reference))
        print(rows[-1], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/ref/store"),
                        help="a reference store to copy and dump (never written)")
    parser.add_argument("--no-national", action="store_true")
    parser.add_argument("--no-inventory", action="store_true")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--engines", default=",".join(ENGINES))
    args = parser.parse_args()
    engines = [e for e in ENGINES if e in args.engines.split(",")]
    rows = ["| data | triples | engine | load s | validate s | violations | missing | extra "
            "| ≠ ref |", "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    if not args.no_inventory:
        graph, injected = inventory_data()
        clean_graph, _ = inventory_data()
        clean = run(REFERENCE, None, _pristine(clean_graph), args.timeout)
        _data_set("inventaris (1 gemeente)", len(graph), engines, clean[2] if clean else set(),
                  injected, None, graph, args.timeout, rows)
    if not args.no_national and args.store.is_dir():
        with tempfile.TemporaryDirectory(prefix="sdgraph-bench-validation-") as tmp:
            clean_nt, broken_nt, injected = national_data(args.store, Path(tmp))
            lines = sum(1 for _ in broken_nt.open("rb"))
            clean = run(REFERENCE, clean_nt, None, args.timeout)
            _data_set("nationaal", lines, engines, clean[2] if clean else set(), injected,
                      broken_nt, None, args.timeout, rows)
    print("\n" + "\n".join(rows))


def _pristine(graph: Graph) -> Graph:
    """The generated inventory before injection (same seed, errors undone by regenerating)."""
    fresh = Graph()
    for path in sorted(example_dir("oirschot").rglob("*.ttl")):
        fresh.parse(path)
    g, _ = inventory_data()
    # the injected nodes are rebuilt whole: drop them, then add them unbroken
    broken = {s for s in g.subjects(RDF.type, SD.Taakuitvoering)
              if str(s).startswith(str(SDID["taakuitvoering/bench/"]))}
    for s in broken:
        for p, o in g.predicate_objects(s):
            fresh.add((s, p, o))
    # repair: every generated node has taak, date and uitvoerder as generated
    for s in broken:
        parts = str(s).split("/")
        fresh.set((s, SD.taak, SDID[f"taak/{parts[-3]}"]))
        fresh.set((s, SD.geldigVanaf, Literal(parts[-1], datatype=XSD.date)))
        fresh.set((s, SD.uitvoerder, TOOI_GEMEENTE["gm0823"]))
    return fresh


if __name__ == "__main__":
    main()
