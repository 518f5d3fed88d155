"""A catalogue that strangers edit: every defect class of hostile input, one fixture or procedure each.

Each file in fixtures/hostile/ holds one defect and ends with the exact problem
lines expected (`# expect: LINE: ...`). It goes through validate, render and
every export with earlier output in place: the test asserts the exact lines,
exit status 1, and that not one byte of the earlier output changed.

The procedures below cover what a file cannot: where `render --out` may write,
an interrupted build, two `new` at once, a bad environment (unwritable folders,
a catalogue that is a folder), odd terminals, and spreadsheet formulas.
What the site shows for text a stranger wrote is in test_hostile_site.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from ohm.catalog.catalogue import build_catalogue
from ohm.catalog.load import display_name, load_catalogue
from ohm.catalog.scaffold import lock_file
from ohm.catalog.text import plain_text_problem
from ohm.catalog.urls import url_problem
from ohm.cli import main as ohm
from ohm.freshness.report import FreshnessError
from ohm.freshness.site import read_site_freshness
from ohm.site.export import catalogue_csv, catalogue_json

from .conftest import FIXTURES, MINIMAL_CATALOGUE, ROOT, SMALL_CATALOGUE, make_project, run_mkdocs, run_ohm
from .test_validate import expected_messages

HOSTILE = sorted((FIXTURES / "hostile").glob("*.yaml"))
TIMEOUT = 120


# Written by other processes while a test runs (git, Python's byte-code cache), never by ohm.
NOT_OURS = {".git", ".venv", "__pycache__", ".pytest_cache"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, hidden ones included, with its bytes (but for NOT_OURS)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not NOT_OURS.intersection(p.relative_to(folder).parts)
    }


@pytest.fixture
def earlier_output(tmp_path: Path) -> Path:
    """Output of a good catalogue, as a previous run left it: pages and the three exports."""
    out = tmp_path / "out"
    assert ohm(["render", "--catalogue", str(SMALL_CATALOGUE), "--out", str(out / "pages")]) == 0
    for name, export in [("models.json", "json"), ("models.csv", "csv"), ("MODELS.md", "markdown")]:
        assert ohm(["export", export, "--catalogue", str(SMALL_CATALOGUE), "--out", str(out / name)]) == 0
    return out


@pytest.mark.parametrize("path", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_each_defect_gets_its_exact_message_and_changes_no_output(path: Path, earlier_output: Path, capsys):
    expected = expected_messages(path)
    assert expected, f"{path.name} states no expected message"
    before = snapshot(earlier_output)
    capsys.readouterr()

    assert ohm(["validate", "--catalogue", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        *expected,
        f"{len(expected)} problem(s) found; nothing was written.",
    ]
    commands = [
        ["render", "--out", str(earlier_output / "pages")],
        *(["export", kind, "--out", str(earlier_output / name)]
          for kind, name in [("json", "models.json"), ("csv", "models.csv"), ("markdown", "MODELS.md")]),
    ]  # fmt: skip
    for command in commands:
        assert ohm([*command, "--catalogue", str(path)]) == 1, command
        assert capsys.readouterr().err.splitlines()[:-1] == expected, command
    assert snapshot(earlier_output) == before


def test_there_is_a_fixture_for_each_defect_class_of_catalogue_data():
    names = {path.stem for path in HOSTILE}
    assert {
        # missing required fields
        *(f"missing-{field}" for field in ("id", "category", "subcategory", "kind", "links", "license")),
        # characters that are not text; line breaks in single-line fields; terminal forgery
        "control-character-in-name", "escape-codes-in-description", "lone-surrogate-in-name",
        "line-break-in-id", "line-break-in-license-id", "line-break-in-size", "terminal-forgery-in-id",
        # ids that would replace generated pages
        "category-index", "category-tasks", "category-models", "model-index", "task-index",
        # internal addresses and credentials in links
        "url-with-credentials", "url-metadata-address", "url-hex-loopback", "url-decimal-loopback",
        "url-ipv6-loopback", "url-metadata-name",
        # look-alike names
        "look-alike-name-nbsp", "look-alike-name-cyrillic", "look-alike-name-zero-width", "look-alike-name-rlo",
        "mixed-script-name",
        # numbers: not finite, out of range, too long to read
        "gpu-memory-nan", "gpu-memory-infinite", "gpu-memory-overflow", "gpu-memory-too-large",
        "gpu-memory-long-integer", "integer-past-python-limit", "parameters-too-long",
        # licences and lineage
        "variant-licence-mixed", "lineage-cycle", "superseded-cycle", "superseded-by-none",
        # ids that would replace hand-written pages
        "category-about", "category-contributing",
    } <= names  # fmt: skip


@pytest.mark.timeout(60)
def test_a_field_full_of_unclosed_tags_is_checked_in_linear_time(tmp_path: Path, capsys):
    # The old tag pattern scanned to the end from every "<": 2 MB took about 11 minutes.
    field = "<a" * 1_000_000
    assert plain_text_problem(field) is None
    assert plain_text_problem(field + ">") == (
        "must be plain text: HTML like '<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<a<…' "
        "is not allowed"
    )
    text = MINIMAL_CATALOGUE.read_text(encoding="utf-8")
    path = tmp_path / "models.yaml"
    path.write_text(text.replace("description: Transcribes speech.", f"description: '{field}'"))
    assert ohm(["validate", "--catalogue", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{path}:23: example-asr: description: is too long (2000000 characters, at most 1000)",
        "1 problem(s) found; nothing was written.",
    ]


def test_every_export_is_strict_json(capsys):
    for catalogue in (SMALL_CATALOGUE, MINIMAL_CATALOGUE, ROOT / "data" / "models.yaml"):
        assert ohm(["export", "json", "--catalogue", str(catalogue)]) == 0
        json.loads(capsys.readouterr().out, parse_constant=_not_json)


def _not_json(constant: str) -> None:
    raise AssertionError(f"{constant} is not JSON")


def test_an_export_never_writes_nan_or_infinity():
    data = load_catalogue(MINIMAL_CATALOGUE).data
    data["models"][0]["deployment"]["min_gpu_memory_gb"] = float("nan")  # past validation, by a bug
    with pytest.raises(ValueError, match="not JSON compliant"):
        catalogue_json(build_catalogue(data))


def test_problem_lines_are_one_physical_line_each_with_no_escape_codes(capsys):
    path = FIXTURES / "hostile" / "terminal-forgery-in-id.yaml"
    for output_format in ("text", "github"):
        assert ohm(["validate", "--catalogue", str(path), "--format", output_format]) == 1
        captured = capsys.readouterr()
        output = captured.out + captured.err
        assert "\x1b" not in output
        lines = output.splitlines()
        # The two problems (an escape character, a line break), each on its own line, then the count:
        # whatever the id holds, no line of output is anything else.
        assert len(lines) == 3
        assert all(line.startswith(("tests/fixtures/hostile/", "::error ")) for line in lines[:-1]), lines
        assert lines[-1] == "2 problem(s) found; nothing was written."


def test_a_catalogue_with_a_lone_surrogate_stops_the_build_before_the_site_is_touched(tmp_path: Path):
    text = (FIXTURES / "hostile" / "lone-surrogate-in-name.yaml").read_text(encoding="utf-8")
    project = make_project(tmp_path / "project", text)
    result = run_mkdocs(project)
    assert result.returncode == 1
    assert "a \\u or \\U escape is not a character (a surrogate, or past U+10FFFF)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/", "https://127.1/", "https://0x7f.0.0.1/", "https://0x7f000001/", "https://2130706433/",
        "https://0177.0.0.1/", "https://127.0.0.1./", "https://10.0.0.1/", "https://172.16.0.1/",
        "https://192.168.1.1/", "https://169.254.169.254/latest/meta-data/", "https://[::1]/",
        "https://[::ffff:127.0.0.1]/", "https://[fd00::1]/", "https://[fe80::1%25eth0]/",
        "https://metadata.google.internal/", "https://localhost/", "https://api.localhost/",
        "https://printer.local/", "https://router.lan/", "https://nas.home.arpa/",
    ],
)  # fmt: skip
def test_internal_addresses_are_refused_in_any_spelling(url: str):
    problem = url_problem(url)
    assert problem is not None and problem.startswith("must name a public host"), problem


@pytest.mark.parametrize(
    "url",
    [
        "https://user@example.org/",
        "https://user:pw@example.org/",
        "https://:pw@example.org/",
        "https://@example.org/",
    ],
)
def test_credentials_are_refused_in_any_form(url: str):
    assert url_problem(url) == "must not contain a user name or password"


def test_an_allowed_host_is_the_only_exception(tmp_path: Path):
    assert url_problem("https://127.0.0.1:8443/x", allowed_hosts={"127.0.0.1"}) is None
    assert url_problem("https://0x7f.0.0.1:8443/x", allowed_hosts={"127.0.0.1"}) is not None


# --- render --out writes only where it may ------------------------------------------------------


def run(*args: str, **options) -> subprocess.CompletedProcess[str]:
    """`ohm ARGS` in this process; in a real one when `options` (stdin, env, ...) need one."""
    if not options:
        return run_ohm(*args)
    return subprocess.run(
        [sys.executable, "-m", "ohm", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        **options,
    )


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("data", "data is the catalogue's folder, which must not be replaced; choose another folder"),
        ("docs", "docs is the folder of the hand-written pages, which must not be replaced; choose another folder"),
        (".", ". is the project folder, which must not be replaced; choose another folder"),
        ("README.md", "README.md is a file, not a folder"),
        ("tests/fixtures", "tests/fixtures is not empty and was not written by this command; "
                           "choose a new or empty folder, or delete it first"),
    ],
)  # fmt: skip
def test_render_refuses_folders_it_does_not_own_and_changes_nothing(out: str, message: str):
    before = snapshot(ROOT / out) if (ROOT / out).is_dir() else (ROOT / out).read_bytes()
    result = run("render", "--out", out)
    assert result.returncode == 2
    assert result.stderr == f"render: {message}; nothing was written\n"
    assert (snapshot(ROOT / out) if (ROOT / out).is_dir() else (ROOT / out).read_bytes()) == before


def test_render_refuses_a_folder_that_holds_the_catalogue(tmp_path: Path):
    catalogue = tmp_path / "project" / "data" / "models.yaml"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_bytes(SMALL_CATALOGUE.read_bytes())
    result = run("render", "--catalogue", str(catalogue), "--out", str(tmp_path / "project"))
    assert result.returncode == 2
    assert result.stderr == (
        f"render: {tmp_path / 'project'} holds the catalogue's folder ({catalogue.parent}), "
        "which must not be replaced; choose another folder; nothing was written\n"
    )
    assert catalogue.read_bytes() == SMALL_CATALOGUE.read_bytes()


def test_render_writes_into_a_new_or_empty_folder_and_again_into_its_own(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "new", tmp_path / "empty"):
        assert run("render", "--catalogue", str(SMALL_CATALOGUE), "--out", str(out)).returncode == 0
        assert (out / ".ohm-output").is_file() and (out / "index.md").is_file()
        assert run("render", "--catalogue", str(SMALL_CATALOGUE), "--out", str(out)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "new"]  # nothing left beside them


# --- A bad environment: one line, exit 2, no traceback --------------------------------------------


def test_unwritable_places_get_one_line_and_exit_2(tmp_path: Path):
    # /sys refuses new entries even to root, so this holds for every user.
    cases = [
        (["render", "--out", "/sys/ohm-pages"],
         "render: cannot write /sys/ohm-pages: Operation not permitted; nothing was written\n"),
        (["export", "json", "--out", "/sys/models.json"], "export: /sys/models.json: Permission denied\n"),
        (["export", "csv", "--out", str(tmp_path)], f"export: {tmp_path} is a folder; give a file name\n"),
    ]  # fmt: skip
    for args, message in cases:
        result = run(*args, "--catalogue", str(SMALL_CATALOGUE))
        assert (result.returncode, result.stderr) == (2, message)


def test_export_replaces_only_regular_files(tmp_path: Path):
    target = tmp_path / "target.json"
    target.write_text("keep me")
    (tmp_path / "link.json").symlink_to(target)
    os.mkfifo(tmp_path / "pipe.json")
    cases = {
        tmp_path / "link.json": "a symbolic link",
        tmp_path / "pipe.json": "a named pipe (FIFO)",
        Path("/dev/null"): "a device",
    }
    for out, kind in cases.items():
        result = run("export", "json", "--catalogue", str(SMALL_CATALOGUE), "--out", str(out))
        assert (result.returncode, result.stderr) == (
            2,
            f"export: {out}: is {kind}, not a regular file; only regular files are replaced: give another name\n",
        )
    assert target.read_text() == "keep me"
    assert (tmp_path / "link.json").is_symlink() and stat.S_ISFIFO((tmp_path / "pipe.json").lstat().st_mode)
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "pipe.json", "target.json"]


def test_build_under_a_folder_that_cannot_be_written_is_one_line():
    # /sys refuses new entries even to root, so this holds for every user.
    result = run("build", "--site-dir", "/sys/ohm-site")
    assert (result.returncode, result.stderr) == (
        2,
        "build: cannot write /sys/ohm-site: Operation not permitted; nothing was built\n",
    )


def test_a_catalogue_that_is_a_folder_or_unreadable_gets_one_line_and_exit_2(tmp_path: Path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)  # reading it fails whoever reads it, root included
    for catalogue, reason in [(tmp_path, "Is a directory"), (loop, "Too many levels of symbolic links")]:
        for verb in (
            ["validate"],
            ["render", "--out", str(tmp_path / "out")],
            ["export", "json"],
            ["links", "--no-site"],
        ):
            result = run(*verb, "--catalogue", str(catalogue))
            assert result.returncode == 2, (verb, result.stderr)
            assert result.stderr.splitlines()[-1].endswith(f"{catalogue}: {reason}"), (verb, result.stderr)
            assert len(result.stderr.splitlines()) == 1
            assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- The build replaces the site whole, or not at all ---------------------------------------------


def previous_site(folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<p>the previous site</p>")
    (folder / "sitemap.xml").write_text("<urlset/>")  # what MkDocs writes into every site
    return snapshot(folder)


def test_build_swaps_the_new_site_in(tmp_path: Path):
    site = tmp_path / "site"
    previous_site(site)
    result = run("build", "--quiet", "--site-dir", str(site), env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    assert "the previous site" not in (site / "index.html").read_text()
    assert (site / "models.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_an_interrupted_build_leaves_the_previous_site_intact(tmp_path: Path, how: str):
    site = tmp_path / "site"
    before = previous_site(site)
    build = subprocess.Popen(
        [sys.executable, "-m", "ohm", "build", "--quiet", "--site-dir", str(site)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + TIMEOUT
    while not any(p for staging in tmp_path.glob(".site-new-*") for p in staging.iterdir()):
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "MkDocs never started writing"
        time.sleep(0.05)
    if how == "SIGTERM":
        build.send_signal(signal.SIGTERM)
    else:  # a terminal sends Ctrl-C to the whole foreground process group
        os.killpg(build.pid, signal.SIGINT)
    _, stderr = build.communicate(timeout=TIMEOUT)
    assert build.returncode == 130, stderr
    assert stderr.splitlines()[-1] == "build: interrupted; nothing was changed"
    assert "Traceback" not in stderr
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the half-built one is gone


def test_build_refuses_a_site_folder_it_does_not_own(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("keep me")
    result = run("build", "--site-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == (
        f"build: {tmp_path} is not empty and was not written by this command; "
        "choose a new or empty folder, or delete it first; nothing was built\n"
    )
    assert (tmp_path / "notes.txt").read_text() == "keep me"


# --- new: two at once, and odd terminals ---------------------------------------------------------


def new_options(n: int) -> list[str]:
    return [
        "new", "--name", f"Concurrent Model {n}", "--developer", "Example Lab", "--category", "vision",
        "--subcategory", "medical-imaging",
        "--kind", "framework", "--modality", "image", "--description", "Segmentation of CT scans.",
        "--use-case", "Organ segmentation", "--repository", f"https://github.com/example/model-{n}",
        "--code-license", "Apache-2.0", "--access", "open",
        "--source", f"https://github.com/example/model-{n}", "--verified", "2026-01-31", "--no-input",
    ]  # fmt: skip


def model_ids(path: Path) -> list[str]:
    return [model["id"] for model in load_catalogue(path).data["models"]]


def test_two_new_at_once_both_add_their_entry(tmp_path: Path):
    path = tmp_path / "models.yaml"
    path.write_bytes(SMALL_CATALOGUE.read_bytes())
    for round_ in range(5):
        both = [
            subprocess.Popen(
                [sys.executable, "-m", "ohm", *new_options(2 * round_ + n), "--catalogue", str(path)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(2)
        ]
        for process in both:
            _, stderr = process.communicate(timeout=TIMEOUT)
            assert process.returncode == 0, stderr
    ids = model_ids(path)
    assert sorted(i for i in ids if i.startswith("concurrent")) == sorted(
        f"concurrent-model-{n}" for n in range(10)
    )
    assert ohm(["validate", "--catalogue", str(path)]) == 0


def test_new_waits_for_another_writer_and_adds_to_what_it_wrote(tmp_path: Path):
    path = tmp_path / "models.yaml"
    path.write_bytes(SMALL_CATALOGUE.read_bytes())
    with FileLock(lock_file(path)):  # another writer holds the catalogue
        process = subprocess.Popen(
            [sys.executable, "-m", "ohm", *new_options(1), "--catalogue", str(path)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(3)  # long enough for `new` to read and write, were it not waiting
        assert process.poll() is None, process.communicate()
        assert path.read_bytes() == SMALL_CATALOGUE.read_bytes()
        # Meanwhile the other writer changes the file.
        path.write_text(path.read_text().replace("title: Test Catalogue", "title: Changed Meanwhile"))
    _, stderr = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, stderr
    assert "concurrent-model-1" in model_ids(path)
    assert load_catalogue(path).data["catalogue"]["title"] == "Changed Meanwhile"


def test_new_with_standard_input_closed_works_from_its_options(tmp_path: Path):
    path = tmp_path / "models.yaml"
    path.write_bytes(SMALL_CATALOGUE.read_bytes())
    result = run(*new_options(1)[:-1], "--catalogue", str(path), stdin=subprocess.DEVNULL,
                 preexec_fn=lambda: os.close(0))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "concurrent-model-1" in model_ids(path)


def test_new_with_a_name_of_no_letter_or_digit_asks_for_an_id(tmp_path: Path):
    path = tmp_path / "models.yaml"
    path.write_bytes(SMALL_CATALOGUE.read_bytes())
    options = new_options(1)
    options[options.index("--name") + 1] = "!!!"
    result = run(*options, "--catalogue", str(path))
    assert result.returncode == 2
    assert (
        result.stderr == "new: the name '!!!' has no letter or digit to make an id of; give one with --id\n"
    )
    assert path.read_bytes() == SMALL_CATALOGUE.read_bytes()


def test_new_asks_again_when_the_terminal_sends_bytes_that_are_not_utf8(tmp_path: Path):
    path = tmp_path / "models.yaml"
    path.write_bytes(SMALL_CATALOGUE.read_bytes())
    controller, terminal = pty.openpty()
    options = [o for o in new_options(1) if o != "--no-input"]
    options[options.index("--name") : options.index("--name") + 2] = []
    process = subprocess.Popen(
        [sys.executable, "-m", "ohm", *options, "--catalogue", str(path)],
        cwd=ROOT, stdin=terminal, stdout=terminal, stderr=terminal,
        env={**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    os.close(terminal)
    # The name typed in Latin-1, then again in UTF-8; then the id, developer, sizes, caveats, sources.
    os.write(controller, "Modèle Ünï\n".encode("latin-1") + "Modèle Ünï\n\n\n\n\n\n".encode())
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the program ended
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=TIMEOUT) == 0, output.decode(errors="replace")
    text = output.decode(errors="replace")
    assert "that was not UTF-8 text; set the terminal to UTF-8 and type it again" in text
    assert "Traceback" not in text
    assert "Modèle Ünï" in [model["name"] for model in load_catalogue(path).data["models"]]


# --- Spreadsheets -----------------------------------------------------------------------------------


FORMULAS = ['=HYPERLINK("https://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\tTab first", "\rReturn first"]  # fmt: skip


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    data = load_catalogue(SMALL_CATALOGUE).data
    fields = [("description",), ("developer",), ("use_cases", 0), ("caveats", 0), ("commercial_use_note",)]
    for n, formula in enumerate(FORMULAS):
        model, field = data["models"][n % 3], fields[n % len(fields)]
        if len(field) == 1:
            model[field[0]] = formula
        else:
            model.setdefault(field[0], [""] if field[1] == 0 else {})[field[1]] = formula
    catalogue = build_catalogue(data)
    rows = list(csv.DictReader(io.StringIO(catalogue_csv(catalogue))))
    cells = [cell for row in rows for cell in row.values()]
    for formula in FORMULAS:
        assert any(cell.startswith("'" + formula.replace("\r", "\n")) for cell in cells), formula
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    # The JSON is the lossless export: it keeps the text exactly.
    assert FORMULAS[0].replace('"', '\\"') in catalogue_json(catalogue)


def test_every_fixture_names_itself_in_its_first_line():
    for path in HOSTILE:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and first.endswith("."), path.name
    assert display_name(HOSTILE[0]).startswith("tests/fixtures/hostile/")


# --- A freshness file of the wrong shape ------------------------------------------------------------


def freshness_file(**changes: object) -> dict[str, object]:
    finding = {"kind": "archived", "field": "links.repository", "catalogue": "https://github.com/a/b",
               "upstream": "archived", "since": "2026-11-20"}  # fmt: skip
    document = {
        "schema_version": 1,
        "checked": "2026-11-25",
        "thresholds": {"inactive_days": 365, "verification_days": 180},
        "entries": {"example-asr": [finding]},
    }
    for key, value in changes.items():
        if key in finding:
            finding[key] = value
        else:
            document[key] = value
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (freshness_file(thresholds={"inactive_days": 365}),
         "thresholds: 'verification_days' is a required property"),
        (freshness_file(thresholds=5), "thresholds: must be of type object"),
        (freshness_file(thresholds={"inactive_days": "a year", "verification_days": 1}),
         "thresholds.inactive_days: must be of type integer"),
        (freshness_file(field=5), "entries.example-asr[0].field: must be of type string"),
        (freshness_file(upstream={"a": 1}), "entries.example-asr[0].upstream: must be of type null or string"),
        (freshness_file(since="yesterday"), "entries.example-asr[0].since: must be a date written YYYY-MM-DD"),
        (freshness_file(entries={"example-asr": {"kind": "archived"}}), "entries.example-asr: must be of type array"),
    ],
)  # fmt: skip
def test_a_freshness_file_of_the_wrong_shape_is_one_line(tmp_path: Path, document, message):
    path = tmp_path / "freshness.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(FreshnessError) as raised:
        read_site_freshness(path)
    assert str(raised.value) == f"{path}: {message}"


def test_a_freshness_file_nested_a_thousand_deep_is_one_line(tmp_path: Path):
    path = tmp_path / "freshness.json"
    text = json.dumps(freshness_file(upstream="DEEP")).replace('"DEEP"', "[" * 5000 + "]" * 5000)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FreshnessError) as raised:
        read_site_freshness(path)
    assert str(raised.value) == f"{path}: nested too deeply to be a freshness file"


def test_the_build_stops_on_a_freshness_file_of_the_wrong_shape_with_one_line(tmp_path: Path):
    project = make_project(tmp_path / "project", SMALL_CATALOGUE.read_text(encoding="utf-8"))
    freshness = tmp_path / "freshness.json"
    freshness.write_text(json.dumps(freshness_file(thresholds={})), encoding="utf-8")
    result = run_mkdocs(project, site_dir=project / "site", env={"OHM_FRESHNESS": str(freshness)})
    assert result.returncode != 0 and not (project / "site").exists()
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if "freshness file:" in line]
    assert line.endswith(f"{freshness}: thresholds: 'inactive_days' is a required property")
