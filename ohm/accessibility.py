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

# The pages a visitor meets, by name: the browser tests and scripts/audit_site.py check each.
VISITOR_PAGES = {
    "home": "/",
    "home, filtered": "/?use=allowed&task=segmentation",
    "home, nothing matches": "/?search=no-such-model-anywhere",
    "category": "/vision/",
    "task": "/tasks/segmentation/",
    "tasks": "/tasks/",
    "model": "/models/whisper/",
    "comparison": "/compare/?models=whisper,medsam,xgboost",
    "all models": "/models/",
    "about": "/about/",
    "contributing": "/contributing/",
    "changes": "/changes/",
    "page not found": "/404.html",  # what the host serves for an unknown address
}
# What the open search shows while it is checked: results, excerpts, filters and the pointer below.
SEARCH_QUERY = "segmentation"


def open_search(page: Any, query: str = SEARCH_QUERY) -> None:
    """Open the site's search dialog as a visitor does at any width, type `query` and wait for its
    results and filters."""
    box = page.locator(".md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for='__search']").click()  # a phone: the header's icon
    box.fill(query)
    page.locator("li.md-search-result__item").first.wait_for()
    page.locator(".ohm-search-filters:not([hidden])").wait_for()
    # The dialog fades in: colours are checked once no transition is under way.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


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
