"""The synthetic Beijing: reproducible, valid for the imports, and in the stated proportions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from catalogue.agreements import parse_agreements
from catalogue.credit_code import is_valid_credit_code
from catalogue.upload import parse_posts
from evaluation import synth, synth_people, synth_posts
from evaluation.synth import (
    POST_HEADERS,
    ROSTER_HEADERS,
    World,
    generate_world,
    parse_world,
    write_rows_csv,
    write_rows_xlsx,
    write_world,
)
from features.eligibility import AgeLimits
from features.gazetteer import OUTER_DISTRICTS, load_gazetteer
from features.idcard import parse_id_number
from features.roster import parse_roster
from features.tabular import read_table

TODAY = dt.date(2026, 11, 1)


def _age(birth: dt.date) -> int:
    return TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day))


@pytest.fixture(scope="module")
def world() -> World:
    """A world big enough for proportions, made once for the module."""
    return generate_world(seed=7, people=6000, today=TODAY)


def test_the_same_seed_gives_the_same_world_and_another_seed_another() -> None:
    a = generate_world(seed=11, people=300, today=TODAY)
    b = generate_world(seed=11, people=300, today=TODAY)
    c = generate_world(seed=12, people=300, today=TODAY)
    assert a == b
    assert a.roster_rows != c.roster_rows
    assert a.all_post_rows != c.all_post_rows


def test_changing_the_number_of_posts_leaves_the_people_alone() -> None:
    a = generate_world(seed=3, people=200, posts=50, today=TODAY)
    b = generate_world(seed=3, people=200, posts=80, today=TODAY)
    assert a.roster_rows == b.roster_rows
    assert len(b.all_post_rows) == 80


def test_rows_carry_exactly_the_design_headers(world: World) -> None:
    assert all(tuple(row) == ROSTER_HEADERS for row in world.roster_rows)
    assert all(tuple(row) == POST_HEADERS for row in world.all_post_rows)


def test_id_numbers_are_valid_unique_and_agree_with_sex_and_district(world: World) -> None:
    gazetteer = load_gazetteer()
    numbers = [row["公民身份号码"] for row in world.roster_rows]
    assert len(set(numbers)) == len(numbers)
    for row in world.roster_rows:
        number, birth, sex = parse_id_number(row["公民身份号码"])
        assert sex == row["性别"]
        assert number[:6] == gazetteer.area(row["区"]).code[:6]
        assert birth <= TODAY


def test_every_roster_row_passes_the_roster_import(world: World) -> None:
    data = io.StringIO()
    writer = csv.DictWriter(data, fieldnames=ROSTER_HEADERS)
    writer.writeheader()
    writer.writerows(world.roster_rows)
    table = read_table(data.getvalue().encode("utf-8"), "roster.csv")
    parsed = parse_roster(
        table, secret="s", as_of=TODAY, limits=AgeLimits(), gazetteer=load_gazetteer()
    )
    assert parsed.errors == []
    assert len(parsed.laborers) == len(world.roster_rows)


def test_agreements_parse_and_every_employer_code_is_valid(world: World) -> None:
    agreements = parse_agreements(world.agreements, gazetteer=load_gazetteer())
    assert sorted(a.output_district for a in agreements) == sorted(OUTER_DISTRICTS)
    codes = [e.code for a in agreements for e in a.employers]
    assert codes
    assert all(is_valid_credit_code(c) for c in codes)
    assert len(set(codes)) == len(codes)


def test_every_post_row_passes_the_upload_of_its_uploader(world: World) -> None:
    gazetteer = load_gazetteer()
    agreements = parse_agreements(world.agreements, gazetteer=gazetteer)
    total = 0
    for uploader, rows in world.post_rows.items():
        data = io.StringIO()
        writer = csv.DictWriter(data, fieldnames=POST_HEADERS)
        writer.writeheader()
        writer.writerows(rows)
        table = read_table(data.getvalue().encode("utf-8"), f"{uploader}.csv")
        result = parse_posts(
            table, uploader=uploader, agreements=agreements, today=TODAY, gazetteer=gazetteer
        )
        assert result.errors == (), (uploader, result.errors[:3])
        total += len(result.posts)
    assert total == len(world.all_post_rows)


def test_people_spread_over_townships_in_proportion_to_rural_units(world: World) -> None:
    gazetteer = load_gazetteer()
    townships = [t for d in OUTER_DISTRICTS for t in gazetteer.townships_of(d)]
    units = sum(t.rural_units for t in townships)
    counts = Counter((row["区"], row["乡镇(街道)"]) for row in world.roster_rows)
    for t in townships:
        expected = t.rural_units / units * len(world.roster_rows)
        assert abs(counts[(t.district, t.name)] - expected) < 1, t.name


def test_age_sex_and_hukou_are_near_their_named_constants(world: World) -> None:
    rows = world.roster_rows
    n = len(rows)
    ages = [_age(parse_id_number(r["公民身份号码"])[1]) for r in rows]
    men = sum(r["性别"] == "男" for r in rows) / n
    assert abs(men - synth_people.MALE_SHARE) < 0.03
    mean_age = sum(ages) / n
    # The monitoring report's mean (43.1) and share over 50 (30.6%), within a few points.
    assert 40 <= mean_age <= 47
    assert abs(mean_age - synth_people.TARGET_MEAN_AGE) < 2.5
    over_50 = sum(a > 50 for a in ages) / n
    assert 0.25 <= over_50 <= 1 / 3
    assert abs(over_50 - synth_people.TARGET_SHARE_OVER_50) < 0.04
    agricultural = sum(r["户籍性质"] == "农业" for r in rows) / n
    assert abs(agricultural - synth_people.AGRICULTURAL_HUKOU_SHARE) < 0.02


def test_education_is_mostly_junior_middle_school(world: World) -> None:
    counts = Counter(r["文化程度"] for r in world.roster_rows)
    assert counts.most_common(1)[0][0] == "初中"
    assert counts["初中"] / len(world.roster_rows) > 0.45


def test_a_small_share_is_outside_working_age_or_excluded_and_each_path_appears(
    world: World,
) -> None:
    limits = AgeLimits()
    gazetteer = load_gazetteer()
    data = io.StringIO()
    writer = csv.DictWriter(data, fieldnames=ROSTER_HEADERS)
    writer.writeheader()
    writer.writerows(world.roster_rows)
    table = read_table(data.getvalue().encode("utf-8"), "roster.csv")
    laborers = parse_roster(
        table, secret="s", as_of=TODAY, limits=limits, gazetteer=gazetteer
    ).laborers
    from features.eligibility import no_push_reason

    reasons = Counter(no_push_reason(p, TODAY, limits) for p in laborers)
    n = len(laborers)
    outside = (reasons["未到劳动年龄"] + reasons["超过劳动年龄"]) / n
    assert 0.01 < outside < 0.12
    for reason in ("未到劳动年龄", "超过劳动年龄", "在校学生", "已就业", "暂无就业意愿"):
        assert reasons[reason] > 0, reason
    seeking = reasons[None] / n
    assert 0.25 < seeking < 0.6
    exclusions = Counter(r["人员身份"] for r in world.roster_rows)
    assert set(exclusions) == {"无", *synth_people.EXCLUSIONS_USED}
    assert exclusions["无"] / n > 0.9


def test_difficulty_persons_and_registration_paths_all_appear(world: World) -> None:
    rows = world.roster_rows
    assert Counter(r["就业困难人员"] for r in rows)["是"] > 0.05 * len(rows)
    assert {r["登记情况"] for r in rows} == {"转移就业登记", "失业登记", "未登记"}
    assert {r["就业状况"] for r in rows} == {"已就业", "务农", "无业"}


def test_phones_are_the_fake_139_range_or_blank(world: World) -> None:
    phones = [r["联系电话"] for r in world.roster_rows]
    assert all(p == "" or (len(p) == 11 and p.startswith("139") and p.isdigit()) for p in phones)


def test_posts_come_in_every_kind_with_mostly_small_headcounts(world: World) -> None:
    rows = world.all_post_rows
    kinds = Counter(r["岗位类型"] for r in rows)
    assert set(kinds) == {k for k, _ in synth_posts.POST_KINDS_SHARE}
    small = sum(1 <= int(r["招聘人数"]) <= 5 for r in rows) / len(rows)
    assert small > 0.8
    assert any(int(r["招聘人数"]) > 5 for r in rows)


def test_public_welfare_posts_are_safety_net_titles_for_their_own_townships(
    world: World,
) -> None:
    titles = {t for t, _ in synth_posts.PUBLIC_WELFARE_TITLES}
    for uploader, rows in world.post_rows.items():
        for r in rows:
            if r["岗位类型"] == "公益性岗位":
                assert uploader in OUTER_DISTRICTS
                assert r["岗位名称"] in titles
                assert r["工作乡镇(街道)"] in r["面向乡镇"].split("、")


def test_directed_posts_come_from_partners_and_their_agreed_employers(world: World) -> None:
    employers = {
        (p, e["name"]) for a in world.agreements for p in a["partners"] for e in a["employers"]
    }
    directed = [
        (u, r) for u, rows in world.post_rows.items() for r in rows if r["岗位类型"] == "定向招聘"
    ]
    assert directed
    for uploader, r in directed:
        assert uploader not in OUTER_DISTRICTS
        assert (uploader, r["用人单位"]) in employers


def test_titles_other_than_public_welfare_come_from_the_job_board_list(world: World) -> None:
    source = Path(synth.__file__).parent.parent / "features" / "data"
    with (source / "csco22_job_title_to_code.csv").open(encoding="utf-8") as handle:
        board = {r["job_name"].strip() for r in csv.DictReader(handle)}
    extra = set(synth_posts.HOME_TITLES_EXTRA)
    for r in world.all_post_rows:
        if r["岗位类型"] != "公益性岗位":
            assert r["岗位名称"] in board | extra, r["岗位名称"]


def test_csv_files_round_trip_in_utf8_and_gbk(tmp_path: Path, world: World) -> None:
    rows = world.roster_rows[:50]
    for encoding in ("utf-8-sig", "gbk"):
        path = write_rows_csv(rows, tmp_path / f"roster-{encoding}.csv", encoding=encoding)
        table = read_table(path.read_bytes(), path.name)
        assert table.headers == list(ROSTER_HEADERS)
        assert [dict(zip(table.headers, r, strict=True)) for r in table.rows] == rows


def test_every_row_of_the_world_can_be_saved_as_gbk(tmp_path: Path, world: World) -> None:
    # Districts save CSV from Excel as GBK: no character of the world may be outside it.
    write_rows_csv(world.roster_rows, tmp_path / "roster.csv", encoding="gbk")
    write_rows_csv(world.all_post_rows, tmp_path / "posts.csv", encoding="gbk")
    text = json.dumps(world.agreements, ensure_ascii=False)
    assert text.encode("gbk").decode("gbk") == text


def test_xlsx_files_round_trip_with_id_numbers_as_text(tmp_path: Path, world: World) -> None:
    rows = world.all_post_rows[:30]
    path = write_rows_xlsx(rows, tmp_path / "posts.xlsx")
    table = read_table(path.read_bytes(), path.name)
    assert [dict(zip(table.headers, r, strict=True)) for r in table.rows] == rows
    people = write_rows_xlsx(world.roster_rows[:5], tmp_path / "roster.xlsx")
    read = read_table(people.read_bytes(), people.name)
    assert [r[1] for r in read.rows] == [r["公民身份号码"] for r in world.roster_rows[:5]]


def test_write_world_writes_roster_posts_per_uploader_and_agreements(
    tmp_path: Path,
) -> None:
    small = generate_world(seed=5, people=100, today=TODAY)
    files = write_world(small, tmp_path)
    assert (tmp_path / "roster.csv").exists()
    assert set(files) == {"roster", "agreements", *small.post_rows}
    assert json.loads((tmp_path / "agreements.json").read_text(encoding="utf-8")) == (
        small.agreements
    )


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="people"):
        generate_world(people=-1)


def test_parse_world_gives_every_person_post_and_agreement_as_domain_values() -> None:
    small = generate_world(seed=21, people=250, today=TODAY)
    parsed = parse_world(small, secret="s")
    assert len(parsed.laborers) == 250
    assert len(parsed.posts) == len(small.all_post_rows)
    assert len(parsed.agreements) == len(OUTER_DISTRICTS)
    assert len({p.laborer_id for p in parsed.laborers}) == 250
    assert {p.kind for p in parsed.posts} == {k for k, _ in synth_posts.POST_KINDS_SHARE}
