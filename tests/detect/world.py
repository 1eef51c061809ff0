"""A small, readable municipality built in code, for testing detection scenario by scenario.

Two teams do ordinary, explained work every weekday for four weeks: ``Balie`` (Burgerzaken)
serves appointments, ``Wmo`` (Sociaal Domein) handles cases. Tests add the employees,
citizens and accesses of one situation (a misuse or its legitimate look-alike) on top, each
with its own people, so all situations can share one store and one detection run.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from schildwacht.contract import TABLES, bsn_is_valid

AMS = ZoneInfo("Europe/Amsterdam")
START = date(2026, 2, 2)  # a Monday
DAYS = 28


def _bsns() -> itertools.count[int]:
    return itertools.count(100_000_000)


@dataclass
class World:
    """Rows per contract table, and helpers to add people and accesses."""

    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in TABLES}
    )
    _numbers: itertools.count[int] = field(default_factory=_bsns)
    _events: itertools.count[int] = field(default_factory=itertools.count)

    def bsn(self) -> str:
        while True:
            candidate = f"{next(self._numbers):09d}"
            if bsn_is_valid(candidate):
                return candidate

    def citizen(
        self,
        surname: str = "Inwoner",
        postcode: str = "1000AA",
        house: str | None = None,
        **extra: Any,
    ) -> str:
        bsn = self.bsn()
        self.rows["citizens"].append(
            {
                "bsn": bsn,
                "given_names": "Sam",
                "surname": surname,
                "postcode": postcode,
                "house_number": house or str(len(self.rows["citizens"]) + 1),
                "birth_date": "1980-01-01",
                **extra,
            }
        )
        return bsn

    def employee(
        self, employee_id: str, team: str = "Balie", department: str = "Burgerzaken", **extra: Any
    ) -> str:
        self.rows["employees"].append(
            {
                "employee_id": employee_id,
                "surname": "Medewerker",
                "department": department,
                "team": team,
                "employed_from": "2020-01-01",
                **extra,
            }
        )
        return employee_id

    def access(
        self,
        employee_id: str,
        subject: str | None,
        day: int,
        hour: int = 10,
        minute: int = 0,
        action: str = "view",
        **extra: Any,
    ) -> None:
        at = datetime.combine(START + timedelta(days=day), datetime.min.time(), AMS)
        at += timedelta(hours=hour, minutes=minute)
        self.rows["events"].append(
            {
                "event_id": f"ev{next(self._events)}",
                "occurred_at": at.isoformat(),
                "source_system": "brp",
                "employee_id": employee_id,
                "action": action,
                "subject_bsn": subject or "",
                "data_categories": "basis|adres",
                **extra,
            }
        )

    def case(
        self,
        case_id: str,
        subject: str,
        assignee: str | None,
        team: str | None,
        opened_day: int = -60,
        case_type: str = "Wmo-maatwerk",
    ) -> None:
        opened = datetime.combine(START + timedelta(days=opened_day), datetime.min.time(), AMS)
        self.rows["cases"].append(
            {
                "case_id": case_id,
                "case_type": case_type,
                "subject_bsn": subject,
                "assignee_employee_id": assignee or "",
                "assignee_team": team or "",
                "opened_at": opened.isoformat(),
            }
        )

    def appointment(self, subject: str, employee_id: str | None, team: str, day: int) -> None:
        at = datetime.combine(START + timedelta(days=day), datetime.min.time(), AMS)
        self.rows["appointments"].append(
            {
                "appointment_id": f"afs{len(self.rows['appointments'])}",
                "subject_bsn": subject,
                "employee_id": employee_id or "",
                "team": team,
                "starts_at": (at + timedelta(hours=9)).isoformat(),
            }
        )

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, rows in self.rows.items():
            if not rows:
                continue
            header = list(TABLES[name].column_names)
            with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(rows)
        return folder


def ordinary_work(world: World, staff_per_team: int = 6, clients: int = 8) -> None:
    """Explained daily work: the baseline every scenario is judged against."""
    for team, department in (("Balie", "Burgerzaken"), ("Wmo", "Sociaal Domein")):
        for n in range(staff_per_team):
            employee = world.employee(f"{team.lower()}{n}", team, department)
            people = [world.citizen() for _ in range(clients)]
            for k, person in enumerate(people):
                if team == "Wmo":
                    world.case(f"Z-{employee}-{k}", person, employee, team)
            for day in range(DAYS):
                if (START + timedelta(days=day)).weekday() >= 5:
                    continue
                person = people[day % clients]
                if team == "Balie":
                    world.appointment(person, employee, team, day)
                world.access(employee, person, day, hour=9 + day % 7, minute=n)


def daily_work(world: World, employee_id: str, team: str = "Balie", days: int = 20) -> None:
    """Explained desk work for an employee a test gives a special role too.

    People who misuse data also do their job; without this, the few accesses of a test
    situation would be all the employee (and much of the team) ever did, and every baseline
    built on "how unusual is this for them" would be skewed.
    """
    for day in range(days):
        if (START + timedelta(days=day)).weekday() >= 5:
            continue
        person = world.citizen()
        world.appointment(person, employee_id, team, day)
        world.access(employee_id, person, day, hour=9, minute=30)
