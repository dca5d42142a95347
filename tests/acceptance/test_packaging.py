"""Built wheels and sdists carry the package data (the JSON Schemas, rubrics) and no test doubles.

The schemas are a real folder inside the package (catalog_tools/schemas/), not a symbolic link:
links break on Windows checkouts and in some sdists. This builds both distributions from a copy
of the source tree and looks inside.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = {"dataset-2.2.json", "dataset-2.0.json", "resource-2.2.json", "resource-2.0.json"}


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build", reason="the [test] extra installs build")
    src = tmp_path_factory.mktemp("src")
    for name in ("catalog_tools", "schemas", "setup.cfg", "pyproject.toml", "README.md"):
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(path, src / name)
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--sdist", "--no-isolation", "--outdir", str(out), str(src)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return out


def test_the_schemas_are_a_real_folder_not_a_link():
    folder = ROOT / "catalog_tools" / "schemas"
    assert folder.is_dir() and not folder.is_symlink()
    assert SCHEMAS <= {p.name for p in folder.glob("*.json")}


def test_wheel_has_the_schemas_and_rubrics_and_no_test_doubles(dists: Path):
    (wheel,) = dists.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"catalog_tools/schemas/{n}" for n in SCHEMAS} <= names
    assert {f"catalog_tools/schemas/files/{n}.schema.json" for n in ("rubric", "declarations", "config")} <= names
    assert {"catalog_tools/scoring/rubrics/fy2565.yaml", "catalog_tools/scoring/rubrics/fy2566.yaml"} <= names
    assert not [n for n in names if "fake" in n.lower() or n.startswith("tests/")]


def test_sdist_has_the_schemas(dists: Path):
    (sdist,) = dists.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
        assert not [m.name for m in tar.getmembers() if m.issym() or m.islnk()]
    assert {f"catalog_tools/schemas/{n}" for n in SCHEMAS} <= names


def test_no_test_double_in_the_package():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "catalog_tools").rglob("*.py")
                 if "class Fake" in p.read_text(encoding="utf-8") or p.stem.startswith("fake")]
    assert offenders == []
