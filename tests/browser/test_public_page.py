"""The public results page in a real browser: Debian's headless Chromium, driven by Playwright,
loads the page the bot serves from a seeded history. The chart renders, the text a person
sees (and the text read back from screenshots by Tesseract) holds nothing personal, the page
is built for screen readers and keyboards, its text has enough contrast, it fits a phone, and
it asks nothing of any other site. CI installs Chromium and Tesseract (.ci/run); elsewhere
these tests skip when they are missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from handlers.appeals.topics import TopicCatalog
from tests.helpers.public_history import PERSONAL
from tests.helpers.public_site import Site, serving

# What the history holds, as OCR would read it back (lower case; stems, so an ending misread
# does not hide a match).
READ_BACK = ("кузнецов", "смирнов", "иванов", "пётр", "345-67", "912", "olga", "лесн", "55.75")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TESSERACT = shutil.which("tesseract")
# Without the background-networking flags Chromium keeps reaching for Google's hosts.
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(what: str) -> NoReturn:
    """CI must run these (it installs both): there a missing browser is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed; .ci/run installs it")
    pytest.skip(f"{what} is not installed")


playwright_api = pytest.importorskip("playwright.async_api")


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    if CHROMIUM is None:
        _missing("Chromium")
    async with playwright_api.async_playwright() as driver:
        launched = await driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        await launched.close()


@pytest.fixture
async def site(sqlite_url: str, topics: TopicCatalog, renderer: Renderer) -> AsyncIterator[Site]:
    from storage import migrate
    from storage.database import create_engine

    engine: AsyncEngine = create_engine(sqlite_url)
    await migrate.upgrade(engine)
    try:
        async with serving(engine, topics, renderer) as served:
            yield served
    finally:
        await engine.dispose()


async def _open(browser: Any, site: Site, path: str = "/", **context: Any) -> tuple[Any, list[str]]:
    """A new page at ``path``; the addresses it asked for and the errors it logged."""
    page = await (await browser.new_context(**context)).new_page()
    asked: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = await page.goto(site.url + path)
    assert response is not None and response.status == 200
    assert all(url.startswith(site.url) for url in asked), asked  # nothing from elsewhere
    assert errors == []
    return page, asked


