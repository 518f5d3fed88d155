"""axe-core's WCAG 2.2 A and AA rules on a page open in Playwright.

For the browser tests and scripts/audit_site.py; needs the `dev` extra
(axe-playwright-python, which carries its own copy of axe-core, so nothing is
fetched).
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_AXE = Axe()


def wcag_violations(page: Any) -> list[dict]:
    """Every WCAG A/AA rule the page breaks, as axe reports it (rule id, elements)."""
    options = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]}
    return _AXE.run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> list[str]:
    """One line per violated rule: its id and the elements that break it."""
    return [
        f"{rule['id']}: {', '.join(' '.join(map(str, node['target'])) for node in rule['nodes'])}"
        for rule in violations
    ]
