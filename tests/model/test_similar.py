"""Comparator groups and nearest neighbours, held against the real register and against cases worked by hand."""

from __future__ import annotations

import math
import random

import pytest

from model import register, similar
from model.register import Council, Register
from tests.factories import COUNCILS


@pytest.fixture(scope="module")
def reg() -> Register:
    return register.load(COUNCILS)


def council(code: str, population: int, density: float, score: float, tier: str = "single") -> Council:
    return Council(code, f"{code} Council", code, "unitary", "england", "south-east", "", population, population / density,
                   3, density, score, tier)  # fmt: skip


def test_every_current_council_is_in_exactly_one_group_of_each_grouping(reg):
    for grouping, by_id in similar.groups(reg).items():
        members = [code for group in by_id.values() for code in group.members]
        assert sorted(members) == sorted(reg.councils), grouping  # everyone, and nobody twice


def test_every_fixed_group_holds_at_least_the_minimum_number_of_councils(reg):
    """Fails when the register changes so that a group drops under 10 (an English reorganisation will):
    then MERGES in model/similar.py must change with it, with the reason."""
    small = similar.too_small(similar.groups(reg))
    assert small == [], "groups under {} councils, merge them in model/similar.py MERGES: {}".format(
        similar.MINIMUM_GROUP, ", ".join(f"{g.grouping}/{g.id} ({len(g.members)})" for g in small)
    )


def test_every_merge_is_used_and_says_why(reg):
    used = {g.id for g in similar.groups(reg)["type-region"].values() if g.merge}
    assert used == {m.group for m in similar.MERGES}
    assert all(len(m.reason) > 40 for m in similar.MERGES)


def test_a_group_is_of_one_council_type(reg):
    for by_id in similar.groups(reg).values():
        for group in by_id.values():
            assert len({reg.get(code).type for code in group.members}) == 1, group.id


def test_each_council_has_fifteen_neighbours_of_its_own_tier_and_northern_ireland_ten(reg):
    found = similar.neighbours(reg)
    assert set(found) == set(reg.councils)
    for code, near in found.items():
        c = reg.get(code)
        assert len(near) == (10 if c.tier == "ni-district" else similar.NEIGHBOURS), code
        assert all(reg.get(n.code).tier == c.tier for n in near)
        assert code not in [n.code for n in near]
        assert [n.rank for n in near] == list(range(1, len(near) + 1))
        assert [(n.distance, n.code) for n in near] == sorted((n.distance, n.code) for n in near)
    assert similar.tier_sizes(reg)["ni-district"] == 11


def test_the_same_register_gives_the_same_neighbours_whatever_the_order_it_was_read_in(reg):
    codes = list(reg.councils)
    random.Random(7).shuffle(codes)
    shuffled = Register(reg.location, {code: reg.councils[code] for code in codes}, reg.version)
    assert similar.neighbours(shuffled) == similar.neighbours(reg)
    assert similar.groups(shuffled) == similar.groups(reg)


def test_three_councils_distances_as_worked_by_hand():
    # log populations evenly spaced (z = -√1.5, 0, √1.5); densities two alike and one apart
    # (z = -1/√2, -1/√2, √2); deprivation scores evenly spaced (z = -√1.5, 0, √1.5). So:
    # A-B = √(1.5 + 0 + 1.5) = √3; B-C = √(1.5 + 4.5 + 1.5) = √7.5; A-C = √(6 + 4.5 + 6) = √16.5.
    three = Register("test", {c.code: c for c in (council("AAA", 1_000, 100, 10), council("BBB", 10_000, 100, 20),
                                                  council("CCC", 100_000, 10_000, 30))})  # fmt: skip
    z = similar.standardised(list(three.councils.values()))
    assert z["AAA"]["log population"] == pytest.approx(-math.sqrt(1.5))
    assert z["CCC"]["log density"] == pytest.approx(math.sqrt(2))
    near = similar.neighbours(three)
    assert [(n.code, n.distance) for n in near["AAA"]] == [("BBB", pytest.approx(math.sqrt(3))), ("CCC", pytest.approx(math.sqrt(16.5)))]
    assert [(n.code, n.distance) for n in near["BBB"]] == [("AAA", pytest.approx(math.sqrt(3))), ("CCC", pytest.approx(math.sqrt(7.5)))]
    assert [(n.code, n.distance) for n in near["CCC"]] == [("BBB", pytest.approx(math.sqrt(7.5))), ("AAA", pytest.approx(math.sqrt(16.5)))]


def test_neighbours_at_the_same_distance_are_ordered_by_code():
    # MMM sits exactly between ZZZ and AAA on every measure
    three = Register("test", {c.code: c for c in (council("ZZZ", 1_000, 100, 10), council("MMM", 10_000, 1_000, 20),
                                                  council("AAA", 100_000, 10_000, 30))})  # fmt: skip
    assert [n.code for n in similar.neighbours(three)["MMM"]] == ["AAA", "ZZZ"]


def test_neighbours_are_found_only_within_a_tier():
    councils = [council("AAA", 1_000, 100, 10), council("AAB", 1_001, 100, 10, tier="lower"), council("ZZZ", 900_000, 9_000, 50)]
    near = similar.neighbours(Register("test", {c.code: c for c in councils}))
    assert [n.code for n in near["AAA"]] == ["ZZZ"]
    assert near["AAB"] == ()


def test_the_weights_are_named_once_and_cover_every_measure():
    assert set(similar.WEIGHTS) == set(similar.measures(council("AAA", 1_000, 100, 10)))


def test_a_group_under_the_minimum_is_one_problem_line_that_tie_check_and_tie_build_report(tmp_path, reg):
    import os
    import subprocess

    from tests.factories import EXAMPLES, TIE, copy_register

    smallest = min(similar.groups(reg)["type-region"].values(), key=lambda g: len(g.members))
    retired = smallest.members[: len(smallest.members) - similar.MINIMUM_GROUP + 1]  # one council short of the minimum

    def retire(row):
        if row["local-authority-code"] in retired:
            row["current-authority"] = "False"
        return row

    councils = copy_register(tmp_path, edit_councils=retire)
    found = similar.problems(register.load(councils))
    left = similar.MINIMUM_GROUP - 1
    assert [(p.path, p.field, p.got.split(" (")[0]) for p in found] == [
        ("model/similar.py", f"comparator group {smallest.id} ({smallest.label}; grouping type-region)", f"{left} councils")
    ]
    line = str(found[0])
    assert f"expected at least {similar.MINIMUM_GROUP} councils" in line and "MERGES in model/similar.py must follow" in line
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIE_")} | {
        "TIE_COUNCILS": councils,
        "TIE_CONTENT_DIR": str(EXAMPLES / "content"),
        "TIE_QUESTIONNAIRE_DIR": str(EXAMPLES / "questionnaire"),
        "TIE_DATA_DIR": str(tmp_path / "data"),
        "TIE_BUILD_DIR": str(tmp_path / "build"),
        "TIE_SITE_DIR": str(tmp_path / "site"),
        "TIE_SECRET_KEY": "test-secret",
    }
    for command in ("check", "build"):
        done = subprocess.run([str(TIE), command], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        assert done.stdout.splitlines() == [line], command  # one line for the group, and nothing else wrong
        assert "1 problem(s) found" in done.stderr, command
    assert not (tmp_path / "site").exists()  # nothing was built
