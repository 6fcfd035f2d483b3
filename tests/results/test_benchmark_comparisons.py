"""The official results compared with similar councils: the latest signed-in release, for the council's members only."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from functions.assessment import rounds
from functions.benchmarks import releases, rules
from functions.benchmarks.disclosure import Figure
from functions.benchmarks.figures import NEIGHBOURS, Key
from functions.benchmarks.release import Release
from functions.consensus import store as consensus
from functions.results import comparisons
from model.vocabulary import STAGES
from tests.factories import PeopleFactory, make_settings

T0 = 1_780_000_000  # May 2026
COUNCIL = "BST"  # Bristol: a unitary in the South West, so its region's group differs from its nation's
REGION = ("type-region", "unitary-south-west")
NATION = ("type-nation", "unitary-england")
NEIGHBOURS_OF = (NEIGHBOURS, COUNCIL)
ANSWERS = {
    "PLC-01": ("does", "reviews"),
    "PLC-02": ("plans", "does"),
    "LDP-01": ("reviews", "reviews"),
    "FIN-01": ("understands", "does"),
    "FIN-02": ("plans", "does"),
    "GOV-01": ("not-yet", "plans"),
    "CAP-01": ("does", "does"),
}
SHOWN_CELLS = {"not-yet": 10, "understands": 25, "plans": 40, "does": None, "reviews": None}  # two blank cells


@pytest.fixture
def app(tmp_path, smtp_server, store_url):
    """The app on SQLite and on PostgreSQL in turn."""
    from functions.app import create_app

    app = create_app(make_settings(tmp_path, database_url=store_url, smtp_url=smtp_server.url))
    yield app
    app.state.store.close()


@pytest.fixture
def client(app):
    from starlette.testclient import TestClient

    with TestClient(app, base_url="https://testserver") as c:
        yield c


@pytest.fixture
def people(app) -> PeopleFactory:
    return PeopleFactory(app)


def publish(app, council=COUNCIL, sharing="similar") -> rounds.Round:
    council_type = app.state.register.get(council).type
    with app.state.store.transaction() as tx:
        r = rounds.open_round(tx, council, "2026", None, T0)
        for sid, (current, ambition) in ANSWERS.items():
            consensus.save_draft(
                tx, r.id, sid, current=current, ambition=ambition, rationale="", based_on=0, person_id=None, at=T0
            )
        consensus.save_routes(tx, r.id, ("process-redesign",), based_on=0, person_id=None, at=T0)
        seen = consensus.fingerprint(consensus.drafts(tx, r.id), consensus.routes_draft(tx, r.id))
        consensus.publish(tx, r, app.state.editions["2026"], council_type, sharing=sharing, seen=seen, person_id=None, at=T0)
    return r


def figure(key: Key, group, status="shown", reason=None, n=12, cells=None, release=1) -> Figure:
    if status == "blank":
        return Figure(key, group, "blank", reason, None, dict.fromkeys(STAGES.ids), dict.fromkeys(STAGES.ids, reason), None,
                      reason, None)  # fmt: skip
    cells = dict(SHOWN_CELLS if cells is None else cells)
    blank = {s: "small-count" for s, v in cells.items() if v is None}
    return Figure(key, group, status, reason, n, cells, blank, None, "mean-blank" if blank else None, release)


def record(app, number: int, figures: list[Figure], viewers=()) -> None:
    """A release of signed-in figures, recorded as tie nightly records one."""
    rel = Release(number, T0 + number, viewers=sorted(viewers, key=sorted))
    with app.state.store.transaction() as tx:
        releases.record(tx, rel, {rules.SIGNED_IN.id: figures}, released_at=T0 + number * 86400, register_version="register v1",
                        version=f"1.{number}.0", package_sha256="0" * 64, demo=False, summary={})  # fmt: skip


def every_key(edition, measure="current"):
    out = []
    for theme in edition.themes:
        out.append(Key(edition.id, "theme", theme.id, measure))
        out += [Key(edition.id, "statement", s.id, measure) for s in theme.statements]
    return out


def a_release(app, number=1, viewers=(), council=COUNCIL):
    """Every theme and statement shown for the council's first fixed group, blank for its second (if it has one), and
    for its neighbours shown now and kept (from an earlier release) for the ambitions."""
    edition = app.state.editions["2026"]
    register = app.state.register
    first, *others = [g.id for g in comparisons.groups_of(register, register.get(council))]
    neighbours = others.pop()
    figs = []
    for measure in ("current", "ambition"):
        for key in every_key(edition, measure):
            figs.append(figure(key, first, release=number))
            figs += [figure(key, g, "blank", "hidden-minimum") for g in others]
            kept = measure == "ambition"
            figs.append(figure(key, neighbours, "kept" if kept else "shown", "differencing" if kept else None, n=9,
                               cells={"not-yet": 0, "understands": 20, "plans": 30, "does": 30, "reviews": 20},
                               release=max(1, number - 1) if kept else number))  # fmt: skip
    record(app, number, figs, viewers)


def section(page) -> str:
    text = page.text
    assert page.status_code == 200
    if 'id="compare"' not in text:
        return ""
    start = text.index('<section class="tie-bench')
    return text[start : text.index("</section>", start)]


def cells_of(html: str, table_id: str) -> list[list[str]]:
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]



def stored_view(tx, groups, edition) -> dict[Key, dict[tuple[str, str], Figure]]:
    """The latest signed-in figures of `groups`, read by scanning every signed-in row: a read of its own, to check the page's."""
    if not groups:
        return {}
    marks = " OR ".join("(grouping = ? AND group_id = ?)" for _ in groups)
    rows = tx.all(
        "SELECT * FROM benchmark_figures WHERE audience = 'signed-in' AND edition = ? AND (" + marks + ") ORDER BY release_id",
        [edition, *[x for g in groups for x in g]],
    )
    out: dict = defaultdict(dict)
    for r in rows:
        fig = releases._figure(r, {})
        out[fig.key][fig.group] = fig
    return out


