"""The disclosure rules for one figure, and across groups and releases: hand-made figures with known answers."""

import random

from functions.benchmarks import disclosure, rules
from functions.benchmarks.disclosure import Checker, Past
from functions.benchmarks.figures import GroupRef, Key, Raw
from functions.benchmarks.rules import PUBLIC, SIGNED_IN, Counts

KEY = Key("2026", "statement", "PLC-01", "current")
STAGES = KEY.categories


def counts(answers: dict[str, str], hidden: set[str] | None = None) -> Counts:
    hidden = set(answers) if hidden is None else hidden
    every = dict.fromkeys(STAGES, 0)
    secret = dict.fromkeys(STAGES, 0)
    for who, stage in answers.items():
        every[stage] += 1
        if who in hidden:
            secret[stage] += 1
    return Counts(every, secret)


def raw(group: str, answers: dict[str, str], hidden: set[str] | None = None) -> Raw:
    hidden = set(answers) if hidden is None else hidden
    return Raw(KEY, GroupRef("type-region", group, group, ()), frozenset(answers), frozenset(hidden), counts(answers, hidden))


def raw_in(gid: tuple[str, str], answers: dict[str, str]) -> Raw:
    """A raw figure of the group `gid` (grouping, id) in which every answer is hidden."""
    return Raw(KEY, GroupRef(gid[0], gid[1], gid[1], ()), frozenset(answers), frozenset(answers), counts(answers))


def spread(codes, stages=("understands", "plans", "does")) -> dict[str, str]:
    """Answers spread over `stages` in turn: no stage holds almost everyone."""
    return {f"C{c:03d}:1": stages[i % len(stages)] for i, c in enumerate(codes)}


def decide(raws: dict[str, Raw], history=None, audience=PUBLIC, release=1):
    gids = {("type-region", g): r for g, r in raws.items()}
    family = [frozenset(gids)]
    return {g: f for (_, g), f in disclosure.decide(KEY, gids, history or {}, family, audience, release, Checker()).items()}


def history_of(figures: dict, release: int, into: dict) -> dict:
    for g, f in figures.items():
        if f.status == "shown" and f.release == release:
            into.setdefault(("type-region", g), []).append(Past(release, f.contributors, f.hidden, f.counts, f))
    return into


# -- one figure ---------------------------------------------------------------------------------


def test_a_group_under_the_minimum_is_blank_whole_with_its_reason_never_zero():
    v = rules.judge(counts(spread(range(9))), PUBLIC, STAGES)
    assert v.figure_reason == "minimum"
    assert rules.judge(counts(spread(range(4))), SIGNED_IN, STAGES).figure_reason == "minimum"
    fig = disclosure.blank(KEY, ("type-region", "g"), v.figure_reason)
    assert set(fig.cells.values()) == {None} and fig.n is None and set(fig.cell_reasons.values()) == {"minimum"}


def test_one_answer_holding_all_but_one_blanks_the_figure():
    answers = {f"C{i:03d}:1": "does" for i in range(11)} | {"C011:1": "plans"}
    assert rules.judge(counts(answers), PUBLIC, STAGES).figure_reason == "dominance"


def test_small_counts_are_blank_and_enough_others_with_them_that_the_total_gives_nothing_back():
    answers = spread(range(30), stages=("understands", "plans", "does"))  # 10 each
    answers |= {"C100:1": "reviews", "C101:1": "reviews", "C102:1": "not-yet"}  # 2 and 1: small
    v = rules.judge(counts(answers), PUBLIC, STAGES)
    assert v.shown
    # reviews (2) and not-yet (1) are small; together 3 < 10, so the smallest shown cell goes too
    assert set(v.cell_reasons) == {"reviews", "not-yet", "understands"}
    assert v.cell_reasons["understands"] == "complementary"
    assert v.mean_reason == "mean-blank"  # a mean beside blank cells would give them back
    cells = rules.percentages(counts(answers), v.cell_reasons)
    assert cells["plans"] == round(100 * 10 / 33) and cells["reviews"] is None


def test_a_mean_at_an_end_of_the_scale_is_not_shown():
    c = Counts(dict.fromkeys(STAGES, 0) | {"not-yet": 12}, dict.fromkeys(STAGES, 0) | {"not-yet": 12})
    assert rules.mean_reason(c, {}, STAGES) == "mean-end"


def test_signed_in_members_subtract_the_public_responses_so_the_rest_must_reach_the_minimum():
    answers = spread(range(8))
    v = rules.judge(counts(answers, hidden={"C000:1", "C001:1"}), SIGNED_IN, STAGES)
    assert v.figure_reason == "hidden-minimum"
    assert rules.judge(counts(answers, hidden=set()), SIGNED_IN, STAGES).figure_reason is None  # all public: nothing hidden


