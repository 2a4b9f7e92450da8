"""The pages in a real browser: Debian's headless Chromium driven by Playwright for Python.

The app runs under uvicorn on a free loopback port in a background thread, on the session's
real Redis. Each test saves screenshots under its tmp_path. No browser is downloaded: the tests
use /usr/bin/chromium (``.ci/run`` installs it with apt-get) and skip where it is missing.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import uvicorn

from catalogue.models import Post
from features.eligibility import AgeLimits
from features.idcard import make_id_number
from features.tiers import load_tier_rules
from service import keys
from service.app import create_app
from service.catalogue_store import CatalogueStore
from service.roster_store import RosterStore
from service.settings import Settings
from tests.factories import SECRET, TODAY, make_agreement, make_laborer
from tests.service.uploads import csv_bytes, directed_post, local_post, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# An 18-character ID number (17 digits and a digit or X) anywhere in a page's text.
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def base_url(settings: Settings, store: redis.Redis) -> Iterator[str]:
    """The app under uvicorn on a free loopback port (``localhost``, a secure context)."""
    app = create_app(settings, today=lambda: TODAY, scheduler=False)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="uvicorn-pages", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian's package; skips where it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(
            "/usr/bin/chromium not installed: apt-get install chromium fonts-wqy-zenhei "
            "(.ci/run does) to run the browser tests"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


Page = Any


@pytest.fixture
def open_page(browser: Any, base_url: str) -> Iterator[Callable[..., Page]]:
    """A function opening a fresh browser context (its own cookies) at a viewport size."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(
            base_url=base_url, viewport={"width": width, "height": height}, locale="zh-CN"
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page: Page, token: str) -> None:
    """Type the key on the login page, as a person would, and submit with Enter."""
    page.goto("/login")
    page.get_by_label("访问密钥").fill(token)
    page.get_by_label("访问密钥").press("Enter")
    page.wait_for_load_state()


def no_full_id_number(page: Page) -> None:
    """No 18-character ID number anywhere in the page's visible text."""
    text = page.inner_text("body")
    assert not FULL_ID.search(text), "a full ID number is on the page"


