"""Reading post uploads: real GBK CSV and .xlsx files, every rule, every error at once."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.agreements import parse_agreement
from catalogue.columns import POST_COLUMNS
from catalogue.credit_code import make_credit_code
from catalogue.models import make_post_id
from catalogue.upload import UploadResult, parse_date, parse_posts
from features.gazetteer import load_gazetteer
from features.tabular import Table, read_table
from tests.factories import TODAY, make_post

GAZ = load_gazetteer()
CODE = make_credit_code(31)
STRANGER = make_credit_code(32)
AGREEMENT = parse_agreement(
    {
        "output_district": "通州区",
        "partners": ["朝阳区"],
        "year": 2026,
        "employers": [{"name": "北京朝阳某物业管理有限公司", "code": CODE}],
    },
    gazetteer=GAZ,
)
HEADERS = [c.header for c in POST_COLUMNS]
# Real job-board titles from the shipped data set, salary and perk words included.
REAL_TITLES = (
    "普工+包吃包住+综合薪资5-6k+汽车厂",
    "质检员/仓管员/普工贴标签32/时/免费包吃住",
    "数据线打包坐班26/小时",
    "盐城焊工电工包吃住月7000+",
)


def directed(external_id: str, **over: str) -> dict[str, str]:
    row = {
        "岗位编号": external_id,
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
        "提供住宿": "是",
        "截止日期": "2026-12-31",
    }
    row.update(over)
    return row


def local(external_id: str, **over: str) -> dict[str, str]:
    row = {
        "岗位编号": external_id,
        "岗位名称": "手工编织（可带回家做）",
        "岗位类型": "扶贫车间",
        "用人单位": "永乐店镇扶贫车间",
        "工作区": "通州区",
        "工作乡镇(街道)": "永乐店镇",
        "招聘人数": "10",
        "工作形式": "灵活",
    }
    row.update(over)
    return row


def write_csv(path: Path, rows: Sequence[dict[str, str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[dict[str, object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(h) for h in HEADERS])
    book.save(path)
    return path


def parse(path: Path, uploader: str = "朝阳区", **kw: object) -> UploadResult:
    table = read_table(path.read_bytes(), path.name)
    return parse_posts(
        table, uploader=uploader, agreements=[AGREEMENT], today=TODAY, gazetteer=GAZ, **kw
    )  # type: ignore[arg-type]


def messages(result: UploadResult) -> list[tuple[int, str, str, str]]:
    return [(e.row, e.column, e.value, e.message) for e in result.errors]


def test_the_real_titles_are_in_the_shipped_data_set() -> None:
    source = resources.files("features") / "data" / "csco22_job_title_to_code.csv"
    with source.open(encoding="utf-8") as handle:
        titles = {row["job_name"] for row in csv.DictReader(handle)}
    assert set(REAL_TITLES) <= titles


def test_a_gbk_csv_of_noisy_real_titles_passes_through_intact(tmp_path: Path) -> None:
    titles = ("普工坐班包吃住300预支", *REAL_TITLES)
    rows = [directed(f"CY-{i}", 岗位名称=t) for i, t in enumerate(titles)]
    path = write_csv(tmp_path / "岗位.csv", rows, "gbk")
    assert path.read_bytes().decode("gbk")  # really GBK, not UTF-8
    result = parse(path)
    assert result.errors == ()
    assert [p.title for p in result.posts] == list(titles)
    post = result.posts[0]
    assert post.post_id == make_post_id("朝阳区", "CY-0")
    assert (post.kind, post.employer_code, post.district) == ("定向招聘", CODE, "朝阳区")
    assert (post.township, post.township_code) == ("三里屯街道", "110105004000")
    assert (post.min_age, post.max_age, post.salary_min, post.salary_max) == (18, 55, 4500, 6000)
    assert post.lodging is True
    assert post.closes_on == dt.date(2026, 12, 31)
    assert result.post_rows == (2, 3, 4, 5, 6)


def test_an_xlsx_with_excel_dates_and_numbers_is_read(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        directed("CY-1", 截止日期=dt.datetime(2027, 3, 31), 招聘人数=5, 最低年龄=20),
        directed("CY-2", 截止日期="2027/3/31", 月薪下限=3000.0),
        directed("CY-3", 截止日期="2027年3月31日"),
        directed("CY-4", 截止日期=46477),  # an Excel day number: 2027-03-31
    ]
    result = parse(write_xlsx(tmp_path / "岗位.xlsx", rows))
    assert result.errors == ()
    assert {p.closes_on for p in result.posts} == {dt.date(2027, 3, 31)}
    assert result.posts[0].headcount == 5
    assert result.posts[0].min_age == 20
    assert result.posts[1].salary_min == 3000


def test_a_directed_post_of_an_employer_outside_the_agreement_is_refused(tmp_path: Path) -> None:
    rows = [directed("CY-1", 用人单位="北京某外包公司", 统一社会信用代码=STRANGER)]
    result = parse(write_csv(tmp_path / "a.csv", rows, "utf-8-sig"))
    assert result.posts == ()
    [(row, column, value, message)] = messages(result)
    assert (row, column, value) == (2, "统一社会信用代码", STRANGER)
    assert "不在朝阳区2026年有效的人岗对接协议中" in message


def test_a_partner_area_may_not_upload_a_public_welfare_post(tmp_path: Path) -> None:
    rows = [directed("CY-1", 岗位类型="公益性岗位", 面向乡镇="永乐店镇")]
    result = parse(write_csv(tmp_path / "a.csv", rows, "gbk"))
    assert (2, "岗位类型", "公益性岗位") in [m[:3] for m in messages(result)]
    assert "公益性岗位只能由输出区人社局上传" in messages(result)[0][3]
    other = parse(write_csv(tmp_path / "b.csv", [directed("CY-2", 岗位类型="扶贫车间")], "gbk"))
    assert "朝阳区作为对接方只能上传定向招聘岗位" in messages(other)[0][3]


def test_a_wrong_credit_code_is_named_with_its_row(tmp_path: Path) -> None:
    wrong = CODE[:17] + ("0" if CODE[17] != "0" else "1")
    result = parse(write_csv(tmp_path / "a.csv", [directed("CY-1", 统一社会信用代码=wrong)], "gbk"))
    assert messages(result) == [
        (2, "统一社会信用代码", wrong, "统一社会信用代码校验位不正确：请核对营业执照上的代码")
    ]


def test_a_duplicate_post_number_is_an_error_on_the_second_row(tmp_path: Path) -> None:
    rows = [directed("CY-1"), directed("CY-2"), directed("CY-1", 岗位名称="另一个岗位")]
    result = parse(write_csv(tmp_path / "a.csv", rows, "gbk"))
    assert [p.external_id for p in result.posts] == ["CY-1", "CY-2"]
    assert messages(result) == [
        (
            4,
            "岗位编号",
            "CY-1",
            "岗位编号“CY-1”与第2行重复：同一文件中每个岗位编号只能出现一次",
        )
    ]


def test_a_closing_date_in_the_past_is_refused(tmp_path: Path) -> None:
    result = parse(write_csv(tmp_path / "a.csv", [directed("CY-1", 截止日期="2026/10/31")], "gbk"))
    [(row, column, value, message)] = messages(result)
    assert (row, column, value) == (2, "截止日期", "2026/10/31")
    assert message.startswith("截止日期2026-10-31已过（今天是2026-11-01）")
    today = parse(write_csv(tmp_path / "b.csv", [directed("CY-1", 截止日期="2026-11-01")], "gbk"))
    assert today.errors == ()


def test_every_error_of_every_row_comes_at_once(tmp_path: Path) -> None:
    rows = [
        directed("CY-1", 招聘人数="0", 最低年龄="15", 最高年龄="70"),
        directed("CY-2", 最低年龄="50", 最高年龄="40", 月薪下限="6000", 月薪上限="4000"),
        directed("CY-3", 工作区="朝杨区", 提供住宿="包吃", 截止日期="年底"),
        directed("CY-4", **{"工作乡镇(街道)": "三里屯乡"}),
        directed("", 岗位名称="", 用人单位="", 统一社会信用代码="", 招聘人数="三"),
    ]
    result = parse(write_csv(tmp_path / "a.csv", rows, "gbk"))
    assert result.posts == ()
    assert result.rejected == 5
    found = {(row, column) for row, column, _, _ in messages(result)}
    assert found == {
        (2, "招聘人数"),
        (2, "最低年龄"),
        (2, "最高年龄"),
        (3, "最高年龄"),
        (3, "月薪上限"),
        (4, "工作区"),
        (4, "提供住宿"),
        (4, "截止日期"),
        (5, "工作乡镇(街道)"),
        (6, "岗位编号"),
        (6, "岗位名称"),
        (6, "用人单位"),
        (6, "统一社会信用代码"),
        (6, "招聘人数"),
    }
    text = {(row, column): message for row, column, _, message in messages(result)}
    assert text[(2, "最低年龄")] == "最低年龄应为16–65之间的整数，实际为“15”"
    assert text[(3, "月薪上限")].startswith("月薪上限（4000）不能低于月薪下限（6000）")
    assert "是否为：朝阳区" in text[(4, "工作区")]
    assert "三里屯街道" in text[(5, "工作乡镇(街道)")]


def test_a_bureau_public_welfare_post_names_townships_of_its_own_district(tmp_path: Path) -> None:
    rows = [
        local(
            "TZ-1",
            岗位类型="公益性岗位",
            岗位名称="公共设施维护员",
            面向乡镇="永乐店镇、于家务回族乡",
        ),
        local("TZ-2", 岗位类型="公益性岗位", 岗位名称="社区保安员"),
        local("TZ-3", 岗位类型="公益性岗位", 岗位名称="劳动保障协管员", 面向乡镇="长阳镇"),
        local("TZ-4", 面向乡镇="永乐店镇"),
    ]
    result = parse(write_csv(tmp_path / "a.csv", rows, "gbk"), uploader="通州区")
    [post] = result.posts
    assert post.for_townships == (
        GAZ.township("永乐店镇", "通州区").code,
        GAZ.township("于家务回族乡", "通州区").code,
    )
    text = {m[0]: m[3] for m in messages(result)}
    assert text[3].startswith("公益性岗位须在面向乡镇中填写所服务的通州区乡镇")
    assert text[4].startswith("面向乡镇须为本区（通州区）的乡镇")
    assert text[5] == "面向乡镇仅用于公益性岗位：其他类型的岗位请留空"


def test_a_bureau_cannot_offer_directed_posts_without_its_own_agreement(tmp_path: Path) -> None:
    result = parse(write_csv(tmp_path / "a.csv", [directed("TZ-1")], "gbk"), uploader="通州区")
    assert "不在通州区2026年有效的人岗对接协议中" in messages(result)[0][3]


def test_a_missing_required_column_refuses_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("岗位编号,岗位名称,工种\nA,普工,x\n", encoding="gbk")
    result = parse(path)
    assert result.posts == ()
    columns = {e.column for e in result.errors}
    assert {"岗位类型", "用人单位", "工作区", "招聘人数", "工种"} <= columns
    assert all(e.row == 1 for e in result.errors)


def test_english_keys_are_accepted_as_headers(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "external_id,title,kind,employer,district,headcount\nA1,保洁员,社会招聘,某公司,通州区,2\n",
        encoding="utf-8",
    )
    [post] = parse(path, uploader="通州区").posts
    assert (post.title, post.headcount) == ("保洁员", 2)


def test_a_reupload_cannot_cut_the_headcount_below_the_hires(tmp_path: Path) -> None:
    before = make_post(uploader="朝阳区", external_id="CY-1", headcount=3, hires=2)
    path = write_csv(tmp_path / "a.csv", [directed("CY-1", 招聘人数="1")], "gbk")
    result = parse(path, existing={before.post_id: before})
    assert messages(result)[0][3] == "招聘人数（1）不能少于该岗位已录用的2人"
    kept = parse(
        write_csv(tmp_path / "b.csv", [directed("CY-1")], "gbk"), existing={before.post_id: before}
    )
    assert kept.posts[0].hires == 2


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-31",
        "2026/12/31",
        "2026年12月31日",
        "2026.12.31",
        "20261231",
        "46387",
        "2026-12-31 00:00:00",
    ],
)
def test_dates_officials_write_are_understood(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 12, 31)


@pytest.mark.parametrize("text", ["2026-02-30", "明年", "12/31/2026", "123"])
def test_things_that_are_not_dates_are_not_dates(text: str) -> None:
    assert parse_date(text) is None


_CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "定向招聘",
            "公益性岗位",
            "朝阳区",
            "通州区",
            "永乐店镇",
            CODE,
            "0",
            "3",
            "2026-12-31",
            "是",
            "否",
            "全职",
            "初中",
        ]
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=6))
def test_any_cells_give_posts_or_errors_and_never_crash(rows: list[list[str]]) -> None:
    table = Table(HEADERS, [[c.strip() for c in r] for r in rows])
    for uploader in ("朝阳区", "通州区"):
        result = parse_posts(
            table, uploader=uploader, agreements=[AGREEMENT], today=TODAY, gazetteer=GAZ
        )
        data_rows = sum(1 for r in table.rows if any(r))
        assert len(result.posts) + result.rejected == data_rows
        assert {e.row for e in result.errors}.isdisjoint(result.post_rows)
        for post in result.posts:
            assert post.headcount >= 1
            assert post.closes_on is None or post.closes_on >= TODAY
            assert uploader == "通州区" or post.kind == "定向招聘"


def test_a_file_with_only_its_header_is_refused(tmp_path: Path) -> None:
    result = parse(write_csv(tmp_path / "a.csv", [], "gbk"))
    assert result.posts == ()
    assert [(e.row, e.message[:8]) for e in result.errors] == [(2, "文件中没有岗位：")]


def test_a_district_pairing_its_own_townships_offers_directed_posts_from_them(
    tmp_path: Path,
) -> None:
    own = parse_agreement(
        {
            "output_district": "通州区",
            "partners": ["通州区"],
            "partner_townships": ["宋庄镇"],
            "output_townships": ["永乐店镇"],
            "year": 2026,
            "employers": [{"name": "宋庄某文化公司", "code": STRANGER}],
        },
        gazetteer=GAZ,
    )
    rows = [
        directed(
            "TZ-1",
            用人单位="宋庄某文化公司",
            统一社会信用代码=STRANGER,
            工作区="通州区",
            **{"工作乡镇(街道)": "宋庄镇"},
        ),
        directed(
            "TZ-2",
            用人单位="宋庄某文化公司",
            统一社会信用代码=STRANGER,
            工作区="通州区",
            **{"工作乡镇(街道)": "永乐店镇"},
        ),
    ]
    table = read_table(write_csv(tmp_path / "a.csv", rows, "gbk").read_bytes(), "a.csv")
    result = parse_posts(table, uploader="通州区", agreements=[own], today=TODAY, gazetteer=GAZ)
    assert [p.external_id for p in result.posts] == ["TZ-1"]
    assert [(e.row, e.column) for e in result.errors] == [(3, "统一社会信用代码")]
    assert result.errors[0].message.startswith("区内结对协议只对接指定乡镇的用人单位")
