"""Numbers with units as people write them (model/units.py), and a metric's values row."""

from __future__ import annotations

import pytest

from generator.model.core import KeyResult
from generator.model.units import with_unit
from generator.site import views


@pytest.mark.parametrize("number, unit, shown", [
    ("4.2", "$M", "$4.2M"), ("300", "€k", "€300k"), ("12", "€", "€12"), ("-3", "$M", "-$3M"),
    ("16", "%", "16%"), ("300", "ms", "300 ms"), ("5", "pp", "5pp"), ("7", None, "7"), ("–", "$M", "–"),
])
def test_with_unit(number, unit, shown):
    assert with_unit(number, unit) == shown


def texts(kr: KeyResult) -> str:
    view = kr.kind.values_view(kr, number=views.number)
    return view.separator.join(part.text for part in view.parts)


def test_currency_and_percent_go_on_every_number_other_units_once():
    assert texts(KeyResult("r", "R", "bob", start=2, target=3, current=2.4, unit="$M")) == "$2M → $2.4M → $3M"
    assert texts(KeyResult("r", "R", "bob", start=4200, target=5400, current=4880, unit="$k")) == \
        "$4,200k → $4,880k → $5,400k"
    assert texts(KeyResult("r", "R", "bob", start=12, target=30, current=16, unit="%")) == "12% → 16% → 30%"
    assert texts(KeyResult("r", "R", "bob", start=850, target=300, current=540, unit="ms")) == "850 → 540 → 300 ms"


def test_stretch_baseline_and_maintain_rows():
    assert texts(KeyResult("r", "R", "bob", start=40, target=45, stretch=50, current=44, unit="%")) == \
        "40% → 44% → 45% → stretch 50%"
    assert texts(KeyResult("r", "R", "bob", target=30, current=16, unit="%")) == "baseline pending → 16% → 30%"
    assert texts(KeyResult("k", "K", "bob", type="maintain", at_least=40, at_most=50, current=45, unit="$k")) == \
        "$45k, to stay between $40k and $50k"
