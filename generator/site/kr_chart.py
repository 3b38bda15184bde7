"""A key result's progress over its period as an inline SVG chart, for the objective page.

Pure and deterministic: history points and a period in, an SVG string and the same
data as table rows out. Unlike the sparkline (a glance in a list), the chart has axes
with dates and percentages, the expected pace, each check-in as a point and the owner's
confidence as a second line. It scales to its container (``viewBox``, width 100%) and
draws with CSS classes over ``currentColor`` defaults, so it follows the light and dark
palettes. Screen readers get a one-sentence summary (``aria-label``) and the rows, which
the template shows as a table.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Protocol, Sequence

from generator.model.core import Period, percent

WIDTH, HEIGHT = 400, 190
LEFT, RIGHT, TOP, BOTTOM = 38, 14, 10, 26  # room for the percent and date labels
RIGHT_WITH_VALUES = 64  # room for the start and target values beside 0% and 100%
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MIN_TICK_GAP = 60  # chart units between date labels, so that they never overlap


class ChartPoint(Protocol):
    date: date
    value: float | bool | None
    progress: float
    confidence: float | None
    commit: str


@dataclass(frozen=True)
class ChartRow:
    """One check-in as the chart's table shows it."""

    date: str
    value: str
    progress: int
    confidence: int | None
    commit: str


@dataclass(frozen=True)
class KeyResultChart:
    svg: str
    summary: str
    rows: tuple[ChartRow, ...]


def key_result_chart(points: Sequence[ChartPoint], period: Period, *, as_of: date, label: str,
                     value_text: Callable[[float | bool | None], str],
                     level_of: Callable[[ChartPoint], float] | None = None,
                     pace: bool = True, due: date | None = None,
                     start_text: str | None = None, target_text: str | None = None) -> KeyResultChart:
    """The chart of one key result up to ``as_of``: its level (``level_of``, default the
    progress, 0 to 1) as a step line through the check-ins, the confidence as a dotted
    line, the expected pace (0% at the period's start to 100% at its end) unless ``pace``
    is False (milestones: their ``due`` date is marked instead), and today's date.
    ``start_text`` and ``target_text`` (a metric's values at 0% and 100%) label the right edge."""
    level_of = level_of or (lambda point: point.progress)
    shown = _last_per_day([p for p in points if p.date <= as_of])
    span = max((period.end - period.start).days, 1)
    right = RIGHT_WITH_VALUES if start_text or target_text else RIGHT
    plot_w, plot_h = WIDTH - LEFT - right, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + min(max((day - period.start).days, 0), span) / span * plot_w

    def y(level: float) -> float:
        return TOP + (1 - min(max(level, 0.0), 1.0)) * plot_h

    summary = _summary(shown, period, as_of=as_of, label=label, level_of=level_of, pace=pace)
    e = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="okrs-chart__svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{e(summary, quote=True)}" '
        f'font-size="10.5" fill="currentColor">',
        f"<title>{e(summary)}</title>",
    ]
    for level in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line class="okrs-chart__grid" x1="{LEFT}" y1="{y(level):.1f}" x2="{LEFT + plot_w}" '
                     f'y2="{y(level):.1f}" stroke="currentColor" stroke-opacity="0.15"/>')
        parts.append(f'<text class="okrs-chart__label" x="{LEFT - 5}" y="{y(level) + 4:.1f}" '
                     f'text-anchor="end">{percent(level)}%</text>')
    for level, text in ((0.0, start_text), (1.0, target_text)):
        if text:
            parts.append(f'<text class="okrs-chart__label okrs-chart__value" x="{LEFT + plot_w + 5}" '
                         f'y="{y(level) + 4:.1f}">{e(text)}</text>')
    for day in _date_ticks(period, x):
        anchor = "start" if day == period.start else "end" if day == period.end else "middle"
        parts.append(f'<line class="okrs-chart__tick" x1="{x(day):.1f}" y1="{TOP + plot_h}" x2="{x(day):.1f}" '
                     f'y2="{TOP + plot_h + 4}" stroke="currentColor" stroke-opacity="0.5"/>')
        parts.append(f'<text class="okrs-chart__label" x="{x(day):.1f}" y="{HEIGHT - 8}" '
                     f'text-anchor="{anchor}">{_short_date(day)}</text>')
    if pace:
        parts.append(f'<line class="okrs-chart__pace" x1="{x(period.start):.1f}" y1="{y(0):.1f}" '
                     f'x2="{x(period.end):.1f}" y2="{y(1):.1f}" stroke="currentColor" stroke-opacity="0.45" '
                     f'stroke-width="1.5" stroke-dasharray="5 4"/>')
    if due is not None and period.start <= due <= period.end:
        parts.append(f'<line class="okrs-chart__due" x1="{x(due):.1f}" y1="{TOP}" x2="{x(due):.1f}" '
                     f'y2="{TOP + plot_h}" stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="2 3"/>')
    if period.start <= as_of <= period.end:
        parts.append(f'<line class="okrs-chart__today" x1="{x(as_of):.1f}" y1="{TOP}" x2="{x(as_of):.1f}" '
                     f'y2="{TOP + plot_h}" stroke="currentColor" stroke-opacity="0.3"/>')
    confident = [p for p in shown if p.confidence is not None]
    if confident:
        line = " ".join(f"{x(p.date):.1f},{y(p.confidence):.1f}" for p in confident)
        parts.append(f'<polyline class="okrs-chart__confidence" points="{line}" fill="none" '
                     f'stroke="currentColor" stroke-opacity="0.7" stroke-width="1.5" stroke-dasharray="1 3" '
                     f'stroke-linecap="round"/>')
    if shown:
        path = [f"M{x(shown[0].date):.1f} {y(level_of(shown[0])):.1f}"]
        for point in shown[1:]:  # a step line: a value holds until the next check-in
            path.append(f"H{x(point.date):.1f}V{y(level_of(point)):.1f}")
        path.append(f"H{max(x(min(as_of, period.end)), x(shown[-1].date)):.1f}")
        parts.append(f'<path class="okrs-chart__progress" d="{"".join(path)}" fill="none" stroke="currentColor" '
                     f'stroke-width="2.5" stroke-linejoin="round"/>')
        for point in shown:
            parts.append(f'<circle class="okrs-chart__point" cx="{x(point.date):.1f}" cy="{y(level_of(point)):.1f}" '
                         f'r="3.5"><title>{e(_point_words(point, value_text))}</title></circle>')
        for point in confident:
            cx, cy = x(point.date), y(point.confidence)
            parts.append(f'<rect class="okrs-chart__confidence-point" x="{cx - 2.5:.1f}" y="{cy - 2.5:.1f}" '
                         f'width="5" height="5" fill="none" stroke="currentColor" stroke-width="1.2"/>')
    parts.append("</svg>")
    rows = tuple(ChartRow(date=p.date.isoformat(), value=value_text(p.value), progress=percent(p.progress),
                          confidence=None if p.confidence is None else percent(p.confidence),
                          commit=p.commit[:7]) for p in reversed(shown))
    return KeyResultChart(svg="".join(parts), summary=summary, rows=rows)


