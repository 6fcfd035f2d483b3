"""Strict YAML front matter: parsed with line numbers, and YAML's traps reported, never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from model.problems import Problem, show

FENCE = "---"
# Characters YAML refuses to read at all (and that no one means to type): C0 and C1 controls but tab and
# line ends, and the non-characters. Found first, so each is reported at its line.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
BOOL_WORDS = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
OCTAL_OR_HEX = re.compile(r"^[-+]?0[ox][0-9a-fA-F_]+$")


@dataclass
class Document:
    """A parsed Markdown file: its front matter, the line of each value, and its body."""

    path: str
    data: dict
    lines: dict[str, int]
    body: str
    body_line: int
    line_count: int = 0
    keys: list[str] = field(default_factory=list)

    def line(self, key: str, default: int = 1) -> int:
        """The line of a field (`themes`), an item (`themes[1]`) or a nested value (`contact.email`)."""
        return self.lines.get(key, self.lines.get(key.split("[")[0].split(".")[0], default))


class _Refusing:
    """Notes anchors, aliases and explicit tags as nodes are composed.

    Front matter needs none of them, an alias repeated inside aliases makes a few lines expand into
    millions of values ("billion laughs"), and a tag such as !!binary turns text into something else.
    """

    refused: list[tuple[int, str]]  # (line from 0, what was found)

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line
        if isinstance(event, yaml.AliasEvent):
            self.refused.append((line, f"an alias (*{event.anchor})"))
        else:
            if event.anchor is not None:
                self.refused.append((line, f"an anchor (&{event.anchor})"))
            if getattr(event, "tag", None) is not None:
                self.refused.append((line, f"a YAML tag ({event.tag.replace('tag:yaml.org,2002:', '!!')})"))
        return super().compose_node(parent, index)


class _Loader(_Refusing, yaml.SafeLoader):
    """SafeLoader; used only to compose nodes."""

    def __init__(self, stream):
        super().__init__(stream)
        self.refused = []


if yaml.__with_libyaml__:

    class _FastLoader(_Refusing, yaml.composer.Composer, yaml.cyaml.CParser, yaml.resolver.Resolver):
        """libyaml reads the events (several times faster than PyYAML's reader); the same composer builds the nodes."""

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.refused = []

        def compose_scalar_node(self, anchor):
            node = super().compose_scalar_node(anchor)
            node.style = node.style or None  # libyaml marks a plain scalar '', PyYAML None, which _Walker relies on
            return node


@dataclass
class _Composed:
    """A document libyaml has composed already, answering as a loader does."""

    root: yaml.Node | None
    refused: list[tuple[int, str]]

    def get_single_node(self) -> yaml.Node | None:
        return self.root

    def dispose(self) -> None:
        pass


def _composed_by_libyaml(text: str) -> _Composed | None:
    """The document composed from libyaml's events; None if PyYAML lacks libyaml or the text is not valid
    YAML, so that PyYAML reads it again and every problem is worded as before (libyaml words its own).

    The two read a '?' inside a value in [...] differently, and end a tag there at different places:
    text with either character is left to PyYAML alone.
    """
    if not yaml.__with_libyaml__ or "?" in text or "!" in text:
        return None
    loader = _FastLoader(text)
    try:
        return _Composed(loader.get_single_node(), loader.refused)
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def _decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        byte = raw[err.start : err.start + 1].hex()
        return None, [Problem(path, line, "encoding", "UTF-8 text", f"byte 0x{byte} at column {column}")]
    return text.removeprefix("\ufeff"), []


def parse(path: str, raw: bytes) -> tuple[Document | None, list[Problem]]:
    """Parse a Markdown file with front matter. Returns the document (None if unusable) and problems."""
    text, problems = _decode(path, raw)
    if text is None:
        return None, problems
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != FENCE:
        return None, [Problem(path, 1, "front matter", "'---' on the first line", show(lines[0] if lines else ""))]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r") in (FENCE, "...")), None)
    if end is None:
        return None, [Problem(path, 1, "front matter", "a closing '---' line", "end of file")]
    data, where, problems = load_yaml(path, "\n".join(lines[1:end]), first_line=2, what="front matter")
    if data is None:
        return None, problems
    doc = Document(path, data, where, "\n".join(lines[end + 1 :]), end + 2, len(lines), list(data))
    return doc, problems


def load_file(path: str, raw: bytes, what: str = "file") -> tuple[dict | None, dict[str, int], list[Problem]]:
    """Decode and load a whole YAML file strictly (as for front matter)."""
    text, problems = _decode(path, raw)
    if text is None:
        return None, {}, problems
    return load_yaml(path, text, first_line=1, what=what)


def load_yaml(path: str, text: str, first_line: int, what: str) -> tuple[dict | None, dict[str, int], list[Problem]]:
    """Load YAML text that must be a mapping. Returns (data or None, line of each key, problems)."""
    problems = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if "\t" in line:
            problems.append(Problem(path, number, what, "spaces for indentation", "a tab"))
        for character in sorted(set(CONTROL.findall(line.rstrip("\r")))):
            problems.append(Problem(path, number, what, "printable text", f"the control character U+{ord(character):04X}"))
    if problems:
        return None, {}, problems
    loader = _composed_by_libyaml(text) or _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + first_line) if mark else first_line
        found = (err.problem or err.context or "invalid YAML").strip()
        if err.problem and err.context and err.context_mark and err.context_mark.line + first_line != line:
            # e.g. an unclosed [ or quote: YAML stops lines later; say where the unfinished part began
            found += f" ({err.context.strip()} that began on line {err.context_mark.line + first_line})"
        return None, {}, [Problem(path, line, what, "valid YAML", found)]
    except RecursionError:
        return None, {}, [Problem(path, first_line, what, "fields nested a few levels deep", "nesting too deep to read")]
    finally:
        loader.dispose()
    if loader.refused:
        expected = "plain values (no YAML anchors, aliases or tags)"
        return None, {}, [Problem(path, line + first_line, what, expected, found) for line, found in loader.refused]
    if root is None:
        return {}, {}, []
    walker = _Walker(path, first_line)
    if not isinstance(root, yaml.MappingNode):
        return None, {}, [Problem(path, first_line, what, "fields as 'name: value' lines", "a " + _node_kind(root))]
    data = walker.mapping(root, "")
    return data, walker.lines, walker.problems


