"""Benchmark: skill profiles of 20,000 distinct post titles, against bare jieba in the same run.

The titles are the real ones of ``csco22_job_title_to_code.csv`` and generated ones (a place,
an employer word, a lexicon surface form and some pay/perk noise), all distinct. After jieba is
initialised (timed separately), the benchmark times bare ``jieba.lcut`` over the titles (the
reference), then ``profile_text`` on a cold cache and on a warm one, in interleaved rounds
(best of each), and prints the ratios.
It also times person texts (one call each, as the matcher makes them) and title normalisation.

Run: ``python -m evaluation.bench_words [--titles 20000]``.
"""

from __future__ import annotations

import argparse
import random
import time

from features.lexicon import load_lexicon
from features.skills import _analyse, certificates_in, profile_text
from features.titles import TitleModel, load_title_rows
from features.tokens import tokenizer

_PLACES = ("通州", "大兴", "门头沟", "房山", "平谷", "怀柔", "密云", "延庆", "顺义", "昌平")
_EMPLOYERS = (
    "物业",
    "超市",
    "酒店",
    "工厂",
    "物流园",
    "养老院",
    "农业园区",
    "建筑公司",
    "家政公司",
)
_NOISE = ("包吃住", "300预支", "月入过万", "双休", "五险一金", "日结", "急招", "长白班", "")
_PERSON = (
    "会开车",
    "电气焊都干过",
    "在家种地",
    "养过猪",
    "干过保洁",
    "会做饭",
    "有电工证",
    "带过孩子",
)


def make_titles(n: int, *, seed: int = 7) -> list[str]:
    """n distinct titles: the real ones first, then generated ones."""
    rng = random.Random(seed)
    surfaces = sorted(
        s for e in load_lexicon().skills() for s in (e.name, *e.synonyms) if len(s) >= 2
    )
    titles = list(dict.fromkeys(r.title for r in load_title_rows()))[:n]
    seen = set(titles)
    while len(titles) < n:
        title = "".join(
            (rng.choice(_PLACES), rng.choice(_EMPLOYERS), rng.choice(surfaces), rng.choice(_NOISE))
        )
        if title not in seen:
            seen.add(title)
            titles.append(title)
    return titles


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    titles = make_titles(args.titles)

    start = time.perf_counter()
    jieba = tokenizer()
    load_lexicon()
    profile_text("预热")
    init = time.perf_counter() - start

    # Interleaved rounds, best of each: the machine is shared and its load moves within a run.
    reference = cold = warm = float("inf")
    for _ in range(args.rounds):
        start = time.perf_counter()
        for title in titles:
            jieba.lcut(title, HMM=False)
        reference = min(reference, time.perf_counter() - start)
        _analyse.cache_clear()
        start = time.perf_counter()
        profiles = [profile_text(t) for t in titles]
        cold = min(cold, time.perf_counter() - start)
        start = time.perf_counter()
        for title in titles:
            profile_text(title)
            certificates_in(title)
        warm = min(warm, time.perf_counter() - start)
    with_skill = sum(1 for p in profiles if p.skills)

    rng = random.Random(11)
    people = list(dict.fromkeys("，".join(rng.sample(_PERSON, 3)) + str(i) for i in range(1000)))
    start = time.perf_counter()
    for text in people:
        profile_text(text)
    person = (time.perf_counter() - start) / len(people)

    rows = [r for r in load_title_rows() if r.code]
    start = time.perf_counter()
    model = TitleModel().fit([r.title for r in rows], [r.code for r in rows])
    fit = time.perf_counter() - start
    start = time.perf_counter()
    model.predict(titles[:2000])
    predict = (time.perf_counter() - start) / 2000

    print(f"jieba + domain dictionary initialised in {init:.2f} s (once per process)")
    print(f"{len(titles)} distinct titles, {with_skill} with a lexicon skill")
    print(f"  reference, bare jieba.lcut:      {reference:.3f} s")
    print(f"  profile_text, cold cache:        {cold:.3f} s  ({cold / reference:.2f}x reference)")
    print(
        f"  profile_text + certificates_in, warm cache: {warm:.4f} s  "
        f"({warm / reference:.3f}x reference)"
    )
    print(f"person texts: {person * 1e6:.0f} µs per call ({len(people)} distinct, cold)")
    print(
        f"title model: fit {fit:.2f} s on {len(rows)} titles; predict {predict * 1e6:.0f} µs "
        f"per title in a batch of 2,000"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
