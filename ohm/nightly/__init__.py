"""What the two nightly checks (ohm.links, ohm.freshness) share.

files.py     ReportError, and reading and writing their JSON files: versioned, atomic
issue.py     the `ohm issue` verb: one GitHub issue made of one section per report,
             opened, updated each night and closed when all is well
options.py   the options they share (--today)
markdown.py  Markdown from others' text that shows as written, pings no one and fits
"""
