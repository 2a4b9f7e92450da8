"""Roster parsing: real .csv (UTF-8, BOM, GBK) and .xlsx files, every rule of DESIGN §4."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest

from features.eligibility import AgeLimits, no_push_reason
from features.errors import TableError
from features.gazetteer import load_gazetteer
from features.idcard import laborer_id, make_id_number
from features.roster import (
    ROSTER_COLUMNS,
    RosterParse,
    merge_parts,
    parse_part,
    parse_roster,
    row_texts,
    split_items,
)
from features.tabular import read_table, table_parts
from tests.features.roster_rows import (
    HEADERS,
    LI,
    ZHANG,
    row,
    three_people,
    write_csv,
    write_xlsx,
)

AS_OF = dt.date(2026, 11, 1)
SECRET = "test-secret"


def parse_file(path: Path, as_of: dt.date = AS_OF) -> RosterParse:
    table = read_table(path.read_bytes(), path.name)
    return parse_roster(
        table, secret=SECRET, as_of=as_of, limits=AgeLimits(), gazetteer=load_gazetteer()
    )


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_a_csv_in_gbk_utf8_or_utf8_with_bom_gives_the_same_people(
    tmp_path: Path, encoding: str
) -> None:
    path = write_csv(tmp_path / "名册.csv", three_people(), encoding=encoding)
    parsed = parse_file(path)
    assert parsed.errors == []
    assert [p.name for p in parsed.laborers] == ["张建国", "李秀英", "王强"]
    assert parsed.rows == [2, 3, 4]
    zhang = parsed.laborers[0]
    assert zhang.laborer_id == laborer_id(ZHANG, SECRET)
    assert zhang.birth_date == dt.date(1978, 3, 9)
    assert zhang.sex == "男"
    assert zhang.township == "永乐店镇"
    assert zhang.township_code == "110112117000"
    assert zhang.desired_jobs == ("保洁", "保安")
    assert zhang.max_commute_min == 60
    assert zhang.months_without_work == 8
    wang = parsed.laborers[2]
    assert (wang.district, wang.township, wang.hukou) == ("大兴区", "黄村镇", "非农业")


def test_an_xlsx_written_by_openpyxl_reads_like_the_csv(tmp_path: Path) -> None:
    from_xlsx = parse_file(write_xlsx(tmp_path / "名册.xlsx", three_people()))
    from_csv = parse_file(write_csv(tmp_path / "名册.csv", three_people(), encoding="gbk"))
    assert from_xlsx.errors == []
    assert from_xlsx.laborers == from_csv.laborers


def test_a_wrong_check_digit_names_row_column_and_the_expected_digit_with_the_number_masked(
    tmp_path: Path,
) -> None:
    wrong = ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1")
    path = write_csv(tmp_path / "r.csv", [row(), row(公民身份号码=wrong, 姓名="赵四")])
    parsed = parse_file(path)
    assert [p.name for p in parsed.laborers] == ["张建国"]
    (error,) = parsed.errors
    assert (error.row, error.column) == (3, "公民身份号码")
    assert f"末位应为 {ZHANG[17]}" in error.message
    assert wrong not in error.value
    assert wrong not in error.message
    assert error.value == wrong[:6] + "********" + wrong[-4:]


def test_an_id_number_saved_as_a_number_in_excel_asks_for_a_text_column(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [row(公民身份号码=int(ZHANG[:17] + "1"))])  # type: ignore[arg-type]
    (error,) = parse_file(path).errors
    assert error.column == "公民身份号码"
    assert "设为文本格式" in error.message


def test_a_sex_that_disagrees_with_the_id_number_is_an_error(tmp_path: Path) -> None:
    parsed = parse_file(write_csv(tmp_path / "r.csv", [row(性别="女")]))
    (error,) = parsed.errors
    assert (error.row, error.column, error.value) == (2, "性别", "女")
    assert "号码显示为男" in error.message


def test_an_unknown_township_gets_the_three_closest_names_of_its_district(
    tmp_path: Path,
) -> None:
    parsed = parse_file(write_csv(tmp_path / "r.csv", [row(**{"乡镇(街道)": "永乐殿镇"})]))
    (error,) = parsed.errors
    assert (error.column, error.value) == ("乡镇(街道)", "永乐殿镇")
    assert "通州区没有这个乡镇(街道)" in error.message
    suggestions = error.message.split("是否为：")[1].split("、")
    assert len(suggestions) == 3
    assert suggestions[0] == "永乐店镇"


def test_a_township_may_be_given_by_short_name_or_code(tmp_path: Path) -> None:
    rows = [
        row(**{"乡镇(街道)": "永乐店"}),
        row(公民身份号码=LI, 性别="女", **{"乡镇(街道)": "110112117000"}),
    ]
    parsed = parse_file(write_csv(tmp_path / "r.csv", rows))
    assert parsed.errors == []
    assert {p.township for p in parsed.laborers} == {"永乐店镇"}


def test_an_unknown_district_is_an_error_with_suggestions(tmp_path: Path) -> None:
    parsed = parse_file(write_csv(tmp_path / "r.csv", [row(区="通洲区")]))
    (error,) = parsed.errors
    assert error.column == "区"
    assert "通州区" in error.message


def test_the_same_person_twice_is_an_error_on_the_second_row(tmp_path: Path) -> None:
    rows = [row(), row(姓名="李秀英", 公民身份号码=LI, 性别="女"), row(姓名="张建国（重复）")]
    parsed = parse_file(write_csv(tmp_path / "r.csv", rows))
    assert len(parsed.laborers) == 2
    (error,) = parsed.errors
    assert (error.row, error.column) == (4, "公民身份号码")
    assert "与第2行为同一人" in error.message


def test_a_lower_case_x_check_character_is_the_same_person_as_upper_case(tmp_path: Path) -> None:
    number = next(
        n
        for seq in range(200)
        if (n := make_id_number("110112", dt.date(1980, 1, 1), seq, male=True)).endswith("X")
    )
    rows = [row(公民身份号码=number), row(公民身份号码=number.lower())]
    parsed = parse_file(write_csv(tmp_path / "r.csv", rows))
    assert [e.row for e in parsed.errors] == [3]


def test_an_empty_file_is_refused_as_a_table_error(tmp_path: Path) -> None:
    path = tmp_path / "空.csv"
    path.write_bytes(b"")
    with pytest.raises(TableError, match="文件为空"):
        read_table(path.read_bytes(), path.name)


def test_a_header_row_without_data_says_there_are_no_rows(tmp_path: Path) -> None:
    parsed = parse_file(write_csv(tmp_path / "r.csv", []))
    (error,) = parsed.errors
    assert "没有数据行" in error.message


def test_missing_required_headers_are_each_named(tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h not in ("户籍性质", "就业意愿")]
    parsed = parse_file(write_csv(tmp_path / "r.csv", [row()], headers=headers))
    assert parsed.laborers == []
    messages = {e.message for e in parsed.errors}
    assert "缺少必填列“户籍性质”" in messages
    assert "缺少必填列“就业意愿”" in messages
    assert all(e.row == 1 for e in parsed.errors)


def test_an_unknown_header_refuses_every_row_but_still_reports_row_errors(tmp_path: Path) -> None:
    headers = [*HEADERS, "备注说明"]
    rows = [row(备注说明="x"), row(公民身份号码=LI, 性别="男")]
    parsed = parse_file(write_csv(tmp_path / "r.csv", rows, headers=headers))
    assert parsed.laborers == []
    assert [(e.row, e.column) for e in parsed.errors] == [(1, "备注说明"), (3, "性别")]
    assert "未知的表头“备注说明”" in parsed.errors[0].message


def test_english_keys_are_accepted_as_headers(tmp_path: Path) -> None:
    keys = {c.header: c.key for c in ROSTER_COLUMNS}
    headers = [keys[h] for h in HEADERS]
    r = row()
    rows = [{keys[h]: v for h, v in r.items()}]
    parsed = parse_file(write_csv(tmp_path / "r.csv", rows, headers=headers))
    assert parsed.errors == []
    assert parsed.laborers[0].name == "张建国"


def test_every_error_of_every_row_is_reported_at_once(tmp_path: Path) -> None:
    rows = [
        row(户籍性质="城镇", 就业状况="打工", 文化程度="幼儿园"),
        row(公民身份号码=LI, 性别="女", **{"可接受通勤(分钟)": "一小时", "失业时长(月)": "-3"}),
        row(姓名="", 公民身份号码="", 就业意愿="", 联系电话="电话没有"),
    ]
    parsed = parse_file(write_csv(tmp_path / "r.csv", rows))
    assert parsed.laborers == []
    found = {(e.row, e.column) for e in parsed.errors}
    assert found == {
        (2, "户籍性质"),
        (2, "就业状况"),
        (2, "文化程度"),
        (3, "可接受通勤(分钟)"),
        (3, "失业时长(月)"),
        (4, "姓名"),
        (4, "公民身份号码"),
        (4, "就业意愿"),
        (4, "联系电话"),
    }
    by_column = {e.column: e for e in parsed.errors}
    assert "农业、非农业" in by_column["户籍性质"].message
    assert "正整数" in by_column["可接受通勤(分钟)"].message


def test_a_phone_error_never_shows_the_whole_number(tmp_path: Path) -> None:
    parsed = parse_file(write_csv(tmp_path / "r.csv", [row(联系电话="1380013800a")]))
    (error,) = parsed.errors
    assert "1380013800" not in error.value


def test_a_birth_date_after_the_verification_day_is_an_error(tmp_path: Path) -> None:
    number = make_id_number("110112", dt.date(2027, 1, 1), 3, male=True)
    parsed = parse_file(write_csv(tmp_path / "r.csv", [row(公民身份号码=number)]))
    (error,) = parsed.errors
    assert "晚于核实日期2026-11-01" in error.message


@pytest.mark.parametrize(
    ("exclusion", "reason"),
    [
        ("在校学生", "在校学生"),
        ("现役军人", "现役军人"),
        ("监押服刑", "监押服刑"),
        ("完全丧失劳动能力", "完全丧失劳动能力"),
        ("本年度高校毕业生", None),
        ("无", None),
    ],
)
def test_each_exclusion_is_a_valid_row_flagged_with_its_reason(
    tmp_path: Path, exclusion: str, reason: str | None
) -> None:
    parsed = parse_file(write_csv(tmp_path / "r.csv", [row(人员身份=exclusion)]))
    assert parsed.errors == []
    (person,) = parsed.laborers
    assert no_push_reason(person, AS_OF, AgeLimits()) == reason


@pytest.mark.parametrize(
    ("birth", "male", "reason"),
    [
        (dt.date(2010, 11, 1), True, None),  # the 16th birthday: in
        (dt.date(2010, 11, 2), True, "未到劳动年龄"),  # the day before it: out
        (dt.date(1965, 11, 2), True, None),  # a man's last day at 60
        (dt.date(1965, 11, 1), True, "超过劳动年龄"),  # his 61st birthday
        (dt.date(1975, 11, 2), False, None),  # a woman's last day at 50
        (dt.date(1975, 11, 1), False, "超过劳动年龄"),  # her 51st birthday
    ],
)
def test_people_outside_working_age_stay_valid_and_are_flagged_on_the_exact_day(
    tmp_path: Path, birth: dt.date, male: bool, reason: str | None
) -> None:
    number = make_id_number("110112", birth, 7, male=male)
    r = row(公民身份号码=number, 性别="男" if male else "女")
    parsed = parse_file(write_csv(tmp_path / "r.csv", [r]))
    assert parsed.errors == []
    assert no_push_reason(parsed.laborers[0], AS_OF, AgeLimits()) == reason


def test_free_text_lists_split_on_chinese_and_latin_separators() -> None:
    assert split_items("保洁、保安，电焊;叉车； 厨师 ") == ("保洁", "保安", "电焊", "叉车", "厨师")
    assert split_items("") == ()


def test_blank_optional_values_take_their_defaults(tmp_path: Path) -> None:
    r = row(登记情况="", 文化程度="", 健康状况="", 人员身份="", **{"可接受通勤(分钟)": ""})
    (person,) = parse_file(write_csv(tmp_path / "r.csv", [r])).laborers
    assert person.registration == "未登记"
    assert person.education is None
    assert person.exclusion is None
    assert person.max_commute_min is None


def _people(n: int) -> list[dict[str, str]]:
    """``n`` people of 永乐店镇 with ID numbers of their own."""
    born = dt.date(1980, 1, 1)
    return [
        row(姓名=f"张{i}", 公民身份号码=make_id_number("110112", born, 100 + i, male=True))
        for i in range(n)
    ]


def _checked_in_parts(data: bytes, name: str, parts: int) -> RosterParse:
    readers = table_parts(data, name, parts)
    assert len(readers) == parts
    return merge_parts(
        [
            parse_part(read(), secret=SECRET, as_of=AS_OF, gazetteer=load_gazetteer())
            for read in readers
        ]
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_checked_in_parts_gives_the_rows_and_errors_of_the_whole_file(
    fmt: str, tmp_path: Path
) -> None:
    rows = _people(40)
    rows[5]["区"] = "海定区"  # a valid number on a row with an error: still a first occurrence
    rows[12]["公民身份号码"] = rows[12]["公民身份号码"][:-1] + "0"  # a wrong check digit
    rows[30]["公民身份号码"] = rows[3]["公民身份号码"]  # the same person in another part
    rows[33] = dict(rows[3], 户籍性质="城镇")  # … and once more, with an error of its own
    rows[36]["公民身份号码"] = rows[5]["公民身份号码"]  # the person of the row in error
    rows[38]["公民身份号码"] = rows[31]["公民身份号码"]  # twice inside the last part
    path = tmp_path / f"名册.{fmt}"
    (write_csv if fmt == "csv" else write_xlsx)(path, rows)
    whole = parse_file(path)
    repeated = [e.row for e in whole.errors if "为同一人" in e.message]
    assert repeated == [32, 35, 38, 40]
    for parts in (2, 3):
        checked = _checked_in_parts(path.read_bytes(), path.name, parts)
        assert checked.errors == whole.errors
        assert checked.rows == whole.rows
        assert checked.values == whole.values


def test_parts_without_their_values_still_say_which_rows_are_valid(tmp_path: Path) -> None:
    rows = _people(20)
    rows[15]["公民身份号码"] = rows[2]["公民身份号码"]
    data = write_csv(tmp_path / "名册.csv", rows).read_bytes()
    parts = [
        parse_part(read(), secret=SECRET, as_of=AS_OF, gazetteer=load_gazetteer())
        for read in table_parts(data, "名册.csv", 2)
    ]
    checked = merge_parts([p.without_values() for p in parts])
    assert checked.values == []
    assert checked.rows == [r for r in range(2, 22) if r != 17]
    assert [e.row for e in checked.errors] == [17]


def test_row_texts_are_each_rows_json_whatever_the_cells_hold() -> None:
    rows: list[tuple[object, ...]] = [
        ("a1", "张三", dt.date(1980, 1, 2), ("厨师", 'x"e],["'), None, 3, True),
        ("b2", "e],[", dt.date(1990, 3, 4), (), "村", None, False),  # JSON "e],[" as a row's end
        ("c3", "李四", dt.date(2000, 5, 6), ("e]",), "", 0, False),
    ]
    assert row_texts(rows) == [orjson.dumps(r) for r in rows]
    assert row_texts(rows[::2]) == [orjson.dumps(r) for r in rows[::2]]
    assert row_texts(rows[2:]) == [orjson.dumps(rows[2])]
    odd: list[tuple[object, ...]] = [("a", 1), ("b", None)]  # not ending with a boolean
    assert row_texts(odd) == [orjson.dumps(r) for r in odd]
    assert row_texts([]) == []
