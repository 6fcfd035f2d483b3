"""The self-assessment questionnaire: one YAML file per edition, loaded and checked as strictly as content."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import vocabulary as v
from .frontmatter import load_file
from .problems import Problem, one_of, show

STATEMENT_ID = re.compile(r"^[A-Z]{3}-[0-9]{2}$")
EDITION_ID = re.compile(r"^[0-9]{4}(-[0-9]+)?$")
TOP_KEYS = {"edition", "title", "published", "introduction", "themes", "ambition"}
THEME_KEYS = {"theme", "introduction", "statements"}
STATEMENT_KEYS = {"id", "text", "help", "best_value", "applies_to", "supersedes"}
AMBITION_KEYS = {"question", "help"}


@dataclass(frozen=True)
class Statement:
    """A statement describing an effective council, answered with a current stage and an ambition."""

    id: str
    theme: str
    text: str
    help: str
    best_value: tuple[str, ...]
    applies_to: tuple[str, ...]
    supersedes: str | None = None

    def applies(self, council_type: str | None) -> bool:
        return council_type is None or council_type in self.applies_to


@dataclass(frozen=True)
class Theme:
    """One focus theme of an edition: a step of the form."""

    id: str
    label: str
    introduction: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Edition:
    """One edition of the questionnaire."""

    id: str
    title: str
    published: dt.date
    introduction: str
    themes: tuple[Theme, ...]
    ambition_question: str
    ambition_help: str

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for t in self.themes for s in t.statements)

    def statement(self, statement_id: str) -> Statement | None:
        return next((s for s in self.statements if s.id == statement_id), None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


def _text(path, lines, key, value, problems, required=True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(path, lines.get(key, 1), key, "text", show(value)))
        return ""
    return value.strip()


def _unknown(path, lines, prefix, data: dict, allowed: set, problems):
    for key in data:
        if key not in allowed:
            name = prefix + key
            problems.append(Problem(path, lines.get(name, 1), name, one_of(sorted(allowed)), "an unknown field"))


def _ids(path, lines, key, value, vocab: v.Vocabulary, problems) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        problems.append(Problem(path, lines.get(key, 1), key, f"a list of {vocab.name} ids", show(value)))
        return ()
    good = []
    for i, item in enumerate(value):
        if item not in vocab:
            problems.append(Problem(path, lines.get(f"{key}[{i}]", lines.get(key, 1)), key, one_of(vocab.ids), show(item)))
        else:
            good.append(item)
    return tuple(good)


def parse(path: str, raw: bytes) -> tuple[Edition | None, list[Problem]]:
    """Parse one edition file, reporting every problem."""
    data, lines, problems = load_file(path, raw, what="questionnaire")
    if data is None:
        return None, problems
    _unknown(path, lines, "", data, TOP_KEYS, problems)
    for key in sorted(TOP_KEYS - set(data)):
        problems.append(Problem(path, 1, key, "a value", "nothing (it is required)"))
    edition_id = data.get("edition")
    if not isinstance(edition_id, str) or not EDITION_ID.match(edition_id):
        problems.append(Problem(path, lines.get("edition", 1), "edition", "an edition id in quotes, like \"2026\"", show(edition_id)))
    elif Path(path).stem != edition_id:
        problems.append(Problem(path, lines.get("edition", 1), "edition", f"the file's name ({Path(path).stem})", show(edition_id)))
    published = data.get("published")
    if not isinstance(published, dt.date):
        problems.append(Problem(path, lines.get("published", 1), "published", "a date as YYYY-MM-DD", show(published)))
    themes = []
    seen_statements: dict[str, int] = {}
    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list):
        problems.append(Problem(path, lines.get("themes", 1), "themes", "a list of the five themes", show(raw_themes)))
        raw_themes = []
    for t_index, raw_theme in enumerate(raw_themes):
        tkey = f"themes[{t_index}]"
        if not isinstance(raw_theme, dict):
            problems.append(Problem(path, lines.get(tkey, 1), tkey, "a theme with its statements", show(raw_theme)))
            continue
        _unknown(path, lines, tkey + ".", raw_theme, THEME_KEYS, problems)
        theme_id = raw_theme.get("theme")
        if theme_id not in v.THEMES:
            problems.append(Problem(path, lines.get(tkey + ".theme", lines.get(tkey, 1)), tkey + ".theme", one_of(v.THEMES.ids), show(theme_id)))
            continue
        statements = []
        raw_statements = raw_theme.get("statements")
        if not isinstance(raw_statements, list) or not raw_statements:
            problems.append(Problem(path, lines.get(tkey + ".statements", lines.get(tkey, 1)), tkey + ".statements", "a list of statements", show(raw_statements)))
            raw_statements = []
        for s_index, raw_statement in enumerate(raw_statements):
            skey = f"{tkey}.statements[{s_index}]"
            statement = _statement(path, lines, skey, theme_id, raw_statement, problems)
            if statement is None:
                continue
            if statement.id in seen_statements:
                problems.append(Problem(path, lines.get(skey + ".id", 1), skey + ".id", "an id not used before in this edition", f"{statement.id} again (first on line {seen_statements[statement.id]})"))
                continue
            seen_statements[statement.id] = lines.get(skey + ".id", 1)
            statements.append(statement)
        themes.append(Theme(theme_id, v.THEMES.label(theme_id), _text(path, lines, tkey + ".introduction", raw_theme.get("introduction"), problems), tuple(statements)))
    theme_ids = [t.id for t in themes]
    for theme_id in v.THEMES.ids:
        if theme_ids.count(theme_id) != 1:
            problems.append(Problem(path, lines.get("themes", 1), "themes", f"{theme_id} exactly once", f"{theme_ids.count(theme_id)} time(s)"))
    ambition = data.get("ambition") if isinstance(data.get("ambition"), dict) else {}
    _unknown(path, lines, "ambition.", ambition, AMBITION_KEYS, problems)
    edition = Edition(
        id=edition_id if isinstance(edition_id, str) else "",
        title=_text(path, lines, "title", data.get("title"), problems),
        published=published if isinstance(published, dt.date) else dt.date.min,
        introduction=_text(path, lines, "introduction", data.get("introduction"), problems),
        themes=tuple(sorted(themes, key=lambda t: v.THEMES.ids.index(t.id))),
        ambition_question=_text(path, lines, "ambition.question", ambition.get("question"), problems),
        ambition_help=_text(path, lines, "ambition.help", ambition.get("help"), problems),
    )
    return (None if problems else edition), problems


def _statement(path, lines, key, theme_id, raw, problems) -> Statement | None:
    if not isinstance(raw, dict):
        problems.append(Problem(path, lines.get(key, 1), key, "a statement (id, text, help, best_value)", show(raw)))
        return None
    _unknown(path, lines, key + ".", raw, STATEMENT_KEYS, problems)
    sid = raw.get("id")
    if not isinstance(sid, str) or not STATEMENT_ID.match(sid):
        problems.append(Problem(path, lines.get(key + ".id", lines.get(key, 1)), key + ".id", "an id like FIN-03", show(sid)))
        return None
    applies = raw.get("applies_to")
    supersedes = raw.get("supersedes")
    if supersedes is not None and (not isinstance(supersedes, str) or not STATEMENT_ID.match(supersedes)):
        problems.append(Problem(path, lines.get(key + ".supersedes", 1), key + ".supersedes", "an earlier statement's id", show(supersedes)))
        supersedes = None
    return Statement(
        id=sid,
        theme=theme_id,
        text=_text(path, lines, key + ".text", raw.get("text"), problems),
        help=_text(path, lines, key + ".help", raw.get("help"), problems),
        best_value=_ids(path, lines, key + ".best_value", raw.get("best_value"), v.BEST_VALUE, problems),
        applies_to=v.COUNCIL_TYPES.ids if applies is None else _ids(path, lines, key + ".applies_to", applies, v.COUNCIL_TYPES, problems),
        supersedes=supersedes,
    )


def check_history(editions: list[tuple[str, Edition]]) -> list[Problem]:
    """Statement ids are never reused: across editions an id keeps its wording, and `supersedes` names an earlier id."""
    problems: list[Problem] = []
    earlier: dict[str, tuple[str, Statement]] = {}
    for path, edition in sorted(editions, key=lambda pe: (pe[1].published, pe[1].id)):
        ids = {s.id for s in edition.statements}
        for s in edition.statements:
            before = earlier.get(s.id)
            if before and before[1].text != s.text:
                problems.append(Problem(path, 1, s.id, f"the wording it had in {before[0]} (ids are never reused; give a changed statement a new id and supersedes: {s.id})", show(s.text)))
            if s.supersedes and (s.supersedes not in earlier or s.supersedes in ids):
                problems.append(Problem(path, 1, f"{s.id}.supersedes", "the id of a statement from an earlier edition that this edition drops", show(s.supersedes)))
        for s in edition.statements:
            earlier.setdefault(s.id, (path, s))
    return problems


def load_all(folder: Path) -> tuple[dict[str, Edition], list[Problem]]:
    """Every edition in `folder`, by id, and every problem found in them."""
    editions: list[tuple[str, Edition]] = []
    problems: list[Problem] = []
    for file in sorted(folder.glob("*.yaml")):
        label = _label(file)
        edition, found = parse(label, file.read_bytes())
        problems.extend(found)
        if edition:
            editions.append((label, edition))
    problems.extend(check_history(editions))
    return {e.id: e for _, e in editions}, problems


def latest(editions: dict[str, Edition]) -> Edition | None:
    """The newest edition, by publication date."""
    return max(editions.values(), key=lambda e: (e.published, e.id), default=None)


def _label(file: Path) -> str:
    try:
        return str(file.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(file)
