"""Partner agreements (人-岗对接协作协议): reading them, and what they allow.

An agreement pairs one of the eight outer districts with one or two partner areas for a year
(DESIGN §2, §4). It decides two things the rest of the catalogue asks about:

- whether an uploader may offer a directed post (定向招聘) from an employer
  (:func:`directed_allowed`): the uploader is a partner of an active agreement naming the
  employer's 统一社会信用代码;
- whom such a post may reach (:func:`directed_reach`): the people of the output districts of
  those agreements, or of their ``output_townships`` where given.

A district may pair its own streets and townships with each other (the notice allows it): it
names itself as the partner and lists ``partner_townships``, the townships whose employers offer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalogue.credit_code import credit_code_problem, normalize_credit_code
from catalogue.errors import AgreementError
from catalogue.models import Agreement, Employer, Post
from features.errors import UnknownPlaceError
from features.gazetteer import OUTER_DISTRICTS, Gazetteer
from features.tabular import is_digits

AGREEMENT_STATES: tuple[str, ...] = ("生效", "终止")


def make_agreement_id(output_district: str, partners: Iterable[str], year: int) -> str:
    """The stable id of (output district, partner areas, year): 12 hex digits of SHA-256."""
    text = "\x1f".join([output_district, *sorted(partners), str(year)])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _names(value: object) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and is_digits(value.strip()):
        return int(value.strip())
    return None


def _townships(
    value: object, district: str, field: str, gazetteer: Gazetteer, problems: list[str]
) -> tuple[str, ...]:
    names = _names(value)
    if names is None:
        problems.append(f"{field} 应为乡镇(街道)名称的列表")
        return ()
    codes: list[str] = []
    for name in names:
        try:
            code = gazetteer.township(name, district).code
        except UnknownPlaceError as exc:
            problems.append(f"{field}：{exc}（应为{district}的乡镇或街道）")
            continue
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def parse_agreement(obj: Mapping[str, Any], *, gazetteer: Gazetteer) -> Agreement:
    """One agreement from its JSON object (DESIGN §4); every problem at once as AgreementError."""
    problems: list[str] = []
    output = ""
    raw_output = obj.get("output_district")
    if not isinstance(raw_output, str) or not raw_output.strip():
        problems.append("缺少输出区 output_district（如“通州区”）")
    else:
        try:
            output = gazetteer.district(raw_output).name
        except UnknownPlaceError as exc:
            problems.append(f"输出区：{exc}")
        else:
            if output not in OUTER_DISTRICTS:
                problems.append(
                    f"输出区“{output}”不是八个劳动力输出区之一（{'、'.join(OUTER_DISTRICTS)}）"
                )
                output = ""

    partners: list[str] = []
    raw_partners = _names(obj.get("partners"))
    if raw_partners is None or not raw_partners:
        problems.append("partners 应列出一至两个对接方（区或北京经济技术开发区）")
    elif len(raw_partners) > 2:
        problems.append(f"对接方最多两个，实际{len(raw_partners)}个")
    else:
        for name in raw_partners:
            try:
                area = gazetteer.area(name).name
            except UnknownPlaceError as exc:
                problems.append(f"对接方：{exc}")
                continue
            if area in partners:
                problems.append(f"对接方“{area}”重复")
            else:
                partners.append(area)

    self_paired = bool(output) and output in partners
    partner_townships: tuple[str, ...] = ()
    if obj.get("partner_townships"):
        if not self_paired:
            problems.append("partner_townships 仅用于区内乡镇结对（对接方为输出区本身）时")
        else:
            partner_townships = _townships(
                obj["partner_townships"], output, "partner_townships", gazetteer, problems
            )
    elif self_paired:
        problems.append(
            f"对接方为输出区本身（{output}区内结对）时，须用 partner_townships 列出提供岗位的乡镇"
        )
    output_townships: tuple[str, ...] = ()
    if obj.get("output_townships") and output:
        output_townships = _townships(
            obj["output_townships"], output, "output_townships", gazetteer, problems
        )

    year = _int(obj.get("year"))
    if year is None or not 2000 <= year <= 2100:
        problems.append(f"年度 year 应为四位年份，实际“{obj.get('year')}”")
        year = 0

    employers: list[Employer] = []
    raw_employers = obj.get("employers", [])
    if not isinstance(raw_employers, list):
        problems.append('employers 应为用人单位列表：[{"name": …, "code": …}]')
        raw_employers = []
    seen: set[str] = set()
    for i, item in enumerate(raw_employers, start=1):
        if not isinstance(item, Mapping):
            problems.append(f'第{i}家用人单位应为 {{"name": …, "code": …}}')
            continue
        name = str(item.get("name") or "").strip()
        code = normalize_credit_code(str(item.get("code") or ""))
        if not name:
            problems.append(f"第{i}家用人单位缺少名称 name")
        problem = credit_code_problem(code) if code else "缺少统一社会信用代码 code"
        if problem:
            problems.append(f"第{i}家用人单位（{name or '未命名'}）：{problem}")
        elif code in seen:
            problems.append(f"第{i}家用人单位的统一社会信用代码“{code}”重复")
        else:
            seen.add(code)
            employers.append(Employer(name, code))

    plan = _int(obj.get("plan_hires", 0))
    if plan is None or plan < 0:
        problems.append(f"计划招聘人数 plan_hires 应为非负整数，实际“{obj.get('plan_hires')}”")
        plan = 0
    status = obj.get("status", "生效") or "生效"
    if status not in AGREEMENT_STATES:
        problems.append(f"协议状态 status 应为“生效”或“终止”，实际“{status}”")

    if problems:
        raise AgreementError(problems)
    return Agreement(
        agreement_id=str(obj.get("agreement_id") or make_agreement_id(output, partners, year)),
        output_district=output,
        partners=tuple(partners),
        year=year,
        employers=tuple(employers),
        plan_hires=plan,
        status=str(status),
        output_townships=output_townships,
        partner_townships=partner_townships,
    )


def parse_agreements(data: object, *, gazetteer: Gazetteer) -> list[Agreement]:
    """Agreements from decoded JSON (one object or a list); problems of all of them at once."""
    items = data if isinstance(data, list) else [data]
    agreements: list[Agreement] = []
    problems: list[str] = []
    for i, item in enumerate(items, start=1):
        where = f"第{i}份协议：" if len(items) > 1 else ""
        if not isinstance(item, Mapping):
            problems.append(f"{where}应为 JSON 对象")
            continue
        try:
            agreements.append(parse_agreement(item, gazetteer=gazetteer))
        except AgreementError as exc:
            problems.extend(where + p for p in exc.problems)
    if problems:
        raise AgreementError(problems)
    return agreements


def agreement_as_dict(agreement: Agreement) -> dict[str, Any]:
    """The agreement as its JSON object (townships as 12-digit codes)."""
    return {
        "agreement_id": agreement.agreement_id,
        "output_district": agreement.output_district,
        "partners": list(agreement.partners),
        "year": agreement.year,
        "employers": [{"name": e.name, "code": e.code} for e in agreement.employers],
        "plan_hires": agreement.plan_hires,
        "status": agreement.status,
        "output_townships": list(agreement.output_townships),
        "partner_townships": list(agreement.partner_townships),
    }


def agreement_from_dict(obj: Mapping[str, Any]) -> Agreement:
    """An agreement from :func:`agreement_as_dict` output (trusted: no validation)."""
    return Agreement(
        agreement_id=obj["agreement_id"],
        output_district=obj["output_district"],
        partners=tuple(obj["partners"]),
        year=int(obj["year"]),
        employers=tuple(Employer(e["name"], e["code"]) for e in obj["employers"]),
        plan_hires=int(obj.get("plan_hires", 0)),
        status=obj.get("status", "生效"),
        output_townships=tuple(obj.get("output_townships", ())),
        partner_townships=tuple(obj.get("partner_townships", ())),
    )


def active_agreements(agreements: Iterable[Agreement], day: dt.date) -> list[Agreement]:
    """The agreements in force on ``day``."""
    return [a for a in agreements if a.active_on(day)]


def _pairs(agreement: Agreement, uploader: str, township_code: str | None) -> bool:
    if uploader not in agreement.partners:
        return False
    # A district pairing its own townships: only employers in partner_townships offer.
    if uploader == agreement.output_district and township_code is not None:
        return township_code in agreement.partner_townships
    return True


def directed_agreements(
    uploader: str,
    employer_code: str,
    agreements: Iterable[Agreement],
    day: dt.date,
    *,
    township_code: str | None = None,
) -> list[Agreement]:
    """Active agreements that name ``uploader`` as partner and ``employer_code`` as employer.

    With ``township_code`` (the work place), an agreement of a district with its own townships
    counts only when the work place is one of its ``partner_townships``.
    """
    if not employer_code:
        return []
    code = normalize_credit_code(employer_code)
    return [
        a
        for a in agreements
        if a.active_on(day)
        and _pairs(a, uploader, township_code)
        and any(e.code == code for e in a.employers)
    ]


def directed_allowed(
    post_uploader: str,
    employer_code: str,
    agreements: Iterable[Agreement],
    day: dt.date,
    *,
    township_code: str | None = None,
) -> bool:
    """Whether ``post_uploader`` may offer a directed post of this employer on ``day``."""
    found = directed_agreements(
        post_uploader, employer_code, agreements, day, township_code=township_code
    )
    return bool(found)


@dataclass(frozen=True, slots=True)
class DirectedReach:
    """Whom a directed post may reach: whole districts (names) and single townships (codes)."""

    districts: frozenset[str]  # district names, as Laborer.district (e.g. 通州区)
    townships: frozenset[str]  # 12-digit township codes, as Laborer.township_code

    def reaches(self, district: str, township_code: str) -> bool:
        """Whether a person of this district and township is within reach."""
        return district in self.districts or township_code in self.townships

    @property
    def empty(self) -> bool:
        """Whether the post may reach no one (no active agreement allows it)."""
        return not self.districts and not self.townships


def directed_reach(post: Post, agreements: Sequence[Agreement], day: dt.date) -> DirectedReach:
    """Whom a directed post may reach on ``day`` (DESIGN §5); empty when no agreement allows it."""
    districts: set[str] = set()
    townships: set[str] = set()
    found = directed_agreements(
        post.uploader, post.employer_code, agreements, day, township_code=post.township_code
    )
    for a in found:
        if a.output_townships:
            townships.update(a.output_townships)
        else:
            districts.add(a.output_district)
    return DirectedReach(frozenset(districts), frozenset(townships))


__all__ = [
    "AGREEMENT_STATES",
    "DirectedReach",
    "active_agreements",
    "agreement_as_dict",
    "agreement_from_dict",
    "directed_agreements",
    "directed_allowed",
    "directed_reach",
    "make_agreement_id",
    "parse_agreement",
    "parse_agreements",
]
