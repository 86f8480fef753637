"""One translation catalogue for the web, the CLI, reports, validation messages and network
labels, and numbers in each language's CLDR format.

Dutch is the source language: every text is written in Dutch and the Dutch text is the
message id. ``sdgraph/locale/<lang>/LC_MESSAGES/messages.po`` holds the translations (today
``en``); Dutch needs no catalogue. Placeholders are ``str.format`` names::

    gettext("Geen gemeente met code {code} in de graaf.", "en", code="GM9999")

The ``.po`` file is read with Babel when a language is first used and kept for the life of
the process (see docs/architecture.md, "to add a language string"). Reading the ``.po``
itself, rather than a ``.mo`` compiled at install time, keeps an editable install and a
wheel the same: there is no build step whose output can be stale or missing.
"""

from __future__ import annotations

import functools
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel import numbers as babel_numbers

if TYPE_CHECKING:
    from babel.support import NullTranslations

#: Languages of the user interface; the first is the source language.
LANGUAGES = ("nl", "en")
DEFAULT = "nl"
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).parent / "locale"

Number = int | float | Decimal


def N_(text: str) -> str:  # noqa: N802 (the name gettext tools look for)
    """Mark ``text`` for the catalogue where it is translated later (a table of labels)."""
    return text


def language(lang: str | None) -> str:
    """One of :data:`LANGUAGES` for ``lang`` ('en', 'en-GB', 'EN_us' -> 'en'); else Dutch."""
    base = (lang or "").replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else DEFAULT


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> NullTranslations:
    """The catalogue of ``lang`` (read once per process); Dutch, the source, has none.

    Untranslated and fuzzy entries are left out, so they fall back to the Dutch text.
    """
    # imported here: a command that prints no translated text does not pay for them
    from babel.messages import mofile, pofile
    from babel.support import NullTranslations, Translations

    lang = language(lang)
    path = catalogue_path(lang)
    if lang == DEFAULT or not path.is_file():
        return NullTranslations()
    with path.open("rb") as fh:
        catalog = pofile.read_po(fh, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def reload() -> None:
    """Forget the catalogues read so far (after editing a ``.po`` file in a running process)."""
    translations.cache_clear()


def _fill(text: str, values: dict[str, object]) -> str:
    return text.format(**values) if values else text


def gettext(message: str, lang: str = DEFAULT, /, **values: object) -> str:
    """``message`` (Dutch) in ``lang``, with its ``{name}`` placeholders filled from ``values``."""
    return _fill(translations(lang).gettext(message), values)


def ngettext(singular: str, plural: str, n: int, lang: str = DEFAULT, /,
             **values: object) -> str:
    """The singular or plural form for ``n`` in ``lang``; ``{n}`` is filled in too."""
    return _fill(translations(lang).ngettext(singular, plural, n), {"n": n, **values})


def pgettext(context: str, message: str, lang: str = DEFAULT, /, **values: object) -> str:
    """Like :func:`gettext` for a text that is translated differently in ``context``."""
    return _fill(translations(lang).pgettext(context, message), values)


# --------------------------------------------------------------------------- numbers, dates


def _pattern(decimals: int | None) -> str | None:
    if decimals is None:
        return None
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


@functools.cache
def _locale(lang: str) -> Locale:
    """The Babel locale of one of :data:`LANGUAGES` (parsed once per process)."""
    return Locale.parse(lang)


@functools.cache
def _number_pattern(lang: str, decimals: int | None) -> babel_numbers.NumberPattern:
    """The number pattern :func:`format_number` applies, parsed once: Babel parses a
    pattern string on every call, a third of the cost of formatting a number."""
    if decimals is None:
        return babel_numbers.parse_pattern(_locale(lang).decimal_formats[None])
    return babel_numbers.parse_pattern(_pattern(decimals))


@functools.cache
def _percent_pattern(decimals: int) -> babel_numbers.NumberPattern:
    return babel_numbers.parse_pattern(
        "#,##0" + ("." + "0" * decimals if decimals else "") + "%")


def format_number(value: Number, lang: str = DEFAULT, decimals: int | None = None) -> str:
    """``value`` with the language's grouping and decimal sign: 1.234,5 (nl), 1,234.5 (en).

    ``decimals`` fixes the number of decimals; without it up to three are shown, as needed.
    """
    lang = language(lang)
    return babel_numbers.format_decimal(value, format=_number_pattern(lang, decimals),
                                        locale=_locale(lang))


def format_currency(value: Number, lang: str = DEFAULT, currency: str = "EUR",
                    decimals: int | None = None) -> str:
    """An amount in the language's currency format: € 1.234,50 (nl), €1,234.50 (en)."""
    locale = _locale(language(lang))
    if decimals is None:
        return babel_numbers.format_currency(value, currency, locale=locale)
    fixed = "0" + ("." + "0" * decimals if decimals > 0 else "")
    pattern = locale.currency_formats["standard"].pattern.replace("0.00", fixed)
    return babel_numbers.format_currency(value, currency, format=pattern, locale=locale,
                                         currency_digits=False)


def format_percent(value: Number, lang: str = DEFAULT, decimals: int = 0) -> str:
    """A fraction as a percentage in the language's format: 0.125 -> 12,5% (nl), 12.5% (en)."""
    lang = language(lang)
    return babel_numbers.format_percent(value, format=_percent_pattern(decimals),
                                        locale=_locale(lang))


def format_date(value: date | datetime, lang: str = DEFAULT, format: str = "long") -> str:
    """A date written out in the language: 1 juli 2024 (nl), July 1, 2024 (en)."""
    from babel import dates as babel_dates

    return babel_dates.format_date(value, format=format, locale=language(lang))
