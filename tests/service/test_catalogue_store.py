"""The catalogue in a real Redis: idempotent uploads, hires, the change feed, agreements."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
import redis

from catalogue.agreements import parse_agreement
from catalogue.columns import POST_COLUMNS
from catalogue.controls import EmployerControl
from catalogue.credit_code import make_credit_code
from catalogue.errors import PostStateError, UnknownPostError
from catalogue.models import make_post_id, post_state
from catalogue.upload import parse_posts
from features.gazetteer import load_gazetteer
from features.tabular import read_table
from service.catalogue_store import CatalogueStore, UploadReport, post_json
from service.settings import Settings
from tests.factories import TODAY

GAZ = load_gazetteer()
CODE = make_credit_code(41)
HEADERS = [c.header for c in POST_COLUMNS]


def row(external_id: str, **over: object) -> dict[str, object]:
    values: dict[str, object] = {
        "岗位编号": external_id,
        "岗位名称": "普工坐班包吃住300预支",
        "岗位类型": "定向招聘",
        "用人单位": "北京朝阳某物业管理有限公司",
        "统一社会信用代码": CODE,
        "工作区": "朝阳区",
        "工作乡镇(街道)": "三里屯街道",
        "招聘人数": 2,
        "截止日期": "2026-12-31",
    }
    values.update(over)
    return values


def xlsx(path: Path, rows: Sequence[dict[str, object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for r in rows:
        sheet.append([r.get(h) for h in HEADERS])
    book.save(path)
    return path


def gbk_csv(path: Path, rows: Sequence[dict[str, object]]) -> Path:
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def cat(store: redis.Redis) -> CatalogueStore:
    catalogue = CatalogueStore(store, prefix="rg")
    catalogue.add_agreements(
        [
            parse_agreement(
                {
                    "output_district": "通州区",
                    "partners": ["朝阳区"],
                    "year": 2026,
                    "employers": [{"name": "北京朝阳某物业管理有限公司", "code": CODE}],
                },
                gazetteer=GAZ,
            )
        ]
    )
    return catalogue


def upload(cat: CatalogueStore, path: Path, uploader: str = "朝阳区", **kw: bool) -> UploadReport:
    return cat.upload_file(
        path.read_bytes(), path.name, uploader=uploader, today=TODAY, gazetteer=GAZ, **kw
    )


def snapshot(client: redis.Redis) -> dict[bytes, bytes | None]:
    """Every key with its DUMP: equal snapshots mean a byte-for-byte equal store."""
    return {k: client.dump(k) for k in sorted(client.keys("*"))}  # type: ignore[misc]


def counts(report: UploadReport) -> tuple[int, int, int, int]:
    return report.created, report.updated, report.unchanged, report.rejected


def test_the_same_file_twice_changes_nothing(cat: CatalogueStore, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "岗位.xlsx", [row("CY-1"), row("CY-2", 岗位名称="保洁员")])
    first = upload(cat, path)
    assert counts(first) == (2, 0, 0, 0)
    assert first.written
    before = snapshot(cat.redis)
    again = upload(cat, path)
    assert counts(again) == (0, 0, 2, 0)
    assert again.written  # went through, as the roster import says; nothing changed
    assert snapshot(cat.redis) == before
    titles = {p.title for p in cat.all_posts()}
    assert titles == {"普工坐班包吃住300预支", "保洁员"}


def test_a_gbk_csv_and_an_xlsx_of_the_same_rows_store_the_same_posts(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    rows = [row("CY-1", 招聘人数="2"), row("CY-2", 招聘人数="5", 提供住宿="是")]
    assert counts(upload(cat, gbk_csv(tmp_path / "岗位.csv", rows))) == (2, 0, 0, 0)
    assert counts(upload(cat, xlsx(tmp_path / "岗位.xlsx", rows))) == (0, 0, 2, 0)


def test_a_changed_headcount_updates_the_post_and_keeps_its_hires(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1", 招聘人数=2), row("CY-2")]))
    post_id = make_post_id("朝阳区", "CY-1")
    cat.record_hire(post_id, day=TODAY)
    report = upload(cat, xlsx(tmp_path / "b.xlsx", [row("CY-1", 招聘人数=5), row("CY-2")]))
    assert counts(report) == (0, 1, 1, 0)
    post = cat.get(post_id)
    assert post is not None
    assert (post.headcount, post.hires, post.places_left) == (5, 1, 4)
    assert post.created_on == TODAY


def test_a_dry_run_leaves_the_store_byte_for_byte_untouched(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1")]))
    before, version = snapshot(cat.redis), cat.version()
    report = upload(
        cat, xlsx(tmp_path / "b.xlsx", [row("CY-1", 招聘人数=9), row("CY-2")]), dry_run=True
    )
    assert counts(report) == (1, 1, 0, 0)
    assert report.dry_run
    assert snapshot(cat.redis) == before
    assert cat.version() == version


def test_an_upload_refused_for_errors_leaves_everything_as_it_was(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1")]))
    before = snapshot(cat.redis)
    bad = [row("CY-1", 招聘人数=7), row("CY-2", 截止日期="2026-10-01"), row("CY-3")]
    report = upload(cat, xlsx(tmp_path / "b.xlsx", bad))
    assert report.refused
    assert counts(report) == (0, 0, 0, 1)
    assert [(e.row, e.column) for e in report.errors] == [(3, "截止日期")]
    assert snapshot(cat.redis) == before


def test_keep_valid_writes_the_valid_rows_only(cat: CatalogueStore, tmp_path: Path) -> None:
    bad = [row("CY-1"), row("CY-2", 统一社会信用代码=make_credit_code(42)), row("CY-3")]
    report = upload(cat, xlsx(tmp_path / "a.xlsx", bad), keep_valid=True)
    assert counts(report) == (2, 0, 0, 1)
    assert not report.refused
    assert {p.external_id for p in cat.all_posts()} == {"CY-1", "CY-3"}


def test_the_change_feed_is_read_from_a_given_point(cat: CatalogueStore, tmp_path: Path) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1"), row("CY-2")]))
    point = cat.version()
    upload(cat, xlsx(tmp_path / "b.xlsx", [row("CY-1", 招聘人数=3), row("CY-2"), row("CY-3")]))
    one, three = make_post_id("朝阳区", "CY-1"), make_post_id("朝阳区", "CY-3")
    cat.close(one, actor="朝阳区", day=TODAY)
    changes = cat.changes_since(point)
    assert [(c.event, c.post_id) for c in changes] == [
        ("updated", one),
        ("created", three),
        ("closed", one),
    ]
    assert all(c.version > point for c in changes)
    assert changes[-1].version == cat.version()
    # From an entry id: everything after that entry.
    assert [c.event for c in cat.changes_since(changes[0].seq)] == ["created", "closed"]
    assert [c.event for c in cat.changes_since(0)][:2] == ["created", "created"]
    assert cat.changes_since(cat.version()) == []


def test_a_post_is_filled_when_hires_reach_its_headcount(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1", 招聘人数=2)]))
    post_id = make_post_id("朝阳区", "CY-1")
    point = cat.version()
    first = cat.record_hire(post_id, day=TODAY)
    assert (first.hires, post_state(first, TODAY)) == (1, "open")
    second = cat.record_hire(post_id, day=TODAY)
    assert (second.hires, second.places_left, post_state(second, TODAY)) == (2, 0, "filled")
    assert [c.event for c in cat.changes_since(point)] == ["hired", "filled"]
    with pytest.raises(PostStateError, match="已招满"):
        cat.record_hire(post_id, day=TODAY)
    assert post_json(second, TODAY)["status"] == "filled"


def test_a_closed_post_takes_no_hires_and_closing_twice_changes_nothing(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1")]))
    post_id = make_post_id("朝阳区", "CY-1")
    assert cat.close(post_id, actor="朝阳区", day=TODAY).status == "closed"
    version = cat.version()
    cat.close(post_id, actor="朝阳区", day=TODAY)
    assert cat.version() == version
    with pytest.raises(PostStateError, match="已关闭"):
        cat.record_hire(post_id, day=TODAY)
    with pytest.raises(UnknownPostError):
        cat.close("000000000000", actor="朝阳区")


def test_posts_past_their_closing_date_expire_once_with_a_feed_entry(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1", 截止日期="2026-11-15"), row("CY-2")]))
    assert cat.expire_due(TODAY) == []
    later = dt.date(2026, 11, 16)
    point = cat.version()
    assert cat.expire_due(later) == [make_post_id("朝阳区", "CY-1")]
    assert cat.expire_due(later) == []
    assert [c.event for c in cat.changes_since(point)] == ["expired"]
    [expired] = [p for p in cat.all_posts() if p.external_id == "CY-1"]
    assert post_state(expired, later) == "expired"


def test_an_upload_never_resets_hires_and_cannot_go_below_them(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1", 招聘人数=3)]))
    post_id = make_post_id("朝阳区", "CY-1")
    cat.record_hire(post_id, day=TODAY)
    cat.record_hire(post_id, day=TODAY)
    report = upload(cat, xlsx(tmp_path / "b.xlsx", [row("CY-1", 招聘人数=1)]))
    assert report.refused
    assert report.errors[0].message == "招聘人数（1）不能少于该岗位已录用的2人"
    upload(cat, xlsx(tmp_path / "c.xlsx", [row("CY-1", 招聘人数=3, 岗位名称="新名称")]))
    post = cat.get(post_id)
    assert post is not None
    assert (post.title, post.hires) == ("新名称", 2)


def test_every_change_bumps_the_version_and_all_posts_follows_it(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    v0 = cat.version()
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1")]))
    v1 = cat.version()
    assert v1 == v0 + 1
    assert [p.hires for p in cat.all_posts()] == [0]
    cat.record_hire(make_post_id("朝阳区", "CY-1"), day=TODAY)
    assert cat.version() == v1 + 1
    assert [p.hires for p in cat.all_posts()] == [1]
    cat.set_employer_control(CODE, suspended=True, reason="拖欠工资", actor="通州区")
    assert cat.version() == v1 + 2


def test_agreements_are_filed_and_replaced_by_the_same_pairing(cat: CatalogueStore) -> None:
    [original] = cat.agreements()
    ended = parse_agreement(
        {
            "output_district": "通州区",
            "partners": ["朝阳区"],
            "year": 2026,
            "employers": [{"name": "北京朝阳某物业管理有限公司", "code": CODE}],
            "status": "终止",
        },
        gazetteer=GAZ,
    )
    assert cat.add_agreements([ended]) == (0, 1)
    [stored] = cat.agreements()
    assert stored.agreement_id == original.agreement_id
    assert not stored.active_on(TODAY)


def test_a_directed_upload_is_refused_once_its_agreement_ends(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    cat.add_agreements(
        [
            parse_agreement(
                {
                    "output_district": "通州区",
                    "partners": ["朝阳区"],
                    "year": 2026,
                    "employers": [{"name": "北京朝阳某物业管理有限公司", "code": CODE}],
                    "status": "终止",
                },
                gazetteer=GAZ,
            )
        ]
    )
    report = upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1")]))
    assert report.refused
    assert "不在朝阳区2026年有效的人岗对接协议中" in report.errors[0].message


def test_employers_are_boosted_suspended_and_restored_with_reasons(cat: CatalogueStore) -> None:
    cat.set_employer_control(CODE, boost=1.5, reason="按时足额发薪", actor="通州区")
    cat.set_employer_control(CODE, suspended=True, reason="克扣工资，暂停推荐", actor="通州区")
    assert cat.employer_controls() == {
        CODE: EmployerControl(boost=1.5, suspended=True, reason="克扣工资，暂停推荐")
    }
    assert cat.clear_employer_control(CODE, reason="已整改", actor="通州区")
    assert cat.employer_controls() == {}
    with pytest.raises(ValueError, match="reason"):
        cat.set_employer_control(CODE, boost=2.0, reason=" ", actor="通州区")
    log = cat.redis.xrange(cat.k_control_log)
    assert len(log) == 3


def test_an_expired_post_given_a_later_closing_date_opens_again(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1", 截止日期="2026-11-15")]))
    later = dt.date(2026, 11, 20)
    cat.expire_due(later)
    post_id = make_post_id("朝阳区", "CY-1")
    report = cat.upload_file(
        xlsx(tmp_path / "b.xlsx", [row("CY-1", 截止日期="2026-12-31")]).read_bytes(),
        "b.xlsx",
        uploader="朝阳区",
        today=later,
        gazetteer=GAZ,
    )
    assert counts(report) == (0, 1, 0, 0)
    post = cat.get(post_id)
    assert post is not None
    assert (post.status, post_state(post, later), post.updated_on) == ("open", "open", later)
    assert post.created_on == TODAY


def test_hires_recorded_at_once_never_overfill_a_post(
    cat: CatalogueStore, settings: Settings, tmp_path: Path
) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1", 招聘人数=5)]))
    post_id = make_post_id("朝阳区", "CY-1")

    def hire(_: int) -> bool:
        client = redis.Redis.from_url(settings.redis_url or "")
        try:
            CatalogueStore(client).record_hire(post_id, day=TODAY)
        except PostStateError:
            return False
        finally:
            client.close()
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        done = list(pool.map(hire, range(12)))
    assert sum(done) == 5
    post = cat.get(post_id)
    assert post is not None
    assert (post.hires, post_state(post, TODAY)) == (5, "filled")
    events = [c.event for c in cat.changes_since(0) if c.post_id == post_id]
    assert events.count("hired") == 4
    assert events.count("filled") == 1


def test_an_upload_computed_before_a_concurrent_change_is_not_written(
    cat: CatalogueStore, tmp_path: Path
) -> None:
    upload(cat, xlsx(tmp_path / "a.xlsx", [row("CY-1", 招聘人数=3)]))
    path = xlsx(tmp_path / "b.xlsx", [row("CY-1", 招聘人数=4), row("CY-2")])
    stale = cat.version()
    result = parse_posts(
        read_table(path.read_bytes(), path.name),
        uploader="朝阳区",
        agreements=cat.agreements(),
        today=TODAY,
        gazetteer=GAZ,
    )
    cat.record_hire(make_post_id("朝阳区", "CY-1"), day=TODAY)  # someone else, meanwhile
    before = snapshot(cat.redis)
    assert cat._apply(result, stale, today=TODAY, dry_run=False, keep=False) is None
    assert snapshot(cat.redis) == before
    # The public method recomputes on the new version and writes.
    assert counts(upload(cat, path)) == (1, 1, 0, 0)
    post = cat.get(make_post_id("朝阳区", "CY-1"))
    assert post is not None
    assert (post.headcount, post.hires) == (4, 1)
