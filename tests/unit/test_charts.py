"""The burn-up chart: an accessible, deterministic inline SVG with axes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from generator.model.core import Period
from generator.site.charts import BurnUpPoint, burn_up_svg, burn_up_words, date_ticks

Q4 = Period("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))
H2 = Period("2026-H2", date(2026, 7, 1), date(2026, 12, 31))
YEAR = Period("2026", date(2026, 1, 1), date(2026, 12, 31))
SVG = "{http://www.w3.org/2000/svg}"


def points() -> list[BurnUpPoint]:
    return [BurnUpPoint(date(2026, 10, 11), 0.05, "2026-W41"), BurnUpPoint(date(2026, 10, 18), 0.2, "2026-W42"),
            BurnUpPoint(date(2026, 10, 21), 0.3, "as of 2026-10-21")]


def test_the_chart_is_an_image_with_a_title_and_is_repeatable():
    title = burn_up_words(points(), Q4, as_of=date(2026, 10, 21))
    svg = burn_up_svg(points(), Q4, as_of=date(2026, 10, 21), title=title)
    assert svg == burn_up_svg(points(), Q4, as_of=date(2026, 10, 21), title=title)
    root = ET.fromstring(svg)  # well-formed XML
    assert root.get("role") == "img" and root.get("aria-label") == title
    assert root.find(f"{SVG}title").text == title
    assert title.startswith("Overall progress of 2026-Q4 by week: 30% on 2026-10-21, expected 23% at that date")


def test_points_sit_where_their_dates_and_values_say():
    svg = burn_up_svg(points(), Q4, as_of=date(2026, 10, 21), title="t")
    root = ET.fromstring(svg)
    circles = root.findall(f"{SVG}circle")
    assert [c.find(f"{SVG}title").text for c in circles] == ["2026-W41: 5%", "2026-W42: 20%", "as of 2026-10-21: 30%"]
    # The 0% and 100% grid lines give the vertical scale; the expected line runs corner to corner.
    grid = {label.text: float(label.get("y")) - 4 for label in root.findall(f"{SVG}text") if label.text.endswith("%")}
    expected = root.find(f"{SVG}line[@class='okrs-chart__expected']")
    left, right = float(expected.get("x1")), float(expected.get("x2"))
    assert float(expected.get("y1")) == grid["0%"] and float(expected.get("y2")) == grid["100%"]
    for circle, point in zip(circles, points()):
        x = left + (point.day - Q4.start).days / (Q4.end - Q4.start).days * (right - left)
        y = grid["0%"] + point.progress * (grid["100%"] - grid["0%"])
        assert abs(float(circle.get("cx")) - x) < 0.06 and abs(float(circle.get("cy")) - y) < 0.06


def test_date_ticks_are_month_starts_and_few_enough_for_a_phone():
    assert date_ticks(Q4) == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    assert date_ticks(H2) == [date(2026, m, 1) for m in range(7, 13)]
    assert date_ticks(YEAR) == [date(2026, m, 1) for m in (1, 3, 5, 7, 9, 11)]
    assert date_ticks(Period("x", date(2026, 10, 5), date(2026, 10, 20))) == [date(2026, 10, 5)]
    svg = burn_up_svg([], Q4, as_of=date(2026, 10, 21), title="t")
    assert re.findall(r">([A-Z][a-z]{2} \d+)</text>", svg) == ["Oct 1", "Nov 1", "Dec 1"]


def test_a_title_from_a_file_is_escaped():
    svg = burn_up_svg(points(), Q4, as_of=date(2026, 10, 21), title='<script>alert(1)</script> "x"')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)
