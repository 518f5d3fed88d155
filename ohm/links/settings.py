"""Settings of the link check, read from the committed LinkChecker configuration.

The file (ohm/links/linkcheckerrc) is LinkChecker's own INI format:
LinkChecker reads its [checking], [filtering] and plugin sections itself when
it crawls our site, and the checker of external URLs (web.py) takes threads,
timeout, rate and User-Agent from [checking] too. The [policy] section is
ours: retries, time budgets and the broken-after threshold. Command-line
options override any value.
"""

from __future__ import annotations

import configparser
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CONFIG = Path(__file__).with_name("linkcheckerrc")


class SettingsError(Exception):
    """The configuration cannot be used; the message says why."""


@dataclass(frozen=True)
class Settings:
    config_file: Path = DEFAULT_CONFIG
    threads: int = 16
    timeout: int = 20
    per_host_rate: float = 2.0
    user_agent: str = "OpenHealthModels-LinkCheck/1.0"
    retries: int = 2
    backoff_seconds: float = 10.0
    max_retry_after_seconds: float = 60.0
    max_redirects: int = 20
    run_budget_seconds: float = 1800.0
    host_budget_seconds: float = 300.0
    host_give_up_after: int = 3
    broken_after_runs: int = 3
    ca_bundle: str | None = None  # certificates to trust instead of the system's (e.g. behind a proxy)

    def linkchecker_options(self) -> dict[str, object]:
        """Values handed to LinkChecker's configuration, overriding the file."""
        options: dict[str, object] = {
            "threads": self.threads,
            "timeout": self.timeout,
            "useragent": self.user_agent,
        }
        if self.ca_bundle:
            options["sslverify"] = self.ca_bundle
        return options


def read_settings(config_file: Path = DEFAULT_CONFIG, **overrides: object) -> Settings:
    """Settings from `config_file`, then `overrides` (None values are ignored)."""
    parser = configparser.RawConfigParser()
    try:
        if not parser.read(config_file, encoding="utf-8"):
            raise SettingsError(f"{config_file}: file not found")
        values: dict[str, object] = {
            "config_file": config_file,
            "threads": parser.getint("checking", "threads", fallback=Settings.threads),
            "timeout": parser.getint("checking", "timeout", fallback=Settings.timeout),
            "per_host_rate": parser.getfloat(
                "checking", "maxrequestspersecond", fallback=Settings.per_host_rate
            ),
            "user_agent": parser.get("checking", "useragent", fallback=Settings.user_agent),
            "retries": parser.getint("policy", "retries", fallback=Settings.retries),
            "backoff_seconds": parser.getfloat(
                "policy", "backoff_seconds", fallback=Settings.backoff_seconds
            ),
            "max_retry_after_seconds": parser.getfloat(
                "policy", "max_retry_after_seconds", fallback=Settings.max_retry_after_seconds
            ),
            "max_redirects": parser.getint("policy", "max_redirects", fallback=Settings.max_redirects),
            "run_budget_seconds": parser.getfloat(
                "policy", "run_budget_seconds", fallback=Settings.run_budget_seconds
            ),
            "host_budget_seconds": parser.getfloat(
                "policy", "host_budget_seconds", fallback=Settings.host_budget_seconds
            ),
            "host_give_up_after": parser.getint(
                "policy", "host_give_up_after", fallback=Settings.host_give_up_after
            ),
            "broken_after_runs": parser.getint(
                "policy", "broken_after_runs", fallback=Settings.broken_after_runs
            ),
        }
    except (configparser.Error, ValueError) as error:
        raise SettingsError(f"{config_file}: {error}") from None
    values.update({key: value for key, value in overrides.items() if value is not None})
    settings = Settings(**values)  # type: ignore[arg-type]
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    if settings.threads < 1:
        raise SettingsError("threads must be at least 1")
    if settings.timeout < 1:
        raise SettingsError("timeout must be at least 1 second (LinkChecker counts whole seconds)")
    if settings.per_host_rate <= 0:
        raise SettingsError("the per-host rate (maxrequestspersecond) must be above 0")
    if settings.retries < 0:
        raise SettingsError("retries must not be negative")
    if settings.max_redirects < 0:
        raise SettingsError("max_redirects must not be negative")
    if settings.run_budget_seconds <= 0 or settings.host_budget_seconds <= 0:
        raise SettingsError("the time budgets (run_budget_seconds, host_budget_seconds) must be above 0")
    if settings.host_give_up_after < 1:
        raise SettingsError("host_give_up_after must be at least 1")
    if settings.broken_after_runs < 1:
        raise SettingsError("broken_after_runs must be at least 1")
