"""Server-rendered, accessible charts for the alert page: no script, no inline style.

The pages run under a strict Content-Security-Policy, so a chart is plain SVG markup with
presentation attributes (``fill``, ``stroke``), never ``style=`` or ``<style>``, and it works
without JavaScript. Every text is escaped here, whatever its source. The chart is one image
to assistive technology (``role="img"`` with a title and a description that says what it
shows in words); the same numbers are offered as a table for those who want them all.

Colours meet WCAG 2.1 non-text contrast (at least 3:1 against white), segments are separated
by a white gap, and the alert's subjects are marked by a hatch pattern and a dark outline as
well as by colour, so nothing depends on telling colours apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from schildwacht.app.evidence.models import DayActivity, Timeline

EXPLAINED = "#868e96"  # neutral grey, 3.3:1 on white
UNEXPLAINED = "#9a3412"  # warning (dark orange), 7.3:1 on white
SUBJECT = "#5b21b6"  # violet, 9.0:1 on white, hatched and outlined
INK = "#111827"  # text, axis and outlines, 17.7:1 on white
GRID = "#d1d5db"  # decorative grid lines
BAND = "#eef2ff"  # decorative background of the alert day

TOP, PLOT, BOTTOM, LEFT, RIGHT = 52, 160, 52, 44, 12
BAR_SHARE = 0.64  # bar width as a share of its day's slot

WEEKDAYS = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
WEEKDAYS_LONG = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip

TEXT = {
    "nl": {
        "title": "Activiteit van de medewerker rond de meldingsdag",
        "explained": "Verklaard",
        "unexplained": "Onverklaard",
        "subject": "Betrokkene(n) van de melding",
        "subject_unexplained": "Waarvan onverklaard",
        "without_subject": "Zonder persoon",
        "day": "Dag",
        "count": "Aantal",
        "alert_day": "melding",
        "alert_day_long": "meldingsdag",
        "summary": (
            "Raadplegingen per dag van {start} tot en met {end}: in totaal {explained} "
            "verklaard en {unexplained} onverklaard. {subject} raadpleging(en) van de "
            "betrokkene(n) van de melding, op {subject_days} dag(en). Meldingsdag {day}: "
            "{day_explained} verklaard, {day_unexplained} onverklaard, waarvan "
            "{day_subject} van de betrokkene(n)."
        ),
        "bar": "{label}: {explained} verklaard, {unexplained} onverklaard, {subject} van de "
        "betrokkene(n) ({subject_unexplained} onverklaard)",
    },
    "en": {
        "title": "The employee's activity around the alert day",
        "explained": "Explained",
        "unexplained": "Unexplained",
        "subject": "The alert's subject(s)",
        "subject_unexplained": "Of which unexplained",
        "without_subject": "No person",
        "day": "Day",
        "count": "Number",
        "alert_day": "alert",
        "alert_day_long": "alert day",
        "summary": (
            "Accesses per day from {start} to {end}: {explained} explained and {unexplained} "
            "unexplained in all. {subject} access(es) to the alert's subject(s), on "
            "{subject_days} day(s). Alert day {day}: {day_explained} explained, "
            "{day_unexplained} unexplained, of which {day_subject} to the subject(s)."
        ),
        "bar": "{label}: {explained} explained, {unexplained} unexplained, {subject} to the "
        "subject(s) ({subject_unexplained} unexplained)",
    },
}

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


def language(lang: str) -> str:
    """``en`` for any English tag (``en``, ``en-GB``); Dutch, the users' language, otherwise."""
    return "en" if lang.lower().startswith("en") else "nl"


def day_label(day: date, lang: str = "nl") -> str:
    """Short axis label: ``ma 3/11`` (day/month, as the Dutch write it, in both languages)."""
    return f"{WEEKDAYS[language(lang)][day.weekday()]} {day.day}/{day.month}"


def long_day(day: date, lang: str = "nl") -> str:
    """A day in words for screen readers: ``maandag 3 november 2025``."""
    code = language(lang)
    weekday, month = WEEKDAYS_LONG[code][day.weekday()], MONTHS[code][day.month - 1]
    return f"{weekday} {day.day} {month} {day.year}"


def _e(value: object) -> str:
    return str(escape(value))


@dataclass(frozen=True)
class TimelineTableRow:
    """One row of the table alternative of the chart."""

    day: date
    label: str
    explained: int
    unexplained: int
    subject: int
    subject_unexplained: int
    without_subject: int
    is_alert_day: bool


def timeline_table_rows(timeline: Timeline, *, lang: str = "nl") -> list[TimelineTableRow]:
    """The chart's numbers per day, for a template that renders its own table."""
    return [_table_row(r, r.day == timeline.alert_day, lang) for r in timeline.rows]


def _table_row(r: DayActivity, alert: bool, lang: str) -> TimelineTableRow:
    return TimelineTableRow(
        r.day, day_label(r.day, lang), r.explained, r.unexplained, r.subject,
        r.subject_unexplained, r.without_subject, alert,
    )  # fmt: skip


