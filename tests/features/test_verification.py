"""The §一(二) verification status of a person."""

from __future__ import annotations

import datetime as dt

from features.eligibility import AgeLimits, no_push_reason
from features.laborer import LABORER_FIELDS
from features.verification import STATUSES, StatusAssessor, verify
from tests.factories import make_laborer

DAY = dt.date(2026, 11, 1)
LIMITS = AgeLimits()


def test_an_unregistered_farmer_wanting_work_is_to_register_for_transfer_employment() -> None:
    v = verify(make_laborer(hukou="农业", employment="务农"), DAY, LIMITS)
    assert v.status == "待登记"
    assert v.registration_needed == "转移就业登记"
    assert v.difficulty_candidate
    assert not v.confirmation_pending


def test_a_non_agricultural_hukou_without_work_needs_unemployment_registration() -> None:
    v = verify(make_laborer(hukou="非农业", employment="无业"), DAY, LIMITS)
    assert (v.status, v.registration_needed) == ("待登记", "失业登记")


def test_a_confirmed_difficulty_person_is_no_longer_a_candidate() -> None:
    v = verify(make_laborer(difficulty=True), DAY, LIMITS)
    assert v.status == "待登记"
    assert not v.difficulty_candidate


def test_a_registered_person_keeps_the_registration() -> None:
    v = verify(make_laborer(registration="失业登记"), DAY, LIMITS)
    assert v.status == "已登记"
    assert v.registration_needed is None
    assert "保持登记" in v.note


def test_no_wish_to_work_waits_for_the_signed_confirmation_until_collected() -> None:
    person = make_laborer(wants_job=False)
    pending = verify(person, DAY, LIMITS)
    assert pending.status == "暂无就业意愿"
    assert pending.confirmation_pending
    assert pending.registration_needed is None
    done = verify(person, DAY, LIMITS, confirmation_collected=True)
    assert done.status == "暂无就业意愿"
    assert not done.confirmation_pending


def test_employed_excluded_and_out_of_age_people_get_their_own_status() -> None:
    assert verify(make_laborer(employment="已就业"), DAY, LIMITS).status == "已就业"
    excluded = verify(make_laborer(exclusion="在校学生"), DAY, LIMITS)
    assert (excluded.status, excluded.note) == ("不纳入帮扶", "在校学生")
    old = verify(make_laborer(age=61), DAY, LIMITS)
    assert (old.status, old.note) == ("非劳动年龄", "超过劳动年龄")
    assert not old.difficulty_candidate


def test_the_bulk_status_of_rows_agrees_with_verify_person_by_person() -> None:
    limits = AgeLimits()
    people = [
        make_laborer(
            birth_date=birth,
            male=male,
            exclusion=exclusion,
            employment=employment,
            registration=registration,
            wants_job=wants_job,
            hukou=hukou,
        )
        for birth in (
            dt.date(2010, 11, 2),
            dt.date(2010, 11, 1),
            dt.date(1976, 11, 2),
            dt.date(1966, 1, 5),
        )
        for male in (True, False)
        for exclusion in (None, "在校学生", "本年度高校毕业生")
        for employment in ("已就业", "务农", "无业")
        for registration in ("未登记", "失业登记")
        for wants_job in (True, False)
        for hukou in ("农业", "非农业")
    ]
    rows = [tuple(getattr(p, name) for name in LABORER_FIELDS) for p in people]
    found = StatusAssessor(DAY, limits).rows(rows)
    expected = [(verify(p, DAY, limits).status, no_push_reason(p, DAY, limits)) for p in people]
    assert found == expected
    assert StatusAssessor(DAY, limits).rows(rows[:9]) == expected[:9]  # a few: one by one
    # Both sides of the working-age boundary are in the sample, and every status occurs.
    assert {status for status, _ in found} == set(STATUSES)
