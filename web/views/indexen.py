"""Index pages: the gemeenschappelijke regelingen (filtered on wet, samenwerkingsvorm,
provincie and peildatum), the regio-indelingen and the regio's of one indeling (core:
:mod:`sdgraph.pages.indexen`)."""

from __future__ import annotations

from flask import Blueprint, request

from sdgraph.pages import indexen as pages

from .. import data
from ..export import respond

bp = Blueprint("indexen", __name__)


def _arg(name: str) -> str | None:
    return request.args.get(name, "").strip() or None


def _regelingen() -> pages.IndexPage:
    return pages.regelingen(data.runner(), _arg("peildatum"), _arg("wet"),
                            _arg("samenwerkingsvorm"), _arg("provincie"))


@bp.get("/regelingen")
def regelingen():
    return respond(_regelingen())


@bp.get("/regelingen.<any(json, csv, xlsx):fmt>")
def regelingen_export(fmt: str):
    return respond(_regelingen(), fmt)


@bp.get("/regio-indelingen")
def regio_indelingen():
    return respond(pages.indelingen(data.runner()))


@bp.get("/regio-indelingen.<any(json, csv, xlsx):fmt>")
def regio_indelingen_export(fmt: str):
    return respond(pages.indelingen(data.runner()), fmt)


def _indeling() -> pages.IndexPage:
    from .wiedoetwat import iri_arg

    return pages.indeling(data.runner(), iri_arg(), _arg("peildatum"))


@bp.get("/regio-indeling")
def regio_indeling():
    return respond(_indeling())


@bp.get("/regio-indeling.<any(json, csv, xlsx):fmt>")
def regio_indeling_export(fmt: str):
    return respond(_indeling(), fmt)
