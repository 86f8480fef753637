"""`sdgraph reference download` against a real HTTP server on 127.0.0.1.

The server serves small fixture files under the URL paths of the official
sources; ``--base-url`` points the command at it. A guard makes any
connection to another host fail the test, and proxies are switched off, so
nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import functools
import json
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from conftest import FIXTURE_DATA

from sdgraph.cli import main
from sdgraph.download import CBS_CODES, DOWNLOADS, rebase

DATA = FIXTURE_DATA

CBS_PROPERTIES = {
    "value": [
        {"ID": 0, "Key": "RegioS", "Type": "GeoDimension", "Title": "Regio's"},
        {
            "ID": 1,
            "Key": "",
            "Type": "TopicGroup",
            "Title": "Arbeidsmarktregio's",
            "ParentID": None,
        },
        {"ID": 2, "Key": "Code_1", "Type": "Topic", "Title": "Code", "ParentID": 1},
        {"ID": 3, "Key": "Naam_2", "Type": "Topic", "Title": "Naam", "ParentID": 1},
        {"ID": 4, "Key": "", "Type": "TopicGroup", "Title": "Jeugdzorgregios", "ParentID": None},
        {"ID": 5, "Key": "Code_3", "Type": "Topic", "Title": "Code", "ParentID": 4},
    ]
}
CBS_DATASET = {
    "value": [
        {
            "ID": 0,
            "RegioS": "GM0823  ",
            "Code_1": "AM28    ",
            "Naam_2": "Zuidoost-Brabant",
            "Code_3": "JZ39 ",
        },
        {
            "ID": 1,
            "RegioS": "GM0772  ",
            "Code_1": "AM28    ",
            "Naam_2": "Zuidoost-Brabant",
            "Code_3": "JZ39 ",
        },
    ]
}
CBS_EXPECTED = {
    "reg": ["GM0823", "GM0772"],
    "Arbeidsmarktregio's": ["AM28", "AM28"],
    "Jeugdzorgregios": ["JZ39", "JZ39"],
}
ROO_XML = b'<?xml version="1.0" encoding="UTF-8"?>\n<overheidsorganisaties/>\n'


def served_path(url: str) -> str:
    """The path (without query) under which the test server serves ``url``."""
    return urlsplit(url).path.lstrip("/")


@pytest.fixture(autouse=True)
def only_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxies, and any connection to a host other than 127.0.0.1 fails."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.delenv("SDGRAPH_DOWNLOAD_BASE", raising=False)
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        if address[0] != "127.0.0.1":
            raise AssertionError(f"test tried to connect to {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def www(tmp_path: Path) -> Path:
    """The server's document root with every source file at its URL path."""
    root = tmp_path / "www"
    files = {
        "tooi/rwc_gemeenten_compleet_4.json": (DATA / "tooi" / "rwc_gemeenten_compleet_1.json"),
        "tooi/rwc_provincies_compleet_1.json": (DATA / "tooi" / "rwc_provincies_compleet_1.json"),
    }
    for d in DOWNLOADS:
        path = root / served_path(d.url)
        path.parent.mkdir(parents=True, exist_ok=True)
        if d.target in files:
            path.write_bytes(files[d.target].read_bytes())
        elif d.target.endswith("exportOO.xml"):
            path.write_bytes(ROO_XML)
        elif "DataProperties" in d.target:
            path.write_text(json.dumps(CBS_PROPERTIES), encoding="utf-8")
        elif "TypedDataSet" in d.target:
            path.write_text(json.dumps(CBS_DATASET), encoding="utf-8")
        else:  # a new entry in DOWNLOADS needs a fixture here
            raise AssertionError(f"no fixture for {d.url}")
    return root


@pytest.fixture
def server(www: Path) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (free port, own thread); yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(www)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def download(runner: CliRunner, dest: Path, *args: str):
    return runner.invoke(main, ["reference", "download", str(dest), *args])


def part_files(dest: Path) -> list[Path]:
    return [p for p in dest.rglob("*") if p.name.endswith(".part")]


