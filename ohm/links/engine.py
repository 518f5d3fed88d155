"""Crawl our built site with LinkChecker and record every link it finds, as a child process.

    python -m ohm.links.engine JOB.json RESULTS.jsonl

LinkChecker checks our pages, assets and anchors; it only lists the external
links it finds (checkextern is off): web.py checks those. It is used as a
library rather than through its command line because its command line drops
root privileges to `nobody` (so it could not write our results in CI) and
only prints warnings (where redirects live) when told to. It runs in its own
process because it changes process-wide state (the default socket timeout,
logging, a gettext `_` builtin), and so that a crawl that goes wrong can be
stopped without stopping the run.

The job file says what to crawl:
    {"config_file": "ohm/links/linkcheckerrc",
     "site_url": "http://127.0.0.1:8123/",
     "checking": {"threads": 16, "timeout": 20, "useragent": "..."}}

Each line of the results file is one JSON object: LinkChecker's full result
for one URL (valid, result, warnings, info, url, base_url, parent_url, extern...),
written as soon as it is known.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import IO, Any


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
                out.flush()  # a crawl stopped half-way keeps what it found

        def end_output(self, **kwargs: Any) -> None:
            out.flush()

    return JsonLinesRecorder()


def run(job: dict[str, Any], out: IO[str]) -> None:
    from linkcheck import checker, configuration, director, logconf

    logconf.init_log_config()
    config = configuration.Configuration()
    config.read(files=[job["config_file"]])
    config.update(job.get("checking", {}))
    config["checkextern"] = False
    config["status"] = False
    config["logger"] = config.logger_new("none")
    config["fileoutput"] = [_make_recorder(out)]
    config.sanitize()

    aggregate = director.get_aggregate(config)
    # Our own site, served on this machine: no need for LinkChecker's pause between requests.
    aggregate.wait_for_host = lambda host: None
    aggregate.urlqueue.put(checker.get_url_from(job["site_url"], 0, aggregate, extern=(0, 0)))
    director.check_urls(aggregate)


def main(argv: list[str]) -> int:
    job_file, results_file = argv
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    with open(results_file, "w", encoding="utf-8") as out:
        run(job, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
