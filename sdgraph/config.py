"""Settings from CLI flags and SDGRAPH_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_store_path() -> Path:
    """Default on-disk location of the embedded store (XDG data home)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "sdgraph" / "store"


@dataclass(frozen=True)
class Settings:
    """Which store to use and how to reach it.

    ``endpoint`` set means the remote backend; otherwise the embedded store at
    ``store_path``. ``update_endpoint`` and ``gsp_endpoint`` default to the
    Oxigraph server layout next to the query endpoint (``/update``, ``/store``).
    """

    store_path: Path
    endpoint: str | None = None
    update_endpoint: str | None = None
    gsp_endpoint: str | None = None
    timeout: float = 60.0
    update_timeout: float = 3600.0
    query_timeout: float = 10.0  # user-written queries (/sparql, workbench); 0 = no limit

    @classmethod
    def from_env(
        cls,
        store_path: str | os.PathLike[str] | None = None,
        endpoint: str | None = None,
        env: os._Environ[str] | dict[str, str] | None = None,
    ) -> Settings:
        env = os.environ if env is None else env
        path = store_path or env.get("SDGRAPH_STORE") or default_store_path()
        return cls(
            store_path=Path(path).expanduser(),
            endpoint=endpoint or env.get("SDGRAPH_ENDPOINT") or None,
            update_endpoint=env.get("SDGRAPH_UPDATE_ENDPOINT") or None,
            gsp_endpoint=env.get("SDGRAPH_GSP_ENDPOINT") or None,
            timeout=float(env.get("SDGRAPH_TIMEOUT", "60")),
            update_timeout=float(env.get("SDGRAPH_UPDATE_TIMEOUT", "3600")),
            query_timeout=float(env.get("SDGRAPH_QUERY_TIMEOUT", "10")),
        )

    @property
    def backend(self) -> str:
        return "remote" if self.endpoint else "embedded"

    def describe(self) -> str:
        return self.endpoint if self.endpoint else str(self.store_path)
