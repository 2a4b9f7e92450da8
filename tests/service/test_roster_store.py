"""The roster in the real Redis: all-or-nothing imports, re-imports, actions and history."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
import redis
from openpyxl import load_workbook

from features.eligibility import AgeLimits
from features.gazetteer import load_gazetteer
from features.idcard import laborer_id, make_id_number
from features.tiers import load_tier_rules
from service.forked import Child, can_fork
from service.roster_store import (
    RosterError,
    RosterStore,
    _patient,
    _transaction,
    import_roster_file,
    profile_json,
)
from tests.features.roster_rows import (
    HEADERS,
    LI,
    WANG,
    ZHANG,
    row,
    three_people,
    write_csv,
    write_xlsx,
)

AS_OF = dt.date(2026, 11, 1)
SECRET = "test-secret"
RULES = load_tier_rules()
LIMITS = AgeLimits()


@pytest.fixture
def roster(store: redis.Redis) -> RosterStore:
    return RosterStore(store, secret=SECRET)


def load(  # type: ignore[no-untyped-def]
    roster: RosterStore,
    path: Path,
    *,
    keep_valid: bool = False,
    as_of: dt.date = AS_OF,
    parallel: bool | None = None,
):
    return import_roster_file(
        roster,
        path.read_bytes(),
        path.name,
        as_of=as_of,
        limits=LIMITS,
        rules=RULES,
        gazetteer=load_gazetteer(),
        keep_valid=keep_valid,
        parallel=parallel,
    )


def lid(number: str) -> str:
    return laborer_id(number, SECRET)


def test_an_import_creates_everyone_with_tier_status_and_a_first_history_entry(
    roster: RosterStore, tmp_path: Path
) -> None:
    outcome = load(roster, write_xlsx(tmp_path / "名册.xlsx", three_people()))
    assert outcome.written
    assert (outcome.summary.created, outcome.summary.updated, outcome.summary.rejected) == (3, 0, 0)
    assert outcome.flagged == {"暂无就业意愿": 1}
    zhang = roster.get(lid(ZHANG))
    assert zhang is not None
    assert zhang.laborer.name == "张建国"
    assert zhang.status == "待登记"
    assert zhang.tier in ("general", "key", "special")
    assert zhang.tier_reasons
    assert zhang.history_len == 1
    (entry,) = roster.history(lid(ZHANG))
    assert entry["action"] == "import"
    assert entry["day"] == "2026-11-01"
    assert roster.get(lid(LI)).status == "暂无就业意愿"  # type: ignore[union-attr]
    assert roster.version() == 1


def test_a_file_with_one_bad_row_writes_nothing(roster: RosterStore, tmp_path: Path) -> None:
    rows = [*three_people(), row(姓名="赵六", 公民身份号码="110112197803090000")]
    outcome = load(roster, write_csv(tmp_path / "r.csv", rows, encoding="gbk"))
    assert not outcome.written
    assert outcome.summary.rejected == 1
    assert [e.row for e in outcome.errors] == [5]
    assert roster.load_all() == []
    assert roster.version() == 0
    assert roster.redis.keys("rg:roster:*") == []


def test_keep_valid_writes_the_valid_rows_and_reports_the_rest(
    roster: RosterStore, tmp_path: Path
) -> None:
    rows = [*three_people(), row(姓名="赵六", 公民身份号码="110112197803090000")]
    outcome = load(roster, write_csv(tmp_path / "r.csv", rows), keep_valid=True)
    assert outcome.written
    assert (outcome.summary.created, outcome.summary.rejected) == (3, 1)
    assert len(outcome.errors) == 1
    assert {r.laborer.name for r in roster.load_all()} == {"张建国", "李秀英", "王强"}


def test_a_reimport_changing_one_field_updates_one_and_records_the_change(
    roster: RosterStore, tmp_path: Path
) -> None:
    load(roster, write_csv(tmp_path / "a.csv", three_people()))
    changed = three_people()
    changed[2]["村(社区)"] = "高米店村"
    outcome = load(roster, write_csv(tmp_path / "b.csv", changed, encoding="utf-8-sig"))
    assert (outcome.summary.created, outcome.summary.updated, outcome.summary.unchanged) == (
        0,
        1,
        2,
    )
    wang = roster.get(lid(WANG))
    assert wang is not None
    assert wang.laborer.village == "高米店村"
    assert wang.history_len == 2
    first, second = roster.history(lid(WANG))
    assert first["action"] == "import"
    assert second["action"] == "reimport"
    assert second["changes"] == ["村(社区)"]
    assert len(roster.history(lid(ZHANG))) == 1
    assert roster.version() == 2
    again = load(roster, write_csv(tmp_path / "b.csv", changed))
    assert (again.summary.updated, again.summary.unchanged) == (0, 3)
    assert roster.version() == 2


def test_a_reimport_keeps_what_an_action_recorded_unless_the_file_changed_that_field(
    roster: RosterStore, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "a.csv", three_people())
    load(roster, path)
    roster.record_status_change(
        lid(ZHANG), status="已就业", reason="经推荐录用", actor="counselor", day=AS_OF, rules=RULES
    )
    changed = three_people()
    changed[0]["技能特长"] = "电焊、叉车"
    outcome = load(roster, write_csv(tmp_path / "b.csv", changed))
    assert outcome.summary.updated == 1
    zhang = roster.get(lid(ZHANG))
    assert zhang is not None
    assert zhang.laborer.employment == "已就业"
    assert zhang.laborer.skills == ("电焊", "叉车")
    changed[0]["就业状况"] = "务农"
    load(roster, write_csv(tmp_path / "c.csv", changed))
    assert roster.get(lid(ZHANG)).laborer.employment == "务农"  # type: ignore[union-attr]


def test_the_actions_each_keep_a_dated_entry_and_change_the_current_state(
    roster: RosterStore, tmp_path: Path
) -> None:
    load(roster, write_csv(tmp_path / "a.csv", three_people()))
    zhang = lid(ZHANG)
    day = dt.date(2026, 11, 5)
    rec = roster.record_registration(
        zhang, kind="转移就业登记", certificate="TZ2026-001", day=day, actor="c1", rules=RULES
    )
    assert (rec.laborer.registration, rec.status) == ("转移就业登记", "已登记")
    rec = roster.set_difficulty(
        zhang, confirmed=True, reason="大龄、长期失业", day=day, actor="d1", rules=RULES
    )
    assert rec.laborer.difficulty
    assert rec.tier in ("key", "special")
    rec = roster.override_tier(
        zhang, tier="special", reason="家庭突发变故", actor="c1", day=day, rules=RULES
    )
    assert (rec.tier, rec.tier_override, rec.tier_override_reason) == (
        "special",
        "special",
        "家庭突发变故",
    )
    rec = roster.record_status_change(
        zhang, status="已就业", reason="入职物业", actor="c1", day=day, rules=RULES
    )
    assert (rec.laborer.employment, rec.status) == ("已就业", "已就业")
    rec = roster.override_tier(zhang, tier=None, reason="", actor="c1", day=day, rules=RULES)
    assert rec.tier == rec.computed_tier
    actions = [e["action"] for e in roster.history(zhang)]
    assert actions == [
        "import",
        "registration",
        "difficulty_confirmed",
        "tier_override",
        "status",
        "tier_override",
    ]
    assert all(e["day"] == "2026-11-05" for e in roster.history(zhang)[1:])
    assert roster.get(zhang).history_len == 6  # type: ignore[union-attr]
    assert roster.version() == 6


def test_the_signed_confirmation_is_recorded_only_for_people_without_a_wish(
    roster: RosterStore, tmp_path: Path
) -> None:
    load(roster, write_csv(tmp_path / "a.csv", three_people()))
    li = roster.get(lid(LI))
    assert li is not None
    assert profile_json(li, AS_OF, LIMITS)["confirmation_pending"] is True
    rec = roster.record_confirmation_collected(lid(LI), day=AS_OF, actor="c1", rules=RULES)
    assert profile_json(rec, AS_OF, LIMITS)["confirmation_pending"] is False
    with pytest.raises(RosterError, match="有就业意愿"):
        roster.record_confirmation_collected(lid(ZHANG), day=AS_OF, actor="c1", rules=RULES)


def test_bad_actions_are_refused_and_change_nothing(roster: RosterStore, tmp_path: Path) -> None:
    load(roster, write_csv(tmp_path / "a.csv", three_people()))
    before = roster.version()
    with pytest.raises(RosterError, match="没有此人"):
        roster.set_difficulty(
            "0" * 16, confirmed=True, reason="x", day=AS_OF, actor="d", rules=RULES
        )
    with pytest.raises(RosterError, match="原因"):
        roster.override_tier(lid(ZHANG), tier="key", reason=" ", actor="c", day=AS_OF, rules=RULES)
    with pytest.raises(RosterError, match="状态"):
        roster.record_status_change(
            lid(ZHANG), status="退休", reason="", actor="c", day=AS_OF, rules=RULES
        )
    assert roster.version() == before
    assert len(roster.history(lid(ZHANG))) == 1


def test_a_move_or_loss_of_work_ability_stops_pushes(roster: RosterStore, tmp_path: Path) -> None:
    load(roster, write_csv(tmp_path / "a.csv", three_people()))
    rec = roster.record_status_change(
        lid(WANG), status="迁出", reason="迁至外省", actor="c", day=AS_OF, rules=RULES
    )
    profile = profile_json(rec, AS_OF, LIMITS)
    assert profile["no_push_reason"] == "已迁出"
    assert rec.status == "不纳入帮扶"


def test_search_by_place_tier_status_and_name_prefix_follows_changes(
    roster: RosterStore, tmp_path: Path
) -> None:
    load(roster, write_csv(tmp_path / "a.csv", three_people()))
    names = lambda records: sorted(r.laborer.name for r in records)  # noqa: E731
    assert names(roster.search(district="通州区")) == ["张建国", "李秀英"]
    assert names(roster.search(township="110115113000")) == ["王强"]
    assert names(roster.search(township="110112117000", village="东张各庄村")) == [
        "张建国",
        "李秀英",
    ]
    assert names(roster.search(status="暂无就业意愿")) == ["李秀英"]
    assert names(roster.search(q="张")) == ["张建国"]
    assert names(roster.search(q=ZHANG)) == ["张建国"]
    assert names(roster.search(q=lid(WANG))) == ["王强"]
    assert len(roster.search(limit=2)) == 2
    assert len(roster.search(limit=2, offset=2)) == 1
    roster.record_status_change(
        lid(ZHANG), status="已就业", reason="", actor="c", day=AS_OF, rules=RULES
    )
    assert names(roster.search(status="已就业")) == ["张建国"]
    assert names(roster.search(status="待登记")) == ["王强"]
    tier = roster.override_tier(
        lid(WANG), tier="special", reason="重病", actor="c", day=AS_OF, rules=RULES
    )
    assert names(roster.search(tier="special", district="大兴区")) == ["王强"]
    assert tier.tier == "special"
    changed = three_people()
    changed[0]["姓名"] = "章建国"
    load(roster, write_csv(tmp_path / "b.csv", changed))
    assert roster.search(q="张") == []
    assert names(roster.search(q="章建")) == ["章建国"]


def test_load_all_returns_everyone_and_refreshes_after_a_change(
    roster: RosterStore, tmp_path: Path
) -> None:
    load(roster, write_csv(tmp_path / "a.csv", three_people()))
    first = roster.load_all()
    assert len(first) == 3
    assert roster.load_all() is first  # cached on the version
    roster.set_difficulty(lid(LI), confirmed=True, reason="认定", day=AS_OF, actor="d", rules=RULES)
    again = roster.load_all()
    assert again is not first
    assert next(r for r in again if r.laborer.laborer_id == lid(LI)).laborer.difficulty
    # the two people who did not change are reused, not parsed again
    unchanged = {r.laborer.laborer_id: r for r in first if r.laborer.laborer_id != lid(LI)}
    assert all(
        unchanged[r.laborer.laborer_id] is r for r in again if r.laborer.laborer_id in unchanged
    )
    assert [r.laborer.laborer_id for r in again] == sorted(r.laborer.laborer_id for r in again)


def test_a_second_store_with_another_prefix_does_not_see_the_first(
    store: redis.Redis, tmp_path: Path
) -> None:
    load(RosterStore(store, secret=SECRET), write_csv(tmp_path / "a.csv", three_people()))
    assert RosterStore(store, prefix="other", secret=SECRET).load_all() == []


def test_the_profile_masks_the_id_number_and_phone_unless_asked(
    roster: RosterStore, tmp_path: Path
) -> None:
    load(roster, write_csv(tmp_path / "a.csv", three_people()))
    rec = roster.get(lid(ZHANG))
    assert rec is not None
    masked = profile_json(rec, AS_OF, LIMITS)
    assert ZHANG not in str(masked)
    assert "13800138000" not in str(masked)
    assert masked["id_number"] == ZHANG[:6] + "********" + ZHANG[-4:]
    assert profile_json(rec, AS_OF, LIMITS, full_id=True)["id_number"] == ZHANG
    assert masked["age"] == 48
    assert masked["working_age"] is True


def test_a_roster_stored_by_an_earlier_version_keeps_its_history_and_digests(
    roster: RosterStore, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "r.csv", three_people())
    load(roster, path)
    # Rewrite the store as earlier versions kept it: the digest of the imported row in its own
    # hash, one history list per person, records without the digest and the event id.
    r = roster.redis
    for raw_lid, raw in r.hgetall(roster.people_key).items():
        record = orjson.loads(raw)
        digest, event = record.pop("g"), record.pop("e")
        r.hset(roster.src_key, raw_lid, digest)
        r.rpush(roster.history_key(raw_lid.decode()), r.hget(roster.events_key, event))
        r.hset(roster.people_key, raw_lid, orjson.dumps(record))
    r.delete(roster.events_key, *r.keys("rg:roster:idx:townships:*"))
    r.delete(*r.keys("rg:roster:idx:surname:*"))  # names were a sorted set of name\0laborer_id
    for person in three_people():
        r.zadd(roster.names_key, {f"{person['姓名']}\0{lid(person['公民身份号码'])}": 0})
    assert [e["action"] for e in roster.history(lid(ZHANG))] == ["import"]
    assert [p.laborer.name for p in roster.search(q="张建")] == ["张建国"]
    # A district search works on such a roster: the district's townships are found again.
    found = roster.search(district="通州区")
    assert {p.laborer.laborer_id for p in found} == {lid(ZHANG), lid(LI)}

    again = load(roster, path)
    assert (again.summary.created, again.summary.updated, again.summary.unchanged) == (0, 0, 3)
    roster.record_status_change(
        lid(ZHANG), status="已就业", reason="本地企业录用", actor="counselor", day=AS_OF
    )
    assert [e["action"] for e in roster.history(lid(ZHANG))] == ["import", "status"]
    assert roster.get(lid(ZHANG)).history_len == 2  # type: ignore[union-attr]
    renamed = three_people()
    renamed[0]["姓名"] = "章建国"
    load(roster, write_csv(tmp_path / "renamed.csv", renamed))
    assert roster.search(q="张") == []  # the sorted set of earlier versions lost the old name
    assert [p.laborer.name for p in roster.search(q="章建")] == ["章建国"]
    assert [p.laborer.name for p in roster.search(q="李秀")] == ["李秀英"]  # still found there


def test_a_packed_transaction_writes_every_command_with_long_argument_lists(
    store: redis.Redis,
) -> None:
    members = [f"成员{i}" for i in range(50_000)]
    with store.pipeline() as pipe:
        pipe.watch("t:version")
        _transaction(
            pipe.connection,
            [
                ["SADD", "t:set", *members],
                ["HSET", "t:hash", "键", b"\x00\r\n"],
                ["INCR", "t:version"],
            ],
        )
    assert store.scard("t:set") == 50_000
    assert store.sismember("t:set", "成员49999")
    assert store.hget("t:hash", "键") == b"\x00\r\n"
    assert store.get("t:version") == b"1"


def test_a_packed_transaction_writes_nothing_when_the_watched_version_moved(
    store: redis.Redis,
) -> None:
    with store.pipeline() as pipe:
        pipe.watch("t:version")
        store.incr("t:version")  # another writer, between the read and the write
        with pytest.raises(redis.WatchError):
            _transaction(pipe.connection, [["SADD", "t:set", "a"], ["INCR", "t:version"]])
    assert store.exists("t:set") == 0
    assert store.get("t:version") == b"1"


def test_a_packed_transaction_with_a_malformed_command_writes_nothing_and_says_why(
    store: redis.Redis,
) -> None:
    with store.pipeline() as pipe:
        pipe.watch("t:version")
        with pytest.raises(redis.ResponseError, match=r"(?i)wrong number of arguments"):
            _transaction(pipe.connection, [["SADD", "t:set", "a"], ["SADD", "t:set"]])
        pipe.connection.send_command("PING")  # the connection is still in step with the server
        assert pipe.connection.read_response() in (b"PONG", "PONG")
    assert store.exists("t:set") == 0


def test_a_packed_transaction_raises_the_error_a_command_meets_when_run(
    store: redis.Redis,
) -> None:
    store.set("t:string", "x")
    with store.pipeline() as pipe:
        pipe.watch("t:version")
        with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
            _transaction(pipe.connection, [["SADD", "t:string", "a"], ["INCR", "t:version"]])


def _many(n: int) -> list[dict[str, str]]:
    """``n`` people with numbers of their own (400 a birth day from 5 May 1975 on)."""
    people = [
        row(
            姓名=f"李{i}",
            公民身份号码=make_id_number(
                "110112",
                dt.date(1975, 5, 5) + dt.timedelta(days=i // 400),
                100 + i % 400,
                male=i % 2 == 0,
            ),
        )
        for i in range(n)
    ]
    for i, p in enumerate(people):
        p["性别"] = "男" if i % 2 == 0 else "女"
        if i % 3 == 0:
            p.update({"区": "大兴区", "乡镇(街道)": "黄村镇", "村(社区)": f"第{i % 4}村"})
    return people


def _stored(roster: RosterStore) -> list[tuple[str, Any]]:
    """Every person's record as stored, without the import's event id and time."""
    out = []
    for key, raw in roster.redis.hgetall(roster.people_key).items():
        record = orjson.loads(raw)
        record.pop("e")
        out.append((key.decode(), record))
    return sorted(out)


def _everything(roster: RosterStore) -> dict[str, Any]:
    """What imports leave in Redis, without event ids and times: records, each person's
    history, the index sets and the version."""
    r = roster.redis
    people = [key for key, _ in _stored(roster)]
    histories = {
        person: [{k: v for k, v in e.items() if k != "at"} for e in roster.history(person)]
        for person in people
    }
    indexes = {
        key.decode(): sorted(r.smembers(key))  # type: ignore[union-attr]
        for key in r.keys(f"{roster.prefix}:roster:idx:*")
    }
    return {
        "records": _stored(roster),
        "histories": histories,
        "indexes": indexes,
        "version": roster.version(),
    }


def _each_way(roster: RosterStore, steps: Any) -> list[tuple[Any, dict[str, Any]]]:
    """The same ``steps`` (each given ``parallel``, giving an outcome) on an empty roster, in one
    part and then in parts: the last outcome and what Redis holds, for each way."""
    done = []
    for parallel in (False, True):
        roster.redis.flushdb()
        outcome = None
        for step in steps:
            outcome = step(parallel)
        done.append((outcome, _everything(roster)))
    return done


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_read_in_two_processes_imports_exactly_as_in_one(
    fmt: str, roster: RosterStore, tmp_path: Path
) -> None:
    people = _many(60)
    people[7]["健康状况"] = "不详"  # an error in the first part
    people[52]["户籍性质"] = "城镇"  # and one in the second
    path = tmp_path / f"名册.{fmt}"
    (write_csv if fmt == "csv" else write_xlsx)(path, people)
    (one, in_one), (parts, in_parts) = _each_way(
        roster, [lambda parallel: load(roster, path, keep_valid=True, parallel=parallel)]
    )
    assert (one.parts, parts.parts) == (1, 2)
    assert one == parts
    assert one.summary.created == 58
    assert [e.row for e in one.errors] == [9, 54]
    assert in_one == in_parts
    assert len(roster.search(q="李1", limit=100)) == 11  # 李1, 李10 … 李19


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_reimport_in_two_processes_updates_people_of_both_parts_exactly_as_in_one(
    fmt: str, roster: RosterStore, tmp_path: Path
) -> None:
    write = write_csv if fmt == "csv" else write_xlsx
    people = _many(60)
    first, second = write(tmp_path / f"a.{fmt}", people), tmp_path / f"b.{fmt}"
    changed = [dict(p) for p in _many(64)]  # four new people at the end
    changed[3]["技能特长"] = "叉车"  # first part
    changed[40]["文化程度"] = "大专"  # second part
    changed[45].update({"区": "大兴区", "乡镇(街道)": "黄村镇", "村(社区)": "第9村"})  # moves
    changed[50]["姓名"] = "王五十"  # renamed: leaves the surname set of 李
    changed[55]["健康状况"] = "不详"  # a bad row, left out with keep_valid
    hired = lid(people[42]["公民身份号码"])

    def counselor_acts(parallel: bool) -> None:
        roster.record_status_change(
            hired, status="已就业", reason="本地企业录用", actor="乡镇", day=AS_OF
        )

    changed[42]["技能特长"] = "厨师"  # the file changes the hired person too
    write(second, changed)
    steps = [
        lambda parallel: load(roster, first, parallel=parallel),
        counselor_acts,
        lambda parallel: load(roster, second, keep_valid=True, parallel=parallel),
    ]
    (one, in_one), (parts, in_parts) = _each_way(roster, steps)
    assert (one.parts, parts.parts) == (1, 2)
    assert one == parts
    assert (one.summary.created, one.summary.updated, one.summary.unchanged) == (4, 5, 54)
    assert [e.row for e in one.errors] == [57]
    assert in_one == in_parts
    person = roster.get(hired)
    assert person is not None
    assert person.laborer.employment == "已就业"  # what the action recorded stays
    assert person.laborer.skills == ("厨师",)
    assert [e["action"] for e in roster.history(hired)] == ["import", "status", "reimport"]
    assert [p.laborer.name for p in roster.search(q="王五")] == ["王五十"]


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
@pytest.mark.parametrize("keep_valid", [False, True])
def test_the_same_person_in_both_parts_is_an_error_on_the_later_row_as_in_one_part(
    keep_valid: bool, roster: RosterStore, tmp_path: Path
) -> None:
    people = _many(60)
    people[50]["公民身份号码"] = people[10]["公民身份号码"]
    path = write_csv(tmp_path / "名册.csv", people)
    (one, in_one), (parts, in_parts) = _each_way(
        roster, [lambda parallel: load(roster, path, keep_valid=keep_valid, parallel=parallel)]
    )
    assert one == parts
    assert [e.row for e in one.errors] == [52]
    assert in_one == in_parts
    if keep_valid:  # the later row must leave the worker's writes: the file is read again
        assert parts.parts == 1
        assert one.summary.created == 59
        assert roster.get(lid(people[10]["公民身份号码"])).laborer.name == "李10"  # type: ignore[union-attr]
    else:  # refused: nothing to write, the parts' check is the answer
        assert parts.parts == 2
        assert not one.written
        assert in_one["records"] == []


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
def test_a_worker_looks_up_through_a_connection_of_its_own_under_the_parents_watch(
    roster: RosterStore,
) -> None:
    client = _patient(roster.redis)
    try:
        with client.pipeline() as pipe:
            pipe.watch("t:version")
            parent_id = pipe.client_id()
            # The child is given the same client: its pool sees another pid and connects anew.
            child_id = Child(lambda: (client.client_id(), client.incr("t:version"))[0]).result()
            assert child_id != parent_id
            pipe.multi()
            pipe.set("t:written", "1")
            with pytest.raises(redis.WatchError):  # the child's write is another client's
                pipe.execute()
            pipe.watch("t:version")  # the parent's connection is still open and in step
            assert pipe.client_id() == parent_id
    finally:
        client.connection_pool.disconnect()
    assert roster.redis.get("t:written") is None


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
def test_a_reimport_read_in_two_processes_updates_the_changed_person(
    roster: RosterStore, tmp_path: Path
) -> None:
    people = _many(40)
    path = write_csv(tmp_path / "名册.csv", people)
    first = load(roster, path, parallel=True)
    assert first.summary.created == 40
    assert first.parts == 2
    roster.record_status_change(
        lid(people[35]["公民身份号码"]), status="已就业", reason="找到工作", actor="乡镇", day=AS_OF
    )
    people[35]["技能特长"] = "叉车"
    people[36]["文化程度"] = "大专"
    people += _many(44)[40:]  # four new people in the second part
    write_csv(path, people)
    again = load(roster, path, parallel=True)
    assert (again.summary.created, again.summary.updated, again.summary.unchanged) == (4, 2, 38)
    assert again.parts == 2
    named = {orjson.loads(r)["e"] for r in roster.redis.hvals(roster.people_key)}
    assert {e.decode() for e in roster.redis.hkeys(roster.events_key)} == named  # none unused
    changed = roster.get(lid(people[35]["公民身份号码"]))
    assert changed is not None
    assert changed.laborer.skills == ("叉车",)
    assert changed.laborer.employment == "已就业"  # what the action recorded stays
    assert changed.laborer.birth_date == dt.date(1975, 5, 5)
    assert roster.get(lid(people[36]["公民身份号码"])).laborer.education == "大专"  # type: ignore[union-attr]


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
def test_an_error_in_the_second_part_writes_nothing_of_the_first(
    roster: RosterStore, tmp_path: Path
) -> None:
    people = _many(40)
    people[38]["户籍性质"] = "城镇"
    outcome = load(roster, write_csv(tmp_path / "名册.csv", people), parallel=True)
    assert outcome.parts == 2
    assert not outcome.written
    assert [e.row for e in outcome.errors] == [40]
    assert roster.redis.hlen(roster.people_key) == 0
    assert roster.version() == 0


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
@pytest.mark.parametrize("bad", [[7], [52], [7, 52]], ids=["first", "second", "both"])
def test_a_file_refused_by_either_part_says_what_one_part_says_and_writes_nothing(
    bad: list[int], roster: RosterStore, tmp_path: Path
) -> None:
    people = _many(60)
    for i in bad:
        people[i]["健康状况"] = "不详"
    path = write_csv(tmp_path / "名册.csv", people)
    (one, in_one), (parts, in_parts) = _each_way(
        roster, [lambda parallel: load(roster, path, parallel=parallel)]
    )
    assert (one.parts, parts.parts) == (1, 2)
    assert one == parts
    assert not parts.written
    assert [e.row for e in parts.errors] == [i + 2 for i in bad]
    assert in_parts == in_one
    assert in_parts["records"] == []


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
@pytest.mark.parametrize("part", ["first", "second"])
def test_a_change_to_the_roster_while_the_parts_are_read_is_kept_and_the_import_redone(
    part: str, roster: RosterStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = three_people()
    load(roster, write_csv(tmp_path / "a.csv", first))
    first[0]["技能特长"] = "叉车"  # the file changes 张建国, planned on his record as it was
    people = first + _many(40) if part == "first" else _many(40) + first
    taken = Child.result

    def result_after_a_counselor_acts(child: Child[Any]) -> Any:
        roster.record_status_change(  # on another connection, after the fork and the WATCH
            lid(ZHANG), status="已就业", reason="本地企业录用", actor="counselor", day=AS_OF
        )
        return taken(child)

    monkeypatch.setattr(Child, "result", result_after_a_counselor_acts)
    outcome = load(roster, write_csv(tmp_path / "b.csv", people), parallel=True)
    assert outcome.parts == 1  # the EXEC of the parts failed: the file was read again
    assert (outcome.summary.created, outcome.summary.updated, outcome.summary.unchanged) == (
        40,
        1,
        2,
    )
    zhang = roster.get(lid(ZHANG))
    assert zhang is not None
    assert zhang.laborer.skills == ("叉车",)
    assert zhang.laborer.employment == "已就业"  # planned again on the record the action left
    assert [e["action"] for e in roster.history(lid(ZHANG))] == ["import", "status", "reimport"]
    assert roster.redis.hlen(roster.people_key) == 43
    assert roster.version() == 3  # the first import, the action, the import redone: no more


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
def test_a_worker_that_dies_leaves_the_file_to_be_read_in_one_part(
    roster: RosterStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = Child.__init__

    def a_worker_that_dies(child: Child[Any], work: Any) -> None:
        start(child, lambda: os._exit(3))  # the worker process ends without a word

    monkeypatch.setattr(Child, "__init__", a_worker_that_dies)
    outcome = load(roster, write_csv(tmp_path / "名册.csv", _many(40)), parallel=True)
    assert outcome.parts == 1
    assert outcome.written
    assert roster.redis.hlen(roster.people_key) == 40


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
def test_an_xlsx_whose_second_part_holds_a_cell_only_calamine_reads_is_read_in_one_part(
    roster: RosterStore, tmp_path: Path
) -> None:
    people = _many(40)
    people[36]["接受外出住宿"] = "否"
    headers = [*HEADERS, "接受外出住宿"]
    path = write_xlsx(tmp_path / "名册.xlsx", people, headers=headers)
    book = load_workbook(path)
    book.active.cell(row=38, column=len(headers), value=True)  # a ticked box, in the second part
    book.save(path)
    outcome = load(roster, path, parallel=True)
    assert outcome.parts == 1
    assert outcome.written
    assert outcome.summary.created == 40
    ticked = roster.get(lid(people[36]["公民身份号码"]))
    assert ticked is not None
    assert ticked.laborer.accepts_lodging  # calamine's True, read as 是


@pytest.mark.skipif(not can_fork(), reason="needs os.fork and a single thread")
def test_by_default_only_a_large_file_is_read_in_two_parts(
    roster: RosterStore, tmp_path: Path
) -> None:
    small = write_csv(tmp_path / "small.csv", _many(40))
    large = write_csv(tmp_path / "large.csv", _many(7000))
    assert large.stat().st_size >= 1 << 20 > small.stat().st_size
    assert load(roster, small).parts == 1
    outcome = load(roster, large)
    assert outcome.parts == 2
    assert (outcome.summary.created, outcome.summary.unchanged) == (6960, 40)
