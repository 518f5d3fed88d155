"""The freshness check: has upstream changed since each entry was verified?

entries.py    what the check reads from an entry
upstream.py   the Hugging Face Hub and GitHub answers it reads, each through one typed parser
client.py     requests within bounds and limits: deadlines, body cap, workers, pace, budget, ETags
text.py       upstream text made safe to keep (no lone surrogates, no control characters)
licences.py   upstream licence ids translated into the catalogue's
quotes.py     are a claim's quoted words still in the file it cites (Markdown read as rendered)
findings.py   the comparison: licence-changed, gated-changed, archived, inactive, quote-gone, ...
check.py      one run: the entries in rotation, concurrently, within the run's time budget
history.py    since when each finding has been seen (the file: ohm.nightly.files)
report.py     FreshnessReport: freshness.json as typed data, and its Markdown section
site.py       the notices the site shows when it is built with a freshness file
command.py    the `ohm freshness` verb
"""
