"""Browser fixtures: the system Chromium driven by Playwright against pytest-django's live server.

Playwright never downloads a browser here: `make install` installs Debian's Chromium at /usr/bin/chromium and
the tests launch that executable. axe-core comes from npm (node_modules), installed by `make install` too.

The live server needs committed data, so these tests run on a transactional database (``live_server`` makes
pytest-django's ``db`` transactional): the ``reports`` fixture loads the five reports inside each test.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import PASSWORD, ROOT

# Playwright's sync API keeps an asyncio event loop running in the test's thread while it is started. Django then
# refuses ORM calls from that thread (SynchronousOnlyOperation), although they are ordinary blocking calls made
# between browser steps, never from a coroutine. Fixtures and asserts read the database, so allow them.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOTS = ROOT / "docs" / "screenshots"
expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per module; each test gets its own context (cookies, downloads) from it.

    Closed (and Playwright's event loop with it) when the module ends, before the tests of other folders run.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make install` (it installs Debian's chromium package)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, accept_downloads=True)
    # Generous: the admin's change page of a whole report is heavy, and CI machines are slow and busy.
    context.set_default_timeout(30_000)
    page = context.new_page()
    # Every page works under the content security policy: the browser reports anything it blocked.
    blocked = []
    page.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text))
    yield page
    context.close()
    assert blocked == [], "the content security policy blocked:\n" + "\n".join(blocked)


def log_in(page: Page, username: str) -> None:
    """Log in through the real admin login form, as a person would."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools strong")).to_have_text(username)


def assert_no_axe_violations(page: Page) -> None:
    """Run axe-core's WCAG 2.2 AA rules on the page as it is now; fail listing every violation.

    Only for our own pages: Django's admin is Django's markup, not ours to fix, so it is not checked.
    """
    # Evaluated through the DevTools protocol, not added as a <script>: the content security policy allows no
    # inline script, and the pages must be checked with the policy in force.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))"
        ".violations",
        AXE_TAGS,
    )
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} on {len(v['nodes'])} element(s), e.g. "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in violations
    ]
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n" + "\n".join(lines)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot for the README (docs/screenshots/<name>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    return path