def _node_kind(node: yaml.Node) -> str:
    return {yaml.ScalarNode: "single value", yaml.SequenceNode: "list"}.get(type(node), "mapping")


class _Walker:
    """Turns composed YAML nodes into values, noting each value's line and every trap."""

    def __init__(self, path: str, first_line: int):
        self.path = path
        self.first_line = first_line
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line

    def mapping(self, node: yaml.MappingNode, prefix: str) -> dict:
        result: dict = {}
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.path, self.line(key_node), prefix.rstrip(".") or "field", "a field name", "a " + _node_kind(key_node)))
                continue
            key = key_node.value
            name = prefix + key
            if key in first:
                self.problems.append(
                    Problem(self.path, self.line(key_node), name, "each field once", f"a second {key!r} (first on line {first[key]})")
                )
                continue
            first[key] = self.lines[name] = self.line(key_node)
            result[key] = self.value(value_node, name)
        return result

    def value(self, node: yaml.Node, name: str):
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, name + ".")
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[f"{name}[{index}]"] = self.line(item)
                items.append(self.value(item, f"{name}[{index}]"))
            return items
        return self.scalar(node, name)

    def scalar(self, node: yaml.ScalarNode, name: str):
        if node.style is not None:  # quoted or block text: always a string
            return node.value
        raw = node.value
        trap = None
        if BOOL_WORDS.match(raw):
            trap = f"{raw}, which YAML reads as {str(raw.lower() in ('y', 'yes', 'on')).lower()}"
        elif LEADING_ZERO.match(raw) or OCTAL_OR_HEX.match(raw):
            trap = f"{raw}, which YAML may read as a number and drop the leading zero"
        elif SEXAGESIMAL.match(raw):
            trap = f"{raw}, which YAML may read as a base-60 number"
        if trap:
            self.problems.append(Problem(self.path, self.line(node), name, "the value in quotes", trap))
            return raw
        try:
            return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError):
            return raw
