"""The public benchmarks in the built site: the benchmarks page, the group pages and the theme pages' tables, from the
package `tie nightly --demo` wrote, and the pages without a package."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.commands.build import benchmarks_folder
from generator.pages import benchmarks
from model import similar
from model.opendata import read_benchmarks
from model.published import Published
from model.vocabulary import STAGES
from tests.factories import axe_violations, free_port, make_settings, run_live

FRICTIONLESS = Path(sys.executable).parent / "frictionless"
CELL = re.compile(r'<td class="(tie-num|tie-blank)">(.*?)</td>')


def html(site: Path, address: str) -> str:
    return (site / address.strip("/") / "index.html").read_text(encoding="utf-8")


def rows(package: Path, name: str) -> list[dict]:
    with (package / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def table_row(page: str, table_id: str, label: str) -> list[tuple[str, str]]:
    """The cells of the row whose header holds `label` in the table `table_id`: (class, content) each."""
    table = page.split(f'id="{table_id}"><caption', 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("<tr>") if label in r.split("</th>", 1)[0])
    return CELL.findall(row)


def shown_with_a_blank(package: Path) -> dict:
    """A shown theme figure of the type-nation grouping with a blank cell beside figures."""
    return next(
        r for r in rows(package, "stages.csv")
        if r["status"] == "shown" and r["kind"] == "theme" and r["grouping"] == "type-nation" and r["measure"] == "current"
        and any(r[s] == "" for s in STAGES.ids) and any(r[s] != "" for s in STAGES.ids)
    )  # fmt: skip


def test_a_shown_figure_on_a_group_page_has_the_csv_rows_percentages(benchmark_site, benchmark_package):
    row = shown_with_a_blank(benchmark_package)
    page = html(benchmark_site, f"/benchmarks/{row['grouping']}/{row['group']}/")
    cells = table_row(page, f"{row['subject']}-current", "The theme")
    columns = [*STAGES.ids, "n", "mean"]
    for (kind, content), column in zip(cells, columns, strict=True):
        if row[column] == "":
            assert kind == "tie-blank" and row[f"{column}-note"] in content and ">0<" not in content
        else:
            assert kind == "tie-num" and content == row[column], column


def test_a_blank_cell_shows_its_reason_and_never_0(benchmark_site, benchmark_package):
    row = shown_with_a_blank(benchmark_package)
    blank = next(s for s in STAGES.ids if row[s] == "")
    page = html(benchmark_site, f"/benchmarks/{row['grouping']}/{row['group']}/")
    cells = [c for c in re.findall(r'<td class="tie-blank">(.*?)</td>', page)]
    assert cells and all('aria-hidden="true">–<' in c and 'class="visually-hidden"' in c for c in cells)
    reason = row[f"{blank}-note"]
    assert reason in page.split('class="tie-notes"', 1)[1]  # the note under the table, for everyone to read
    assert re.search(r'<li id="[a-z-]+-current-note-\d+">' + re.escape(reason) + "</li>", page)


def test_a_figure_blank_for_too_small_a_group_is_blank_in_every_cell(benchmark_site, benchmark_package):
    row = next(r for r in rows(benchmark_package, "stages.csv") if r["status"] == "blank" and r["kind"] == "theme" and r["grouping"] == "type-nation")
    page = html(benchmark_site, f"/self-assessment/{row['subject']}/")
    name = next(g["name"] for g in rows(benchmark_package, "group-names.csv") if g["group"] == row["group"] and g["grouping"] == "type-nation")
    cells = table_row(page, f"bench-{row['measure']}", name)
    assert len(cells) == len(STAGES.ids) + 2 and all(kind == "tie-blank" for kind, _ in cells)
    assert all(row["n-note"] in content or "blank" in content for _, content in cells)


def test_the_pages_name_edition_register_version_and_release(benchmark_site, benchmark_package):
    meta = read_benchmarks(benchmark_package).meta
    main = html(benchmark_site, "/benchmarks/")
    assert "<dt>Edition</dt><dd>2026</dd>" in main and f"<dt>Release</dt><dd>{meta['release']}</dd>" in main
    assert f"<dt>Package version</dt><dd>{meta['version']}</dd>" in main
    assert meta["register_version"] in main and "mySociety" in main and "creativecommons.org/licenses/by/4.0" in main
    assert 'href="../similar-councils/"' in main
    group = html(benchmark_site, "/benchmarks/type-nation/district-england/")
    theme = html(benchmark_site, "/self-assessment/place-and-priorities/")
    for page in (group, theme):
        assert meta["register_version"] in page
        for caption in re.findall(r"<caption.*?</caption>", page):
            assert "edition 2026" in caption and f"release {meta['release']}" in caption and "register sha256 " in caption
    assert "Groups: council type by nation" in theme and 'href="../../benchmarks/type-nation/district-england/"' in theme


def test_the_benchmarks_page_links_every_group_page_and_shows_the_change_log(benchmark_site, benchmark_package):
    main = html(benchmark_site, "/benchmarks/")
    names = rows(benchmark_package, "group-names.csv")
    assert {g["grouping"] for g in names} == set(similar.GROUPINGS)
    for g in names:
        assert f'href="{g["grouping"]}/{g["group"]}/"' in main
        assert (benchmark_site / "benchmarks" / g["grouping"] / g["group"] / "index.html").is_file()
    log = main.split('id="changes-caption"', 1)[1].split("</table>", 1)[0]
    for release in rows(benchmark_package, "releases.csv"):
        assert release["changes"] in log


def test_the_csv_downloads_are_in_the_site_and_the_copied_package_is_valid(benchmark_site):
    main = html(benchmark_site, "/benchmarks/")
    for name in benchmarks.FILES:
        assert f'href="./{name}"' in main and (benchmark_site / "benchmarks" / name).is_file()
    result = subprocess.run([str(FRICTIONLESS), "validate", str(benchmark_site / "benchmarks" / "datapackage.json")],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_synthetic_package_says_it_is_demo_data(benchmark_site):
    for address in ("/benchmarks/", "/benchmarks/type-region/county-england/", "/self-assessment/governance/"):
        assert "data-tie-demo" in html(benchmark_site, address)


def test_without_a_package_the_pages_say_none_are_published_yet(built_site):
    main = html(built_site, "/benchmarks/")
    assert benchmarks.NONE_YET in main and "data-tie-demo" not in main
    assert benchmarks.NONE_YET in html(built_site, "/self-assessment/governance/")
    assert not (built_site / "benchmarks" / "stages.csv").exists()
    assert 'href="../benchmarks/"' in html(built_site, "/councils/")  # in the navigation, beside the councils


def test_a_real_package_has_no_demo_notice(benchmark_package, tmp_path):
    import json
    import shutil

    copy = tmp_path / "package"
    shutil.copytree(benchmark_package, copy)
    descriptor = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["exchange"]["synthetic"] = False
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    pages = dict(benchmarks.pages(benchmarks.load(copy), {}))
    assert not any("data-tie-demo" in markdown for markdown in pages.values())


def test_a_demo_database_reads_the_demo_package_folder(tmp_path):
    settings = make_settings(tmp_path, benchmarks_dir=tmp_path / "real")
    assert benchmarks_folder(settings, Published({}, demo=True)) == settings.demo_benchmarks_dir
    assert benchmarks_folder(settings, Published({})) == tmp_path / "real"
    assert benchmarks.load(tmp_path / "nothing-here") is None


def test_an_unreadable_package_stops_the_build_naming_it(tmp_path):
    (tmp_path / "datapackage.json").write_text("{}", encoding="utf-8")
    with pytest.raises(benchmarks.PackageError, match="could not be read"):
        benchmarks.load(tmp_path)


@pytest.fixture(scope="module")
def bench_server(benchmark_site, tmp_path_factory):
    from functions.app import create_app

    port = free_port()
    settings = make_settings(tmp_path_factory.mktemp("bench-app"), site_url=f"http://127.0.0.1:{port}", port=port, site_dir=benchmark_site)
    app = create_app(settings)
    server, thread = run_live(app, port)
    yield settings.site_url
    server.should_exit = True
    thread.join(timeout=5)
    app.state.store.close()


def test_the_benchmark_pages_have_no_axe_violations(bench_server, page):
    for address in ("/benchmarks/", "/benchmarks/type-nation/district-england/", "/self-assessment/place-and-priorities/"):
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(bench_server + address)
            assert axe_violations(page) == [], (address, width)


def test_a_wide_table_scrolls_in_a_region_reached_by_keyboard(bench_server, page):
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(bench_server + "/benchmarks/type-nation/district-england/")
    region = page.locator(".tie-table-wrap:has(> table.tie-figures)").first
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle(), timeout=5000)  # scrolling may be smooth
