"""Tables of a bench run (Markdown) and the targets, each marked met or missed."""

from __future__ import annotations

import math
import re
import statistics
from datetime import date
from pathlib import Path

BEGIN = "<!-- bench:begin (written by bench/bench_store.py --write-docs) -->"
END = "<!-- bench:end -->"


# --------------------------------------------------------------------------- numbers


def _percentiles(times: list[float]) -> tuple[float, float]:
    """p50 (median) and p95 (nearest rank) in ms."""
    times = sorted(times)
    return (statistics.median(times) * 1000,
            times[max(0, math.ceil(0.95 * len(times)) - 1)] * 1000)


def summarise(answer: dict, limit: float | None) -> dict:
    """p50/p95 in ms of the finished cold runs (``times``) and of the warm ones
    (``warm``, as ``warm_p50``/``warm_p95``), plus how the rest ended."""
    times = answer.get("times", [])
    out = {"n": len(times), "timeout": bool(answer.get("timeout")),
           "error": answer.get("error"), "limit": limit}
    if times:
        out["p50"], out["p95"] = _percentiles(times)
    if answer.get("warm"):
        out["warm_p50"], out["warm_p95"] = _percentiles(answer["warm"])
    rows = answer.get("rows") or []
    if rows:
        out["rows"] = statistics.median(rows)
    return out


def describe(s: dict) -> str:
    if "skipped" in s:
        return s["skipped"]
    if s.get("error"):
        return "error: " + s["error"].splitlines()[-1][:120]
    if "p50" not in s:
        return f">{s['limit']:g} s" if s.get("timeout") else "no runs"
    text = f"cold p50 {ms(s['p50'])} ms, p95 {ms(s['p95'])} ms"
    if "warm_p50" in s:
        text += f"; warm p50 {ms(s['warm_p50'])} ms"
    if s.get("timeout"):
        text += f" ({s['n']} runs before the {s['limit']:g} s limit)"
    if s.get("status"):
        text += f"; HTTP {s['status']}"
    return text


def describe_scenario(v: dict) -> str:
    parts = [f"one scenario {v['run_s']:.1f} s" if "run_s" in v else "",
             f"4-scenario compare {v['compare_s']:.1f} s" if "compare_s" in v else "",
             f"stopped at {v['timeout']:g} s" if "timeout" in v else "",
             f"error: {v['error']}" if "error" in v else ""]
    return "; ".join(p for p in parts if p)


def ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def cell(s: dict | None, key: str = "p50") -> str:
    """A table cell: the number, '>N s' when stopped, or why there is none."""
    if s is None:
        return "–"
    if "skipped" in s:
        return "n/a"
    if s.get("error"):
        return "error"
    if key not in s:
        return f">{s['limit']:g} s" if s.get("timeout") else "–"
    text = ms(s[key])
    if s.get("timeout"):
        text += "*"
    if s.get("status"):
        text += f" (HTTP {s['status']})"
    return text


def ratio(slow: dict | None, fast: dict | None) -> tuple[float | None, bool]:
    """slow/fast p50, and whether it is only a lower bound (slow was stopped)."""
    if not slow or not fast or "p50" not in fast or fast["p50"] <= 0:
        return None, False
    if "p50" in slow and not slow.get("error"):
        return slow["p50"] / fast["p50"], False
    if slow.get("timeout") and slow.get("limit"):
        return slow["limit"] * 1000 / fast["p50"], True
    return None, False


def ratio_cell(value: tuple[float | None, bool]) -> str:
    x, bound = value
    if x is None:
        return "–"
    return (">" if bound else "") + (f"{x:,.0f}×" if x >= 10 else f"{x:.1f}×")


# --------------------------------------------------------------------------- targets


def _worst(items: list[tuple[str, float]], n: int = 3, unit: str = "ms") -> str:
    worst = sorted(items, key=lambda x: -x[1])[:n]
    return ", ".join(f"{name} {ms(v)} {unit}" for name, v in worst)


