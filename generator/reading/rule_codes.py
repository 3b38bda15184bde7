"""Every rule code `okrs check` can report, and what it means, in one table."""

from __future__ import annotations

from generator.reading.score_rules import RULES as SCORE_RULES
from generator.reading.type_rules import TYPE_RULES

# Every rule code okrs check can report, and what it means: shown on the site's
# "How to edit OKRs" page.
RULES = {
    "front-matter": "the --- block is missing, not closed, not a mapping, has a YAML syntax error, an anchor, alias or tag",
    "encoding": "the file is not UTF-8",
    "file-too-large": "the file is over 1 MiB and was not read",
    "duplicate-key": "a field appears twice in one mapping (YAML would silently keep the last)",
    "schema": "a field is unknown, of the wrong type, or out of range (YAML 1.1 traps like owner: no included)",
    "owner-missing": "an objective or key result has no owner",
    "owner-unknown": "an owner is not a person in people.yaml",
    "owner-left": "a key result of a period still running is owned by someone who has left "
                  "(left: in people.yaml): hand it over",
    "owner-not-person": "a team is given as owner while ownership is individual",
    "team-unknown": "the team is not in people.yaml",
    "contributor-unknown": "a contributor (or team member) is not a person in people.yaml",
    "duplicate-id": "two key results of one objective share an id, a person and a team share one, "
                    "or two objective files would be one page of the site (x.md and x/index.md)",
    "reserved-id": ("a person, team or objective id is the name of a page the site makes itself (index, or a "
                    "number: a later page of a paged list)"),
    "parent-unknown": "the parent is not an objective id",
    "parent-cycle": "parents loop back to the objective",
    "target-equals-start": "a metric's target equals its start",
    "period-invalid": "the period is not YYYY-Qn, YYYY-Hn, YYYY or a configured period",
    "path-invalid": "a folder or file name cannot be part of an objective id",
    "path-mismatch": "the objective's period or team differs from its folder okrs/<period>/<team>/: "
                     "move the file, or correct the field",
    "people-missing": "okrs/people.yaml does not exist",
    "not-a-file": "a symbolic link, named pipe or device where an objective file, folder or people.yaml is expected",
    "unreadable": "a file or folder could not be read (removed while reading, replaced by a folder, no permission)",
    "ignored-file": "a file ends in .MD, .markdown or the like and is not read: objective files end in .md (a warning)",
    "too-many-krs": "more key results than max_key_results (a warning); more than 50 or 10 times that, an error",
    "number-invalid": "a number is not finite (.nan, .inf) or more than 1e15 in size",
    "too-many-problems": "a file has more than 100 problems: the rest are counted, not listed",
    "narrative-too-complex": "the narrative is too long, has too many '[' or nests too deep to render; "
                             "the site shows it as plain text (a warning)",
    **SCORE_RULES,
    **TYPE_RULES,
}
