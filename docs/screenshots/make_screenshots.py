"""Make the README's screenshots against a running demo (Playwright driving Debian's chromium).

    cd /work/main
    HELIX_ENV=development .venv/bin/helix manage migrate
    HELIX_ENV=development .venv/bin/helix demo load
    HELIX_ENV=development .venv/bin/helix serve --port 8793 --workers 1 --no-worker &
    .venv/bin/python docs/screenshots/make_screenshots.py --base-url http://127.0.0.1:8793

The demo has no event: the script creates one as `staff` through the "New event" page (open for
registration, on a day a month ahead) and registers `member` to it, unless an event is there already.
Each image is the visible part of the page (not the whole scroll), reduced to 256 colours, so that it
stays well under 250 kB. ``--language nl`` (or fr, de) writes the same pages in that language to
``--out`` instead, for looking at them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PIL import Image
from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
PASSWORD = "helix-demo"  # noqa: S105 (the public demo password, helix.registry.demo.seeds)
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
EVENT_TITLE = "Flux50 energy brokerage"


def save(page: Page, path: Path) -> None:
    """The visible part of the page as a PNG of at most 256 colours."""
    image = Image.open(io.BytesIO(page.screenshot(type="png"))).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"{path.name}: {path.stat().st_size // 1024} kB")


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/?next=/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/")


def set_language(page: Page, language: str) -> None:
    page.goto("/")
    with page.expect_navigation():  # the menu sends the choice as soon as it changes
        page.select_option("select[name=language]", language)


def ensure_event(page: Page) -> str:
    """The address of the demo's event, created as staff (open for registration) if there is none."""
    page.goto("/events/")
    existing = page.locator("#event-list a", has_text=EVENT_TITLE)
    if existing.count():
        return str(existing.first.get_attribute("href"))
    page.goto("/events/new/")
    page.select_option("select[name=cluster]", label="Flux50")
    page.fill("input[name=title]", EVENT_TITLE)
    page.fill("input[name=venue]", "EnergyVille, Genk")
    page.fill(
        "textarea[name=description]",
        "Companies, cities and research centres of Flux50 meet one to one, twenty minutes a meeting.",
    )
    page.fill("input[name=day]", (dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.fill("input[name=first_slot]", "09:00")
    open_now = page.locator("input[name=open_now]")
    if open_now.count() and not open_now.is_checked():
        open_now.check()
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/events/*/")
    return urlsplit(page.url).path


def register(page: Page, event_url: str) -> None:
    page.goto(event_url)
    button = page.locator("button[name=register]")
    if button.count():
        button.first.click()
        page.wait_for_load_state("load")


def main(argv: Any = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8793")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--language", default="", help="write the pages in this language (nl, fr, de)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )

        def context(viewport: dict[str, int], username: str = "") -> Page:
            page = browser.new_context(base_url=args.base_url, viewport=viewport).new_page()
            page.set_default_timeout(30_000)
            if args.language:
                set_language(page, args.language)
            if username:
                log_in(page, username)
            return page

        staff = context(LAPTOP, "staff")
        event_url = ensure_event(staff)
        member = context(LAPTOP, "member")
        register(member, event_url)

        shots = [
            (context(LAPTOP), "/", "home-1366.png"),
            (context(PHONE), "/", "home-390.png"),
            (member, "/", "member-1366.png"),
            (context(PHONE, "staff"), "/", "staff-390.png"),
            (member, "/organisations/enervalis/matches/", "matches-1366.png"),
            (context(PHONE, "member"), event_url, "event-390.png"),
        ]
        for page, url, name in shots:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            save(page, args.out / name)
        browser.close()


if __name__ == "__main__":
    main()
