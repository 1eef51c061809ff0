"""The ENISA severity score against BREACH.md §5: every table value, every band boundary, the
reasoned DPC adjustment, and the worked examples computed by hand."""

from __future__ import annotations

import json
import re
from itertools import product
from typing import Any

import pytest

from schildwacht.app.breaches.defaults import default_severity
from schildwacht.app.breaches.severity import (
    AP_SEVERITY,
    Availability,
    Band,
    Confidentiality,
    Context,
    Identification,
    Integrity,
    Motive,
    SeverityAssessment,
    assess,
    band_for,
    dutch,
)
from schildwacht.errors import UserError

NOTHING = {"confidentiality": "none", "integrity": "none", "availability": "none"}


def score(**kwargs: Any) -> SeverityAssessment:
    return assess(**{"identification": "maximum", **NOTHING, **kwargs})


# --- The tables, value by value (BREACH.md §5) ------------------------------------------


@pytest.mark.parametrize(
    ("context", "basic"),
    [("simple", 1), ("behavioural", 2), ("financial", 3), ("sensitive", 4)],
)
def test_basic_dpc_per_context(context: str, basic: int) -> None:
    result = score(context=context)
    assert (result.dpc_basic, result.dpc, result.dpc_reason) == (basic, basic, None)
    assert result.score == basic  # EI 1, CB 0


@pytest.mark.parametrize(
    ("identification", "ei"),
    [("negligible", 0.25), ("limited", 0.5), ("significant", 0.75), ("maximum", 1.0)],
)
def test_ei_values(identification: str, ei: float) -> None:
    result = score(context="sensitive", identification=identification)
    assert result.ei == ei
    assert result.score == 4 * ei


@pytest.mark.parametrize(
    ("element", "code", "points"),
    [
        ("confidentiality", "none", 0.0),
        ("confidentiality", "known", 0.25),
        ("confidentiality", "unknown", 0.5),
        ("integrity", "none", 0.0),
        ("integrity", "recoverable", 0.25),
        ("integrity", "irrecoverable", 0.5),
        ("availability", "none", 0.0),
        ("availability", "temporary", 0.25),
        ("availability", "permanent", 0.5),
    ],
)
def test_cb_elements(element: str, code: str, points: float) -> None:
    result = score(context="simple", **{element: code})
    assert getattr(result, f"cb_{element}") == points
    assert result.cb == points
    assert result.score == 1 + points


def test_malicious_intent_adds_half_a_point() -> None:
    assert score(context="simple").cb_malicious == 0.0
    result = score(context="simple", malicious=True)
    assert (result.malicious, result.cb_malicious, result.cb, result.score) == (True, 0.5, 0.5, 1.5)


def test_cb_elements_add_up_to_at_most_two_and_se_to_at_most_six() -> None:
    worst = score(
        context="sensitive", confidentiality="unknown", integrity="irrecoverable",
        availability="permanent", malicious=True,
    )  # fmt: skip
    assert (worst.cb, worst.score, worst.band) == (2.0, 6.0, Band.very_high)


def test_every_combination_follows_the_formula() -> None:
    """SE = DPC x EI + CB over the whole input space (4 x 4 x 3 x 3 x 3 x 2 = 864 cases)."""
    dpc = {"simple": 1, "behavioural": 2, "financial": 3, "sensitive": 4}
    ei = {"negligible": 0.25, "limited": 0.5, "significant": 0.75, "maximum": 1.0}
    three = {0: "none", 1: "known", 2: "unknown"}
    for c, i, conf, integ, avail, mal in product(dpc, ei, range(3), range(3), range(3), (0, 1)):
        result = assess(
            context=c, identification=i, confidentiality=three[conf],
            integrity=list(Integrity)[integ], availability=list(Availability)[avail],
            malicious=bool(mal),
        )  # fmt: skip
        cb = 0.25 * (conf + integ + avail) + 0.5 * mal
        assert result.score == dpc[c] * ei[i] + cb
        assert 0.25 <= result.score <= 6.0


# --- Bands ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.25, Band.low),
        (1.75, Band.low),
        (1.999, Band.low),
        (2.0, Band.medium),
        (2.75, Band.medium),
        (3.0, Band.high),
        (3.75, Band.high),
        (4.0, Band.very_high),
        (6.0, Band.very_high),
    ],
)
def test_band_boundaries(value: float, band: Band) -> None:
    assert band_for(value) == band


