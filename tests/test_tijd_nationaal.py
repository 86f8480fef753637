"""Time and place on the national reference graph (../shared; skipped without it, not in
CI): one membership semantics for every query, regio-indelingen of 2016 and 2025 in
time, gemeenten that did not exist, and the maps on the pages. Expectations are
checked by hand in the source files (named in each test) or computed independently."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from conftest import SOURCES, missing

from sdgraph.build import init_store
from sdgraph.queries import bundled_library
from sdgraph.reference import build_reference
from sdgraph.store import EmbeddedStore

LIB = bundled_library()
SO = "https://identifier.overheid.nl/tooi/id/so/"
GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
RI = "https://w3id.org/sdgraph/id/regioindeling/"


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    if SOURCES is None:
        missing("the national reference graph is built from ../shared/data/sources")
    root = tmp_path_factory.mktemp("sources")
    for folder in SOURCES.iterdir():
        if folder.is_dir() and folder.name != "cbs-sociaal":
            (root / folder.name).symlink_to(folder)
    store = EmbeddedStore(tmp_path_factory.mktemp("store"))
    init_store(store, example=None)
    build_reference(store, root)
    yield store
    store.close()


def run(store, name: str, **values: str) -> list[dict]:
    return LIB.get(name).run(store, values).dicts()


def test_lidmaatschappen_and_deelnemers_agree_on_a_sample(national) -> None:
    """For 600 (gemeente, GR, date) drawn from the graph's memberships (dates around their
    start and end and at random), the gemeente lists the GR exactly when the GR lists it."""
    rows = national.select("""
        PREFIX sd: <https://w3id.org/sdgraph/def#> PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?g ?gr ?t ?u WHERE { ?l a sd:Lidmaatschap ; org:member ?g ; org:organization ?gr .
          ?gr a sd:GemeenschappelijkeRegeling . ?g a sd:Gemeente .
          OPTIONAL { ?l sd:toetredingsdatum ?t } OPTIONAL { ?l sd:uittredingsdatum ?u } }
    """).dicts()
    rng = random.Random(16)
    sample = []
    for r in rng.sample(rows, 150):
        t = date.fromisoformat(str(r["t"])) if r.get("t") else date(2010, 1, 1)
        u = date.fromisoformat(str(r["u"])) if r.get("u") else date(2026, 6, 1)
        for day in (t, t - timedelta(days=1), u - timedelta(days=1),
                    date(2012, 1, 1) + timedelta(days=rng.randrange(5500))):
            sample.append((str(r["g"]), str(r["gr"]), day.isoformat()))
    assert len(sample) >= 500
    mismatches = []
    for g, gr, day in sample:
        by_gemeente = {str(x["gr"]) for x in run(national, "lidmaatschappen", gemeente=g,
                                                  peildatum=day, lang="nl")}
        by_gr = {str(x["lid"]) for x in run(national, "deelnemers", organisatie=gr,
                                            peildatum=day)}
        if (gr in by_gemeente) != (g in by_gr):
            mismatches.append((g, gr, day))
    assert not mismatches


def test_no_member_twice_in_one_organisation_on_any_date(national) -> None:
    """Two memberships of one member in one GR or regio never overlap in time (38 member-GR
    pairs did, e.g. Haarlemmermeer twice in Recreatieschap Spaarnwoude on 2011-12-07)."""
    [row] = national.select("""
        PREFIX sd: <https://w3id.org/sdgraph/def#> PREFIX org: <http://www.w3.org/ns/org#>
        SELECT (COUNT(*) AS ?n) WHERE {
          ?l1 a sd:Lidmaatschap ; org:member ?m ; org:organization ?o .
          ?l2 a sd:Lidmaatschap ; org:member ?m ; org:organization ?o .
          FILTER (STR(?l1) < STR(?l2))
          OPTIONAL { ?l1 sd:toetredingsdatum ?t1 } OPTIONAL { ?l1 sd:uittredingsdatum ?u1 }
          OPTIONAL { ?l2 sd:toetredingsdatum ?t2 } OPTIONAL { ?l2 sd:uittredingsdatum ?u2 }
          FILTER ((!BOUND(?u2) || !BOUND(?t1) || ?t1 < ?u2)
                  && (!BOUND(?u1) || !BOUND(?t2) || ?t2 < ?u1))
          FILTER (!BOUND(?t1) || !BOUND(?u1) || ?t1 < ?u1)
          FILTER (!BOUND(?t2) || !BOUND(?u2) || ?t2 < ?u2)
        }""").dicts()
    assert int(row["n"]) == 0
    rows = run(national, "lidmaatschappen", gemeente="GM0394", peildatum="2011-12-07",
               lang="nl")
    assert [str(r["gr"]) for r in rows].count(SO + "so0449") == 1


def test_kampen_has_ssc_ons_once(national) -> None:
    """29474046 (SSC ONS) is valid from 2024-05-01 to 2024-05-01: on no day. On
    2025-06-01 Kampen has SSC ONS once, in version 29474068."""
    rows = [r for r in run(national, "lidmaatschappen", gemeente="GM0166",
                           peildatum="2025-06-01", lang="nl") if str(r["gr"]) == SO + "so0904"]
    assert [str(r["roo_id"]) for r in rows] == ["29474068"]


def test_oirschot_before_the_first_record_in_roo(national) -> None:
    """Oirschot joined WSD on 2002-01-01, the GGD on 2006-01-01 and the Kempengemeenten on
    2010-01-01 (toetredings_datum in every version); their first ROO versions start after
    2016-01-01, so that day the memberships show without a version."""
    rows = {str(r["gr"]).rsplit("/", 1)[-1]: r for r in run(
        national, "lidmaatschappen", gemeente="GM0823", peildatum="2016-01-01", lang="nl")}
    for so, joined in (("so0292", "2002-01-01"), ("so0358", "2006-01-01"),
                       ("so0665", "2010-01-01")):
        assert str(rows[so]["toetredingsdatum"]) == joined
        assert rows[so]["versie"] is None
        assert str(rows[so]["registratie"]) == "vóór de eerste registratie in ROO"


def test_2025_regio_indelingen_once_for_every_existing_gemeente(national) -> None:
    day = "2025-01-01"
    existing = {str(r["gemeente"]) for r in run(national, "gemeenten", peildatum=day)}
    assert len(existing) == 342
    for slug in ("jeugdregio", "arbeidsmarktregio", "ggd-regio", "veiligheidsregio"):
        members: dict[str, int] = {}
        for r in run(national, "kaart-leden", indeling=RI + slug, peildatum=day):
            for g in str(r["leden"]).split():
                members[g] = members.get(g, 0) + 1
        assert set(members) == existing, slug
        assert set(members.values()) == {1}, slug
    [row] = national.select("""
        PREFIX sd: <https://w3id.org/sdgraph/def#> PREFIX org: <http://www.w3.org/ns/org#>
        SELECT (COUNT(?l) AS ?n) WHERE {
          VALUES ?d { "2025-01-01"^^<http://www.w3.org/2001/XMLSchema#date> }
          ?l org:member ?g . ?g a sd:Gemeente .
          OPTIONAL { ?l sd:toetredingsdatum ?t } OPTIONAL { ?l sd:uittredingsdatum ?u }
          FILTER ((!BOUND(?t) || ?t <= ?d) && (!BOUND(?u) || ?d < ?u))
          OPTIONAL { ?g sd:geldigVanaf ?b } OPTIONAL { ?g sd:geldigTot ?e }
          FILTER (BOUND(?e) && ?e <= ?d || BOUND(?b) && ?d < ?b) }""").dicts()
    assert int(row["n"]) == 0


def test_meierijstad_jeugdregio(national) -> None:
    """cbs-geo/gemeente-regio-2025.csv: GM1948;Meierijstad;jeugdregio;JZ33;Noordoost-Brabant.
    Meierijstad began on 2017-01-01 (TOOI); the 2016 tables do not have it."""
    for day, expected in (("2025-01-01", "2017-01-01"), ("2018-06-01", "2017-01-01")):
        rows = [r for r in run(national, "regio-indeling", gemeente="GM1948", peildatum=day,
                               lang="nl") if str(r["indeling"]) == RI + "jeugdregio"]
        assert [(str(r["regiocode"]), str(r["peiljaar"])) for r in rows] == [("JZ33", "2025")]
        assert str(rows[0]["toetredingsdatum"]) == expected
    assert not [r for r in run(national, "regio-indeling", gemeente="GM1948",
                               peildatum="2016-06-01", lang="nl")]


def test_oirschot_on_2014_06_01_has_its_key_regios(national) -> None:
    """The 2016 tables are the nearest before 2016: on 2014-06-01 Oirschot has all six key
    regio's, like any gemeente (the example's assumed start dates no longer hide them)."""
    rows = run(national, "regio-indeling", gemeente="GM0823", peildatum="2014-06-01", lang="nl")
    slugs = {str(r["indeling"]).rsplit("/", 1)[-1] for r in rows}
    assert {"jeugdregio", "wmo-regio", "arbeidsmarktregio", "centrumgemeente-bw-mo",
            "ggd-regio", "veiligheidsregio"} <= slugs


@pytest.fixture(scope="module")
def client(national):
    from web import create_app

    return create_app(store=national, test_config={"TESTING": True}).test_client()


def test_overlap_counts_only_gemeenten_of_the_day(client) -> None:
    # 342 gemeenten in 2026; the Wmo- and BW/MO-regio's (2016 tables only) cover the 324
    # of them that existed in 2016; in 2016 there were 390
    body = client.get("/overlap?peildatum=2026-06-01").get_data(as_text=True)
    assert set(re.findall(r"(\d+) gemeenten\)", body)) == {"342", "324"}
    body = client.get("/overlap?peildatum=2016-06-01").get_data(as_text=True)
    assert set(re.findall(r"(\d+) gemeenten\)", body)) == {"390"}


def test_pages_of_a_gemeente_that_did_not_exist(client) -> None:
    body = client.get("/gemeente/GM0788?peildatum=2022-01-01").get_data(as_text=True)
    notice = re.search(r'data-testid="bestaat-niet">(.*?)</p>', body, re.S).group(1)
    assert "opgeheven per 2021-01-01" in notice
    assert {"GM0757", "GM0824", "GM0855", "GM0865"} == set(re.findall(r"/gemeente/(GM\d+)",
                                                                       notice))
    body = client.get("/gemeente/GM1948/foto?peildatum=2015-06-01").get_data(as_text=True)
    assert "ontstaan per 2017-01-01" in body and "/gemeente/GM0844/foto" in body


def test_maps_on_the_pages(client) -> None:
    for url in ("/gemeente/GM0823", "/gemeente/GM0823/foto", "/overlap",
                "/kaart?soort=indeling&indeling=" + RI + "veiligheidsregio",
                "/kaart?soort=fragmentatie"):
        body = client.get(url).get_data(as_text=True)
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in body, url
        assert 'data-testid="kaart-tabel"' in body, url
    svg = client.get("/kaart.svg?soort=indeling&indeling=" + RI + "veiligheidsregio"
                     "&peildatum=2025-06-01")
    assert svg.content_type.startswith("image/svg+xml")
    assert svg.get_data(as_text=True).count("<g fill=") >= 25  # the 25 veiligheidsregio's
    geo = client.get("/gemeente/GM0823/kaart.geojson?peildatum=2025-06-01").get_json()
    # the gemeente map covers Oirschot and the gemeenten of its regio's and GRs
    assert geo["type"] == "FeatureCollection" and 1 < len(geo["features"]) < 342
    oirschot = [f for f in geo["features"] if f["id"] == "GM0823"]
    assert oirschot and oirschot[0]["properties"]["gemeente"] is True