# -- across groups ------------------------------------------------------------------------------


def test_the_regions_shown_beside_their_nation_never_leave_a_small_rest_by_subtraction():
    north, south, small = spread(range(15)), spread(range(15, 30)), spread(range(30, 38))
    nation = north | south | small
    out = decide({"nation": raw("nation", nation), "north": raw("north", north), "south": raw("south", south),
                  "small": raw("small", small)})  # fmt: skip
    assert out["small"].status == "blank" and out["small"].reason == "minimum"
    assert out["nation"].status == "shown" and out["north"].status == "shown"
    assert out["south"].status == "blank" and out["south"].reason == "differencing"


def test_a_rest_where_every_council_gave_one_answer_is_not_left_to_be_worked_out():
    north = spread(range(15))
    rest = {f"C{c:03d}:1": "does" for c in range(15, 27)}  # 12 councils, every one "does"
    out = decide({"nation": raw("nation", north | rest), "north": raw("north", north)})
    assert {out["nation"].status, out["north"].status} == {"shown", "blank"}


def test_a_nation_less_its_region_is_judged_even_when_a_neighbour_group_overlaps_both():
    """The viewer of a council sees its nation, its region and its nearest neighbours, which lie partly in the
    region and partly outside it. The neighbours cannot be taken away with the region (they overlap it), but
    the nation less the region can still be worked out: its cells are judged as a figure's are."""
    region = spread(range(15)) | {f"C{c:03d}:1": "reviews" for c in range(15, 20)}  # 20 councils, 5 "reviews"
    rest = spread(range(20, 29)) | {"C029:1": "reviews"}  # 10 more: the nation holds 6 "reviews", so 1 is outside
    nation = region | rest
    near = {k: nation[k] for k in ("C001:1", "C002:1", "C004:1", "C005:1", "C007:1", "C008:1", "C020:1", "C021:1", "C022:1",
                                   "C023:1", "C024:1")}  # fmt: skip
    groups = {("type-nation", "n"): nation, ("type-region", "r"): region, ("neighbours", "C000"): near}
    raws = {gid: raw_in(gid, a) for gid, a in groups.items()}
    out = disclosure.decide(KEY, raws, {}, [frozenset(groups)], SIGNED_IN, 1, Checker())
    fig_n, fig_r = out[("type-nation", "n")], out[("type-region", "r")]
    assert out[("neighbours", "C000")].status == "shown", "the overlapping group must be shown for the case to mean anything"
    assert fig_n.status == fig_r.status == "shown"
    # one council outside the region answered "reviews": the two shown cells must not both be there to subtract
    assert fig_n.cells["reviews"] is None or fig_r.cells["reviews"] is None
    assert "differencing" in fig_n.cell_reasons.values() or "differencing" in fig_r.cell_reasons.values()


def test_sets_that_overlap_are_taken_away_in_every_largest_disjoint_collection():
    a, b, c = frozenset({"A:1", "B:1"}), frozenset({"C:1", "D:1"}), frozenset({"B:1", "C:1"})  # c overlaps a and b
    hidden = (frozenset(), a, b, c)
    assert disclosure._disjoint_choices([1, 2], hidden) == [(1, 2)]
    assert disclosure._disjoint_choices([1, 2, 3], hidden) == [(1, 2), (3,)]
    assert disclosure._disjoint_choices([1, 3], hidden) == [(1,), (3,)]
    assert disclosure._disjoint_choices([1, 2, 3], hidden, need=3) == [(3,)]  # only the collections with the figure checked
    assert disclosure._disjoint_choices([1, 2, 3], hidden, need=2) == [(1, 2)]
    # forty sets that overlap nothing beside one overlapping pair: two collections, each with all forty
    alone = tuple(frozenset({f"S{i}:1"}) for i in range(40)) + (frozenset({"X:1", "Y:1"}), frozenset({"Y:1", "Z:1"}))
    assert disclosure._disjoint_choices(list(range(42)), alone) == [(*range(40), 40), (*range(40), 41)]
    # seven pairs of overlapping sets: 2**7 ways to take one of each, more than the check will judge
    many = tuple(frozenset({f"P{i}:1", f"Q{i}:{k}"}) | ({f"R{i}:1"} if k else set()) for i in range(7) for k in (0, 1))
    assert disclosure._disjoint_choices(list(range(len(many))), many) is None


