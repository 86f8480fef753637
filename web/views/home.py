"""Home: what sdgraph is, and what the store holds."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import data

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    store = data.store()
    return render_template(
        "home.html",
        statistieken=data.run("statistieken"),
        triples=len(store),
        graphs=store.graphs(),
        backend=store.backend,
    )
