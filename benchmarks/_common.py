"""Shared pieces of the benchmarks: timed child processes, medians, and the floor.

Every figure is measured in a fresh child process (wall seconds and that child's own peak
RSS, from ``wait4``), several runs interleaved across the commands compared, and the median
printed next to the floor measured in the same run. A shared 2-core machine's timings wander;
ratios measured side by side wander much less. Nothing here asserts on time.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BIN = Path(sys.executable).parent
CLI = str(BIN / "catalog-tools") if (BIN / "catalog-tools").exists() else None


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds, the process and every child it reaped

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max(self.rss_mb)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    def show(self) -> str:
        runs = ", ".join(f"{s:.2f}" for s in self.seconds)
        return f"{self.median:7.2f} s  peak RSS {self.peak_mb:6.0f} MB  (runs: {runs})"


# Children run as a user's shell would: with byte-code caches (an environment that forbids writing
# them would make every run compile every module from source, which no installed copy does).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(cmd: list[str], *, stdout_path: str = os.devnull) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS (MB), exit code and CPU seconds (user + system) of one child process.

    The CPU time includes the children it reaped (``validate``'s helper process, see
    catalog_tools.shard); the peak RSS is the largest of the process and each of those children,
    not their sum (the kernel keeps no sum; the helper shares most of its pages with its parent)."""
    with open(stdout_path, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=ENV)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.decode(errors='replace')[-500:]}")
    return seconds, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime


def compare(commands: dict[str, list[str]], repeat: int, *, warmup: bool = True) -> dict[str, Runs]:
    """Run each command ``repeat`` times, interleaved (a, b, c, a, b, c…), in fresh processes."""
    runs = {name: Runs() for name in commands}
    for cmd in commands.values() if warmup else ():  # one unmeasured run each: byte-code and file caches
        run_once(cmd)
    for _ in range(repeat):
        for name, cmd in commands.items():
            s, rss, code, cpu = run_once(cmd)
            runs[name].seconds.append(s)
            runs[name].rss_mb.append(rss)
            runs[name].codes.append(code)
            runs[name].cpu.append(cpu)
    return runs


def cli(*args: str) -> list[str]:
    """The ``catalog-tools`` command of this interpreter's environment."""
    if CLI:
        return [CLI, *args]
    return [sys.executable, "-m", "catalog_tools", *args]


# The floor (issue 11): python-calamine reading the sheet plus a fastjsonschema-compiled check of
# each row against the dataset schema without its if/then conditionals. No normalising, no
# findings, no report: what any validator of this workbook must at least spend.
FLOOR = r"""
import sys, copy
from python_calamine import CalamineWorkbook
import fastjsonschema
from catalog_tools.schemas_api import load_schema

def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ("if", "then", "else", "allOf")}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node

schema = strip(copy.deepcopy(load_schema("dataset", "2.2")))
check = fastjsonschema.compile(schema)
arrays = {k for k, v in schema["properties"].items() if v.get("type") == "array"}
wb = CalamineWorkbook.from_path(sys.argv[1])
rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
keys = sys.argv[2].split(",")  # the field of each column, in template order
bad = 0
for row in rows[2:]:
    rec = {k: v for k, v in zip(keys, row) if v != ""}
    for k in arrays.intersection(rec):  # the least shaping the schema needs: comma lists as arrays
        rec[k] = [p.strip() for p in str(rec[k]).split(",")]
    try:
        check(rec)
    except fastjsonschema.JsonSchemaException:
        bad += 1
print(len(rows) - 2, bad)
"""


def floor_cmd(path: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from scripts.make_fixtures import ORDER
    return [sys.executable, "-c", FLOOR, str(path), ",".join(ORDER)]


def local_ckan(name: str, *, ports: tuple[int, int, int], scheming_schema: Path | None = None,
               web_workers: int = 0) -> tuple[str, str, bool]:
    """(url, token, started): the CKAN at ``CKAN_TEST_URL`` (token from ``CKAN_TEST_TOKEN_FILE`` or
    ``CKAN_TEST_TOKEN``), else instance ``name`` started with scripts/ckan-test-server.sh on ``ports``
    (CKAN, Solr stand-in, Redis), with ckanext-scheming when a schema file is given, served by
    gunicorn with ``web_workers`` processes (0: one ``ckan run`` process, as the tests use)."""
    url = os.environ.get("CKAN_TEST_URL")
    if url:
        tf = os.environ.get("CKAN_TEST_TOKEN_FILE")
        token = Path(tf).read_text().strip() if tf else os.environ.get("CKAN_TEST_TOKEN", "")
        return url, token, False
    schema = ["--scheming", str(scheming_schema)] if scheming_schema else ["--no-scheming"]
    web = ["--web-workers", str(web_workers)] if web_workers else []
    run_env = {k: v for k, v in os.environ.items() if k != "CKAN_TEST_WEB_WORKERS"}  # the argument decides
    out = subprocess.run(["bash", str(ROOT / "scripts" / "ckan-test-server.sh"), "start", "--name", name, *schema,
                          "--port", str(ports[0]), "--solr-port", str(ports[1]), "--redis-port", str(ports[2]), *web],
                         capture_output=True, text=True, check=True, env=run_env).stdout
    env = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return env["CKAN_TEST_URL"], Path(env["CKAN_TEST_TOKEN_FILE"]).read_text().strip(), True


def stop_ckan(name: str) -> None:
    """Stop an instance :func:`local_ckan` started."""
    subprocess.run(["bash", str(ROOT / "scripts" / "ckan-test-server.sh"), "stop", "--name", name],
                   capture_output=True, text=True)
