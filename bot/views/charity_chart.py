"""A help campaign's progress per need as a PNG, for the final report (Persian labels, shaped
RTL with the shipped Vazirmatn font: bot/views/chart.py).

Each need is a row: its name on the right, a pale bar for what was promised and a strong one
for what arrived, as a share of the target (without a target, of what was promised).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.views.chart import BACKGROUND, FAINT, INK, MARGIN, _font, shaped

WIDTH = 1000
ROW_HEIGHT = 90
TITLE_HEIGHT = 90
LABEL_WIDTH = 260
PROMISED, DELIVERED = "#a5d6a7", "#2e7d32"


@dataclass(frozen=True)
class Row:
    name: str  # the need, e.g. «برنج (کیسه)»
    promised: float  # shares of the whole bar, 0 … 1 (more is drawn full)
    delivered: float
    promised_label: str  # e.g. «قول: ۶۰٪»
    delivered_label: str


def _text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, *, anchor: str,
          bold: bool = False, fill: str = INK) -> None:
    draw.text(xy, shaped(text), font=_font(size, bold), fill=fill, anchor=anchor)


def progress_chart(title: str, legend: str, rows: Sequence[Row]) -> bytes:
    height = TITLE_HEIGHT + ROW_HEIGHT * max(len(rows), 1) + MARGIN
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    _text(draw, (WIDTH - MARGIN, MARGIN // 2), title, 26, anchor="ra", bold=True)
    _text(draw, (WIDTH - MARGIN, MARGIN // 2 + 38), legend, 16, anchor="ra", fill="#546e7a")
    left, right = MARGIN, WIDTH - MARGIN - LABEL_WIDTH
    for index, row in enumerate(rows):
        top = TITLE_HEIGHT + index * ROW_HEIGHT
        _text(draw, (WIDTH - MARGIN, top + ROW_HEIGHT / 2), row.name, 20, anchor="rm", bold=True)
        for n, (share, colour, value_label) in enumerate(
            ((row.promised, PROMISED, row.promised_label), (row.delivered, DELIVERED, row.delivered_label)),
        ):
            y0 = top + 14 + n * 34
            draw.rectangle([left, y0, right, y0 + 26], outline=FAINT, width=1)
            # Right to left, like the text bars: the bar grows from the right edge.
            filled = (right - left) * max(0.0, min(share, 1.0))
            if filled:
                draw.rectangle([right - filled, y0, right, y0 + 26], fill=colour)
            _text(draw, (left + 6, y0 + 13), value_label, 14, anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
