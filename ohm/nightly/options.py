"""Command-line options the nightly verbs (`links`, `freshness`, `issue`) share."""

from __future__ import annotations

import argparse
import datetime


def iso_date(text: str) -> str:
    """An argparse type: a day written YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-25") from None


def add_today(parser: argparse.ArgumentParser) -> None:
    """`--today`: the day of this run, which a report is dated by (the workflows pass the UTC date)."""
    parser.add_argument(
        "--today",
        type=iso_date,
        default=datetime.date.today().isoformat(),
        help="date of this run (YYYY-MM-DD)",
    )
