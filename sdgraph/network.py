"""The "spaghetti" network of a gemeente: its lines of cooperation as a graph.

:func:`build` turns the rows of the ``netwerk`` query into a networkx
``MultiDiGraph``: nodes are organisations (the gemeente itself, GRs, regio's,
other gemeenten, aanbieders) and edges are arrangements (lidmaatschappen,
taakuitvoeringen, overeenkomsten), one edge per arrangement and wet, coloured per
wet; a taakuitvoering edge carries its state (bevestigd, afgeleid with rule and evidence,
aangenomen) and is drawn dashed when derived, dotted when assumed. :func:`select` keeps
the edges of one wet and/or deelgebied, and by default only those of the sociaal domein
(not the memberships of regio's of general indelingen such as KvK-regio's or ressorten).
:func:`combine` joins the networks of the members of a regio or GR into the regional
network. The graph is
exported as JSON (for the web page), CSV, GraphML and a self-contained HTML file
drawn by pyvis with vis-network in-line, so it opens offline.

Labels and tooltips are data, never markup: vis-network draws labels on a canvas
and shows string tooltips as text, and the JSON in the HTML file is escaped.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import DictLoader, Environment
from markupsafe import Markup
from rdflib.term import Identifier

from .i18n import N_, gettext
from .namespaces import SDID
from .output import json_text, plain, text
from .resources import resource_dir

Row = Mapping[str, Identifier | None]

#: Colours per wet (colour-blind safe, ColorBrewer Dark2); other wetten get one of
#: EXTRA_COLOURS (stable per IRI), lines without a wet GEEN_WET.
WET_COLOURS = {
    str(SDID["wet/BWBR0034925"]): "#d95f02",  # Jeugdwet
    str(SDID["wet/BWBR0035362"]): "#1b9e77",  # Wmo 2015
    str(SDID["wet/BWBR0015703"]): "#7570b3",  # Participatiewet
}
EXTRA_COLOURS = ("#e7298a", "#66a61e", "#e6ab02", "#a6761d")
GEEN_WET = "#8c8c8c"

#: Node shape and colour per kind of organisation.
NODE_STYLE = {
    "centrum": ("star", "#1f3a5f"),
    "gemeente": ("dot", "#3b6ea5"),
    "gr": ("square", "#5a5a5a"),
    "regio": ("triangle", "#9a9a9a"),
    "aanbieder": ("diamond", "#b07aa1"),
    "organisatie": ("dot", "#7f7f7f"),
    "lid": ("dot", "#0b4f6c"),
}

#: Words the exports use (Dutch, translated through the catalogue; the web page translates
#: its own text).
WORDS = {
    "lidmaatschap": N_("Lidmaatschap"), "taakuitvoering": N_("Taakuitvoering"),
    "overeenkomst": N_("Overeenkomst"), "gemeente": N_("Gemeente"),
    "gr": N_("Gemeenschappelijke regeling"), "regio": N_("Regio"), "aanbieder": N_("Aanbieder"),
    "organisatie": N_("Organisatie"), "wet": N_("Wet"), "geen wet": N_("Geen wet"),
    "arrangement": N_("Arrangement"), "taak": N_("Taak"), "via": N_("Via"),
    "geldig": N_("Geldig"), "illustratief": N_("illustratief (verzonnen voorbeeld)"),
    "netwerk": N_("Netwerk van {naam}"), "peildatum": N_("peildatum {datum}"),
    "lijnen": N_("{edges} lijnen tussen {nodes} organisaties"),
    "centrum": N_("Middelpunt"), "lid": N_("Deelnemende gemeente"),
    "afgeleid": N_("afgeleid uit de registers (regel {regel})"),
    "aangenomen": N_("eigen organisatie (aangenomen)"),
}
#: Domain terms that stay Dutch in every language.
TERMS = {"deelgebied": "Deelgebied"}

#: The attributes of an edge, in the order of the CSV columns.
EDGE_FIELDS = (
    "soort", "bron", "bronNaam", "doel", "doelNaam", "doelSoort", "wet", "wetNaam",
    "deelgebied", "deelgebiedNaam", "arrangementtype", "arrangementtypeNaam", "taak",
    "taakNaam", "via", "viaNaam", "geldigVanaf", "geldigTot", "arrangement",
    "arrangementNaam", "illustratief", "kleur", "sociaal", "status", "regel", "bewijs",
)

#: vis-network options, shared by the web page and the HTML file.
VIS_OPTIONS: dict[str, Any] = {
    "nodes": {"font": {"size": 13, "face": "sans-serif", "background": "rgba(255,255,255,0.85)"},
              "size": 14, "widthConstraint": {"maximum": 160}},
    "edges": {
        "smooth": {"enabled": True, "type": "dynamic"},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "width": 2,
    },
    "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 250}},
    "interaction": {"hover": True, "tooltipDelay": 150},
    # the same drawing on every load: a fixed seed for the initial positions
    "layout": {"randomSeed": 7, "improvedLayout": True},
}


def export_words(lang: str) -> dict[str, str]:
    """The words of the exports in ``lang``."""
    return {**{key: gettext(text, lang) for key, text in WORDS.items()}, **TERMS}


def wet_colour(wet: str | None) -> str:
    """The colour of the lines of ``wet`` (an IRI; None or '' for no wet)."""
    if not wet:
        return GEEN_WET
    return WET_COLOURS.get(wet) or EXTRA_COLOURS[zlib.crc32(wet.encode()) % len(EXTRA_COLOURS)]


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _node_label(naam: str, iri: str, groep: str) -> str:
    label = naam or _tail(iri)
    return f"{label} ({groep})" if groep else label


def _add_node(graph: nx.MultiDiGraph, iri: str, naam: str, soort: str, code: str,
              groep: str, words: dict[str, str]) -> None:
    if iri in graph:
        return
    label = _node_label(naam, iri, groep)
    title = "\n".join(p for p in (label, words.get(soort, soort), code, iri) if p)
    graph.add_node(iri, label=label, naam=naam or label, soort=soort or "organisatie",
                   code=code, groep=groep, iri=iri, title=title, centrum=False)


def _period(vanaf: str, tot: str) -> str:
    return f"{vanaf} – {tot}".strip() if vanaf or tot else ""


def _edge_title(graph: nx.MultiDiGraph, u: str, v: str, e: dict[str, Any],
                words: dict[str, str]) -> str:
    lines = [f"{graph.nodes[u]['label']} → {graph.nodes[v]['label']}"]
    what = words[e["soort"]] + (f": {e['taakNaam']}" if e["taakNaam"] else "")
    lines.append(what)
    if e["arrangementNaam"] and e["soort"] != "taakuitvoering":
        lines.append(e["arrangementNaam"])
    lines.append(f"{words['wet']}: {e['wetNaam'] or words['geen wet']}")
    for key, name in (("deelgebied", "deelgebiedNaam"), ("arrangement", "arrangementtypeNaam"),
                      ("via", "viaNaam")):
        if e[name] and not (key == "via" and e["via"] == v):
            lines.append(f"{words[key]}: {e[name]}")
    period = _period(e["geldigVanaf"], e["geldigTot"])
    if period:
        lines.append(f"{words['geldig']}: {period}")
    if e["illustratief"]:
        lines.append(words["illustratief"])
    if e["status"] == "afgeleid":
        lines.append(words["afgeleid"].format(regel=e["regel"].rsplit("/", 1)[-1]))
        if e["bewijs"]:
            lines.append(e["bewijs"][:300])
    elif e["status"] == "aangenomen":
        lines.append(words["aangenomen"])
    return "\n".join(lines)


def build(rows: Iterable[Row], gemeente: str | None = None, lang: str = "nl") -> nx.MultiDiGraph:
    """The network of the ``netwerk`` query's ``rows``.

    ``gemeente`` (an IRI) is the centre; without it, the source of the
    lidmaatschappen and taakuitvoeringen. One edge per arrangement, source,
    target and wet; the first row wins when labels repeat.
    """
    words = export_words(lang)
    graph = nx.MultiDiGraph(gemeente=gemeente or "", lang=lang)
    for row in rows:
        r = {k: text(v) for k, v in row.items()}
        bron, doel, soort = r.get("bron", ""), r.get("doel", ""), r.get("soort", "")
        if not (bron and doel and soort):
            continue
        if not gemeente and soort in ("lidmaatschap", "taakuitvoering"):
            gemeente = bron
            graph.graph["gemeente"] = bron
        _add_node(graph, bron, r.get("bronNaam", ""), r.get("bronSoort", ""),
                  r.get("bronCode", ""), "", words)
        _add_node(graph, doel, r.get("doelNaam", ""), r.get("doelSoort", ""),
                  r.get("doelCode", ""), r.get("doelGroep", ""), words)
        wet = r.get("wetIri", "")
        key = f"{r.get('arrangement', '')}|{wet}"
        if graph.has_edge(bron, doel, key):
            continue
        edge: dict[str, Any] = {
            "soort": soort,
            "soortNaam": words.get(soort, soort),
            "wet": wet,
            "wetNaam": r.get("wetNaam", ""),
            "deelgebied": r.get("deelgebiedIri", ""),
            "deelgebiedNaam": r.get("deelgebiedNaam", ""),
            "arrangementtype": r.get("arrangementtype", ""),
            "arrangementtypeNaam": r.get("arrangementtypeNaam", ""),
            "taak": r.get("taak", ""),
            "taakNaam": r.get("taakNaam", ""),
            "via": r.get("via", ""),
            "viaNaam": r.get("viaNaam", ""),
            "geldigVanaf": r.get("geldigVanaf", ""),
            "geldigTot": r.get("geldigTot", ""),
            "arrangement": r.get("arrangement", ""),
            "arrangementNaam": r.get("arrangementNaam", ""),
            "illustratief": plain(row.get("illustratief")) is True,
            "kleur": wet_colour(wet),
            # lines of the sociaal domein (all but regio's of general indelingen)
            "sociaal": row.get("sociaal") is None or plain(row.get("sociaal")) is not False,
            "status": r.get("status", "") or ("bevestigd" if soort == "taakuitvoering" else ""),
            "regel": r.get("regel", ""),
            "bewijs": r.get("bewijs", ""),
        }
        edge["label"] = edge["taakNaam"] or edge["soortNaam"]
        edge["title"] = _edge_title(graph, bron, doel, edge, words)
        graph.add_edge(bron, doel, key=key, **edge)
    if gemeente:
        if gemeente not in graph:
            graph.add_node(gemeente, label=_tail(gemeente), naam=_tail(gemeente),
                           soort="gemeente", code="", groep="", iri=gemeente,
                           title=gemeente, centrum=True)
        graph.nodes[gemeente]["centrum"] = True
    return graph


def select(graph: nx.MultiDiGraph, wet: str | None = None,
           deelgebied: str | None = None, alle: bool = False) -> nx.MultiDiGraph:
    """A copy with only the edges of ``wet`` and/or ``deelgebied`` (IRIs), of the
    sociaal domein unless ``alle``, and the organisations they reach (the centre and the
    members of a regional network always stay)."""
    out = nx.MultiDiGraph(**graph.graph)
    for n, data in graph.nodes(data=True):
        if data.get("centrum") or data.get("soort") == "lid":
            out.add_node(n, **data)
    for u, v, k, data in graph.edges(keys=True, data=True):
        if not alle and not data.get("sociaal", True):
            continue
        if wet and data["wet"] != wet:
            continue
        if deelgebied and data["deelgebied"] != deelgebied:
            continue
        for n in (u, v):
            if n not in out:
                out.add_node(n, **graph.nodes[n])
        out.add_edge(u, v, key=k, **data)
    return out


def combine(graphs: dict[str, nx.MultiDiGraph], centre: str, naam: str, soort: str,
            lang: str = "nl") -> nx.MultiDiGraph:
    """The regional network: the networks of the members (gemeente IRI -> its network)
    in one graph, the members drawn as members ("lid"), ``centre`` (the regio or GR) as
    the centre; a line shared by several members is one edge per member."""
    out = nx.MultiDiGraph(gemeente=centre, lang=lang, regio=True)
    for member, graph in graphs.items():
        for n, data in graph.nodes(data=True):
            if n not in out:
                out.add_node(n, **{**data, "centrum": False})
        for u, v, k, data in graph.edges(keys=True, data=True):
            out.add_edge(u, v, key=f"{member}|{k}", **data)
    for member in graphs:
        if member in out:
            out.nodes[member]["soort"] = "lid"
    if centre not in out:
        out.add_node(centre, label=naam or _tail(centre), naam=naam, soort=soort, code="",
                     groep="", iri=centre, title=naam or centre)
    out.nodes[centre]["centrum"] = True
    return out


def node_legend(graph: nx.MultiDiGraph, lang: str = "nl") -> list[dict[str, str]]:
    """One entry per kind of organisation in the graph: its shape, colour and name."""
    words = export_words(lang)
    kinds = ["centrum"] if any(d.get("centrum") for _, d in graph.nodes(data=True)) else []
    present = {d["soort"] for _, d in graph.nodes(data=True) if not d.get("centrum")}
    kinds += [k for k in ("lid", "gemeente", "gr", "regio", "aanbieder", "organisatie")
              if k in present]
    names = {"centrum": words["centrum"], "lid": words["lid"]}
    return [{"soort": k, "vorm": NODE_STYLE[k][0], "kleur": NODE_STYLE[k][1],
             "naam": names.get(k) or words.get(k, k)} for k in kinds]


def edges(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The edges as records (source and target with their names), sorted for a table."""
    records = []
    for u, v, k, data in graph.edges(keys=True, data=True):
        records.append({
            "id": f"{u}|{v}|{k}",
            "bron": u, "bronNaam": graph.nodes[u]["label"],
            "doel": v, "doelNaam": graph.nodes[v]["label"],
            "doelSoort": graph.nodes[v]["soort"], "doelCode": graph.nodes[v]["code"],
            **data,
        })
    order = {"lidmaatschap": 0, "taakuitvoering": 1, "overeenkomst": 2}
    # the edge's id last: lines equal in the shown columns (two contracts with one
    # aanbieder) keep one order whatever order the query's rows came in
    records.sort(key=lambda e: (order.get(e["soort"], 9), e["wetNaam"] or "~", e["doelNaam"],
                                e["taakNaam"], e["deelgebiedNaam"], e["bronNaam"], e["id"]))
    return records


