"""The shared vocabulary: themes, ambition routes, council types, nations and regions, defined once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One value of a controlled vocabulary: a stable id, a label and what it means."""

    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Vocabulary:
    """A named list of terms, looked up by id."""

    name: str
    terms: tuple[Term, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.terms)

    def __contains__(self, term_id: object) -> bool:
        return term_id in self.ids

    def get(self, term_id: str) -> Term:
        for term in self.terms:
            if term.id == term_id:
                return term
        raise KeyError(term_id)

    def label(self, term_id: str) -> str:
        return self.get(term_id).label


THEMES = Vocabulary(
    "theme",
    (
        Term(
            "place-and-priorities",
            "Understanding of local place and priority setting",
            "Knowing the area, its people and its needs, and turning that into clear, shared priorities.",
        ),
        Term(
            "leadership-of-place",
            "Leadership of place",
            "Leading with partners, communities and businesses to shape the area beyond the council's own services.",
        ),
        Term(
            "financial-planning",
            "Financial planning and viability",
            "A balanced, realistic medium-term financial plan that funds the priorities and stays sustainable.",
        ),
        Term(
            "governance",
            "Organisational leadership and governance",
            "Clear roles, sound decision-making, scrutiny, risk management and a healthy culture.",
        ),
        Term(
            "capacity-to-deliver",
            "Capacity to deliver",
            "The people, skills, data, technology and programme discipline to deliver change.",
        ),
    ),
)

ROUTES = Vocabulary(
    "ambition route",
    (
        Term(
            "process-redesign",
            "Process redesign",
            "Taking waste out of how work flows: fewer hand-offs, less failure demand, automation where it helps.",
        ),
        Term(
            "customer-centric-design",
            "Customer-centric design",
            "Designing services around the people who use them, from their first contact to the outcome they need.",
        ),
        Term(
            "commercialisation",
            "Commercialisation",
            "Generating income and value: trading, charging, investment and smarter contracts.",
        ),
        Term(
            "community-focus-and-prevention",
            "Community focus and prevention",
            "Working with communities to prevent need arising, and investing early to reduce demand later.",
        ),
    ),
)

# Council types as councils themselves use the words; the register's finer codes map onto
# them in model.register (Scottish and Welsh unitaries are unitary councils; the nation
# says where they are).
COUNCIL_TYPES = Vocabulary(
    "council type",
    (
        Term("county", "County council", "Upper-tier council in a two-tier area of England."),
        Term("district", "District council", "Lower-tier council in a two-tier area of England."),
        Term("unitary", "Unitary council", "A single-tier council, including every council in Scotland and Wales."),
        Term("metropolitan", "Metropolitan borough", "A single-tier council in one of England's metropolitan counties."),
        Term("london-borough", "London borough", "A London borough council, or the City of London Corporation."),
        Term("ni-district", "Northern Ireland district council", "One of the eleven district councils of Northern Ireland."),
    ),
)

# What a council does, as the register's `powers` column says: the tier decides whose services are
# alike, so nearest neighbours are found within a tier (model/similar.py).
TIERS = Vocabulary(
    "tier",
    (
        Term("upper", "Upper tier", "A county council, sharing its area with district councils."),
        Term("lower", "Lower tier", "A district council, sharing its area with a county council."),
        Term("single", "Single tier", "A council with every local government power in its area: unitaries, metropolitan and London boroughs."),
        Term("ni-district", "Northern Ireland district", "A district council of Northern Ireland, with fewer powers than councils in Britain."),
    ),
)

NATIONS = Vocabulary(
    "nation",
    (
        Term("england", "England", "Councils in England."),
        Term("scotland", "Scotland", "Councils in Scotland."),
        Term("wales", "Wales", "Councils in Wales."),
        Term("northern-ireland", "Northern Ireland", "Councils in Northern Ireland."),
    ),
)

# English regions, and the other nations standing as their own region (as the register does).
REGIONS = Vocabulary(
    "region",
    (
        Term("north-east", "North East", "North East England."),
        Term("north-west", "North West", "North West England."),
        Term("yorkshire-and-the-humber", "Yorkshire and The Humber", "Yorkshire and The Humber."),
        Term("east-midlands", "East Midlands", "East Midlands."),
        Term("west-midlands", "West Midlands", "West Midlands."),
        Term("east-of-england", "East of England", "East of England."),
        Term("london", "London", "London."),
        Term("south-east", "South East", "South East England."),
        Term("south-west", "South West", "South West England."),
        Term("scotland", "Scotland", "Scotland."),
        Term("wales", "Wales", "Wales."),
        Term("northern-ireland", "Northern Ireland", "Northern Ireland."),
    ),
)

# The stages of adoption used by the self-assessment, in order. "Don't know" is an answer
# but not a stage: it has no position on the scale.
STAGES = Vocabulary(
    "stage",
    (
        Term("not-yet", "Not yet", "We have not started on this."),
        Term("understands", "Understands", "We understand what this means for us and why it matters."),
        Term("plans", "Plans", "We have an agreed plan to do this."),
        Term("does", "Does", "We do this, consistently."),
        Term("reviews", "Reviews", "We do this, review how well it works and improve it."),
    ),
)
DONT_KNOW = Term("dont-know", "Don't know", "I don't know where we are on this.")

LICENCES = Vocabulary(
    "licence",
    (
        Term("OGL-UK-3.0", "Open Government Licence v3.0", "Free to reuse with attribution."),
        Term("CC-BY-4.0", "Creative Commons Attribution 4.0", "Free to reuse with attribution."),
        Term("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0", "Reuse with attribution; share alike."),
        Term("CC0-1.0", "Creative Commons Zero", "No rights reserved."),
    ),
)

ALL = {v.name: v for v in (THEMES, ROUTES, COUNCIL_TYPES, TIERS, NATIONS, REGIONS, STAGES, LICENCES)}

# The seven themes of the Best Value standards in "Best value standards and intervention: a
# statutory guide for best value authorities" (DLUHC, May 2024). Each statement says where it fits.
BEST_VALUE = Vocabulary(
    "Best Value theme",
    (
        Term("continuous-improvement", "Continuous improvement", "Learning and improving, using data and insight."),
        Term("leadership", "Leadership", "Clear, ambitious, visible leadership by members and officers."),
        Term("governance", "Governance", "Sound decision-making, scrutiny, risk management and accountability."),
        Term("culture", "Culture", "An open, respectful culture where challenge is welcome."),
        Term("use-of-resources", "Use of resources", "Sustainable finances and good use of assets, people and money."),
        Term("service-delivery", "Service delivery", "Services that meet need and perform well."),
        Term("partnerships-and-community-engagement", "Partnerships and community engagement", "Working with partners and communities."),
    ),
)
ALL[BEST_VALUE.name] = BEST_VALUE

# What a respondent may say they are, so that officers' and councillors' views can be set side by side.
RESPONDENT_ROLES = Vocabulary(
    "respondent role",
    (
        Term("officer", "Officer", "An employee of the council."),
        Term("councillor", "Councillor", "An elected member of the council."),
    ),
)
