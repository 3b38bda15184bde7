"""The page `okrs serve` shows instead of the site while an OKR file has errors."""

from __future__ import annotations

from generator.reading.findings import Finding
from generator.reading.report import one_line, summary_line
from generator.site.render import SitePage, environment

TITLE = "OKR files have errors"


def findings_page(findings: list[Finding], *, files_read: int) -> SitePage:
    """Every finding, located as `okrs check` prints it, on the site's front page."""
    findings = sorted(findings)
    rows = [{"path": one_line(f.path), "line": f.line, "column": f.column, "severity": f.severity,
             "code": f.code, "message": one_line(f.message)} for f in findings]
    body = environment().get_template("findings.html").render(
        title=TITLE, summary=summary_line(findings, files_read), findings=rows,
        files=len({f.path for f in findings}))
    return SitePage.of("index.md", TITLE, body)
