"""The timeline chart: well-formed, accessible SVG that a strict CSP allows, text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from schildwacht.app.evidence.models import DayActivity, Timeline
from schildwacht.web import charts
from schildwacht.web.charts import (
    day_label,
    nice_ceiling,
    timeline_svg,
    timeline_table,
    timeline_table_rows,
)

SVG = "{http://www.w3.org/2000/svg}"
ALERT_DAY = date(2025, 11, 3)  # a Monday


def _timeline(days: int = 3) -> Timeline:
    rows = []
    for n in range(-days, days + 1):
        day = ALERT_DAY + timedelta(days=n)
        if n == 0:
            rows.append(DayActivity(day, 5, 3, 4, 2, 1))
        elif n == -2:
            rows.append(DayActivity(day, 10, 1, 1, 0, 0))
        else:
            rows.append(DayActivity(day, 7 + n, 0))
    return Timeline("e1", ALERT_DAY, ("123456782",), tuple(rows))


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def _all_text(root: ET.Element) -> str:
    return " ".join("".join(el.itertext()) for el in root.iter())


def test_svg_is_well_formed_and_accessible() -> None:
    root = _parse(timeline_svg(_timeline()))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert title.text == "Activiteit van de medewerker rond de meldingsdag"
    assert desc.text and "maandag 3 november 2025" in desc.text
    assert "in totaal 52 verklaard en 4 onverklaard" in desc.text


def test_svg_has_no_script_and_no_inline_style() -> None:
    markup = str(timeline_svg(_timeline(), title="<script>alert(1)</script>"))
    root = _parse(markup)
    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
    assert "<script" not in markup


def test_svg_escapes_a_malicious_title() -> None:
    evil = '"><script>alert("x")</script><rect onload="x'
    markup = str(timeline_svg(_timeline(), title=evil))
    root = _parse(markup)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == evil  # shown as text, not markup
    assert len([e for e in root.iter() if e.tag == f"{SVG}rect" and "onload" in e.attrib]) == 0


def test_svg_refuses_an_unsafe_chart_id() -> None:
    with pytest.raises(ValueError):
        timeline_svg(_timeline(), chart_id='x" onload="alert(1)')


def test_day_labels_and_alert_day_are_marked() -> None:
    root = _parse(timeline_svg(_timeline()))
    text = _all_text(root)
    for n in range(-3, 4):
        weekday, rest = day_label(ALERT_DAY + timedelta(days=n)).split(" ")
        assert weekday in text and rest in text
    assert day_label(ALERT_DAY) == "ma 3/11"
    assert "melding" in text
    bold = [el for el in root.iter(f"{SVG}text") if el.get("font-weight") == "bold"]
    assert {"".join(el.itertext()) for el in bold} == {"melding", "ma3/11"}
    dashed = [el for el in root.iter(f"{SVG}rect") if el.get("stroke-dasharray")]
    assert len(dashed) == 1  # the alert day's outline: marked by more than a colour


def test_subject_segments_are_hatched_and_outlined() -> None:
    root = _parse(timeline_svg(_timeline(), chart_id="alert-7"))
    pattern = root.find(f"{SVG}defs/{SVG}pattern")
    assert pattern is not None and pattern.get("id") == "alert-7-hatch"
    hatched = [
        el
        for el in root.iter(f"{SVG}rect")
        if el.get("fill") == "url(#alert-7-hatch)" and el.get("width") != "12"
    ]
    assert len(hatched) == 2  # two days with accesses to the subjects (legend swatch excluded)
    assert all(el.get("stroke") == charts.INK for el in hatched)


def test_bar_heights_add_up_to_the_days_accesses() -> None:
    timeline = _timeline()
    root = _parse(timeline_svg(timeline))
    top, _ = nice_ceiling(max(r.accesses for r in timeline.rows))
    days = [g for g in root.iter(f"{SVG}g") if g.get("class") == "sw-day"]
    assert len(days) == len(timeline.rows)
    for group, row in zip(days, timeline.rows, strict=True):
        bars = [r for r in group.findall(f"{SVG}rect") if not r.get("stroke-dasharray")]
        height = sum(float(r.get("height", 0)) for r in bars)
        gaps = max(len(bars) - 1, 0)
        assert height + gaps == pytest.approx(charts.PLOT * row.accesses / top, abs=0.3)


def test_english_chart() -> None:
    root = _parse(timeline_svg(_timeline(), lang="en-GB"))
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "The employee's activity around the alert day"
    assert root.get("lang") == "en"
    assert "Mon" in _all_text(root) and "alert" in _all_text(root)


def test_an_empty_timeline_renders() -> None:
    rows = tuple(DayActivity(ALERT_DAY + timedelta(days=n)) for n in range(-7, 8))
    root = _parse(timeline_svg(Timeline("e1", ALERT_DAY, (), rows)))
    assert root.get("role") == "img"


def test_colours_meet_non_text_contrast_on_white() -> None:
    for colour in (charts.EXPLAINED, charts.UNEXPLAINED, charts.SUBJECT, charts.INK):
        assert _contrast(colour, "#ffffff") >= 3.0, colour


def _contrast(a: str, b: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_table_alternative() -> None:
    timeline = _timeline()
    rows = timeline_table_rows(timeline)
    assert [r.is_alert_day for r in rows].count(True) == 1
    assert rows[3].label == "ma 3/11" and rows[3].unexplained == 3
    table = _parse(timeline_table(timeline, caption="<b>Activiteit</b>"))
    caption = table.find("caption")
    assert caption is not None and caption.text == "<b>Activiteit</b>"
    body = table.findall("tbody/tr")
    assert len(body) == 7
    header = body[3].find("th")
    assert header is not None and header.get("scope") == "row"
    assert header.text == "ma 3/11 (meldingsdag)"
    assert [td.text for td in body[3].findall("td")] == ["5", "3", "4", "2", "1"]


def test_nice_ceiling() -> None:
    assert nice_ceiling(0) == (1, 1)
    assert nice_ceiling(7) == (8, 2)
    assert nice_ceiling(61) == (80, 20)
    assert nice_ceiling(1234) == (1500, 500)
