"""A week-by-week bar chart as a PNG, with Persian labels, drawn with Pillow.

Pillow's basic layout draws glyphs in the order given, left to right; Persian text is
first joined into its contextual letter forms (arabic-reshaper) and put in visual order
(python-bidi), so it reads right to left in the picture whatever the machine's libraries.
The font, Vazirmatn (SIL Open Font License), ships with the project in bot/assets/fonts.
Texts come from the caller (the catalog); this module only draws.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parents[1] / "assets" / "fonts"
WIDTH, HEIGHT = 1000, 640
BACKGROUND = "#ffffff"
INK = "#263238"
FAINT = "#b0bec5"
COLOURS = ("#2e7d32", "#1565c0")  # one per panel
MARGIN = 40
TITLE_HEIGHT = 70
LABEL_WIDTH = 110  # the panel's name, on the right
AXIS_HEIGHT = 44  # week labels under the last panel


@lru_cache(maxsize=8)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "Vazirmatn-Bold.ttf" if bold else "Vazirmatn-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.BASIC)


def shaped(text: str) -> str:
    """Persian text as Pillow's basic layout must draw it: joined letters, visual order."""
    drawn: str = get_display(arabic_reshaper.reshape(text))  # the libraries ship no types
    return drawn


@dataclass(frozen=True)
class Panel:
    name: str  # e.g. «کانون‌ها»
    values: Sequence[int]
    value_labels: Sequence[str]  # each value as written on its bar (Persian digits)


def _text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, *, anchor: str,
          bold: bool = False, fill: str = INK) -> None:
    draw.text(xy, shaped(text), font=_font(size, bold), fill=fill, anchor=anchor)


def bar_chart(title: str, subtitle: str, panels: Sequence[Panel], week_labels: Sequence[str]) -> bytes:
    """One panel of bars per series, the weeks along the bottom (oldest on the left)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    _text(draw, (WIDTH - MARGIN, MARGIN // 2), title, 26, anchor="ra", bold=True)
    if subtitle:
        _text(draw, (WIDTH - MARGIN, MARGIN // 2 + 36), subtitle, 16, anchor="ra", fill="#546e7a")
    left, right = MARGIN, WIDTH - MARGIN - LABEL_WIDTH
    top, bottom = MARGIN + TITLE_HEIGHT, HEIGHT - MARGIN - AXIS_HEIGHT
    count = max(len(week_labels), 1)
    slot = (right - left) / count
    panel_height = (bottom - top) / max(len(panels), 1)
    for index, panel in enumerate(panels):
        colour = COLOURS[index % len(COLOURS)]
        panel_top = top + index * panel_height + 24  # room for the values above the bars
        base = top + (index + 1) * panel_height - 10
        _text(draw, (WIDTH - MARGIN, (panel_top + base) / 2), panel.name, 20, anchor="rm", bold=True, fill=colour)
        draw.line([(left, base), (right, base)], fill=FAINT, width=2)
        highest = max(max(panel.values, default=0), 1)
        for n, (value, value_label) in enumerate(zip(panel.values, panel.value_labels, strict=True)):
            x0 = left + n * slot + slot * 0.2
            x1 = left + (n + 1) * slot - slot * 0.2
            y = base - (base - panel_top) * value / highest
            if value:
                draw.rectangle([x0, y, x1, base], fill=colour)
            _text(draw, ((x0 + x1) / 2, y - 4), value_label, 14, anchor="md")
    for n, week in enumerate(week_labels):
        _text(draw, (left + (n + 0.5) * slot, bottom + 8), week, 13, anchor="ma", fill="#455a64")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
