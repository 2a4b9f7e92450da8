"""The column-wise pass of a post upload gives exactly what the per-row checks give.

``parse_posts`` checks each distinct cell value once, column by column, builds the posts of
clean rows a field at a time, and sends only rows with a problem through the per-row checks;
``by_row=True`` sends every row through them. Both must agree on every post, every error (its
row, column, value and message, in order) and every count, for real files and any cells.
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources
from pathlib import Path

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.agreements import parse_agreement, parse_agreements
from catalogue.columns import POST_COLUMNS
from catalogue.credit_code import make_credit_code
from catalogue.models import CONTENT_FIELDS, POST_KINDS, Post, make_post_id
from catalogue.upload import UploadResult, parse_posts
from evaluation.bench_upload import csv_bytes, generate
from features.gazetteer import load_gazetteer
from features.tabular import Table, read_table
from tests.factories import TODAY, make_post

GAZ = load_gazetteer()
CODE = make_credit_code(51)
STRANGER = make_credit_code(52)
AGREEMENTS = [
    parse_agreement(
        {
            "output_district": "通州区",
            "partners": ["朝阳区"],
            "year": 2026,
            "employers": [{"name": "北京朝阳某物业管理有限公司", "code": CODE}],
        },
        gazetteer=GAZ,
    ),
    parse_agreement(
        {
            "output_district": "通州区",
            "partners": ["通州区"],
            "partner_townships": ["宋庄镇"],
            "year": 2026,
            "employers": [{"name": "北京通州某劳务有限公司", "code": STRANGER}],
        },
        gazetteer=GAZ,
    ),
]
HEADERS = [c.header for c in POST_COLUMNS]


def real_titles() -> list[str]:
    source = resources.files("features") / "data" / "csco22_job_title_to_code.csv"
    with source.open(encoding="utf-8") as handle:
        return [row["job_name"] for row in csv.DictReader(handle) if row["job_name"]]


def both(table: Table, uploader: str, **kw: object) -> tuple[UploadResult, UploadResult]:
    args: dict[str, object] = {
        "uploader": uploader,
        "agreements": AGREEMENTS,
        "today": TODAY,
        "gazetteer": GAZ,
    } | kw
    by_column = parse_posts(table, **args)  # type: ignore[arg-type]
    by_row = parse_posts(table, by_row=True, **args)  # type: ignore[arg-type]
    if by_column.contents:  # the JSON made a field at a time is the JSON of each post
        assert by_column.contents == tuple(map(content_json, by_column.posts))
    return by_column, by_row


def content_json(post: Post) -> bytes:
    return orjson.dumps({name: getattr(post, name) for name in CONTENT_FIELDS})


def test_a_generated_file_of_real_noisy_titles_gives_the_same_posts_both_ways(
    tmp_path: Path,
) -> None:
    headers, rows, agreement = generate(3000, seed=11)
    path = tmp_path / "posts.csv"
    path.write_bytes(csv_bytes(headers, rows))
    table = read_table(path.read_bytes(), path.name)
    [own] = parse_agreements(agreement, gazetteer=GAZ)
    by_column, by_row = both(table, "通州区", agreements=[*AGREEMENTS, own])
    assert by_column.errors == ()
    assert by_column == by_row
    assert len(by_column.contents) == len(by_column.posts) == len(rows)
    assert [p.title for p in by_column.posts] == [r[1] for r in rows]  # titles pass intact
    assert set(real_titles()) >= {p.title for p in by_column.posts}
    assert all(type(p) is Post for p in by_column.posts)
    assert [hash(p) for p in by_column.posts] == [hash(p) for p in by_row.posts]


def test_rows_with_errors_among_clean_rows_give_the_same_errors_and_posts_both_ways() -> None:
    titles = real_titles()[:40]
    good = DIRECTED_ROW | {"提供住宿": "是", "截止日期": "2026-12-31"}
    faults = [
        {"岗位编号": ""},
        {"岗位编号": "CY-1"},  # a duplicate of row 2
        {"岗位名称": ""},
        {"岗位名称": "长" * 101},
        {"岗位类型": "扶贫车间"},  # a partner area uploads directed posts only
        {"统一社会信用代码": STRANGER},  # outside 朝阳区's agreement
        {"统一社会信用代码": "91110105MA01ABCD1X"},
        {"统一社会信用代码": ""},
        {"工作区": "火星区"},
        {"工作乡镇(街道)": "永乐店镇"},  # not in 朝阳区
        {"招聘人数": "0"},
        {"最低年龄": "60", "最高年龄": "20"},
        {"月薪下限": "9000"},
        {"学历要求": "博士后"},
        {"提供住宿": "也许"},
        {"工作形式": "半天"},
        {"截止日期": "2020-01-01"},
        {"截止日期": "明天"},
        {"面向乡镇": "三里屯街道"},
        {"最低年龄": "abc", "招聘人数": "", "工作区": ""},
    ]
    rows: list[list[str]] = []
    for i, title in enumerate(titles):
        cells = good | {"岗位编号": f"CY-{i + 1}", "岗位名称": title}
        if i % 2:
            cells |= faults[(i // 2) % len(faults)]
        rows.append([cells.get(h, "") for h in HEADERS])
        if i % 7 == 3:
            rows.append([""] * len(HEADERS))  # blank rows are skipped, not counted
    by_column, by_row = both(Table(HEADERS, rows), "朝阳区")
    assert by_column == by_row
    assert by_column.rejected == len(faults)
    assert len(by_column.posts) == len(titles) - len(faults)
    assert {e.message.split("：")[0] for e in by_column.errors} >= {"岗位名称为必填项"}


def test_posts_already_stored_keep_their_hires_and_state_both_ways() -> None:
    rows = [
        ["T-1", "普工包吃住", "扶贫车间", "永乐店镇扶贫车间", "", "通州区", "永乐店镇", "", "10"],
        ["T-2", "手工编织", "扶贫车间", "永乐店镇扶贫车间", "", "通州区", "永乐店镇", "", "2"],
        ["T-3", "保洁", "社会招聘", "某物业", "", "通州区", "", "", "4"],
    ]
    headers = HEADERS[:9]
    kept = make_post(
        external_id="T-1",
        hires=4,
        status="closed",
        created_on=dt.date(2026, 9, 1),
        updated_on=dt.date(2026, 10, 1),
    )
    short = make_post(external_id="T-2", hires=3)  # 招聘人数 2 < 3 hires: refused
    existing = {p.post_id: p for p in (kept, short)}
    by_column, by_row = both(Table(headers, rows), "通州区", existing=existing)
    assert by_column == by_row
    first = by_column.posts[0]
    assert first.post_id == make_post_id("通州区", "T-1")
    assert (first.hires, first.status, first.created_on) == (4, "closed", dt.date(2026, 9, 1))
    assert [e.row for e in by_column.errors] == [3]
    assert by_column.post_rows == (2, 4)


CELLS = {
    "岗位编号": st.sampled_from(["A1", "A2", "A3", "", "B-1"]),
    "岗位名称": st.sampled_from(["普工坐班包吃住300预支", "数据线打包坐班26/小时", "", "长" * 101]),
    "岗位类型": st.sampled_from([*POST_KINDS, "", "临时工"]),
    "用人单位": st.sampled_from(["北京朝阳某物业管理有限公司", "北京通州某劳务有限公司", ""]),
    "统一社会信用代码": st.sampled_from([CODE, STRANGER, "", "91110105MA01ABCD1X", "abc"]),
    "工作区": st.sampled_from(["朝阳区", "通州区", "通州", "", "火星区"]),
    "工作乡镇(街道)": st.sampled_from(["", "三里屯街道", "永乐店镇", "宋庄镇", "宋庄", "不存在镇"]),
    "招聘人数": st.sampled_from(["3", "", "0", "abc", "10人", "2.0"]),
    "最低年龄": st.sampled_from(["", "18", "55", "15", "x"]),
    "最高年龄": st.sampled_from(["", "20", "60", "70"]),
    "学历要求": st.sampled_from(["", "初中", "本科", "不限", "博士后"]),
    "证书要求": st.sampled_from(["", "健康证", "焊工证、电工证"]),
    "月薪下限": st.sampled_from(["", "3000", "6000", "-1"]),
    "月薪上限": st.sampled_from(["", "5000元", "4000", "x"]),
    "提供住宿": st.sampled_from(["", "是", "否", "maybe"]),
    "工作形式": st.sampled_from(["", "全职", "半天"]),
    "截止日期": st.sampled_from(["", "2026-12-31", "2020-01-01", "2027年6月30日", "明天", "46000"]),
    "面向乡镇": st.sampled_from(["", "永乐店镇", "永乐店镇、宋庄镇", "三里屯街道", "火星镇"]),
    "联系方式": st.sampled_from(["", "010-69500000"]),
}
DIRECTED_ROW = {
    "岗位编号": "#",  # the row's own number, unless a pool value replaces it
    "岗位名称": "普工坐班包吃住300预支",
    "岗位类型": "定向招聘",
    "用人单位": "北京朝阳某物业管理有限公司",
    "统一社会信用代码": CODE,
    "工作区": "朝阳区",
    "工作乡镇(街道)": "三里屯街道",
    "招聘人数": "3",
    "最低年龄": "18",
    "最高年龄": "55",
    "月薪下限": "4500",
    "月薪上限": "6000",
}
WORKSHOP_ROW = {
    "岗位编号": "#",
    "岗位名称": "手工编织（可带回家做）",
    "岗位类型": "扶贫车间",
    "用人单位": "永乐店镇扶贫车间",
    "工作区": "通州区",
    "工作乡镇(街道)": "永乐店镇",
    "招聘人数": "10",
}
BASE = {
    "朝阳区": [DIRECTED_ROW],
    "通州区": [
        WORKSHOP_ROW,
        WORKSHOP_ROW | {"岗位类型": "公益性岗位", "面向乡镇": "永乐店镇、宋庄镇"},
        WORKSHOP_ROW
        | {"岗位类型": "定向招聘", "统一社会信用代码": STRANGER, "工作乡镇(街道)": "宋庄镇"},
    ],
}


def test_a_bureau_file_with_faults_among_clean_rows_gives_the_same_result_both_ways() -> None:
    faults = [
        {"岗位类型": "公益性岗位", "面向乡镇": "三里屯街道"},  # not a township of 通州区
        {"岗位类型": "公益性岗位", "面向乡镇": ""},
        {"岗位类型": "公益性岗位", "面向乡镇": "永乐店镇、火星镇"},
        {"面向乡镇": "永乐店镇"},  # only for public-welfare posts
        {"岗位类型": "定向招聘", "统一社会信用代码": STRANGER},  # 永乐店镇 is not paired
        {"岗位类型": "定向招聘", "统一社会信用代码": CODE, "工作乡镇(街道)": "宋庄镇"},
        {"工作区": "通州", "工作乡镇(街道)": "宋庄"},  # short names the gazetteer knows
    ]
    clean = BASE["通州区"]
    rows = []
    for i in range(3 * len(faults)):
        cells = clean[i % len(clean)] | (faults[i // 3] if i % 3 == 1 else {})
        rows.append([cells.get(h, "") for h in HEADERS])
        rows[-1][0] = f"R{i}"
    by_column, by_row = both(Table(HEADERS, rows), "通州区")
    assert by_column == by_row
    assert by_column.rejected >= 5


@st.composite
def rows_of(draw: st.DrawFn, uploader: str) -> list[str]:
    """A valid row of the uploader with up to three cells from the pools (often wrong)."""
    if draw(st.integers(0, 9)) == 0:
        return [""] * len(HEADERS)  # a blank row
    cells = dict(draw(st.sampled_from(BASE[uploader])))
    for header in draw(st.lists(st.sampled_from(sorted(CELLS)), max_size=3)):
        cells[header] = draw(CELLS[header])
    return [cells.get(h, "") for h in HEADERS]


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(), uploader=st.sampled_from(["朝阳区", "通州区"]), hires=st.sampled_from([0, 5])
)
def test_any_cells_give_the_same_result_both_ways(
    data: st.DataObject, uploader: str, hires: int
) -> None:
    rows = data.draw(st.lists(rows_of(uploader), min_size=1, max_size=25))
    for i, cells in enumerate(rows):
        cells[0] = f"R{i}" if cells[0] == "#" else cells[0]
    stored = make_post(uploader=uploader, external_id="A1", hires=hires, status="closed")
    by_column, by_row = both(Table(HEADERS, rows), uploader, existing={stored.post_id: stored})
    assert by_column == by_row


def test_the_ids_and_uploader_read_before_the_posts_are_made_are_those_of_the_posts() -> None:
    headers, rows, agreement = generate(300, seed=5)
    table = read_table(csv_bytes(headers, rows), "posts.csv")
    [own] = parse_agreements(agreement, gazetteer=GAZ)
    args = {"uploader": "通州区", "agreements": [own], "today": TODAY, "gazetteer": GAZ}
    result = parse_posts(table, **args)  # type: ignore[arg-type]
    ids, uploaders = list(result.values("post_id")), list(result.values("uploader"))
    assert len(result.posts) == len(rows)  # counted without making the posts
    posts = tuple(result.posts)
    assert ids == [p.post_id for p in posts] == [make_post_id("通州区", r[0]) for r in rows]
    assert uploaders == ["通州区"] * len(rows)
    assert result.posts == posts
    assert posts == result.posts
    assert hash(result.posts) == hash(posts)
    assert result.posts[0] == posts[0]
    assert result.posts[-2:] == posts[-2:]
    assert result == parse_posts(table, by_row=True, **args)  # type: ignore[arg-type]
    assert list(result.values("post_id")) == ids  # the same after the posts are made
