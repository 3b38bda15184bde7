"""The inline SVG sparkline of a key result's progress against the expected pace."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from generator.history.values import Point
from generator.model.core import parse_period
from generator.site.sparkline import render_sparkline

Q4 = parse_period("2026-Q4")
SVG = "{http://www.w3.org/2000/svg}"
POINTS = [
    Point(date(2026, 10, 5), 850, 0.0, None, "a"),
    Point(date(2026, 10, 14), 700, 0.2727, 0.6, "b"),
    Point(date(2026, 11, 8), 600, 0.5, 0.6, "c"),
]


def test_exact_svg() -> None:
    words = "Latency: from 0% on 2026-10-05 to 50% on 2026-11-08 over 3 updates; expected by 2026-11-20: 55%"
    assert render_sparkline(POINTS, Q4, as_of=date(2026, 11, 20), label="Latency") == (
        '<svg xmlns="http://www.w3.org/2000/svg" class="okrs-sparkline" width="160" height="32" '
        f'viewBox="0 0 160 32" role="img" aria-label="{words}"><title>{words}</title>'
        '<line class="okrs-sparkline-pace" x1="3.0" y1="29.0" x2="157.0" y2="3.0" stroke="currentColor" '
        'stroke-opacity="0.35" stroke-width="1" stroke-dasharray="3 3"/>'
        '<path class="okrs-sparkline-progress" d="M9.8 29.0H25.0V21.9H67.3V16.0H87.6" fill="none" '
        'stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>'
        '<circle class="okrs-sparkline-now" cx="87.6" cy="16.0" r="2" fill="currentColor"/></svg>'
    )


def test_it_is_deterministic_and_valid_xml() -> None:
    first = render_sparkline(POINTS, Q4, as_of=date(2026, 11, 20))
    assert render_sparkline(list(reversed(POINTS)), Q4, as_of=date(2026, 11, 20)) == first
    root = ET.fromstring(first)
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.find(SVG + "title").text == root.get("aria-label")


def test_label_is_escaped() -> None:
    svg = render_sparkline(POINTS, Q4, label='<script>alert(1)</script> "quoted" & more')
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert root.get("aria-label").startswith('<script>alert(1)</script> "quoted" & more: ')
    assert root.find(SVG + "title").text.startswith('<script>alert(1)</script> "quoted" & more: ')


def test_without_points_only_the_pace_line() -> None:
    root = ET.fromstring(render_sparkline([], Q4, as_of=date(2026, 11, 20)))
    assert [child.tag for child in root] == [SVG + "title", SVG + "line"]
    assert root.get("aria-label") == "Progress: no check-ins yet; expected by 2026-11-20: 55%"


def test_points_outside_the_period_are_clamped_and_a_day_keeps_its_last_point() -> None:
    points = [Point(date(2026, 9, 21), 0, 0.0, None, "a"), Point(date(2026, 10, 1), 0, 0.1, None, "b"),
              Point(date(2026, 10, 1), 0, 0.3, None, "c"), Point(date(2027, 2, 1), 0, 1.4, None, "d")]
    root = ET.fromstring(render_sparkline(points, Q4, as_of=date(2027, 2, 1)))
    path = root.find(SVG + "path").get("d")
    assert path == "M3.0 29.0H3.0V21.2H157.0V3.0H157.0"
    assert root.get("aria-label") == ("Progress: from 0% on 2026-09-21 to 140% on 2027-02-01 over 3 updates; "
                                      "expected by 2027-02-01: 100%")


def test_points_after_as_of_are_not_drawn() -> None:
    root = ET.fromstring(render_sparkline(POINTS, Q4, as_of=date(2026, 10, 20)))
    assert root.find(SVG + "path").get("d") == "M9.8 29.0H25.0V21.9H35.2"
    assert "to 27% on 2026-10-14 over 2 updates" in root.get("aria-label")


def test_size_is_configurable() -> None:
    root = ET.fromstring(render_sparkline(POINTS, Q4, width=300, height=60))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("300", "60", "0 0 300 60")
