"""Atom feeds of the catalogue's history: the whole catalogue, each category, each model.

A hospital subscribes to the models it uses: each model's feed carries every
event of its History section (added, changed, what the freshness check found
upstream). Written by feedgen, which escapes every text for XML. Ids are stable
(see `Event.id`, and the feed's own from its path), so a reader shows an event
once however often the site is rebuilt; `updated` is the newest event's day,
never the time of the build, so two builds of one history are the same bytes.

Links are absolute when the site is built with its address (`site_url`), else
relative to the feed's own address, which Atom allows and readers resolve.
"""

from __future__ import annotations

import posixpath
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from ohm.catalog.catalogue import Catalogue

from .history import EVENT_NAMESPACE, REMOVED, CatalogueHistory, Event
from .pages import CATALOGUE_FEED, CHANGES_PAGE, address, category_feed, category_page, model_feed, model_page

# The newest events the catalogue's and each category's feed carry; a model's carries all of its own.
FEED_ENTRIES = 100


def feeds(catalogue: Catalogue, history: CatalogueHistory, site_url: str | None) -> dict[str, str]:
    """Every feed, by its path in the site."""
    models = {model.id: model for model in catalogue.models}
    files = {
        CATALOGUE_FEED: _feed(
            catalogue,
            CATALOGUE_FEED,
            f"{catalogue.title}: changes",
            CHANGES_PAGE,
            history.events[-FEED_ENTRIES:],
            models,
            site_url,
        )
    }
    for category in catalogue.categories:
        ids = {model.id for model in catalogue.models if model.category == category.id}
        events = [event for event in history.events if event.entry in ids][-FEED_ENTRIES:]
        path = category_feed(category.id)
        title = f"{catalogue.title}: {category.title}"
        files[path] = _feed(catalogue, path, title, category_page(category.id), events, models, site_url)
    for model in catalogue.models:
        path = model_feed(model.id)
        title = f"{catalogue.title}: {model.name}"
        files[path] = _feed(
            catalogue, path, title, model_page(model.id), history.of(model.id), models, site_url
        )
    return files


def _feed(
    catalogue: Catalogue,
    path: str,
    title: str,
    page: str,
    events: Sequence[Event],
    models: Mapping[str, object],
    site_url: str | None,
) -> str:
    def link(target: str) -> str:
        """`target` (a path in the site) as the feed links to it."""
        if site_url:
            return site_url.rstrip("/") + "/" + target
        return posixpath.relpath(target or ".", posixpath.dirname(path)) + (
            "/" if target.endswith("/") else ""
        )

    feed = FeedGenerator()
    feed.id(f"urn:uuid:{uuid.uuid5(EVENT_NAMESPACE, path)}")
    feed.title(title)
    feed.author({"name": catalogue.title})
    feed.link(href=link(path), rel="self", type="application/atom+xml")
    feed.link(href=link(address(page)), rel="alternate", type="text/html")
    feed.language("en")
    newest = events[-1].date if events else catalogue.last_updated
    feed.updated(_day(newest))
    for event in reversed(events):
        entry = feed.add_entry(order="append")
        entry.id(event.id)
        entry.title(f"{event.name}: {event.kind.replace('-', ' ')}")
        entry.updated(_day(event.date))
        entry.summary(event.summary)
        # Atom wants an alternate link where there is no content: a removed entry's is the changes page.
        target = model_page(event.entry) if event.kind != REMOVED and event.entry in models else CHANGES_PAGE
        entry.link(href=link(address(target)), rel="alternate", type="text/html")
    return feed.atom_str(pretty=True).decode("utf-8")


def _day(date: str) -> datetime:
    return datetime.fromisoformat(date).replace(tzinfo=UTC)
