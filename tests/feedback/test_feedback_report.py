"""The editors' view of feedback, on a fixed store: `tie feedback` and /app/operator/feedback say the same."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from functions.feedback import report
from functions.feedback.store import Feedback, record
from functions.store import Store
from generator.__main__ import main


def at(day: str, hour: int = 12) -> int:
    d = dt.date.fromisoformat(day)
    return int(dt.datetime(d.year, d.month, d.day, hour, tzinfo=dt.UTC).timestamp())


FIXED = [
    (at("2026-10-31", 23), Feedback("useful", page="/guidance/budget-consultation/", verdict="yes")),  # before the period
    (at("2026-11-02"), Feedback("useful", page="/guidance/budget-consultation/", verdict="yes")),
    (at("2026-11-03"), Feedback("useful", page="/guidance/budget-consultation/", verdict="no")),
    (at("2026-11-03"), Feedback("useful", page="/guidance/budget-consultation/", verdict="yes")),
    (at("2026-11-04"), Feedback("suggestion", page="/guidance/budget-consultation/", message="Add a timetable.", reply_to="a@example.gov.uk")),
    (at("2026-11-05"), Feedback("useful", page="/", verdict="no")),
    (at("2026-11-06"), Feedback("suggestion", page="/", message="=HYPERLINK(\"http://x\")")),
    (at("2026-11-07"), Feedback("step", page="/tools/reserves-checklist/", statement="FIN-02", edition="2026", verdict="helped")),
    (at("2026-11-08"), Feedback("step", page="/tools/reserves-checklist/", statement="FIN-02", edition="2026", verdict="not-helped")),
    (at("2026-11-09"), Feedback("unclear", statement="FIN-01", edition="2026", message="What is 'realistic'?")),
    (at("2026-11-10"), Feedback("unclear", statement="FIN-01", edition="2026")),
    (at("2026-11-11"), Feedback("unclear", statement="GOV-01", edition="2026")),
    (at("2026-11-30", 23), Feedback("useful", page="/", verdict="yes")),  # the last hour of the period
    (at("2026-12-01", 0), Feedback("useful", page="/", verdict="yes")),  # after it
]

SUMMARY = """\
Feedback from 2026-11-01 to 2026-11-30 (12 in all)

page                                               useful  not sugg helped  not
/guidance/budget-consultation/                          2    1    1      0    0
/                                                       1    1    1      0    0
/tools/reserves-checklist/                              0    0    0      1    1

Statements called unclear:
  FIN-01 (2026): 2
    - What is 'realistic'?
  GOV-01 (2026): 1

New suggestions (2):
  2026-11-04 /guidance/budget-consultation/ (reply to a@example.gov.uk)
    Add a timetable.
  2026-11-06 /
    =HYPERLINK("http://x")
