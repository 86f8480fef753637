"""`pip install .` outside the repository: resources come from the package, not the cwd."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import SHARED_SOURCES, missing

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the sdgraph wheel installed; dependencies come from this venv."""
    tmp = tmp_path_factory.mktemp("pkg")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    if build.returncode != 0 and "No module named 'hatchling'" in build.stderr:
        pytest.skip("hatchling not installed (pip install -e '.[test]')")
    assert build.returncode == 0, build.stderr
    [wheel] = (tmp / "dist").glob("sdgraph-*.whl")
    venv = tmp / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(
        subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # Dependencies from the test venv, but not its editable sdgraph (.pth files in an
    # added path are not processed, so the repo never lands on sys.path).
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return venv


def run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        # the example's register facts are read from the public sources (sdgraph.register)
        env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(cwd),
             **({"SDGRAPH_SOURCES": str(SHARED_SOURCES)} if SHARED_SOURCES.is_dir() else {})},
    )


def test_wheel_finds_its_resources_outside_the_repo(installed: Path, tmp_path: Path) -> None:
    py = str(installed / "bin" / "python")
    where = run(
        installed,
        py,
        "-c",
        "import sdgraph, web; from sdgraph.resources import resource_dir;"
        "print(sdgraph.__file__); print(web.__file__); print(resource_dir('queries'))",
        cwd=tmp_path,
    )
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert str(ROOT) not in line and str(installed) in line


def test_installed_cli_and_web_work(installed: Path, tmp_path: Path) -> None:
    sd = str(installed / "bin" / "sdgraph")
    init = run(installed, sd, "--store", "s", "init", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    out = run(
        installed,
        sd,
        "--store",
        "s",
        "query",
        "lidmaatschappen",
        "-p",
        "gemeente=GM0823",
        "-p",
        "peildatum=2019-07-02",
        "-f",
        "json",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    if not SHARED_SOURCES.is_dir():
        missing(f"the example's GR memberships are read from {SHARED_SOURCES}, which is absent")
    assert json.loads(out.stdout)["count"] == 7
    page = run(
        installed,
        str(installed / "bin" / "python"),
        "-c",
        "from sdgraph.config import Settings; from web import create_app;"
        "app = create_app(Settings.from_env(store_path='s'));"
        "r = app.test_client().get('/gemeente/GM0823?peildatum=2019-07-02');"
        "print(r.status_code); print('Samenwerking Kempengemeenten' in r.text);"
        "print(app.test_client().get('/static/sdgraph.css').status_code);"
        # the English catalogue (a .po read at run time) is in the wheel
        "r = app.test_client().get('/gemeente/GM0823?peildatum=2019-07-02&lang=en');"
        "print('Joint arrangements' in r.text)",
        cwd=tmp_path,
    )
    assert page.returncode == 0, page.stderr
    assert page.stdout.split() == ["200", "True", "200", "True"]
