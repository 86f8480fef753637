"""Serve the app in production form: gunicorn, several worker processes on one port.

Each worker builds its own app (and opens its own store) after the fork. With
the embedded store every worker opens it read-only (no lock), so the CLI can
still load data while the site runs; a worker reopens the store when a load
has changed it. With a SPARQL endpoint the workers share that server, and any
number of web nodes can run in front of it (docs/deploy.md).
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from sdgraph.config import Settings


class ProductionServer(BaseApplication):
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app

        return create_app(settings=self.settings)


def serve(settings: Settings, host: str, port: int, workers: int, threads: int,
          timeout: int = 60) -> None:
    """Run gunicorn in the foreground until interrupted."""
    ProductionServer(settings, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "graceful_timeout": 10,
        "accesslog": "-",
        "preload_app": False,  # every worker opens its own store after the fork
        # no limit on the request line (default 4,094 bytes, at most 8,190): SPARQL
        # clients send queries by GET (SPARQLWrapper, rdflib's SPARQLStore), and a
        # named query with its PREFIX lines passes 8 KB encoded. A proxy in front
        # sets the limit (docs/deploy.md).
        "limit_request_line": 0,
    }).run()
