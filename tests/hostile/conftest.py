"""Helpers of the hostile suite: run the real command in a child process, bounded in time."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "fixtures" / "examples"


@dataclass
class Run:
    rc: int
    stdout: str
    stderr: str

    @property
    def one_line_error(self) -> bool:
        """Exit 2 with exactly one line on stderr, starting as every error of the CLI does."""
        lines = self.stderr.splitlines()
        return self.rc == 2 and len(lines) == 1 and lines[0].startswith("catalog-tools: error:")

    @property
    def clean(self) -> bool:
        """No traceback, no Rust panic, no 'Exception ignored' — whatever the exit code."""
        return not any(s in self.stderr for s in ("Traceback", "panicked", "Exception ignored", "RUST_BACKTRACE"))


def run_cmd(*args: object, cwd: Path | None = None, timeout: float = 60, env: dict[str, str] | None = None,
            preexec_fn: Callable[[], None] | None = None) -> Run:
    """``python -m catalog_tools ARGS`` in a child: a blocking or aborting command cannot take the suite down."""
    full_env = {**os.environ, "CATALOG_TOOLS_PROGRESS": "0", "PYTHONWARNINGS": "", **(env or {})}
    full_env.pop("CATALOG_TOOLS_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "catalog_tools", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, env=full_env, preexec_fn=preexec_fn)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A copy of the tourism Template 2/3 workbook (กรมการท่องเที่ยว) that a test may try to harm."""
    dst = tmp_path / "tourism.xlsx"
    dst.write_bytes((EXAMPLES / "tourism-template2-3.xlsx").read_bytes())
    return dst


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    """A copy of a CKAN package_search answer (JSON input)."""
    dst = tmp_path / "packages.json"
    dst.write_bytes((EXAMPLES / "ckan-package-search.json").read_bytes())
    return dst


def leftovers(folder: Path) -> list[str]:
    """Temporary files an interrupted write could leave behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part") or p.name.startswith(".tmp"))
