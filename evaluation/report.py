"""The evaluation report: a headline table, Markdown and PNG charts of an :class:`Evaluation`.

:func:`headline_table` is what ``renggang evaluate`` prints; :func:`write_report` writes
``README.md`` and the charts into a folder (``docs/evaluation/`` for the default seed). Charts
use matplotlib's Agg backend and English labels only (policy names, ``16-29``, ``men``), so no
CJK font is needed and nothing is drawn as empty boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evaluation.compare import Evaluation, PolicyRun
from evaluation.metrics import AGE_BANDS, age_band
from evaluation.policies import UNCAPPED

POLICY_LABELS: dict[str, str] = {
    "random": "random eligible",
    "nearest": "nearest first",
    "uncapped": "score, uncapped",
    "batch": "full batch",
}
_AGE_LABELS = {name: f"{lo}-{hi}" if hi < 200 else f"{lo}+" for lo, hi, name in AGE_BANDS}
_AGE_LABELS[AGE_BANDS[0][2]] = "16-29"
_SEX_LABELS = {"男": "men", "女": "women"}
CHARTS: tuple[str, ...] = ("policies.png", "tradeoff.png", "groups.png", "months.png")


def _cap_label(cap: float) -> str:
    return "uncapped" if cap >= UNCAPPED else f"{cap:g}×"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


HEADLINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("policy", "policy"),
    ("pushes", "pushes"),
    ("hires", "hires"),
    ("hires/100", "hires_per_100_pushes"),
    ("hired", "share_hired"),
    ("hit@3", "hit_rate_at_3"),
    ("recall@3", "recall_at_3"),
    ("coverage", "coverage"),
    ("p90/place", "per_place_p90"),
    ("max/place", "per_place_max"),
    ("gini", "gini"),
    ("compliance", "compliance"),
)


def _cell(key: str, value: Any) -> str:
    if key == "policy":
        return POLICY_LABELS.get(str(value), str(value))
    if key in ("share_hired", "coverage", "compliance"):
        return _pct(float(value))
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def headline_table(evaluation: Evaluation) -> str:
    """The headline table as fixed-width text, one row per policy, then the aims."""
    rows = [[_cell(k, run.headline()[k]) for _, k in HEADLINE_COLUMNS] for run in evaluation.runs]
    header = [h for h, _ in HEADLINE_COLUMNS]
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    lines = [
        f"seed {evaluation.seed}: {evaluation.people} people, {evaluation.posts} posts "
        f"({evaluation.places} places), {evaluation.months} months from {evaluation.start}, "
        f"cap {evaluation.cap_multiple:g}× places",
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        ),
    ]
    for r in rows:
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    for aim in evaluation.aims():
        figure = _pct(aim.figure) if "compliance" in aim.name else f"{100 * aim.figure:+.1f}%"
        lines.append(
            f"aim {aim.name}: {figure} (target {aim.target}) {'met' if aim.met else 'MISSED'}"
        )
    return "\n".join(lines)


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def markdown(evaluation: Evaluation) -> str:
    """The report's Markdown (links the charts of :data:`CHARTS` by file name)."""
    e = evaluation
    lines = [
        "# Evaluation: the monthly batch against its baselines",
        "",
        f"Written by `renggang evaluate --people {e.people} --months {e.months} --seed {e.seed}`"
        " (the defaults). Every figure below is of a synthetic world (`evaluation/synth.py`) and"
        " of the simulated months of `evaluation/simulate.py`: a model, not Beijing. How it is"
        " built and what each figure means: [docs/evaluation.md](../evaluation.md).",
        "",
        f"World: seed {e.seed}, {e.people} people, {e.posts} posts with {e.places} places;"
        f" {e.run('batch').seekers} people need work in the first month. {e.months} months from"
        f" {e.start}; the batch caps pushes at {e.cap_multiple:g}× a post's places left.",
        "",
        "## Headline",
        "",
        "Pushes and hires are totals over the months; hit rate, recall, coverage and congestion"
        " are of the first month (every policy faces the same people and posts); compliance is"
        " the lowest month's.",
        "",
    ]
    header = [h for h, _ in HEADLINE_COLUMNS] + ["p90/place (all posts)"]
    rows = [
        [_cell(k, run.headline()[k]) for _, k in HEADLINE_COLUMNS]
        + [f"{run.first.congestion.per_place_p90_all:.2f}"]
        for run in e.runs
    ]
    lines += _markdown_table(header, rows)
    lines += ["", "### Aims", ""]
    aim_rows = []
    for aim in e.aims():
        figure = _pct(aim.figure) if "compliance" in aim.name else f"{100 * aim.figure:+.1f}%"
        aim_rows.append([aim.name, figure, aim.target, "met" if aim.met else "**missed**"])
    lines += _markdown_table(["aim", "measured", "target", ""], aim_rows)
    lines += [
        "",
        "`p90/place` is the 90th percentile of pushes per place left over the posts that were"
        " pushed (`matcher/congestion.py`); the last column takes it over every post with"
        " places, pushed or not, which lets a policy that leaves most posts unpushed look"
        " uncrowded.",
        "",
        "![metrics by policy](policies.png)",
        "",
        "## Hires against congestion as the cap varies",
        "",
    ]
    sweep_rows = [
        [
            _cap_label(cap),
            str(run.pushes),
            str(run.hires),
            f"{run.hires_per_100_pushes:.2f}",
            f"{run.first.congestion.per_place_p90:.2f}",
            f"{run.first.congestion.per_place_max:.2f}",
            _pct(run.first.coverage),
        ]
        for cap, run in e.sweep
    ]
    lines += _markdown_table(
        [
            "cap (pushes per place left)",
            "pushes",
            "hires",
            "hires/100",
            "p90/place",
            "max/place",
            "coverage",
        ],
        sweep_rows,
    )
    lines += ["", "![hires against congestion](tradeoff.png)", "", "## Gaps between groups", ""]
    lines += [
        "Share of the first month's seekers hired over the months, and pushes per seeker in the"
        " first month (exposure), by age band and sex; the gap is highest minus lowest group.",
        "",
    ]
    for kind, labels in (("age_band", _AGE_LABELS), ("sex", _SEX_LABELS)):
        groups = sorted(e.run("batch").first.hire_gaps[kind].by_group)
        header = ["policy"] + [labels.get(g, g) for g in groups] + ["gap (hired)", "gap (exposure)"]
        rows = []
        for run in e.runs:
            hired = _hires_by_group(run, kind)
            rows.append(
                [POLICY_LABELS.get(run.name, run.name)]
                + [_pct(hired.get(g, 0.0)) for g in groups]
                + [
                    _pct(max(hired.values()) - min(hired.values())) if hired else "–",
                    f"{run.first.exposure_gaps[kind].gap:.2f}",
                ]
            )
        lines += [f"**{'age band' if kind == 'age_band' else 'sex'}**", ""]
        lines += _markdown_table(header, rows)
        lines.append("")
    rows = []
    for run in e.runs:
        hired = _hires_by_group(run, "township", min_people=10)
        lo = min(hired, key=hired.__getitem__) if hired else "–"
        hi = max(hired, key=hired.__getitem__) if hired else "–"
        rows.append(
            [
                POLICY_LABELS.get(run.name, run.name),
                str(len(hired)),
                f"{lo} {_pct(hired.get(lo, 0.0))}" if hired else "–",
                f"{hi} {_pct(hired.get(hi, 0.0))}" if hired else "–",
                f"{run.first.exposure_gaps['township'].gap:.2f}",
            ]
        )
    lines += ["**township** (townships with at least 10 seekers)", ""]
    lines += _markdown_table(
        ["policy", "townships", "lowest share hired", "highest share hired", "gap (exposure)"], rows
    )
    lines += ["", "![gaps between groups](groups.png)", "", "## Month by month", ""]
    rows = []
    for run in e.runs:
        for i, (m, r) in enumerate(zip(run.metrics, run.results, strict=True)):
            rows.append(
                [
                    POLICY_LABELS.get(run.name, run.name) if i == 0 else "",
                    r.month,
                    str(m.pushes),
                    str(m.hires),
                    _pct(m.coverage),
                    f"{m.congestion.per_place_p90:.2f}",
                    _pct(m.compliance),
                    str(m.shortage),
                ]
            )
    lines += _markdown_table(
        ["policy", "month", "pushes", "hires", "coverage", "p90/place", "compliance", "shortage"],
        rows,
    )
    lines += ["", "![hires by month](months.png)", "", "## Weights learned from the outcomes", ""]
    lines += _learning(e)
    return "\n".join(lines) + "\n"