def test_a_figure_whose_residuals_are_too_many_to_judge_is_refused(monkeypatch):
    monkeypatch.setattr(disclosure, "MAX_RESIDUAL_CHOICES", 1)
    region = spread(range(20))
    nation = region | spread(range(20, 30))
    near = {k: nation[k] for k in ("C001:1", "C002:1", "C004:1", "C005:1", "C007:1", "C020:1", "C021:1", "C022:1", "C023:1")}
    groups = {("type-nation", "n"): nation, ("type-region", "r"): region, ("neighbours", "C000"): near}
    raws = {gid: raw_in(gid, a) for gid, a in groups.items()}
    checker = Checker()
    out = disclosure.decide(KEY, raws, {}, [frozenset(groups)], SIGNED_IN, 1, checker)
    assert out[("type-nation", "n")].status == "blank" and out[("type-nation", "n")].reason == "differencing"
    assert checker.undecided >= 1


def test_a_region_refused_tonight_leaves_its_nation_judged_against_the_region_shown_before():
    """Tonight the nation is judged less tonight's region; the region is then refused (it less last night's is
    dominated), so the viewer sees the nation beside last night's region, whose difference is judged too."""
    nation_id, region_id = ("type-nation", "n"), ("type-region", "r")
    past = spread(range(20))
    region = past | {"C020:1": "reviews", "C021:1": "reviews", "C022:1": "reviews", "C023:1": "reviews", "C024:1": "plans"}
    nation = region | {f"C{c:03d}:1": "not-yet" for c in range(30, 35)} | {f"C{c:03d}:1": "understands" for c in range(35, 40)}

    first = disclosure.decide(KEY, {region_id: raw_in(region_id, past)}, {}, [frozenset({region_id})], SIGNED_IN, 1, Checker())
    history = {region_id: [Past(1, first[region_id].contributors, first[region_id].hidden, first[region_id].counts, first[region_id])]}
    families = [frozenset({nation_id, region_id})]
    out = disclosure.decide(KEY, {nation_id: raw_in(nation_id, nation), region_id: raw_in(region_id, region)}, history, families,
                            SIGNED_IN, 2, Checker())  # fmt: skip
    assert out[region_id].status == "kept" and out[region_id].release == 1
    shown = out[nation_id]
    assert shown.status == "shown"
    # one council outside last night's region answered "plans" (tonight's region brought one more): not to be subtracted
    assert shown.counts.minus(first[region_id].counts).hidden["plans"] == 1
    assert shown.cells["plans"] is None and shown.cell_reasons["plans"] == "differencing"
    now = {nation_id: disclosure.seen_as(shown)}
    index = disclosure.Families.index(families)
    assert disclosure._residual_verdict(nation_id, now, history, index.of, disclosure.Checks(SIGNED_IN.minimum, Checker())) is None


# -- across releases ----------------------------------------------------------------------------


def test_s_then_s_plus_5_then_s_plus_6_keeps_the_first_figure_until_ten_have_changed():
    history: dict = {}
    nights = [range(20), range(25), range(26), range(30)]
    statuses = []
    for night, codes in enumerate(nights, start=1):
        out = decide({"g": raw("g", spread(codes))}, history, release=night)
        history_of(out, night, history)
        statuses.append((out["g"].status, out["g"].release, out["g"].n))
    assert statuses == [("shown", 1, 20), ("kept", 1, 20), ("kept", 1, 20), ("shown", 4, 30)]


def test_an_unchanged_group_shows_the_same_figure_from_the_release_that_computed_it():
    history: dict = {}
    first = decide({"g": raw("g", spread(range(20)))}, history, release=1)
    history_of(first, 1, history)
    again = decide({"g": raw("g", spread(range(20)))}, history, release=2)
    assert again["g"] == first["g"] and again["g"].release == 1


def test_a_withdrawal_under_the_minimum_blanks_the_figure_rather_than_keeping_old_answers():
    history: dict = {}
    history_of(decide({"g": raw("g", spread(range(12)))}, history, release=1), 1, history)
    out = decide({"g": raw("g", spread(range(8)))}, history, release=2)
    assert out["g"].status == "blank" and out["g"].reason == "minimum"


def test_two_overlapping_figures_whose_difference_pins_down_the_councils_in_one_are_not_both_shown():
    shared = spread(range(30))
    only_a = {f"C{c:03d}:1": "reviews" for c in range(100, 110)}  # every one "reviews"
    only_b = spread(range(200, 210))  # none "reviews"
    out = decide({"a": raw("a", shared | only_a), "b": raw("b", shared | only_b)})
    # each alone passes, and they differ by 20 councils; but a - b in "reviews" is 10: all of only_a
    assert sorted(f.status for f in out.values()) == ["blank", "shown"]
    mixed = dict(only_a) | {"C100:1": "does", "C101:1": "plans"}
    out = decide({"a": raw("a", shared | mixed), "b": raw("b", shared | only_b)})
    assert [f.status for f in out.values()] == ["shown", "shown"]


