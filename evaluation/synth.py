"""A synthetic Beijing: a seeded, reproducible roster, posts and partner agreements.

:func:`generate_world` puts together the people (:mod:`evaluation.synth_people`) and the posts
and agreements (:mod:`evaluation.synth_posts`); the writers turn rows into the ``.csv`` and
``.xlsx`` files officials exchange. Every draw comes from ``numpy`` generators spawned from one
``SeedSequence(seed)``, so a seed gives the same world byte for byte, and changing the number of
posts leaves the people as they were. Rows are keyed by the Chinese headers of DESIGN §4; values
use the vocabularies the imports accept (是/否, 有/无, 男/女 …). No laborer ids are made here: they
depend on the deployment's secret. ``docs/synthetic-beijing.md`` documents every proportion.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from catalogue.models import Agreement, Post
from evaluation.synth_people import ROSTER_HEADERS, generate_roster
from evaluation.synth_posts import (
    MIN_POSTS,
    POST_HEADERS,
    POSTS_PER_PERSON,
    generate_agreements,
    generate_posts,
)
from features.laborer import Laborer


@dataclass(frozen=True, slots=True)
class World:
    """A synthetic Beijing: roster rows, post rows by uploader, agreement objects.

    No laborer ids inside: they depend on the deployment's secret.
    """

    seed: int
    today: dt.date
    roster_rows: list[dict[str, str]]
    post_rows: dict[str, list[dict[str, str]]]  # uploader → rows
    agreements: list[dict[str, Any]]

    @property
    def all_post_rows(self) -> list[dict[str, str]]:
        """Every post row, uploaders in order."""
        return [row for rows in self.post_rows.values() for row in rows]


def generate_world(
    *,
    seed: int = 20261101,
    people: int = 3000,
    posts: int | None = None,
    year: int = 2026,
    today: dt.date | None = None,
) -> World:
    """A synthetic Beijing for ``seed``: the same arguments give the same world."""
    if people < 0:
        raise ValueError(f"people must be >= 0, got {people}")
    if posts is not None and posts < 0:
        raise ValueError(f"posts must be >= 0, got {posts}")
    day = today if today is not None else dt.date(year, 11, 1)
    total = posts if posts is not None else max(MIN_POSTS, round(people * POSTS_PER_PERSON))
    # Separate streams, so that changing the number of posts leaves the people as they were.
    roster_rng, agreement_rng, post_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    roster = generate_roster(roster_rng, people, day)
    agreements, employers = generate_agreements(agreement_rng, year)
    post_rows = generate_posts(post_rng, total, employers, day)
    return World(seed, day, roster, post_rows, agreements)


@dataclass(frozen=True, slots=True)
class ParsedWorld:
    """A world as the core's domain values, parsed by the real import code."""

    laborers: tuple[Laborer, ...]
    posts: tuple[Post, ...]
    agreements: tuple[Agreement, ...]


def parse_world(world: World, *, secret: str, today: dt.date | None = None) -> ParsedWorld:
    """Parse a world's rows through the roster import, the post uploads and the agreements.

    No Redis: the same validation the service runs, for simulations and benchmarks of the core.
    Raises ``ValueError`` naming the first problems if any row is refused (a generator bug).
    """
    from catalogue.agreements import parse_agreements
    from catalogue.upload import parse_posts
    from features.eligibility import AgeLimits
    from features.gazetteer import load_gazetteer
    from features.roster import parse_roster
    from features.tabular import Table

    day = today or world.today
    gazetteer = load_gazetteer()
    roster = Table(
        list(ROSTER_HEADERS), [[row[h] for h in ROSTER_HEADERS] for row in world.roster_rows]
    )
    parsed = parse_roster(roster, secret=secret, as_of=day, limits=AgeLimits(), gazetteer=gazetteer)
    if parsed.errors:
        raise ValueError(f"roster rows refused: {parsed.errors[:3]}")
    agreements = parse_agreements(world.agreements, gazetteer=gazetteer)
    posts: list[Post] = []
    for uploader, rows in world.post_rows.items():
        table = Table(list(POST_HEADERS), [[row[h] for h in POST_HEADERS] for row in rows])
        result = parse_posts(
            table, uploader=uploader, agreements=agreements, today=day, gazetteer=gazetteer
        )
        if result.errors:
            raise ValueError(f"post rows of {uploader} refused: {list(result.errors[:3])}")
        posts.extend(result.posts)
    return ParsedWorld(tuple(parsed.laborers), tuple(posts), tuple(agreements))


# ---------------------------------------------------------------------------------------------
# Files.


def _headers_of(rows: Sequence[Mapping[str, str]], headers: Sequence[str] | None) -> list[str]:
    if headers is not None:
        return list(headers)
    if not rows:
        raise ValueError("rows is empty: pass headers to write an empty table")
    return list(rows[0].keys())


def write_rows_csv(
    rows: Sequence[Mapping[str, str]],
    path: Path | str,
    *,
    encoding: str = "utf-8-sig",
    headers: Sequence[str] | None = None,
) -> Path:
    """Write rows as CSV (UTF-8 with BOM by default; ``gbk`` or ``gb18030`` as Excel saves)."""
    target = Path(path)
    columns = _headers_of(rows, headers)
    with target.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)
    return target


def write_rows_xlsx(
    rows: Sequence[Mapping[str, str]],
    path: Path | str,
    *,
    headers: Sequence[str] | None = None,
    sheet: str = "Sheet1",
) -> Path:
    """Write rows as one ``.xlsx`` sheet, every cell text, as Excel and WPS save it.

    XlsxWriter keeps the text in the shared-strings table and leaves blank cells out, as Excel
    does; openpyxl writes every cell as an inline string, a file no office program produces and
    half again as slow to read.
    """
    import xlsxwriter

    target = Path(path)
    columns = _headers_of(rows, headers)
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(str(target), options)
    try:
        ws = book.add_worksheet(sheet)
        ws.write_row(0, 0, columns)
        for r, row in enumerate(rows, start=1):
            for c, name in enumerate(columns):
                value = row.get(name, "")
                if value:
                    ws.write_string(r, c, value)
    finally:
        book.close()
    return target


def write_world(world: World, folder: Path | str) -> dict[str, Path]:
    """Write a world as files: roster.csv, posts-<uploader>.csv, agreements.json."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "roster": write_rows_csv(world.roster_rows, out / "roster.csv", headers=ROSTER_HEADERS)
    }
    for uploader, rows in world.post_rows.items():
        files[uploader] = write_rows_csv(rows, out / f"posts-{uploader}.csv", headers=POST_HEADERS)
    agreements = out / "agreements.json"
    agreements.write_text(
        json.dumps(world.agreements, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    files["agreements"] = agreements
    return files


__all__ = [
    "POST_HEADERS",
    "ROSTER_HEADERS",
    "ParsedWorld",
    "World",
    "generate_world",
    "parse_world",
    "write_rows_csv",
    "write_rows_xlsx",
    "write_world",
]
