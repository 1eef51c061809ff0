"""Charts of the management report: horizontal bars as server-rendered, accessible SVG.

The same markup goes to the web page and the PDF (WeasyPrint draws inline SVG), so a chart
is plain SVG with presentation attributes (``fill``), never ``style=`` or ``<style>``: the
pages' Content-Security-Policy forbids inline styles and no script runs. As in ``charts.py``
each chart is one image to assistive technology (``role="img"``, a ``<title>`` and a
``<desc>`` that says the numbers in words), every bar carries its number as text, so nothing
depends on colour, and the template puts a table with the same numbers next to it. Every text
is escaped here, whatever its source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from babel.numbers import format_decimal
from markupsafe import Markup, escape

from schildwacht.web.charts import EXPLAINED, INK, UNEXPLAINED

BAR = "#24578f"  # the report's blue, 7.0:1 on white
LATE = UNEXPLAINED  # dark orange, 7.3:1 on white
IN_TIME = "#166534"  # dark green, 7.1:1 on white
TRACK = "#f3f4f6"  # decorative background of a bar's full length

ROW, GAP, TOP = 22, 8, 8
BAR_WIDTH = 300  # the longest bar
CHAR = 6.4  # about the width of a character at font-size 11
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its number and (optionally) its own colour."""

    label: str
    value: int
    fill: str = BAR


def _e(value: object) -> str:
    return str(escape(value))


def _open(chart_id: str, width: float, height: float, title: str, desc: str) -> str:
    if not _ID.fullmatch(chart_id):
        raise ValueError("chart_id must be a letter followed by letters, digits, - or _")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sw-report-chart" role="img" lang="nl" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'font-family="sans-serif" font-size="11" fill="{INK}">'
        f'<title id="{chart_id}-title">{_e(title)}</title>'
        f'<desc id="{chart_id}-desc">{_e(desc)}</desc>'
    )


def describe(bars: Sequence[Bar], unit: str) -> str:
    """The numbers in words: ``Burgerzaken: 5 meldingen; Belastingen: 3 meldingen.``"""
    if not bars:
        return f"Geen {unit} in deze periode."
    return "; ".join(f"{b.label}: {number(b.value)} {unit}" for b in bars) + "."


def bar_chart(bars: Sequence[Bar], *, title: str, chart_id: str, unit: str) -> Markup:
    """Horizontal bars, one per row, the label left of its bar and the number right of it.

    Bars are scaled to the largest value; a zero is drawn as no bar, with its 0 still shown.
    """
    longest = max((len(b.label) for b in bars), default=10)
    label_width = min(max(longest * CHAR + 12, 80), 280)
    top_value = max((b.value for b in bars), default=0) or 1
    width = label_width + BAR_WIDTH + 60
    height = TOP * 2 + max(len(bars), 1) * (ROW + GAP)
    parts = [_open(chart_id, width, height, title, describe(bars, unit))]
    if not bars:
        parts.append(f'<text x="0" y="{TOP + 15}">Geen {_e(unit)} in deze periode.</text>')
    for index, bar in enumerate(bars):
        y = TOP + index * (ROW + GAP)
        length = BAR_WIDTH * bar.value / top_value
        tip = f"{bar.label}: {number(bar.value)} {unit}"
        parts.append(
            f'<g class="sw-report-bar"><title>{_e(tip)}</title>'
            f'<text x="{label_width - 8:.1f}" y="{y + 15}" text-anchor="end">{_e(bar.label)}</text>'
            f'<rect x="{label_width:.1f}" y="{y}" width="{BAR_WIDTH}" height="{ROW}" '
            f'fill="{TRACK}"/>'
        )
        if bar.value > 0:
            parts.append(
                f'<rect x="{label_width:.1f}" y="{y}" width="{max(length, 1.0):.1f}" '
                f'height="{ROW}" fill="{_e(bar.fill)}"/>'
            )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" font-weight="bold">'
            f"{number(bar.value)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def share_chart(explained: int, total: int, *, title: str, chart_id: str) -> Markup:
    """One bar of 100 %: the explained part grey, the unexplained part dark orange, each with
    its percentage written in the legend below (not by colour alone)."""
    bar_width, left = 400, 10
    share = explained / total if total else 0.0
    rest = total - explained
    legend = (
        (EXPLAINED, f"Verklaard: {percent(share)} ({number(explained)})"),
        (UNEXPLAINED, f"Onverklaard: {percent(1 - share)} ({number(rest)})"),
    )
    steps = [17 + CHAR * len(text) + 22 for _, text in legend]
    width = max(left + bar_width, left + sum(steps)) + 10
    desc = (
        f"{percent(share)} van {number(total)} raadplegingen verklaard door het werk "
        f"({number(explained)}); {percent(1 - share)} onverklaard ({number(rest)})."
    )
    split = bar_width * share
    parts = [_open(chart_id, width, 70, title, desc)]
    parts.append(f'<rect x="{left}" y="8" width="{split:.1f}" height="26" fill="{EXPLAINED}"/>')
    parts.append(
        f'<rect x="{left + split:.1f}" y="8" width="{bar_width - split:.1f}" height="26" '
        f'fill="{UNEXPLAINED}"/>'
    )
    x = float(left)
    for (fill, text), step in zip(legend, steps, strict=True):
        parts.append(
            f'<rect x="{x:.1f}" y="48" width="12" height="12" fill="{fill}"/>'
            f'<text x="{x + 17:.1f}" y="58">{_e(text)}</text>'
        )
        x += step
    parts.append("</svg>")
    return Markup("".join(parts))


def number(value: int) -> str:
    """``20.971``: Dutch digit grouping."""
    return format_decimal(value, locale="nl")


def percent(share: float | None) -> str:
    """``60,5 %`` (Dutch decimal comma); ``onbekend`` when nothing was measured."""
    if share is None:
        return "onbekend"
    return f"{share * 100:.1f}".replace(".", ",") + " %"