def _hires_by_group(run: PolicyRun, kind: str, *, min_people: int = 1) -> dict[str, float]:
    """Share of the first month's seekers of each group hired over all the months."""
    day = run.results[0].day
    hired = {o.laborer_id for r in run.results for o in r.outcomes if o.hired}
    counts: dict[str, list[int]] = {}
    for person in run.seeker_people:
        if kind == "township":
            group = person.township
        elif kind == "age_band":
            group = age_band(person.age_on(day))
        else:
            group = person.sex
        c = counts.setdefault(group, [0, 0])
        c[0] += 1
        c[1] += person.laborer_id in hired
    return {g: c[1] / c[0] for g, c in counts.items() if c[0] >= min_people}


def _learning(e: Evaluation) -> list[str]:
    if e.fit is None:
        return [f"No fit: {e.fit_error or 'learning was not run'}."]
    from evaluation.learn import SIGNALS

    fit = e.fit
    lines = [
        "The batch's own outcomes (pushes taken up or refused), as counselors would record"
        f" them: a logistic regression (balanced classes) fitted on {', '.join(fit.train_months)}"
        f" ({fit.train_rows} outcomes), tested on {', '.join(fit.test_months)}"
        f" ({fit.test_rows} outcomes) by the AUC of the score. `renggang weights fit` does the"
        " same on the outcomes recorded in the store.",
        "",
    ]
    lines += _markdown_table(
        ["weights", *list(SIGNALS), "held-out AUC"],
        [
            ["hand"]
            + [f"{getattr(fit.hand.normalized(), n):.3f}" for n in SIGNALS]
            + [f"{fit.auc_hand:.4f}"],
            ["learned"]
            + [f"{getattr(fit.weights, n):.3f}" for n in SIGNALS]
            + [f"{fit.auc_learned:.4f}"],
        ],
    )
    verdict = "adopted" if fit.adopted else "not adopted"
    lines += [
        "",
        f"Rule: adopt when the learned AUC beats the hand weights' by at least {fit.min_gain}:"
        f" **{verdict}** ({fit.auc_learned:.4f} against {fit.auc_hand:.4f}).",
    ]
    if e.learned_run is not None:
        base = e.run("batch")
        lines += [
            "",
            f"The batch with the learned weights, over the same months: {e.learned_run.hires}"
            f" hires against {base.hires} with the hand weights"
            f" ({100 * (e.learned_run.hires / base.hires - 1):+.1f}%), p90 pushes per place"
            f" {e.learned_run.first.congestion.per_place_p90:.2f}.",
        ]
    return lines


