"""Charts as inline SVG: the period burn-up of the dashboard.

Pure and deterministic: dated values in, an SVG string out. No script, no web font; the
chart draws with classes that okrs.css colours (with ``currentColor`` fallbacks), and
says the same in words (``role="img"``, ``<title>``) beside a table the page shows.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from generator.model.core import Period, percent

# The drawing's own units; the SVG scales to its container's width (see okrs.css).
WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 54, 16, 12, 36  # room for the axes' labels
PERCENT_TICKS = (0, 25, 50, 75, 100)
MAX_DATE_TICKS = 6  # more would overlap on a phone, where the drawing is ~350 px wide


@dataclass(frozen=True)
class BurnUpPoint:
    """Overall progress (0..1) at the end of ``day``; ``label`` names it (a week, or "now")."""

    day: date
    progress: float
    label: str


def burn_up_svg(points: Sequence[BurnUpPoint], period: Period, *, as_of: date, title: str) -> str:
    """Progress by week (a line with a dot per point) over the expected pace (dashed, 0% at
    the period's start to 100% at its end), with a percent axis and a date axis."""
    days = max((period.end - period.start).days, 1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + min(max((day - period.start).days, 0), days) / days * inner_w

    def y(progress: float) -> float:
        return TOP + (1 - min(max(progress, 0.0), 1.0)) * inner_h

    e = html.escape
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="okrs-chart okrs-burnup" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-label="{e(title, quote=True)}">', f"<title>{e(title)}</title>"]
    for tick in PERCENT_TICKS:
        ty = y(tick / 100)
        parts.append(f'<line class="okrs-chart__grid" x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" '
                     f'stroke="currentColor" stroke-opacity="0.15"/>')
        parts.append(f'<text class="okrs-chart__label" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" '
                     f'fill="currentColor">{tick}%</text>')
    for tick in date_ticks(period):
        tx = x(tick)
        parts.append(f'<line class="okrs-chart__tick" x1="{tx:.1f}" y1="{TOP + inner_h}" x2="{tx:.1f}" '
                     f'y2="{TOP + inner_h + 5}" stroke="currentColor" stroke-opacity="0.5"/>')
        parts.append(f'<text class="okrs-chart__label" x="{tx:.1f}" y="{HEIGHT - 10}" text-anchor="middle" '
                     f'fill="currentColor">{tick.strftime("%b %d").replace(" 0", " ")}</text>')
    parts.append(f'<line class="okrs-chart__axis" x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}" '
                 f'y2="{TOP + inner_h}" stroke="currentColor" stroke-opacity="0.5"/>')
    parts.append(f'<line class="okrs-chart__expected" x1="{x(period.start):.1f}" y1="{y(0):.1f}" '
                 f'x2="{x(period.end):.1f}" y2="{y(1):.1f}" stroke="currentColor" stroke-opacity="0.55" '
                 f'stroke-width="1.5" stroke-dasharray="5 4"/>')
    if period.start <= as_of <= period.end:
        parts.append(f'<line class="okrs-chart__today" x1="{x(as_of):.1f}" y1="{TOP}" x2="{x(as_of):.1f}" '
                     f'y2="{TOP + inner_h}" stroke="currentColor" stroke-opacity="0.3" stroke-dasharray="2 3"/>')
    shown = sorted(points, key=lambda p: p.day)
    if shown:
        line = " ".join(f"{x(p.day):.1f},{y(p.progress):.1f}" for p in shown)
        parts.append(f'<polyline class="okrs-chart__actual" points="{line}" fill="none" stroke="currentColor" '
                     f'stroke-width="2.5" stroke-linejoin="round"/>')
        for p in shown:
            parts.append(f'<circle class="okrs-chart__point" cx="{x(p.day):.1f}" cy="{y(p.progress):.1f}" r="3" '
                         f'fill="currentColor"><title>{e(p.label)}: {percent(p.progress)}%</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def date_ticks(period: Period) -> list[date]:
    """First days of months inside the period (every second or third month for a long one)."""
    months = []
    day = date(period.start.year, period.start.month, 1)
    while day <= period.end:
        if day >= period.start:
            months.append(day)
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    if not months:
        return [period.start]
    step = -(-len(months) // MAX_DATE_TICKS)  # ceiling division
    return months[::step]


def burn_up_words(points: Sequence[BurnUpPoint], period: Period, *, as_of: date) -> str:
    """What the chart shows, in one sentence: the title of the SVG."""
    expected = percent(period.elapsed(as_of))
    if not points:
        return f"Overall progress of {period.name}: no data yet; expected {expected}% by {as_of.isoformat()}"
    last = max(points, key=lambda p: p.day)
    return (f"Overall progress of {period.name} by week: {percent(last.progress)}% on {last.day.isoformat()}, "
            f"expected {percent(period.elapsed(last.day))}% at that date (dashed line: the expected pace "
            f"from 0% on {period.start.isoformat()} to 100% on {period.end.isoformat()})")
