"""The web pages through httpx against the app on the real Redis: login, scope, CSRF, content."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from features.eligibility import AgeLimits
from features.idcard import make_id_number
from features.tiers import load_tier_rules
from service import keys
from service.app import create_app
from service.catalogue_store import CatalogueStore
from service.pages.session import SESSION_COOKIE
from service.roster_store import RosterStore
from service.settings import Settings
from tests.factories import SECRET, TODAY, make_agreement, make_laborer
from tests.service.uploads import (
    AGREEMENT,
    csv_bytes,
    directed_post,
    local_post,
    roster_row,
    xlsx_bytes,
)

Login = Callable[..., TestClient]


@pytest.fixture
def app_factory(settings: Settings, store: redis.Redis) -> Iterator[Callable[[], TestClient]]:
    """Browsers (test clients over https, so the Secure cookie travels) of one app."""
    app = create_app(settings, today=lambda: TODAY, scheduler=False)
    opened: list[TestClient] = []

    def make() -> TestClient:
        c = TestClient(app, base_url="https://testserver")
        c.__enter__()
        opened.append(c)
        return c

    yield make
    for c in reversed(opened):
        c.__exit__(None, None, None)


@pytest.fixture
def web(app_factory: Callable[[], TestClient]) -> TestClient:
    """One browser, not logged in."""
    return app_factory()


def csrf_of(html: str) -> str:
    """The hidden CSRF token of the first form of a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no csrf field on the page"
    return found.group(1)


def log_in(web: TestClient, token: str) -> str:
    """Log in with ``token`` on the login page; return the landing page's HTML."""
    page = web.get("/login")
    answer = web.post("/login", data={"api_key": token, "csrf": csrf_of(page.text)})
    assert answer.status_code == 200, answer.text
    return answer.text


@pytest.fixture
def login_as(
    app_factory: Callable[[], TestClient], store: redis.Redis
) -> Callable[..., TestClient]:
    """A fresh browser logged in with a new key of ``role`` and scope."""

    def make(role: str, **scope: str) -> TestClient:
        web = app_factory()
        log_in(web, keys.create_key(store, role, **scope))
        return web

    return make


