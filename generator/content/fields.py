"""The front-matter fields of a resource: one definition each, used by the checks, `tie new`, the docs and the editor."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.kinds import KINDS
from model import vocabulary as v


@dataclass(frozen=True)
class Field:
    """One front-matter field.

    `type` is one of: text, longtext, date, terms, term, council, email, url, bool, contact,
    statements, addresses. `required_for` lists the kinds that must have it ("*" for every
    kind); `kinds` lists the kinds that may have it ("*" for every kind).
    """

    name: str
    type: str
    description: str
    example: object
    required_for: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ("*",)
    vocabulary: v.Vocabulary | None = None
    max_length: int | None = None

    def required(self, kind: str) -> bool:
        return "*" in self.required_for or kind in self.required_for

    def allowed(self, kind: str) -> bool:
        return "*" in self.kinds or kind in self.kinds


ALL_KINDS = ("*",)

FIELDS: tuple[Field, ...] = (
    Field(
        "title",
        "text",
        "The resource's name as a council officer would search for it. Plain text, no Markdown.",
        "Redesigning the front door to adult social care",
        required_for=ALL_KINDS,
        max_length=120,
    ),
    Field(
        "summary",
        "longtext",
        "One or two sentences saying what the resource is and who it helps. Shown in lists and search results.",
        "How a county council cut waiting times by answering more enquiries at first contact.",
        required_for=ALL_KINDS,
        max_length=400,
    ),
    Field(
        "themes",
        "terms",
        "The focus themes this resource helps with (at least one).",
        ["capacity-to-deliver"],
        required_for=ALL_KINDS,
        vocabulary=v.THEMES,
    ),
    Field(
        "ambition_routes",
        "terms",
        "The routes to change this resource supports, if any.",
        ["process-redesign"],
        vocabulary=v.ROUTES,
    ),
    Field(
        "council_types",
        "terms",
        "The types of council this is for: the self-assessment suggests it to no other type. Leave out if it suits every type.",
        ["county", "unitary"],
        vocabulary=v.COUNCIL_TYPES,
    ),
    Field(
        "nations",
        "terms",
        "The nations this applies to, where law or funding differs: the self-assessment suggests it to councils in no other nation. Leave out if it applies across the UK.",
        ["england"],
        vocabulary=v.NATIONS,
    ),
    Field(
        "regions",
        "terms",
        "The regions this is about, if it is specific to some: the self-assessment suggests it to councils in no other region. Leave out otherwise.",
        ["north-west"],
        vocabulary=v.REGIONS,
    ),
    Field(
        "council",
        "council",
        "The council this is about or from, by its code in the council register (for example ABE for "
        "Aberdeen City Council). Required for case studies.",
        "ABE",
        required_for=("case-study",),
    ),
    Field(
        "example",
        "bool",
        "true when the case study is an illustrative example rather than a council's own account; "
        "the page then shows a banner saying so. Required for case studies.",
        True,
        required_for=("case-study",),
        kinds=("case-study",),
    ),
    Field(
        "statements",
        "statements",
        "Self-assessment statement ids this resource helps a council improve on; used to suggest next steps.",
        ["FIN-03"],
    ),
    Field(
        "stages",
        "terms",
        "The stages of adoption this resource suits best (a council at 'plans' needs different help from one at 'reviews').",
        ["understands", "plans"],
        vocabulary=v.STAGES,
    ),
    Field(
        "provider",
        "text",
        "Who runs or provides it: the organisation offering the support or training.",
        "Local Government Association",
        kinds=("support", "training", "data", "tool"),
        max_length=120,
    ),
    Field(
        "duration",
        "text",
        "How long it takes, in plain words.",
        "Half a day",
        kinds=("training", "support"),
        max_length=60,
    ),
    Field(
        "link",
        "url",
        "An https address for the source, download or application, when it lives elsewhere.",
        "https://www.gov.uk/government/statistics",
        max_length=300,
    ),
    Field(
        "published",
        "date",
        "The date it was first published here, as YYYY-MM-DD.",
        "2026-11-27",
        required_for=ALL_KINDS,
    ),
    Field(
        "updated",
        "date",
        "The date of the last substantial change, as YYYY-MM-DD. Leave out until there is one.",
        "2026-12-01",
    ),
    Field(
        "review_by",
        "date",
        "The date by which an editor should check it is still right, as YYYY-MM-DD. After it, the page shows a notice.",
        "2027-11-27",
        required_for=ALL_KINDS,
    ),
    Field(
        "contact",
        "contact",
        "Who to ask about it: a name (a team is fine) and a work email address.",
        {"name": "Transformation team", "email": "transformation@example.gov.uk"},
        required_for=ALL_KINDS,
    ),
    Field(
        "licence",
        "term",
        "The licence others may reuse it under.",
        "OGL-UK-3.0",
        required_for=ALL_KINDS,
        vocabulary=v.LICENCES,
    ),
    Field(
        "draft",
        "bool",
        "true while it is not ready: it is checked but not published.",
        False,
    ),
    Field(
        "redirect_from",
        "addresses",
        "Addresses this page used to have, so that old links still work after a move (for example /guidance/old-name/).",
        ["/guidance/old-name/"],
    ),
)

BY_NAME = {f.name: f for f in FIELDS}
CONTACT_FIELDS = {"name": "Who to ask: a person or a team.", "email": "A work email address."}


def fields_for(kind: str) -> tuple[Field, ...]:
    """The fields a resource of this kind may have, in documentation order."""
    return tuple(f for f in FIELDS if f.allowed(kind))


assert {k for f in FIELDS for k in f.kinds + f.required_for} <= {"*", *(k.id for k in KINDS)}
