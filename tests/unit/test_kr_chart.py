"""The objective page's progress-over-time chart of a key result (generator/site/kr_chart.py).

Positions are computed here from the chart's published geometry (viewBox, margins), not
read back from the output.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from generator.history.values import Point
from generator.model.core import parse_period
from generator.site import kr_chart
from generator.site.kr_chart import key_result_chart

Q4 = parse_period("2026-Q4")  # 2026-10-01 to 2026-12-31: 91 days
SVG = "{http://www.w3.org/2000/svg}"
AS_OF = date(2026, 11, 20)
POINTS = [
    Point(date(2026, 10, 5), 850, 0.0, None, "a" * 40),
    Point(date(2026, 10, 14), 700, 0.2727, 0.6, "b" * 40),
    Point(date(2026, 10, 14), 690, 0.3, 0.6, "c" * 40),  # a second check-in the same day: the day's last counts
    Point(date(2026, 11, 8), 600, 0.5, 0.7, "d" * 40),
    Point(date(2026, 11, 30), 500, 0.8, 0.9, "e" * 40),  # after as_of: not shown
]


def ms(value: float | bool | None) -> str:
    return f"{value:g} ms"


def chart(points=POINTS, **options):
    options.setdefault("as_of", AS_OF)
    return key_result_chart(points, Q4, label="Latency", value_text=ms, **options)


def svg_of(made) -> ET.Element:
    return ET.fromstring(made.svg)


def plot_x(day: date, *, right: int = kr_chart.RIGHT) -> float:
    days = (Q4.end - Q4.start).days
    return kr_chart.LEFT + (day - Q4.start).days / days * (kr_chart.WIDTH - kr_chart.LEFT - right)


def plot_y(level: float) -> float:
    return kr_chart.TOP + (1 - level) * (kr_chart.HEIGHT - kr_chart.TOP - kr_chart.BOTTOM)


def test_it_scales_to_its_container_and_is_valid_xml() -> None:
    root = svg_of(chart())
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("viewBox") == f"0 0 {kr_chart.WIDTH} {kr_chart.HEIGHT}"
    assert root.get("height") is None  # the height follows the width
    assert root.find(SVG + "title").text == root.get("aria-label")


def test_one_point_per_check_in_day_up_to_as_of_where_the_dates_and_levels_say() -> None:
    root = svg_of(chart())
    circles = root.findall(f"{SVG}circle")
    shown = [POINTS[0], POINTS[2], POINTS[3]]  # one per day, the day's last; none after as_of
    assert len(circles) == len(shown)
    for circle, point in zip(circles, shown):
        assert abs(float(circle.get("cx")) - plot_x(point.date)) < 0.06
        assert abs(float(circle.get("cy")) - plot_y(point.progress)) < 0.06
        assert point.date.isoformat() in circle.find(SVG + "title").text


def test_the_pace_runs_from_0_at_the_start_to_100_at_the_end() -> None:
    pace = svg_of(chart()).find(f"{SVG}line[@class='okrs-chart__pace']")
    assert (float(pace.get("x1")), float(pace.get("y1"))) == (round(plot_x(Q4.start), 1), round(plot_y(0), 1))
    assert (float(pace.get("x2")), float(pace.get("y2"))) == (round(plot_x(Q4.end), 1), round(plot_y(1), 1))


def test_axes_have_dates_and_percentages() -> None:
    labels = [t.text for t in svg_of(chart()).iter(SVG + "text")]
    assert labels[:5] == ["0%", "25%", "50%", "75%", "100%"]
    assert labels[5:] == ["1 Oct", "1 Nov", "1 Dec", "31 Dec"]  # the period's ends and the months between


def test_confidence_is_a_second_line_through_the_points_that_have_one() -> None:
    line = svg_of(chart()).find(f"{SVG}polyline[@class='okrs-chart__confidence']")
    pairs = [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]
    expected = [(round(plot_x(p.date), 1), round(plot_y(p.confidence), 1)) for p in (POINTS[2], POINTS[3])]
    assert pairs == expected


def test_today_is_marked_inside_the_period_and_not_after_it() -> None:
    today = svg_of(chart()).find(f"{SVG}line[@class='okrs-chart__today']")
    assert float(today.get("x1")) == round(plot_x(AS_OF), 1)
    closed = svg_of(chart(as_of=date(2027, 1, 10)))
    assert closed.find(f"{SVG}line[@class='okrs-chart__today']") is None
    assert len(closed.findall(f"{SVG}circle")) == 4  # every check-in of the period


def test_start_and_target_values_label_the_right_edge() -> None:
    root = svg_of(chart(start_text="850 ms", target_text="300 ms"))
    values = {t.text: float(t.get("y")) for t in root.iter(SVG + "text") if "okrs-chart__value" in t.get("class")}
    assert values == {"850 ms": round(plot_y(0) + 4, 1), "300 ms": round(plot_y(1) + 4, 1)}
    circle = root.find(f"{SVG}circle")  # the plot is narrower to make room
    assert abs(float(circle.get("cx")) - plot_x(POINTS[0].date, right=kr_chart.RIGHT_WITH_VALUES)) < 0.06


def test_words_and_rows_for_screen_readers() -> None:
    made = chart()
    expected_pace = round(Q4.elapsed(AS_OF) * 100)
    assert made.summary == (f"Latency: from 0% on 2026-10-05 to 50% on 2026-11-08 over 3 check-ins; "
                            f"expected by 2026-11-20: {expected_pace}%")
    assert [(r.date, r.value, r.progress, r.confidence, r.commit) for r in made.rows] == [
        ("2026-11-08", "600 ms", 50, 70, "ddddddd"),
        ("2026-10-14", "690 ms", 30, 60, "ccccccc"),
        ("2026-10-05", "850 ms", 0, None, "aaaaaaa"),
    ]  # newest first


def test_a_milestone_has_no_pace_but_its_due_date() -> None:
    points = [Point(date(2026, 10, 1), False, 0.0, 0.5, "a" * 40), Point(date(2026, 11, 2), True, 1.0, 0.9, "b" * 40)]
    made = key_result_chart(points, Q4, as_of=AS_OF, label="Ship", pace=False, due=date(2026, 11, 15),
                            value_text=lambda v: "done" if v else "not done")
    root = svg_of(made)
    assert root.find(f"{SVG}line[@class='okrs-chart__pace']") is None
    due = root.find(f"{SVG}line[@class='okrs-chart__due']")
    assert float(due.get("x1")) == round(plot_x(date(2026, 11, 15)), 1)
    assert "expected" not in made.summary
    assert [r.value for r in made.rows] == ["done", "not done"]


def test_no_check_ins_yet() -> None:
    made = chart(points=[])
    assert made.rows == () and made.summary.startswith("Latency: no check-ins yet")
    assert svg_of(made).find(f"{SVG}circle") is None


def test_titles_are_escaped_and_output_is_repeatable() -> None:
    made = key_result_chart(POINTS, Q4, as_of=AS_OF, label='<script>"x"</script>', value_text=ms)
    assert "<script>" not in made.svg and re.search(r'aria-label="&lt;script&gt;&quot;x&quot;', made.svg)
    assert chart().svg == chart().svg
