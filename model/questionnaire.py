"""The self-assessment questionnaire: one YAML file per edition, loaded and checked as strictly as content."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from model import vocabulary as v
from model.frontmatter import load_file
from model.problems import Problem, one_of, show

STATEMENT_ID = re.compile(r"^[A-Z]{3}-[0-9]{2}$")
EDITION_ID = re.compile(r"^[0-9]{4}(-[0-9]+)?$")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
TOP_KEYS = {"edition", "title", "published", "introduction", "themes", "ambition"}
THEME_KEYS = {"theme", "introduction", "statements"}
STATEMENT_KEYS = {"id", "text", "help", "best_value", "applies_to", "supersedes"}
AMBITION_KEYS = {"question", "help"}
# Every key is required except these: most statements fit every council type, and only a
# statement that replaces an earlier one supersedes anything.
OPTIONAL_KEYS = {"applies_to", "supersedes"}
# A statement's id starts with its theme's prefix, so that the id alone says where it belongs
# wherever it is quoted: resources' front matter, exports and benchmark columns.
ID_PREFIX = {
    "place-and-priorities": "PLC",
    "leadership-of-place": "LDP",
    "financial-planning": "FIN",
    "governance": "GOV",
    "capacity-to-deliver": "CAP",
}
MOST_BEST_VALUE = 3  # a statement that fits more Best Value themes than this is not one clear idea

_MISSING = object()  # a required key that is absent: reported once, by _Checker.fields


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
    line: int = dataclasses.field(default=0, compare=False)  # where its id is, for problems across editions

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


class _Checker:
    """Collects the problems of one file, each at the line of the value it is about."""

    def __init__(self, path: str, lines: dict[str, int], problems: list[Problem]):
        self.path = path
        self.lines = lines
        self.problems = problems

    def line(self, *keys: str | None) -> int:
        """The line of the first of `keys` that the file has."""
        return next((self.lines[k] for k in keys if k and k in self.lines), 1)

    def add(self, key: str, expected: str, got: str, *where: str | None) -> None:
        """A problem with `key`, at the line of the first of `where` that the file has, else of `key` itself."""
        self.problems.append(Problem(self.path, self.line(*where, key) if where else self.line(key), key, expected, got))

    def fields(self, prefix: str, data: dict, allowed: set[str], near: str | None) -> None:
        """Unknown keys, and required keys that are absent (at the line of the mapping that lacks them)."""
        for key in data:
            if key not in allowed:
                self.add(prefix + key, one_of(sorted(allowed)), "an unknown field")
        for key in sorted(allowed - OPTIONAL_KEYS - set(data)):
            self.add(prefix + key, "a value (it is required)", "nothing", near)

    def text(self, key: str, value) -> str:
        if value is _MISSING:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(key, "text", show(value))
            return ""
        return value.strip()

    def ids(self, key: str, value, vocab: v.Vocabulary, most: int | None = None) -> tuple[str, ...]:
        if value is _MISSING:
            return ()
        size = f"1 to {most}" if most else "one or more"
        if not isinstance(value, list) or not value or (most and len(value) > most):
            self.add(key, f"a list of {size} {vocab.name} ids", show(value))
            return ()
        good: list[str] = []
        for i, item in enumerate(value):
            if item not in vocab:
                self.add(key, one_of(vocab.ids), show(item), f"{key}[{i}]")
            elif item in good:
                self.add(key, "each id once", f"{item} again", f"{key}[{i}]")
            else:
                good.append(item)
        return tuple(good)


def parse(path: str, raw: bytes) -> tuple[Edition | None, list[Problem]]:
    """Parse one edition file, reporting every problem: the edition only if there are none."""
    data, lines, problems = load_file(path, raw, what="questionnaire")
    if data is None:
        return None, problems
    check = _Checker(path, lines, problems)
    check.fields("", data, TOP_KEYS, near=None)
    edition_id = _edition_id(check, path, data.get("edition", _MISSING))
    published = _published(check, data.get("published", _MISSING))
    themes = _themes(check, data.get("themes", _MISSING))
    question, ambition_help = _ambition(check, data.get("ambition", _MISSING))
    edition = Edition(
        id=edition_id,
        title=check.text("title", data.get("title", _MISSING)),
        published=published,
        introduction=check.text("introduction", data.get("introduction", _MISSING)),
        themes=themes,
        ambition_question=question,
        ambition_help=ambition_help,
    )
    return (None if problems else edition), problems


def _edition_id(check: _Checker, path: str, value) -> str:
    if value is _MISSING:
        return ""
    if not isinstance(value, str) or not EDITION_ID.match(value):
        check.add("edition", 'an edition id in quotes, like "2026"', show(value))
        return ""
    if Path(path).stem != value:
        check.add("edition", f"{Path(path).stem!r} (the file's name)", show(value))
    return value


def _published(check: _Checker, value) -> dt.date:
    # YAML reads an unquoted date as a date; a quoted one is just as clear to an editor.
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if value is _MISSING:
        return dt.date.min
    if type(value) is not dt.date:
        check.add("published", "a date as YYYY-MM-DD", show(value))
        return dt.date.min
    return value


def _ambition(check: _Checker, value) -> tuple[str, str]:
    if value is _MISSING:
        return "", ""
    if not isinstance(value, dict):
        check.add("ambition", "a question and its help", show(value))
        return "", ""
    check.fields("ambition.", value, AMBITION_KEYS, near="ambition")
    return check.text("ambition.question", value.get("question", _MISSING)), check.text(
        "ambition.help", value.get("help", _MISSING)
    )


def _themes(check: _Checker, value) -> tuple[Theme, ...]:
    if value is _MISSING:
        return ()
    if not isinstance(value, list) or not value:
        check.add("themes", "a list of the five themes", show(value))
        return ()
    themes: list[Theme] = []
    first_line: dict[str, int] = {}
    seen_statements: dict[str, int] = {}
    unnamed = 0  # entries whose theme is missing or unknown: any of them may be the theme that seems absent
    for index, raw in enumerate(value):
        key = f"themes[{index}]"
        if not isinstance(raw, dict):
            check.add(key, "a theme with its introduction and statements", show(raw))
            unnamed += 1
            continue
        check.fields(key + ".", raw, THEME_KEYS, near=key)
        theme_id = raw.get("theme", _MISSING)
        known = theme_id is not _MISSING and theme_id in v.THEMES
        if not known:
            unnamed += 1
            if theme_id is not _MISSING:
                check.add(key + ".theme", one_of(v.THEMES.ids), show(theme_id))
        elif theme_id in first_line:
            check.add(
                key + ".theme", "a theme not already in this edition", f"{theme_id} again (first on line {first_line[theme_id]})"
            )
            known = False
        else:
            first_line[theme_id] = check.line(key + ".theme", key)
        introduction = check.text(key + ".introduction", raw.get("introduction", _MISSING))
        statements = _statements(check, key, theme_id if known else None, raw.get("statements", _MISSING), seen_statements)
        if known:
            themes.append(Theme(theme_id, v.THEMES.label(theme_id), introduction, statements))
    if not unnamed:
        for theme_id in v.THEMES.ids:
            if theme_id not in first_line:
                check.add("themes", f"the {theme_id} theme", f"no 'theme: {theme_id}' entry")
    return tuple(sorted(themes, key=lambda t: v.THEMES.ids.index(t.id)))


def _statements(check: _Checker, theme_key: str, theme_id: str | None, value, seen: dict[str, int]) -> tuple[Statement, ...]:
    key = theme_key + ".statements"
    if value is _MISSING:
        return ()
    if not isinstance(value, list) or not value:
        check.add(key, "a list of statements", show(value), key, theme_key)
        return ()
    statements = []
    for index, raw in enumerate(value):
        statement = _statement(check, f"{key}[{index}]", theme_id, raw, seen)
        if statement is not None:
            statements.append(statement)
    return tuple(statements)


def _statement(check: _Checker, key: str, theme_id: str | None, raw, seen: dict[str, int]) -> Statement | None:
    """One statement, or None if it is unusable; every field is checked either way, so every problem is reported."""
    if not isinstance(raw, dict):
        check.add(key, "a statement with id, text, help and best_value", show(raw))
        return None
    check.fields(key + ".", raw, STATEMENT_KEYS, near=key)
    sid = _statement_id(check, key, theme_id, raw.get("id", _MISSING), seen)
    text = check.text(key + ".text", raw.get("text", _MISSING))
    help_text = check.text(key + ".help", raw.get("help", _MISSING))
    best_value = check.ids(key + ".best_value", raw.get("best_value", _MISSING), v.BEST_VALUE, most=MOST_BEST_VALUE)
    applies = raw.get("applies_to", _MISSING)
    applies_to = v.COUNCIL_TYPES.ids if applies is _MISSING else check.ids(key + ".applies_to", applies, v.COUNCIL_TYPES)
    supersedes = raw.get("supersedes")
    if supersedes is not None and (not isinstance(supersedes, str) or not STATEMENT_ID.match(supersedes) or supersedes == sid):
        check.add(key + ".supersedes", "the id of a statement in an earlier edition", show(supersedes))
        supersedes = None
    if sid is None or theme_id is None:
        return None
    line = check.line(key + ".id", key)
    seen[sid] = line
    return Statement(sid, theme_id, text, help_text, best_value, applies_to, supersedes, line)


def _statement_id(check: _Checker, key: str, theme_id: str | None, sid, seen: dict[str, int]) -> str | None:
    key += ".id"
    if sid is _MISSING:
        return None
    if not isinstance(sid, str) or not STATEMENT_ID.match(sid):
        check.add(key, "an id like FIN-03", show(sid))
        return None
    prefix = ID_PREFIX.get(theme_id or "")
    if prefix and not sid.startswith(prefix + "-"):
        check.add(key, f"an id starting {prefix}- (the {theme_id} theme)", show(sid))
        return None
    if sid in seen:
        check.add(key, "an id not used before in this edition", f"{sid} again (first on line {seen[sid]})")
        return None
    return sid


def _words(text: str) -> str:
    """Wording without layout: rewrapping a line in the YAML file does not change a statement."""
    return " ".join(text.split())


def check_history(editions: list[tuple[str, Edition]]) -> list[Problem]:
    """Statement ids are never reused: across editions an id keeps its wording, and `supersedes` names an earlier id."""
    problems: list[Problem] = []
    earlier: dict[str, tuple[str, Statement]] = {}
    for path, edition in sorted(editions, key=lambda pe: (pe[1].published, pe[1].id)):
        ids = {s.id for s in edition.statements}
        for s in edition.statements:
            before = earlier.get(s.id)
            if before and _words(before[1].text) != _words(s.text):
                problems.append(
                    Problem(
                        path,
                        s.line or 1,
                        f"{s.id}.text",
                        f"the wording {s.id} has in {before[0]} (ids are never reused: give a changed statement a new id "
                        f"and supersedes: {s.id})",
                        show(s.text),
                    )
                )
            if s.supersedes and s.supersedes not in earlier:
                problems.append(
                    Problem(
                        path, s.line or 1, f"{s.id}.supersedes", "the id of a statement in an earlier edition", show(s.supersedes)
                    )
                )
            elif s.supersedes in ids:
                problems.append(
                    Problem(
                        path,
                        s.line or 1,
                        f"{s.id}.supersedes",
                        "an id this edition no longer asks",
                        f"{s.supersedes}, which it still asks",
                    )
                )
        for s in edition.statements:
            earlier.setdefault(s.id, (path, s))
    return problems


def load_all(folder: Path) -> tuple[dict[str, Edition], list[Problem]]:
    """Every edition in `folder`, by id, and every problem found in them."""
    editions: list[tuple[str, Edition]] = []
    problems: list[Problem] = []
    for file in sorted(folder.glob("*.yml")):
        # Only .yaml files are read: a .yml edition would otherwise be silently left out.
        problems.append(Problem(_label(file), 1, "file name", f"{file.stem}.yaml", repr(file.name)))
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
