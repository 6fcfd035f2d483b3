"""The council register: read with its deprivation score, tier and version; refused with every problem listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.library import load as load_library
from model import register
from tests.factories import COUNCILS, EXAMPLES, copy_register

SOURCE = Path(COUNCILS).parent


def test_the_register_gives_every_current_principal_council_its_tier_and_deprivation_score():
    reg = register.load(COUNCILS)
    assert len(reg.councils) > 370
    aberdeen = reg.get("ABE")
    assert aberdeen.tier == "single" and aberdeen.deprivation_score == pytest.approx(14.93, abs=0.01)
    assert {c.tier for c in reg.councils.values()} == {"upper", "lower", "single", "ni-district"}
    assert all(c.deprivation_score is not None and c.density and c.population for c in reg.councils.values())
    assert "COMB" not in {c.type for c in reg.councils.values()}


def test_the_register_version_names_its_titles_and_a_digest_of_its_data_files():
    import hashlib

    version = register.load(COUNCILS).version
    digest = hashlib.sha256((SOURCE / "councils.csv").read_bytes() + (SOURCE / "deprivation.csv").read_bytes()).hexdigest()
    assert version.sha256 == digest
    assert version.title == "UK local authorities: register and context measures"
    assert any("Composite UK IMD" in s for s in version.sources)
    assert version.label.endswith(f"sha256 {digest[:12]}")


def test_a_changed_data_file_changes_the_version(tmp_path):
    def rename(row):
        if row["local-authority-code"] == "ABE":
            row["nice-name"] = "Aberdeen"
        return row

    changed = register.load(copy_register(tmp_path, edit_councils=rename))
    assert changed.version.sha256 != register.load(COUNCILS).version.sha256


def test_a_register_without_a_column_it_needs_is_refused_naming_it(tmp_path):
    with pytest.raises(register.RegisterError) as err:
        register.load(copy_register(tmp_path, drop_column="powers"))
    assert [(Path(p.path).name, p.field) for p in err.value.problems] == [("councils.csv", "powers")]
    assert "powers" in str(err.value)


def test_a_register_with_malformed_values_is_refused_with_every_problem(tmp_path):
    def councils(row):
        if row["local-authority-code"] == "ABE":
            row["pop-2020"] = "lots"  # not a number: the package's own schema refuses it
        if row["local-authority-code"] == "ABD":
            row["area"] = ""  # a current council without an area
        if row["local-authority-code"] == "BIR":
            row["powers"] = "metropolitan"  # not one of the schema's values
        return row

    def deprivation(row):
        if row["local-authority-code"] == "BFS":
            row["la-deprivation-score"] = ""
        return row

    with pytest.raises(register.RegisterError) as err:
        register.load(copy_register(tmp_path, edit_councils=councils, edit_deprivation=deprivation))
    found = {(Path(p.path).name, p.field) for p in err.value.problems}
    assert {("councils.csv", "pop-2020"), ("councils.csv", "powers")} <= found  # the schema's findings, together
    # every problem names its row: pop-2020 for ABE is on ABE's line of councils.csv
    lines = [i for i, line in enumerate((SOURCE / "councils.csv").read_text(encoding="utf-8").splitlines(), 1) if line.startswith("ABE,")]
    assert any(p.field == "pop-2020" and p.line == lines[0] for p in err.value.problems)


def test_values_the_schema_allows_but_a_council_cannot_use_are_all_listed(tmp_path):
    def councils(row):
        if row["local-authority-code"] == "ABD":
            row["area"] = ""
        if row["local-authority-code"] == "ABE":
            row["pop-2020"] = "0"
        return row

    def deprivation(row):
        if row["local-authority-code"] == "BFS":
            row["la-deprivation-score"] = ""
        return row

    with pytest.raises(register.RegisterError) as err:
        register.load(copy_register(tmp_path, edit_councils=councils, edit_deprivation=deprivation))
    messages = [str(p) for p in err.value.problems]
    assert len(messages) == 3, messages
    assert any("area: expected an area in km² above 0, got nothing for ABD" in m for m in messages)
    assert any("pop-2020: expected a population above 0" in m and "for ABE" in m for m in messages)
    assert any("deprivation.csv" in m and "la-deprivation-score" in m and "for BFS" in m for m in messages)


def test_tie_check_lists_every_problem_of_a_bad_register(tmp_path):
    def councils(row):
        if row["local-authority-code"] in ("ABD", "ABE"):
            row["area"] = ""
        return row

    lib = load_library(EXAMPLES / "content", EXAMPLES / "questionnaire", copy_register(tmp_path, edit_councils=councils))
    register_problems = [p for p in lib.problems if p.field == "area"]
    assert len(register_problems) == 2
    assert all(Path(p.path).name == "councils.csv" for p in register_problems)


def test_a_register_that_cannot_be_read_is_one_problem(tmp_path):
    with pytest.raises(register.RegisterError) as err:
        register.load(str(tmp_path / "nowhere" / "datapackage.json"))
    assert "not found" in str(err.value) and "TIE_COUNCILS" in str(err.value)
    garbled = tmp_path / "datapackage.json"
    garbled.write_text("{ not json", encoding="utf-8")
    with pytest.raises(register.RegisterError) as err:
        register.load(str(garbled))
    assert "could not be read" in str(err.value)
