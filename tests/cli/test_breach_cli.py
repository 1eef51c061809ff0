"""``schildwacht breach severity``, through the sub-app as the owner will register it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from schildwacht.cli_breach import breach_app

runner = CliRunner()

CELEBRITY = [
    "severity", "--context", "simple", "--context-score", "2", "--reason", "BN'er",
    "--identification", "maximum", "--confidentiality", "known", "--integrity", "none",
    "--availability", "none",
]  # fmt: skip


def test_json_output_has_score_band_and_every_component() -> None:
    done = runner.invoke(breach_app, [*CELEBRITY, "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert (data["score"], data["band"], data["band_nl"]) == (2.25, "medium", "gemiddeld")
    assert (data["dpc_basic"], data["dpc"], data["dpc_reason"]) == (1, 2, "BN'er")
    assert (data["ei"], data["cb_confidentiality"], data["cb"]) == (1.0, 0.25, 0.25)
    assert data["malicious"] is False


def test_criminals_case_is_very_high() -> None:
    done = runner.invoke(
        breach_app,
        [
            "severity", "--context", "simple", "--context-score", "4", "--reason",
            "adressen aan criminelen: kritiek voor de veiligheid", "--identification", "maximum",
            "--confidentiality", "unknown", "--integrity", "none", "--availability", "none",
            "--malicious", "--json",
        ],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert (data["score"], data["band"], data["cb"]) == (5.0, "very_high", 1.0)


def test_table_in_dutch_and_english() -> None:
    done = runner.invoke(breach_app, CELEBRITY, env={"COLUMNS": "160"})
    assert done.exit_code == 0, done.output
    for text in ("gemiddeld / medium", "eenvoudig / simple", "maximaal / maximum", "2.25",
                 "BN'er", "kwade opzet / malicious intent"):  # fmt: skip
        assert text in done.stdout


def test_adjusted_score_without_reason_is_one_line_and_exit_2() -> None:
    args = [a for a in CELEBRITY if a not in ("--reason", "BN'er")]
    done = runner.invoke(breach_app, args)
    assert done.exit_code == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: DPC 2 wijkt af van de basisscore 1")
    assert "--reason" in lines[0]


@pytest.mark.parametrize("bad", ["0", "5"])
def test_out_of_range_score_is_exit_2(bad: str) -> None:
    args = [bad if a == "2" else a for a in CELEBRITY]
    done = runner.invoke(breach_app, args)
    assert done.exit_code == 2
    assert "1-4" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_unknown_choice_and_missing_option_are_usage_errors() -> None:
    done = runner.invoke(breach_app, [a if a != "simple" else "medical" for a in CELEBRITY])
    assert done.exit_code == 2
    assert "simple" in done.stderr and "sensitive" in done.stderr
    done = runner.invoke(breach_app, CELEBRITY[:-2])  # no --availability
    assert done.exit_code == 2
    assert "--availability" in done.stderr


def test_help() -> None:
    done = runner.invoke(breach_app, ["severity", "--help"])
    assert done.exit_code == 0
    assert "--context-score" in done.stdout