"""


def fill(store: Store) -> None:
    with store.transaction() as tx:
        for when, item in FIXED:
            record(tx, item, when)


def test_the_summary_counts_each_page_and_statement_within_the_period(fresh_store):
    fill(fresh_store)
    period = report.period("2026-11-01", "2026-11-30", at("2026-12-05"))
    with fresh_store.transaction(write=False) as tx:
        summary = report.summarise(tx, period)
    assert report.text(summary) == SUMMARY


def test_the_export_has_every_piece_of_feedback_and_no_formulas(fresh_store):
    fill(fresh_store)
    period = report.period("2026-11-01", "2026-11-30", at("2026-12-05"))
    with fresh_store.transaction(write=False) as tx:
        rows = list(csv.DictReader(io.StringIO(report.csv_text(tx, period))))
    assert len(rows) == 12
    assert tuple(rows[0]) == report.CSV_COLUMNS
    assert rows[0] == {
        "received": "2026-11-02 12:00:00", "kind": "useful", "page": "/guidance/budget-consultation/", "statement": "",
        "edition": "", "verdict": "yes", "message": "", "reply_to": "",
    }  # fmt: skip
    assert [r["message"] for r in rows if r["kind"] == "suggestion"] == ["Add a timetable.", "'=HYPERLINK(\"http://x\")"]


def test_a_period_defaults_to_the_last_thirty_days_and_refuses_bad_dates():
    p = report.period(None, None, at("2026-11-30"))
    assert (p.since, p.until) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    with pytest.raises(report.PeriodError, match=r"since: expected a date as YYYY-MM-DD, got '1st Nov'"):
        report.period("1st Nov", None, at("2026-11-30"))
    with pytest.raises(report.PeriodError, match=r"since: expected a date on or before until \(2026-11-01\), got '2026-11-02'"):
        report.period("2026-11-02", "2026-11-01", at("2026-11-30"))


@pytest.mark.parametrize(
    "since, until, named",
    [
        (None, "9999-12-31", "until"),  # the end of a period is the midnight after it: past the calendar's last day
        (None, "0001-01-01", "until"),  # the default start, 30 days before: before the calendar's first
        ("0001-01-01", "2026-11-30", "since"),
        ("1969-12-31", None, "since"),
    ],
)
def test_a_date_at_the_ends_of_the_calendar_is_a_period_error_naming_it(since, until, named):
    """These raised OverflowError (a 500 on the operators' page, a traceback from tie feedback)."""
    with pytest.raises(report.PeriodError, match=rf"^{named}: expected a date from 1970-01-01 to 9999-12-30, got '"):
        report.period(since, until, at("2026-11-30"))


def test_the_widest_period_reads_every_piece_of_feedback_on_either_database(fresh_store):
    fill(fresh_store)
    widest = report.period(report.FIRST_DAY.isoformat(), report.LAST_DAY.isoformat(), at("2026-11-30"))
    with fresh_store.transaction(write=False) as tx:
        assert report.summarise(tx, widest).total == len(FIXED)
        assert len(report.csv_text(tx, widest).splitlines()) == len(FIXED) + 1


# -- tie feedback ------------------------------------------------------------------------------


@pytest.fixture
def cli_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'feedback.sqlite3'}"
    store = Store(url)
    store.migrate()
    fill(store)
    store.close()
    monkeypatch.setenv("TIE_DATABASE_URL", url)
    monkeypatch.setenv("TIE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_tie_feedback_prints_the_summary_for_a_period(cli_store, capsys):
    assert main(["feedback", "--since", "2026-11-01", "--until", "2026-11-30"]) == 0
    assert capsys.readouterr().out == SUMMARY


def test_tie_feedback_exports_csv(cli_store, capsys):
    target = cli_store / "export.csv"
    assert main(["feedback", "--since", "2026-11-01", "--until", "2026-11-30", "--csv", str(target)]) == 0
    assert capsys.readouterr().out == SUMMARY + f"Wrote 12 row(s) to {target}.\n"
    assert len(list(csv.DictReader(target.open()))) == 12
    assert main(["feedback", "--since", "2026-11-09", "--until", "2026-11-09", "--csv", "-"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ",".join(report.CSV_COLUMNS) and len(out.splitlines()) == 2


def test_tie_feedback_says_what_is_wrong_with_a_date(cli_store, capsys):
    assert main(["feedback", "--until", "30/11/2026"]) == 2
    assert capsys.readouterr().err == "tie feedback: until: expected a date as YYYY-MM-DD, got '30/11/2026'\n"
    assert main(["feedback", "--until", "9999-12-31"]) == 2
    assert capsys.readouterr().err == "tie feedback: until: expected a date from 1970-01-01 to 9999-12-30, got '9999-12-31'\n"


# -- /app/operator/feedback --------------------------------------------------------------------


@pytest.fixture
def filled(app):
    fill(app.state.store)
    return app


def test_operators_see_the_same_summary_on_the_app(client, filled, people):
    people.sign_in(client, people.add("ops@example.gov.uk", operator=True), second_factor=True)
    page = client.get("/app/operator/feedback", params={"since": "2026-11-01", "until": "2026-11-30"})
    assert page.status_code == 200
    html = page.text
    assert "12 in all" in html
    assert '<th scope="row"><a href="/guidance/budget-consultation/">/guidance/budget-consultation/</a></th><td>2</td><td>1</td><td>1</td><td>0</td><td>0</td>' in html
    assert "<strong>FIN-01</strong> (2026 edition): 2 times" in html
    assert "Add a timetable." in html and 'href="mailto:a@example.gov.uk"' in html
    assert "<strong>4 November 2026 at 12:00 GMT</strong>, about" in html  # UK time, the zone named
    assert "=HYPERLINK(&#34;http://x&#34;)" in html  # escaped as text


def test_operators_download_the_csv(client, filled, people):
    people.sign_in(client, people.add("ops@example.gov.uk", operator=True), second_factor=True)
    response = client.get("/app/operator/feedback.csv", params={"since": "2026-11-01", "until": "2026-11-30"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="feedback-2026-11-01-to-2026-11-30.csv"' in response.headers["content-disposition"]
    assert len(list(csv.DictReader(io.StringIO(response.text)))) == 12


def test_a_bad_period_on_the_app_is_a_clear_message(client, filled, people):
    people.sign_in(client, people.add("ops@example.gov.uk", operator=True), second_factor=True)
    response = client.get("/app/operator/feedback", params={"since": "yesterday"})
    assert response.status_code == 422
    assert "since: expected a date as YYYY-MM-DD, got &#39;yesterday&#39;" in response.text
    for path in ("/app/operator/feedback", "/app/operator/feedback.csv"):
        for params in ({"until": "9999-12-31"}, {"until": "0001-01-01"}, {"since": "0001-01-01"}):
            response = client.get(path, params=params)
            assert response.status_code == 422, (path, params)
            assert "expected a date from 1970-01-01 to 9999-12-30" in response.text


@pytest.mark.parametrize("path", ["/app/operator/feedback", "/app/operator/feedback.csv"])
def test_only_operators_see_feedback(client, filled, people, path):
    assert client.get(path, follow_redirects=False).status_code == 303  # to sign in first
    people.sign_in(client, people.add("officer@example.gov.uk", council="ABE"))
    response = client.get(path)
    assert response.status_code == 403
    assert "Add a timetable." not in response.text


@pytest.mark.parametrize("path", ["/app/operator/feedback", "/app/operator/feedback.csv"])
def test_operators_need_a_verified_second_factor_to_read_feedback(client, filled, people, path):
    ops = people.add("ops@example.gov.uk", operator=True)
    people.sign_in(client, ops)
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/app/security/two-factor?next=" + path.replace("/", "%2F")
    people.sign_in(client, ops, second_factor=True)
    assert client.get(path, follow_redirects=False).status_code == 200
