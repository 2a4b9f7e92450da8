"""Charts drawn as inline SVG by the server: horizontal bars with Chinese labels, no script.

Text is drawn by the browser with the page's fonts (the stylesheet names the CJK families), so
the labels stay readable wherever the page is; each chart carries a ``<title>`` and a table of
the same figures sits next to it for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

_BAR_H = 30
_GAP = 10
_LABEL_W = 190
_VALUE_W = 150
_WIDTH = 640
_COLORS = ("#1659a6", "#b3261e", "#1d7a3a", "#9a5b00", "#6b3fa0", "#00727a")


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value, and the text shown after it."""

    label: str
    value: float
    text: str


def bars(items: Sequence[tuple[str, float]], *, percent: bool = False) -> list[Bar]:
    """Bars of (label, value) pairs; ``percent`` shows values in [0, 1] as percentages."""
    out = []
    for label, value in items:
        text = f"{value * 100:.0f}%" if percent else f"{value:g}"
        out.append(Bar(label, float(value), text))
    return out


def bar_chart(
    items: Sequence[Bar], *, title: str, scale_max: float | None = None, color: int = 0
) -> Markup:
    """A horizontal bar chart as an ``<svg>`` element (empty string for no bars)."""
    if not items:
        return Markup("")
    top = scale_max if scale_max is not None else max((b.value for b in items), default=0.0)
    top = top if top > 0 else 1.0
    span = _WIDTH - _LABEL_W - _VALUE_W
    height = len(items) * (_BAR_H + _GAP) + _GAP
    fill = _COLORS[color % len(_COLORS)]
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(items):
        y = _GAP + i * (_BAR_H + _GAP)
        w = max(0.0, min(bar.value / top, 1.0)) * span
        mid = y + _BAR_H / 2 + 6
        label = bar.label if len(bar.label) <= 10 else bar.label[:9] + "…"
        parts.append(
            f'<text x="{_LABEL_W - 8}" y="{mid:.0f}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{_LABEL_W}" y="{y}" width="{span}" height="{_BAR_H}" fill="#eef2f6"/>'
            f'<rect x="{_LABEL_W}" y="{y}" width="{w:.1f}" height="{_BAR_H}" fill="{fill}">'
            f"<title>{escape(bar.label)}：{escape(bar.text)}</title></rect>"
            f'<text x="{_LABEL_W + w + 6:.1f}" y="{mid:.0f}">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


__all__ = ["Bar", "bar_chart", "bars"]
