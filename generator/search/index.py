"""The search index: small static files written from the checked library, so a first search loads a few of them.

Written from the resources themselves (titles, summaries, what a resource is found by, Markdown bodies
reduced to text), never from the built HTML, so it is built in a process of its own while MkDocs renders.
`assets/search.js` and the app's results page read it as model/search.py does, which also holds how words are
normalised (`tokens`, `term`, `stem`) and the numbers written (`encode`). The layout, under site/search/:

- manifest.json: the format, a build id (added to every other file's address, so caches never mix two
  builds), the number of documents, the documents per chunk, the term shards, the kinds' names and the
  filters' names with their values' names;
- terms/<shard>.json: {term: postings}, a shard holding the terms that start with its key (two
  characters, or three where two would make a file larger than SHARD_LIMIT);
- docs/<n>.json: [[url, title, summary, kind], ...] for documents n*CHUNK to (n+1)*CHUNK-1, so a search
  loads only the chunks of the results it shows;
- filters.json: {facet: {value: ids}} for kind, theme and ambition route.

Documents are numbered in title order. Postings are (document id gap, score) pairs and filter lists are
document id gaps, written as `encode` numbers: a few characters each, where JSON numbers would take twice as many.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from generator.content.facets import BY_ID
from generator.content.kinds import KINDS
from generator.content.resources import Resource
from model import vocabulary as v
from model.register import Register
from model.search import ALPHABET, FACETS, FOLDER, FORMAT, encode, gaps, shard_file, term, tokens

CHUNK = 10  # documents per metadata chunk: a first search shows SHOWN results, each likely in its own chunk
SHARD_LIMIT = 24 * 1024  # bytes; a two-character shard larger than this is split by the third character

# Scores: a word in the title counts most, then in the summary (or in what the resource is found by: its
# council, where that is, its provider), then each use in the body, up to BODY_CAP uses.
TITLE, SUMMARY, BODY, BODY_CAP = 12, 6, 1, 8

# -- Markdown bodies as text ------------------------------------------------------------------

_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")  # [words](address "title"): keep the words
_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S+.*$", re.M)  # [id]: address
_TAG = re.compile(r"<[^>\n]*>|<!--.*?-->", re.S)  # HTML tags and comments
_ATTR_LIST = re.compile(r"\{:?[ \t]*[.#][^}\n]*\}|\{:[^}\n]*\}")  # { .class #id } and {: ... }
_ADMONITION = re.compile(r"^([ \t]*)(?:!!!|\?\?\?\+?)[ \t]+[\w-]+", re.M)  # !!! tip "Title": keep the title
_ADDRESS = re.compile(r"\b(?:https?|mailto):\S+")


def text_of(markdown: str) -> str:
    """A Markdown body reduced to its words: no addresses, tags, attribute lists or admonition types."""
    out = _REFERENCE.sub("", markdown)
    out = _LINK_TARGET.sub("]", out)
    out = _TAG.sub(" ", out)
    out = _ATTR_LIST.sub(" ", out)
    out = _ADMONITION.sub(r"\1", out)
    out = _ADDRESS.sub(" ", out)
    return html.unescape(out)


# Most (gap, score) pairs are below 32: written as two characters of the alphabet without `encode`.
_BYTES = ALPHABET.encode("ascii")
_UNSEEN = object()


# -- the documents ----------------------------------------------------------------------------


class Document(NamedTuple):
    """What the index needs of one resource: plain strings and ids, cheap to send to another process."""

    url: str  # site-relative: guidance/budget-consultation/
    title: str
    summary: str
    kind: str
    themes: tuple[str, ...]
    routes: tuple[str, ...]
    findable: str  # words to find it by that are not in its text: its council, where that is, its provider
    body: str  # Markdown


def findable(r: Resource, register: Register | None) -> str:
    """What a search should find a resource by besides its words: its council, where that is, its provider."""
    council = register.get(r.council) if (register and r.council) else None
    parts = []
    if council:
        parts.append(f"{council.name}, {v.COUNCIL_TYPES.label(council.type)}, {v.REGIONS.label(council.region)}.")
    if r.provider:
        parts.append(f"Provided by {r.provider}.")
    return " ".join(parts)


def documents(resources: list[Resource], register: Register | None) -> list[Document]:
    """The documents of the index, in title order: their position is their id."""
    ordered = sorted(resources, key=lambda r: (r.title.lower(), r.address))
    return [
        Document(r.address.lstrip("/"), r.title, r.summary, r.kind.id, r.themes, r.ambition_routes, findable(r, register), r.body)
        for r in ordered
    ]


def scores(doc: Document, term_of=term) -> dict[str, int]:
    """Each term of a document and its score there. `term_of` may be a memo of `term`."""
    out: dict[str, int] = {}
    for token in set(tokens(doc.title)):
        if t := term_of(token):
            out[t] = TITLE
    for t in {term_of(token) for token in tokens(doc.summary + " " + doc.findable)}:
        if t:
            out[t] = out.get(t, 0) + SUMMARY
    uses: Counter[str] = Counter()
    for token, n in Counter(tokens(text_of(doc.body))).items():  # each word once, however often it is used
        if t := term_of(token):
            uses[t] += n
    for t, n in uses.items():
        out[t] = out.get(t, 0) + BODY * min(n, BODY_CAP)
    return out


# -- writing ----------------------------------------------------------------------------------


def _dump(path: Path, data, digest) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    digest.update(path.name.encode() + b"\0" + text.encode())
    path.write_text(text, encoding="utf-8")


def write(docs: list[Document], out: Path) -> dict:
    """Write the index of `docs` into `out` (emptied first). Returns the manifest.

    Memory stays small whatever the size of the library: each term's postings are kept as the
    characters they will be written as, and document metadata goes to disk a chunk at a time.
    """
    if out.exists():
        shutil.rmtree(out)
    (out / "terms").mkdir(parents=True)
    (out / "docs").mkdir()
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    postings: dict[str, bytearray] = {}  # term -> its (gap, score) pairs, as the characters written
    last: dict[str, int] = {}  # term -> the id of the last document holding it
    filters: dict[str, dict[str, list[int]]] = {f: {} for f in FACETS}
    chunk: list[list[str]] = []
    memo: dict[str, str | None] = {}  # word -> term: the library's words recur, and stemming each use is most of the work

    def term_of(token: str) -> str | None:
        found = memo.get(token, _UNSEEN)
        if found is _UNSEEN:
            found = memo[token] = term(token)
        return found

    for doc_id, doc in enumerate(docs):
        for t, score in scores(doc, term_of).items():
            held = postings.get(t)
            if held is None:
                held = postings[t] = bytearray()
            gap = doc_id - last.get(t, 0)
            if gap < 32 and score < 32:  # most pairs: two characters, written without `encode`
                held.append(_BYTES[gap])
                held.append(_BYTES[score])
            else:
                held += encode((gap, score)).encode("ascii")
            last[t] = doc_id
        for facet, values in (("kind", (doc.kind,)), ("theme", doc.themes), ("route", doc.routes)):
            for value in values:
                filters[facet].setdefault(value, []).append(doc_id)
        chunk.append([doc.url, doc.title, doc.summary, doc.kind])
        if len(chunk) == CHUNK:
            _dump(out / "docs" / f"{doc_id // CHUNK}.json", chunk, digest)
            chunk = []
    if chunk:
        _dump(out / "docs" / f"{(len(docs) - 1) // CHUNK}.json", chunk, digest)
    shards = _write_shards(postings, out / "terms", digest)
    _dump(
        out / "filters.json",
        {facet: {value: encode(gaps(ids)) for value, ids in sorted(values.items())} for facet, values in filters.items()},
        digest,
    )
    manifest = {
        "format": FORMAT,
        "build": digest.hexdigest()[:16],
        "documents": len(docs),
        "chunk": CHUNK,
        "shards": shards,
        "kinds": {k.id: k.label for k in KINDS},
        # the filters' names and values' names, for the app's page of results (functions/search/)
        "facets": {f: [BY_ID[f].label, {t.id: t.label for t in BY_ID[f].terms}] for f in FACETS},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
    return manifest


def _write_shards(postings: dict[str, bytearray], folder: Path, digest) -> list[str]:
    by_two: dict[str, dict[str, str]] = {}
    for t in sorted(postings):
        by_two.setdefault(t[:2], {})[t] = postings.pop(t).decode("ascii")
    written = []
    for key, held in by_two.items():
        size = sum(len(t) + len(p) + 6 for t, p in held.items())
        if size <= SHARD_LIMIT:
            parts = {key: held}
        else:
            parts = {}
            for t, p in held.items():
                parts.setdefault(t[:3], {})[t] = p  # terms of two characters stay in the two-character shard
        for part, content in parts.items():
            _dump(folder / f"{shard_file(part)}.json", content, digest)
            written.append(part)
    return sorted(written)


def build(docs: list[Document], out: str) -> dict:
    """Write the index into the folder `out`: run in a process of its own by the build."""
    return write(docs, Path(out))


def install(index: Path, site: Path) -> None:
    """Move a written index into the built site, beside the search page."""
    target = site / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for item in index.iterdir():
        destination = target / item.name
        if destination.is_dir():
            shutil.rmtree(destination)
        shutil.move(item, destination)  # a rename when both are on one file system
