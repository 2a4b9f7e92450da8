"""Words and lookups the person's page needs beyond the API's answers: rule names, pushes.

The push ledger belongs to the monthly batch (``service.batch``): the page reads it through the
batch runner's keys; where the batch module is not installed the push section is left out (None)
rather than shown empty, which would read as "never pushed".
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from fastapi import Request

# The matcher's hard rules (matcher.rules.RULES) in the words of a counselor.
RULE_NAMES: dict[str, str] = {
    "closed": "岗位已关闭、已招满或已过期",
    "suspended_employer": "用人单位被暂停",
    "reserved_public_welfare": "公益性岗位仅限本乡镇就业困难人员",
    "directed_pairing": "定向招聘不对接本区",
    "age": "年龄不符",
    "commute": "通勤超出可接受范围",
    "certificate": "缺少岗位要求的证书",
}

# The roster store's history actions, as the page names them.
ACTION_NAMES: dict[str, str] = {
    "import": "导入花名册",
    "reimport": "重新导入更新",
    "registration": "就业登记",
    "difficulty_confirmed": "认定就业困难人员",
    "difficulty_revoked": "撤销就业困难人员",
    "confirmation_collected": "收回暂无就业意愿签字确认",
    "status": "状态变化",
    "tier_override": "调整帮扶级别",
}


def push_history(
    request: Request, laborer_id: str, *, months: int = 12
) -> list[dict[str, Any]] | None:
    """The person's pushes of the last ``months`` batches, newest first, from the batch's
    ledger (with each post's title and employer); None where no batch module is installed."""
    try:
        batch = importlib.import_module("service.batch")
    except ModuleNotFoundError as exc:
        if exc.name == "service.batch":
            return None
        raise
    client = request.app.state.redis
    runner = batch.BatchRunner(client, prefix=request.app.state.settings.key_prefix)
    done = list(reversed(runner.done_months()))[:months]
    if not done:
        return []
    pipe = client.pipeline(transaction=False)
    for month in done:
        pipe.hget(runner.keys.ledger(month), laborer_id)
    catalogue = request.app.state.catalogue
    rows: list[dict[str, Any]] = []
    for month, raw in zip(done, pipe.execute(), strict=True):
        for push in json.loads(raw) if raw else []:
            post = catalogue.get(push["post_id"])
            rows.append(
                {
                    "month": month,
                    "post_id": push["post_id"],
                    "title": post.title if post else "",
                    "employer": post.employer if post else "",
                    "rank": push.get("rank"),
                    "score": push.get("score"),
                }
            )
    return rows


__all__ = ["ACTION_NAMES", "RULE_NAMES", "push_history"]
