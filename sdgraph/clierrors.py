"""How every command reports a mistake: one line on stderr and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from .errors import StoreError, UserError


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn user and store errors into a one-line message and exit code 1 (2 for store)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except StoreError as exc:
            click.echo(f"Store error: {exc}", err=True)
            sys.exit(2)

    return wrapper
