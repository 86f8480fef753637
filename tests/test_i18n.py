"""The one translation catalogue (sdgraph/locale) and numbers in each language's format.

The catalogue is checked against what ``pybabel extract`` finds in the code and the templates
(babel.cfg), so a text that is shown but not translated, or translated but no longer shown,
fails here; ``make messages`` brings the catalogue up to date.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import SOURCES, get_page, missing

from sdgraph import i18n

ROOT = Path(__file__).resolve().parent.parent
PEIL = "2020-07-02"
KEMPEN = "https://identifier.overheid.nl/tooi/id/so/so0665"


def extracted() -> dict[str | tuple[str, str], str | None]:
    """msgid (a plural as (singular, plural)) -> context, found as pybabel extract finds it."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str | tuple[str, str], str | None] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map):
        key = tuple(message) if isinstance(message, (list, tuple)) else message
        found[key] = context
    return found


def catalogue(lang: str = "en"):
    with i18n.catalogue_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_text_in_code_and_templates_is_in_the_catalogue_and_nothing_else():
    found = extracted()
    entries = {m.id if isinstance(m.id, str) else tuple(m.id): m.context
               for m in catalogue() if m.id}
    # every kind of source: templates, views, error pages, reports, network, validation
    for text in ("Zoek in sdgraph", "Geen gemeente met code {code} in de graaf.",
                 "Niet gevonden", "Scenariovergelijking", "Netwerk van {naam}",
                 "Voldoet niet.", "Vul '{field}' in.", ("{n} rij", "{n} rijen"), "partij"):
        assert text in found, text
    assert len(found) > 400
    from web.errors import DEFAULT_MESSAGES, TITLES  # translated where they are shown

    assert set(TITLES.values()) | set(DEFAULT_MESSAGES.values()) <= set(found)
    missing = sorted(map(str, set(found) - set(entries)))
    assert not missing, f"not in sdgraph/locale (run `make messages`): {missing}"
    stale = sorted(map(str, set(entries) - set(found)))
    assert not stale, f"in the catalogue but no longer used (run `make messages`): {stale}"
    assert {k: entries[k] for k in found} == found  # same message contexts


def test_no_untranslated_or_fuzzy_entry_and_placeholders_kept():
    entries = [m for m in catalogue() if m.id]
    assert len(entries) > 400
    problems = []
    for m in entries:
        ids = m.id if isinstance(m.id, (list, tuple)) else (m.id,)
        strings = m.string if isinstance(m.string, (list, tuple)) else (m.string,)
        if m.fuzzy or not all(s.strip() for s in strings):
            problems.append(f"untranslated or fuzzy: {ids[0]!r}")
            continue
        for s in strings:
            if placeholders(s) != placeholders(ids[0]):
                problems.append(f"placeholders differ: {ids[0]!r} -> {s!r}")
    assert not problems, "\n".join(problems)
    assert catalogue().obsolete == {}, "obsolete (#~) entries: run `make messages`"


def test_translations_come_from_the_catalogue():
    assert i18n.gettext("Zoek in sdgraph", "en") == "Search sdgraph"
    assert i18n.gettext("Zoek in sdgraph", "nl") == "Zoek in sdgraph"
    assert i18n.gettext("Geen gemeente met code {code} in de graaf.", "en", code="GM9999") == \
        "No municipality with code GM9999 in the graph."
    assert i18n.ngettext("{n} rij", "{n} rijen", 1, "en") == "1 row"
    assert i18n.ngettext("{n} rij", "{n} rijen", 7, "en") == "7 rows"
    assert i18n.ngettext("{n} rij", "{n} rijen", 7, "nl") == "7 rijen"
    # an unknown language is Dutch; a regional variant is its language
    assert i18n.gettext("Zoek in sdgraph", "fr") == "Zoek in sdgraph"
    assert i18n.gettext("Zoek in sdgraph", "en-GB") == "Search sdgraph"
    # a text not in the catalogue stays Dutch, and its values are still filled in
    assert i18n.gettext("Nog niet vertaald {x}", "en", x=1) == "Nog niet vertaald 1"


def test_untranslated_and_fuzzy_entries_fall_back_to_dutch(tmp_path, monkeypatch):
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Vertaald"\nmsgstr "Translated"\n\n'
        '#, fuzzy\nmsgid "Onzeker"\nmsgstr "Unsure"\n\n'
        'msgid "Leeg"\nmsgstr ""\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.reload()
    try:
        assert [i18n.gettext(t, "en") for t in ("Vertaald", "Onzeker", "Leeg")] == [
            "Translated", "Onzeker", "Leeg"]
    finally:
        monkeypatch.undo()
        i18n.reload()
    assert i18n.gettext("Vertaald", "en") == "Vertaald"  # the real catalogue again


