"""Open a page from disk in Debian's headless Chromium, driven by Playwright, network blocked.

Used by the explorer's browser test, and runnable to take the README's screenshot::

    python tests/browser.py build/report/explorer.html figures/explorer.png

Every request that is not for a ``file:`` URL is aborted and recorded; console errors and
uncaught page errors are recorded too, so a test can assert there were none.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_missing() -> str | None:
    """Why the browser test cannot run here, or ``None`` when it can."""
    if not CHROMIUM.exists():
        return (
            f"{CHROMIUM} not found: `make test` installs Debian's chromium package when run as "
            "root with apt-get; install it with `apt-get install chromium` to run this test"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[dev]'"
    return None


@dataclass
class Log:
    """What a page did that a test must check: console errors, page errors, requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@contextmanager
def open_page(path: Path, *, width: int = 1280, height: int = 900) -> Iterator[tuple[Any, Log]]:
    """Yield a Playwright page showing ``path`` (ready) and the log of what it did."""
    from playwright.sync_api import sync_playwright

    log = Log()

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort()

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on(
                "console",
                lambda m: log.console_errors.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: log.page_errors.append(str(e)))
            page.on("request", lambda r: log.requests.append(r.url))
            page.route("**/*", route)
            page.goto(path.resolve().as_uri())
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            yield page, log
        finally:
            browser.close()


def screenshot(html: Path, png: Path) -> None:
    """Save a screenshot of a whole explorer page, its first change chosen (for the README)."""
    with open_page(html, width=1200, height=900) as (page, log):
        changes = page.locator("#changes tbody tr")
        if changes.count() and page.locator("#changes tbody td").count() > 1:
            changes.first.click()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(png), full_page=True)
    if log.console_errors or log.page_errors or log.blocked:
        raise SystemExit(f"the page was not clean: {log}")


if __name__ == "__main__":
    problem = browser_missing()
    if problem:
        raise SystemExit(problem)
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.parent.mkdir(parents=True, exist_ok=True)
    screenshot(source, target)
    from topics.manifest import write_manifest

    written = write_manifest(
        target,
        "screenshot",
        config={
            "page": source.name,
            "browser": "Debian chromium, headless, 1200 px wide, whole page",
        },
        extra={"files": [target.name], "made_by": "python tests/browser.py PAGE PNG"},
    )
    print(f"wrote {target} and {written}")
