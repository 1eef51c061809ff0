"""Settings: one documented file, ``schildwacht.toml`` in the store, with a default for everything.

A municipality tunes detection (grace windows, thresholds, scenario parameters) by editing
this file, not code. The settings are a tree of frozen dataclasses; every field carries its
meaning and allowed range as metadata, and that one source produces three things: the
validation of the file (an unknown key or a wrong type is a one-line ``UserError`` naming the
file, the key and what is expected), the commented file written on first use, and the
reference page ``docs/settings.md`` (regenerate with ``python -m schildwacht.config``; a test
fails when the page is stale).
"""

from __future__ import annotations

import json
import math
import os
import textwrap
import tomllib
from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from schildwacht.errors import UserError

SETTINGS_FILE = "schildwacht.toml"
DATABASE_FILE = "schildwacht.db"
DATABASE_URL_ENV = "SCHILDWACHT_DATABASE_URL"

SCENARIO_CODES: tuple[str, ...] = (
    "unexplained_access", "self", "family", "neighbour", "coworker", "watchlist",
    "confidential", "address_harvest", "name_browsing", "bulk", "serial", "leaver",
)  # fmt: skip
"""The contract's scenario codes, in DETECTION.md's order."""

DEFAULT_SCENARIO_WEIGHTS: Mapping[str, float] = MappingProxyType(dict.fromkeys(SCENARIO_CODES, 1.0))
"""Every scenario counts as its own parameters say, until a municipality weighs it."""


