"""schemathesis against the app's OpenAPI schema, with a valid key of each role: no 5xx.

Every operation of the schema gets generated requests (schema-valid and not), each sent with a
key of one of the roles, against the app on the real Redis with a small roster and catalogue
loaded, so that the routes reach past their checks into the stores.
"""

from __future__ import annotations

import contextlib
from collections import Counter

import hypothesis
import pytest
import redis
import schemathesis
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from catalogue.agreements import parse_agreements
from features.gazetteer import load_gazetteer
from features.tiers import load_tier_rules
from service.app import create_app
from service.catalogue_store import CatalogueStore
from service.keys import create_key
from service.roster_store import RosterStore
from service.settings import Settings
from service.wiring import age_limits
from tests.factories import SECRET, TODAY, make_laborer
from tests.service.uploads import AGREEMENT, csv_bytes, directed_post, local_post

EXAMPLES_PER_OPERATION = 12
SCOPES = {
    "counselor": {"district": "通州区", "township": "永乐店镇"},
    "district": {"district": "通州区"},
    "partner": {"partner": "朝阳区"},
    "city": {},
    "batch": {},
}


def _load(store: redis.Redis, settings: Settings) -> None:
    roster = RosterStore(store, secret=SECRET)
    roster.import_laborers(
        [make_laborer(), make_laborer(male=False, age=40), make_laborer(township="宋庄镇")],
        day=TODAY,
        limits=age_limits(settings),
        rules=load_tier_rules(),
    )
    catalogue = CatalogueStore(store)
    gaz = load_gazetteer()
    catalogue.add_agreements(parse_agreements(AGREEMENT, gazetteer=gaz))
    for uploader, row in (("通州区", local_post()), ("朝阳区", directed_post())):
        report = catalogue.upload_file(
            csv_bytes([row]), "p.csv", uploader=uploader, today=TODAY, gazetteer=gaz
        )
        assert not report.refused, report.errors


@pytest.mark.slow
def test_no_operation_answers_5xx_to_any_role(settings: Settings, store: redis.Redis) -> None:
    _load(store, settings)
    tokens = {role: create_key(store, role, **scope) for role, scope in SCOPES.items()}
    app = create_app(settings, today=lambda: TODAY, scheduler=False)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    failures: list[str] = []
    calls: Counter[str] = Counter()

    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @hypothesis.given(case=strategy, role=st.sampled_from(sorted(tokens)))
        @hypothesis.settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case, role: str) -> None:
            response = case.call(headers={"Authorization": f"Bearer {tokens[role]}"})
            calls[role] += 1
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} as {role}: {response.status_code}"
                )
            assert response.status_code < 500

        # A failure is collected above; every operation still gets its turn.
        with contextlib.suppress(AssertionError):
            check()
    assert sum(calls.values()) >= len(operations) * EXAMPLES_PER_OPERATION // 2
    assert len(calls) == len(tokens), "every role sent requests"
    assert not failures, "\n".join(sorted(set(failures)))
