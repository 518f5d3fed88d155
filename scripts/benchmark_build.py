"""Benchmark of the build at scale: does every stage grow linearly, and what does the plugin cost?

    .venv/bin/python scripts/benchmark_build.py [--sizes 15,1000,10000] [--no-zensical] [--keep DIR]

For each size it makes a catalogue of that many entries by copying the real
ones with new ids, names and URLs (ohm.catalog.synthetic), puts it in a scratch
copy of the project, and measures, each stage in its own process:

- validate: `ohm validate`, beside the time libyaml alone needs to compose the same
  file (the goal: at most 3x);
- render: `ohm render`, every generated page written to disk;
- build: `mkdocs build --strict` with the plugin, beside plain MkDocs building the
  same pages pre-rendered (ohm.engines.write_project) without the plugin: time,
  peak memory, site bytes and the largest page, each with its ratio (the goal: at
  most 1.3x in time and bytes); and the same pages built by Zensical;
- a model page's size, beside its size at the smallest size (the goal: at most 1.5x).

Not a test: it prints figures for a person to compare, nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ohm.catalog import DEFAULT_CATALOGUE
from ohm.catalog.synthetic import make_project, synthetic_catalogue
from ohm.engines import write_project

# What a build needs from the project, copied into each scratch project.

COMPOSE = """
import sys, time, yaml
text = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
yaml.compose(text, Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
"""

VALIDATE = """
import sys, time
from ohm.catalog import open_catalogue
start = time.perf_counter()
opened = open_catalogue(sys.argv[1])
catalogue, problems = opened.typed, opened.problems
assert not problems, problems[:3]
print(time.perf_counter() - start)
"""


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str
    error: str | None = None  # the last line the command printed, when it failed


def run_measured(command: list[str], cwd: Path, *, may_fail: bool = False) -> Run:
    """Run `command`: its wall time, its output and its own peak memory (not the benchmark's)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)  # reaped here, so its rusage is its own
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if process.returncode and not may_fail:
        sys.exit(f"failed: {' '.join(command)}\n{stderr[-3000:]}")
    error = (stderr.strip().splitlines() or ["?"])[-1] if process.returncode else None
    return Run(seconds, usage.ru_maxrss / 1024, stdout, error)


def python(*arguments: str) -> list[str]:
    return [sys.executable, *arguments]


def site_bytes(site: Path) -> int:
    return sum(path.stat().st_size for path in site.rglob("*") if path.is_file())


def largest_page(site: Path) -> tuple[int, str]:
    return max((path.stat().st_size, path.relative_to(site).as_posix()) for path in site.rglob("*.html"))


def measure(size: int, work: Path, zensical: bool) -> dict[str, object]:
    project = make_project(work / f"project-{size}", synthetic_catalogue(DEFAULT_CATALOGUE.read_text(), size))
    catalogue = project / "data" / "models.yaml"
    row: dict[str, object] = {"size": size, "file_mb": catalogue.stat().st_size / 1e6}

    compose = run_measured(python("-c", COMPOSE, str(catalogue)), project)
    validate = run_measured(python("-c", VALIDATE, str(catalogue)), project)
    row["compose_s"] = float(compose.output)
    row["validate_s"] = float(validate.output)
    row["validate_peak_mb"] = validate.peak_mb

    render = run_measured(
        python("-m", "ohm", "render", "--catalogue", str(catalogue), "--out", "pages"), project
    )
    row["render_s"], row["render_peak_mb"] = render.seconds, render.peak_mb

    site = project / "site"
    build = run_measured(
        python("-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)), project
    )
    row["build_s"], row["build_peak_mb"] = build.seconds, build.peak_mb
    row["site_mb"] = site_bytes(site) / 1e6
    row["largest_kb"], row["largest_page"] = largest_page(site)[0] / 1e3, largest_page(site)[1]
    model_page = site / "models" / "whisper" / "index.html"
    row["model_page_kb"] = model_page.stat().st_size / 1e3

    config = write_project(project / "mkdocs.yml", work / f"prerendered-{size}")
    plain = run_measured(python("-m", "mkdocs", "build", "--strict", "--quiet"), config.parent)
    plain_site = config.parent / "site"
    row["plain_s"], row["plain_peak_mb"] = plain.seconds, plain.peak_mb
    row["plain_site_mb"] = site_bytes(plain_site) / 1e6
    row["plain_largest_kb"] = largest_page(plain_site)[0] / 1e3
    if zensical:
        shutil.rmtree(plain_site)
        command = python("-m", "zensical", "build", "--clean", "--config-file", str(config))
        built = run_measured(command, config.parent, may_fail=True)
        row["zensical_s"], row["zensical_peak_mb"] = built.seconds, built.peak_mb
        row["zensical_site_mb"] = site_bytes(plain_site) / 1e6 if plain_site.exists() else 0.0
        row["zensical_error"] = built.error
    shutil.rmtree(project)
    shutil.rmtree(config.parent)
    return row


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def print_table(rows: list[dict[str, object]], zensical: bool) -> None:
    first_model_page = rows[0]["model_page_kb"]
    header = [
        "entries",
        "YAML MB",
        "compose s",
        "validate s (x compose)",
        "render s",
        "build s (plain, x)",
        "peak MB (plain, x)",
        "site MB (plain, x)",
        "largest page KB (plain, x)",
        f"model page KB (x {rows[0]['size']:,})",
    ]
    if zensical:
        header.append("Zensical s, MB site")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        cells = [
            f"{row['size']:,}",
            f"{row['file_mb']:.1f}",
            f"{row['compose_s']:.2f}",
            f"{row['validate_s']:.2f} ({ratio(row['validate_s'], row['compose_s'])})",
            f"{row['render_s']:.1f}",
            f"{row['build_s']:.1f} ({row['plain_s']:.1f}, {ratio(row['build_s'], row['plain_s'])})",
            f"{row['build_peak_mb']:.0f} ({row['plain_peak_mb']:.0f}, "
            f"{ratio(row['build_peak_mb'], row['plain_peak_mb'])})",
            f"{row['site_mb']:.1f} ({row['plain_site_mb']:.1f}, "
            f"{ratio(row['site_mb'], row['plain_site_mb'])})",
            f"{row['largest_kb']:.0f} ({row['plain_largest_kb']:.0f}, "
            f"{ratio(row['largest_kb'], row['plain_largest_kb'])})",
            f"{row['model_page_kb']:.1f} ({ratio(row['model_page_kb'], first_model_page)})",
        ]
        if zensical and row["zensical_error"]:
            cells.append(f"failed after {row['zensical_s']:.1f} s")
        elif zensical:
            cells.append(f"{row['zensical_s']:.1f}, {row['zensical_site_mb']:.1f}")
        print("| " + " | ".join(cells) + " |")
    print()
    print("Largest page: " + ", ".join(f"{row['size']:,}: {row['largest_page']}" for row in rows))
    for row in rows:
        if zensical and row["zensical_error"]:
            print(f"Zensical at {row['size']:,} entries: {row['zensical_error']}")
    print(
        "Peak memory of validate / render: "
        + ", ".join(
            f"{row['size']:,}: {row['validate_peak_mb']:.0f} / {row['render_peak_mb']:.0f} MB" for row in rows
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", default="15,1000,10000", help="entries per catalogue (default: %(default)s)"
    )
    parser.add_argument("--no-zensical", action="store_true", help="skip the Zensical build")
    parser.add_argument("--keep", type=Path, help="work in this folder instead of a temporary one")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    zensical = not args.no_zensical
    rows = []
    with tempfile.TemporaryDirectory(prefix="ohm-benchmark-") as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            print(f"measuring {size:,} entries ...", file=sys.stderr, flush=True)
            rows.append(measure(size, work, zensical))
            print(rows[-1], file=sys.stderr, flush=True)  # the figures so far, should a later size fail
    print(f"On {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}; times are wall-clock seconds.\n")
    print_table(rows, zensical)
    return 0


if __name__ == "__main__":
    sys.exit(main())
