"""The built sites in a real browser: headless Chromium (Debian's), driven by Playwright.

Both sites are served over http://127.0.0.1 on a random port. Locally these tests skip
when Chromium is missing; with CI set they fail instead (see conftest.py).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from e2e.conftest import HOSTILE_KR_TITLE, HOSTILE_NAME, HOSTILE_NOTE, HOSTILE_TITLE, BuiltSite

CHECKOUT_PAGE = "objectives/2026-Q4/payments/checkout/"
PHONE = {"width": 390, "height": 844}
A11Y_PAGES = {"dashboard": "", "objective": CHECKOUT_PAGE, "person": "people/noah/", "alignment": "alignment/",
              "learnings": "learnings/"}


class Visit:
    """A browser context that records what a page does: requests, failures, console, dialogs."""

    def __init__(self, browser, base_url: str, **options) -> None:
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, **options)
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("requestfailed", lambda request: self.failed.append(request.url))
        self.context.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, path: str):
        response = self.page.goto(path, wait_until="networkidle")
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return self.page

    def foreign_requests(self) -> list[str]:
        own = urlsplit(self.base_url).netloc
        return [u for u in self.requests if urlsplit(u).scheme not in ("data", "blob")
                and urlsplit(u).netloc != own]

    def assert_clean(self) -> None:
        assert self.requests, "no request was recorded"
        assert not self.foreign_requests(), f"requests to other hosts: {self.foreign_requests()}"
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.dialogs, f"a dialog opened: {self.dialogs}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def example(browser, serve, example_site: BuiltSite):
    visit = Visit(browser, serve(example_site.site))
    yield visit
    visit.close()


@pytest.fixture
def hostile(browser, serve, hostile_site: BuiltSite):
    visit = Visit(browser, serve(hostile_site.site))
    yield visit
    visit.close()


def test_dashboard_loads_from_the_site_only(example, screenshots) -> None:
    page = example.open("/")
    assert page.locator("h1").inner_text() == "OKR dashboard"
    assert page.locator('[role="progressbar"][aria-label^="Overall progress"]').count() == 1
    assert any(u.endswith("/assets/okrs.css") for u in example.requests), "our stylesheet was not loaded"
    example.assert_clean()
    shot = screenshots(page, "dashboard")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_hostile_values_show_as_text_and_run_nothing(hostile, screenshots) -> None:
    page = hostile.open("objectives/2026-Q4/payments/hostile/")
    assert HOSTILE_TITLE in page.locator("h1").inner_text()
    assert page.title().startswith(HOSTILE_TITLE)
    row = page.locator("#kr-xss")
    assert HOSTILE_KR_TITLE in row.inner_text() and HOSTILE_NOTE in row.inner_text()
    assert HOSTILE_NAME in page.locator(".okrs-facts").inner_text()
    assert page.locator(".okrs-narrative").inner_text().count("<script>alert(3)</script>") == 2
    assert page.locator("article img, article b").count() == 0
    injected = page.evaluate("""() => [...document.querySelectorAll('script')]
        .filter(s => (s.textContent || '').includes('alert(')).length""")
    assert injected == 0
    assert page.locator('.okrs-narrative a[href^="javascript"]').count() == 0
    screenshots(page, "hostile-objective")
    page.locator(".okrs-narrative a").first.click()  # a link whose javascript: target was dropped

    for path in ("", "people/alice/", "alignment/", "periods/2026-Q4/"):
        hostile.open(path)
        assert HOSTILE_TITLE in page.locator("article").inner_text(), path
    # Search results are rendered from the index as HTML: still text there.
    _search(page, "narrative")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=5_000)
    assert HOSTILE_TITLE in page.locator(".md-search-result").inner_text()
    page.wait_for_timeout(300)  # time for an injected handler to fire, if there were one
    hostile.assert_clean()


def _search(page, query: str) -> None:
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(query, delay=20)


def test_search_finds_an_objective(example, example_site: BuiltSite) -> None:
    source = (example_site.root / "okrs" / "2026-Q3" / "payments" / "chargebacks.md").read_text(encoding="utf-8")
    title = yaml.safe_load(source.split("---\n")[1])["objective"]  # "Bring chargebacks under control"
    page = example.open("/")
    _search(page, title.split()[1])
    hit = page.locator('.md-search-result__item a[href*="objectives/2026-Q3/payments/chargebacks/"]')
    hit.first.wait_for(timeout=5_000)
    assert title in hit.first.inner_text()
    hit.first.click()
    page.wait_for_url("**/objectives/2026-Q3/payments/chargebacks/**")
    assert page.locator("h1").inner_text() == title
    example.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(A11Y_PAGES))
def test_no_serious_accessibility_violation(browser, serve, example_site: BuiltSite, screenshots,
                                            name: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    visit = Visit(browser, serve(example_site.site), color_scheme=scheme)
    try:
        page = visit.open(A11Y_PAGES[name])
        violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        report = "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n    "
                           + "\n    ".join(f"{n['target']}: {n['failureSummary']}" for n in v["nodes"][:5])
                           for v in violations)
        assert not violations, f"{name} ({scheme}): axe found\n{report}"
        if scheme == "light":
            screenshots(page, name)
        visit.assert_clean()
    finally:
        visit.close()


@pytest.mark.parametrize("name", ["objective", "dashboard", "person", "alignment", "learnings"])
def test_phone_width_has_no_horizontal_overflow(browser, serve, example_site: BuiltSite, screenshots,
                                                name: str) -> None:
    visit = Visit(browser, serve(example_site.site), viewport=PHONE, device_scale_factor=2,
                  is_mobile=True, has_touch=True)
    try:
        page = visit.open(A11Y_PAGES[name])
        shot: Path = screenshots(page, f"phone-{name}")  # first: it shows what a failure is about
        assert shot.stat().st_size > 20_000
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"{name}: the page is {width}px wide on a {PHONE['width']}px phone"
        if name == "objective":
            table = page.locator("table.okrs-krs")
            assert table.is_visible()
            box = table.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, box
            rows = page.locator("table.okrs-krs tbody tr")
            assert rows.count() == 3
            labels = page.evaluate("""() => [...document.querySelectorAll('table.okrs-krs tbody td')]
                .map(td => getComputedStyle(td, '::before').content)""")
            assert labels == ['"Owner"', '"Progress"', '"Status"'] * 3  # labelled fields, not columns
        visit.assert_clean()
    finally:
        visit.close()
