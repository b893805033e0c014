"""SVG charts drawn at build time: readable without JavaScript, labelled axes, a text fallback for screen readers.

Every label is escaped here (publisher names and periods are data), and the output is returned as
``markupsafe.Markup`` so templates can place it without ``|safe`` on anything that came from a document.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

FONT = 12


def _num(value: float) -> str:
    """Stable short number formatting (no float noise in the golden files)."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _ticks(maximum: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``maximum``."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    top = step * math.ceil(maximum / step)
    n = int(round(top / step))
    return [round(step * i, 6) for i in range(n + 1)]


def column_chart(rows: Sequence[tuple[str, float]], *, title: str, x_label: str, y_label: str,
                 chart_id: str, width: int = 560, height: int = 220) -> Markup:
    """Vertical bars, one per row (e.g. one per year); empty input draws an empty, labelled frame."""
    left, right, top, bottom = 48, 12, 12, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = _ticks(max((v for _, v in rows), default=0))
    top_value = ticks[-1] or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d"'
        f' xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(_describe(rows, y_label))}</desc>',
    ]
    for t in ticks:
        y = top + plot_h - plot_h * t / top_value
        parts.append(f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{_num(y)}" y2="{_num(y)}"/>')
        parts.append(f'<text x="{left - 6}" y="{_num(y + 4)}" text-anchor="end">{_num(t)}</text>')
    n = max(len(rows), 1)
    slot = plot_w / n
    bar = max(min(slot * 0.7, 48), 1)
    label_every = max(1, math.ceil(n / max(plot_w // 44, 1)))
    for i, (label, value) in enumerate(rows):
        x = left + slot * i + (slot - bar) / 2
        h = plot_h * value / top_value
        parts.append(
            f'<rect class="bar" x="{_num(x)}" y="{_num(top + plot_h - h)}" width="{_num(bar)}" height="{_num(h)}">'
            f'<title>{escape(label)}: {_num(value)}</title></rect>'
        )
        if i % label_every == 0:
            parts.append(f'<text x="{_num(left + slot * i + slot / 2)}" y="{top + plot_h + 16}" text-anchor="middle">{escape(label)}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}"/>')
    parts.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}"/>')
    parts.append(f'<text class="axis-label" x="{left + plot_w / 2:.0f}" y="{height - 6}" text-anchor="middle">{escape(x_label)}</text>')
    parts.append(f'<text class="axis-label" transform="translate(12 {top + plot_h / 2:.0f}) rotate(-90)" text-anchor="middle">{escape(y_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(rows: Sequence[tuple[str, float]], *, title: str, x_label: str, y_label: str,
              chart_id: str, width: int = 560) -> Markup:
    """Horizontal bars with the category name on the left (long names such as publishers stay readable)."""
    left, right, top, bottom, row_h = 190, 40, 8, 40, 22
    plot_w = width - left - right
    height = top + bottom + row_h * max(len(rows), 1)
    ticks = _ticks(max((v for _, v in rows), default=0))
    top_value = ticks[-1] or 1
    plot_bottom = top + row_h * max(len(rows), 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d"'
        f' xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(_describe(rows, x_label))}</desc>',
    ]
    for t in ticks:
        x = left + plot_w * t / top_value
        parts.append(f'<line class="grid" x1="{_num(x)}" x2="{_num(x)}" y1="{top}" y2="{plot_bottom}"/>')
        parts.append(f'<text x="{_num(x)}" y="{plot_bottom + 14}" text-anchor="middle">{_num(t)}</text>')
    for i, (label, value) in enumerate(rows):
        y = top + row_h * i
        w = plot_w * value / top_value
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + row_h / 2 + 4:.0f}" text-anchor="end">{escape(short)}</text>')
        parts.append(
            f'<rect class="bar" x="{left}" y="{y + 3}" width="{_num(w)}" height="{row_h - 6}">'
            f'<title>{escape(label)}: {_num(value)}</title></rect>'
        )
        parts.append(f'<text x="{_num(left + w + 4)}" y="{y + row_h / 2 + 4:.0f}">{_num(value)}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{plot_bottom}"/>')
    parts.append(f'<text class="axis-label" x="{left + plot_w / 2:.0f}" y="{height - 6}" text-anchor="middle">{escape(x_label)}</text>')
    parts.append(f'<text class="axis-label" x="{left - 6}" y="{height - 6}" text-anchor="end">{escape(y_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _describe(rows: Sequence[tuple[str, float]], measure: str) -> str:
    if not rows:
        return "No data."
    return "; ".join(f"{label}: {_num(value)}" for label, value in rows) + f" ({measure})."


def sparkline(rows: Sequence[tuple[str, float]], *, label: str, chart_id: str, width: int = 120,
              height: int = 28) -> Markup:
    """A small column per period (a trend beside a term in a table), with the values for screen readers and
    on hover; the tallest column fills the height, an empty period is a baseline tick."""
    top = max((v for _, v in rows), default=0) or 1
    n = max(len(rows), 1)
    slot = width / n
    bar = max(slot - 1, 1)
    parts = [
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img"'
        f' aria-labelledby="{escape(chart_id)}-t" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-t">{escape(label)}: {escape(_describe(rows, "per 10,000 words"))}</title>',
    ]
    for i, (period, value) in enumerate(rows):
        h = max((height - 2) * value / top, 1 if value else 0.5)
        parts.append(f'<rect class="bar{" zero" if not value else ""}" x="{_num(i * slot)}" y="{_num(height - h)}" '
                     f'width="{_num(bar)}" height="{_num(h)}"><title>{escape(period)}: {_num(round(value, 1))}'
                     f'</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))
