"""The sdgraph command line, run through click's runner and as a real process."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import wipe

from sdgraph.cli import main

DATA = Path(__file__).parent / "data" / "store"
ROO_2019 = {"25250109", "25143080", "24961951", "27965412", "26639015", "26122493", "24967301"}


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    "command", [[], ["init"], ["load"], ["query"], ["queries"], ["stats"], ["serve"]]
)
def test_every_command_has_help(runner: CliRunner, command: list[str]) -> None:
    result = invoke(runner, *command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_init_then_query_lidmaatschappen_json(runner: CliRunner) -> None:
    result = invoke(runner, "init")
    assert result.exit_code == 0, result.output
    assert "graph/example/oirschot" in result.output
    for gemeente in ("GM0823", "https://identifier.overheid.nl/tooi/id/gemeente/gm0823"):
        result = invoke(
            runner,
            "query",
            "lidmaatschappen",
            "--param",
            f"gemeente={gemeente}",
            "--param",
            "peildatum=2019-07-02",
            "--format",
            "json",
        )
        assert result.exit_code == 0, result.output
        doc = json.loads(result.output)
        assert {r["roo_id"] for r in doc["rows"]} == ROO_2019
        assert doc["count"] == 7
        assert doc["params"]["peildatum"] == "2019-07-02"


def test_query_csv_and_table_and_file(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "init")
    csv_out = invoke(runner, "query", "regio-indeling", "-p", "gemeente=GM0823", "-f", "csv")
    lines = csv_out.output.strip().splitlines()
    assert lines[0].startswith("indeling,indelingNaam,regio,naam")
    assert any("Jeugdregio" in line for line in lines[1:])
    table = invoke(runner, "query", "gemeenten", "-p", "zoek=oirschot")
    assert "Oirschot" in table.output and "(1 rij)" in table.output
    out = tmp_path / "q.rq"
    out.write_text("# title: Aantal\nSELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }\n")
    result = invoke(runner, "query", str(out), "-f", "json", "-o", str(tmp_path / "n.json"))
    assert result.exit_code == 0
    assert json.loads((tmp_path / "n.json").read_text())["rows"][0]["n"] > 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "bestaat-niet"], "no query named 'bestaat-niet'"),
        (["query", "lidmaatschappen", "-p", "peildatum=gisteren"], "not a date"),
        (["query", "lidmaatschappen", "-p", "gemeente"], "--param expects NAME=VALUE"),
        (["load", str(DATA / "broken.ttl")], "broken.ttl: Parser error at line 4"),
        (["load", "nergens.ttl"], "nergens.ttl: file not found"),
        (["init", "--example", "atlantis"], "no example named 'atlantis'"),
    ],
)
def test_user_mistakes_exit_2_with_a_message_and_no_traceback(
    runner: CliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2  # could not run (sdgraph.cli.common)
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_load_and_stats(runner: CliRunner) -> None:
    invoke(runner, "init", "--example", "none")
    result = invoke(
        runner, "load", str(DATA / "kempen.ttl"), "--title", "Test", "--issued", "2024-01-01"
    )
    assert result.exit_code == 0
    assert "graph/file/kempen" in result.output
    stats = invoke(runner, "stats")
    assert "graph/file/kempen" in stats.output
    assert re.search(r"^\s+2\s+Municipality$", stats.output, re.M)  # kempen.ttl has 2 gemeenten


def test_queries_lists_library(runner: CliRunner) -> None:
    result = invoke(runner, "queries", "--lang", "en")
    assert "lidmaatschappen" in result.output and "Memberships of a gemeente" in result.output


def test_remote_backend_via_endpoint_option(runner: CliRunner, remote_server,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """On each SPARQL server; the server's profile is found from its answers, its
    credentials come from SDGRAPH_ENDPOINT_USER / _PASSWORD."""
    wipe(remote_server.open_store())
    for name, value in remote_server.env().items():
        if name != "SDGRAPH_ENDPOINT":
            monkeypatch.setenv(name, value)
    endpoint = remote_server.query_url
    assert invoke(runner, "--endpoint", endpoint, "init").exit_code == 0
    result = invoke(
        runner,
        "--endpoint",
        endpoint,
        "query",
        "lidmaatschappen",
        "-p",
        "gemeente=GM0823",
        "-p",
        "peildatum=2019-07-02",
        "-f",
        "json",
    )
    assert {r["roo_id"] for r in json.loads(result.output)["rows"]} == ROO_2019


def test_unreachable_endpoint_is_a_store_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--endpoint", "http://127.0.0.1:9/query", "stats"])
    assert result.exit_code == 2
    assert "cannot connect" in result.stderr


def test_installed_entry_point_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "sdgraph"
    proc = subprocess.run(
        [str(exe), "--store", str(tmp_path / "s"), "init"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Loaded" in proc.stdout