def setting(
    default: Any,
    doc: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> Any:
    """A dataclass field that documents itself; the metadata drives checks, file and docs."""
    meta = {"doc": doc, "min": minimum, "max": maximum}
    if isinstance(default, Mapping):
        frozen = MappingProxyType(dict(default))
        return field(default_factory=lambda: frozen, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class DatabaseSettings:
    """Where alerts, detection runs and suppressions are kept."""

    url: str = setting(
        "",
        "SQLAlchemy URL of the application database, e.g. "
        "`postgresql+psycopg://user@host/schildwacht`. Empty means the SQLite file "
        f"`{DATABASE_FILE}` in the store folder. The environment variable "
        f"`{DATABASE_URL_ENV}` overrides this setting.",
    )


@dataclass(frozen=True)
class ExplanationSettings:
    """When an access counts as explained by a case, an appointment or routine work."""

    case_grace_before_days: int = setting(
        7,
        "Days before a case was opened during which an access to its subject by the case's "
        "handler or team still counts as explained (preparatory look-ups).",
        minimum=0,
    )
    case_grace_after_days: int = setting(
        30,
        "Days after a case was closed during which such an access still counts as explained "
        "(objections, follow-up, archiving).",
        minimum=0,
    )
    appointment_window_days: int = setting(
        1,
        "Days before and after an appointment during which an access to the citizen by the "
        "serving employee or team counts as explained.",
        minimum=0,
    )
    department_case_type_min_cases: int = setting(
        5,
        "Minimum number of cases of a case type a department must have handled before "
        "'this department routinely works this case type' can explain an access.",
        minimum=1,
    )
    department_case_type_min_share: float = setting(
        0.02,
        "Minimum share (0-1) of a department's cases that must be of a case type before that "
        "case type counts as routine work of the department.",
        minimum=0,
        maximum=1,
    )


@dataclass(frozen=True)
class ScoringSettings:
    """How evidence becomes a 0-100 score, and which alerts are kept."""

    alert_threshold: float = setting(
        30.0,
        "Minimum score (0-100) an alert needs to be kept; lower-scoring evidence is dropped "
        "(it still counts towards the employee's other alerts). A single unexplained look "
        "with nothing else special about it scores below 30.",
        minimum=0,
        maximum=100,
    )
    score_scale: float = setting(
        60.0,
        "Points at which the score reaches about 63: `score = 100 * (1 - exp(-points / "
        "score_scale))`. A larger scale needs more evidence for the same score.",
        minimum=1,
    )
    off_hours_start: int = setting(
        19,
        "Hour (0-23, local time) from which an access counts as off hours. Weekends are off "
        "hours all day.",
        minimum=0,
        maximum=23,
    )
    off_hours_end: int = setting(
        6,
        "Hour (0-23, local time) at which off hours end in the morning.",
        minimum=0,
        maximum=23,
    )
    scenario_weights: Mapping[str, float] = setting(
        DEFAULT_SCENARIO_WEIGHTS,
        "Multiplier for every finding of a scenario (1 = as the scenario's own parameters "
        "say, 0 = switched off); one key per scenario code, in the table "
        "`[scoring.scenario_weights]`.",
        minimum=0,
    )

    def to_score(self, points: float) -> float:
        """Map accumulated points onto 0-100 so that scores compare across alerts and runs."""
        return 100.0 * (1.0 - math.exp(-max(points, 0.0) / self.score_scale))


@dataclass(frozen=True)
class TriageSettings:
    """Vocabulary and rules of the investigation workflow (used by the triage screens)."""

    resolutions: tuple[str, ...] = setting(
        (
            "legitiem_zaak_niet_geregistreerd",
            "legitiem_verzoek_collega",
            "legitiem_overig",
            "misbruik_bevestigd",
            "niet_te_beoordelen",
            "dubbel",
        ),
        "Resolutions an investigator may choose when closing an alert (codes; underscores "
        "are shown as spaces, the first `_` after `legitiem` as ' - ').",
    )
    four_eyes_resolutions: tuple[str, ...] = setting(
        ("misbruik_bevestigd",),
        "Resolutions that always need a second privacy officer to confirm (four-eyes).",
    )
    four_eyes_min_score: float = setting(
        70.0,
        "Closing an alert with this score or more with any other resolution (dismissing it) "
        "also needs a second privacy officer to confirm.",
        minimum=0,
        maximum=100,
    )


@dataclass(frozen=True)
class WebSettings:
    """Sign-in and session rules of the web app (`schildwacht serve`)."""

    session_idle_minutes: int = setting(
        30, "A session ends after this many minutes without a request.", minimum=1
    )
    session_max_hours: int = setting(
        10, "A session ends this many hours after sign-in, however active.", minimum=1
    )
    throttle_after_failures: int = setting(
        3,
        "After this many failed sign-ins in a row, each next attempt must wait "
        "2, 4, 8, ... seconds.",
        minimum=1,
    )
    lockout_after_failures: int = setting(
        5, "After this many failed sign-ins in a row the account is locked.", minimum=1
    )
    lockout_minutes: int = setting(15, "How long a locked account stays locked.", minimum=1)
    min_password_length: int = setting(12, "Shortest password a user may choose.", minimum=8)
    secure_cookies: bool = setting(
        False,
        "Always mark cookies Secure. They are marked Secure anyway when the request came in "
        "over HTTPS; set this behind a TLS-terminating proxy.",
    )


@dataclass(frozen=True)
class OrganisationSettings:
    """The municipality as controller: the AP notification form's chapter 3 and the contact
    details in the letters to the people affected (``docs/breach.md``). Empty texts show as
    'nog invullen' in the AP draft."""

    name: str = setting("", "Name of the organisation, e.g. `Gemeente Voorbeeld` (AP form 3.1.1a).")
    controller: str = setting(
        "college van burgemeester en wethouders",
        "The controller(s) within the organisation (AP form 3.1.1b).",
    )
    address: str = setting(
        "", "Visiting or postal address with postcode and town, one line (AP form 3.1.1c)."
    )
    fg_registration_number: str = setting(
        "", "The AP's registration number of the data protection officer (FG) (AP form 3.1.1d)."
    )
    kvk_number: str = setting("", "Chamber of Commerce (KvK) number (AP form 3.1.1e).")
    sector: str = setting(
        "Openbaar bestuur", "Sector the organisation works in, as on the AP form (3.1.2)."
    )
    contact_name: str = setting(
        "",
        "Contact person for the AP if not the reporter (AP form 3.2.2); empty means the "
        "reporter is the contact.",
    )
    contact_function: str = setting("", "That contact person's function.")
    contact_email: str = setting("", "That contact person's e-mail address.")
    contact_phone: str = setting("", "That contact person's telephone number.")
    fg_name: str = setting(
        "", "Name of the data protection officer (FG), for the letters to the people affected."
    )
    fg_email: str = setting("", "E-mail address of the FG, printed in the letters.")
    fg_phone: str = setting("", "Telephone number of the FG (or the municipality), in the letters.")


SECTIONS: dict[str, type] = {
    "database": DatabaseSettings,
    "explanation": ExplanationSettings,
    "scoring": ScoringSettings,
    "triage": TriageSettings,
    "web": WebSettings,
    "organisation": OrganisationSettings,
}


@dataclass(frozen=True)
class Settings:
    """Every setting of a store; ``scenarios`` maps a scenario code to its parameters."""

    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    explanation: ExplanationSettings = field(default_factory=ExplanationSettings)
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    triage: TriageSettings = field(default_factory=TriageSettings)
    web: WebSettings = field(default_factory=WebSettings)
    organisation: OrganisationSettings = field(default_factory=OrganisationSettings)
    scenarios: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    source: Path | None = field(default=None, compare=False)

    def scenario_params(self, code: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters of scenario ``code``: its ``defaults`` overridden by the file.

        The scenario owns its defaults; the file may only override a parameter the scenario
        declares, with a value of the same type, so a typo cannot silently do nothing.
        """
        where = str(self.source or SETTINGS_FILE)
        params = dict(defaults)
        for key, value in self.scenarios.get(code, {}).items():
            name = f"scenarios.{code}.{key}"
            if key not in defaults:
                known = ", ".join(sorted(defaults)) or "none"
                raise UserError(
                    f"{where}: {name} is not a parameter of scenario {code}; known: {known}"
                )
            params[key] = _coerce(value, defaults[key], {}, where, name)
        return params


def _default(spec: Field[Any]) -> Any:
    return spec.default_factory() if spec.default_factory is not MISSING else spec.default


def _expected(default: Any, meta: Mapping[str, Any]) -> str:
    """What a value of this setting must look like, in words for an error or the docs."""
    low, high = meta.get("min"), meta.get("max")
    if isinstance(default, bool):
        kind = "true or false"
    elif isinstance(default, int):
        kind = "a whole number"
    elif isinstance(default, float):
        kind = "a number"
    elif isinstance(default, str):
        return "text"
    elif isinstance(default, tuple | list):
        return "a list of texts" if all(isinstance(v, str) for v in default) else "a list"
    else:
        return "a TOML value"
    if low is not None and high is not None:
        return f"{kind} from {_num(low)} to {_num(high)}"
    if low is not None:
        return f"{kind} of at least {_num(low)}"
    return kind


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _coerce(value: Any, default: Any, meta: Mapping[str, Any], where: str, name: str) -> Any:
    """``value`` checked against the type of ``default`` and the range in ``meta``."""

    def fail() -> UserError:
        expected = _expected(default, meta)
        return UserError(f"{where}: {name} must be {expected}, got {value!r}")

    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, str):
        ok = isinstance(value, str)
    elif isinstance(default, tuple | list):
        texts = bool(default) and all(isinstance(v, str) for v in default)
        ok = isinstance(value, list) and (not texts or all(isinstance(v, str) for v in value))
        value = type(default)(value) if ok else value
    else:
        ok = True
    if not ok:
        raise fail()
    low, high = meta.get("min"), meta.get("max")
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if numeric and not ((low is None or value >= low) and (high is None or value <= high)):
        raise fail()
    return value


def _section(cls: type, raw: Any, where: str, name: str) -> Any:
    """One section's dataclass from its TOML table, refusing unknown keys."""
    if not isinstance(raw, dict):
        raise UserError(f"{where}: [{name}] must be a table of settings, got {raw!r}")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise UserError(
                f"{where}: unknown setting {name}.{key}; known in [{name}]: {', '.join(known)}"
            )
        spec = known[key]
        default = _default(spec)
        if isinstance(default, Mapping):
            values[key] = _table(value, default, spec.metadata, where, f"{name}.{key}")
        else:
            values[key] = _coerce(value, default, spec.metadata, where, f"{name}.{key}")
    return cls(**values)


def _table(
    raw: Any, default: Mapping[str, Any], meta: Mapping[str, Any], where: str, name: str
) -> Mapping[str, Any]:
    """A table of numbers keyed like ``default`` (e.g. base points per scenario)."""
    if not isinstance(raw, dict):
        raise UserError(f"{where}: [{name}] must be a table, got {raw!r}")
    merged = dict(default)
    for key, value in raw.items():
        if key not in default:
            raise UserError(f"{where}: unknown key {name}.{key}; known: {', '.join(default)}")
        merged[key] = _coerce(value, default[key], meta, where, f"{name}.{key}")
    return MappingProxyType(merged)


def _scenarios(raw: Any, where: str) -> Mapping[str, Mapping[str, Any]]:
    if not isinstance(raw, dict):
        raise UserError(f"{where}: [scenarios] must hold [scenarios.<code>] tables")
    result: dict[str, Mapping[str, Any]] = {}
    for code, params in raw.items():
        if code not in SCENARIO_CODES:
            raise UserError(
                f"{where}: unknown scenario scenarios.{code}; known: {', '.join(SCENARIO_CODES)}"
            )
        if not isinstance(params, dict):
            raise UserError(f"{where}: [scenarios.{code}] must be a table of parameters")
        result[code] = MappingProxyType(dict(params))
    return MappingProxyType(result)


def settings_from_mapping(data: Mapping[str, Any], *, where: str = SETTINGS_FILE) -> Settings:
    """Settings from parsed TOML, with every check ``load_settings`` applies."""
    parts: dict[str, Any] = {}
    for key, raw in data.items():
        if key in SECTIONS:
            parts[key] = _section(SECTIONS[key], raw, where, key)
        elif key == "scenarios":
            parts[key] = _scenarios(raw, where)
        else:
            known = ", ".join([*SECTIONS, "scenarios"])
            raise UserError(f"{where}: unknown section or setting {key!r}; known: {known}")
    return Settings(**parts)


def load_settings(store_root: Path) -> Settings:
    """The store's settings: ``schildwacht.toml`` over the defaults; no file means defaults.

    The database URL is resolved here (environment, then file, then the SQLite file in the
    store), so every caller sees one concrete URL.
    """
    path = store_root / SETTINGS_FILE
    settings = Settings()
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserError(f"{path}: not valid TOML ({exc}); correct it or delete it") from None
        settings = replace(settings_from_mapping(data, where=str(path)), source=path)
    url = os.environ.get(DATABASE_URL_ENV) or settings.database.url
    if not url:
        url = f"sqlite:///{(store_root / DATABASE_FILE).resolve()}"
    return replace(settings, database=replace(settings.database, url=url))


def _toml(value: Any) -> str:
    """A TOML literal for the scalar or list ``value`` (JSON strings are valid TOML strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as a TOML value")


def _comment(text: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(text, 92)]


def default_settings_text(scenario_defaults: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """The commented settings file with every default (and the scenarios' own defaults)."""
    lines = [
        "# Schildwacht settings for this store. Every setting is shown with its default;",
        "# change a value to tune detection, delete a line to return to the default.",
        "# Reference: docs/settings.md.",
    ]
    for name, cls in SECTIONS.items():
        nested: list[str] = []
        lines += ["", f"[{name}]", *_comment(cls.__doc__ or "")]
        for spec in fields(cls):
            default = _default(spec)
            if isinstance(default, Mapping):
                nested += ["", f"[{name}.{spec.name}]", *_comment(spec.metadata["doc"])]
                nested += [f"{k} = {_toml(v)}" for k, v in default.items()]
                continue
            lines += ["", *_comment(spec.metadata["doc"]), f"{spec.name} = {_toml(default)}"]
        lines += nested
    lines += ["", *_comment(SCENARIOS_DOC)]
    for code, params in (scenario_defaults or {}).items():
        lines += ["", f"[scenarios.{code}]"]
        lines += [f"{k} = {_toml(v)}" for k, v in params.items()]
    return "\n".join(lines) + "\n"


def write_default_settings(
    store_root: Path, scenario_defaults: Mapping[str, Mapping[str, Any]] | None = None
) -> Path:
    """Write the commented default ``schildwacht.toml`` unless the store already has one.

    Called on the first detection run so a municipality finds every knob in the store. An
    existing file is never overwritten: it holds the municipality's own choices.
    """
    path = store_root / SETTINGS_FILE
    if not path.exists():
        store_root.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_text(default_settings_text(scenario_defaults), encoding="utf-8")
        os.replace(tmp, path)
    return path


SCENARIOS_DOC = (
    "Scenario parameters go in one [scenarios.<code>] table per scenario, e.g. "
    "[scenarios.bulk]. Each scenario declares its parameters and defaults (see "
    "docs/scenarios.md); a key the scenario does not declare, or a value of another type, "
    "is an error."
)

REFERENCE_HEADER = f"""# Settings reference

Generated from the code by `python -m schildwacht.config > docs/settings.md`; do not edit by hand.

Schildwacht reads its settings from `{SETTINGS_FILE}` in the store folder (`--store`). The
file is optional: every setting has a default, and the first `schildwacht detect` writes the
file with every default and a comment per setting, so a municipality tunes thresholds and
windows there rather than in code. A key Schildwacht does not know, or a value of the wrong
type or outside its range, stops the command with one line naming the file, the key and what
is expected.
"""


def settings_reference() -> str:
    """The Markdown reference of every setting, its default and meaning (docs/settings.md)."""
    parts = [REFERENCE_HEADER]
    for name, cls in SECTIONS.items():
        parts.append(f"## `[{name}]`\n\n{cls.__doc__}\n")
        parts.append("| setting | default | allowed | meaning |\n|---|---|---|---|")
        for spec in fields(cls):
            default = _default(spec)
            doc = spec.metadata["doc"].replace("|", "\\|")
            if isinstance(default, Mapping):
                first = next(iter(default.values()))
                allowed = _expected(first, spec.metadata)
                parts.append(f"| `{name}.{spec.name}.<code>` | see below | {allowed} | {doc} |")
                continue
            allowed = _expected(default, spec.metadata)
            parts.append(f"| `{name}.{spec.name}` | `{_toml(default)}` | {allowed} | {doc} |")
        parts.append("")
        for spec in fields(cls):
            default = _default(spec)
            if isinstance(default, Mapping):
                parts.append(f"### `[{name}.{spec.name}]`\n\n| key | default |\n|---|---|")
                parts += [f"| `{k}` | `{_toml(v)}` |" for k, v in default.items()]
                parts.append("")
    codes = ", ".join(f"`{c}`" for c in SCENARIO_CODES)
    parts.append(f"## `[scenarios.<code>]`\n\n{SCENARIOS_DOC} Scenario codes: {codes}.\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(settings_reference(), end="")
