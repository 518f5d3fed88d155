"""Shared paths and helpers for the tests."""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import inspect
import io
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from ohm.catalog.synthetic import make_project
from ohm.cli import main, parser

from .fake_upstream import FakeApi, drifting_upstream

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SMALL_CATALOGUE = FIXTURES / "catalogues" / "small.yaml"
MINIMAL_CATALOGUE = FIXTURES / "catalogues" / "minimal.yaml"


def catalogue_with_models(count: int) -> str:
    """The small catalogue as YAML with `count` models: copies of its entries under new ids and names."""
    data = yaml.safe_load(SMALL_CATALOGUE.read_text(encoding="utf-8"))
    entries = data["models"]
    data["models"] = [
        {**copy.deepcopy(entries[n % len(entries)]), "id": f"model-{n:04d}", "name": f"Model {n:04d}"}
        for n in range(count)
    ]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# Variables mkdocs.yml reads; a build in a test sets them itself or leaves them unset.
SITE_ENV = ("SITE_URL", "REPO_URL", "EDIT_URI", "OHM_FRESHNESS")


def run_mkdocs(
    project: Path, *args: str, site_dir: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build --strict` in `project`."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", *args]
    if site_dir is not None:
        command += ["--site-dir", str(site_dir)]
    inherited = {name: value for name, value in os.environ.items() if name not in SITE_ENV}
    # Material's end-of-life notice (see the README) is for people; here it would only
    # pad every failed build's message, so tests alone switch it off.
    env = {**inherited, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", SMALL_CATALOGUE.read_text(encoding="utf-8"))


def run_ohm(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`ohm ARGS` run in this process from the project folder, as a finished process would report it.

    For tests that check only the exit status and the output: the real console entry is
    tested on its own (test_command_line.py), and a test that needs a real process
    (terminals, signals, two at once, a closed stdin) starts one.
    """
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(ROOT),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
        _stdin(stdin),
    ):
        try:
            returncode = main(list(args))
        except SystemExit as exit:  # argparse: usage errors and --help
            returncode = exit.code if isinstance(exit.code, int) else 0 if exit.code is None else 1
    return subprocess.CompletedProcess(["ohm", *args], returncode, stdout.getvalue(), stderr.getvalue())


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved, sys.stdin = sys.stdin, io.StringIO(text)  # not a terminal: `new` asks nothing
    try:
        yield
    finally:
        sys.stdin = saved


# --- Quick tests and acceptance tests -----------------------------------------------------------
# A test is an acceptance test when it starts something: a process (MkDocs, LinkChecker, git, the
# `ohm` command), a server, a browser. That is read from the code the test runs: its own, that of
# the fixtures and helpers it uses, and that of the project's functions they call, so a new test is
# marked without anyone keeping a list. `-m "not acceptance"` is the quick loop.

# Modules whose use starts a process, a server or a browser.
STARTING_MODULES = ("subprocess", "pty", "multiprocessing", "http.server", "socketserver", "playwright")
# What those modules also hold that starts nothing.
HARMLESS = {"CompletedProcess", "CalledProcessError", "TimeoutExpired"}
# Where the walk follows a function into its own code: the project and its tests.
FOLLOWED_PACKAGES = ("ohm", "tests")


def _module_of(value: Any) -> str:
    name = value.__name__ if inspect.ismodule(value) else getattr(value, "__module__", None)
    return name if isinstance(name, str) else ""


def _in(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    """`code` and the code of the functions, lambdas and comprehensions written inside it."""
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _codes(constant)


def _walk(function: Any, seen: set[int], strings: set[str]) -> bool:
    """Whether `function` (or a class's methods) uses a starting module, following the project's code.

    Collects the string constants on the way: the verbs a test hands to `ohm`.
    """
    if id(function) in seen:
        return False
    seen.add(id(function))
    if inspect.isclass(function):
        methods = [vars(function)[name] for name in vars(function)]
        return any(_walk(method, seen, strings) for method in methods if inspect.isfunction(method))
    function = inspect.unwrap(function)
    if not inspect.isfunction(function):
        return False
    found = False
    for code in _codes(function.__code__):
        strings.update(value for value in code.co_consts if isinstance(value, str))
        for name in code.co_names:
            value = function.__globals__.get(name)
            if inspect.ismodule(value):  # `subprocess.run`, `http.server.HTTPServer`: what is used of it
                used = [getattr(value, attribute) for attribute in code.co_names if hasattr(value, attribute)]
                found = found or any(_starts(attribute) for attribute in used)
            elif _starts(value):
                found = True
            elif _in(_module_of(value), FOLLOWED_PACKAGES):
                found = _walk(value, seen, strings) or found
    return found


def _starts(value: Any) -> bool:
    return _in(_module_of(value), STARTING_MODULES) and getattr(value, "__name__", "") not in HARMLESS


@functools.cache
def _starting_verbs() -> frozenset[str]:
    """The verbs of `ohm` whose run starts something (a `build` runs MkDocs, `changed` runs git)."""
    commands = parser()
    [verbs] = [action for action in commands._actions if isinstance(action, argparse._SubParsersAction)]
    return frozenset(
        verb for verb, command in verbs.choices.items() if _walk(command.get_default("run"), set(), set())
    )


def _starts_something(item: pytest.Function) -> bool:
    seen: set[int] = set()
    strings: set[str] = set()
    functions = [item.function]
    for definitions in item._fixtureinfo.name2fixturedefs.values():
        functions += [definition.func for definition in definitions]
    if any(_walk(function, seen, strings) for function in functions):
        return True
    return id(main) in seen and bool(strings & _starting_verbs())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, pytest.Function) and (item.get_closest_marker("slow") or _starts_something(item)):
            item.add_marker(pytest.mark.acceptance)


# The freshness check's fake Hugging Face and GitHub APIs on 127.0.0.1 (tests/fake_upstream.py).
@pytest.fixture
def apis() -> Iterator[tuple[FakeApi, FakeApi]]:
    with FakeApi() as hub, FakeApi() as github:
        drifting_upstream(hub, github)
        yield hub, github


@pytest.fixture
def hub(apis) -> FakeApi:
    return apis[0]


@pytest.fixture
def github(apis) -> FakeApi:
    return apis[1]


@pytest.fixture
def no_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    """No real token reaches a check that a test points at the fakes."""
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
