"""Open Health Models: the catalogue's tools, from the YAML file to the published site.

ohm.catalog   load -> validate -> render -> the MkDocs plugin; exports; contributor commands
ohm.links     the nightly link check
ohm.build     the site build (MkDocs), as the `build` and `serve` verbs
ohm.engines   the same site from pages written to disk, built by Zensical (or plain MkDocs)
ohm.cli       the one console command, `ohm`
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("open-health-models")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