def test_a_member_sees_each_theme_and_statement_beside_its_groups_as_the_release_stored_them(app, client, people):
    r = publish(app)
    a_release(app)
    people.sign_in(client, people.add("ada@bristol.gov.uk", council=COUNCIL))
    html = section(client.get(f"/app/councils/{COUNCIL}/rounds/{r.id}/results"))
    assert "Unitary councils, South West" in html and "The 15 nearest neighbours of" in html
    assert "Figures from benchmark release 1 of" in html and "register v1" in html and "edition 2026" in html
    with app.state.store.transaction(write=False) as tx:
        stored = stored_view(tx, [REGION, NATION, NEIGHBOURS_OF], "2026")
    for theme in app.state.editions["2026"].themes:
        for kind, sid, table_id in [("theme", theme.id, f"compare-{theme.id}-table")] + [
            ("statement", s.id, f"compare-{s.id}") for s in theme.statements
        ]:
            rows = cells_of(html, table_id)
            body = rows[2:]  # two header rows
            for i, stage in enumerate(STAGES.ids):
                assert body[i][0] == STAGES.label(stage)
                region_now = stored[Key("2026", kind, sid, "current")][REGION].cells[stage]
                assert body[i][2] == ("blank" if region_now is None else f"{region_now}%"), (sid, stage)
            assert body[-1][2] == "12"  # councils counted
    # the council's own stage is marked in its row, counted as the benchmarks count it (PLC-01: does now, reviews the aim)
    rows = cells_of(html, "compare-PLC-01")[2:]
    assert rows[3][1] == "Now" and rows[4][1] == "Ambition"
    # the chart names the same figures in words
    assert (
        "Unitary councils, South West: 12 councils counted: Not yet 10%, Understands 25%, Plans 40%, Does blank, Reviews blank." in html
    )