def test_download_all_into_the_build_layout(
    runner: CliRunner, server: str, www: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "sources"
    result = download(runner, dest, "--base-url", server)
    assert result.exit_code == 0, result.output
    for d in DOWNLOADS:
        assert (dest / d.target).read_bytes() == (www / served_path(d.url)).read_bytes(), d.target
    assert (dest / "tooi" / "rwc_gemeenten_compleet_4.json").is_file()
    assert (dest / "roo" / "exportOO.xml").read_bytes() == ROO_XML
    codes = json.loads((dest / CBS_CODES).read_text(encoding="utf-8"))
    assert codes == CBS_EXPECTED
    assert "bytes" in result.stderr  # progress on stderr
    assert f"{server}/tooi/set/rwc_gemeenten_compleet/4" in result.stderr
    assert not part_files(dest)


def test_downloaded_tooi_is_read_by_build(runner: CliRunner, server: str, tmp_path: Path) -> None:
    dest = tmp_path / "sources"
    assert download(runner, dest, "--only", "tooi", "--base-url", server).exit_code == 0
    result = runner.invoke(main, ["reference", "build", "--sources", str(dest)])
    assert result.exit_code == 0, result.output
    assert "graph/ref/tooi" in result.output


def test_only_and_base_url_from_environment(
    runner: CliRunner, server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDGRAPH_DOWNLOAD_BASE", server)
    dest = tmp_path / "sources"
    result = download(runner, dest, "--only", "roo,cbs")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in dest.iterdir()) == ["cbs-gebieden", "roo"]
    assert (dest / CBS_CODES).is_file()


def test_404_names_the_url_and_keeps_the_previous_file(
    runner: CliRunner, server: str, www: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "sources"
    assert download(runner, dest, "--base-url", server).exit_code == 0
    previous = (dest / "roo" / "exportOO.xml").read_bytes()
    (www / "archive" / "exportOO.xml").unlink()
    result = download(runner, dest, "--base-url", server)
    assert result.exit_code == 2  # could not run
    assert f"cannot download {server}/archive/exportOO.xml: HTTP 404" in result.output
    assert (dest / "roo" / "exportOO.xml").read_bytes() == previous
    assert not part_files(dest)


def test_a_non_json_response_keeps_the_previous_file(
    runner: CliRunner, server: str, www: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "sources"
    assert download(runner, dest, "--only", "tooi", "--base-url", server).exit_code == 0
    target = dest / "tooi" / "rwc_gemeenten_compleet_4.json"
    previous = target.read_bytes()
    (www / "tooi" / "set" / "rwc_gemeenten_compleet" / "4").write_text("<html>maintenance</html>")
    result = download(runner, dest, "--only", "tooi", "--base-url", server)
    assert result.exit_code == 2  # could not run
    assert "not JSON" in result.output and "rwc_gemeenten_compleet/4" in result.output
    assert target.read_bytes() == previous
    assert not part_files(dest)


def test_no_server_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = download(runner, tmp_path / "sources", "--base-url", f"http://127.0.0.1:{port}")
    assert result.exit_code == 2  # could not run
    assert f"cannot download http://127.0.0.1:{port}/tooi/set/rwc_gemeenten_compleet/4" in (
        result.output
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "tooi,bag"], "unknown source 'bag'"),
        (["--base-url", "ftp://mirror"], "must be http(s)"),
    ],
)
def test_bad_options_are_user_errors(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    result = download(runner, tmp_path / "sources", *args)
    assert result.exit_code == 2  # could not run
    assert message in result.output


def test_rebase_keeps_path_and_query() -> None:
    url = "https://opendata.cbs.nl/ODataApi/odata/83287NED/TypedDataSet?$format=json"
    assert rebase(url, None) == url
    assert (
        rebase(url, "http://127.0.0.1:8000/mirror/")
        == "http://127.0.0.1:8000/mirror/ODataApi/odata/83287NED/TypedDataSet?$format=json"
    )
