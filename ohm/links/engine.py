"""Run LinkChecker over a set of URLs and record every result, as a child process.

    python -m ohm.links.engine JOB.json RESULTS.jsonl

LinkChecker is used as a library rather than through its command line for
three reasons: its command line drops root privileges to `nobody` (so it
could not write our results in CI), it only prints warnings (where 429s and
redirects live) when warnings are switched on, and its per-host throttle
cannot be tuned from the outside (see HostThrottle). It runs in its own
process because it changes process-wide state (the default socket timeout,
logging, a gettext `_` builtin).

The job file says what to check:
    {"config_file": "ohm/links/linkcheckerrc",
     "site_urls": ["http://127.0.0.1:8123/"],       # crawled: internal pages, then their links
     "extern_urls": ["https://example.org/a"],       # checked once each, never crawled
     "checking": {"threads": 16, "timeout": 20, "useragent": "..."},
     "per_host_rate": 2.0,                           # requests per second to one host
     "unthrottled_hosts": ["127.0.0.1:8123"]}

Each line of the results file is one JSON object: either
    {"start": "<url as given>", "cache_url": "<LinkChecker's key for it>"}
or one checked URL with LinkChecker's full result (valid, result, warnings,
info, url, parent_url, ...).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any


class HostThrottle:
    """At most `rate` requests per second to each host, hosts independent of each other.

    LinkChecker's own throttle (Aggregate.wait_for_host) sleeps while holding
    one lock shared by all hosts and waits a random 0.1-0.6 s between two
    requests to a host, whatever its maxrequestspersecond says; with many
    hosts that serialises the whole check. Here each request reserves the
    next free slot of its host under the lock and sleeps outside it.
    """

    def __init__(self, rate: float, unthrottled_hosts: set[str] | None = None):
        self.interval = 1.0 / rate
        self.unthrottled_hosts = unthrottled_hosts or set()
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        if host in self.unthrottled_hosts:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.interval
        delay = slot - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def _wire_fields(url_data: Any) -> dict[str, Any]:
    return {
        "url": url_data.url,
        "base_url": url_data.base_url,
        "cache_url": url_data.cache_url,
        "parent_url": url_data.parent_url,
        "line": url_data.line,
        "name": url_data.name,
        "extern": bool(url_data.extern),
        "valid": bool(url_data.valid),
        "result": url_data.result,
        "warnings": [[tag, message] for tag, message in url_data.warnings],
        "info": list(url_data.info),
        "level": url_data.level,
    }


def _make_recorder(out: IO[str]):
    """A LinkChecker logger that records every URL, whatever the verbosity settings."""
    from linkcheck.logger import _Logger

    class JsonLinesRecorder(_Logger):
        LoggerName = "jsonlines-recorder"

        def __init__(self) -> None:
            super().__init__()
            self._lock = threading.Lock()

        def start_output(self) -> None:
            pass

        def log_filter_url(self, url_data: Any, do_print: bool) -> None:
            self.log_url(url_data)

        def log_url(self, url_data: Any) -> None:
            line = json.dumps(_wire_fields(url_data), ensure_ascii=False)
            with self._lock:
                out.write(line + "\n")

        def end_output(self, **kwargs: Any) -> None:
            out.flush()

    return JsonLinesRecorder()


def run(job: dict[str, Any], out: IO[str]) -> None:
    from linkcheck import checker, configuration, director, logconf

    logconf.init_log_config()
    config = configuration.Configuration()
    config.read(files=[job["config_file"]])
    config.update(job.get("checking", {}))
    config["checkextern"] = True
    config["status"] = False
    config["logger"] = config.logger_new("none")
    config["fileoutput"] = [_make_recorder(out)]
    config.sanitize()

    aggregate = director.get_aggregate(config)
    if not job.get("linkchecker_throttle"):  # kept only to measure the difference (benchmark)
        config["maxrequestspersecond"] = job["per_host_rate"]
        throttle = HostThrottle(job["per_host_rate"], set(job.get("unthrottled_hosts", [])))
        aggregate.wait_for_host = throttle.wait

    for url in job.get("site_urls", []):
        aggregate.urlqueue.put(checker.get_url_from(url, 0, aggregate, extern=(0, 0)))
    for url in job.get("extern_urls", []):
        # Level 1, not 0: LinkChecker makes every level-0 URL's site "internal" and would crawl it.
        url_data = checker.get_url_from(url, 1, aggregate, extern=(1, 0))
        out.write(json.dumps({"start": url, "cache_url": url_data.cache_url}) + "\n")
        aggregate.urlqueue.put(url_data)
    director.check_urls(aggregate)


def main(argv: list[str]) -> int:
    job_file, results_file = argv
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    with open(results_file, "w", encoding="utf-8") as out:
        run(job, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
