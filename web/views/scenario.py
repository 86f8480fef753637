"""Scenario's: pick a gemeente and scenarios, compare them (matrix, criteria, ranking with
weights), drill down to the items, see the network before and after, download the report.

The work is done by :mod:`sdgraph.scenario` on an in-memory copy of the store; the
store itself is only read. Results are kept per store version for the next request.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from flask import Blueprint, Response, current_app, g, render_template, request, url_for

from sdgraph import network
from sdgraph.errors import UserError
from sdgraph.scenario import CRITERIA, Impact, Scenario, impacts, parse_weights, vergelijk
from sdgraph.scenario.model import (
    bundled,
    bundled_file,
    from_graph,
    from_yaml,
    load,
    with_overrides,
)
from sdgraph.scenario.report import FIGUREN, cell_code, to_csv, to_dict, to_html, to_markdown

from .. import data
from ..i18n import gettext as _

bp = Blueprint("scenario", __name__)

#: At most this many scenarios in one comparison, and this many characters of YAML.
MAX_SCENARIOS = 8
MAX_YAML = 20_000
CACHE_SIZE = 16
EXPORTS = {"html": "text/html", "md": "text/markdown", "csv": "text/csv",
           "json": "application/json"}

_lock = threading.Lock()


def _cache() -> OrderedDict:
    return current_app.extensions.setdefault("sdgraph.scenario", OrderedDict())


def labels() -> dict[str, str]:
    """Names of the figures, criteria, kinds of change and contract actions on the pages."""
    return {
        "eindigt": _("eindigt"), "wijzigt": _("wijzigt"), "start": _("start"),
        "gaten": _("gaten"), "dubbel": _("dubbel werk"), "contracten": _("contracten"),
        "aanbieders": _("aanbieders"), "partners": _("partners"), "zetels": _("zetels"),
        "stemmen": _("stemmen"),
        "zeggenschap": _("Zeggenschap (%)"), "integraal": _("Integraal werken"),
        "complexiteit": _("Complexiteit"), "kosten": _("Kosten (EUR)"),
        "risico": _("Transitierisico"),
        "uittreding": _("Uittreding"), "toetreding": _("Toetreding"),
        "eigen-regie": _("Eigen regie"), "overdracht": _("Overdracht"),
        "doordecentralisatie": _("Doordecentralisatie"),
        "opzeggen": _("opzeggen"), "heronderhandelen": _("heronderhandelen"),
        "loopt-af": _("loopt vanzelf af"),
    }


def _args():
    return request.form if request.method == "POST" else request.args


def _selection() -> tuple[list[str], str, str, str]:
    """(bundled ids, gemeente override, peildatum override, own YAML) from the request."""
    args = _args()
    ids = [i for i in args.getlist("s") if i]
    yaml_text = (args.get("yaml") or "").strip() if request.method == "POST" else ""
    if len(yaml_text) > MAX_YAML:
        raise UserError(_("Het eigen scenario is te lang (meer dan {n} tekens).", n=MAX_YAML))
    return ids, (args.get("gemeente") or "").strip(), (args.get("peildatum") or "").strip(), \
        yaml_text


def _scenarios(ids: list[str], gemeente: str, peildatum: str, yaml_text: str) -> list[Scenario]:
    scenarios: list[Scenario] = []
    for ident in dict.fromkeys(ids):
        scenarios += load(bundled_file(ident))
    if yaml_text:
        scenarios += from_graph(from_yaml(yaml_text, "eigen-scenario.yaml"), _("eigen scenario"))
    if not scenarios:
        raise UserError(_("Kies ten minste één scenario."))
    if len(scenarios) > MAX_SCENARIOS:
        raise UserError(_("Vergelijk hoogstens {n} scenario's tegelijk.", n=MAX_SCENARIOS))
    if len({s.iri for s in scenarios}) < len(scenarios):
        raise UserError(_("Een scenario is twee keer gekozen."))
    return [with_overrides(s, gemeente or None, peildatum or None) for s in scenarios]


def _impacts(scenarios: list[Scenario]) -> list[Impact]:
    """The impacts, kept per store version, scenario content and language."""
    lang = g.get("lang", "nl")
    key = (data.store().version(), lang,
           tuple((s.iri, s.gemeente, s.peildatum, s.besluitdatum,
                  s.graph.serialize(format="nt"), s.feiten.serialize(format="nt"))
                 for s in scenarios))
    cache = _cache()
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    result = impacts(data.store(), scenarios, lang)
    with _lock:
        cache[key] = result
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return result


def _weights() -> dict[str, float]:
    args = _args()
    return parse_weights({c: args.get(f"w_{c}") for c in CRITERIA if args.get(f"w_{c}")})


def _query_args(ids: list[str], gemeente: str, peildatum: str,
                weights: dict[str, float] | None = None) -> dict[str, object]:
    out: dict[str, object] = {"s": ids}
    if gemeente:
        out["gemeente"] = gemeente
    if peildatum:
        out["peildatum"] = peildatum
    for c, w in (weights or {}).items():
        if w != 1.0:
            out[f"w_{c}"] = f"{w:g}"
    return out


@bp.get("/scenario")
def index():
    choices = []
    for ident, path in bundled().items():
        for s in load(path):
            choices.append({"id": ident, "naam": s.naam(g.get("lang", "nl")),
                            "gemeente": s.gemeente.rsplit("/", 1)[-1].upper(),
                            "peildatum": s.peildatum.isoformat(),
                            "voorbeeld": ident.split("/", 1)[0]})
    chosen = request.args.getlist("s")
    return render_template("scenario.html", choices=choices, chosen=chosen,
                           gemeente=request.args.get("gemeente", ""), criteria=CRITERIA)


@bp.route("/scenario/vergelijk", methods=["GET", "POST"])
def compare():
    ids, gemeente, peildatum, yaml_text = _selection()
    scenarios = _scenarios(ids, gemeente, peildatum, yaml_text)
    weights = _weights()
    result = vergelijk(_impacts(scenarios), weights)
    args = _query_args(ids, gemeente, peildatum, weights)
    return render_template("scenario_vergelijk.html", v=result, criteria=CRITERIA, figuren=FIGUREN,
                           cell_code=cell_code, ids=ids, gemeente=gemeente, peildatum=peildatum,
                           yaml_text=yaml_text, args=args, exports=EXPORTS, labels=labels())


@bp.route("/scenario/vergelijk.<any(html, md, csv, json):fmt>", methods=["GET", "POST"])
def export(fmt: str):
    ids, gemeente, peildatum, yaml_text = _selection()
    result = vergelijk(_impacts(_scenarios(ids, gemeente, peildatum, yaml_text)), _weights())
    lang = g.get("lang", "nl")
    if fmt == "html":
        body = to_html(result, lang)
    elif fmt == "md":
        body = to_markdown(result, lang)
    elif fmt == "csv":
        body = to_csv(result, lang)
    else:
        body = json.dumps(to_dict(result, lang), ensure_ascii=False, indent=2)
    response = Response(body, mimetype=EXPORTS[fmt])
    response.headers["Content-Type"] = f"{EXPORTS[fmt]}; charset=utf-8"
    disposition = "attachment" if fmt in ("html", "md") else "inline"
    name = f"scenariovergelijking.{fmt}"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    if fmt == "html":  # the report has its own inline style sheet and no scripts
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")
    return response


def _one(index: int) -> tuple[list[str], str, str, str, Impact]:
    ids, gemeente, peildatum, yaml_text = _selection()
    found = _impacts(_scenarios(ids, gemeente, peildatum, yaml_text))
    if not 0 <= index < len(found):
        raise UserError(_("Geen scenario nummer {n} in deze keuze.", n=index + 1))
    return ids, gemeente, peildatum, yaml_text, found[index]


def _index() -> int:
    try:
        return int(_args().get("nr", "1")) - 1
    except ValueError:
        raise UserError(_("nr moet een geheel getal zijn.")) from None


@bp.route("/scenario/netwerk", methods=["GET", "POST"])
def netwerk():
    nr = _index()
    ids, gemeente, peildatum, yaml_text, imp = _one(nr)
    lang = g.get("lang", "nl")
    before = {e["id"]: e for e in network.edges(imp.netwerk_voor)}
    after = {e["id"]: e for e in network.edges(imp.netwerk_na)}
    args = _query_args(ids, gemeente, peildatum)
    src = url_for("scenario.netwerk_json", nr=nr + 1, lang=lang, **args)
    return render_template(
        "scenario_netwerk.html", imp=imp, nr=nr + 1, args=args, yaml_text=yaml_text,
        src=None if yaml_text else src,
        weg=[before[k] for k in before if k not in after],
        nieuw=[after[k] for k in after if k not in before],
        gebleven=len([k for k in before if k in after]),
        voor_data=network.to_data(imp.netwerk_voor), na_data=network.to_data(imp.netwerk_na),
        voor_telling=(imp.netwerk_voor.number_of_nodes(), imp.netwerk_voor.number_of_edges()),
        na_telling=(imp.netwerk_na.number_of_nodes(), imp.netwerk_na.number_of_edges()))


@bp.route("/scenario/netwerk.json", methods=["GET", "POST"])
def netwerk_json():
    *_, imp = _one(_index())
    body = {"scenario": imp.scenario.iri, "peildatum": imp.peildatum,
            "voor": network.to_data(imp.netwerk_voor), "na": network.to_data(imp.netwerk_na)}
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
    response.headers["Content-Type"] = data.FORMATS["json"]
    return response
