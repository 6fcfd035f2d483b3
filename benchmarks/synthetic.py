"""A synthetic library of any size, written as real content files that pass `tie check`.

Resource i depends only on (seed, i), so the first 100 resources of a 5,000-resource library
are the same files as a 100-resource library: page sizes at different sizes compare like
with like. Every kind appears in turn; themes, routes, council types, nations, regions,
statements and stages are drawn from the shared vocabulary and the questionnaire; case
studies name a council by its register code; bodies run to a few hundred words with
headings, a numbered list, a table, an admonition and links to earlier resources.

The words follow a Zipf-like curve over a local-government vocabulary plus a long tail of
made-up names (projects, places, systems), so the vocabulary grows with the library as real
text does and the search index is not flattered by a small, repetitive word list.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

from generator.content.kinds import KINDS, Kind
from model import vocabulary as v

DOMAIN_WORDS = """
the and of to a in for we our with that this is was on by as it at from
council residents services budget plan priority priorities team officers members councillors
community communities place partners partnership health care adult social children housing
homelessness waste planning transport roads libraries leisure customer contact digital data
insight evidence performance outcome outcomes measure measures target targets cost costs saving
savings reserves finance financial medium term strategy review audit risk risks governance
scrutiny committee cabinet leader chief executive director manager staff workforce skills
training learning culture change transformation improvement improve improving redesign process
processes demand prevention early help support offer peer challenge adviser programme project
projects pilot trial evaluation lessons learned what worked did not work next steps year years
month months week weeks local area areas ward wards neighbourhood neighbourhoods town city county
district borough unitary region regional national government funding grant grants income charges
commercial trading company contract contracts procurement supplier suppliers market value money
quality standard standards policy policies decision decisions report reports meeting meetings
consultation engagement survey surveys complaints feedback voice voluntary sector charity faith
groups business businesses economy jobs growth investment assets property buildings estate
carbon climate energy travel access accessible inclusion equality equalities fairness deprivation
poverty cost-of-living debt collection council-tax business-rates benefits welfare payments
system systems software technology online website forms phone calls enquiries first time resolved
waiting times backlog caseload cases assessment assessments reviews visits referrals referral
safeguarding schools education skills apprenticeships youth older people families carers
volunteers mental wellbeing public health integrated commissioning joint board boards officer
into across within through about between before after during while because
so which where when how why who they their these those each every most more
less fewer many some all both first second third new old clear simple practical shared agreed
regular monthly quarterly annual weekly small large short long better faster cheaper safer
started began asked found saw set built tested changed moved reduced increased cut saved spent
used made took gave kept brought showed helped worked met agreed published shared listened
""".split()
SYLLABLES = "ab al an ar ba be bri ca cor da del den el en fa fen gar ha hol in ka ken la ley lin ma mar mer na nor ol pen por ra ri ros sa sel ston ta ter tor va ver wa wick win".split()
TAIL_SHARE = 0.12  # share of words taken from the long tail of rare, made-up names
ZIPF = 1.05

TITLE_VERBS = [
    "Redesigning",
    "Improving",
    "Running",
    "Reviewing",
    "Planning",
    "Measuring",
    "Funding",
    "Sharing",
    "Starting",
    "Scaling",
]
TITLE_OBJECTS = [
    "the front door", "adult social care assessments", "waste collection rounds", "budget consultation",
    "the reserves policy", "housing repairs", "customer contact", "scrutiny of major projects",
    "the medium-term financial plan", "early help for families", "leisure centre contracts",
    "homelessness prevention", "the corporate plan", "council tax collection", "the capital programme",
    "digital forms", "a peer challenge", "member development", "the local plan", "partnership boards",
]  # fmt: skip
TITLE_TAILS = [
    "with residents",
    "across a two-tier area",
    "on a tight budget",
    "in rural areas",
    "with partners",
    "in the first year",
    "at scale",
    "step by step",
]
CASE_SECTIONS = ["The challenge", "What we did", "What happened", "What we learned"]
OTHER_SECTIONS = ["Why it matters", "What to do", "What it costs", "Getting started"]
PROVIDERS = ["Local Government Association", "Regional improvement partnership", "Peer support network", "Example provider"]
DURATIONS = ["Half a day", "One day", "Two days", "Four days on site", "Six weeks, part time"]
LICENCES = [t.id for t in v.LICENCES.terms]


@dataclass(frozen=True)
class Inputs:
    """What synthetic resources may refer to: council codes in the register and questionnaire statement ids."""

    councils: tuple[str, ...]
    statements: tuple[str, ...]


def inputs(councils: str, questionnaire_dir: Path) -> Inputs:
    """Read the register's codes and the questionnaire's statement ids, as `tie check` will."""
    from model import questionnaire, register

    reg = register.load(councils)
    editions, problems = questionnaire.load_all(questionnaire_dir)
    if problems or not editions:
        raise ValueError(f"{questionnaire_dir}: expected a valid questionnaire, got {len(problems)} problem(s)")
    statements = sorted({s.id for e in editions.values() for s in e.statements})
    return Inputs(tuple(sorted(reg.councils)), tuple(statements))


def _weights() -> tuple[list[str], list[float]]:
    words = list(dict.fromkeys(DOMAIN_WORDS))  # common words first, as in any English text
    return words, [1 / (rank + 1) ** ZIPF for rank in range(len(words))]


WORDS, WEIGHTS = _weights()


def words(rng: random.Random, count: int) -> list[str]:
    """`count` words: Zipf-weighted over the domain list, with a share from a long tail of made-up names."""
    chosen = rng.choices(WORDS, WEIGHTS, k=count)
    for i in range(count):
        if rng.random() < TAIL_SHARE:
            chosen[i] = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return chosen


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    text = " ".join(words(rng, rng.randint(low, high)))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))


@dataclass(frozen=True)
class Meta:
    """What other resources need to know about resource i: where it lives and what it is called."""

    kind: Kind
    slug: str
    title: str

    @property
    def rel(self) -> str:
        return f"{self.kind.folder}/{self.slug}.md"


def meta(i: int, seed: int = 0) -> Meta:
    rng = random.Random(f"{seed}:{i}:meta")
    kind = KINDS[i % len(KINDS)]
    title = f"{rng.choice(TITLE_VERBS)} {rng.choice(TITLE_OBJECTS)} {rng.choice(TITLE_TAILS)}"
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + f"-{i}"
    return Meta(kind, slug, title)


def _link(rng: random.Random, i: int, seed: int) -> str:
    other = meta(rng.randrange(i), seed)
    return f"[{other.title}](../{other.rel})"


def body(i: int, m: Meta, rng: random.Random, seed: int) -> str:
    sections = CASE_SECTIONS if m.kind.id == "case-study" else OTHER_SECTIONS
    out = [paragraph(rng), ""]
    for n, heading in enumerate(sections):
        out += [f"## {heading}", "", paragraph(rng), ""]
        if n == 1:
            out += [f"{k}. {sentence(rng, 6, 12)}" for k in range(1, rng.randint(4, 6) + 1)] + [""]
        if n == 2:
            out += ["| Step | Who | Effort |", "|---|---|---|"]
            out += [
                f"| {sentence(rng, 2, 4)} | {rng.choice(['Finance', 'Policy', 'Service lead', 'Members'])} | {rng.randint(1, 20)} days |"
                for _ in range(rng.randint(3, 4))
            ]
            out += [""]
    if rng.random() < 0.5:
        out += ['!!! tip "What made the difference"', "    " + sentence(rng), ""]
    if i:
        links = ", ".join(_link(rng, i, seed) for _ in range(rng.randint(1, 3)))
        out += [
            "## See also",
            "",
            f"- {links}",
            "- [The government's guidance](https://www.gov.uk/government/organisations/ministry-of-housing-communities-local-government)",
            "",
        ]
    return "\n".join(out)


def resource(i: int, inputs: Inputs, seed: int = 0) -> tuple[str, str]:
    """Resource i as (path under content/, file text)."""
    m = meta(i, seed)
    rng = random.Random(f"{seed}:{i}:body")
    published = dt.date(2021, 1, 1) + dt.timedelta(days=(i * 37) % 2000)
    fm = [
        "---",
        f"title: {m.title}",
        f"summary: {sentence(rng, 14, 30)}",
        f"themes: [{', '.join(rng.sample(v.THEMES.ids, rng.randint(1, 2)))}]",
    ]
    routes = rng.sample(v.ROUTES.ids, rng.randint(0, 2))
    if routes:
        fm.append(f"ambition_routes: [{', '.join(routes)}]")
    if m.kind.id == "case-study":
        fm += [f"council: {rng.choice(inputs.councils)}", "example: true"]
    elif rng.random() < 0.3:
        fm.append(f"council_types: [{', '.join(rng.sample(v.COUNCIL_TYPES.ids, rng.randint(1, 2)))}]")
    if m.kind.id != "case-study" and rng.random() < 0.2:
        nation = rng.choice(v.NATIONS.ids)
        fm.append(f"nations: [{nation}]")
        if nation == "england" and rng.random() < 0.5:
            fm.append(f"regions: [{rng.choice(['north-west', 'london', 'south-west', 'east-midlands'])}]")
    if inputs.statements and rng.random() < 0.7:
        fm.append(f"statements: [{', '.join(rng.sample(inputs.statements, rng.randint(1, 3)))}]")
        fm.append(f"stages: [{', '.join(rng.sample(v.STAGES.ids, 2))}]")
    if m.kind.id in ("support", "training", "data", "tool"):
        fm.append(f"provider: {rng.choice(PROVIDERS)}")
    if m.kind.id in ("support", "training"):
        fm.append(f"duration: {rng.choice(DURATIONS)}")
    if m.kind.id == "data":
        fm.append("link: https://www.gov.uk/government/statistics")
    fm += [
        f"published: {published.isoformat()}",
        f"review_by: {published.replace(year=published.year + 8).isoformat()}",
        "contact:",
        "  name: Improvement team",
        f"  email: improvement{i % 50}@example.gov.uk",
        f"licence: {rng.choice(LICENCES)}",
        "---",
    ]
    return m.rel, "\n".join(fm) + "\n" + body(i, m, rng, seed)


def write_library(content: Path, n: int, inputs: Inputs, seed: int = 0) -> list[str]:
    """Write resources 0..n-1 under `content` (one folder per kind). Returns their paths under content/."""
    for kind in KINDS:
        (content / kind.folder).mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n):
        rel, text = resource(i, inputs, seed)
        (content / rel).write_text(text, encoding="utf-8")
        written.append(rel)
    return written
