"""The Art. 15 consultation report: complete, bounded by Dutch days, and without staff identities.

The shared test town gives a realistic person; a hand-made store pins the edges: the first and
last minute of a Dutch day, a DST change, a case about someone else, a batch account.
"""

from __future__ import annotations

import getpass
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pypdf
import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

import schildwacht.cli_state
from schildwacht.app.accountability import InzageReport, as_json, consultations
from schildwacht.app.accountability.pdf import render_pdf
from schildwacht.app.audit.models import AuditRecord
from schildwacht.app.db import open_database
from schildwacht.app.evidence.service import display_name
from schildwacht.cli_inzage import inzage
from schildwacht.config import load_settings
from schildwacht.contract import TABLES
from schildwacht.errors import UserError
from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.conftest import EVENT_HEADER, event, write_csv
from tests.web.town import TOWN, copy_store

TOWN_FIRST = TOWN["start"]
TOWN_LAST = date(2026, 3, 22)  # the town's 21 days
SUBJECT = "123456782"
OTHER = "111222333"
PERSON_KEYS = {"employee", "employee_id", "department", "team", "client", "pseudonym", "name"}


def normalised(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return normalised(" ".join(page.extract_text() for page in reader.pages))


def town_rows(root: Path, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Rows straight from the stored Parquet files, independent of the code under test."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Europe/Amsterdam'").fetchall()
    sql = sql.replace("EVENTS", f"read_parquet('{root}/events/*/*.parquet')")
    for table in ("employees", "citizens", "cases"):
        sql = sql.replace(table.upper(), f"read_parquet('{root}/context/{table}/*.parquet')")
    result = con.execute(sql, params or [])
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def busiest_subject(root: Path) -> str:
    """The town's person whose data was used most, by staff and in cases about them."""
    rows = town_rows(
        root,
        "SELECT subject_bsn FROM EVENTS WHERE subject_bsn IS NOT NULL AND case_id IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    )
    return str(rows[0]["subject_bsn"])


def staff_identities(root: Path) -> set[str]:
    """Every employee id, full name and workstation of the town: none may reach the report."""
    found: set[str] = set()
    for row in town_rows(root, "SELECT * FROM EMPLOYEES"):
        found.add(row["employee_id"])
        found.add(display_name(row["given_name"], row["surname_prefix"], row["surname"]))
    for row in town_rows(root, "SELECT DISTINCT client FROM EVENTS WHERE client IS NOT NULL"):
        found.add(row["client"])
    return {value for value in found if value}


@pytest.fixture(scope="module")
def town(town_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A private copy of the town: reading a store creates its scratch folders."""
    return Store(copy_store(town_store, tmp_path_factory.mktemp("inzage") / "store"))


@pytest.fixture(scope="module")
def subject(town: Store) -> str:
    return busiest_subject(town.root)


@pytest.fixture(scope="module")
def report(town: Store, subject: str) -> InzageReport:
    return consultations(town, subject, start=TOWN_FIRST, end=TOWN_LAST)


def test_every_consultation_of_the_person_in_the_period_is_reported(
    town: Store, subject: str, report: InzageReport
) -> None:
    expected = town_rows(
        town.root,
        "SELECT occurred_at, source_system, action, processing_activity FROM EVENTS "
        "WHERE subject_bsn = ? ORDER BY occurred_at",
        [subject],
    )
    assert expected, "the busiest subject has events"
    assert len(report.consultations) == len(expected)
    times = [c.occurred_at for c in report.consultations]
    assert times == sorted(times)
    assert times == [row["occurred_at"] for row in expected]
    assert all(c.occurred_at.utcoffset() is not None for c in report.consultations)
    got = sorted(
        (c.source_system, c.action, c.processing_activity or "") for c in report.consultations
    )
    want = sorted(
        (r["source_system"], r["action"], r["processing_activity"] or "") for r in expected
    )
    assert got == want
    (citizen,) = town_rows(town.root, "SELECT * FROM CITIZENS WHERE bsn = ?", [subject])
    assert report.name == display_name(
        citizen["given_names"], citizen["surname_prefix"], citizen["surname"]
    )


def test_the_case_type_is_given_for_cases_about_the_person(
    town: Store, subject: str, report: InzageReport
) -> None:
    mine = town_rows(
        town.root,
        "SELECT DISTINCT case_type FROM CASES WHERE subject_bsn = ? AND case_id IN "
        "(SELECT case_id FROM EVENTS WHERE subject_bsn = ?)",
        [subject, subject],
    )
    shown = {c.case_type for c in report.consultations if c.case_type}
    assert shown and shown == {row["case_type"] for row in mine}
    assert all(c.in_case for c in report.consultations if c.case_type)


def test_no_employee_identity_in_the_json(town: Store, report: InzageReport) -> None:
    data = as_json(report)
    for item in data["consultations"]:
        assert not PERSON_KEYS & set(item), item
        assert not PERSON_KEYS & set(item["purpose"])
    text = json.dumps(data, ensure_ascii=False)
    leaked = [value for value in staff_identities(town.root) if value in text]
    assert leaked == []
    assert data["count"] == len(report.consultations)
    assert data["period"] == {"from": "2026-03-02", "to": "2026-03-22",
                              "time_zone": "Europe/Amsterdam"}  # fmt: skip
    assert "C-579/21" in data["legal_note"]


def test_the_pdf_holds_the_required_fields_and_no_employee_identity(
    town: Store, subject: str, report: InzageReport
) -> None:
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert report.name and report.name in text
    assert subject in text  # the PDF is for the person: their full BSN
    assert "2 maart 2026 tot en met 22 maart 2026" in text
    assert f"{len(report.consultations)} keer gebruikt" in text
    for heading in ("Datum en tijd", "Systeem", "Wat er gebeurde", "Doel", "Welke gegevens"):
        assert heading in text
    first = report.consultations[0]
    assert first.occurred_at.strftime("%H:%M uur") in text
    assert "maart 2026" in text
    for purpose in report.purposes:
        assert purpose in text
    assert "C-579/21" in text and "Autoriteit Persoonsgegevens" in text
    assert "bezwaar" in text
    leaked = [value for value in staff_identities(town.root) if value in text]
    assert leaked == []


# --- the edges, on a store made by hand -------------------------------------------------


def _store_with_edges(tmp_path: Path) -> Store:
    """Events around Dutch midnights (winter time and the night of the DST change)."""
    events = [
        event("before", occurred_at="2026-03-01T23:59:59+01:00"),
        event("first-second", occurred_at="2026-03-02T00:00:00+01:00", case_id="Z-1"),
        event("late", occurred_at="2026-03-02T23:30:00+01:00", case_id="Z-2"),  # 22:30 UTC
        event("after", occurred_at="2026-03-03T00:15:00+01:00"),  # still 2 March in UTC
        event("other-person", occurred_at="2026-03-02T12:00:00+01:00", subject_bsn=OTHER),
        event(
            "batch",
            occurred_at="2026-03-02T03:00:00+01:00",
            employee_id="svc-sync",
            action="update",
            processing_activity="va-brp-bijhouding",
        ),
        event("dst-last", occurred_at="2026-03-29T23:30:00+02:00"),  # 21:30 UTC
        event("dst-next", occurred_at="2026-03-30T00:10:00+02:00"),  # 29 March in UTC
    ]
    cases = [
        {"case_id": "Z-1", "case_type": "Verhuizing", "subject_bsn": SUBJECT,
         "opened_at": "2026-02-20T09:00:00+01:00"},
        {"case_id": "Z-2", "case_type": "Bijstand", "subject_bsn": OTHER,
         "opened_at": "2026-02-20T09:00:00+01:00"},
    ]  # fmt: skip
    staff = [
        {"employee_id": "e00001", "given_name": "Sam", "surname": "Verbeek",
         "department": "Burgerzaken", "team": "Balie", "service_account": "false"},
        {"employee_id": "svc-sync", "surname": "BRP-koppeling", "department": "ICT",
         "service_account": "true"},
    ]  # fmt: skip
    citizens = [{"bsn": SUBJECT, "given_names": "Jan", "surname": "Jansen"}]
    folder = tmp_path / "in"
    files = [
        write_csv(folder / "events.csv", events, EVENT_HEADER),
        write_csv(folder / "cases.csv", cases, list(TABLES["cases"].column_names)),
        write_csv(folder / "employees.csv", staff, list(TABLES["employees"].column_names)),
        write_csv(folder / "citizens.csv", citizens, list(TABLES["citizens"].column_names)),
    ]
    store = Store(tmp_path / "store")
    ingest(store, files)
    return store


@pytest.fixture
def edges(tmp_path: Path) -> Store:
    return _store_with_edges(tmp_path)


def _moments(report: InzageReport) -> list[str]:
    return [c.occurred_at.isoformat() for c in report.consultations]


def test_a_day_runs_from_dutch_midnight_to_dutch_midnight(edges: Store) -> None:
    report = consultations(edges, SUBJECT, start=date(2026, 3, 2), end=date(2026, 3, 2))
    assert _moments(report) == [
        "2026-03-02T00:00:00+01:00",
        "2026-03-02T03:00:00+01:00",
        "2026-03-02T23:30:00+01:00",
    ]
    assert report.name == "Jan Jansen"
    next_day = consultations(edges, SUBJECT, start=date(2026, 3, 3), end=date(2026, 3, 3))
    assert _moments(next_day) == ["2026-03-03T00:15:00+01:00"]


def test_the_period_is_inclusive_across_the_dst_change(edges: Store) -> None:
    report = consultations(edges, SUBJECT, start=date(2026, 3, 3), end=date(2026, 3, 29))
    assert _moments(report) == ["2026-03-03T00:15:00+01:00", "2026-03-29T23:30:00+02:00"]
    whole = consultations(edges, SUBJECT, start=date(2026, 3, 1), end=date(2026, 3, 30))
    assert len(whole.consultations) == 7  # everything but the other person's event
    april = consultations(edges, SUBJECT, start=date(2026, 4, 1), end=date(2026, 4, 30))
    assert april.consultations == ()


def test_another_persons_case_type_is_not_given_and_batch_work_is_marked(edges: Store) -> None:
    report = consultations(edges, SUBJECT, start=date(2026, 3, 2), end=date(2026, 3, 2))
    first, batch, late = report.consultations
    assert (first.in_case, first.case_type) == (True, "Verhuizing")
    assert (late.in_case, late.case_type) == (True, None)  # Bijstand is the other person's
    assert batch.automated and not first.automated
    assert "Bijstand" not in json.dumps(as_json(report))
    assert "Bijstand" not in pdf_text(render_pdf(report))


def test_a_person_unknown_to_the_brp_extract_still_gets_a_report(edges: Store) -> None:
    report = consultations(edges, OTHER, start=date(2026, 3, 2), end=date(2026, 3, 2))
    assert report.name is None and len(report.consultations) == 1
    assert "onbekend" in pdf_text(render_pdf(report))


@pytest.mark.parametrize("bad", ["123456789", "12345678", "abcdefghi", "", "000000000"])
def test_an_invalid_bsn_is_refused(edges: Store, bad: str) -> None:
    with pytest.raises(UserError, match="not a valid BSN"):
        consultations(edges, bad, start=date(2026, 3, 1), end=date(2026, 3, 31))


def test_a_period_that_ends_before_it_starts_is_refused(edges: Store) -> None:
    with pytest.raises(UserError, match="after it ends"):
        consultations(edges, SUBJECT, start=date(2026, 3, 31), end=date(2026, 3, 1))


def test_the_creation_moment_is_dutch_time(edges: Store) -> None:
    now = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    report = consultations(edges, SUBJECT, start=date(2026, 3, 2), end=date(2026, 3, 2), now=now)
    assert report.created_at.isoformat() == "2026-07-02T00:30:00+02:00"


# --- the command --------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def cli(edges: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    """A Typer app with only the ``inzage`` command, on the hand-made store."""
    monkeypatch.setattr(schildwacht.cli_state.State, "store", edges)
    app = typer.Typer()
    app.command()(inzage)
    yield app


def _audited(store: Store) -> list[AuditRecord]:
    with open_database(load_settings(store.root)).begin() as db:
        query = sa.select(AuditRecord).where(AuditRecord.action == "inzage_report")
        rows = list(db.execute(query.order_by(AuditRecord.seq)).scalars())
        db.expunge_all()
        return rows


def test_the_command_prints_json_and_records_the_use(cli: typer.Typer, edges: Store) -> None:
    result = runner.invoke(cli, [SUBJECT, "--from", "2026-03-02", "--to", "2026-03-02"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["bsn"] == SUBJECT and data["count"] == 3
    assert "e00001" not in result.stdout and "Verbeek" not in result.stdout
    (entry,) = _audited(edges)
    assert entry.actor == f"cli:{getpass.getuser()}" and entry.target == SUBJECT
    assert entry.details == {"from": "2026-03-02", "to": "2026-03-02", "format": "json",
                             "consultations": 3, "via": "cli"}  # fmt: skip


def test_the_command_writes_a_pdf_only_to_a_file(
    cli: typer.Typer, edges: Store, tmp_path: Path
) -> None:
    args = [SUBJECT, "--from", "2026-03-01", "--to", "2026-03-31", "--format", "pdf"]
    refused = runner.invoke(cli, args)
    assert isinstance(refused.exception, UserError) and "--output" in str(refused.exception)
    assert _audited(edges) == []
    target = tmp_path / "inzage.pdf"
    result = runner.invoke(cli, [*args, "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "Jan Jansen" in pdf_text(target.read_bytes())
    (entry,) = _audited(edges)
    assert entry.details["format"] == "pdf" and entry.details["consultations"] == 7


def test_the_command_refuses_a_bad_bsn_or_date_and_records_nothing(
    cli: typer.Typer, edges: Store
) -> None:
    bad_bsn = runner.invoke(cli, ["123456789", "--from", "2026-03-01", "--to", "2026-03-31"])
    assert isinstance(bad_bsn.exception, UserError)
    bad_day = runner.invoke(cli, [SUBJECT, "--from", "1 maart", "--to", "2026-03-31"])
    assert isinstance(bad_day.exception, UserError) and "--from" in str(bad_day.exception)
    assert _audited(edges) == []
