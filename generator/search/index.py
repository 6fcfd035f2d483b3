"""The search index: small static files written from the checked library, so a first search loads a few of them.

Written from the resources themselves (titles, summaries, what a resource is found by, Markdown bodies
reduced to text), never from the built HTML, so it is built in a process of its own while MkDocs renders.
`assets/search.js` reads it; the words of a query are normalised there exactly as here (`tokens`, `term`,
`stem`), and a query is evaluated there as `search` does here. The layout, under site/search/:

- manifest.json: the format, a build id (added to every other file's address, so caches never mix two
  builds), the number of documents, the documents per chunk, the term shards and the kinds' names;
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
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from generator.content.kinds import KINDS
from generator.content.resources import Resource
from model import vocabulary as v
from model.register import Register

FORMAT = 1  # the layout above; assets/search.js refuses another
FOLDER = "search"  # site/search/: beside the search page, which MkDocs writes there
CHUNK = 10  # documents per metadata chunk: a first search shows SHOWN results, each likely in its own chunk
SHOWN = 20  # results shown at first, and added by "Show more results" (assets/search.js has the same)
SHARD_LIMIT = 24 * 1024  # bytes; a two-character shard larger than this is split by the third character
FACETS = ("kind", "theme", "route")  # the filters search offers (facets.py's ids)

# Scores: a word in the title counts most, then in the summary (or in what the resource is found by: its
# council, where that is, its provider), then each use in the body, up to BODY_CAP uses.
TITLE, SUMMARY, BODY, BODY_CAP = 12, 6, 1, 8

MIN_TERM, MAX_TERM = 2, 32  # characters; shorter words say little, longer ones are codes or addresses
PREFIX_FROM = 3  # characters; a last word at least this long also matches the words it begins
STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his if in into is it its "
    "not of on or our she so than that the their them then there these they this those to was "
    "we were which will with you your".split()
)

WORD = re.compile(r"[^\W_]+")  # letters and digits: exactly Unicode's L and N categories (\w less "_")
ASCII_WORD = re.compile(r"^[a-z]+$")


def fold(text: str) -> str:
    """Lower case, compatibility-decomposed, without combining marks: "Café" and "CAFE" fold alike.

    Lowered again at the end: decomposing can make capitals ("𝒜", a mathematical letter, becomes "A").
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if decomposed.isascii():
        return decomposed.lower()
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def tokens(text: str) -> list[str]:
    """The folded words of a text, in order, before stopwords and stems (search.js: tokens)."""
    return WORD.findall(fold(text))


def stem(word: str) -> str:
    """A light English stem: plurals and -ing/-ed endings, a final e and a doubled last letter.

    Not Porter: a handful of rules simple enough to be written identically in JavaScript (search.js:
    stem), so that "plans", "planning" and "planned" meet at "plan", and "housing" and "houses" at "hous".
    Only plain a-z words of four letters or more are stemmed.
    """
    if len(word) < 4 or not ASCII_WORD.match(word):
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    cut = False
    if word.endswith("ing") and len(word) >= 6:
        word, cut = word[:-3], True
    elif word.endswith("ed") and len(word) >= 5:
        word, cut = word[:-2], True
    if cut and len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiouylsz":
        word = word[:-1]
    while word.endswith("e") and len(word) >= 4:  # "agree" and "agreed" both lose every final e
        word = word[:-1]
    return word


def term(token: str) -> str | None:
    """The indexed term of a folded word, or None for a stopword or a word too short or long to index."""
    if len(token) < MIN_TERM or len(token) > MAX_TERM or token in STOPWORDS:
        return None
    return stem(token)


def terms(text: str) -> list[str]:
    """The indexed terms of a text, in order (search.js: terms)."""
    return [t for t in map(term, tokens(text)) if t]


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


# -- the numbers in postings and filter lists -------------------------------------------------

# A number is written in base 32, most significant digit first; every digit but the last is taken from
# the second half of the alphabet. Gaps between document ids and scores are mostly below 32: one character.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_BYTES = ALPHABET.encode("ascii")
_UNSEEN = object()


def encode(numbers: Iterable[int]) -> str:
    """Non-negative integers as a compact string (search.js: decode reads it)."""
    out = []
    for n in numbers:
        digits = [ALPHABET[n & 31]]
        n >>= 5
        while n:
            digits.append(ALPHABET[32 + (n & 31)])
            n >>= 5
        out.extend(reversed(digits))
    return "".join(out)


def decode(text: str) -> list[int]:
    """The integers written by `encode`."""
    out, n = [], 0
    for c in text:
        d = _VALUE[c]
        if d >= 32:
            n = n * 32 + d - 32
        else:
            out.append(n * 32 + d)
            n = 0
    return out


