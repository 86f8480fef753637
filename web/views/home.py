"""Home: what sdgraph is, and what the store holds (core: :mod:`sdgraph.pages.home`)."""

from __future__ import annotations

from flask import Blueprint

from sdgraph.pages import home as pages

from .. import data
from ..export import respond

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return respond(pages.page(data.runner()))
