"""Errors a user can act on; the CLI and web show them without a traceback.

A message may be a template with ``{name}`` fields and its values as keyword
arguments (``UserError("Geen gemeente met code {code}.", code="GM9999")``): the
web and the CLI then translate the template with the one catalogue and fill it
in, so the same error reads in the page's language.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """A mistake in the user's input (file, parameter, option)."""

    def __init__(self, message: str = "", **params: Any) -> None:
        self.template = message
        self.params = params
        super().__init__(message.format(**params) if params else message)

    def in_language(self, lang: str) -> str:
        """The message in ``lang``: its template through the catalogue, then filled in (a
        message that is not in the catalogue reads as it was written)."""
        from .i18n import gettext

        return gettext(self.template, lang, **self.params) if self.params else gettext(
            str(self), lang)


class FieldError(UserError):
    """A mistake in one field of a form: the page shows the message at that field."""

    def __init__(self, field: str, message: str = "", **params: Any) -> None:
        self.field = field
        super().__init__(message, **params)

    @classmethod
    def at(cls, field: str, exc: UserError) -> FieldError:
        """``exc`` at ``field`` (its template and values kept, so it translates alike)."""
        return cls(field, exc.template, **exc.params)


class DataError(UserError):
    """Input data that cannot be read; the message names file and line."""


class StoreError(Exception):
    """The store could not do what was asked (unreachable endpoint, locked store)."""
