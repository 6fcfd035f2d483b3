"""The official results page with and without its comparisons with similar councils: the time a member waits.

A SQLite store is filled with the demo data (every council, the real questionnaire's 40 statements) and one
benchmark release is made by the real nightly run; the site is the example tree built by the real `tie build`,
so the page has next steps from a library; then a member of a council whose groups have figures asks
for its results page 50 times through Starlette's test client, with the comparisons and with them switched off
(the page as it was before them), and as the first view after a release (the section not rendered yet), in
the same run; the medians and their ratios are printed.

    .venv/bin/python -m benchmarks.results_comparisons
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from functions.results import comparisons
from functions.settings import ROOT
from tests.factories import PeopleFactory, make_settings

REQUESTS = 50
COUNCIL = "STO"  # Stroud: a district in the South West, whose three groups all have figures in the demo release
NOW = 1_780_000_000


def timings(app, client, address: str, fresh: bool = False) -> list[float]:
    """Each request's time; with `fresh`, as the first view after a release (no section rendered yet)."""
    for _ in range(3):  # warm
        assert client.get(address).status_code == 200
    out = []
    for _ in range(REQUESTS):
        if fresh:
            app.state.comparison_sections = comparisons.Rendered()
        started = time.perf_counter()
        client.get(address)
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    from starlette.testclient import TestClient

    from functions.app import create_app
    from functions.benchmarks import nightly
    from functions.demo import data

    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(
            Path(tmp), questionnaire_dir=ROOT / "questionnaire", content_dir=ROOT / "content", mail_outbox=True
        )
        app = create_app(settings)
        try:
            data.fill(app.state.store, app.state.register, app.state.editions["2026"], NOW)
            nightly.run(
                app.state.store, app.state.register, app.state.editions, Path(tmp) / "bench", now=NOW + 86400, allow_demo=True
            )
            with app.state.store.transaction(write=False) as tx:
                round_id = tx.value(
                    "SELECT round_id FROM consensus_responses WHERE council = ? ORDER BY year DESC, version DESC", (COUNCIL,)
                )
            people = PeopleFactory(app)
            member = people.add("member@example.gov.uk", council=COUNCIL)
            address = f"/app/councils/{COUNCIL}/rounds/{round_id}/results"
            real = comparisons.read
            with TestClient(app, base_url="https://testserver") as client:
                people.sign_in(client, member)
                assert "tie-bench__table" in client.get(address).text
                comparisons.read = lambda *args, **kwargs: None
                without = timings(app, client, address)
                comparisons.read = real
                with_them = timings(app, client, address)
                first_views = timings(app, client, address, fresh=True)
        finally:
            comparisons.read = real
            app.state.store.close()
    a, b = statistics.median(without), statistics.median(with_them)
    print(f"results page, {REQUESTS} requests each (median, 90th percentile):")
    print(
        f"  without comparisons                                {a * 1000:6.1f} ms  {sorted(without)[int(REQUESTS * 0.9)] * 1000:6.1f} ms"
    )
    print(
        f"  with comparisons, viewed again                     {b * 1000:6.1f} ms  {sorted(with_them)[int(REQUESTS * 0.9)] * 1000:6.1f} ms"
    )
    c = statistics.median(first_views)
    print(
        f"  first view after a release (nothing rendered yet)  {c * 1000:6.1f} ms  {sorted(first_views)[int(REQUESTS * 0.9)] * 1000:6.1f} ms"
    )
    print(f"  ratios to without: {b / a:.2f} (again), {c / a:.2f} (first view)")


if __name__ == "__main__":
    main()
