"""Contract validation as Ibis expressions: every rule of the contract, vectorised.

Each column type has one checker that turns the staged text into the stored type and says,
in words a person can act on, why a value breaks the contract. A record is valid when no
checker objects; otherwise it is quarantined whole with every reason joined by "; ". The
rules are exactly the contract's: required fields present, timestamps and dates that parse
(no offset = Europe/Amsterdam local time), enums, the BSN elfproef, whole numbers, booleans.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from schildwacht.contract import Column, ColumnType, Table

REASON = "_reason"
TIMESTAMP_TYPE = dt.Timestamp(timezone="UTC")
ISO_TIMESTAMP = (
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)?)?$"
)
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
NULL_TEXT = ibis.null(dt.string)

Checked = tuple[ir.Value, ir.StringValue]
"""The converted value and a reason (NULL when the value is acceptable)."""


def _shown(value: ir.StringValue) -> ir.StringValue:
    """The offending value, quoted and shortened, for the reason text."""
    short = ibis.cases((value.length() > 60, value.substr(0, 57) + "..."), else_=value)
    return "'" + short + "'"


def _problem(condition: ir.BooleanValue, text: ir.StringValue | str) -> ir.StringValue:
    return ibis.cases((condition, text), else_=NULL_TEXT)


def _present(value: ir.StringValue) -> ir.StringValue:
    """Empty or blank text means absent, as the contract says of empty CSV cells."""
    return ibis.cases((value.strip() == "", NULL_TEXT), else_=value)


def check_string(col: Column, value: ir.StringValue) -> Checked:
    return _present(value), NULL_TEXT


def check_timestamp(col: Column, value: ir.StringValue) -> Checked:
    text = _present(value).strip()
    parsed = text.try_cast(TIMESTAMP_TYPE)
    bad = text.notnull() & (~text.re_search(ISO_TIMESTAMP) | parsed.isnull())
    reason = _problem(bad, f"{col.name}: not an ISO 8601 timestamp: " + _shown(text))
    return ibis.cases((bad, ibis.null(TIMESTAMP_TYPE)), else_=parsed), reason


def check_date(col: Column, value: ir.StringValue) -> Checked:
    text = _present(value).strip()
    parsed = text.try_cast(dt.date)
    bad = text.notnull() & (~text.re_search(ISO_DATE) | parsed.isnull())
    reason = _problem(bad, f"{col.name}: not a date (YYYY-MM-DD): " + _shown(text))
    return ibis.cases((bad, ibis.null(dt.date)), else_=parsed), reason


def elfproef_total(text: ir.StringValue) -> ir.IntegerValue:
    """9*d1 + 8*d2 + ... + 2*d8 - 1*d9 of a 9-digit string."""
    digits = [text.substr(i, 1).cast(dt.int64) * w for i, w in enumerate(BSN_WEIGHTS)]
    total = digits[0]
    for term in digits[1:]:
        total = total + term
    return total


def check_bsn(col: Column, value: ir.StringValue) -> Checked:
    text = _present(value).strip()
    shaped = text.re_search(r"^\d{9}$")
    total = ibis.cases((shaped, elfproef_total(text)), else_=ibis.null(dt.int64))
    passes = shaped & (total % 11 == 0) & (text != "000000000")
    reason = ibis.cases(
        (text.isnull(), NULL_TEXT),
        (~shaped, f"{col.name}: invalid BSN, not 9 digits: " + _shown(text)),
        (~passes, f"{col.name}: invalid BSN, fails the elfproef (11-test): " + _shown(text)),
        else_=NULL_TEXT,
    )
    return text, reason


def check_enum(col: Column, value: ir.StringValue) -> Checked:
    text = _present(value).strip()
    bad = text.notnull() & ~text.isin(list(col.values))
    allowed = ", ".join(col.values)
    reason = _problem(bad, f"{col.name}: " + _shown(text) + f" is not one of {allowed}")
    return text, reason


def check_integer(col: Column, value: ir.StringValue) -> Checked:
    text = _present(value).strip()
    shaped = text.re_search(r"^\+?\d{1,18}$")
    bad = text.notnull() & ~shaped
    reason = _problem(bad, f"{col.name}: not a non-negative whole number: " + _shown(text))
    number = ibis.cases((shaped, text.cast(dt.int64)), else_=ibis.null(dt.int64))
    return number, reason


def check_boolean(col: Column, value: ir.StringValue) -> Checked:
    text = _present(value).strip().lower()
    bad = text.notnull() & ~text.isin(["true", "false"])
    reason = _problem(bad, f"{col.name}: not true or false: " + _shown(text))
    return ibis.cases((text == "true", True), (text == "false", False), else_=None), reason


def check_list(col: Column, value: ir.ArrayValue) -> Checked:
    items = value.map(lambda item: item.strip()).filter(lambda item: item != "")
    return ibis.cases((items.length() > 0, items), else_=ibis.null(dt.Array(dt.string))), NULL_TEXT


CHECKERS: dict[ColumnType, Callable[[Column, ir.Value], Checked]] = {
    ColumnType.STRING: check_string,  # type: ignore[dict-item]
    ColumnType.TIMESTAMP: check_timestamp,  # type: ignore[dict-item]
    ColumnType.DATE: check_date,  # type: ignore[dict-item]
    ColumnType.BSN: check_bsn,  # type: ignore[dict-item]
    ColumnType.ENUM: check_enum,  # type: ignore[dict-item]
    ColumnType.INTEGER: check_integer,  # type: ignore[dict-item]
    ColumnType.BOOLEAN: check_boolean,  # type: ignore[dict-item]
    ColumnType.LIST: check_list,  # type: ignore[dict-item]
}


def validated(staged: ir.Table, table: Table) -> ir.Table:
    """``staged`` with every contract column converted and a ``_reason`` column.

    ``_reason`` is NULL for a valid record and otherwise lists every broken rule.
    """
    values: dict[str, ir.Value] = {}
    reasons: list[ir.StringValue] = []
    for col in table.columns:
        value, reason = CHECKERS[col.type](col, staged[col.name])
        values[col.name] = value
        reasons.append(reason)
        if col.required:
            missing = _present(staged[col.name]).isnull()
            reasons.append(_problem(missing, f"{col.name}: required field is missing"))
    joined = ibis.array(reasons).filter(lambda r: r.notnull()).join("; ")
    values[REASON] = ibis.cases((joined == "", NULL_TEXT), else_=joined)
    if table.name == "events":
        values["outcome"] = values["outcome"].fill_null("ok")
    return staged.select("_ord", **values, _extra=staged["_extra"])