def legend(graph: nx.MultiDiGraph, lang: str = "nl") -> list[dict[str, Any]]:
    """One entry per wet among the edges (IRI, name, colour, number of edges); no wet last."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for _, _, data in graph.edges(data=True):
        counts[data["wet"]] += 1
        names.setdefault(data["wet"], data["wetNaam"] or _tail(data["wet"]))
    items = [
        {"wet": wet, "wetNaam": names[wet] if wet else export_words(lang)["geen wet"],
         "kleur": wet_colour(wet), "aantal": n}
        for wet, n in counts.items()
    ]
    items.sort(key=lambda i: (not i["wet"], i["wetNaam"]))
    return items


def options(graph: nx.MultiDiGraph, field: str) -> list[tuple[str, str]]:
    """The distinct (IRI, name) values of edge attribute ``field`` ('wet', 'deelgebied')."""
    seen: dict[str, str] = {}
    for _, _, data in graph.edges(data=True):
        if data[field]:
            seen.setdefault(data[field], data[f"{field}Naam"] or _tail(data[field]))
    return sorted(seen.items(), key=lambda kv: kv[1])


def _vis_node(iri: str, data: Mapping[str, Any]) -> dict[str, Any]:
    shape, colour = NODE_STYLE["centrum" if data["centrum"] else data["soort"]]
    node = {"id": iri, "label": data["label"], "title": data["title"], "shape": shape,
            "color": colour, "soort": data["soort"], "code": data["code"]}
    if data["centrum"]:
        node["size"] = 28
    return node


def _vis_edge(record: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"], "from": record["bron"], "to": record["doel"],
        "color": record["kleur"], "title": record["title"],
        "dashes": (True if record["soort"] == "lidmaatschap" else [8, 4]
                   if record["status"] == "afgeleid" else [2, 4]
                   if record["status"] == "aangenomen" else False),
        "wet": record["wet"], "deelgebied": record["deelgebied"], "soort": record["soort"],
        "sociaal": record.get("sociaal", True),
        "status": record["status"],
    }


def to_data(graph: nx.MultiDiGraph, **meta: Any) -> dict[str, Any]:
    """Nodes, edges (vis-network fields plus all attributes), legend and counts."""
    lang = graph.graph.get("lang", "nl")
    records = edges(graph)
    return {
        **meta,
        "gemeente": graph.graph.get("gemeente", ""),
        "nodes": [_vis_node(n, d) for n, d in _nodes_in_order(graph)],
        "edges": [{**_vis_edge(r), "data": {k: r[k] for k in EDGE_FIELDS}} for r in records],
        "legend": legend(graph, lang),
        "nodeLegend": node_legend(graph, lang),
        "options": VIS_OPTIONS,
        "count": {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()},
    }


def to_json(graph: nx.MultiDiGraph, **meta: Any) -> str:
    return json_text(to_data(graph, **meta))


def to_csv(graph: nx.MultiDiGraph) -> str:
    """One row per edge, the columns of :data:`EDGE_FIELDS`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EDGE_FIELDS, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for record in edges(graph):
        writer.writerow({**record, "illustratief": "true" if record["illustratief"] else ""})
    return out.getvalue()


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML (networkx), with the node and edge attributes; empty values left out."""
    clean = nx.MultiDiGraph()
    clean.graph.update({k: v for k, v in graph.graph.items() if v not in (None, "")})
    for n, data in graph.nodes(data=True):
        clean.add_node(n, **{k: v for k, v in data.items() if v not in (None, "")})
    for u, v, k, data in graph.edges(keys=True, data=True):
        clean.add_edge(u, v, key=k, **{a: b for a, b in data.items() if b not in (None, "")})
    buf = io.BytesIO()
    nx.write_graphml(clean, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


# ---------------------------------------------------------------- self-contained HTML

_HTML = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ heading }}</title>
<style>{{ vis_css }}</style>
<style>
body { font-family: system-ui, sans-serif; margin: 1rem 1.5rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
p.sub { margin: 0 0 .5rem; color: #555; }
ul.legend { list-style: none; padding: 0; margin: 0 0 .5rem; display: flex; flex-wrap: wrap;
  gap: 1rem; }
ul.legend svg { vertical-align: middle; }
#netwerk { width: {{ width }}; height: {{ height }}; border: 1px solid #ccc; }
div.vis-tooltip { white-space: pre-line; max-width: 32rem; }
</style>
<script>{{ vis_js }}</script>
</head>
<body>
<h1>{{ heading }}</h1>
<p class="sub">{{ subtitle }}</p>
<ul class="legend">
{% for item in legend %}<li><svg width="28" height="10" aria-hidden="true">
<rect width="28" height="10" fill="{{ item.kleur }}"/></svg>
{{ item.wetNaam }} ({{ item.aantal }})</li>
{% endfor %}</ul>
<div id="netwerk"></div>
<script>
(function () {
  var nodes = new vis.DataSet({{ nodes|tojson }});
  var edges = new vis.DataSet({{ edges|tojson }});
  var options = {{ options }};  // pyvis: JSON of VIS_OPTIONS (no data)
  new vis.Network(document.getElementById("netwerk"), {nodes: nodes, edges: edges}, options);
})();
</script>
</body>
</html>
"""


