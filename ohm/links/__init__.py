"""Stage 5: check every link of the catalogue and the built site, and report the broken ones.

    targets.catalogue_links(path)      -> {url: [where it is in data/models.yaml, ...]}
    engine  (child process)            -> LinkChecker's crawl of our site: pages, anchors, links found
    web.check_urls(urls, ...)          -> every external URL checked, with retries, within time budgets
    classify                           -> Outcome and its Status: ok, moved, failing, blocked, ...
    check.check_links(...)             -> one run: the crawl, then the external URLs, one deadline
    history.update(history, outcomes)  -> consecutive failing runs per URL, first-failed date
    report.build_report(...)           -> a LinkReport, grouped by catalogue entry: report.json / report.md
    command                            -> the `ohm links` verb

The history and report files, and the tracking issue, are shared with the
freshness check in ohm.nightly.

A link is reported broken only after it failed on several consecutive runs
(one flaky night proves nothing), except links between pages of our own site,
which are built from this repository and so cannot be flaky. Whatever a
URL or a server does, a run ends with a result for every URL.
"""
