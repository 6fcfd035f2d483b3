"""The round a consensus or results page is about: the round, its council and its questionnaire edition, or 404."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request

from functions.assessment import rounds
from functions.guards import NOT_FOUND
from functions.store import Tx
from model.questionnaire import Edition
from model.register import Council


@dataclass(frozen=True)
class RoundContext:
    council: Council
    round: rounds.Round
    edition: Edition

    @property
    def council_type(self) -> str | None:
        return self.council.type

    @property
    def base(self) -> str:
        """The address every page of this round starts with."""
        return f"/app/councils/{self.council.code}/rounds/{self.round.id}"

    @property
    def title(self) -> str:
        return f"{self.council.name}, {self.round.year}"


def load(tx: Tx, request: Request, code: str, round_id: str) -> RoundContext:
    """The round of council `code` with this id. 404 for an unknown council, another council's round, or an unknown edition."""
    council = request.app.state.register.get(code)
    found = rounds.get(tx, code, round_id) if council else None
    edition = request.app.state.editions.get(found.edition) if found else None
    if council is None or found is None or edition is None:
        raise HTTPException(404, NOT_FOUND)
    return RoundContext(council, found, edition)
