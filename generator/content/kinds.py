"""The kinds of resource in the library, registered in one table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """A kind of resource: its id, the folder under content/ and how it is named on the site."""

    id: str
    folder: str
    label: str
    plural: str
    description: str


KINDS: tuple[Kind, ...] = (
    Kind(
        "case-study",
        "case-studies",
        "Case study",
        "Case studies",
        "What a council did, what happened and what it learned, told so that another council can use it.",
    ),
    Kind(
        "guidance",
        "guidance",
        "Guidance",
        "Guidance",
        "Practical, step-by-step advice on doing something well.",
    ),
    Kind(
        "tool",
        "tools",
        "Tool",
        "Tools and templates",
        "Templates, checklists and frameworks to use straight away.",
    ),
    Kind(
        "training",
        "training",
        "Training",
        "Training",
        "Course and workshop outlines that a council can run for its own people.",
    ),
    Kind(
        "data",
        "data",
        "Performance data",
        "Performance data",
        "Measures, sources and how to use them to understand performance and compare with others.",
    ),
    Kind(
        "support",
        "support",
        "Support offer",
        "Support offers",
        "Peer challenges, adviser programmes and other support a council can ask for.",
    ),
)

BY_ID = {k.id: k for k in KINDS}
BY_FOLDER = {k.folder: k for k in KINDS}
