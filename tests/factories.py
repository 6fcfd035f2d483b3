"""What tests build their cases from: the example content, settings, people in councils, rounds with answers,
the consensus, the form token, the example questionnaire, axe-core's findings. Fixtures (tests/conftest.py) give these per test;
tests import the plain helpers from here."""

from __future__ import annotations

import csv
import json
import os
import secrets
import socket
import sys
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from functions.settings import ROOT, Settings

EXAMPLES = Path(__file__).parent / "examples"
COUNCILS = str((ROOT / ".." / "shared" / "data" / "uk-councils" / "datapackage.json").resolve())
PG_ADMIN_URL = os.environ.get("TIE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_settings(tmp: Path, **changes) -> Settings:
    """Settings for a test: the example content and questionnaire, a private data folder."""
    values = dict(
        root=ROOT,
        database_url=f"sqlite:///{tmp / 'data' / 'test.sqlite3'}",
        councils=COUNCILS,
        site_url="https://testserver",
        port=8000,
        secret_key="test-secret-" + secrets.token_hex(8),
        data_dir=tmp / "data",
        site_dir=tmp / "site",
        build_dir=tmp / "build",
        content_dir=EXAMPLES / "content",
        questionnaire_dir=EXAMPLES / "questionnaire",
        echo_mail=False,
    )
    values.update(changes)
    return Settings(**values)


@lru_cache(maxsize=1)
def copy_register(tmp_path: Path, edit_councils=None, edit_deprivation=None, drop_column: str | None = None) -> str:
    """A copy of the council register in tmp_path, its rows changed by the edit functions (row -> row), a column
    dropped; returns the copy's datapackage.json, for `TIE_COUNCILS` or `register.load`."""
    target = tmp_path / "register"
    target.mkdir()
    source = Path(COUNCILS).parent
    descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    for name, edit in (("councils", edit_councils), ("deprivation", edit_deprivation)):
        with (source / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        fields = list(rows[0])
        if drop_column and drop_column in fields:
            fields.remove(drop_column)
            resource = next(r for r in descriptor["resources"] if r["name"] == name)
            resource["schema"]["fields"] = [x for x in resource["schema"]["fields"] if x["name"] != drop_column]
        rows = [edit(dict(r)) if edit else r for r in rows]
        with (target / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    (target / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return str(target / "datapackage.json")


def example_edition():
    """The example questionnaire's 2026 edition, read and checked once."""
    from model.questionnaire import load_all

    editions, problems = load_all(EXAMPLES / "questionnaire")
    assert not problems, [str(p) for p in problems]
    return editions["2026"]


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
            "resultTypes": ["violations"],  # what passed is only counted, not described: several times faster on a long page
        },
    )
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "nodes": [n.get("target") for n in v.get("nodes", [])][:5],
            "help": v.get("help"),
        }
        for v in result.response["violations"]
    ]


@dataclass
class PeopleFactory:
    """Makes people, puts them in councils and signs them in, straight through the store."""

    app: object

    def add(self, email: str, council: str | None = None, role: str = "member", operator: bool = False):
        from functions.councils import memberships
        from functions.people import store as people

        store, now = self.app.state.store, self.app.state.clock.now()
        with store.transaction() as tx:
            person, _ = people.find_or_create(tx, email, now)
            if operator:
                people.set_operator(tx, person.id, True)
            if council:
                memberships.add(tx, person.id, council, role, "operator", now)
            return people.by_id(tx, person.id)

    def join(self, person, council: str, role: str = "member") -> None:
        from functions.councils import memberships

        with self.app.state.store.transaction() as tx:
            memberships.add(tx, person.id, council, role, "invitation", self.app.state.clock.now())

    def session(self, person, second_factor: bool = False) -> str:
        """A new session for the person; returns the cookie's value."""
        from functions.people import sessions

        state = self.app.state
        with state.store.transaction() as tx:
            token, session = sessions.create(tx, state.settings.secret_key, person.id, state.clock.now())
            if second_factor:
                sessions.mark_second_factor(tx, session.id, state.clock.now())
        return token

    def sign_in(self, client, person, second_factor: bool = False) -> str:
        """Sign the test client in as the person (replacing any session cookie it had)."""
        from functions.web.security import SESSION_COOKIE

        token = self.session(person, second_factor)
        client.cookies.set(
            SESSION_COOKIE, token, domain="testserver.local", path="/"
        )  # where httpx keeps the cookies of a dotless host
        return token


def form_token(client) -> str:
    """The form token for the test client, fetching a page to get one if it has none yet."""
    from functions.web.security import CSRF_COOKIE

    token = client.cookies.get(CSRF_COOKIE)
    if not token:
        client.get("/app/sign-in")
        token = client.cookies.get(CSRF_COOKIE)
    assert token, "the app did not set a form token cookie"
    return token


# Councils with people, rounds with answers, and consensus: the set-ups tests of the assessment, the consensus
# and the results share. Each works in the caller's transaction (`with app.state.store.transaction() as tx:`),
# straight through the same functions the app uses, so what they make is what the app would have made.


def council_people(people: PeopleFactory, council: str, domain: str, members=("ada", "bob", "cat"), super_user="sue"):
    """A council's super-user and members, each `name@domain`: (the super-user, {name: member})."""
    su = people.add(f"{super_user}@{domain}", council=council, role="super-user")
    return su, {name: people.add(f"{name}@{domain}", council=council) for name in members}