def timeline_table(timeline: Timeline, *, lang: str = "nl", caption: str | None = None) -> Markup:
    """The chart as an HTML table with a caption, header cells and the alert day marked."""
    t = TEXT[language(lang)]
    heads = ("day", "explained", "unexplained", "subject", "subject_unexplained", "without_subject")
    out = [f'<table class="sw-timeline-table"><caption>{_e(caption or t["title"])}</caption>']
    out.append("<thead><tr>")
    out += [f'<th scope="col">{_e(t[h])}</th>' for h in heads]
    out.append("</tr></thead><tbody>")
    for row in timeline_table_rows(timeline, lang=lang):
        label = f"{row.label} ({t['alert_day_long']})" if row.is_alert_day else row.label
        marked = ' class="sw-alert-day"' if row.is_alert_day else ""
        cells = (row.explained, row.unexplained, row.subject, row.subject_unexplained,
                 row.without_subject)  # fmt: skip
        out.append(f'<tr{marked}><th scope="row">{_e(label)}</th>')
        out += [f"<td>{int(n)}</td>" for n in cells]
        out.append("</tr>")
    out.append("</tbody></table>")
    return Markup("".join(out))


def _summary(timeline: Timeline, lang: str) -> str:
    code = language(lang)
    rows = timeline.rows
    today = next((r for r in rows if r.day == timeline.alert_day), DayActivity(timeline.alert_day))
    return TEXT[code]["summary"].format(
        start=long_day(timeline.start, code),
        end=long_day(timeline.end, code),
        explained=sum(r.explained for r in rows),
        unexplained=sum(r.unexplained for r in rows),
        subject=sum(r.subject for r in rows),
        subject_days=sum(1 for r in rows if r.subject),
        day=long_day(timeline.alert_day, code),
        day_explained=today.explained,
        day_unexplained=today.unexplained,
        day_subject=today.subject,
    )


def nice_ceiling(value: int) -> tuple[int, int]:
    """An axis maximum of at least ``value`` and its tick step (1, 2 or 5 times 10^k)."""
    if value <= 0:
        return 1, 1
    magnitude = 10 ** max(int(math.log10(value)) - 1, 0)
    for factor in (1, 2, 5, 10, 20, 50):  # value < 100 * magnitude: 50 always suffices
        step = factor * magnitude
        if value <= step * 4:
            break
    return math.ceil(value / step) * step, step


@dataclass(frozen=True)
class _Frame:
    """Where things go: one slot per day, counts scaled to the plot height."""

    slot: float
    top: int
    right: float  # where the plot ends
    width: float  # the whole image, legend included
    height: int

    def x(self, index: int) -> float:
        return LEFT + index * self.slot

    def y(self, count: float) -> float:
        return TOP + PLOT - PLOT * count / self.top


def timeline_svg(
    timeline: Timeline, *, lang: str = "nl", title: str | None = None, chart_id: str = "sw-tl"
) -> Markup:
    """A stacked bar per day: explained, unexplained, and the alert's subjects on top.

    ``chart_id`` prefixes the ids inside the SVG (title, description, pattern); give each
    chart on one page its own. ``title`` replaces the default title and is escaped.
    """
    if not _ID.fullmatch(chart_id):
        raise ValueError("chart_id must be a letter followed by letters, digits, - or _")
    code = language(lang)
    t = TEXT[code]
    n = max(len(timeline.rows), 1)
    slot = 44.0 if n <= 21 else max(12.0, 924.0 / n)
    top, step = nice_ceiling(max((r.accesses for r in timeline.rows), default=0))
    right = LEFT + n * slot
    width = max(right, _legend_end(_legend_items(chart_id, t))) + RIGHT
    frame = _Frame(slot, top, right, width, TOP + PLOT + BOTTOM)
    parts = [
        _open(chart_id, frame, code),
        f'<title id="{chart_id}-title">{_e(title or t["title"])}</title>',
        f'<desc id="{chart_id}-desc">{_e(_summary(timeline, code))}</desc>',
        _defs(chart_id),
        _legend(chart_id, t),
        _grid(frame, step, t),
    ]
    label_every = math.ceil(44.0 / slot)
    for index, row in enumerate(timeline.rows):
        alert = row.day == timeline.alert_day
        labelled = alert or index % label_every == 0
        parts.append(_day(chart_id, frame, index, row, alert, labelled, code))
    parts.append(_axis(frame, t))
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(chart_id: str, frame: _Frame, lang: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sw-chart" role="img" lang="{lang}" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'viewBox="0 0 {frame.width:.0f} {frame.height}" width="{frame.width:.0f}" '
        f'height="{frame.height}" font-family="sans-serif" font-size="11" fill="{INK}">'
    )


def _defs(chart_id: str) -> str:
    """The subjects' hatch: white diagonal lines over violet (a pattern, not only a hue)."""
    return (
        f'<defs><pattern id="{chart_id}-hatch" patternUnits="userSpaceOnUse" width="6" '
        f'height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="{SUBJECT}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>'
    )


