"""What every command shares: the invocation's context (settings, store, query runner),
the one exit-code policy, and writing output.

Exit codes, the same for every command (docs/usage.md):

- 0: done;
- 1: done, and the answer is no (an inventory that does not conform, a load refused
  because of it);
- 2: could not run: a mistake in the input (option, parameter, file; one line on
  stderr naming it) or a store that is unreachable or locked. Click's own usage
  errors are 2 as well.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn

import click

from ..config import Settings
from ..errors import StoreError, UserError
from ..queries import QueryLibrary
from ..runner import Runner
from ..store import Store, open_store

#: Exit codes (module docstring).
OK, NO, COULD_NOT_RUN = 0, 1, 2

LANG_OPTION = click.option("--lang", type=click.Choice(["nl", "en"]), default="nl",
                           show_default=True, help="Language of names and labels.")


class Context:
    """Settings of one invocation, with the store opened on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.library = QueryLibrary.from_settings(settings)
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def runner(self, lang: str = "nl") -> Runner:
        return Runner(self.store, self.library, lang)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def could_not_run(message: str) -> NoReturn:
    """One line on stderr and exit code 2."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(COULD_NOT_RUN)


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn user and store errors into one line on stderr and exit code 2 (in the language
    of the command's ``--lang`` when it has one)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            could_not_run(exc.in_language(kwargs.get("lang") or "nl"))
        except StoreError as exc:
            click.echo(f"Store error: {exc}", err=True)
            sys.exit(COULD_NOT_RUN)

    return wrapper


def emit(out: str, output: str | None) -> None:
    """``out`` to the file ``output`` (saying so on stderr), else to stdout."""
    if output:
        Path(output).write_text(out if out.endswith("\n") else out + "\n", encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(out)