def test_a_page_without_a_session_sends_the_browser_to_log_in(web: TestClient) -> None:
    answer = web.get("/posts", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"
    login = web.get("/login")
    assert "访问密钥" in login.text
    assert 'lang="zh-CN"' in login.text
    assert '<label for="api_key">' in login.text


def test_a_counselor_logs_in_once_and_the_cookie_holds_no_key(
    web: TestClient, store: redis.Redis
) -> None:
    token = keys.create_key(store, "counselor", district="通州区", township="永乐店镇")
    page = web.get("/login")
    answer = web.post(
        "/login", data={"api_key": token, "csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/people"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for flag in ("HttpOnly", "Secure", "SameSite=strict"):
        assert flag.lower() in cookie.lower()
    session_id = web.cookies.get(SESSION_COOKIE)
    assert session_id
    assert token not in cookie
    assert token.split("_")[2] not in session_id
    # Redis keeps the session under a hash of its id, with the key's id, never the token.
    names = [n.decode() for n in store.keys("rg:session:*")]
    assert len(names) == 1
    assert session_id not in names[0]
    fields = {k.decode(): v.decode() for k, v in store.hgetall(names[0]).items()}
    assert fields["role"] == "counselor"
    assert fields["township"] == "永乐店镇"
    assert token not in "".join(fields.values())
    assert 0 < store.ttl(names[0]) <= 8 * 3600


def test_a_wrong_key_is_refused_in_chinese(web: TestClient) -> None:
    page = web.get("/login")
    answer = web.post("/login", data={"api_key": "rg_nope_nope", "csrf": csrf_of(page.text)})
    assert answer.status_code == 401
    assert "密钥无效" in answer.text
    assert SESSION_COOKIE not in web.cookies


def test_the_login_form_refuses_a_post_without_its_token(
    web: TestClient, store: redis.Redis
) -> None:
    token = keys.create_key(store, "city")
    answer = web.post("/login", data={"api_key": token, "csrf": "forged"})
    assert answer.status_code == 403
    assert SESSION_COOKIE not in web.cookies


def test_many_wrong_keys_slow_the_login_page_down(web: TestClient, store: redis.Redis) -> None:
    for _ in range(keys.FAIL_LIMIT):
        page = web.get("/login")
        web.post("/login", data={"api_key": "rg_x_y", "csrf": csrf_of(page.text)})
    token = keys.create_key(store, "city")
    page = web.get("/login")
    answer = web.post("/login", data={"api_key": token, "csrf": csrf_of(page.text)})
    assert answer.status_code == 429
    assert "次数过多" in answer.text


def test_logout_ends_the_session(login_as: Login, store: redis.Redis) -> None:
    web = login_as("partner", partner="朝阳区")
    page = web.get("/posts")
    answer = web.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert answer.status_code == 303
    assert not store.keys("rg:session:*")
    assert web.get("/posts", follow_redirects=False).status_code == 303


def test_logout_without_the_csrf_token_is_refused(login_as: Login, store: redis.Redis) -> None:
    web = login_as("partner", partner="朝阳区")
    answer = web.post("/logout", data={"csrf": "forged"})
    assert answer.status_code == 403
    assert "页面已过期" in answer.text
    assert store.keys("rg:session:*")


def test_revoking_the_key_ends_its_sessions(login_as: Login, store: redis.Redis) -> None:
    web = login_as("partner", partner="朝阳区")
    key_id = keys.list_keys(store)[0]["key_id"]
    assert keys.revoke(store, key_id)
    assert web.get("/posts", follow_redirects=False).status_code == 303


def test_pages_forbid_framing_and_caching(login_as: Login) -> None:
    web = login_as("partner", partner="朝阳区")
    answer = web.get("/posts")
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in answer.headers["content-security-policy"]


def test_a_counselor_cannot_open_the_post_upload_page(login_as: Login) -> None:
    web = login_as("counselor", district="通州区", township="永乐店镇")
    answer = web.get("/posts/upload")
    assert answer.status_code == 403
    assert "无权查看" in answer.text
    assert answer.headers["content-type"].startswith("text/html")


def test_the_stylesheet_and_script_are_served_by_the_app(web: TestClient) -> None:
    css = web.get("/static/style.css")
    assert css.status_code == 200
    assert ":focus-visible" in css.text
    assert "@media" in css.text
    assert web.get("/static/app.js").status_code == 200
    assert web.get("/static/../app.py").status_code == 404


# -- posts -------------------------------------------------------------------------------------


def _upload(web: TestClient, name: str, data: bytes) -> tuple[int, str]:
    page = web.get("/posts/upload")
    answer = web.post(
        "/posts/upload", data={"csrf": csrf_of(page.text)}, files={"file": (name, data)}
    )
    return answer.status_code, answer.text


def _save_token(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "no save button on the page"
    return found.group(1)


def test_a_partner_sees_row_errors_in_chinese_and_nothing_is_written(
    login_as: Login, store: redis.Redis
) -> None:
    CatalogueStore(store).add_agreements([make_agreement()])
    web = login_as("partner", partner="朝阳区")
    rows = [directed_post("CY-001"), directed_post("CY-002", 招聘人数="十")]
    status, html = _upload(web, "岗位.csv", csv_bytes(rows, encoding="gbk"))
    assert status == 422
    assert "文件有错误，未保存任何岗位" in html
    table = html.split('class="row-errors', 1)[1]
    assert ">3</td>" in table  # the spreadsheet row of the second post
    assert "招聘人数" in table
    assert "十" in table
    assert 'name="token"' not in html
    assert CatalogueStore(store).all_posts() == []


def test_a_partner_checks_a_clean_file_then_saves_it(login_as: Login, store: redis.Redis) -> None:
    CatalogueStore(store).add_agreements([make_agreement()])
    web = login_as("partner", partner="朝阳区")
    data = xlsx_bytes([directed_post("CY-001"), directed_post("CY-002")])
    status, html = _upload(web, "岗位.xlsx", data)
    assert status == 200
    assert "检查通过" in html
    assert "新增 <strong>2</strong>" in html
    assert CatalogueStore(store).all_posts() == []  # the check wrote nothing
    token = _save_token(html)
    saved = web.post("/posts/upload/save", data={"csrf": csrf_of(html), "token": token})
    assert saved.status_code == 200
    assert "已保存：新增 2 个岗位" in saved.text
    assert len(CatalogueStore(store).all_posts()) == 2
    assert "CY-002" in saved.text
    again = web.post("/posts/upload/save", data={"csrf": csrf_of(html), "token": token})
    assert again.status_code == 410  # a checked file is saved once


def test_another_key_cannot_save_a_file_checked_by_someone_else(
    login_as: Login, store: redis.Redis
) -> None:
    CatalogueStore(store).add_agreements([make_agreement()])
    first = login_as("partner", partner="朝阳区")
    _, html = _upload(first, "岗位.xlsx", xlsx_bytes([directed_post("CY-001")]))
    other = login_as("partner", partner="朝阳区")
    page = other.get("/posts/upload")
    answer = other.post(
        "/posts/upload/save", data={"csrf": csrf_of(page.text), "token": _save_token(html)}
    )
    assert answer.status_code == 410
    assert CatalogueStore(store).all_posts() == []


def test_a_partner_lists_and_closes_only_its_own_posts(login_as: Login, store: redis.Redis) -> None:
    catalogue = CatalogueStore(store)
    catalogue.add_agreements([make_agreement()])
    district = login_as("district", district="通州区")
    _, html = _upload(district, "本区.xlsx", xlsx_bytes([local_post("TZ-001")]))
    district.post("/posts/upload/save", data={"csrf": csrf_of(html), "token": _save_token(html)})
    web = login_as("partner", partner="朝阳区")
    _, html = _upload(web, "岗位.xlsx", xlsx_bytes([directed_post("CY-001")]))
    web.post("/posts/upload/save", data={"csrf": csrf_of(html), "token": _save_token(html)})
    listing = web.get("/posts").text
    assert "CY-001" in listing
    assert "TZ-001" not in listing
    theirs = next(p for p in catalogue.all_posts() if p.external_id == "TZ-001")
    mine = next(p for p in catalogue.all_posts() if p.external_id == "CY-001")
    refused = web.post(f"/posts/{theirs.post_id}/close", data={"csrf": csrf_of(listing)})
    assert refused.status_code == 404
    closed = web.post(f"/posts/{mine.post_id}/close", data={"csrf": csrf_of(listing)})
    assert closed.status_code == 200
    assert "已关闭" in closed.text
    assert catalogue.get(mine.post_id).status == "closed"  # type: ignore[union-attr]
    assert catalogue.get(theirs.post_id).status == "open"  # type: ignore[union-attr]


# -- people ------------------------------------------------------------------------------------


def _roster(store: redis.Redis, *laborers: object) -> RosterStore:
    roster = RosterStore(store, secret=SECRET)
    roster.import_laborers(
        list(laborers),  # type: ignore[arg-type]
        day=TODAY,
        limits=AgeLimits(),
        rules=load_tier_rules(),
    )
    return roster


@pytest.fixture
def township(store: redis.Redis, login_as: Login) -> dict[str, object]:
    """A welder in 永乐店镇, a cleaner in 宋庄镇, and a workshop post in 永乐店镇."""
    welder = make_laborer(name="王建军", skills=("电焊",), desired_jobs=("焊工",))
    other = make_laborer(name="赵淑芬", township="宋庄镇", male=False, age=40)
    _roster(store, welder, other)
    district = login_as("district", district="通州区")
    rows = [
        local_post("TZ-001", 岗位名称="电焊工", 技能要求="电焊", 招聘人数="3", 证书要求=""),
        local_post("TZ-002", 岗位名称="食品厂焊工", 技能要求="电焊", 证书要求="健康证"),
    ]
    _, html = _upload(district, "本区.xlsx", xlsx_bytes(rows))
    district.post("/posts/upload/save", data={"csrf": csrf_of(html), "token": _save_token(html)})
    post = next(p for p in CatalogueStore(store).all_posts() if p.external_id == "TZ-001")
    return {"welder": welder, "other": other, "post": post}


def test_a_counselor_finds_only_the_people_of_the_township(
    login_as: Login, township: dict[str, object]
) -> None:
    web = login_as("counselor", district="通州区", township="永乐店镇")
    page = web.get("/people")
    assert page.status_code == 200
    assert "王建军" in page.text
    assert "赵淑芬" not in page.text
    found = web.post("/people", data={"csrf": csrf_of(page.text), "q": "王"})
    assert "王建军" in found.text
    none = web.post("/people", data={"csrf": csrf_of(page.text), "q": "赵"})
    assert "赵淑芬" not in none.text
    assert "没有符合条件的人员" in none.text


def test_a_search_by_id_number_is_a_post_and_shows_it_masked(
    login_as: Login, township: dict[str, object]
) -> None:
    welder = township["welder"]
    web = login_as("counselor", district="通州区", township="永乐店镇")
    page = web.get("/people")
    number = welder.id_number  # type: ignore[attr-defined]
    found = web.post("/people", data={"csrf": csrf_of(page.text), "q": number})
    assert "王建军" in found.text
    assert number not in found.text
    assert number[:6] + "********" + number[-4:] in found.text


def test_a_person_page_shows_tier_referrals_with_reasons_and_masks_the_id(
    login_as: Login, township: dict[str, object], store: redis.Redis
) -> None:
    welder, post = township["welder"], township["post"]
    web = login_as("counselor", district="通州区", township="永乐店镇")
    page = web.get(f"/people/{welder.laborer_id}")  # type: ignore[attr-defined]
    assert page.status_code == 200
    html = page.text
    assert "帮扶级别" in html
    assert "电焊工" in html
    assert f'data-post-id="{post.post_id}"' in html  # type: ignore[attr-defined]
    assert "技能" in html  # the referral's reasons
    misses = html.split('class="near-misses"', 1)[1].split("</ul>", 1)[0]
    assert "食品厂焊工" in misses
    assert "缺少健康证" in misses
    assert "健康证明" in misses  # the training (here: where to get the certificate)
    assert "缺少岗位要求的证书" in html  # the exclusion counts, by rule
    assert welder.id_number not in html  # type: ignore[attr-defined]
    assert "13800138000" not in html
    assert "显示完整身份证号" in html
    entries = [e for e in audit_entries(store) if e["action"] == "view_person"]
    assert entries[-1]["full"] == "0"


def audit_entries(store: redis.Redis) -> list[dict[str, str]]:
    """Every audit entry, oldest first."""
    return [
        {k.decode(): v.decode() for k, v in fields.items()}
        for _, fields in store.xrange("rg:audit")
    ]


def test_the_full_id_number_shows_only_on_the_button_and_the_read_is_audited(
    login_as: Login, township: dict[str, object], store: redis.Redis
) -> None:
    welder = township["welder"]
    web = login_as("counselor", district="通州区", township="永乐店镇")
    lid = welder.laborer_id  # type: ignore[attr-defined]
    page = web.get(f"/people/{lid}")
    full = web.post(f"/people/{lid}/full", data={"csrf": csrf_of(page.text)})
    assert full.status_code == 200
    assert welder.id_number in full.text  # type: ignore[attr-defined]
    assert "13800138000" in full.text
    assert audit_entries(store)[-2]["full"] == "1"  # the profile read; then the referrals read
    assert welder.id_number not in web.get(f"/people/{lid}").text  # type: ignore[attr-defined]
    forged = web.post(f"/people/{lid}/full", data={"csrf": "forged"})
    assert forged.status_code == 403
    assert welder.id_number not in forged.text  # type: ignore[attr-defined]


def test_a_person_of_another_township_is_a_404_page(
    login_as: Login, township: dict[str, object]
) -> None:
    other = township["other"]
    web = login_as("counselor", district="通州区", township="永乐店镇")
    answer = web.get(f"/people/{other.laborer_id}")  # type: ignore[attr-defined]
    assert answer.status_code == 404
    assert "赵淑芬" not in answer.text
    assert answer.headers["content-type"].startswith("text/html")
    district = login_as("district", district="通州区")
    assert district.get(f"/people/{other.laborer_id}").status_code == 200  # type: ignore[attr-defined]
    far = login_as("district", district="延庆区")
    assert far.get(f"/people/{other.laborer_id}").status_code == 404  # type: ignore[attr-defined]


def test_recording_a_hire_takes_a_place_off_the_post_and_marks_the_person_employed(
    login_as: Login, township: dict[str, object], store: redis.Redis
) -> None:
    welder, post = township["welder"], township["post"]
    lid = welder.laborer_id  # type: ignore[attr-defined]
    web = login_as("counselor", district="通州区", township="永乐店镇")
    page = web.get(f"/people/{lid}")
    answer = web.post(
        f"/people/{lid}/outcomes",
        data={"csrf": csrf_of(page.text), "post_id": post.post_id, "outcome": "hired"},  # type: ignore[attr-defined]
    )
    assert answer.status_code == 200
    assert "剩余名额由 3 个减为 2 个" in answer.text
    assert CatalogueStore(store).get(post.post_id).places_left == 2  # type: ignore[attr-defined,union-attr]
    assert RosterStore(store, secret=SECRET).get(lid).laborer.employment == "已就业"  # type: ignore[union-attr]
    assert "已录用" in answer.text
    assert "剩余名额由" not in web.get(f"/people/{lid}").text  # the message shows once


def test_a_decline_without_a_reason_is_not_recorded(
    login_as: Login, township: dict[str, object], store: redis.Redis
) -> None:
    welder, post = township["welder"], township["post"]
    lid = welder.laborer_id  # type: ignore[attr-defined]
    web = login_as("counselor", district="通州区", township="永乐店镇")
    page = web.get(f"/people/{lid}")
    data = {"csrf": csrf_of(page.text), "post_id": post.post_id, "outcome": "declined"}  # type: ignore[attr-defined]
    answer = web.post(f"/people/{lid}/outcomes", data=data)
    assert "未记录" in answer.text
    assert "婉拒原因" in answer.text
    answer = web.post(f"/people/{lid}/outcomes", data=data | {"reason": "离家太远"})
    assert "已记录：本人婉拒" in answer.text
    assert f'data-post-id="{post.post_id}"' not in answer.text  # type: ignore[attr-defined]


def test_a_counselor_overrides_the_tier_with_a_reason(
    login_as: Login, township: dict[str, object], store: redis.Redis
) -> None:
    welder = township["welder"]
    lid = welder.laborer_id  # type: ignore[attr-defined]
    web = login_as("counselor", district="通州区", township="永乐店镇")
    page = web.get(f"/people/{lid}")
    refused = web.post(f"/people/{lid}/tier", data={"csrf": csrf_of(page.text), "tier": "special"})
    assert "未调整" in refused.text
    done = web.post(
        f"/people/{lid}/tier",
        data={"csrf": csrf_of(page.text), "tier": "special", "reason": "家中新增重病患者"},
    )
    assert "帮扶级别已调整为特殊帮扶" in done.text
    assert "家中新增重病患者" in done.text
    assert RosterStore(store, secret=SECRET).get(lid).tier == "special"  # type: ignore[union-attr]


# -- district ----------------------------------------------------------------------------------


def _number(seq: int, *, male: bool = True) -> str:
    return make_id_number("110112", dt.date(1980, 5, 1), seq, male=male)


def _import(web: TestClient, name: str, data: bytes) -> tuple[int, str]:
    page = web.get("/roster/import")
    answer = web.post(
        "/roster/import", data={"csrf": csrf_of(page.text)}, files={"file": (name, data)}
    )
    return answer.status_code, answer.text


def test_a_roster_with_errors_shows_them_in_a_table_and_writes_nothing(
    login_as: Login, store: redis.Redis
) -> None:
    web = login_as("district", district="通州区")
    bad = _number(2)[:-1] + ("0" if _number(2)[-1] != "0" else "1")
    rows = [
        roster_row("张建国", _number(1)),
        roster_row("李秀英", bad, 就业意愿="不知道"),
        roster_row("王德福", _number(3), township="永乐镇"),
    ]
    status, html = _import(web, "核实记录表.xlsx", xlsx_bytes(rows))
    assert status == 422
    table = html.split('class="row-errors', 1)[1]
    assert "公民身份号码" in table
    assert "就业意愿" in table
    assert "不知道" in table
    assert "乡镇(街道)" in table
    assert ">4</td>" in table
    assert bad not in html  # a wrong ID number is still personal data: masked
    assert not store.keys("rg:roster:people")


def test_a_district_checks_then_imports_a_gbk_roster(login_as: Login, store: redis.Redis) -> None:
    web = login_as("district", district="通州区")
    rows = [roster_row("张建国", _number(1)), roster_row("李秀英", _number(2, male=False))]
    status, html = _import(web, "核实记录表.csv", csv_bytes(rows, encoding="gbk"))
    assert status == 200, html
    assert "检查通过" in html
    assert "新增 <strong>2</strong>" in html
    assert not store.keys("rg:roster:people")
    saved = web.post(
        "/roster/import/save", data={"csrf": csrf_of(html), "token": _save_token(html)}
    )
    assert saved.status_code == 200
    assert "花名册已导入：新增 2 人" in saved.text
    assert "张建国" in saved.text  # the search page lists them
    assert _number(1) not in saved.text


def test_only_a_district_imports_a_roster(login_as: Login) -> None:
    web = login_as("counselor", district="通州区", township="永乐店镇")
    assert web.get("/roster/import").status_code == 403


def test_a_district_files_an_agreement_from_a_json_file(login_as: Login) -> None:
    web = login_as("district", district="通州区")
    page = web.get("/agreements")
    assert "尚未备案" in page.text
    data = json.dumps(AGREEMENT, ensure_ascii=False).encode()
    answer = web.post(
        "/agreements", data={"csrf": csrf_of(page.text)}, files={"file": ("协议.json", data)}
    )
    assert answer.status_code == 200
    assert "已备案：新增 1 份协议" in answer.text
    assert "北京朝阳某物业管理有限公司" in answer.text
    broken = dict(AGREEMENT, employers=[{"name": "某公司", "code": "91110105MA01ABCD1X"}])
    refused = web.post(
        "/agreements",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("协议.json", json.dumps(broken, ensure_ascii=False).encode())},
    )
    assert refused.status_code == 422
    assert "协议未备案" in refused.text


# -- batches, follow-ups, statistics ----------------------------------------------------------


def _run_batch(store: redis.Redis, settings: Settings, month: str = "2026-11") -> None:
    from service.batch import BatchRunner, PlanSettings, load_inputs

    BatchRunner(store).run(
        month,
        inputs=lambda: load_inputs(store, settings, today=TODAY),
        settings=PlanSettings.from_settings(settings),
    )


@pytest.fixture
def pushed(
    township: dict[str, object], store: redis.Redis, settings: Settings
) -> dict[str, object]:
    """The township with a difficulty person of special tier, and the month's batch run."""
    needy = make_laborer(
        name="孙桂兰",
        male=False,
        age=45,
        difficulty=True,
        skills=("电焊",),
        desired_jobs=("焊工",),
        wants_training=True,
    )
    roster = _roster(store, needy)
    roster.override_tier(
        needy.laborer_id,
        tier="special",
        reason="家中有重病患者",
        actor="test",
        day=TODAY,
        rules=load_tier_rules(),
    )
    _run_batch(store, settings)
    return township | {"needy": needy}


def test_the_follow_up_list_shows_what_is_left_to_do(
    login_as: Login, pushed: dict[str, object]
) -> None:
    web = login_as("counselor", district="通州区", township="永乐店镇")
    page = web.get("/followups")
    assert page.status_code == 200
    assert "2026-11" in page.text
    html = page.text.split('class="stack followups"', 1)[1]
    assert "孙桂兰" in html
    assert "就业困难" in html
    assert "反馈推送岗位“电焊工”的结果" in html
    assert "一对一就业指导" in html
    assert "赵淑芬" not in html  # another township's person


def test_the_person_page_lists_the_months_pushes(
    login_as: Login, pushed: dict[str, object]
) -> None:
    needy = pushed["needy"]
    web = login_as("counselor", district="通州区", township="永乐店镇")
    html = web.get(f"/people/{needy.laborer_id}").text  # type: ignore[attr-defined]
    pushes = html.split('id="h-pushes"', 1)[1].split("</section>", 1)[0]
    assert "2026-11" in pushes
    assert "电焊工" in pushes


def test_a_district_sees_the_months_charts_and_downloads_xlsx(
    login_as: Login, pushed: dict[str, object], store: redis.Redis
) -> None:
    web = login_as("district", district="通州区")
    page = web.get("/stats")
    assert page.status_code == 200
    html = page.text
    assert html.count("<svg") >= 4
    assert "就业困难人员获得两条以上推送的比例" in html
    assert "永乐店镇" in html
    assert "最拥挤的岗位" in html
    for name in ("stats", "pushes"):
        answer = web.get(f"/downloads/2026-11/{name}.xlsx")
        assert answer.status_code == 200
        assert answer.content[:2] == b"PK"
        assert "spreadsheetml" in answer.headers["content-type"]
    assert {e["action"] for e in audit_entries(store)} >= {"export", "export_stats"}
    other = login_as("district", district="延庆区")
    assert "永乐店镇" not in other.get("/stats").text
    city = login_as("city").get("/stats").text
    assert "按区" in city
    assert "通州区" in city.split('id="c1"', 1)[1].split("</section>", 1)[0]


def test_a_district_starts_a_batch_and_its_progress_finishes(
    login_as: Login, township: dict[str, object]
) -> None:
    web = login_as("district", district="通州区")
    page = web.get("/batches")
    started = web.post("/batches", data={"csrf": csrf_of(page.text), "month": "2026-11"})
    assert started.status_code == 200
    assert 'data-status-url="/batches/2026-11/status.json"' in started.text
    for _ in range(600):  # the batch runs in a thread; poll as the page's script does
        status = web.get("/batches/2026-11/status.json").json()
        if status["state"] == "done":
            break
        time.sleep(0.1)
    assert status["state"] == "done", status
    assert status["finished"]
    assert "已完成" in web.get("/batches").text


def test_a_bad_month_is_refused_in_chinese(login_as: Login) -> None:
    web = login_as("district", district="通州区")
    page = web.get("/batches")
    answer = web.post("/batches", data={"csrf": csrf_of(page.text), "month": "2026-13"})
    assert answer.status_code == 422
    assert "月份应写作" in answer.text


def test_a_counselor_cannot_start_a_batch(login_as: Login) -> None:
    web = login_as("counselor", district="通州区", township="永乐店镇")
    assert web.get("/batches").status_code == 403


def test_a_counselor_records_a_registration_and_a_status_change(
    login_as: Login, township: dict[str, object], store: redis.Redis
) -> None:
    welder = township["welder"]
    lid = welder.laborer_id  # type: ignore[attr-defined]
    web = login_as("counselor", district="通州区", township="永乐店镇")
    page = web.get(f"/people/{lid}")
    assert "需办理转移就业登记" in page.text
    done = web.post(
        f"/people/{lid}/actions/registration",
        data={"csrf": csrf_of(page.text), "kind": "转移就业登记", "certificate": "TZ2026-001"},
    )
    assert "已记录就业登记" in done.text
    assert RosterStore(store, secret=SECRET).get(lid).laborer.registration == "转移就业登记"  # type: ignore[union-attr]
    moved = web.post(
        f"/people/{lid}/actions/status",
        data={"csrf": csrf_of(page.text), "status": "务农", "reason": "回村种植大棚蔬菜"},
    )
    assert "已记录状态变化" in moved.text
    assert "回村种植大棚蔬菜" in moved.text  # the dated history
    refused = web.post(
        f"/people/{lid}/actions/difficulty",
        data={"csrf": csrf_of(page.text), "confirmed": "yes", "reason": "长期失业"},
    )
    assert refused.status_code == 403  # a district decides difficulty status
    district = login_as("district", district="通州区")
    page = district.get(f"/people/{lid}")
    confirmed = district.post(
        f"/people/{lid}/actions/difficulty",
        data={"csrf": csrf_of(page.text), "confirmed": "yes", "reason": "长期失业"},
    )
    assert "已更新就业困难人员认定" in confirmed.text
    assert RosterStore(store, secret=SECRET).get(lid).laborer.difficulty  # type: ignore[union-attr]