def targets(r: dict) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for one scale."""
    rows = []
    emb = r["queries"].get("embedded", {})
    measured = {n: s for n, s in emb.items() if "skipped" not in s}
    for key, bound, label in (("p50", 50, "every named query cold p50 <= 50 ms"),
                              ("p95", 200, "every named query cold p95 <= 200 ms")):
        if not measured:
            rows.append((label, "not measured", "–"))
            continue
        values = [(n, s[key]) for n, s in measured.items() if key in s]
        failed = [n + (f" (>{s['limit']:g} s)" if s.get("timeout") and key not in s else "")
                  for n, s in measured.items() if key not in s or s.get("error")]
        over = [(n, v) for n, v in values if v > bound]
        text = f"{len(values) - len(over)} of {len(measured)} within"
        if over:
            text += f"; slowest: {_worst(over)}"
        if failed:
            text += f"; no result: {', '.join(failed)}"
        rows.append((label, text, "met" if not over and not failed else "missed"))

    rdf = r["queries"].get("rdflib", {})
    if rdf:
        below, unknown, errors, ok = [], [], [], 0
        for n, s in measured.items():
            x, bound = ratio(rdf.get(n), s)
            if rdf.get(n, {}).get("error"):
                errors.append(n)
            elif x is None:
                unknown.append(n)
            elif x >= 10:
                ok += 1
            elif bound:
                unknown.append(f"{n} (>{x:.1f}×)")
            else:
                below.append((n, x))
        text = f"{ok} of {len(measured)} at least 10× faster"
        if below:
            text += "; less: " + ", ".join(f"{n} {x:.1f}×" for n, x in
                                           sorted(below, key=lambda t: t[1])[:6])
        if unknown:
            text += "; undetermined: " + ", ".join(unknown[:6])
        if errors:
            text += f"; rdflib failed on {len(errors)}: {', '.join(errors[:6])}"
        verdict = "missed" if below else ("met" if not unknown else "not determined")
        rows.append(("every named query >= 10× faster than rdflib (cold)", text, verdict))
    else:
        rows.append(("every named query >= 10× faster than rdflib (cold)",
                     r.get("rdflib_skipped", "rdflib not run"), "not measured"))

    views = {n: s for n, s in r["views"].get("embedded", {}).items() if "skipped" not in s}
    if views:
        values = [(n, s["p50"]) for n, s in views.items() if "p50" in s]
        over = [(n, v) for n, v in values if v > 100]
        stopped = [f"{n} (>{s['limit']:g} s)" for n, s in views.items() if "p50" not in s]
        bad = [n for n, s in views.items() if s.get("status")]
        text = f"{len(values) - len(over)} of {len(views)} within"
        if stopped:
            text += f"; stopped: {', '.join(stopped)}"
        if over:
            text += f"; slowest: {_worst(over)}"
        if bad:
            text += f"; not HTTP 200: {', '.join(bad)}"
        rows.append(("every web view cold p50 <= 100 ms (end to end)", text,
                     "met" if not over and not bad and not stopped else "missed"))
    else:
        rows.append(("every web view cold p50 <= 100 ms (end to end)", "not measured", "–"))

    build = r.get("reference_build")
    if build:
        rows.append(("national reference build <= 60 s",
                     f"{build['total_s']:,.1f} s (init {build['init_s']:.1f} s + build, "
                     f"{build['quads']:,} quads)", "met" if build["total_s"] <= 60 else "missed"))
        load = build["steps"].get("load")
        rows.append(("load of 1M triples <= 15 s",
                     f"{load:,.1f} s for the reference graph's {build['quads']:,} quads in one "
                     f"atomic load; {_inventory_load(r)}", "met" if load <= 15 else "missed"))
    else:
        rows.append(("national reference build <= 60 s", "not built in this run", "–"))
        inv = r["load"].get("embedded")
        per_m = ((inv["seconds"] - inv.get("materialise_s", 0.0))
                 / max(1, r["store"]["inventory_triples"]) * 1e6 if inv else None)
        rows.append(("load of 1M triples <= 15 s", _inventory_load(r) + " (extrapolated)",
                     "–" if per_m is None else ("met" if per_m <= 15 else "missed")))

    val = r.get("validation", {})
    if "status" in val:
        rows.append(("validation of one gemeente inventory <= 2 s", val["status"], "–"))
        rows.append(("validation of the national graph <= 60 s", val["status"], "–"))
    else:
        one = next((v for k, v in val.items() if k.startswith("one gemeente") and
                    "embedded" in k), None)
        whole = next((v for k, v in val.items() if k.startswith("whole graph")), None)
        rows.append(("validation of one gemeente inventory <= 2 s", *_validation(one, 2)))
        rows.append(("validation of the national graph <= 60 s", *_validation(whole, 60)))
    sc = r.get("scenario", {})
    emb = sc.get("embedded")
    if "status" in sc or emb is None:
        rows.append(("4-scenario compare <= 2 s", sc.get("status", "not run"), "–"))
    elif "compare_s" in emb:
        rows.append(("4-scenario compare <= 2 s",
                     f"{emb['compare_s']:,.1f} s ({', '.join(emb['scenarios'])}; one scenario "
                     f"run {emb['run_s']:,.1f} s)", "met" if emb["compare_s"] <= 2 else "missed"))
    else:
        rows.append(("4-scenario compare <= 2 s", describe_scenario(emb), "missed"))

    web = r.get("web_memory", {}).get("embedded")
    if web:
        rows.append(("web server RSS <= 1 GiB",
                     f"{web['peak_mib']:,.0f} MiB peak, summed over {web['processes']} "
                     "processes (gunicorn master and workers, query sandboxes)",
                     "met" if web["peak_mib"] <= 1024 else "missed"))
    for backend, server in SERVERS.items():
        remote = r["queries"].get(backend, {})
        if not (remote and measured):
            continue
        over, ok = [], 0
        for n, s in measured.items():
            x, bound = ratio(remote.get(n), s)
            if x is None:
                continue
            if x <= 2 and not bound:
                ok += 1
            elif bound:  # stopped at the time limit: no p50 to subtract
                over.append((n, x, f"{ratio_cell((x, True))} (stopped at "
                                   f"{remote[n]['limit']:g} s)"))
            else:
                over.append((n, x, f"{x:.1f}× (+{ms(remote[n]['p50'] - s['p50'])} ms)"))
        text = f"{ok} of {len(measured)} within 2×"
        if over:
            over.sort(key=lambda t: -t[1])
            text += "; over: " + ", ".join(f"{n} {cell}" for n, _, cell in over[:6])
        rows.append((f"remote {server} within 2× of embedded on every query (cold)", text,
                     "met" if not over else "missed"))
    return rows


#: remote backends of the bench -> the server behind them
SERVERS = {"remote": "Oxigraph", "virtuoso": "Virtuoso"}


def _failed(v: dict) -> str:
    return f">{v['timeout']:g} s (stopped)" if "timeout" in v else f"error: {v.get('error')}"


def _inventory_load(r: dict) -> str:
    inv = r["load"].get("embedded")
    if not inv:
        return "inventory not loaded"
    n = r["store"]["inventory_triples"]
    loads = f"{inv['loads']} atomic load{'s' if inv['loads'] > 1 else ''}"
    seconds = inv["seconds"] - inv.get("materialise_s", 0.0)
    extra = (f"; then the national aggregates and per-gemeente indexes computed into the "
             f"store: {inv['materialise_s']:,.1f} s" if inv.get("materialise_s") else "")
    return (f"inventory {n:,} triples in {loads}: {seconds:,.1f} s "
            f"({seconds / max(1, n) * 1e6:,.1f} s per 1M){extra}")


def _validation(v: dict | None, bound: float) -> tuple[str, str]:
    if v is None:
        return "not run", "–"
    if "skipped" in v:
        return v["skipped"], "not measured"
    if "timeout" in v:
        return f">{v['timeout']:g} s (stopped)", "missed"
    if "error" in v:
        return f"error: {v['error']}", "missed"
    counts = ", ".join(f"{k} {n}" for k, n in v["counts"].items() if n) or "no results"
    cpu = (f"; {v['cpu_s']:,.1f} s CPU, load average {v['load'][0]:.1f}"
           if "cpu_s" in v and "load" in v else "")
    return (f"{v['seconds']:,.1f} s for {v['triples']:,} triples ({counts}{cpu})",
            "met" if v["seconds"] <= bound else "missed")


# --------------------------------------------------------------------------- tables


def _table(head: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right if right is not None else set(range(1, len(head)))
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _store_text(r: dict) -> str:
    st = r["store"]
    c = st["counts"]
    periods = st["periods"]
    span = (f"{len(periods)} yearly period{'s' if len(periods) > 1 else ''} "
            f"({periods[0][0]} to {periods[-1][1] or 'open'})")
    return (
        f"Base: {r['base']}, {st['base_quads']:,} quads. Synthetic inventory "
        f"(bench/generate.py, seed fixed): {st['inventory_triples']:,} triples in "
        f"{st['files']} files: {st['gemeenten']} gemeenten existing on {r['peildatum']} x "
        f"{span}: {c.get('Taakuitvoering', 0):,} taakuitvoeringen, "
        f"{c.get('Overeenkomst', 0):,} overeenkomsten, {c.get('Vertegenwoordiging', 0):,} "
        f"vertegenwoordigingen, {c.get('AlgemeenBestuur', 0):,} algemene besturen, "
        f"{c.get('Aanbieder', 0):,} aanbieders. **Store: {st.get('total_quads', 0):,} quads.**"
    )


def scale_section(r: dict) -> str:
    out = [f"### Scale `{r['scale']}`: {r['store'].get('total_quads', 0):,} quads", "",
           _store_text(r), "",
           f"Named queries and views: {r['repeat']} cold runs (each followed by a warm one) "
           "after one warm-up, parameters "
           "cycled over real gemeenten, GRs, regio's and inventory records of the store "
           "(optional parameters unbound, the rest at their declared defaults); p50 = median, "
           "p95 = nearest rank. `>N s`: stopped at the time limit; `*`: some runs stopped.", ""]
    if r["scale"] == "quick":
        out += ["The issue's targets are set for 1M triples; at this small scale the verdicts "
                "only show which parts are already slow.", ""]
    out += ["#### Targets", "",
            _table(["target", "measured", "verdict"],
                   [[a, b, f"**{c}**" if c == "missed" else c] for a, b, c in targets(r)],
                   right=set()), ""]

    build = r.get("reference_build")
    if build:
        rows = [["sdgraph init (ontology, vocabularies, example)", f"{build['init_s']:.1f}"]]
        rows += [[step, f"{s:.1f}"] for step, s in build["steps"].items()]
        rows.append(["**total**", f"**{build['total_s']:.1f}**"])
        out += ["#### Reference build (embedded, own process)", "",
                _table(["step", "s"], rows), "",
                f"{build['quads']:,} quads; peak memory {build['peak_mib']:,.0f} MiB; "
                f"{build['warnings']} import warnings.", ""]

    load = r["load"]
    names = [b for b in ("embedded", "rdflib", *SERVERS) if b in load]
    first = load[names[0]]
    rows = [[f"inventory: {r['store']['inventory_triples']:,} triples, {r['store']['files']} "
             f"files in {first['loads']} atomic load{'s' if first['loads'] > 1 else ''} "
             "(rdflib: parse)"] + [f"{load[b]['seconds']:,.1f}" for b in names]]
    if "rdflib" in load:
        rows.append(["rdflib: parse the base store's triples first"]
                    + ["" if b != "rdflib" else f"{load[b]['base_seconds']:,.1f}" for b in names])
    if any(load[b].get("materialise_s") for b in names):
        rows.append(["of which: the national aggregates and the per-gemeente indexes "
                     "computed into the store after the load (Store._materialise)"]
                    + [f"{load[b]['materialise_s']:,.1f}" if load[b].get("materialise_s")
                       else "" for b in names])
    reload = r.get("reload", {})
    if reload:
        rows.append([f"reload of one gemeente's inventory file (replaces its graph; p50 of "
                     f"{len(next(iter(reload.values()))['each'])})"]
                    + [f"{statistics.median(reload[b]['each']):,.2f}" if b in reload else ""
                       for b in names])
        if any(v.get("materialise_after_s") for v in reload.values()):
            rows.append(["then the national aggregates and indexes computed into the store "
                         "again (once)"]
                        + [f"{reload[b]['materialise_after_s']:,.1f}"
                           if reload.get(b, {}).get("materialise_after_s") else ""
                           for b in names])
    out += ["#### Load (s)", "", _table(["", *names], rows), ""]

    q = r["queries"]
    emb, rdf = q.get("embedded", {}), q.get("rdflib", {})
    remotes = [b for b in SERVERS if q.get(b)]
    rows = []
    for name in sorted(set(emb) | set(rdf) | {n for b in remotes for n in q[b]}):
        e = emb.get(name)
        if e and "skipped" in e:
            rows.append([f"`{name}`", e["skipped"]] + [""] * (5 + 4 * len(remotes)))
            continue
        row = [f"`{name}`", cell(e), cell(e, "p95"), cell(e, "warm_p50"),
               cell(rdf.get(name)), ratio_cell(ratio(rdf.get(name), e))]
        for b in remotes:
            rem = q[b].get(name)
            row += [cell(rem), cell(rem, "p95"), cell(rem, "warm_p50"),
                    ratio_cell(ratio(rem, e))]
        rows.append(row + [f"{e['rows']:,.0f}" if e and "rows" in e else "–"])
    errors = [f"`{n}` on {b}: {s['error'].splitlines()[-1][:160]}" for b, qs in q.items()
              for n, s in sorted(qs.items()) if s.get("error")]
    head = ["query", "embedded cold p50", "p95", "warm p50", "rdflib p50", "rdflib/emb"]
    for b in remotes:
        head += [f"{SERVERS[b]} cold p50", "p95", "warm p50", f"{SERVERS[b]}/emb"]
    out += ["#### Named queries (ms)", "",
            "Cold: the first run with these parameters after a load (every result cache of "
            "the process emptied and the store's version read again; Oxigraph's block cache "
            "and the OS page cache stay as they are). Warm: the same run again at once (a "
            "query marked `# cache: store-version` is then a cache hit). The ratios compare "
            "cold figures: rdflib has no result cache.", "",
            _table(head + ["rows"], rows), ""]
    if r.get("rdflib_skipped"):
        out += [f"rdflib: {r['rdflib_skipped']}.", ""]
    for kind, reason in r.get("failed", {}).items():
        out += [f"{kind}: failed, not measured further ({reason}).", ""]
    if errors:
        out += ["Errors: " + "; ".join(errors) + ".", ""]

    views = r["views"]
    if views:
        names = [b for b in ("embedded", *SERVERS) if b in views]
        labels = list(next(iter(views.values())))
        rows = [[label.replace("|", "\\|")] + [c for b in names for c in
                                               (cell(views[b].get(label)),
                                                cell(views[b].get(label), "p95"),
                                                cell(views[b].get(label), "warm_p50"))]
                for label in labels]
        head = ["view"] + [c for b in names for c in (f"{b} cold p50", "p95", "warm p50")]
        mem = r.get("web_memory", {})
        out += ["#### Web views (ms, end to end over HTTP)", "",
                "`sdgraph serve --production` (gunicorn) on 127.0.0.1, one client on one "
                "kept-alive connection (so one worker answers a cold request and its warm "
                "repeat); remote = the same server with SDGRAPH_ENDPOINT on the Oxigraph "
                "server, virtuoso on Virtuoso. Cold: the first request after a load (the "
                "bench loads a one-triple graph before it, so every cache keyed on the "
                "store's version is stale; remote: and waits the 2 s the web's version read "
                "is reused); warm: the same request again. n/a: the view does not exist in "
                "this version.", "",
                _table(head, rows), ""]
        if mem:
            out += ["Web server memory (peak RSS summed over all its processes): " + "; ".join(
                f"{b} {m['peak_mib']:,.0f} MiB ({m['processes']} processes, "
                f"{m['rss_mib']:,.0f} MiB at the end)" for b, m in mem.items()) + ".", ""]

    val = r.get("validation", {})
    if "status" in val:
        out += [f"Validation: {val['status']}.", ""]
    elif val:
        rows = []
        for label, v in val.items():
            measured, _ = _validation(v, math.inf)
            rows.append([label, measured])
        out += ["#### Validation (one gemeente: sdgraph.validation, default engine; whole "
                "graph: Core shapes by shacl-rust, SHACL-SPARQL on Oxigraph, "
                "docs/validation.md)", "",
                _table(["run", "measured"], rows, right=set()), ""]

    loads = []
    for kind, per_backend in (("queries", r["queries"]), ("views", r["views"])):
        for backend, items in per_backend.items():
            values = sorted(v["load"] for v in items.values() if "load" in v)
            if values:
                loads.append(f"{backend} {kind} {statistics.median(values):.1f} "
                             f"(max {values[-1]:.1f})")
    if loads:
        out += ["1-minute load average of the machine while measuring (median, max; the "
                "bench itself accounts for 1 to 2 of it, the rest is other processes on the "
                "same 2 cores): " + "; ".join(loads) + ".", ""]
    peak = r.get("peak", {})
    if peak:
        out += ["#### Peak memory per process (MiB)", "",
                _table(["process", "MiB"], [[k, f"{v:,.0f}"] for k, v in peak.items()]), ""]
    sc = r.get("scenario", {})
    if "status" in sc:
        out += [f"Scenario run and 4-scenario compare: {sc['status']}.", ""]
    elif sc:
        def secs(v: dict, key: str) -> str:
            if key in v:
                return f"{v[key]:,.2f}"
            return f">{v['timeout']:g} (stopped)" if "timeout" in v else "error"

        rows = [[b, secs(v, "run_s"), secs(v, "compare_s")] for b, v in sc.items()]
        out += ["#### Scenarios (sdgraph.scenario, the four bundled Oirschot scenarios)", "",
                _table(["store", "one scenario run s", "4-scenario compare s"], rows), ""]
    out += [f"This scale took {r['seconds'] / 60:,.1f} min.", ""]
    return "\n".join(out)


def render(results: list[dict], info: dict, command: str) -> str:
    v = info["versions"]
    versions = ", ".join(f"{k} {x}" for k, x in v.items())
    head = [
        f"## Benchmark {date.today().isoformat()}", "",
        f"Command: `{command}`", "",
        f"Machine: {info['nproc']} cores (nproc), {info['ram_gib']} GiB RAM, "
        f"{info['platform']}; Python {info['python']}; {versions}. Load average "
        f"{info['loadavg_start'][0]:.1f} at the start, "
        f"{info.get('loadavg_end', [float('nan')])[0]:.1f} at the end "
        "(above 0 means other processes shared the cores).", "",
    ]
    return "\n".join(head) + "\n" + "\n".join(scale_section(r) for r in results)


def write_docs(path: Path, text: str) -> None:
    """Put ``text`` between the bench markers of ``path`` (replacing an earlier run)."""
    doc = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    block = f"{BEGIN}\n\n{text.rstrip()}\n\n{END}"
    if BEGIN in doc and END in doc:
        doc = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, doc,
                     flags=re.S)
    else:
        doc = doc.rstrip() + "\n\n" + block + "\n"
    path.write_text(doc, encoding="utf-8")