def _ocr(png: Path) -> str:
    if TESSERACT is None:
        _missing("Tesseract")
    read = subprocess.run(
        [TESSERACT, str(png), "-", "-l", "rus+eng"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return read.stdout.decode("utf-8")


async def test_the_chart_renders_and_nothing_personal_is_seen(
    browser: Any, site: Site, tmp_path: Path
) -> None:
    page, _ = await _open(browser, site, viewport={"width": 1280, "height": 900})
    bars = page.locator("svg[role=img] rect")
    assert await bars.count() == 13
    heights = [(await bars.nth(i).bounding_box())["height"] for i in range(13)]
    assert max(heights) > 100  # March's eight appeals, drawn
    assert sum(1 for h in heights if h > 0) == 1  # only March had appeals
    seen = await page.inner_text("body")
    assert "ЖКХ" in seen and "Обращения по месяцам" in seen
    for personal in PERSONAL:
        assert personal not in seen, personal
    # What the screenshots show, read back as text.
    shot = tmp_path / "page.png"
    await page.screenshot(path=str(shot), full_page=True)
    read = _ocr(shot).lower()
    assert "обращения по месяцам" in read and "жкх" in read  # the reading works
    for personal in READ_BACK:
        assert personal not in read, personal
    # The table behind the chart opens from the keyboard too.
    await page.locator("summary").first.focus()
    await page.keyboard.press("Enter")
    assert await page.locator("details").first.get_attribute("open") is not None
    assert await page.locator("details table tbody tr").count() == 13


async def test_the_page_is_built_for_screen_readers(browser: Any, site: Site) -> None:
    for path, lang, heading in (
        ("/", "ru", "Обращения граждан: результаты"),
        ("/?lang=en", "en", "Citizens' appeals: results"),
    ):
        page, _ = await _open(browser, site, path)
        assert await page.get_attribute("html", "lang") == lang
        title = page.get_by_role("heading", level=1)
        assert await title.count() == 1 and await title.text_content() == heading
        tree = await page.locator("body").aria_snapshot()
        assert "- main:" in tree and "- navigation " in tree and "- banner:" in tree
        assert "- table " in tree and "- rowheader " in tree and "- columnheader " in tree
        # The chart is an image with its name and description; its bars are not read out.
        chart = page.get_by_role("img")
        assert await chart.count() == 1
        name = await chart.get_attribute("aria-labelledby")
        assert name == "months-t months-d"
        assert await page.locator("#months-t").text_content()
        assert len(await page.locator("#months-d").text_content() or "") > 40
        structure = await page.evaluate(
            """() => {
              const levels = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
                .map(h => Number(h.tagName[1]));
              const skipped = levels.some((l, i) => i > 0 && l > levels[i - 1] + 1);
              const tables = [...document.querySelectorAll('table')];
              return {
                h1: levels.filter(l => l === 1).length,
                skipped,
                first: levels[0],
                uncaptioned: tables.filter(t => !t.querySelector('caption')).length,
                headless: tables.filter(t => !t.querySelector('th')).length,
                unscoped: [...document.querySelectorAll('th')].filter(
                  th => !['row', 'col'].includes(th.getAttribute('scope'))).length,
                nameless: [...document.querySelectorAll('a')].filter(
                  a => !a.textContent.trim()).length,
                ids: [...document.querySelectorAll('[id]')].length
                  - new Set([...document.querySelectorAll('[id]')].map(e => e.id)).size,
              };
            }"""
        )
        assert structure == {
            "h1": 1,
            "skipped": False,
            "first": 1,
            "uncaptioned": 0,
            "headless": 0,
            "unscoped": 0,
            "nameless": 0,
            "ids": 0,
        }


async def test_the_page_works_from_the_keyboard(browser: Any, site: Site) -> None:
    page, _ = await _open(browser, site)
    await page.keyboard.press("Tab")
    first = await page.evaluate("document.activeElement.className")
    assert first == "skip"
    box = await page.locator(".skip").bounding_box()
    assert box is not None and box["x"] >= 0  # shown when focused
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "content"
    # Every link and the table's toggle is reached by Tab, each with a visible outline.
    focusable = await page.locator("a[href], summary").count()
    reached = set()
    for _ in range(focusable + 5):
        await page.keyboard.press("Tab")
        outline = await page.evaluate(
            """() => { const e = document.activeElement;
                 return [e.tagName + (e.getAttribute('href') || e.textContent),
                         getComputedStyle(e).outlineStyle]; }"""
        )
        if outline[0].startswith(("A", "SUMMARY")):
            assert outline[1] != "none", outline
            reached.add(outline[0])
    assert len(reached) >= focusable - 1  # the skip link was left behind


async def test_text_contrast_is_at_least_wcag_aa(browser: Any, site: Site) -> None:
    page, _ = await _open(browser, site)
    await page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    failures = await page.evaluate(
        """() => {
          const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
          const lum = ([r, g, b]) => {
            const c = [r, g, b].map(v => { v /= 255;
              return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
          };
          const background = e => {
            for (; e; e = e.parentElement) {
              const c = rgb(getComputedStyle(e).backgroundColor);
              if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
            }
            return [255, 255, 255];
          };
          const failures = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (!n.textContent.trim()) continue;
            const e = n.parentElement;
            const style = getComputedStyle(e);
            if (style.visibility === 'hidden' || e.closest('.skip')) continue;
            const ink = e instanceof SVGElement ? rgb(style.fill) : rgb(style.color);
            const [a, b] = [lum(ink), lum(background(e))];
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            const size = parseFloat(style.fontSize);
            const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
            if (ratio < (large ? 3 : 4.5)) failures.push([n.textContent.trim(), ratio]);
          }
          return failures;
        }"""
    )
    assert failures == []


async def test_the_page_fits_a_phone(browser: Any, site: Site, tmp_path: Path) -> None:
    page, _ = await _open(
        browser, site, viewport={"width": 360, "height": 740}, device_scale_factor=2
    )
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing runs off the side: wide tables scroll in their own box
    chart = await page.locator("svg[role=img]").bounding_box()
    assert chart is not None and chart["width"] <= 360 - 16
    size = await page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 15
    shot = tmp_path / "phone.png"
    await page.screenshot(path=str(shot), full_page=True)
    read = _ocr(shot).lower()
    assert "обращения граждан" in read  # the reading works
    for personal in READ_BACK:
        assert personal not in read, personal
