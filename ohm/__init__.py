"""Open Health Models: the catalogue's tools, from the YAML file to the published site.

ohm.catalog   load -> validate -> typed catalogue; contributor commands
ohm.site      render, exports, and the whole site assembled once for any engine
ohm.mkdocs_plugin  the MkDocs plugin `ohm`: the assembled site handed to MkDocs
ohm.links     the nightly link check
ohm.freshness the nightly upstream freshness check
ohm.nightly   what both nightly checks share: report and history files, the tracking issue
ohm.build     the site build (MkDocs), as the `build` and `serve` verbs
ohm.engines   the same site written to disk, built by Zensical (or plain MkDocs)
ohm.cli       the one console command, `ohm`
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("open-health-models")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