def gaps(ids: Iterable[int]) -> list[int]:
    """Sorted ids as the first and then the difference from the one before."""
    out, last = [], 0
    for i in ids:
        out.append(i - last)
        last = i
    return out


def ungap(values: Iterable[int]) -> list[int]:
    out, last = [], 0
    for g in values:
        last += g
        out.append(last)
    return out


# -- shards -----------------------------------------------------------------------------------

_PLAIN_KEY = re.compile(r"^[a-z0-9]+$")


def shard_file(key: str) -> str:
    """The file name of a shard: its key, or for other letters their code points ("u436-430")."""
    return key if _PLAIN_KEY.match(key) else "u" + "-".join(format(ord(c), "x") for c in key)


def shard_of(t: str, shards: frozenset[str] | set[str]) -> str:
    """The shard key holding term `t`: its first three characters where that shard exists, else its first two."""
    return t[:3] if len(t) >= 3 and t[:3] in shards else t[:2]


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


# -- searching, as the browser does -----------------------------------------------------------


class Index:
    """A written index, read as search.js reads it: the reference for what a query finds, used by the tests."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        self.shards = frozenset(self.manifest["shards"])

    def _json(self, rel: str):
        return json.loads((self.folder / rel).read_text(encoding="utf-8"))

    def shard(self, key: str) -> dict[str, str]:
        return self._json(f"terms/{shard_file(key)}.json") if key in self.shards else {}

    def postings(self, t: str) -> dict[int, int]:
        encoded = self.shard(shard_of(t, self.shards)).get(t, "")
        numbers = decode(encoded)
        return dict(zip(ungap(numbers[0::2]), numbers[1::2], strict=True))

    def filter_ids(self, chosen: dict[str, list[str]]) -> set[int] | None:
        """Documents with any of the chosen values of each facet, in every facet chosen (None: no filter)."""
        lists = self._json("filters.json")
        found = None
        for facet, values in chosen.items():
            if not values:
                continue
            ids = set()
            for value in values:
                ids |= set(ungap(decode(lists.get(facet, {}).get(value, ""))))
            found = ids if found is None else found & ids
        return found

    def document(self, doc_id: int) -> list[str]:
        return self._json(f"docs/{doc_id // self.manifest['chunk']}.json")[doc_id % self.manifest["chunk"]]


def query_words(query: str) -> list[tuple[str, bool, str]]:
    """The words of a query that count: (term, whether it matches as a prefix too, the folded word).

    Every word is a term as the index has it. The last word, while it is still being typed (the query
    does not end in a space), also matches longer words it begins, once it has PREFIX_FROM characters,
    stopwords included ("for" finds "form"); shorter, it waits for more unless it is the only word.
    """
    found = tokens(query)
    typing = bool(found) and query[-1:].isalnum()
    out = []
    for i, token in enumerate(found):
        last = typing and i == len(found) - 1
        if last and len(token) >= PREFIX_FROM:
            out.append((stem(token) if token not in STOPWORDS else token, True, token))
        elif last and len(token) < PREFIX_FROM and len(found) > 1:
            continue
        elif (t := term(token)) is not None:
            out.append((t, False, token))
    return out


def matches_prefix(t: str, word: str, stemmed: str) -> bool:
    """Whether index term `t` is one a word being typed may become: it begins with the word's stem, or the
    word begins with it and is at most three letters longer (the word is a stemmed term's longer form,
    "planni" of "plan")."""
    return t.startswith(stemmed) or (len(t) >= PREFIX_FROM and word.startswith(t) and len(word) - len(t) <= 3)


def search(index: Index, query: str, chosen: dict[str, list[str]] | None = None) -> list[tuple[int, int]]:
    """(document id, score) of every match, best first: every word matched (summing each word's score,
    the best of a prefix's terms), within the filters. No words: every filtered document, in title order."""
    allowed = index.filter_ids(chosen or {})
    words = query_words(query)
    if not words:
        return [(i, 0) for i in sorted(allowed)] if allowed is not None else []
    total: dict[int, int] | None = None
    for t, prefix, word in words:
        if prefix:
            # The stem's shard and the word's differ only where the stem changes the third letter ("flies", "fly").
            keys = {shard_of(t, index.shards), shard_of(word, index.shards)}
            best: dict[int, int] = {}
            for candidate in (c for key in sorted(keys) for c in index.shard(key)):
                if matches_prefix(candidate, word, t):
                    for doc_id, score in index.postings(candidate).items():
                        best[doc_id] = max(best.get(doc_id, 0), score)
        else:
            best = index.postings(t)
        total = best if total is None else {d: s + best[d] for d, s in total.items() if d in best}
    if allowed is not None:
        total = {d: s for d, s in total.items() if d in allowed}
    return sorted(total.items(), key=lambda ds: (-ds[1], ds[0]))
