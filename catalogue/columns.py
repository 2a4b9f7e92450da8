"""The columns of the post upload (岗位信息表, DESIGN §4): Chinese headers, English keys, rules."""

from __future__ import annotations

from features.tabular import Column

POST_COLUMNS: tuple[Column, ...] = (
    Column("岗位编号", "external_id", True, rule="本单位内唯一；再次上传同一编号即更新该岗位"),
    Column("岗位名称", "title", True, ("职位名称",), rule="如：物业保洁员、普工"),
    Column(
        "岗位类型",
        "kind",
        True,
        rule="定向招聘 / 扶贫车间 / 村社代工点 / 居家就业 / 公益性岗位 / 社会招聘",
    ),
    Column("用人单位", "employer", True, ("单位名称",), rule="单位全称"),
    Column(
        "统一社会信用代码",
        "employer_code",
        rule="18位，定向招聘必填，须为对接协议中的用人单位",
    ),
    Column("工作区", "district", True, ("工作地区",), rule="北京市的区或北京经济技术开发区"),
    Column("工作乡镇(街道)", "township", False, ("工作乡镇", "工作街道"), rule="该区的乡镇或街道"),
    Column("工作地址", "address"),
    Column("招聘人数", "headcount", True, rule="整数，至少为1"),
    Column("最低年龄", "min_age", rule="16–65 的整数"),
    Column("最高年龄", "max_age", rule="16–65 的整数，不小于最低年龄"),
    Column(
        "学历要求", "education", rule="小学及以下 / 初中 / 高中 / 中专 / 大专 / 本科及以上 / 不限"
    ),
    Column("技能要求", "skills"),
    Column("证书要求", "certificates", rule="要求持有的证书，多个用“、”分隔"),
    Column("岗位描述", "description"),
    Column("月薪下限", "salary_min", rule="元/月，整数"),
    Column("月薪上限", "salary_max", rule="元/月，整数，不小于月薪下限"),
    Column("提供住宿", "lodging", rule="是 / 否"),
    Column("工作形式", "schedule", rule="全职 / 兼职 / 灵活 / 居家"),
    Column("截止日期", "closes_on", rule="如 2026-12-31，不早于上传当天"),
    Column(
        "面向乡镇",
        "for_townships",
        rule="公益性岗位必填：本区服务的乡镇（街道），多个用“、”分隔",
    ),
    Column("联系方式", "contact", rule="招聘联系人及电话"),
)

__all__ = ["POST_COLUMNS"]
