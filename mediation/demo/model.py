"""The demo's plain types: who acts in the histories, and what a run reports."""

from __future__ import annotations

from dataclasses import dataclass

from mediation.permissions import Actor


@dataclass(frozen=True)
class DemoStaff:
    """Who acts in the generated histories: officers accept and close, volunteers do casework."""

    officers: tuple[Actor, ...]
    volunteers: tuple[Actor, ...]


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    consultations: int
    parties: int
    """Distinct parties stored (landlords and shops come back in several cases)."""
    by_stage: dict[str, int]
    by_track: dict[str, int]
    """Track per case; "" for cases whose track is not decided yet (or never was)."""
    mode: str
    """services | bulk."""
    seconds: float
    audit_rows: int
    first_case_id: int | None = None
    last_case_id: int | None = None
