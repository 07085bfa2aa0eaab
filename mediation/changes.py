"""What an operation changed, so that every window refreshes only when concerned.

Services return their result; the desktop's operations turn it into :class:`Changes`
and broadcast them (``AppContext.operation_did_execute``), as Anki's ``OpChanges``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """What an operation changed."""

    case_ids: frozenset[int] = field(default_factory=frozenset)
    cases_list: bool = False
    """The case list may need reloading (a case was added, its stage or number changed)."""
    consultations: bool = False
    users: bool = False
    settings: bool = False
    roster: bool = False
    """Terms, volunteers, shifts, hours, handovers or certificates changed."""

    def __or__(self, other: Changes) -> Changes:
        return Changes(case_ids=self.case_ids | other.case_ids,
                       cases_list=self.cases_list or other.cases_list,
                       consultations=self.consultations or other.consultations,
                       users=self.users or other.users, settings=self.settings or other.settings,
                       roster=self.roster or other.roster)

    @property
    def empty(self) -> bool:
        return self == Changes()
