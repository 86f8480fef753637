"""Scenario's: pick scenarios (bundled, stored, own: built here, a YAML text or a file),
compare them (matrix, criteria, ranking with weights), drill down to the items, see the
network before and after, download the report; build a scenario with forms, save it as a
file, a link or (administrator) in the store; the doordecentralisatie BW/MO template.

Core: :mod:`sdgraph.pages.scenario`, :mod:`sdgraph.pages.scenario_bouwen`,
:mod:`sdgraph.pages.doordecentralisatie`. The store itself is only read, except when an
administrator saves a scenario (:func:`web.data.writer`). Every own scenario travels as a
link value (``sc``), so every page is a URL that can be shared and downloads are links.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, current_app, redirect, request, session, url_for

from sdgraph.errors import FieldError, UserError
from sdgraph.pages import doordecentralisatie as bwmo
from sdgraph.pages import scenario as pages
from sdgraph.pages import scenario_bouwen as bouw
from sdgraph.pages.base import MEDIA_TYPES, Page
from sdgraph.scenario import CRITERIA, INDICATOREN, Scenario, opslag, parse_weights
from sdgraph.scenario import link as links
from sdgraph.scenario.model import scenario_from_doc, to_turtle, to_yaml
from sdgraph.scenario.report import FIGUREN
from sdgraph.scenario.tekst import samenvatting, zinnen
from sdgraph.scenario.vergelijking import DEFINITIE, naam, score_tekst, waarde_tekst

from .. import data
from ..export import respond
from ..i18n import gettext as _
from .valideren import csrf_token

bp = Blueprint("scenario", __name__)


def labels() -> dict[str, str]:
    """Names of the figures, criteria, kinds of change and contract actions on the pages."""
    return {
        "eindigt": _("eindigt"), "wijzigt": _("wijzigt"), "start": _("start"),
        "gaten": _("gaten"), "dubbel": _("dubbel werk"), "contracten": _("contracten"),
        "aanbieders": _("aanbieders"), "partners": _("partners"), "zetels": _("zetels"),
        "stemmen": _("stemmen"),
        **{c: naam(c, data.lang()) for c in (*CRITERIA, *INDICATOREN)},
        "uittreding": _("Uittreding"), "toetreding": _("Toetreding"),
        "eigen-regie": _("Eigen regie"), "overdracht": _("Overdracht"),
        "doordecentralisatie": _("Doordecentralisatie"),
        "opzeggen": _("opzeggen"), "heronderhandelen": _("heronderhandelen"),
        "loopt-af": _("loopt vanzelf af"),
    }


def _helpers() -> dict[str, Any]:
    lang = data.lang()
    return dict(criteria=CRITERIA, indicatoren=INDICATOREN, definitie=DEFINITIE,
                waarde_tekst=waarde_tekst, score_tekst=score_tekst, labels=labels(),
                zinnen=lambda d: zinnen(d, lang), samenvatting=lambda d: samenvatting(d, lang))


def _args():
    return request.form if request.method == "POST" else request.args


@dataclass
class Keuze:
    """What a request chose: scenario ids, own scenarios (links), gemeente and peildatum
    overrides, weights."""

    ids: list[str] = field(default_factory=list)
    sc: list[str] = field(default_factory=list)
    gemeente: str = ""
    peildatum: str = ""
    yaml_text: str = ""
    weights: dict[str, float] = field(default_factory=dict)

    def query(self, with_weights: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"s": self.ids}
        if self.sc:
            out["sc"] = self.sc
        if self.gemeente:
            out["gemeente"] = self.gemeente
        if self.peildatum:
            out["peildatum"] = self.peildatum
        for c, w in (self.weights if with_weights else {}).items():
            if w != 1.0:
                out[f"w_{c}"] = f"{w:g}"
        return out


def _keuze() -> Keuze:
    args = _args()
    try:
        weights = parse_weights({c: args.get(f"w_{c}") for c in CRITERIA if args.get(f"w_{c}")})
    except UserError as exc:
        raise FieldError.at("gewichten", exc) from None
    return Keuze([i for i in args.getlist("s") if i], [v for v in args.getlist("sc") if v],
                 (args.get("gemeente") or "").strip(), (args.get("peildatum") or "").strip(),
                 (args.get("yaml") or "").strip() if request.method == "POST" else "", weights)


def _scenarios(k: Keuze) -> list[Scenario]:
    return pages.select(k.ids, k.yaml_text, k.gemeente, k.peildatum, _("eigen scenario"), k.sc,
                        data.store(), data.library())


def _index(k: Keuze | None = None, fout: FieldError | None = None, status: int = 200):
    """The page to choose scenarios, with a mistake shown at its field."""
    k = k or Keuze(request.args.getlist("s"), request.args.getlist("sc"),
                   request.args.get("gemeente", ""), request.args.get("peildatum", ""))
    eigen = []
    for value in k.sc:
        try:
            eigen.append((value, links.decode(value).naam(data.lang())))
        except UserError:
            continue
    fouten = {fout.field: fout.in_language(data.lang())} if fout else {}
    page = IndexPage(pages.choices(data.lang(), data.store(), data.library()), k, eigen,
                     fouten)
    response = respond(page, yaml_text=request.form.get("yaml", "") if request.method == "POST"
                       else "")
    response.status_code = status
    return response


@dataclass
class IndexPage(Page):
    """The choice of scenarios (a thin page: the form of the index)."""

    keuzes: list[dict[str, Any]]
    keuze: Keuze
    eigen: list[tuple[str, str]]
    fouten: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)

    view = "scenario"
    template = "scenario.html"
    formats = ()

    def context(self) -> dict[str, Any]:
        return dict(choices=self.keuzes, chosen=self.keuze.ids, eigen=self.eigen,
                    gemeente=self.keuze.gemeente, peildatum=self.keuze.peildatum,
                    fouten=self.fouten, criteria=CRITERIA)


@bp.get("/scenario")
def index():
    try:
        pages.check_peildatum((request.args.get("peildatum") or "").strip())
    except FieldError as fout:
        return _index(fout=fout, status=400)
    return _index()


def _upload() -> tuple[str, bytes] | None:
    upload = request.files.get("bestand")
    if upload is None or not upload.filename:
        return None
    return upload.filename, upload.read(pages.MAX_BESTAND + 1)


@bp.route("/scenario/vergelijk", methods=["GET", "POST"])
def compare():
    k = None
    try:
        k = _keuze()
        if request.method == "POST":  # own YAML or a file become links: the result is a URL
            k.sc = [*k.sc, *pages.eigen_links(k.yaml_text, _upload())]
            k.yaml_text = ""
            _scenarios(k)  # every mistake at its field, before leaving this form
            return redirect(url_for("scenario.compare", **k.query()), 303)
        scenarios = _scenarios(k)
    except FieldError as exc:
        return _index(k, exc, 400)
    page = pages.compare(data.store(), scenarios, k.weights, data.lang(), data.library(),
                         data.settings().sources_folder())
    return respond(page, figuren=FIGUREN, keuze=k, args=k.query(),
                   exports={f: MEDIA_TYPES[f] for f in ("html", "md", "csv", "json")},
                   **_helpers())


@bp.route("/scenario/vergelijk.<any(html, md, csv, json):fmt>", methods=["GET", "POST"])
def export(fmt: str):
    k = _keuze()
    folder = data.settings().sources_folder() if fmt == "html" else None  # the map
    page = pages.compare(data.store(), _scenarios(k), k.weights, data.lang(), data.library(),
                         folder)
    return respond(page, fmt)


@bp.route("/scenario/kaart.<any(svg, geojson, csv, json):fmt>", methods=["GET", "POST"])
def kaart(fmt: str):
    """One scenario's map of the gemeente's partners before and after, as a download."""
    k = _keuze()
    return respond(pages.kaart_page(data.store(), _scenarios(k), _nr(), data.lang(),
                                    data.library(), data.settings().sources_folder()), fmt)


def _nr() -> int:
    try:
        return int(_args().get("nr", "1"))
    except ValueError:
        raise UserError(_("nr moet een geheel getal zijn.")) from None


@bp.route("/scenario/netwerk", methods=["GET", "POST"])
def netwerk():
    k = _keuze()
    page = pages.netwerk(data.store(), _scenarios(k), _nr(), data.lang(), data.library())
    args = k.query(with_weights=False)
    src = url_for("scenario.netwerk_json", nr=_nr(), lang=data.lang(), **args)
    return respond(page, nr=_nr(), args=args, src=src)


@bp.route("/scenario/netwerk.json", methods=["GET", "POST"])
def netwerk_json():
    k = _keuze()
    return respond(pages.netwerk(data.store(), _scenarios(k), _nr(), data.lang(),
                                 data.library()), "json")


# --------------------------------------------------------------------------- the builder


def _bouw(doc: dict[str, Any] | None, fouten: dict[str, str] | None = None,
          invoer: dict[str, list[str]] | None = None, status: int = 200,
          extra: dict[str, Any] | None = None, template: str | None = None, **context: Any):
    page = bouw.pagina(data.store(), data.library(), data.lang(), doc, fouten, invoer, extra)
    gemeenten = [] if doc else data.run("gemeenten", {}).rows
    vergelijkbaar = []
    if doc and template is None:
        code = page.keuzes.code if page.keuzes else ""
        vergelijkbaar = sorted(pages.choices(data.lang(), data.store(), data.library()),
                               key=lambda c: (c["gemeente"] != code, c["id"]))
    context.setdefault("opgeslagen", None)
    admin = bool(current_app.config.get("ADMIN_TOKEN"))
    response = respond(page, template=template, gemeenten=gemeenten,
                       vergelijkbaar=vergelijkbaar, admin=admin,
                       csrf=csrf_token() if admin and doc else "", **_helpers(), **context)
    if status == 201:  # the preview of an incomplete change: not an error
        status = 200
    elif (fouten or page.fouten) and status == 200:
        status = 400
    response.status_code = status
    return response


def _doc(value: str) -> dict[str, Any]:
    try:
        return bouw.van_link(value)
    except UserError as exc:
        raise FieldError.at("sc", exc) from None


def _naar(doc: dict[str, Any], anchor: str = ""):
    return redirect(url_for("scenario.bouwen", sc=links.encode_doc(doc)) + anchor, 303)


@bp.get("/scenario/bouwen")
def bouwen():
    args = request.args
    try:
        if args.get("sc"):
            return _bouw(_doc(args["sc"]))
        if args.get("s"):  # a bundled or stored scenario, to change it here
            scenario = pages.select([args["s"]], store=data.store(), library=data.library())[0]
            return _naar(bouw.doc_van(scenario))
    except FieldError as exc:
        return _bouw(None, {exc.field: exc.in_language(data.lang())}, dict(args.lists()))
    if "gemeente" in args:  # the start form
        doc, fouten = bouw.begin(data.runner(), args, data.lang())
        if fouten:
            return _bouw(None, fouten, dict(args.lists()))
        return _naar(doc)
    return _bouw(None, invoer={"peildatum": [args.get("peildatum", "")]})


@bp.post("/scenario/bouwen")
def bouwen_post():
    form = request.form
    lang = data.lang()
    try:
        doc = _doc(form.get("sc", ""))
    except FieldError as exc:
        return _bouw(None, {exc.field: exc.in_language(lang)})
    actie = form.get("actie", "toevoegen")
    if actie == "kop":
        new, fouten = bouw.begin(data.runner(), form, lang, doc)
        return _bouw(doc, fouten, dict(form.lists())) if fouten else _naar(new)
    if actie in ("verwijder", "bewerk"):
        try:
            nr = int(form.get("nr", ""))
            change = (doc.get("wijzigingen") or [])[nr - 1] if nr >= 1 else None
            rest = bouw.verwijder(doc, nr)
        except (ValueError, IndexError, UserError):
            return _bouw(doc, {"wijzigingen": _("Geen wijziging nummer {n} in dit scenario.",
                                                n=form.get("nr", ""))})
        if actie == "verwijder":
            return _naar(rest, "#wijzigingen")
        return _bouw(rest, invoer=bouw.invoer(change or {}))
    k = bouw.keuzes(data.store(), data.library(), scenario_from_doc(doc, "bouwer").gemeente,
                    doc["peildatum"], lang)
    change, fouten = bouw.wijziging(form, k, data.store(), data.library(), lang)
    if fouten or change is None:
        return _bouw(doc, fouten, dict(form.lists()))
    try:
        return _naar(bouw.voeg_toe(doc, change), "#impact")
    except UserError as exc:
        return _bouw(doc, {"wijzigingen": exc.in_language(lang)}, dict(form.lists()))


@bp.post("/scenario/bouwen/voorbeeld")
def voorbeeld():
    """The impact with the change being typed (a fragment the page's script shows)."""
    form = request.form
    lang = data.lang()
    doc = _doc(form.get("sc", ""))
    k = bouw.keuzes(data.store(), data.library(), scenario_from_doc(doc, "bouwer").gemeente,
                    doc["peildatum"], lang)
    change, fouten = bouw.wijziging(form, k, data.store(), data.library(), lang)
    # always 200: an incomplete change is the normal state while typing; the fragment says
    # what is missing
    return _bouw(doc, fouten, dict(form.lists()), status=201 if fouten else 200,
                 extra=change, template="_scenario_impact.html", voorbeeld=True)


@bp.post("/scenario/openen")
def openen():
    """A scenario file (.ttl, .yaml) or YAML text, opened in the builder."""
    try:
        found = pages.eigen_links((request.form.get("yaml") or "").strip(), _upload())
        if not found:
            raise FieldError("bestand", _("Kies een scenariobestand (.ttl of .yaml) of plak "
                                          "YAML."))
    except FieldError as exc:
        return _bouw(None, {exc.field: exc.in_language(data.lang())})
    return _naar(links.decode_doc(found[0]))


@dataclass
class Bestand(Page):
    """A scenario as a file: Turtle (data, with author, date and provenance) or YAML."""

    scenario: Scenario
    params: dict[str, str] = field(default_factory=dict)

    view = "scenario"
    formats = ("ttl", "yaml")
    attachments = ("ttl", "yaml")

    def render(self, fmt: str) -> str:
        return to_turtle(self.scenario) if fmt == "ttl" else to_yaml(self.scenario)

    def filename(self, fmt: str) -> str:
        return f"{self.scenario.slug}.{fmt}"


@bp.get("/scenario/bestand.<any(ttl, yaml):fmt>")
def bestand(fmt: str):
    doc = _doc(request.args.get("sc", ""))
    return respond(Bestand(scenario_from_doc(doc, "link")), fmt)


def _check_admin() -> None:
    """The administrator token, and the form's CSRF token (as for loading an inventory)."""
    csrf = request.form.get("csrf", "").encode("utf-8")
    if not csrf or not hmac.compare_digest(csrf, session.get("csrf", "").encode("utf-8")):
        abort(400, _("Het formulier is verlopen of ongeldig; laad de pagina opnieuw."))
    expected = (current_app.config.get("ADMIN_TOKEN") or "").encode("utf-8")
    sent = request.form.get("token", "").encode("utf-8")
    if not expected:
        abort(403, _("Opslaan in de opslag staat uit: deze server heeft geen beheerderstoken "
                     "(SDGRAPH_ADMIN_TOKEN). Bewaar het scenario als bestand of link."))
    if not sent or not hmac.compare_digest(sent, expected):
        abort(403, _("Alleen een beheerder kan in de opslag bewaren: het beheerderstoken "
                     "ontbreekt of klopt niet. Bewaar het scenario als bestand of link."))


@bp.post("/scenario/opslaan")
def opslaan():
    doc = _doc(request.form.get("sc", ""))
    _check_admin()
    scenario = scenario_from_doc(doc, "bouwer")
    with data.writer() as store:
        opslag.opslaan(store, scenario)
    ident = opslag.ident(opslag.graaf(scenario)) or ""
    return _bouw(doc, opgeslagen=ident)


# --------------------------------------------------------------------------- BW/MO template


def _bwmo() -> bwmo.DoordecentralisatiePage:
    return bwmo.page(data.store(), data.library(), data.lang(),
                     (request.args.get("regio") or "").strip() or None,
                     (request.args.get("peildatum") or "").strip() or None)


@bp.get("/scenario/doordecentralisatie")
def doordecentralisatie():
    return respond(_bwmo())


@bp.get("/scenario/doordecentralisatie.<any(json, csv):fmt>")
def doordecentralisatie_export(fmt: str):
    return respond(_bwmo(), fmt)
