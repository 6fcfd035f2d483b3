"""span.leak: sums and differences of figures that would give away a few councils, and none that would not."""

from functions.benchmarks.span import leak


def members(*codes, publication=1) -> frozenset[str]:
    return frozenset(f"C{c:03d}:{publication}" for c in codes)


def test_a_group_less_a_group_inside_it_gives_away_the_few_councils_between_them():
    found = leak([members(*range(20)), members(*range(15))], limit=9)
    assert found is not None and found.exact
    assert found.councils == 5 and found.contributors == members(*range(15, 20))


def test_groups_that_differ_by_the_minimum_or_more_give_nothing_away():
    assert leak([members(*range(20)), members(*range(10))], limit=9) is None
    assert leak([members(*range(10)), members(*range(10, 25))], limit=9) is None  # disjoint


def test_a_nation_less_its_shown_regions_is_checked_by_its_residual_not_only_by_pairs():
    nation, north, south = members(*range(40)), members(*range(15)), members(*range(15, 30))
    assert leak([nation, north, south], limit=9) is None  # the rest holds 10
    south_bigger = members(*range(15, 32))
    found = leak([nation, north, south_bigger], limit=9)
    assert found is not None and found.contributors == members(*range(32, 40))  # 8 left: every pair differs by 15 or more


def test_three_nights_s_s_plus_5_s_plus_6_give_away_the_sixth():
    s = members(*range(20))
    found = leak([s, members(*range(25)), members(*range(26))], limit=9)
    assert found is not None and found.councils <= 5
    # without the second night, S and S+6 differ by 6: still too few
    assert leak([s, members(*range(26))], limit=9).councils == 6


def test_a_republished_correction_is_a_change_of_one_council():
    before = members(*range(20))
    after = members(*range(19)) | frozenset({"C019:2"})
    found = leak([before, after], limit=9)
    assert found is not None and found.councils == 1 and found.contributors == frozenset({"C019:1", "C019:2"})


def test_overlapping_groups_that_cut_each_other_in_large_pieces_give_nothing_away():
    g1, g2 = members(*range(20)), members(*range(20, 40))
    assert leak([g1, g2, members(*range(10, 30))], limit=9) is None
    assert leak([g1, g2, members(*range(12, 30))], limit=9) is None  # best combination still holds 18


def test_an_overlapping_group_that_nearly_covers_another_gives_away_the_difference():
    g1, g2 = members(*range(20)), members(*range(20, 40))
    neighbours = members(*range(2, 20), 20)  # g1 less two, plus one of g2
    found = leak([g1, g2, neighbours], limit=4)
    assert found is not None and found.councils == 3  # g1 - neighbours: two out, one in


def test_the_limit_is_what_counts_and_empty_sets_count_for_nothing():
    a, b = members(*range(20)), members(*range(15))
    assert leak([a, b], limit=4) is None  # 5 councils are not fewer than a minimum of 5
    assert leak([a, frozenset(), b], limit=5) is not None
    assert leak([], limit=9) is None and leak([a], limit=9) is None
