"""Errors a user can act on; the CLI and web show them without a traceback."""


class UserError(Exception):
    """A mistake in the user's input (file, parameter, option)."""


class DataError(UserError):
    """Input data that cannot be read; the message names file and line."""


class StoreError(Exception):
    """The store could not do what was asked (unreachable endpoint, locked store)."""
