"""Numbers with their units, as people write them: $4.2M, €300k, 12%, 300 ms.

A currency symbol goes before the number (what follows it in the unit, a scale like
k or M, right after the number); %, ‰ and pp follow the number without a space; any
other unit follows after a space.
"""

from __future__ import annotations

import unicodedata

# Units written right after the number, with no space: 12%, not 12 %.
UNSPACED_UNITS = ("%", "‰", "pp", "x", "×")


def currency_symbol(unit: str | None) -> str | None:
    """The currency symbol a unit starts with ("$" of "$M"), or None."""
    if unit and unicodedata.category(unit[0]) == "Sc":
        return unit[0]
    return None


def with_unit(number: str, unit: str | None) -> str:
    """``number`` (already formatted, "4,200" or "-3") with ``unit`` placed as people
    write it; "–" (no value) stays bare."""
    if not unit or number == "–":
        return number
    symbol = currency_symbol(unit)
    if symbol is not None:
        sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
        return f"{sign}{symbol}{digits}{unit[len(symbol):]}"
    if unit in UNSPACED_UNITS:
        return number + unit
    return f"{number} {unit}"


def unit_on_every_number(unit: str | None) -> bool:
    """Whether a row of numbers ("start → current → target") repeats the unit on each:
    yes for $ and %, where "$2M → $3M" reads right and "2 → 3 $M" does not; a spaced
    unit is said once, after the last ("850 → 300 ms")."""
    return bool(unit) and (currency_symbol(unit) is not None or unit in UNSPACED_UNITS)
