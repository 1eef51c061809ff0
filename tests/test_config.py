"""Settings: defaults without a file, overrides, one-line errors, a current reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from schildwacht.config import (
    SETTINGS_FILE,
    Settings,
    default_settings_text,
    load_settings,
    settings_reference,
    write_default_settings,
)
from schildwacht.errors import UserError

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(autouse=True)
def _no_env_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCHILDWACHT_DATABASE_URL", raising=False)


def write(root: Path, text: str) -> Path:
    path = root / SETTINGS_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_the_file_is_absent(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.explanation.case_grace_before_days == 7
    assert settings.explanation.case_grace_after_days == 30
    assert settings.explanation.appointment_window_days == 1
    assert settings.explanation.department_case_type_min_cases == 5
    assert settings.explanation.department_case_type_min_share == 0.02
    assert settings.scoring.alert_threshold == 30
    assert settings.scoring.score_scale == 60
    assert (settings.scoring.off_hours_start, settings.scoring.off_hours_end) == (19, 6)
    assert settings.scoring.scenario_weights["family"] > 0
    assert settings.scenarios == {}
    assert settings.source is None
    assert settings.database.url == f"sqlite:///{(tmp_path / 'schildwacht.db').resolve()}"


def test_values_in_the_file_override_the_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[explanation]
case_grace_after_days = 60
department_case_type_min_share = 0  # an int where a float is expected is fine

[scoring]
alert_threshold = 35

[scoring.scenario_weights]
family = 50

[triage]
resolutions = ["a", "b"]

[scenarios.bulk]
min_events = 500
""",
    )
    settings = load_settings(tmp_path)
    assert settings.explanation.case_grace_after_days == 60
    assert settings.explanation.case_grace_before_days == 7
    assert settings.explanation.department_case_type_min_share == 0.0
    assert settings.scoring.alert_threshold == 35.0
    assert settings.scoring.scenario_weights["family"] == 50.0
    assert settings.scoring.scenario_weights["self"] == Settings().scoring.scenario_weights["self"]
    assert settings.triage.resolutions == ("a", "b")
    assert settings.source == path
    assert settings.scenario_params("bulk", {"min_events": 200, "peer_z": 3.0}) == {
        "min_events": 500,
        "peer_z": 3.0,
    }
    assert settings.scenario_params("family", {"x": 1}) == {"x": 1}


def test_database_url_from_file_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, '[database]\nurl = "sqlite:////tmp/elsewhere.db"\n')
    assert load_settings(tmp_path).database.url == "sqlite:////tmp/elsewhere.db"
    monkeypatch.setenv("SCHILDWACHT_DATABASE_URL", "postgresql://u@h/db")
    assert load_settings(tmp_path).database.url == "postgresql://u@h/db"


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("[scoring]\nalert_treshold = 30\n", "scoring.alert_treshold", "unknown setting"),
        ("[scoring]\nalert_threshold = 'high'\n", "scoring.alert_threshold", "a number"),
        ("[scoring]\nalert_threshold = 130\n", "scoring.alert_threshold", "from 0 to 100"),
        ("[scoring]\noff_hours_start = 19.5\n", "scoring.off_hours_start", "a whole number"),
        ("[scoring]\noff_hours_start = true\n", "scoring.off_hours_start", "a whole number"),
        ("[explanation]\ncase_grace_before_days = -1\n", "case_grace_before_days", "at least 0"),
        (
            "[scoring.scenario_weights]\nfamliy = 3\n",
            "scoring.scenario_weights.famliy",
            "unknown key",
        ),
        (
            "[scoring.scenario_weights]\nfamily = 'x'\n",
            "scoring.scenario_weights.family",
            "a number",
        ),
        ("[triage]\nresolutions = 'a'\n", "triage.resolutions", "a list of texts"),
        ("[scenarios.bulkk]\nmin_events = 3\n", "scenarios.bulkk", "unknown scenario"),
        ("[scenarios]\nbulk = 3\n", "scenarios.bulk", "must be a table"),
        ("[scorring]\n", "scorring", "unknown section"),
        ("database = 3\n", "[database]", "must be a table"),
    ],
)
def test_bad_values_name_the_file_key_and_expectation(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(UserError) as info:
        load_settings(tmp_path)
    message = str(info.value)
    assert message.startswith(f"{path}:")
    assert key in message and expected in message
    assert "\n" not in message


def test_invalid_toml_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[scoring\n")
    with pytest.raises(UserError, match="not valid TOML") as info:
        load_settings(tmp_path)
    assert str(path) in str(info.value)


def test_scenario_params_refuse_unknown_parameters_and_wrong_types(tmp_path: Path) -> None:
    write(tmp_path, "[scenarios.bulk]\nmin_evnts = 3\n")
    with pytest.raises(UserError, match=r"scenarios\.bulk\.min_evnts is not a parameter"):
        load_settings(tmp_path).scenario_params("bulk", {"min_events": 200})
    write(tmp_path, "[scenarios.bulk]\nmin_events = 'many'\n")
    with pytest.raises(UserError, match=r"scenarios\.bulk\.min_events must be a whole number"):
        load_settings(tmp_path).scenario_params("bulk", {"min_events": 200})


def test_written_defaults_load_back_as_the_defaults(tmp_path: Path) -> None:
    path = write_default_settings(tmp_path, {"bulk": {"min_events": 200, "peers": ["a"]}})
    assert path == tmp_path / SETTINGS_FILE
    text = path.read_text(encoding="utf-8")
    assert "# Days before a case was opened" in text
    settings = load_settings(tmp_path)
    defaults = Settings()
    assert settings.explanation == defaults.explanation
    assert settings.scoring == defaults.scoring
    assert settings.triage == defaults.triage
    assert settings.scenario_params("bulk", {"min_events": 1, "peers": []}) == {
        "min_events": 200,
        "peers": ["a"],
    }


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    write(tmp_path, "[scoring]\nalert_threshold = 50\n")
    write_default_settings(tmp_path)
    assert load_settings(tmp_path).scoring.alert_threshold == 50


def test_every_setting_is_in_the_file_and_the_reference() -> None:
    text, reference = default_settings_text(), settings_reference()
    for section, values in (
        ("explanation", Settings().explanation),
        ("scoring", Settings().scoring),
        ("triage", Settings().triage),
    ):
        for name in vars(values):
            assert f"`{section}.{name}" in reference
            assert f"\n{name} = " in text or f"[{section}.{name}]" in text


def test_score_mapping() -> None:
    scoring = Settings().scoring
    assert scoring.to_score(0) == 0
    assert round(scoring.to_score(scoring.score_scale)) == 63
    assert scoring.to_score(10_000) <= 100


def test_settings_reference_is_current() -> None:
    assert (DOCS / "settings.md").read_text(encoding="utf-8") == settings_reference(), (
        "docs/settings.md is stale: run python -m schildwacht.config > docs/settings.md"
    )
