"""The leaks the motivated intruder found (tests/benchmarks/test_intruder.py), each as a case small enough to read.

1. Each side of a difference: night 1 counts 13 councils, night 2 loses 2 and gains 3. The
   difference holds 5 councils, which the span check allows, but if the 2 lost answered alike and
   none of the 3 gained did, the counts differ by exactly 2 there and give both away.
2. The viewer's own contribution: a signed-in viewer knows its own answers, so a difference of 5
   councils of which it is one holds only 4 others.
3. Zero cells across figures: a contributor in two figures can only have given an answer neither
   rules out; two figures may leave it one.
4. A cell blanked for differencing must not be the figure's only blank cell: n less the shown
   cells gives it back.
"""

from __future__ import annotations

from functions.benchmarks import disclosure, rules
from functions.benchmarks.disclosure import Checker, Past
from functions.benchmarks.figures import NEIGHBOURS, GroupRef, Key, Raw
from functions.benchmarks.rules import SIGNED_IN, Counts

KEY = Key("2026", "statement", "PLC-01", "current")
GROUP = ("type-region", "district-south-east")


def raw(answers: dict[str, str]) -> Raw:
    """A figure of GROUP over contributors shared with similar councils only (all hidden)."""
    counts = dict.fromkeys(KEY.categories, 0)
    for value in answers.values():
        counts[value] += 1
    ids = frozenset(answers)
    return Raw(KEY, GroupRef(*GROUP, "a group", ()), ids, ids, Counts(dict(counts), dict(counts)))


def shown_once(answers: dict[str, str]) -> dict:
    """The history after night 1 showed the figure of `answers`."""
    r = raw(answers)
    fig = disclosure.decide(KEY, {GROUP: r}, {}, [frozenset({GROUP})], SIGNED_IN, 1, Checker())[GROUP]
    assert fig.status == "shown"
    return {GROUP: [Past(1, fig.contributors, fig.hidden, fig.counts, fig)]}


def night_two(history, answers, viewer: str):
    family = frozenset({GROUP, (NEIGHBOURS, viewer)})
    return disclosure.decide(KEY, {GROUP: raw(answers)}, history, [family], SIGNED_IN, 2, Checker())[GROUP]


def _c(prefix: str, n: int, value: str) -> dict[str, str]:
    return {f"{prefix}{i:02d}:p1": value for i in range(n)}


def test_a_difference_that_loses_two_and_gains_three_is_not_shown():
    before = _c("A", 5, "not-yet") | _c("B", 6, "plans") | _c("L", 2, "plans")
    after = _c("A", 5, "not-yet") | _c("B", 6, "plans") | _c("G", 3, "not-yet")
    assert rules.judge(raw(after).counts, SIGNED_IN, KEY.scale).shown  # on its own it would be shown
    fig = night_two(shown_once(before), after, viewer="ZZZ")
    assert fig.status == "kept" and fig.reason == "differencing"
    assert fig.contributors == frozenset(before)


def test_a_difference_that_loses_five_and_gains_five_of_mixed_answers_is_shown():
    left = _c("L", 3, "plans") | {f"L{i:02d}:p1": "does" for i in range(3, 5)}
    came = _c("G", 3, "not-yet") | {f"G{i:02d}:p1": "understands" for i in range(3, 5)}
    before = _c("A", 5, "not-yet") | _c("B", 6, "plans") | left
    after = _c("A", 5, "not-yet") | _c("B", 6, "plans") | came
    fig = night_two(shown_once(before), after, viewer="ZZZ")
    assert fig.status == "shown" and fig.contributors == frozenset(after)


def test_a_difference_of_five_gone_who_all_answered_alike_and_five_come_who_all_answered_alike_is_not_shown():
    # 5 and 5 is enough councils on each side, but the counts move by 5 in two answers: all of each side
    before = _c("A", 5, "not-yet") | _c("B", 6, "plans") | _c("L", 5, "plans")
    after = _c("A", 5, "not-yet") | _c("B", 6, "plans") | _c("G", 5, "not-yet")
    fig = night_two(shown_once(before), after, viewer="ZZZ")
    assert fig.status == "kept" and fig.contributors == frozenset(before)


def test_a_difference_of_five_is_four_to_a_viewer_who_is_one_of_them():
    both = _c("B", 5, "plans") | _c("C", 5, "does")
    before = {"VVV:p1": "not-yet"} | _c("A", 4, "not-yet") | both
    after = both | _c("G", 5, "not-yet")
    history = shown_once(before)
    assert night_two(history, after, viewer="ZZZ").status == "shown"  # to anyone else: 5 gone, 5 come
    seen_by_vvv = night_two(history, after, viewer="VVV")
    assert seen_by_vvv.status == "kept" and seen_by_vvv.reason == "differencing"


def test_two_figures_that_rule_out_every_answer_but_one_are_not_both_shown():
    # night 1: nobody hidden answered plans, does or reviews; night 2, the same councils and others:
    # nobody answered not-yet. Those in both answered "understands", though each figure alone allows two.
    before = _c("A", 6, "not-yet") | _c("B", 6, "understands")
    after = _c("B", 6, "understands") | _c("G", 6, "plans")
    fig = night_two(shown_once(before), after, viewer="ZZZ")
    assert fig.status == "kept" and fig.reason == "differencing"


def test_a_cell_blanked_for_differencing_is_never_the_only_blank_cell():
    r = raw(_c("A", 6, "not-yet") | _c("B", 7, "plans") | _c("C", 8, "does"))
    verdict = rules.judge(r.counts, SIGNED_IN, KEY.scale)
    fig = disclosure.shown(r, verdict, 1)
    blanked = disclosure._blank_cells(fig, {"does": "differencing"}, SIGNED_IN)
    assert blanked.cells["does"] is None
    assert sum(v is None for v in blanked.cells.values()) >= 2, blanked.cells
    assert all(blanked.cell_reasons[c] for c, v in blanked.cells.items() if v is None)