def name_person(tx, person, name: str) -> None:
    """Give the person a display name (people choose theirs on the account page)."""
    tx.execute("UPDATE people SET name = ? WHERE id = ?", (name, person.id))


def open_round(tx, council: str, at: int, opened_by=None, edition: str = "2026"):
    """A round of the council's self-assessment, open (opened by a person, or None for the operator)."""
    from functions.assessment import rounds

    return rounds.open_round(tx, council, edition, opened_by.id if opened_by else None, at)


def answers(spec: dict) -> dict:
    """Answers from {statement: (current, ambition, comment)}."""
    from functions.assessment.responses import Answer

    return {sid: Answer(sid, current, ambition, comment) for sid, (current, ambition, comment) in spec.items()}


def same_answers(statements, current: str, ambition: str = "reviews", comment: str = "") -> dict:
    """The same answer to every one of `statements`."""
    return answers({sid: (current, ambition, comment) for sid in statements})


def answer(tx, round_id: str, person, given: dict, at: int, role: str | None = None, routes=(), submit: bool = True) -> None:
    """The person's whole response to the round, submitted unless told otherwise, as a first save."""
    from functions.assessment import responses

    responses.save(
        tx, round_id, person.id, based_on=0, respondent_role=role, routes=tuple(routes), answers=given, submit=submit, at=at
    )


def draft_consensus(tx, round_id: str, sid: str, current: str, ambition: str, at: int, rationale: str = "", person=None) -> None:
    """The super-user's first draft of the consensus on one statement."""
    from functions.consensus import store as consensus

    person_id = person.id if person else None
    consensus.save_draft(
        tx, round_id, sid, current=current, ambition=ambition, rationale=rationale, based_on=0, person_id=person_id, at=at
    )


def publish_consensus(
    tx, r, edition, at: int, agreed: dict | None = None, council_type="unitary", sharing="council", routes=("community-focus-and-prevention",)
) -> None:
    """Publish the round's consensus: first drafted from `agreed` ({statement: (current, ambition, rationale)})
    with `routes`, or, with no `agreed`, the drafts as they are (publishing again, with another sharing choice)."""
    from functions.consensus import store as consensus

    if agreed is not None:
        for sid, (current, ambition, rationale) in agreed.items():
            draft_consensus(tx, r.id, sid, current, ambition, at, rationale)
        consensus.save_routes(tx, r.id, routes, based_on=0, person_id=None, at=at)
    seen = consensus.fingerprint(consensus.drafts(tx, r.id), consensus.routes_draft(tx, r.id))
    consensus.publish(tx, r, edition, council_type, sharing=sharing, seen=seen, person_id=None, at=at)


FAST = os.environ.get("TIE_TEST_TIER") == "fast"  # `make test-fast`: the quick tier


def examples(n: int) -> int:
    """How many cases a property test tries: `n` in the full run, a tenth (at least 20) in the quick tier."""
    return max(20, n // 10) if FAST else n


TIE = Path(sys.executable).parent / "tie"  # the `tie` command of this environment


def run_live(app, port: int):
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the app did not start"
    return server, thread


# What the boundary and target check looks at: every control a person types into or chooses with.
CONTROL_CHECK = """() => {
  const parse = text => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = el => {  // the colour around the control: its ancestors' backgrounds, composited
    const layers = [];
    for (let n = el.parentElement; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    return layers.reverse().reduce((below, c) => over(c, below), {r: 255, g: 255, b: 255, a: 1});
  };
  const show = c => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
  const name = el => el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}[name=${el.name}]`;
  const problems = [];
  const selector = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), textarea, select';
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!el.getClientRects().length || style.visibility === 'hidden' || el.closest('[aria-hidden="true"]') || box.right < 0) continue;
    const outside = behind(el);
    const own = over(parse(style.backgroundColor) || {r: 0, g: 0, b: 0, a: 0}, outside);
    const sides = ['top', 'right', 'bottom', 'left'].map(side => {
      const width = parseFloat(style.getPropertyValue(`border-${side}-width`));
      const line = style.getPropertyValue(`border-${side}-style`);
      const colour = over(parse(style.getPropertyValue(`border-${side}-color`)), outside);
      return width >= 1 && line !== 'none' && line !== 'hidden' ? ratio(colour, outside) : 0;
    });
    const border = Math.min(...sides);
    const fill = ratio(own, outside);
    if (border < 3 && fill < 3) {
      problems.push(`${name(el)}: boundary ${border.toFixed(2)}:1 (border ${style.borderTopWidth} ${style.borderTopColor}, `
        + `fill ${show(own)}) against ${show(outside)}; expected at least 3:1`);
    }
    if (box.width < 23.5 || box.height < 23.5) {
      problems.push(`${name(el)}: target ${box.width.toFixed(1)} by ${box.height.toFixed(1)} CSS px; expected at least 24 by 24`);
    }
  }
  return problems;
}"""


def control_problems(page) -> list[str]:
    """Every visible form control (text box, textarea, select, radio, checkbox) whose boundary has less than 3:1
    contrast against what surrounds it (WCAG 2.2 1.4.11), or whose target is under 24 by 24 CSS px (2.5.8),
    computed from the styles Chromium applies. A native radio or checkbox, drawn by the browser and not by
    the page's styles, has no computed boundary, so it counts as having none."""
    return page.evaluate(CONTROL_CHECK)
