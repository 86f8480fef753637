"""Settings: the only reader of the ``SDGRAPH_*`` environment variables.

Every other module gets what it needs from a :class:`Settings` passed to it
(the CLI builds one from its flags and the environment, the web app gets one
from ``create_app``). docs/usage.md lists the variables; docs/deploy.md says
which ones a set-up with several workers or machines must share.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import UserError

#: Environment variable -> (Settings field, what it is), for docs, errors and `sdgraph settings`.
VARIABLES: dict[str, tuple[str, str]] = {
    "SDGRAPH_STORE": ("store_path", "folder of the embedded store"),
    "SDGRAPH_ENDPOINT": ("endpoint", "SPARQL 1.1 query endpoint (remote backend)"),
    "SDGRAPH_UPDATE_ENDPOINT": ("update_endpoint", "SPARQL 1.1 update endpoint"),
    "SDGRAPH_GSP_ENDPOINT": ("gsp_endpoint", "Graph Store Protocol endpoint"),
    "SDGRAPH_ENDPOINT_PROFILE": ("endpoint_profile", "SPARQL server profile: auto, oxigraph, "
                                 "virtuoso, fuseki, graphdb or generic"),
    "SDGRAPH_ENDPOINT_USER": ("endpoint_user", "user name for the SPARQL server"),
    "SDGRAPH_ENDPOINT_PASSWORD": ("endpoint_password", "password for the SPARQL server"),
    "SDGRAPH_TIMEOUT": ("timeout", "seconds for a query to a remote store"),
    "SDGRAPH_UPDATE_TIMEOUT": ("update_timeout", "seconds for a load into a remote store"),
    "SDGRAPH_QUERY_TIMEOUT": ("query_timeout", "seconds for a user's own query (0: none)"),
    "SDGRAPH_LOCK_WAIT": ("lock_wait", "seconds a writer waits for another writer"),
    "SDGRAPH_CACHE_REFRESH": ("cache_refresh", "seconds between the web's checks for a load "
                                               "that makes it recompute cached results (0: off)"),
    "SDGRAPH_STORE_FOLLOW": ("store_follow", "seconds between the web's checks for a load that "
                                             "makes it reopen the embedded store (0: off)"),
    "SDGRAPH_SOURCES": ("sources", "folder of the public sources (layout of shared/data/sources)"),
    "SDGRAPH_QUERIES": ("query_folders", "extra folders of named queries (os.pathsep-separated)"),
    "SDGRAPH_SECRET_KEY": ("secret_key", "key that signs web sessions and tokens"),
    "SDGRAPH_ADMIN_TOKEN": ("admin_token", "token that allows writes through the web"),
    "SDGRAPH_DOWNLOAD_BASE": ("download_base", "mirror for 'sdgraph reference download'"),
    "SDGRAPH_INSTANCE": ("instance_path", "folder of the web app's own files (Valideren reports, "
                                          "the generated secret key)"),
    "SDGRAPH_QUERY_WORKERS": ("query_workers", "confined query workers per web process"),
    "SDGRAPH_QUERY_MEMORY_MB": ("query_memory_mb", "memory limit (MB) of a query worker"),
    "SDGRAPH_MAX_RESULT_MB": ("max_result_bytes", "largest result of a user's query (MB)"),
    "SDGRAPH_MAX_QUERY_CHARS": ("max_query_chars", "longest user's query (characters)"),
    "SDGRAPH_MAX_NESTING": ("max_nesting", "deepest nesting of a query, JSON or XML"),
    "SDGRAPH_RETRY_AFTER": ("retry_after", "seconds in Retry-After when workers are busy"),
    "SDGRAPH_UPLOAD_MAX_TRIPLES": ("upload_max_triples", "triples in one uploaded inventory"),
    "SDGRAPH_VALIDATION_TIMEOUT": ("validation_timeout", "seconds to validate one upload"),
    "SDGRAPH_COOKIE_SECURE": ("cookie_secure", "Secure session cookies: auto, true, false"),
}


def default_store_path(env: Mapping[str, str] | None = None) -> Path:
    """Default on-disk location of the embedded store (XDG data home)."""
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "sdgraph" / "store"


def _checkout_sources() -> Path:
    """``shared/data/sources`` beside a source checkout (the layout CI and developers use)."""
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "sources"


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name)
    if value in (None, ""):
        return default
    try:
        number = float(value)
    except ValueError:
        raise UserError(f"{name} must be a number of seconds, got {value!r}") from None
    if number < 0:
        raise UserError(f"{name} must not be negative, got {value!r}")
    return number


def _auto_flag(env: Mapping[str, str], name: str) -> str:
    """``auto``, ``true`` or ``false`` from a variable (1/yes/on and 0/no/off too)."""
    value = (env.get(name) or "auto").strip().lower()
    value = {"1": "true", "yes": "true", "on": "true",
             "0": "false", "no": "false", "off": "false"}.get(value, value)
    if value not in ("auto", "true", "false"):
        raise UserError(f"{name} must be auto, true or false, got {env.get(name)!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """Which store to use and how to reach it, and where the other inputs are.

    ``endpoint`` set means the remote backend; otherwise the embedded store at
    ``store_path``. ``update_endpoint`` and ``gsp_endpoint`` default to the
    layout of the server's profile (``endpoint_profile``: ``auto`` detects it;
    see :mod:`sdgraph.store.profiles` and docs/deploy.md). ``endpoint_user`` and
    ``endpoint_password`` are sent to the server (HTTP basic or digest, per profile).
    ``sources`` is the public sources folder when one was named or found beside
    the checkout (``sources_origin`` says which), else None.
    """

    store_path: Path
    endpoint: str | None = None
    update_endpoint: str | None = None
    gsp_endpoint: str | None = None
    timeout: float = 60.0
    update_timeout: float = 3600.0
    query_timeout: float = 10.0  # user-written queries (/sparql, workbench); 0 = no limit
    lock_wait: float = 60.0
    #: the web checks this often (seconds) whether a load changed the store, and then
    #: recomputes in the background the cached results asked before it (0: never)
    cache_refresh: float = 5.0
    #: the web checks this often (seconds) whether a load changed its read-only embedded
    #: store, and then reopens it and reads the load records (sdgraph.follow; 0: never)
    store_follow: float = 0.5
    #: compute the national aggregates into the store after every load (sdgraph.materialise)
    materialise: bool = True
    sources: Path | None = None
    sources_origin: str = ""  # "SDGRAPH_SOURCES", "--sources", "beside the checkout" or ""
    query_folders: tuple[Path, ...] = field(default_factory=tuple)
    #: signs web sessions and Valideren report tokens; every worker and node needs the same
    #: one (None: a key generated once and kept in the instance folder)
    secret_key: str | None = None
    admin_token: str | None = None
    download_base: str | None = None
    #: the web app's own files (Valideren uploads and reports, the generated secret key);
    #: default: beside the store folder (<store>-instance)
    instance_path: Path | None = None
    endpoint_profile: str = "auto"
    endpoint_user: str | None = None
    endpoint_password: str | None = field(default=None, repr=False)
    # limits on user-written queries and uploads (docs/security.md)
    query_workers: int = 2  # confined query workers per web process = concurrent user queries
    query_memory_mb: int = 1024  # data limit of one query worker (and of an upload's validation)
    max_result_bytes: int = 32 * 1024 * 1024  # text of a user query's result terms
    max_query_chars: int = 256 * 1024
    max_nesting: int = 64  # SPARQL, JSON(-LD) and XML nesting
    retry_after: int = 5  # seconds, in a 503 when every query worker is busy
    upload_max_triples: int = 100_000  # triples in one uploaded inventory
    validation_timeout: float = 60.0  # seconds for reading and validating one upload
    cookie_secure: str = "auto"  # session cookie Secure flag: auto (over https), true, false

    @classmethod
    def from_env(
        cls,
        store_path: str | os.PathLike[str] | None = None,
        endpoint: str | None = None,
        env: Mapping[str, str] | None = None,
        sources: str | os.PathLike[str] | None = None,
    ) -> Settings:
        """Settings from the environment; the arguments (CLI flags) win over it."""
        env = os.environ if env is None else env
        path = store_path or env.get("SDGRAPH_STORE") or default_store_path(env)
        if sources:
            found, origin = Path(sources), "--sources"
        elif env.get("SDGRAPH_SOURCES"):
            found, origin = Path(env["SDGRAPH_SOURCES"]), "SDGRAPH_SOURCES"
        elif _checkout_sources().is_dir():
            found, origin = _checkout_sources(), "beside the checkout"
        else:
            found, origin = None, ""
        extra = env.get("SDGRAPH_QUERIES", "")
        return cls(
            store_path=Path(path).expanduser(),
            endpoint=endpoint or env.get("SDGRAPH_ENDPOINT") or None,
            update_endpoint=env.get("SDGRAPH_UPDATE_ENDPOINT") or None,
            gsp_endpoint=env.get("SDGRAPH_GSP_ENDPOINT") or None,
            timeout=_number(env, "SDGRAPH_TIMEOUT", 60.0),
            update_timeout=_number(env, "SDGRAPH_UPDATE_TIMEOUT", 3600.0),
            query_timeout=_number(env, "SDGRAPH_QUERY_TIMEOUT", 10.0),
            lock_wait=_number(env, "SDGRAPH_LOCK_WAIT", 60.0),
            cache_refresh=_number(env, "SDGRAPH_CACHE_REFRESH", 5.0),
            store_follow=_number(env, "SDGRAPH_STORE_FOLLOW", 0.5),
            materialise=_number(env, "SDGRAPH_MATERIALISE", 1) != 0,
            sources=found.expanduser() if found else None,
            sources_origin=origin,
            query_folders=tuple(Path(p) for p in extra.split(os.pathsep) if p),
            secret_key=env.get("SDGRAPH_SECRET_KEY") or None,
            admin_token=env.get("SDGRAPH_ADMIN_TOKEN") or None,
            download_base=env.get("SDGRAPH_DOWNLOAD_BASE") or None,
            instance_path=Path(env["SDGRAPH_INSTANCE"]).expanduser()
            if env.get("SDGRAPH_INSTANCE") else None,
            endpoint_profile=env.get("SDGRAPH_ENDPOINT_PROFILE") or "auto",
            endpoint_user=env.get("SDGRAPH_ENDPOINT_USER") or None,
            endpoint_password=env.get("SDGRAPH_ENDPOINT_PASSWORD") or None,
            query_workers=int(_number(env, "SDGRAPH_QUERY_WORKERS", 2)) or 1,
            query_memory_mb=int(_number(env, "SDGRAPH_QUERY_MEMORY_MB", 1024)),
            max_result_bytes=int(_number(env, "SDGRAPH_MAX_RESULT_MB", 32) * 1024 * 1024),
            max_query_chars=int(_number(env, "SDGRAPH_MAX_QUERY_CHARS", 256 * 1024)),
            max_nesting=int(_number(env, "SDGRAPH_MAX_NESTING", 64)),
            retry_after=int(_number(env, "SDGRAPH_RETRY_AFTER", 5)),
            upload_max_triples=int(_number(env, "SDGRAPH_UPLOAD_MAX_TRIPLES", 100_000)),
            validation_timeout=_number(env, "SDGRAPH_VALIDATION_TIMEOUT", 60.0),
            cookie_secure=_auto_flag(env, "SDGRAPH_COOKIE_SECURE"),
        )

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (tests, and flags given after start-up)."""
        return replace(self, **changes)

    @property
    def instance_folder(self) -> Path:
        """Where the web app keeps its own files: SDGRAPH_INSTANCE, else beside the store."""
        if self.instance_path is not None:
            return self.instance_path
        return self.store_path.with_name(self.store_path.name + "-instance")

    @property
    def backend(self) -> str:
        return "remote" if self.endpoint else "embedded"

    def describe(self) -> str:
        return self.endpoint if self.endpoint else str(self.store_path)

    def sources_folder(self) -> Path | None:
        """The public sources folder when it exists, else None."""
        return self.sources if self.sources is not None and self.sources.is_dir() else None

    def describe_sources(self) -> str:
        """Where the sources come from, for messages ('no sources folder' when none)."""
        folder = self.sources_folder()
        if folder is None:
            if self.sources is not None:
                return f"{self.sources} ({self.sources_origin}) does not exist"
            return "no sources folder (set SDGRAPH_SOURCES)"
        return f"{folder} ({self.sources_origin})"