def shot(page: Page, folder: Path, name: str) -> Path:
    """Save a full-page screenshot under the test's folder."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5_000
    return path


# -- partner ----------------------------------------------------------------------------------


def test_a_partner_fixes_a_row_error_shown_in_chinese_and_uploads(
    open_page: Callable[..., Page], store: redis.Redis, tmp_path: Path
) -> None:
    CatalogueStore(store).add_agreements([make_agreement()])
    page = open_page()
    log_in(page, keys.create_key(store, "partner", partner="朝阳区"))
    assert page.url.endswith("/posts")

    bad = tmp_path / "岗位信息表.csv"
    rows = [directed_post("CY-001"), directed_post("CY-002", 招聘人数="十")]
    bad.write_bytes(csv_bytes(rows, encoding="gbk"))
    page.get_by_role("link", name="上传岗位", exact=True).first.click()
    page.get_by_label(re.compile("岗位文件")).set_input_files(str(bad))
    page.get_by_role("button", name="检查文件").click()
    page.wait_for_load_state()
    errors = page.locator("table.row-errors")
    assert errors.is_visible()
    assert "文件有错误" in page.inner_text("h2#result")
    first = errors.locator("tbody tr").first
    cells = [c.strip() for c in first.locator("td").all_inner_texts()]
    assert cells[0] == "3"
    assert cells[1] == "招聘人数"
    assert cells[2] == "十"
    assert re.search(r"[\u4e00-\u9fff]", cells[3])  # the message is Chinese
    shot(page, tmp_path, "partner-row-error")
    assert CatalogueStore(store).all_posts() == []

    good = tmp_path / "岗位信息表-改.xlsx"
    good.write_bytes(xlsx_bytes([directed_post("CY-001"), directed_post("CY-002")]))
    page.get_by_label(re.compile("岗位文件")).set_input_files(str(good))
    page.get_by_role("button", name="检查文件").click()
    page.wait_for_load_state()
    assert "检查通过" in page.inner_text("h2#result")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "已保存：新增 2 个岗位" in page.inner_text("main")
    listed = page.locator("table tbody tr")
    assert listed.count() == 2
    assert "CY-002" in page.inner_text("table")
    shot(page, tmp_path, "partner-posts")
    no_full_id_number(page)


# -- counselor --------------------------------------------------------------------------------


def _seed_township(store: redis.Redis) -> tuple[Any, Post]:
    """A welder in 永乐店镇, a neighbour, and a workshop post for welders in 永乐店镇."""
    welder = make_laborer(name="王建军", skills=("电焊",), desired_jobs=("焊工", "电焊工"))
    neighbour = make_laborer(
        name="李秀英",
        male=False,
        age=38,
        id_number=make_id_number("110112", TODAY.replace(year=1988), 77, male=False),
    )
    RosterStore(store, secret=SECRET).import_laborers(
        [welder, neighbour], day=TODAY, limits=AgeLimits(), rules=load_tier_rules()
    )
    catalogue = CatalogueStore(store)
    rows = [local_post("TZ-001", 岗位名称="电焊工", 技能要求="电焊", 招聘人数="3")]
    from features.gazetteer import load_gazetteer
    from features.tabular import read_table

    report = catalogue.upload(
        read_table(xlsx_bytes(rows), "岗位.xlsx"),
        uploader="通州区",
        today=TODAY,
        gazetteer=load_gazetteer(),
    )
    assert report.created == 1
    return welder, catalogue.all_posts()[0]


def test_a_counselor_finds_a_person_reads_reasons_and_records_a_hire(
    open_page: Callable[..., Page], store: redis.Redis, tmp_path: Path
) -> None:
    welder, post = _seed_township(store)
    page = open_page()
    log_in(page, keys.create_key(store, "counselor", district="通州区", township="永乐店镇"))
    assert page.url.endswith("/people")
    page.get_by_label("姓名或身份证号").fill("王")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="王建军").click()
    page.wait_for_load_state()
    assert "/people/" in page.url
    assert welder.id_number not in page.url
    no_full_id_number(page)
    referral = page.locator(f'li.referral[data-post-id="{post.post_id}"]')
    assert referral.is_visible()
    reasons = referral.locator("ul.reasons li").all_inner_texts()
    assert any("技能" in r for r in reasons), reasons
    assert referral.locator(".places-left").inner_text() == "3"
    shot(page, tmp_path, "counselor-person")

    referral.get_by_role("button", name="已录用").click()
    page.wait_for_load_state()
    message = page.locator(".flash").inner_text()
    assert "剩余名额由 3 个减为 2 个" in message
    outcomes = page.locator("#h-outcomes").locator("xpath=..").inner_text()
    assert "已录用" in outcomes
    assert CatalogueStore(store).get(post.post_id).places_left == 2  # type: ignore[union-attr]
    no_full_id_number(page)
    shot(page, tmp_path, "counselor-hired")

    page.get_by_role("button", name="显示完整身份证号和电话").click()
    page.wait_for_load_state()
    assert welder.id_number in page.inner_text("#id-number")


def test_the_person_page_reads_well_on_a_phone_and_works_by_keyboard(
    open_page: Callable[..., Page], store: redis.Redis, tmp_path: Path
) -> None:
    welder, _ = _seed_township(store)
    page = open_page(390, 844)
    log_in(page, keys.create_key(store, "counselor", district="通州区", township="永乐店镇"))
    page.goto(f"/people/{welder.laborer_id}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到正文"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    no_full_id_number(page)
    shot(page, tmp_path, "phone-person")


# -- district ---------------------------------------------------------------------------------


def test_a_district_runs_the_months_batch_and_sees_the_charts(
    open_page: Callable[..., Page], store: redis.Redis, tmp_path: Path
) -> None:
    _seed_township(store)
    needy = make_laborer(
        name="孙桂兰", male=False, age=45, difficulty=True, skills=("电焊",), desired_jobs=("焊工",)
    )
    RosterStore(store, secret=SECRET).import_laborers(
        [needy], day=TODAY, limits=AgeLimits(), rules=load_tier_rules()
    )
    page = open_page()
    log_in(page, keys.create_key(store, "district", district="通州区"))
    page.get_by_role("link", name="月度推送").click()
    page.get_by_label("月份").fill("2026-11")
    page.get_by_role("button", name="运行本月批次").click()
    page.wait_for_url("**/batches/2026-11")
    done = page.get_by_role("link", name="查看本月统计")
    done.wait_for(state="visible", timeout=120_000)  # the page's script polls the status
    assert "已完成" in page.inner_text(".batch-state")
    shot(page, tmp_path, "district-batch-done")
    done.click()
    page.wait_for_load_state()
    charts = page.locator("svg.chart")
    assert charts.count() >= 4
    difficulty = page.locator("section", has=page.locator("#c1")).locator("svg.chart")
    assert "永乐店镇" in difficulty.inner_html()
    assert "推送" in page.inner_text("main")
    no_full_id_number(page)
    shot(page, tmp_path, "district-stats")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载推送清单（.xlsx）").click()
    saved = tmp_path / "pushes.xlsx"
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
