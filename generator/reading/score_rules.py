"""score-mismatch: a closed objective's `score:` is its commitment.

`okrs close` writes the score the key results give at the period's end. When values
change afterwards so that they give another score, the record and the file disagree:
reported at the `score:` line, unless `score_reason:` says why the score stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.model.core import Objective
from generator.model.grades import computed_score, score_text
from generator.reading.findings import ERROR, Finding

if TYPE_CHECKING:
    from generator.reading.sources import ObjectiveSource

RULES = {
    "score-mismatch": "an objective's score: differs from the score its key results give now, "
                      "and no score_reason: says why",
}


def score_findings(source: ObjectiveSource, objective: Objective) -> list[Finding]:
    """The objective's score-mismatch finding, if any (``objective`` is the file's model)."""
    if objective.score is None or objective.score_reason:
        return []
    computed = computed_score(objective)
    if computed is not None and score_text(computed) == score_text(objective.score):
        return []
    line, column = source.document.value_at(("score",))
    if computed is None:
        message = (f"score {score_text(objective.score)} on a {objective.declared_status} objective: "
                   f"{objective.declared_status} objectives are excluded from scores; remove score:, "
                   "or add score_reason: saying why it counts")
    else:
        message = (f"score {score_text(objective.score)} was recorded when the period was closed, but the "
                   f"key results now give {score_text(computed)}: a value changed afterwards. Put the values "
                   f"back as they were at the period's end, or keep them and add score_reason: saying why "
                   f"the score stands (or set score: {score_text(computed)})")
    return [Finding(source.path, line, column, ERROR, "score-mismatch", message)]