def test_a_blank_figure_or_cell_says_why_and_never_shows_0(app, client, people):
    r = publish(app)
    a_release(app)
    people.sign_in(client, people.add("ada@bristol.gov.uk", council=COUNCIL))
    html = section(client.get(f"/app/councils/{COUNCIL}/rounds/{r.id}/results"))
    hidden = rules.reason("hidden-minimum", rules.SIGNED_IN)
    assert f"Unitary councils, England, now and ambition: not shown ({hidden})." in html
    assert "Unitary councils, South West, now and ambition: Does and Reviews: fewer than 5 councils gave this answer." in html
    assert "The 15 nearest neighbours of City of Bristol, ambition: from release 1, an earlier release" in html  # kept
    assert cells_of(html, "compare-PLC-01")[1][-1] == "Ambition (from release 1)"  # the kept column says so too
    rows = cells_of(html, "compare-PLC-01")[2:]
    assert rows[0][4:6] == ["not shown", "not shown"]  # the nation's now and ambition: one cell each, down the table
    assert all(len(row) == len(rows[0]) - 2 for row in rows[1:-1])
    assert rows[3][2:4] == ["blank", "blank"]  # the region's "does", now and ambition
    # a shown 0 stays a 0 (it is a value), but no blank reads as one
    assert ">0%<" in html and not re.search(r'tie-bench__blank">0', html)


def test_members_of_other_councils_and_visitors_see_no_comparison(app, client, people):
    r = publish(app, sharing="public")  # public, so that outsiders may read the response itself
    a_release(app)
    address = f"/app/councils/{COUNCIL}/rounds/{r.id}/results"
    client.cookies.clear()
    assert section(client.get(address)) == ""
    people.sign_in(client, people.add("sam@bathnes.gov.uk", council="BAS"))
    page = client.get(address)
    assert section(page) == "" and "Compared with similar councils" not in page.text and "benchmark release" not in page.text


def test_a_person_in_two_councils_sees_comparisons_only_once_a_release_checked_them_together(app, client, people):
    r = publish(app)
    ada = people.add("ada@bristol.gov.uk", council=COUNCIL)
    people.join(ada, "BAS")
    a_release(app)  # checked nobody in two councils
    people.sign_in(client, ada)
    address = f"/app/councils/{COUNCIL}/rounds/{r.id}/results"
    html = section(client.get(address))
    assert "Comparisons for people in more than one council are checked" in html and "yours will appear after the next" in html
    assert "<table" not in html and "%" not in html
    a_release(app, 2, viewers=[frozenset({COUNCIL, "BAS"})])
    html = section(client.get(address))
    assert "Figures from benchmark release 2" in html and "The 15 nearest neighbours of" in html
    # one neighbour group at a time: this council's, never the other council's
    assert "nearest neighbours of Bath" not in html


def test_no_release_or_no_figures_for_the_edition_says_they_will_come(app, client, people):
    r = publish(app)
    people.sign_in(client, people.add("ada@bristol.gov.uk", council=COUNCIL))
    address = f"/app/councils/{COUNCIL}/rounds/{r.id}/results"
    sentence = "Comparisons with similar councils appear here once enough similar councils have shared their responses."
    assert sentence in section(client.get(address))
    other = Key("2025", "theme", "place-and-priorities", "current")  # figures, but for another edition
    record(app, 1, [figure(other, REGION)])
    html = section(client.get(address))
    assert sentence in html and "<table" not in html


def test_the_page_reads_the_figures_with_one_query_for_the_councils_groups(app, client, people, monkeypatch):
    r = publish(app)
    a_release(app)
    people.sign_in(client, people.add("ada@bristol.gov.uk", council=COUNCIL))
    calls = []
    real = releases.signed_in_figures
    monkeypatch.setattr(
        releases, "signed_in_figures", lambda tx, groups, edition: calls.append(groups) or real(tx, groups, edition)
    )
    section(client.get(f"/app/councils/{COUNCIL}/rounds/{r.id}/results"))
    assert calls == [[REGION, NATION, NEIGHBOURS_OF]]
    client.get(f"/app/councils/{COUNCIL}/rounds/{r.id}/downloads/official-answers.json")
    assert len(calls) == 1  # the downloads do not read the benchmarks