def _last_per_day(points: list[ChartPoint]) -> list[ChartPoint]:
    """One point per day, the day's last check-in, oldest first (the input is in commit order)."""
    by_day: dict[date, ChartPoint] = {}
    for point in points:
        by_day[point.date] = point
    return [by_day[day] for day in sorted(by_day)]


def _date_ticks(period: Period, x: Callable[[date], float]) -> list[date]:
    """The period's first and last day and the first of each month between, dropping any
    label that would crowd its neighbour."""
    ticks = [period.start]
    day = date(period.start.year, period.start.month, 1)
    while True:
        day = (day + timedelta(days=32)).replace(day=1)
        if day >= period.end:
            break
        if x(day) - x(ticks[-1]) >= MIN_TICK_GAP and x(period.end) - x(day) >= MIN_TICK_GAP:
            ticks.append(day)
    return ticks + [period.end]


def _short_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def _point_words(point: ChartPoint, value_text: Callable[[float | bool | None], str]) -> str:
    words = f"{point.date.isoformat()}: {value_text(point.value)}, {percent(point.progress)}% done"
    if point.confidence is not None:
        words += f", confidence {percent(point.confidence)}%"
    return words


def _summary(shown: list[ChartPoint], period: Period, *, as_of: date, label: str,
             level_of: Callable[[ChartPoint], float], pace: bool) -> str:
    expected = f"; expected by {min(as_of, period.end).isoformat()}: {percent(period.elapsed(as_of))}%" if pace else ""
    if not shown:
        return f"{label}: no check-ins yet{expected}"
    first, last = shown[0], shown[-1]
    if len(shown) == 1:
        return f"{label}: {percent(level_of(last))}% on {last.date.isoformat()}{expected}"
    return (f"{label}: from {percent(level_of(first))}% on {first.date.isoformat()} to {percent(level_of(last))}% "
            f"on {last.date.isoformat()} over {len(shown)} check-ins{expected}")
