"""Benchmark: skill profiles of 20,000 distinct post titles, against bare jieba in the same run.

The titles are the real ones of ``csco22_job_title_to_code.csv`` and generated ones (a place,
an employer word, a lexicon surface form and some pay/perk noise), all distinct. After jieba is
initialised (timed separately), the benchmark times bare ``jieba.lcut`` over the titles (the
reference), then ``profile_text`` on a cold cache and on a warm one, in interleaved rounds
(best of each), and prints the ratios.
It also times person texts (one call each, as the matcher makes them) and title normalisation:
fitting the default title model (the first call), ``normalize_titles`` over the same titles in
one batch (cold caches) against the same reference, single ``normalize_title`` calls, and the
cross-validated accuracy per level (``--folds``, 0 to skip).

Run: ``python -m evaluation.bench_words [--titles 20000] [--folds 3]``.
"""

from __future__ import annotations

import argparse
import random
import time

from features.lexicon import load_lexicon
from features.skills import _analyse, certificates_in, profile_text
from features.titles import (
    _fitted_model,
    clean_title,
    load_title_rows,
    normalize_title,
    normalize_titles,
    title_accuracy,
)
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
    parser.add_argument("--folds", type=int, default=3, help="cross-validation folds, 0: skip")
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

    start = time.perf_counter()
    _fitted_model()
    fit = time.perf_counter() - start
    batch = float("inf")
    for _ in range(args.rounds):
        clean_title.cache_clear()
        start = time.perf_counter()
        normalize_titles(titles)
        batch = min(batch, time.perf_counter() - start)
    normalize_title.cache_clear()
    single_titles = titles[:300]
    start = time.perf_counter()
    for title in single_titles:
        normalize_title(title)
    single = (time.perf_counter() - start) / len(single_titles)

    print(f"jieba + domain dictionary initialised in {init:.2f} s (once per process)")
    print(f"{len(titles)} distinct titles, {with_skill} with a lexicon skill")
    print(f"  reference, bare jieba.lcut:      {reference:.3f} s")
    print(f"  profile_text, cold cache:        {cold:.3f} s  ({cold / reference:.2f}x reference)")
    print(
        f"  profile_text + certificates_in, warm cache: {warm:.4f} s  "
        f"({warm / reference:.3f}x reference)"
    )
    print(f"person texts: {person * 1e6:.0f} µs per call ({len(people)} distinct, cold)")
    print(f"title model: fitted in {fit:.2f} s (the first call, importing scikit-learn included)")
    print(
        f"  normalize_titles, {len(titles)} titles in one batch, cold: {batch:.3f} s  "
        f"({batch / reference:.2f}x reference)"
    )
    print(f"  normalize_title, single calls: {single * 1e3:.2f} ms per title")
    if args.folds:
        report = title_accuracy(load_title_rows(), folds=args.folds)
        levels = "  ".join(
            f"{label} {report[key]['accuracy']:.1%}"
            for key, label in (("fine", "细类"), ("small", "小类"), ("major", "大类"))
        )
        print(f"  accuracy, {args.folds}-fold cross-validation: {levels}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
