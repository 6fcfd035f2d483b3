"""The search index as its readers see it: words normalised, numbers decoded, a query evaluated over the files.

The builder writes the index (generator/search/index.py, which describes its layout); the site's script
(generator/assets/search.js) and the app's page of results without JavaScript (functions/search/) read it.
This module is the reference for both: search.js normalises words and evaluates a query exactly as
`tokens`, `term`, `stem`, `query_words` and `find` do here, and the tests compare the two.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

FORMAT = 1  # the index's layout; readers refuse another
FOLDER = "search"  # site/search/: beside the search page, which MkDocs writes there
SHOWN = 20  # results shown at first, and added by "Show more results" or the next page (search.js has the same)
FACETS = ("kind", "theme", "route")  # the filters search offers (facets.py's ids)

MIN_TERM, MAX_TERM = 2, 32  # characters; shorter words say little, longer ones are codes or addresses
PREFIX_FROM = 3  # characters; a last word at least this long also matches the words it begins
CORRECT_FROM = 4  # characters; a word that finds nothing is corrected by one edit from this long: "budgt" to "budget"
STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his if in into is it its "
    "not of on or our she so than that the their them then there these they this those to was "
    "we were which will with you your".split()
)

WORD = re.compile(r"[^\W_]+")  # letters and digits: exactly Unicode's L and N categories (\w less "_")
ASCII_WORD = re.compile(r"^[a-z]+$")


# -- words ------------------------------------------------------------------------------------


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


# -- the numbers in postings and filter lists -------------------------------------------------

# A number is written in base 32, most significant digit first; every digit but the last is taken from
# the second half of the alphabet. Gaps between document ids and scores are mostly below 32: one character.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def encode(numbers) -> str:
    """Non-negative integers as a compact string (`decode` and search.js's decode read it)."""
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


def gaps(ids) -> list[int]:
    """Sorted ids as the first and then the difference from the one before."""
    out, last = [], 0
    for i in ids:
        out.append(i - last)
        last = i
    return out


def ungap(values) -> list[int]:
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


# -- reading ----------------------------------------------------------------------------------


class NoIndex(Exception):
    """The folder holds no index this reader can read (none built, or another format)."""


class Index:
    """A written index, read as search.js reads it: files are read when a query needs them, once each."""

    def __init__(self, folder: Path):
        self.folder = folder
        try:
            self.manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise NoIndex(f"{folder}: no search index ({err.__class__.__name__})") from None
        if self.manifest.get("format") != FORMAT:
            raise NoIndex(f"{folder}: expected search index format {FORMAT}, got {self.manifest.get('format')!r}")
        self.shards = frozenset(self.manifest["shards"])
        self._files: dict[str, object] = {}

    def _json(self, rel: str):
        if rel not in self._files:
            self._files[rel] = json.loads((self.folder / rel).read_text(encoding="utf-8"))
        return self._files[rel]

    def shard(self, key: str) -> dict[str, str]:
        return self._json(f"terms/{shard_file(key)}.json") if key in self.shards else {}

    def postings(self, t: str) -> dict[int, int]:
        return postings(self.shard(shard_of(t, self.shards)).get(t, ""))

    def filter_ids(self, chosen: dict[str, list[str]]) -> set[int] | None:
        """Documents with any of the chosen values of each facet, in every facet chosen (None: no filter)."""
        if not any(chosen.get(f) for f in FACETS):
            return None
        lists = self._json("filters.json")
        found = None
        for facet in FACETS:
            values = chosen.get(facet) or []
            if not values:
                continue
            ids = set()
            for value in values:
                ids |= set(ungap(decode(lists.get(facet, {}).get(value, ""))))
            found = ids if found is None else found & ids
        return found

    def document(self, doc_id: int) -> list[str]:
        """[url, title, summary, kind] of a document."""
        return self._json(f"docs/{doc_id // self.manifest['chunk']}.json")[doc_id % self.manifest["chunk"]]


def postings(encoded: str) -> dict[int, int]:
    """A term's postings: document id to score."""
    numbers = decode(encoded)
    return dict(zip(ungap(numbers[0::2]), numbers[1::2], strict=True))


# -- a query ----------------------------------------------------------------------------------


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


def one_edit(a: str, b: str) -> bool:
    """Whether `b` is `a` with one character added, taken away or changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :])
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i:]


def correction(t: str, shards: list[dict[str, str]]) -> tuple[str, str] | None:
    """The index term a word that found nothing most likely meant, with its postings: one edit from the word's
    term `t`, among the shards already read for it (so a correction costs no download; a slip in the first two
    letters, or three where the index splits by three, is not corrected), the one in most documents, then the
    first in code point order. None for a term shorter than CORRECT_FROM."""
    if len(t) < CORRECT_FROM:
        return None
    candidates = {c: encoded for shard in shards for c, encoded in shard.items() if one_edit(t, c)}
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (-len(decode(candidates[c])), c))  # twice the documents: the same order
    return best, candidates[best]


def shown_as(word: str, t: str, corrected: str) -> str:
    """The word to show for a corrected one: the correction with the ending the stem took off ("budgts" shows
    "budgets"), or the correction itself where the word does not begin with its stem."""
    return corrected + word[len(t) :] if word.startswith(t) else corrected


class Found(NamedTuple):
    """What a query finds: (document id, score) best first, and each corrected word with what was searched for instead."""

    results: list[tuple[int, int]]
    corrections: tuple[tuple[str, str], ...] = ()


def find(index: Index, query: str, chosen: dict[str, list[str]] | None = None) -> Found:
    """Every match, best first: every word matched (summing each word's score, the best of a prefix's
    terms), within the filters. A word that matches nothing is searched for as its `correction`. No words:
    every filtered document, in title order. Corrections are kept only when something is found."""
    allowed = index.filter_ids(chosen or {})
    words = query_words(query)
    if not words:
        return Found([(i, 0) for i in sorted(allowed)] if allowed is not None else [])
    total: dict[int, int] | None = None
    corrections = []
    for t, prefix, word in words:
        # The stem's shard and the word's differ only where the stem changes the third letter ("flies", "fly").
        keys = sorted({shard_of(t, index.shards), shard_of(word, index.shards)}) if prefix else [shard_of(t, index.shards)]
        shards = [index.shard(key) for key in keys]
        best: dict[int, int] = {}
        if prefix:
            for candidate in (c for shard in shards for c in shard):
                if matches_prefix(candidate, word, t):
                    for doc_id, score in index.postings(candidate).items():
                        best[doc_id] = max(best.get(doc_id, 0), score)
        else:
            best = index.postings(t)
        if not best and (corrected := correction(t, shards)) is not None:
            best = postings(corrected[1])
            corrections.append((word, shown_as(word, t, corrected[0])))
        total = best if total is None else {d: s + best[d] for d, s in total.items() if d in best}
    if allowed is not None:
        total = {d: s for d, s in total.items() if d in allowed}
    results = sorted(total.items(), key=lambda ds: (-ds[1], ds[0]))
    return Found(results, tuple(corrections) if results else ())


def search(index: Index, query: str, chosen: dict[str, list[str]] | None = None) -> list[tuple[int, int]]:
    """The results of `find` alone: (document id, score), best first."""
    return find(index, query, chosen).results


def describe(query: str, found: Found) -> str:
    """What the results say of themselves (search.js: describe): "3 results for budget", or, where a word was
    corrected, "Showing results for budget: 3 results. Nothing matched budgt."."""
    count = len(found.results)
    n = "1 result" if count == 1 else f"{count:,} results"
    words = query.strip()
    if not words:
        return f"{n} for the filters chosen" if count else "No results for the filters chosen"
    if found.corrections:
        instead = dict(found.corrections)
        corrected = " ".join(instead.get(token, token) for token in tokens(query))
        return f"Showing results for {corrected}: {n}. Nothing matched {' '.join(w for w, _ in found.corrections)}."
    return f"{n} for {words}" if count else f"No results for {words}"
