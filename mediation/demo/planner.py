"""Every case planned as a timeline of steps from registration on, cut at "now"."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mediation import workflow
from mediation.demo.clock import OfficeClock
from mediation.demo.people import UNIVERSITIES, People, Person, Weighted, between, pick
from mediation.demo.scenarios import CONSULT_TOPICS, SCENARIOS, SOURCES, Dispute, ebike


@dataclass(slots=True)
class Step:
    at: int
    """UTC, seconds since the epoch (planning works on plain integers: it is much faster)."""
    action: str
    """register | track | assign | accept | investigation | session | agreement | sign |
    follow_up | close | archive | decline | refer | withdraw | terminate."""
    data: dict[str, Any] | None = None


@dataclass(slots=True)
class Consult:
    at: int
    person: Person
    topic: str
    category: str
    question: str
    answer: str
    minutes: int
    consultation_id: int | None = None


@dataclass(slots=True)
class Plan:
    index: int
    dispute: Dispute
    source: str
    track: str | None
    mediator: int
    """Index into the officers (police mediation) or the volunteers (otherwise)."""
    mediator_is_officer: bool
    steps: list[Step]
    accept_at: int | None
    consultation: Consult | None = None
    """The consultation this case was converted from."""
    case_id: int | None = None


_OUTCOMES = Weighted((("success", 68), ("terminated", 11), ("declined", 5), ("referred_early", 6),
                       ("referred", 3), ("withdrawn_early", 3), ("withdrawn", 4)))


_FOLLOW_UP_STATUS = Weighted((("performed", 82), ("partly", 9), ("breached", 9)))


_DECLINE_REASONS = ("不属于人民调解受理范围", "纠纷已由人民法院受理", "一方当事人明确拒绝调解")


_TERMINATE_REASONS = ("双方分歧过大，经多次调解未能达成协议", "被申请人拒绝继续参加调解", "申请人要求通过诉讼解决")


def _timeline(rng: random.Random, clock: OfficeClock, d: Dispute, reg: int, track: str | None,
              outcome: str, force: frozenset[str]) -> list[Step]:
    """Every step of a case's life from registration on (cut at "now" by the caller).

    ``force`` names optional steps that must be there ("investigation", "archive").
    """
    steps = [Step(reg, "register")]
    if outcome == "declined":
        steps.append(Step(clock.later(reg, 0, 4), "decline", {"reason": pick(rng, _DECLINE_REASONS)}))
        return steps
    if outcome == "referred_early":
        steps.append(Step(clock.later(reg, 0, 3), "refer", {"to": d.refer_to, "reason": d.refer_reason}))
        return steps
    if outcome == "withdrawn_early":
        steps.append(Step(clock.later(reg, 0, 5), "withdraw", {"reason": "双方已自行和解，申请人撤回申请"}))
        return steps
    t = clock.later(reg, 0, 3)
    steps += [Step(t, "track"), Step(t + 180, "assign"), Step(t + 360, "accept")]
    t += 360
    if outcome == "referred":
        steps.append(Step(clock.later(t, 1, 6), "refer", {"to": d.refer_to, "reason": d.refer_reason}))
        return steps
    if outcome == "withdrawn":
        steps.append(Step(clock.later(t, 1, 10), "withdraw", {"reason": "申请人表示不再追究，撤回调解申请"}))
        return steps
    if "investigation" in force or rng.random() < 0.45:
        t = clock.later(t, 0, 2)
        steps.append(Step(t, "investigation"))
    police = track == workflow.POLICE
    if police:  # at most one more session after the first (DOMAIN §2)
        sessions = 1 if rng.random() < 0.7 else 2
    else:
        sessions = pick(rng, (1, 1, 2, 2, 3))
    for i in range(sessions):
        t = clock.later(t, 1 if i == 0 else 3, 3 if police else (6 if i == 0 else 10))
        if i < sessions - 1:
            result = "continued"
        else:
            result = "failed" if outcome == "terminated" else "agreed"
        steps.append(Step(t, "session", {"result": result}))
    if outcome == "terminated":
        t = clock.later(t, 0, 2)
        steps.append(Step(t, "terminate", {"reason": pick(rng, _TERMINATE_REASONS),
                                            "routes": f"可向{d.refer_to or '人民法院'}寻求解决"}))
        steps.append(Step(clock.later(t, 1, 5), "close"))
        return steps
    oral = rng.random() < 0.35
    deadline_day = clock.local_day(t) + between(rng, 3, 30)
    t += 1200
    steps.append(Step(t, "agreement", {"oral": oral, "deadline_day": deadline_day}))
    if not oral:
        t = clock.later(t, 0, 2)
        steps.append(Step(t, "sign"))
    status = _FOLLOW_UP_STATUS(rng)
    if status == "performed":
        t = clock.later(t, 1, 12)
    else:
        t = max(t, clock.office(deadline_day))
    t = clock.later(t, 0, 5)
    steps.append(Step(t, "follow_up", {"status": status}))
    if status == "partly":
        t = clock.later(t, 5, 20)
        steps.append(Step(t, "follow_up", {"status": "performed"}))
    t = clock.later(t, 0, 4)
    steps.append(Step(t, "close"))
    if "archive" in force or rng.random() < 0.8:
        steps.append(Step(clock.later(t, 10, 60), "archive"))
    return steps


# The stage a case is in when its history stops right after this step.
_STAGE_AFTER = {
    "register": workflow.REGISTERED, "track": workflow.REGISTERED, "assign": workflow.REGISTERED,
    "accept": workflow.ACCEPTED, "investigation": workflow.INVESTIGATING,
    "session": workflow.MEDIATING, "agreement": workflow.AGREED, "sign": workflow.AGREED,
    "follow_up": workflow.PERFORMING, "close": workflow.CLOSED, "archive": workflow.ARCHIVED,
    "decline": workflow.CLOSED, "refer": workflow.CLOSED, "withdraw": workflow.CLOSED,
    "terminate": workflow.TERMINATED,
}


# The first cases are placed so that every stage and track appears even in a tiny demo:
# (outcome, track, the stage the case must be in now).
_FORCED: tuple[tuple[str, str | None, str], ...] = (
    ("success", None, workflow.REGISTERED),
    ("success", workflow.PEOPLE, workflow.ACCEPTED),
    ("success", workflow.POLICE, workflow.MEDIATING),
    ("success", workflow.PEOPLE, workflow.AGREED),
    ("success", workflow.PEOPLE, workflow.PERFORMING),
    ("terminated", workflow.PEOPLE, workflow.TERMINATED),
    ("success", workflow.POLICE, workflow.CLOSED),
    ("success", workflow.PEOPLE, workflow.ARCHIVED),
    ("referred_early", workflow.REFER, workflow.CLOSED),
    ("declined", None, workflow.CLOSED),
    ("success", workflow.PEOPLE, workflow.INVESTIGATING),
)


_FORCE_ALL = frozenset({"investigation", "archive"})


_FORCE_NONE: frozenset[str] = frozenset()


def _cut(steps: list[Step], now: int) -> list[Step]:
    return [s for s in steps if s.at <= now]


def _shift_to_stage(steps: list[Step], stage: str, now: int) -> list[Step] | None:
    """The timeline moved in time so that the case is in ``stage`` now (cut at now)."""
    for i, s in enumerate(steps):
        if _STAGE_AFTER[s.action] != stage:
            continue
        gap = steps[i + 1].at - s.at if i + 1 < len(steps) else 7200
        delta = now - (s.at + min(gap // 2, 3600))
        days = delta // 86400
        shifted = []
        for x in steps:
            data = x.data
            if data is not None and "deadline_day" in data:
                data = {**data, "deadline_day": data["deadline_day"] + days}
            shifted.append(Step(x.at + delta, x.action, data))
        return _cut(shifted, now)
    return None


class Planner:
    """Plans the cases: the few forced ones first, then the others in registration order."""

    def __init__(self, seed: int, now: dt.datetime, officers: int, volunteers: int, cases: int,
                 consultations: int) -> None:
        self.rng = rng = random.Random(seed)
        self.clock = OfficeClock(rng, now)
        self.people = People(rng, self.clock.local_date(self.clock.now))
        self.university = pick(rng, UNIVERSITIES)
        self.officers, self.volunteers = officers, volunteers
        self.forced = [self._forced(i) for i in range(min(cases, len(_FORCED)))]
        self.registrations = sorted(self.clock.registration() for _i in range(cases - len(self.forced)))
        self.standalone = sorted((self._consultation() for _i in range(consultations)), key=lambda c: c.at)

    def regular(self) -> Iterator[Plan]:
        """The other cases, one at a time, in registration order."""
        for i, reg in enumerate(self.registrations):
            yield self._regular(len(self.forced) + i, reg)

    def _forced(self, index: int) -> Plan:
        rng, clock = self.rng, self.clock
        reg = clock.registration()
        day = clock.local_day(reg)
        outcome, track, stage = _FORCED[index]
        d = SCENARIOS(rng)(rng, self.people, self.university, day)
        if track == workflow.POLICE and not d.police_ok:
            d = ebike(rng, self.people, self.university, day)
        full = _timeline(rng, clock, d, reg, track, outcome, _FORCE_ALL)
        return self._make(index, d, track, _shift_to_stage(full, stage, clock.now) or _cut(full, clock.now))

    def _regular(self, index: int, reg: int) -> Plan:
        rng, clock = self.rng, self.clock
        d = SCENARIOS(rng)(rng, self.people, self.university, clock.local_day(reg))
        outcome = _OUTCOMES(rng)
        track: str | None
        if outcome == "referred_early":
            track = workflow.REFER
        elif outcome in ("declined", "withdrawn_early"):
            track = None
        else:
            track = workflow.POLICE if d.police_ok and rng.random() < 0.45 else workflow.PEOPLE
        plan = self._make(index, d, track, _cut(_timeline(rng, clock, d, reg, track, outcome, _FORCE_NONE),
                                                clock.now))
        if rng.random() < 0.1:  # the applicant asked the desk first, the same day
            answer = pick(rng, CONSULT_TOPICS)[3]
            plan.consultation = Consult(reg - between(rng, 600, 14400), d.parties[0][1], d.title[:200],
                                         d.category, d.facts[:300], answer, pick(rng, (15, 20, 30)))
        return plan

    def _make(self, index: int, d: Dispute, track: str | None, steps: list[Step]) -> Plan:
        if track in (workflow.PEOPLE, workflow.POLICE) and not any(s.action == "track" for s in steps):
            track = None  # still waiting for the officer's decision
        officer_mediates = track == workflow.POLICE
        pool = self.officers if officer_mediates else self.volunteers
        accept_at = next((s.at for s in steps if s.action == "accept"), None)
        return Plan(index, d, SOURCES(self.rng), track, int(self.rng.random() * pool), officer_mediates,
                     steps, accept_at)

    def _consultation(self) -> Consult:
        topic, category, question, answer = pick(self.rng, CONSULT_TOPICS)
        return Consult(self.clock.registration(), self.people.student(self.university), topic, category,
                        question, answer, pick(self.rng, (5, 10, 10, 15, 20, 30, 45)))
