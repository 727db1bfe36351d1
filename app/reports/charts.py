"""Horizontal bar charts as inline SVG, drawn on the server: no JavaScript, legible printed in black and white.

Each group is a text label above its bars; each bar has its value written after it, so the
chart reads without colour. A second series is hatched rather than coloured differently.
Every text is escaped here: labels are people's input (country names, cohort names, titles).
"""
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 360
VALUE_ROOM = 84  # room after the longest bar for its value text
LABEL_HEIGHT = 17
BAR_HEIGHT = 15
BAR_GAP = 3
ROW_GAP = 9
LEGEND_HEIGHT = 22
TITLE_HEIGHT = 24
MAX_LABEL = 50  # characters; the full label is in the bar's <title> and in the table


@dataclass(frozen=True)
class Bar:
    """One group: its label, one value per series (None: nothing to draw) and the text written for each."""

    label: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...]


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1].rstrip() + "…"


def _fill(chart_id: str, series: int) -> str:
    return "#1f3b57" if series == 0 else f"url(#{chart_id}-hatch)"


def bar_chart(chart_id: str, title: str, bars: list[Bar], series: list[str], *, maximum: float | None = None,
              empty: str = "") -> Markup:
    """An <svg> with a <title>; `maximum` fixes the scale (100 for percentages), else the largest value."""
    chart_id = "".join(ch for ch in chart_id if ch.isalnum() or ch in "-_") or "chart"
    top = TITLE_HEIGHT + (LEGEND_HEIGHT if len(series) > 1 else 2)
    row_height = LABEL_HEIGHT + len(series) * (BAR_HEIGHT + BAR_GAP) + ROW_GAP
    height = top + max(len(bars), 1) * row_height + 4
    largest = max([value for bar in bars for value in bar.values if value is not None] + [0])
    scale_to = maximum if maximum else largest
    room = WIDTH - VALUE_ROOM
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
         f'height="{height}" role="img" aria-labelledby="{chart_id}-title" font-family="system-ui, sans-serif" font-size="13">'),
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        (f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
         f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
         f'<line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2.5"/></pattern></defs>'),
    ]
    # Drawn as well as in <title>: a printed chart names itself.
    parts.append(f'<text x="0" y="15" fill="#000" font-weight="700" font-size="14">{escape(_short(title))}</text>')
    if len(series) > 1:
        x = 0
        for index, name in enumerate(series):
            parts.append(f'<rect x="{x}" y="{TITLE_HEIGHT}" width="14" height="14" fill="{_fill(chart_id, index)}" stroke="#000"/>'
                         f'<text x="{x + 19}" y="{TITLE_HEIGHT + 11.5}" fill="#000">{escape(name)}</text>')
            x += 19 + 7.5 * len(name) + 18
    if not bars:
        parts.append(f'<text x="0" y="{top + 16}" fill="#000">{escape(empty)}</text>')
    y = top
    for bar in bars:
        details = "; ".join(f"{name}: {text}" for name, text in zip(series, bar.texts)) if len(series) > 1 else bar.texts[0]
        parts.append(f'<g><title>{escape(bar.label)} — {escape(details)}</title>')
        parts.append(f'<text x="0" y="{y + 13}" fill="#000">{escape(_short(bar.label))}</text>')
        bar_y = y + LABEL_HEIGHT
        span = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        parts.append(f'<line x1="0.5" y1="{bar_y - 2}" x2="0.5" y2="{bar_y + span + 2}" stroke="#000" stroke-width="1"/>')
        for index, (value, text) in enumerate(zip(bar.values, bar.texts)):
            length = 0.0
            if value is not None and scale_to > 0:
                length = round(room * min(max(value, 0) / scale_to, 1), 1)
            if length > 0:
                parts.append(f'<rect x="0" y="{bar_y}" width="{length}" height="{BAR_HEIGHT}" '
                             f'fill="{_fill(chart_id, index)}" stroke="#000" stroke-width="1"/>')
            parts.append(f'<text x="{length + 5}" y="{bar_y + BAR_HEIGHT - 3}" fill="#000">{escape(text)}</text>')
            bar_y += BAR_HEIGHT + BAR_GAP
        parts.append("</g>")
        y += row_height
    parts.append("</svg>")
    return Markup("".join(parts))