def write_charts(evaluation: Evaluation, out: Path) -> list[Path]:
    """Draw the charts of :data:`CHARTS` into ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    e = evaluation
    names = [POLICY_LABELS.get(r.name, r.name) for r in e.runs]
    colours = ["#9e9e9e", "#8d6e63", "#f9a825", "#1565c0"]
    paths = []

    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    panels = (
        ("hires (all months)", [r.hires for r in e.runs]),
        ("hires per 100 pushes", [r.hires_per_100_pushes for r in e.runs]),
        (
            "p90 pushes per place (pushed posts, month 1)",
            [r.first.congestion.per_place_p90 for r in e.runs],
        ),
        ("coverage of open posts (month 1)", [100 * r.first.coverage for r in e.runs]),
    )
    for ax, (title, values) in zip(axes.flat, panels, strict=True):
        bars = ax.bar(names, values, color=colours)
        ax.bar_label(bars, fmt="%.0f" if title.startswith("hires (") else "%.1f", fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    paths.append(out / "policies.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 5))
    xs = [run.first.congestion.per_place_p90 for _, run in e.sweep]
    ys = [run.hires for _, run in e.sweep]
    ax.plot(xs, ys, "-o", color="#1565c0", label="batch, by cap")
    for (cap, _), x, y in zip(e.sweep, xs, ys, strict=True):
        ax.annotate(_cap_label(cap), (x, y), textcoords="offset points", xytext=(5, 5), fontsize=8)
    for run, colour in zip(e.runs[:2], colours[:2], strict=True):
        ax.scatter(
            [run.first.congestion.per_place_p90],
            [run.hires],
            color=colour,
            marker="s",
            label=POLICY_LABELS[run.name],
        )
    ax.set_xlabel("p90 pushes per place left (pushed posts, month 1)")
    ax.set_ylabel(f"hires over {e.months} months")
    ax.set_title("Hires against congestion as the cap varies")
    ax.legend(fontsize=8)
    fig.tight_layout()
    paths.append(out / "tradeoff.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), gridspec_kw={"width_ratios": [2, 1]})
    for ax, (kind, labels) in zip(
        axes, (("age_band", _AGE_LABELS), ("sex", _SEX_LABELS)), strict=True
    ):
        groups = sorted(e.run("batch").first.hire_gaps[kind].by_group)
        width = 0.8 / len(e.runs)
        for j, (run, colour) in enumerate(zip(e.runs, colours, strict=True)):
            rates = _hires_by_group(run, kind)
            ax.bar(
                [i + j * width for i in range(len(groups))],
                [100 * rates.get(g, 0.0) for g in groups],
                width,
                color=colour,
                label=POLICY_LABELS.get(run.name, run.name),
            )
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(groups))])
        ax.set_xticklabels([labels.get(g, g) for g in groups])
        ax.set_ylabel("% of seekers hired")
        ax.set_title("by age band" if kind == "age_band" else "by sex")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), fontsize=8)
    fig.tight_layout(rect=(0.0, 0.0, 1.0, 0.93))
    paths.append(out / "groups.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for run, colour in zip(e.runs, colours, strict=True):
        months = [r.month for r in run.results]
        ax.plot(
            months,
            [r.hires for r in run.results],
            "-o",
            color=colour,
            label=POLICY_LABELS[run.name],
        )
    ax.set_ylabel("hires")
    ax.set_title("Hires month by month")
    ax.legend(fontsize=8)
    fig.tight_layout()
    paths.append(out / "months.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)
    return paths


def write_report(evaluation: Evaluation, out: Path | str) -> Path:
    """Write ``README.md`` and the charts into ``out`` (created); returns the Markdown's path."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    write_charts(evaluation, folder)
    target = folder / "README.md"
    target.write_text(markdown(evaluation), encoding="utf-8")
    return target


__all__ = [
    "CHARTS",
    "HEADLINE_COLUMNS",
    "POLICY_LABELS",
    "headline_table",
    "markdown",
    "write_charts",
    "write_report",
]
