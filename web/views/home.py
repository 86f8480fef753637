"""Home: what sdgraph is, and what the store holds."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import data

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    store = data.store()
    graphs = store.graphs()
    return render_template(
        "home.html",
        statistieken=data.run("statistieken"),
        triples=sum(g.triples for g in graphs),
        graphs=graphs,
        backend=store.backend,
    )
