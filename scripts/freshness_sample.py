"""A sample freshness report, made against the fake Hugging Face Hub and GitHub of the tests.

    .venv/bin/python scripts/freshness_sample.py [--out DIR]

Runs the real `ohm freshness` over tests/fixtures/catalogues/freshness.yaml on
two days in a row, with one GitHub repository answering 503 on the second, and
prints the second day's report.md (and where freshness.json is). Nothing leaves
this machine: both APIs are served on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fakes live with the tests

from ohm.cli import main  # noqa: E402
from tests.fake_upstream import Failure, FakeApi, drifting_upstream  # noqa: E402

CATALOGUE = ROOT / "tests" / "fixtures" / "catalogues" / "freshness.yaml"


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="where the reports go (default: a temporary folder)")
    out = parser.parse_args().out or Path(tempfile.mkdtemp(prefix="freshness-sample-"))
    with FakeApi() as hub, FakeApi() as github:
        drifting_upstream(hub, github)
        for day in ("2026-11-24", "2026-11-25"):
            if day == "2026-11-25":
                hub.hub_model("example/steady-lm", "mit")  # relicensed overnight
                github.failures["/repos/example/custom-licence-tool"] = Failure(503)
            main(
                ["freshness", "--catalogue", str(CATALOGUE), "--report-dir", str(out),
                 "--hf-api", hub.url, "--github-api", github.url, "--today", day, "--backoff", "0"]
            )  # fmt: skip
    print()
    print((out / "report.md").read_text(encoding="utf-8"))
    print(f"freshness.json: {out / 'freshness.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