@pytest.mark.parametrize(("lang", "number", "amount", "percent", "day"), [
    ("nl", "1.234,5", "€\u00a01.234,50", "12,5%", "1 juli 2024"),  # no-break space
    ("en", "1,234.5", "€1,234.50", "12.5%", "July 1, 2024"),
])
def test_numbers_amounts_and_dates_in_the_languages_cldr_format(lang, number, amount, percent,
                                                                 day):
    from datetime import date

    assert i18n.format_number(1234.5, lang, 1) == number
    assert i18n.format_currency(1234.5, lang) == amount
    assert i18n.format_percent(0.125, lang, 1) == percent
    assert i18n.format_date(date(2024, 7, 1), lang) == day
    assert i18n.format_number(1234567, lang) == ("1.234.567" if lang == "nl" else "1,234,567")
    assert i18n.format_currency(200_000, lang, decimals=0) == (
        "€\u00a0200.000" if lang == "nl" else "€200,000")


# --------------------------------------------------------------------------- web

#: A made-up figure for GM0823 (inwonertal 19,000 in tests/data/foto): 23,750,000 euro of
#: Iv3 lasten on taakveld 6.82 is 1250 euro per inwoner (shown in whole euros).
FIGURE = """
@prefix sd: <https://w3id.org/sdgraph/def#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/sdgraph/id/maatstaf/iv3-lasten-6.82> rdfs:label "Iv3 lasten taakveld 6.82"@nl .
<https://w3id.org/sdgraph/id/observatie/test/i18n> a qb:Observation ;
    sd:gemeente <https://identifier.overheid.nl/tooi/id/gemeente/gm0823> ;
    qb:dataSet <https://w3id.org/sdgraph/id/dataset/iv3-2023-jaarrekening> ;
    sd:periode "2023" ; sd:maatstaf <https://w3id.org/sdgraph/id/maatstaf/iv3-lasten-6.82> ;
    sd:waarde 23750000.0 .
"""


@pytest.fixture(scope="module")
def foto_client(tmp_path_factory):
    from sdgraph.build import init_store
    from sdgraph.store import EmbeddedStore
    from web import create_app

    if SOURCES is None:
        missing("the Oirschot example's register facts are read from the public sources")
    folder = tmp_path_factory.mktemp("i18n")
    (folder / "figure.ttl").write_text(FIGURE, encoding="utf-8")
    store = EmbeddedStore(None)
    init_store(store, "oirschot", SOURCES)
    store.load_files([ROOT / "tests" / "data" / "foto" / "kerncijfers.ttl", folder / "figure.ttl"])
    yield create_app(store=store, test_config={"TESTING": True}).test_client()
    store.close()


@pytest.mark.parametrize(("lang", "group", "decimal"), [("nl", ".", ","), ("en", ",", ".")])
def test_numbers_on_pages_in_the_pages_language(foto_client, lang, group, decimal):
    page = get_page(foto_client, f"/gemeente/GM0823/foto?peildatum={PEIL}&regio={KEMPEN}"
                                 f"&lang={lang}")
    assert page.lang == lang
    figures = {r[0]["text"]: r for r in page.rows("tabel-kerncijfers")}
    [row] = [r for name, r in figures.items() if " 18- " in name]  # the kerncijfer of 6.82
    assert row[2]["text"] == f"1{group}250"  # 23,750,000 / 19,000 inwoners, whole euros
    # the national median of Wmo-cliënten per 1,000 inwoners in 2023H2 (tests/data/foto)
    [wmo] = [r for name, r in figures.items() if name.startswith("Wmo")]
    assert wmo[3]["text"] == f"62{decimal}5"
    # contracts: the yearly value from the named query, grouped by hand
    rows = foto_client.get(f"/api/query/contracten.json?gemeente=GM0823&peildatum={PEIL}")
    values = {r["naam"]: r["jaarwaardeEUR"] for r in rows.get_json()["rows"]}
    shown = {r[0]["text"].replace(" illustratief", "").replace(" illustrative", ""): r[6]["text"]
             for r in page.rows("tabel-contracten")}
    assert values and shown == {
        naam: f"{int(v):,}".replace(",", group) for naam, v in values.items()}
    assert "38" + group + "500" + group + "000" in shown.values()


def test_flask_babel_reads_the_same_catalogue(app):
    import flask_babel

    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        assert str(flask_babel.get_locale()) == "en"
        assert flask_babel.gettext("Zoeken") == "Search"
        assert flask_babel.format_decimal(1234.5) == "1,234.5"
    with app.test_request_context("/"):
        app.preprocess_request()
        assert str(flask_babel.get_locale()) == "nl"
        assert flask_babel.gettext("Zoeken") == "Zoeken"
        assert flask_babel.format_decimal(1234.5) == "1.234,5"


# --------------------------------------------------------------------------- CLI


@pytest.mark.parametrize(("lang", "message"), [
    ("nl", "Geen gemeente met code GM9999 in de graaf."),
    ("en", "No municipality with code GM9999 in the graph."),
])
def test_cli_errors_in_the_commands_language(runner, lang, message):
    from sdgraph.cli import main

    for command in (["matrix", "GM9999"], ["netwerk", "GM9999", "-o", "netwerk.html"]):
        result = runner.invoke(main, [*command, "--lang", lang])
        assert result.exit_code == 2, result.output
        assert result.stderr.strip() == f"Error: {message}"
