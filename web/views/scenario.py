"""Scenario's: pick a gemeente and scenarios, compare them (matrix, criteria, ranking with
weights), drill down to the items, see the network before and after, download the report
(core: :mod:`sdgraph.pages.scenario`; the store itself is only read)."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from sdgraph.errors import UserError
from sdgraph.pages import scenario as pages
from sdgraph.pages.base import MEDIA_TYPES
from sdgraph.scenario import CRITERIA, Scenario, parse_weights
from sdgraph.scenario.report import FIGUREN, cell_code

from .. import data
from ..export import respond
from ..i18n import gettext as _

bp = Blueprint("scenario", __name__)


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
    return ids, (args.get("gemeente") or "").strip(), (args.get("peildatum") or "").strip(), \
        yaml_text


def _scenarios(ids: list[str], gemeente: str, peildatum: str, yaml_text: str) -> list[Scenario]:
    return pages.select(ids, yaml_text, gemeente, peildatum, _("eigen scenario"))


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


def _compare() -> tuple[pages.VergelijkingPage, list[str], str, str, str, dict[str, float]]:
    ids, gemeente, peildatum, yaml_text = _selection()
    weights = _weights()
    page = pages.compare(data.store(), _scenarios(ids, gemeente, peildatum, yaml_text), weights,
                         data.lang(), data.library())
    return page, ids, gemeente, peildatum, yaml_text, weights


@bp.get("/scenario")
def index():
    return render_template("scenario.html", choices=pages.choices(data.lang()),
                           chosen=request.args.getlist("s"),
                           gemeente=request.args.get("gemeente", ""), criteria=CRITERIA)


@bp.route("/scenario/vergelijk", methods=["GET", "POST"])
def compare():
    page, ids, gemeente, peildatum, yaml_text, weights = _compare()
    return respond(page, criteria=CRITERIA, figuren=FIGUREN, cell_code=cell_code, ids=ids,
                   gemeente=gemeente, peildatum=peildatum, yaml_text=yaml_text,
                   args=_query_args(ids, gemeente, peildatum, weights),
                   exports={f: MEDIA_TYPES[f] for f in ("html", "md", "csv", "json")},
                   labels=labels())


@bp.route("/scenario/vergelijk.<any(html, md, csv, json):fmt>", methods=["GET", "POST"])
def export(fmt: str):
    return respond(_compare()[0], fmt)


def _nr() -> int:
    try:
        return int(_args().get("nr", "1"))
    except ValueError:
        raise UserError(_("nr moet een geheel getal zijn.")) from None


def _netwerk() -> tuple[pages.NetwerkVoorNa, list[str], str, str, str]:
    ids, gemeente, peildatum, yaml_text = _selection()
    page = pages.netwerk(data.store(), _scenarios(ids, gemeente, peildatum, yaml_text), _nr(),
                         data.lang(), data.library())
    return page, ids, gemeente, peildatum, yaml_text


@bp.route("/scenario/netwerk", methods=["GET", "POST"])
def netwerk():
    page, ids, gemeente, peildatum, yaml_text = _netwerk()
    args = _query_args(ids, gemeente, peildatum)
    src = url_for("scenario.netwerk_json", nr=_nr(), lang=data.lang(), **args)
    return respond(page, nr=_nr(), args=args, yaml_text=yaml_text,
                   src=None if yaml_text else src)


@bp.route("/scenario/netwerk.json", methods=["GET", "POST"])
def netwerk_json():
    return respond(_netwerk()[0], "json")