@pytest.mark.parametrize(
    ("kwargs", "expected", "band"),
    [
        ({"context": "behavioural"}, 2.0, Band.medium),  # exactly 2
        ({"context": "financial"}, 3.0, Band.high),  # exactly 3
        ({"context": "sensitive"}, 4.0, Band.very_high),  # exactly 4
        ({"context": "simple", "confidentiality": "known", "malicious": True}, 1.75, Band.low),
        ({"context": "simple", "malicious": True, "confidentiality": "unknown"}, 2.0, Band.medium),
        ({"context": "behavioural", "identification": "significant", "integrity": "recoverable",
          "availability": "temporary", "confidentiality": "known"}, 2.25, Band.medium),
        ({"context": "sensitive", "identification": "significant"}, 3.0, Band.high),
        ({"context": "financial", "confidentiality": "unknown", "malicious": True}, 4.0,
         Band.very_high),
    ],
)  # fmt: skip
def test_assessments_that_land_on_a_boundary(
    kwargs: dict[str, Any], expected: float, band: Band
) -> None:
    result = score(**kwargs)
    assert (result.score, result.band) == (expected, band)


def test_band_labels() -> None:
    assert [dutch(b) for b in Band] == ["laag", "gemiddeld", "hoog", "zeer hoog"]
    assert [b.value for b in Band] == ["low", "medium", "high", "very_high"]
    assert AP_SEVERITY[Band.very_high] == "zeer groot"


# --- The reasoned DPC adjustment -----------------------------------------------------------


def test_an_adjusted_dpc_needs_a_written_reason() -> None:
    with pytest.raises(UserError, match="schriftelijke toelichting"):
        score(context="simple", context_score=2)
    with pytest.raises(UserError, match="schriftelijke toelichting"):
        score(context="simple", context_score=2, reason="   ")


def test_an_adjusted_dpc_with_a_reason_is_used_and_shown() -> None:
    result = score(context="simple", context_score=2, reason=" BN'er: publieke belangstelling ")
    assert (result.dpc_basic, result.dpc, result.adjusted) == (1, 2, True)
    assert result.dpc_reason == "BN'er: publieke belangstelling"
    assert result.score == 2.0


def test_lowering_a_dpc_is_an_adjustment_too() -> None:
    """ENISA: a 'good health' certificate scores 1 although it is health data."""
    result = score(context="sensitive", context_score=1, reason="verklaring van goede gezondheid")
    assert (result.dpc, result.score, result.band) == (1, 1.0, Band.low)


def test_the_basic_score_given_explicitly_needs_no_reason() -> None:
    result = score(context="financial", context_score=3)
    assert (result.dpc, result.adjusted, result.dpc_reason) == (3, False, None)


@pytest.mark.parametrize("bad", [0, 5, -1, 2.5, True])
def test_out_of_range_dpc_is_refused(bad: object) -> None:
    with pytest.raises(UserError, match="DPC"):
        score(context="simple", context_score=bad, reason="because")


def test_unknown_codes_are_refused_with_the_choices() -> None:
    with pytest.raises(UserError, match=re.escape("simple|behavioural|financial|sensitive")):
        score(context="medical")
    with pytest.raises(UserError, match=re.escape("none|known|unknown")):
        score(context="simple", confidentiality="some")


def test_as_dict_shows_every_component_and_is_json() -> None:
    result = score(context="simple", context_score=2, reason="BN'er", confidentiality="known")
    data = json.loads(json.dumps(result.as_dict()))
    assert list(data)[:2] == ["score", "band"]
    assert data == {
        "score": 2.25, "band": "medium", "band_nl": "gemiddeld", "context": "simple",
        "dpc_basic": 1, "dpc": 2, "dpc_reason": "BN'er", "identification": "maximum", "ei": 1.0,
        "confidentiality": "known", "cb_confidentiality": 0.25, "integrity": "none",
        "cb_integrity": 0.0, "availability": "none", "cb_availability": 0.0,
        "malicious": False, "cb_malicious": 0.0, "cb": 0.25,
    }  # fmt: skip


def test_assessment_is_frozen() -> None:
    result = score(context="simple")
    with pytest.raises(AttributeError):
        result.score = 5  # type: ignore[misc]


# --- Defaults from the evidence: realistic cases, hand-computed ----------------------------


def test_curiosity_look_up_of_a_celebrity_brp_address() -> None:
    """BREACH.md §5 worked example: DPC 2 x EI 1 + CB 0.25 = 2.25, medium."""
    found = default_severity(
        data_categories=["basis", "adres"], watchlist_categories=["public_figure"],
        motive=Motive.curiosity,
    )  # fmt: skip
    a = found.assessment
    assert (a.context, a.dpc_basic, a.dpc, a.ei, a.cb, a.score) == (
        Context.simple, 1, 2, 1.0, 0.25, 2.25,
    )  # fmt: skip
    assert a.band == Band.medium and not a.malicious
    assert a.dpc_reason and "bekende Nederlander" in a.dpc_reason
    assert a.confidentiality == Confidentiality.known