def _vis_assets() -> Path:
    """The vendored vis-network the web app serves (web/static/vendor/vis-network): the
    HTML file in-lines the same copy, so both draw alike and neither needs another host."""
    return resource_dir("vendor") / "vis-network"


def to_html(graph: nx.MultiDiGraph, heading: str | None = None, subtitle: str = "") -> str:
    """A self-contained HTML page drawing the network: pyvis builds the vis-network data
    (its public ``add_node``, ``add_edge``, ``set_options``, ``get_network_data``), the
    page in-lines the vendored vis-network, so the file needs no other host."""
    from pyvis.network import Network

    lang = graph.graph.get("lang", "nl")
    words = export_words(lang)
    centre = graph.graph.get("gemeente")
    naam = graph.nodes[centre]["label"] if centre in graph else ""
    heading = heading or words["netwerk"].format(naam=naam)
    counts = words["lijnen"].format(edges=graph.number_of_edges(), nodes=graph.number_of_nodes())
    net = Network(height="80vh", width="100%", directed=True, heading=heading)
    for n, data in _nodes_in_order(graph):
        node = _vis_node(n, data)
        net.add_node(node.pop("id"), label=node.pop("label"), shape=node.pop("shape"),
                     color=node.pop("color"), **node)
    for record in edges(graph):
        edge = _vis_edge(record)
        net.add_edge(edge.pop("from"), edge.pop("to"), **edge)
    net.set_options("var options = " + json.dumps(VIS_OPTIONS))
    nodes, links, heading, height, width, options = net.get_network_data()
    lib = _vis_assets()
    env = Environment(loader=DictLoader({"netwerk.html": _HTML}), autoescape=True)
    return env.get_template("netwerk.html").render(
        lang=lang, heading=heading, height=height, width=width, nodes=nodes, edges=links,
        options=Markup(options), subtitle=f"{subtitle} · {counts}" if subtitle else counts,
        legend=legend(graph, lang),
        vis_js=Markup(_script_safe((lib / "vis-network.min.js").read_text(encoding="utf-8"))),
        vis_css=Markup((lib / "vis-network.css").read_text(encoding="utf-8")),
    )


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def html_csp(html: str) -> str:
    """The Content-Security-Policy for serving the offline file ``html``: its own in-line
    scripts run (each allowed by its SHA-256 hash, so a script that is not in the file
    as generated does not), nothing is loaded from anywhere."""
    hashes = sorted({
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest())
        .decode("ascii") + "'"
        for m in _INLINE_SCRIPT.finditer(html)
    })
    return ("default-src 'none'; script-src " + (" ".join(hashes) or "'none'")
            + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")


def _script_safe(js: str) -> str:
    """Guard in-line script text against an early end tag."""
    return js.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _nodes_in_order(graph: nx.MultiDiGraph) -> list[tuple[str, dict[str, Any]]]:
    """The nodes in a fixed order (the centre first, then by IRI), whatever order the
    query's rows came in, so a download is the same on every request."""
    return sorted(graph.nodes(data=True), key=lambda nd: (not nd[1].get("centrum"), str(nd[0])))
