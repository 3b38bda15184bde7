"""A key result's progress over time as a small inline SVG, against the expected pace.

Pure and deterministic: points and a period in, an SVG string out. The chart needs no
script and no stylesheet (it draws in ``currentColor``), and says the same in words
(``<title>`` and ``aria-label``) for screen readers.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Callable, Protocol, Sequence

from generator.model.core import Period, percent


class ProgressPoint(Protocol):
    date: date
    progress: float


def render_sparkline(points: Sequence[ProgressPoint], period: Period, *, as_of: date | None = None,
                     label: str = "Progress", width: int = 160, height: int = 32,
                     level_of: Callable[[ProgressPoint], float] | None = None) -> str:
    """The progress of one key result over ``period``: a step line (the value holds until
    the next check-in) up to ``as_of`` (default: the last point), over a dashed line from
    0% at the period's start to 100% at its end (the expected pace). ``level_of`` says where
    a point sits, 0 to 1 (its key-result type's ``sparkline_level``; default its progress)."""
    level_of = level_of or _progress
    pad = 3.0
    days = max((period.end - period.start).days, 1)

    def x(day: date) -> float:
        offset = min(max((day - period.start).days, 0), days)
        return pad + offset / days * (width - 2 * pad)

    def y(progress: float) -> float:
        return pad + (1 - min(max(progress, 0.0), 1.0)) * (height - 2 * pad)

    by_day: dict[date, float] = {}
    for point in sorted(points, key=lambda p: p.date):
        by_day[point.date] = level_of(point)  # the day's last check-in counts
    steps = sorted(by_day.items())
    until = as_of or (steps[-1][0] if steps else period.start)
    text = _words(steps, period, until, label)
    e = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="okrs-sparkline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{e(text, quote=True)}">',
        f"<title>{e(text)}</title>",
        f'<line class="okrs-sparkline-pace" x1="{x(period.start):.1f}" y1="{y(0):.1f}" '
        f'x2="{x(period.end):.1f}" y2="{y(1):.1f}" stroke="currentColor" stroke-opacity="0.35" '
        f'stroke-width="1" stroke-dasharray="3 3"/>',
    ]
    if steps:
        shown = [(day, progress) for day, progress in steps if day <= until] or steps[:1]
        first_day, level = shown[0]
        path = [f"M{x(first_day):.1f} {y(level):.1f}"]
        for day, progress in shown[1:]:
            path.append(f"H{x(day):.1f}V{y(progress):.1f}")
            level = progress
        end_x = max(x(until), x(shown[-1][0]))
        path.append(f"H{end_x:.1f}")
        parts.append(f'<path class="okrs-sparkline-progress" d="{"".join(path)}" fill="none" '
                     f'stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>')
        parts.append(f'<circle class="okrs-sparkline-now" cx="{end_x:.1f}" cy="{y(level):.1f}" r="2" '
                     f'fill="currentColor"/>')
    parts.append("</svg>")
    return "".join(parts)


def _progress(point: ProgressPoint) -> float:
    return point.progress


def _words(steps: list[tuple[date, float]], period: Period, until: date, label: str) -> str:
    expected = f"expected by {until.isoformat()}: {percent(period.elapsed(until))}%"
    shown = [step for step in steps if step[0] <= until]
    if not shown:
        return f"{label}: no check-ins yet; {expected}"
    (first_day, first), (last_day, last) = shown[0], shown[-1]
    if len(shown) == 1:
        return f"{label}: {percent(last)}% on {last_day.isoformat()}; {expected}"
    return (f"{label}: from {percent(first)}% on {first_day.isoformat()} to {percent(last)}% on "
            f"{last_day.isoformat()} over {len(shown)} updates; {expected}")
