"""`tie nightly` on a real store (SQLite and PostgreSQL): the snapshot, the release, the package, the record."""

import csv
import json
import shutil
import subprocess

import pytest

from functions.assessment import rounds
from functions.benchmarks import nightly, package, release, releases
from functions.consensus import store as consensus
from functions.demo import data
from functions.demo import store as demo
from model.register import load
from tests.factories import COUNCILS, TIE, example_edition

T0 = 1_780_000_000
DAY = 86_400
# Twenty district councils of the South East: one fixed group in each grouping holds exactly them
DISTRICTS = ["ADU", "ARU", "ASF", "BAN", "CAT", "CHI", "CHR", "CRW", "DAR", "DOV",
             "EAS", "EAT", "EHA", "ELM", "EPS", "FAR", "GOS", "GRA", "GRT", "HAA"]  # fmt: skip


@pytest.fixture(scope="module")
def register():
    return load(COUNCILS)


@pytest.fixture
def editions():
    edition = example_edition()
    return {edition.id: edition}


def publish(store, code: str, stage: str, routes: tuple[str, ...], sharing: str, at: int):
    """A council's consensus with every statement at `stage` (ambition one up), published with `sharing`."""
    edition = example_edition()
    council = load(COUNCILS).councils[code]
    answers = {s.id: (stage, "reviews") for s in edition.statements if s.applies(council.type)}
    with store.transaction() as tx:
        r = rounds.open_round(tx, code, edition.id, None, at - DAY)
        data._record(tx, r.id, answers, routes, at - DAY)
        return data._publish(tx, rounds.get(tx, code, r.id), edition, council, sharing, at)


def hand_case(store):
    """10 districts at "plans" favouring process redesign, 10 at "does" favouring commercialisation, all public."""
    for i, code in enumerate(DISTRICTS):
        stage, route = ("plans", "process-redesign") if i % 2 == 0 else ("does", "commercialisation")
        publish(store, code, stage, (route,), "public", T0 + i)