def test_addresses_passed_to_criminals() -> None:
    """BREACH.md §5 worked example (Amsterdam): 4 x 1 + (0.5 + 0.5) = 5.0, very high."""
    a = default_severity(data_categories=["adres"], passed_on=True, motive="profit").assessment
    assert (a.dpc, a.ei, a.cb_confidentiality, a.cb_malicious, a.score) == (4, 1.0, 0.5, 0.5, 5.0)
    assert a.confidentiality == Confidentiality.unknown
    assert a.band == Band.very_high
    assert a.dpc_reason and "veiligheid" in a.dpc_reason


def test_family_snooping_in_special_category_social_domain_data() -> None:
    """A relative's youth-care and health file, out of curiosity: 4 x 1 + 0.25 = 4.25."""
    found = default_severity(
        data_categories=["basis", "jeugd", "gezondheid"], motive=Motive.curiosity
    )
    a = found.assessment
    assert (a.context, a.dpc, a.adjusted, a.score, a.band) == (
        Context.sensitive, 4, False, 4.25, Band.very_high,
    )  # fmt: skip
    assert "jeugdhulp" in found.grounds["dpc"] and "gezondheid" in found.grounds["dpc"]


def test_ex_partner_with_geheimhouding() -> None:
    """BREACH.md §5 worked example: 4 x 1 + 0.25 + 0.5 = 4.75, very high."""
    a = default_severity(
        data_categories=["basis", "adres"], confidential=True, motive=Motive.harm
    ).assessment
    assert (a.dpc, a.cb, a.score, a.band) == (4, 0.75, 4.75, Band.very_high)


def test_neighbours_social_domain_file() -> None:
    """BREACH.md §5 worked example: 4 x 1 + 0.25 = 4.25, very high."""
    a = default_severity(data_categories=["jeugd"], motive=Motive.curiosity).assessment
    assert (a.score, a.band) == (4.25, Band.very_high)


def test_typo_opens_a_wrong_record() -> None:
    """BREACH.md §5 worked example: 1 x 1 + 0.25 = 1.25, low."""
    found = default_severity(data_categories=["basis", "bsn"], motive=Motive.accidental)
    a = found.assessment
    assert (a.dpc, a.score, a.band, a.malicious) == (1, 1.25, Band.low, False)
    assert "vergissing" in found.grounds["malicious"]


@pytest.mark.parametrize(
    ("categories", "context", "dpc"),
    [
        (["financieel"], Context.financial, 3),
        (["belastingen"], Context.financial, 3),
        (["schulden"], Context.financial, 4),
        (["strafrechtelijk"], Context.sensitive, 4),
        (["adres"], Context.simple, 1),
        (["basis", "financieel", "adres"], Context.financial, 3),
        ([], Context.simple, 1),
    ],
)
def test_categories_map_to_contexts(categories: list[str], context: Context, dpc: int) -> None:
    a = default_severity(data_categories=categories, motive="curiosity").assessment
    assert (a.context, a.dpc) == (context, dpc)


def test_minors_and_protected_people_raise_simple_data_to_four() -> None:
    for found in (
        default_severity(data_categories=["basis"], minor=True),
        default_severity(data_categories=["basis"], watchlist_categories=["protected"]),
    ):
        a = found.assessment
        assert (a.context, a.dpc_basic, a.dpc, a.adjusted) == (Context.simple, 1, 4, True)
        assert a.dpc_reason


def test_an_unknown_category_counts_as_simple_and_asks_for_a_check() -> None:
    found = default_severity(data_categories=["parkeren"])
    assert found.assessment.dpc == 1
    assert "controleer" in found.grounds["dpc"]


def test_identification_and_passing_on() -> None:
    by_bsn = default_severity(data_categories=["basis"]).assessment
    assert by_bsn.identification == Identification.maximum
    unnamed = default_severity(data_categories=["basis"], identified=False).assessment
    assert (unnamed.identification, unnamed.ei) == (Identification.significant, 0.75)


def test_unknown_purpose_is_not_malicious_by_default() -> None:
    found = default_severity(data_categories=["basis"])
    assert not found.assessment.malicious
    assert set(found.grounds) == {"dpc", "ei", "confidentiality", "malicious"}


def test_changed_data_are_passed_through() -> None:
    a = default_severity(
        data_categories=["basis"], integrity=Integrity.recoverable, motive="harm"
    ).assessment
    assert (a.cb_integrity, a.cb_malicious, a.cb) == (0.25, 0.5, 1.0)
