"""Partner agreements: reading the JSON, and what an active agreement allows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from catalogue.agreements import (
    agreement_as_dict,
    agreement_from_dict,
    directed_allowed,
    directed_reach,
    parse_agreement,
    parse_agreements,
)
from catalogue.credit_code import make_credit_code
from catalogue.errors import AgreementError
from features.gazetteer import load_gazetteer
from tests.factories import TODAY, make_agreement, make_post

GAZ = load_gazetteer()
CODE = make_credit_code(101)
OTHER = make_credit_code(202)


def _obj(**over: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "output_district": "通州区",
        "partners": ["朝阳区", "北京经济技术开发区"],
        "year": 2026,
        "employers": [{"name": "北京朝阳某物业管理有限公司", "code": CODE}],
        "plan_hires": 200,
        "status": "生效",
    }
    obj.update(over)
    return obj


def test_the_design_example_is_read_with_canonical_names() -> None:
    a = parse_agreement(_obj(output_district="通州", partners=["朝阳", "经开区"]), gazetteer=GAZ)
    assert a.output_district == "通州区"
    assert a.partners == ("朝阳区", "北京经济技术开发区")
    assert a.employers[0].code == CODE
    assert a.plan_hires == 200
    assert a.active_on(TODAY)


def test_every_problem_is_reported_at_once() -> None:
    bad = _obj(
        output_district="朝阳区",
        partners=["海淀区", "丰台区", "石景山区"],
        year="明年",
        employers=[{"name": "某公司", "code": "91110105MA01ABCD1X"}],
        status="暂停",
    )
    with pytest.raises(AgreementError) as caught:
        parse_agreement(bad, gazetteer=GAZ)
    text = "\n".join(caught.value.problems)
    assert "不是八个劳动力输出区之一" in text
    assert "对接方最多两个" in text
    assert "年度 year 应为四位年份" in text
    assert "校验位不正确" in text
    assert "status 应为“生效”或“终止”" in text


def test_an_unknown_partner_gets_suggestions() -> None:
    with pytest.raises(AgreementError) as caught:
        parse_agreement(_obj(partners=["朝杨区"]), gazetteer=GAZ)
    assert "朝阳区" in caught.value.problems[0]


def test_a_district_pairing_its_own_townships_must_name_them() -> None:
    with pytest.raises(AgreementError, match="partner_townships"):
        parse_agreement(_obj(partners=["通州区"]), gazetteer=GAZ)
    a = parse_agreement(
        _obj(partners=["通州区"], partner_townships=["宋庄镇"], output_townships=["永乐店镇"]),
        gazetteer=GAZ,
    )
    assert a.partner_townships == (GAZ.township("宋庄镇", "通州区").code,)
    assert a.output_townships == (GAZ.township("永乐店镇", "通州区").code,)


def test_output_townships_must_be_of_the_output_district() -> None:
    with pytest.raises(AgreementError, match="应为通州区的乡镇或街道"):
        parse_agreement(_obj(output_townships=["长阳镇"]), gazetteer=GAZ)


def test_a_list_reports_which_agreement_is_wrong() -> None:
    with pytest.raises(AgreementError) as caught:
        parse_agreements([_obj(), _obj(year=1999)], gazetteer=GAZ)
    assert caught.value.problems[0].startswith("第2份协议：")


def test_a_terminated_or_last_years_agreement_is_not_active() -> None:
    assert not make_agreement(status="终止").active_on(TODAY)
    assert not make_agreement(year=2025).active_on(TODAY)
    assert make_agreement().active_on(dt.date(2026, 1, 1))


def test_only_the_partner_may_offer_its_agreement_employers_directed_posts() -> None:
    agreements = [parse_agreement(_obj(), gazetteer=GAZ)]
    assert directed_allowed("朝阳区", CODE, agreements, TODAY)
    assert directed_allowed("北京经济技术开发区", CODE.lower(), agreements, TODAY)
    assert not directed_allowed("海淀区", CODE, agreements, TODAY)
    assert not directed_allowed("朝阳区", OTHER, agreements, TODAY)
    assert not directed_allowed("朝阳区", "", agreements, TODAY)
    assert not directed_allowed("朝阳区", CODE, agreements, dt.date(2027, 1, 2))


def test_a_directed_post_reaches_the_output_districts_or_their_townships() -> None:
    whole = parse_agreement(_obj(), gazetteer=GAZ)
    daxing = parse_agreement(
        _obj(output_district="大兴区", partners=["朝阳区"], output_townships=["礼贤镇"]),
        gazetteer=GAZ,
    )
    post = make_post(
        uploader="朝阳区", kind="定向招聘", employer_code=CODE, district="朝阳区", township=""
    )
    reach = directed_reach(post, [whole, daxing], TODAY)
    lixian = GAZ.township("礼贤镇", "大兴区").code
    assert reach.districts == frozenset({"通州区"})
    assert reach.townships == frozenset({lixian})
    assert reach.reaches("通州区", GAZ.township("永乐店镇", "通州区").code)
    assert reach.reaches("大兴区", lixian)
    assert not reach.reaches("大兴区", GAZ.township("榆垡镇", "大兴区").code)
    stranger = make_post(uploader="朝阳区", kind="定向招聘", employer_code=OTHER)
    assert directed_reach(stranger, [whole, daxing], TODAY).empty


def test_an_agreement_survives_its_json_form() -> None:
    a = parse_agreement(
        _obj(partners=["通州区"], partner_townships=["宋庄镇"], output_townships=["永乐店镇"]),
        gazetteer=GAZ,
    )
    assert agreement_from_dict(agreement_as_dict(a)) == a
