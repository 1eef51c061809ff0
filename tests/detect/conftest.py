"""One small world with every situation, ingested and detected once for all scenario tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from schildwacht.config import Settings
from schildwacht.detect.engine import DetectionOutput, compute
from schildwacht.detect.runner import detection_params
from schildwacht.detect.scoring import ScoringSettings
from schildwacht.ingest.pipeline import ingest
from schildwacht.store.store import Store
from tests.detect.world import World, daily_work, ordinary_work


@dataclass
class Situation:
    """Who did what to whom, for one scenario: a misuse and its legitimate look-alike."""

    positive: tuple[str, str | None]  # (employee, subject) that must be flagged
    negative: tuple[str, str | None]  # (employee, subject) that must not be


def build_situations(w: World) -> dict[str, Situation]:
    s: dict[str, Situation] = {}
    # self: own record vs. a stranger's
    me = w.citizen()
    other = w.citizen()
    w.employee("self_pos", bsn=me)
    w.employee("self_neg", bsn=w.citizen())
    w.access("self_pos", me, 3)
    w.access("self_neg", other, 3)
    s["self"] = Situation(("self_pos", me), ("self_neg", other))
    # family: ex-partner vs. a namesake with a very common surname
    emp_bsn, ex = w.citizen("Visser"), w.citizen("Bos")
    w.employee("fam_pos", bsn=emp_bsn)
    w.rows["relations"].append({"bsn": emp_bsn, "related_bsn": ex, "relation": "ex_partner"})
    w.access("fam_pos", ex, 4, hour=21)
    w.access("fam_pos", ex, 6)
    for _ in range(30):
        w.citizen("de Jong")
    namesake = w.citizen("de Jong")
    w.employee("fam_neg", surname="de Jong")  # BSN unknown: surname is the only clue
    w.access("fam_neg", namesake, 4)
    s["family"] = Situation(("fam_pos", ex), ("fam_neg", namesake))
    # neighbour: same building without reason vs. with an appointment
    home = w.citizen(postcode="2000BB", house="10")
    w.employee("nb_pos", bsn=home, postcode="2000BB", house_number="10")
    w.employee("nb_neg", postcode="3000CC", house_number="5")
    nb1 = w.citizen(postcode="2000BB", house="10-2")
    nb2 = w.citizen(postcode="3000CC", house="7")
    w.access("nb_pos", nb1, 5, hour=20)
    w.access("nb_pos", nb1, 8)
    w.appointment(nb2, "nb_neg", "Balie", 5)
    w.access("nb_neg", nb2, 5)
    s["neighbour"] = Situation(("nb_pos", nb1), ("nb_neg", nb2))
    # coworker: a colleague's record without reason vs. a colleague served at the desk
    colleague_bsn, served_bsn = w.citizen(), w.citizen()
    w.employee("colleague1", bsn=colleague_bsn)
    w.employee("colleague2", bsn=served_bsn)
    w.employee("cw_pos")
    w.employee("cw_neg")
    w.access("cw_pos", colleague_bsn, 9, hour=19)
    w.access("cw_pos", colleague_bsn, 11)
    w.appointment(served_bsn, "cw_neg", "Balie", 9)
    w.access("cw_neg", served_bsn, 9)
    s["coworker"] = Situation(("cw_pos", colleague_bsn), ("cw_neg", served_bsn))
    # watchlist and confidential: without reason vs. at the desk with an appointment
    for code, make in (("watchlist", "wl"), ("confidential", "cf")):
        target, served = (
            (w.citizen(confidential="true"), w.citizen(confidential="true"))
            if code == "confidential"
            else (w.citizen(), w.citizen())
        )
        if code == "watchlist":
            w.rows["watchlist"] += [
                {"bsn": target, "category": "politician"},
                {"bsn": served, "category": "politician"},
            ]
        w.employee(f"{make}_pos", team="Wmo", department="Sociaal Domein")
        w.employee(f"{make}_neg")
        w.access(f"{make}_pos", target, 10, hour=13)
        w.access(f"{make}_pos", target, 12)
        w.appointment(served, f"{make}_neg", "Balie", 10)
        w.access(f"{make}_neg", served, 10)
        s[code] = Situation((f"{make}_pos", target), (f"{make}_neg", served))
    # unexplained access: evenings, repeated, nobody's client vs. covering a teammate's case
    stranger = w.citizen()
    w.employee("ua_pos", team="Wmo", department="Sociaal Domein")
    for day in (13, 14, 15):
        w.access("ua_pos", stranger, day, hour=21)
    w.employee("ua_neg", team="Wmo", department="Sociaal Domein")
    covered = w.citizen()
    w.case("Z-cover", covered, "wmo0", None)
    w.access("ua_neg", covered, 13)
    s["unexplained_access"] = Situation(("ua_pos", stranger), ("ua_neg", covered))
    # serial: the same person on four days over three weeks vs. a long-running own case
    followed, client = w.citizen(), w.citizen()
    w.employee("se_pos", team="Wmo", department="Sociaal Domein")
    w.employee("se_neg", team="Wmo", department="Sociaal Domein")
    w.case("Z-long", client, "se_neg", "Wmo")
    for day in (1, 8, 15, 22):
        w.access("se_pos", followed, day, hour=12)
        w.access("se_neg", client, day)
    s["serial"] = Situation(("se_pos", followed), ("se_neg", client))
    return s


def add_volume_situations(w: World, s: dict[str, Situation]) -> None:
    # address harvesting: 25 unrelated people in a week vs. a team where that is the work
    w.employee("ah_pos")
    for k in range(25):
        w.access("ah_pos", w.citizen(), 16 + k % 5, hour=11, minute=k)
    for n in range(4):
        w.employee(f"ah_neg{n}", team="Adreskwaliteit")
        for k in range(25):
            w.access(f"ah_neg{n}", w.citizen(), 16 + k % 5, hour=10, minute=k)
    s["address_harvest"] = Situation(("ah_pos", None), ("ah_neg0", None))
    # name browsing: first names then records vs. name plus birth date at the desk
    w.employee("br_pos")
    w.employee("br_neg")
    for k, name in enumerate(("Anna", "Lieke de", "Sem v", "Noor")):
        w.access(
            "br_pos",
            None,
            17,
            hour=14,
            minute=10 * k,
            action="search",
            search_terms=name,
            result_count="12",
        )
        w.access("br_pos", w.citizen(), 17, hour=14, minute=10 * k + 1)
        w.access(
            "br_neg",
            None,
            17,
            hour=14,
            minute=10 * k,
            action="search",
            search_terms="Jansen 1980-01-01",
            result_count="1",
        )
        w.access("br_neg", w.citizen(), 17, hour=14, minute=10 * k + 1)
    s["name_browsing"] = Situation(("br_pos", None), ("br_neg", None))
    # bulk: 120 people within an hour vs. a batch account doing its usual 120 every day
    w.employee("bk_pos")
    w.employee("svc_batch", service_account="true", team="ICT", department="Informatievoorziening")
    batch = [w.citizen() for _ in range(120)]
    for k, person in enumerate(batch):
        w.access("bk_pos", person, 18, hour=15, minute=k % 60, action="export")
        for day in range(0, 28, 3):
            w.access("svc_batch", person, day, hour=2, minute=k % 60)
    s["bulk"] = Situation(("bk_pos", None), ("svc_batch", None))
    # leaver: use after the last working day vs. use before it
    w.employee("lv_pos", employed_until=_day(10))
    w.employee("lv_neg", employed_until=_day(20))
    w.access("lv_pos", w.citizen(), 14)
    w.access("lv_neg", w.citizen(), 14)
    s["leaver"] = Situation(("lv_pos", None), ("lv_neg", None))


def _day(n: int) -> str:
    from datetime import timedelta

    from tests.detect.world import START

    return (START + timedelta(days=n)).isoformat()


@dataclass
class Detected:
    store: Store
    situations: dict[str, Situation]
    output: DetectionOutput


@pytest.fixture(scope="session")
def detected(tmp_path_factory: pytest.TempPathFactory) -> Detected:
    world = World()
    ordinary_work(world)
    situations = build_situations(world)
    add_volume_situations(world, situations)
    for situation in situations.values():
        for employee, _ in (situation.positive, situation.negative):
            row = next(r for r in world.rows["employees"] if r["employee_id"] == employee)
            if row["team"] == "Balie" and not row.get("service_account"):
                daily_work(world, employee)
    folder = world.write(tmp_path_factory.mktemp("world"))
    store = Store(tmp_path_factory.mktemp("world-store") / "store")
    ingest(store, [folder])
    output = compute(store, detection_params(Settings()), ScoringSettings())
    return Detected(store, situations, output)