def test_a_rendered_section_is_reused_until_the_next_release_or_publication(app, client, people, monkeypatch):
    r = publish(app)
    a_release(app)
    people.sign_in(client, people.add("ada@bristol.gov.uk", council=COUNCIL))
    address = f"/app/councils/{COUNCIL}/rounds/{r.id}/results"
    first = section(client.get(address))
    calls = []
    real = releases.signed_in_figures
    monkeypatch.setattr(releases, "signed_in_figures", lambda tx, groups, edition: calls.append(groups) or real(tx, groups, edition))
    assert section(client.get(address)) == first and calls == []  # the same release and publication: the same section
    edition = app.state.editions["2026"]
    record(app, 2, [figure(k, REGION, cells={**SHOWN_CELLS, "does": 25}, release=2) for k in every_key(edition)])
    html = section(client.get(address))
    assert len(calls) == 1 and "Figures from benchmark release 2" in html
    assert cells_of(html, "compare-PLC-01")[2:][3][2] == "25%"


def test_the_pages_read_of_the_figures_gives_the_latest_row_of_each_figure(app):
    a_release(app)
    a_release(app, 2)  # a second release: the latest row of each figure wins
    groups = [REGION, NATION, NEIGHBOURS_OF, ("type-region", "unitary-scotland")]
    with app.state.store.transaction(write=False) as tx:
        view, fast = stored_view(tx, groups, "2026"), releases.signed_in_figures(tx, groups, "2026")
    assert {k: {g: f.published() for g, f in v.items()} for k, v in fast.items()} == {
        k: {g: f.published() for g, f in v.items()} for k, v in view.items()
    }
    assert {f.release for v in fast.values() for f in v.values() if f.status == "shown"} == {2}


def test_a_council_in_scotland_is_compared_with_its_one_fixed_group_once(app):
    register = app.state.register
    found = comparisons.groups_of(register, register.get("ABE"))
    assert [g.id for g in found] == [("type-region", "unitary-scotland"), (NEIGHBOURS, "ABE")]


def test_the_nightly_release_is_what_a_member_sees(tmp_path, smtp_server):
    """End to end on demo data: tie nightly's own release, read back on the page, equals the stored figures."""
    from functions.app import create_app
    from functions.benchmarks import nightly
    from functions.demo import data

    app = create_app(make_settings(tmp_path, smtp_url=smtp_server.url))
    try:
        edition = app.state.editions["2026"]
        data.fill(app.state.store, app.state.register, edition, T0)
        nightly.run(app.state.store, app.state.register, app.state.editions, tmp_path / "bench", now=T0 + 86400, allow_demo=True)
        with app.state.store.transaction(write=False) as tx:
            row = tx.one("SELECT group_id, subject FROM benchmark_figures WHERE audience = 'signed-in' AND status = 'shown' "
                         "AND grouping = 'type-region' AND kind = 'theme' AND measure = 'current' ORDER BY group_id, subject LIMIT 1")  # fmt: skip
            fixed = comparisons.fixed_groups(app.state.register)
            code = next(c for c, g in sorted(fixed.items()) if g["type-region"].id == row["group_id"])
            round_id = tx.value(
                "SELECT round_id FROM consensus_responses WHERE council = ? ORDER BY year DESC, version DESC", (code,)
            )
        people = PeopleFactory(app)
        from starlette.testclient import TestClient

        with TestClient(app, base_url="https://testserver") as client:
            people.sign_in(client, people.add("ada@example.gov.uk", council=code))
            html = section(client.get(f"/app/councils/{code}/rounds/{round_id}/results"))
        assert "Figures from benchmark release 1" in html
        with app.state.store.transaction(write=False) as tx:
            stored = stored_view(tx, [("type-region", row["group_id"])], "2026")
        fig = stored[Key("2026", "theme", row["subject"], "current")][("type-region", row["group_id"])]
        body = cells_of(html, f"compare-{row['subject']}-table")[2:]
        assert [body[i][2] for i in range(len(STAGES.ids))] == [
            "blank" if fig.cells[s] is None else f"{fig.cells[s]}%" for s in STAGES.ids
        ]  # the region's group is the first column after the council's own
    finally:
        app.state.store.close()