def _legend_items(chart_id: str, t: dict[str, str]) -> tuple[tuple[str, str, str], ...]:
    """(fill, outline, label) of each legend entry, in stacking order."""
    return (
        (EXPLAINED, "none", t["explained"]),
        (UNEXPLAINED, "none", t["unexplained"]),
        (f"url(#{chart_id}-hatch)", INK, t["subject"]),
    )


def _legend_step(label: str) -> float:
    """Room for a swatch, its label (about 6.5 units a character) and a gap."""
    return 17 + 6.5 * len(label) + 18


def _legend_end(items: tuple[tuple[str, str, str], ...]) -> float:
    return LEFT + sum(_legend_step(label) for _, _, label in items)


def _legend(chart_id: str, t: dict[str, str]) -> str:
    out, x = ['<g class="sw-legend">'], float(LEFT)
    for fill, stroke, label in _legend_items(chart_id, t):
        out.append(
            f'<rect x="{x:.1f}" y="8" width="12" height="12" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="1.5"/><text x="{x + 17:.1f}" y="18">{_e(label)}</text>'
        )
        x += _legend_step(label)
    out.append("</g>")
    return "".join(out)


def _grid(frame: _Frame, step: int, t: dict[str, str]) -> str:
    out = ['<g class="sw-grid">']
    right = frame.right
    for value in range(0, frame.top + 1, step):
        y = frame.y(value)
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    middle = TOP + PLOT / 2
    out.append(
        f'<text x="12" y="{middle:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {middle:.1f})">{_e(t["count"])}</text></g>'
    )
    return "".join(out)


def _day(
    chart_id: str,
    frame: _Frame,
    index: int,
    row: DayActivity,
    alert: bool,
    labelled: bool,
    lang: str,
) -> str:
    """One day's slot: the bar's segments, its tooltip, its label, and the alert marker."""
    t = TEXT[lang]
    x, width = frame.x(index), frame.slot * BAR_SHARE
    bar_x = x + (frame.slot - width) / 2
    tip = t["bar"].format(
        label=day_label(row.day, lang), explained=row.explained, unexplained=row.unexplained,
        subject=row.subject, subject_unexplained=row.subject_unexplained,
    )  # fmt: skip
    out = [f'<g class="sw-day"><title>{_e(tip)}</title>']
    if alert:
        out.append(_alert_marker(frame, x, t))
    base = 0
    segments = (
        (row.other_explained, EXPLAINED, "none"),
        (row.other_unexplained, UNEXPLAINED, "none"),
        (row.subject, f"url(#{chart_id}-hatch)", INK),
    )
    for count, fill, stroke in segments:
        if count > 0:
            out.append(_segment(frame, bar_x, width, base, count, fill, stroke))
        base += count
    if labelled:
        out.append(_day_label(x + frame.slot / 2, row.day, alert, lang))
    out.append("</g>")
    return "".join(out)


def _segment(
    frame: _Frame, x: float, width: float, base: int, count: int, fill: str, stroke: str
) -> str:
    """A stacked segment with a 1-unit white gap above its neighbour below."""
    y_top, y_bottom = frame.y(base + count), frame.y(base) - (1 if base else 0)
    height = max(y_bottom - y_top, 1.0)
    return (
        f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
    )


def _alert_marker(frame: _Frame, x: float, t: dict[str, str]) -> str:
    """A tinted, dash-outlined slot with a label: the alert day, not by colour alone."""
    return (
        f'<rect x="{x + 1:.1f}" y="{TOP - 4}" width="{frame.slot - 2:.1f}" height="{PLOT + 4}" '
        f'fill="{BAND}" stroke="{INK}" stroke-dasharray="4 3"/>'
        f'<text x="{x + frame.slot / 2:.1f}" y="{TOP - 8}" text-anchor="middle" '
        f'font-weight="bold">{_e(t["alert_day"])}</text>'
    )


def _day_label(centre: float, day: date, alert: bool, lang: str) -> str:
    weekday, rest = day_label(day, lang).split(" ", 1)
    weight = ' font-weight="bold"' if alert else ""
    y = TOP + PLOT + 15
    return (
        f'<text x="{centre:.1f}" y="{y}" text-anchor="middle"{weight}>'
        f'<tspan x="{centre:.1f}">{_e(weekday)}</tspan>'
        f'<tspan x="{centre:.1f}" dy="13">{_e(rest)}</tspan></text>'
    )


def _axis(frame: _Frame, t: dict[str, str]) -> str:
    baseline = TOP + PLOT
    right = frame.right
    return (
        f'<line x1="{LEFT}" y1="{baseline}" x2="{right:.1f}" y2="{baseline}" stroke="{INK}"/>'
        f'<text x="{(LEFT + right) / 2:.1f}" y="{frame.height - 6}" text-anchor="middle">'
        f"{_e(t['day'])}</text>"
    )