def rows(folder, name):
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_package_read_back_holds_the_hand_computed_figures_and_passes_frictionless_validate(fresh_store, register, editions, tmp_path):
    hand_case(fresh_store)
    out = nightly.run(fresh_store, register, editions, tmp_path / "benchmarks", now=T0 + DAY)
    assert out.release == 1 and out.version == "1.0.0" and out.councils["public"] == 20
    folder = tmp_path / "benchmarks"
    stages = {(r["grouping"], r["group"], r["kind"], r["subject"], r["measure"]): r for r in rows(folder, "stages")}
    for grouping, group in (("type-nation", "district-england"), ("type-region", "district-south-east")):
        row = stages[(grouping, group, "statement", "PLC-01", "current")]
        assert (row["n"], row["plans"], row["does"], row["not-yet"], row["reviews"], row["mean"]) == ("20", "50", "50", "0", "0", "3.5")
        assert (row["status"], row["release"], row["n-note"], row["plans-note"]) == ("shown", "1", "", "")
        theme = stages[(grouping, group, "theme", "place-and-priorities", "current")]
        assert (theme["plans"], theme["does"]) == ("50", "50")
        ambition = stages[(grouping, group, "statement", "PLC-01", "ambition")]
        assert ambition["status"] == "blank" and ambition["n"] == "" and "all but one" in ambition["n-note"]  # every one "reviews"
    empty = stages[("type-nation", "unitary-scotland", "statement", "PLC-01", "current")]
    assert empty["n"] == "" and empty["plans"] == "" and empty["plans-note"] == "no council in the group has shared a response"
    routes = {(r["group"], r["route"]): r for r in rows(folder, "routes")}
    assert (routes[("district-england", "process-redesign")]["favours"], routes[("district-england", "process-redesign")]["n"]) == ("50", "20")
    meta = json.loads((folder / "datapackage.json").read_text())
    assert meta["version"] == "1.0.0" and meta["exchange"]["release"] == 1 and meta["exchange"]["synthetic"] is False
    assert any("mySociety" in s["title"] for s in meta["sources"]) and meta["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["name"] for r in meta["resources"]} >= {"stages", "routes", "groups", "group-names", "neighbours", "releases"}
    for resource in meta["resources"]:
        for field in resource["schema"]["fields"]:
            assert field.get("type") and field.get("description"), (resource["name"], field["name"])
    check = subprocess.run([str(TIE.parent / "frictionless"), "validate", str(folder / "datapackage.json")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-2000:]


def test_a_night_with_nothing_new_writes_nothing_and_keeps_the_version(fresh_store, register, editions, tmp_path):
    hand_case(fresh_store)
    target = tmp_path / "benchmarks"
    nightly.run(fresh_store, register, editions, target, now=T0 + DAY)
    before = {p.name: p.stat().st_mtime_ns for p in target.iterdir()}
    again = nightly.run(fresh_store, register, editions, target, now=T0 + 2 * DAY)
    assert again.release is None and again.version == "1.0.0"
    assert {p.name: p.stat().st_mtime_ns for p in target.iterdir()} == before
    with fresh_store.transaction(write=False) as tx:
        assert [r.id for r in releases.all_releases(tx)] == [1]


def test_a_withdrawal_and_a_correction_make_a_new_release_with_the_next_version_and_a_change_log(fresh_store, register, editions, tmp_path):
    hand_case(fresh_store)
    target = tmp_path / "benchmarks"
    nightly.run(fresh_store, register, editions, target, now=T0 + DAY)
    publish(fresh_store, "HAT", "plans", ("process-redesign",), "public", T0 + 2 * DAY)  # one more: 21, kept (too few changed)
    second = nightly.run(fresh_store, register, editions, target, now=T0 + 3 * DAY)
    assert second.release == 2 and second.version == "1.1.0"
    stages = {(r["grouping"], r["group"], r["subject"], r["measure"]): r for r in rows(target, "stages")}
    kept = stages[("type-nation", "district-england", "PLC-01", "current")]
    assert (kept["status"], kept["n"], kept["release"]) == ("kept", "20", "1")
    assert "fewer than 10 councils" in kept["n-note"] or kept["n-note"] == ""
    log = rows(target, "releases")
    assert [r["release"] for r in log] == ["1", "2"] and [r["version"] for r in log] == ["1.0.0", "1.1.0"]


def test_the_snapshot_is_one_query_as_of_a_time_with_the_latest_publication_chosen_before_the_sharing(fresh_store):
    publish(fresh_store, "ADU", "plans", (), "public", T0)
    publish(fresh_store, "ARU", "plans", (), "similar", T0)
    publish(fresh_store, "ASF", "plans", (), "public", T0)
    publish(fresh_store, "ASF", "does", (), "council", T0 + 400 * DAY)  # next year's round, for the council only, withdraws it
    with fresh_store.transaction(write=False, snapshot=True) as tx:
        calls = []
        real = tx.all
        tx.all = lambda *a, **k: calls.append(a[0]) or real(*a, **k)
        now = consensus.shared_consensus(tx, T0 + 401 * DAY)
        assert len(calls) == 1
        before = consensus.shared_consensus(tx, T0 + 1)
    assert [(e.council, e.sharing) for e in now] == [("ADU", "public"), ("ARU", "similar")]
    assert [(e.council, e.sharing) for e in before] == [("ADU", "public"), ("ARU", "similar"), ("ASF", "public")]
    applicable = {s.id for s in example_edition().statements if s.applies("district")}
    assert all(e.publication and set(e.answers) == applicable for e in now)


def test_a_demo_database_is_refused_unless_the_run_is_told_it_is_a_demo(fresh_store, register, editions, tmp_path):
    data.fill(fresh_store, register, example_edition(), T0, limit=40)
    with pytest.raises(nightly.DemoRefused):
        nightly.run(fresh_store, register, editions, tmp_path / "b", now=T0 + DAY)
    assert not (tmp_path / "b").exists()
    out = nightly.run(fresh_store, register, editions, tmp_path / "b", now=T0 + DAY, allow_demo=True)
    meta = json.loads((tmp_path / "b" / "datapackage.json").read_text())
    assert out.release == 1 and meta["exchange"]["synthetic"] is True and meta["title"].startswith("Synthetic demo")
    with fresh_store.transaction(write=False) as tx:
        assert demo.holds_demo(tx) and releases.latest(tx).demo


@pytest.mark.slow
def test_a_night_replayed_from_the_record_gives_the_same_figures(fresh_store, register, editions, tmp_path):
    data.fill(fresh_store, register, example_edition(), T0, limit=120)
    target = tmp_path / "b"
    nightly.run(fresh_store, register, editions, target, now=T0 + DAY, allow_demo=True)
    data.night(fresh_store, register, example_edition(), T0 + 2 * DAY)
    second = nightly.run(fresh_store, register, editions, target, now=T0 + 3 * DAY, allow_demo=True)
    assert second.release == 2
    with fresh_store.transaction(write=False, snapshot=True) as tx:
        rel = releases.get(tx, 2)
        history, current_before = releases.load(tx, before=2)
        _, current_after = releases.load(tx)
        entries = consensus.shared_consensus(tx, rel.as_of)
        viewers = releases.viewers(tx)
    replay = release.compute(entries, register, editions, history, viewers, 2, rel.as_of)
    for audience, by_key in replay.figures.items():
        for key, by_group in by_key.items():
            for gid, fig in by_group.items():
                stored = current_after.get(audience, {}).get(key, {}).get(gid)
                if stored is not None:
                    assert stored.published() == fig.published(), (audience, key, gid)


@pytest.mark.slow
def test_tie_nightly_names_its_demo_flag_and_refuses_a_demo_database_in_one_line(tmp_path):
    help_text = subprocess.run([str(TIE), "nightly", "--help"], capture_output=True, text=True).stdout
    assert "--demo" in help_text and "synthetic" in help_text
    env = {"TIE_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "TIE_COUNCILS": COUNCILS, "TIE_DATA_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin", "TIE_SECRET_KEY": "x"}  # fmt: skip
    assert subprocess.run([str(TIE), "demo"], env=env, capture_output=True, text=True).returncode == 0
    refused = subprocess.run([str(TIE), "nightly"], env=env, capture_output=True, text=True)
    assert refused.returncode == 2 and "tie nightly --demo" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    ran = subprocess.run([str(TIE), "nightly", "--demo", "--quiet"], env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert "Release 1" in ran.stdout and "councils counted" in ran.stdout and (tmp_path / "demo-benchmarks" / "stages.csv").is_file()


def _night_two_ready(store, register, editions, target):
    """Release 1 on disk, and one more council's response waiting, so that the next night has a release to make."""
    hand_case(store)
    nightly.run(store, register, editions, target, now=T0 + DAY)
    publish(store, "HAT", "plans", ("process-redesign",), "public", T0 + DAY + 10)
    return {p.name: p.read_bytes() for p in target.iterdir()}


def test_a_package_that_fails_validation_replaces_nothing_records_nothing_and_leaves_nothing(fresh_store, register, editions, tmp_path, monkeypatch):
    target = tmp_path / "benchmarks"
    before = _night_two_ready(fresh_store, register, editions, target)
    monkeypatch.setattr(package, "validate", lambda folder: ["stages: Type Error: a cell is not an integer"])
    with pytest.raises(package.InvalidPackage, match="a cell is not an integer"):
        nightly.run(fresh_store, register, editions, target, now=T0 + 2 * DAY)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if "benchmarks" in p.name) == ["benchmarks"]  # no staging folder left
    with fresh_store.transaction(write=False) as tx:
        assert [r.id for r in releases.all_releases(tx)] == [1]


def test_a_release_that_cannot_be_recorded_keeps_the_old_package_and_leaves_nothing(fresh_store, register, editions, tmp_path, monkeypatch):
    target = tmp_path / "benchmarks"
    before = _night_two_ready(fresh_store, register, editions, target)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(releases, "record", broken)
    with pytest.raises(RuntimeError, match="went away"):
        nightly.run(fresh_store, register, editions, target, now=T0 + 2 * DAY)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if "benchmarks" in p.name) == ["benchmarks"]
    monkeypatch.undo()
    done = nightly.run(fresh_store, register, editions, target, now=T0 + 3 * DAY)
    assert done.release == 2 and json.loads((target / "datapackage.json").read_text())["exchange"]["release"] == 2


def test_a_package_lost_from_disk_is_rewritten_from_the_store_with_the_same_figures(fresh_store, register, editions, tmp_path):
    target = tmp_path / "benchmarks"
    hand_case(fresh_store)
    nightly.run(fresh_store, register, editions, target, now=T0 + DAY)
    first = {name: rows(target, name) for name in ("stages", "routes", "releases")}
    shutil.rmtree(target)
    again = nightly.run(fresh_store, register, editions, target, now=T0 + 2 * DAY)
    assert again.release is None and again.rewritten and again.version == "1.0.0"
    assert {name: rows(target, name) for name in ("stages", "routes", "releases")} == first
    assert json.loads((target / "datapackage.json").read_text())["exchange"]["release"] == 1
