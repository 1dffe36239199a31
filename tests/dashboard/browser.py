"""Headless Debian Chromium driven by Playwright, watching for every kind of page error."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, Response

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError("Debian's chromium is required: apt-get install -y chromium")
    return path


@dataclass
class WatchedPage:
    """A page that records console errors, page errors and failed dashboard requests."""

    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", lambda m: self.problems.append(
            f"console {m.type}: {m.text} at {m.location.get('url')}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("response", self._check_response)

    def _check_response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} {response.request.method} "
                                 f"{response.url}")

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base_url}/dashboard{path}")
        self.settle()

    def settle(self) -> None:
        """Dash has rendered and no callback is pending."""
        self.page.wait_for_selector("#page > *", timeout=10_000)
        self.page.wait_for_function(
            "() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=10_000)

    def login(self, email: str, password: str) -> None:
        self.page.goto(f"{self.base_url}/dashboard/")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("#login-submit")
        self.settle()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def open_page(browser: Browser, base_url: str, viewport: dict | None = None) -> WatchedPage:
    context = browser.new_context(viewport=viewport or LAPTOP)
    return WatchedPage(context.new_page(), base_url)
