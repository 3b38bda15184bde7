"""An objective's retrospective: the ``## Retrospective`` section of its narrative.

`okrs close` appends the section with a prompt under each question; the site's
Learnings page reads it back. Both use this module, so that a prompt left as written
is known as "not written yet".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING = "Retrospective"
QUESTIONS = (
    ("What went well", "_What worked, and what helped it work? Replace this line._"),
    ("What we learned", "_What surprised us? What does the score tell us? Replace this line._"),
    ("What we will do differently", "_One or two concrete changes for the next period. Replace this line._"),
)
PROMPTS = frozenset(prompt for _, prompt in QUESTIONS)

# An ATX heading of level 1 or 2 ("## Retrospective", "## Retrospective ##"), any case.
_RETRO_HEADING = re.compile(r"^ {0,3}##[ \t]+retrospective[ \t]*#*[ \t]*$", re.IGNORECASE)
_TOP_HEADING = re.compile(r"^ {0,3}#{1,2}([ \t]|$)")
_SUB_HEADING = re.compile(r"^ {0,3}###[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Answer:
    question: str  # the ### heading
    markdown: str  # what is written under it, stripped
    written: bool  # False while it is empty or still the prompt


def section_text(newline: str = "\n") -> str:
    """The section `okrs close` appends: the heading, each question and its prompt."""
    lines = [f"## {HEADING}", ""]
    for question, prompt in QUESTIONS:
        lines += [f"### {question}", "", prompt, ""]
    return newline.join(lines)


def _lines_outside_fences(lines: list[str]) -> list[bool]:
    """For each line, whether it lies outside a fenced code block (a heading there is text)."""
    outside, fence = [], None
    for line in lines:
        match = _FENCE.match(line)
        if fence is None:
            outside.append(match is None)
            if match:
                fence = match.group(1)[0] * len(match.group(1))
        else:
            outside.append(False)
            if line.strip().startswith(fence) and set(line.strip()) <= {fence[0]}:
                fence = None
    return outside


def split(body: str) -> tuple[str, str | None]:
    """(the narrative without its retrospective, the retrospective's Markdown below its
    heading or None). The section runs to the next level 1 or 2 heading."""
    lines = body.split("\n")
    outside = _lines_outside_fences(lines)
    start = next((i for i, line in enumerate(lines) if outside[i] and _RETRO_HEADING.match(line)), None)
    if start is None:
        return body, None
    end = next((i for i in range(start + 1, len(lines)) if outside[i] and _TOP_HEADING.match(lines[i])), len(lines))
    narrative = "\n".join(lines[:start] + lines[end:]).rstrip() + "\n"
    return narrative if narrative.strip() else "", "\n".join(lines[start + 1:end]).strip("\n")


def has_retrospective(body: str) -> bool:
    return split(body)[1] is not None


def answers(retrospective: str) -> list[Answer]:
    """The ### questions of a retrospective and what is written under each; text before
    the first question is an answer without one (question "")."""
    found: list[tuple[str, list[str]]] = [("", [])]
    lines = retrospective.split("\n")
    for line, outside in zip(lines, _lines_outside_fences(lines)):
        heading = _SUB_HEADING.match(line) if outside else None
        if heading:
            found.append((heading.group(1), []))
        else:
            found[-1][1].append(line)
    result = []
    for question, text in found:
        markdown = "\n".join(text).strip()
        if question or markdown:
            result.append(Answer(question, markdown, bool(markdown) and markdown not in PROMPTS))
    return result