def test_a_person_newly_in_two_councils_is_not_listed_as_checked_when_their_groups_together_give_someone_away():
    a = spread(range(20))
    b = {k: v for k, v in a.items() if k not in {"C000:1", "C001:1", "C002:1"}}  # 3 fewer: fine apart, not together
    history: dict = {}
    for name, answers in (("a", a), ("b", b)):
        fig = disclosure.decide(KEY, {("type-region", name): raw(name, answers)}, {}, [frozenset({("type-region", name)})],
                                SIGNED_IN, 1, Checker())[("type-region", name)]  # fmt: skip
        assert fig.status == "shown"
        history[("type-region", name)] = [Past(1, fig.contributors, fig.hidden, fig.counts, fig)]
    decided = {g: p[-1].figure for g, p in history.items()}
    limit = SIGNED_IN.minimum - 1
    for alone in (("type-region", "a"), ("type-region", "b")):
        assert disclosure.family_safe(frozenset({alone}), history, decided, limit, Checker())
    assert not disclosure.family_safe(frozenset(history), history, decided, limit, Checker())


# -- one pass is enough ---------------------------------------------------------------------------


def test_checking_a_decided_key_again_finds_nothing_more_to_blank():
    """Checking everything again, with every figure as decide left it, finds nothing more, on the first night and the next.

    Random nations of regions with overlapping neighbour groups, answers often nearly unanimous, some
    shared with everyone (known to signed-in members), each council's family knowing its own answers;
    then a second night on which some councils arrive, revise (a new contributor) or withdraw."""
    rng = random.Random(11)
    residual_work = kept = 0
    limit = SIGNED_IN.minimum - 1
    for case in range(40):
        everyone = [f"C{c:03d}" for c in range(rng.randint(24, 64))]
        stages = rng.sample(STAGES, rng.randint(2, 4))
        public = {c for c in everyone if rng.random() < 0.3}
        regions = [everyone[i::3] for i in range(3)]
        groups = {("type-nation", "nation"): everyone} | {("type-region", f"r{i}"): r for i, r in enumerate(regions)}
        for c in rng.sample(everyone, 8):
            groups[("neighbours", c)] = [o for o in rng.sample(everyone, 12) if o != c]
        families = [frozenset({("type-nation", "nation"), next(g for g, m in groups.items() if g[0] == "type-region" and c in m)}
                              | ({("neighbours", c)} if ("neighbours", c) in groups else set())) for c in everyone]  # fmt: skip
        index = disclosure.Families.index(families)
        taking_part = set(rng.sample(everyone, len(everyone) - 4))  # four arrive on the second night
        published = {c: (1, rng.choice(stages[:1] * rng.randint(0, 6) + stages)) for c in everyone}
        history: dict = {}
        for night in (1, 2):
            if night == 2:
                taking_part |= set(everyone)
                for c in rng.sample(sorted(taking_part), 6):  # revisions: a new publication, perhaps a new answer
                    published[c] = (published[c][0] + 1, rng.choice(stages))
                taking_part -= set(rng.sample(sorted(taking_part), 2))  # withdrawals
            raws = {gid: raw(gid[1], {f"{c}:{published[c][0]}": published[c][1] for c in members if c in taking_part},
                             {f"{c}:{published[c][0]}" for c in members if c in taking_part and c not in public})
                    for gid, members in groups.items()}  # fmt: skip
            out = disclosure.decide(KEY, raws, history, families, SIGNED_IN, night, Checker())
            residual_work += sum(f.reason == "derived-dominance" or "differencing" in f.cell_reasons.values() for f in out.values())
            kept += sum(f.status == "kept" for f in out.values())
            where = f"case {case}, night {night}"
            for fam in set(families):
                assert disclosure.family_safe(fam, history, out, limit, Checker()), f"{where}: {sorted(fam)}"
            tonight = {g: f for g, f in out.items() if f.status == "shown" and f.release == night}
            checks = disclosure.Checks(SIGNED_IN.minimum, Checker())
            now = {gid: disclosure.seen_as(fig) for gid, fig in tonight.items()}
            for gid in tonight:
                assert disclosure._residual_verdict(gid, now, history, index.of, checks) is None, f"{where}: {gid}"
            for gid, f in tonight.items():
                history.setdefault(gid, []).append(Past(night, f.contributors, f.hidden, f.counts, f))
    assert residual_work > 0, "no case left the residual checks anything to blank: the test shows nothing"
    assert kept > 0, "no figure was kept from the first night: the second night shows nothing about history"
