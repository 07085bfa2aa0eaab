"""Small demos: every planned step through the real services, each at its moment of the story."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.demo import scenarios
from mediation.demo.clock import EPOCH_ORDINAL, utc
from mediation.demo.model import DemoStaff, DemoSummary
from mediation.demo.planner import Consult, Plan, Planner, Step
from mediation.demo.staff import Cast
from mediation.i18n import _
from mediation.models import Case, CaseParty, Desk
from mediation.progress import Progress
from mediation.timeutil import clock_at


class ServiceWriter:
    """Every step through the real services, in time order (audit trail included)."""

    def __init__(self, session: Session, desk: Desk, staff: DemoStaff) -> None:
        self.session = session
        self.desk = desk
        self.cast = Cast(staff)

    def write(self, seed: int, now: dt.datetime, cases: int, consultations: int,
              progress: Progress | None) -> DemoSummary:
        from mediation.models import AuditLog

        planner = Planner(seed, now, len(self.cast.staff.officers), len(self.cast.staff.volunteers), cases,
                          consultations)
        plans = planner.forced + list(planner.regular())
        consults = planner.standalone + [p.consultation for p in plans if p.consultation is not None]
        count = select(func.count()).select_from(AuditLog)
        audit_before = int(self.session.scalar(count) or 0)
        todo: list[tuple[int, int, int, Plan | Consult, Step | None]] = []
        for c_i, c in enumerate(consults):
            todo.append((c.at, 0, c_i, c, None))
        for plan in plans:
            for s_i, planned in enumerate(plan.steps):
                todo.append((planned.at, 1, plan.index * 100 + s_i, plan, planned))
        todo.sort(key=lambda e: (e[0], e[1], e[2]))
        for done, (at, _kind, _order, item, step) in enumerate(todo, start=1):
            # Each step happens at its moment of the story: the services' stamps (events,
            # created_at, deadlines, "today") say then, not the time of generation.
            with clock_at(utc(at)):
                if isinstance(item, Consult):
                    self._consult(item)
                else:
                    assert step is not None
                    self._step(item, step)
            if progress is not None and (done % 50 == 0 or done == len(todo)):
                progress(done, len(todo))
        self.session.flush()
        ids = sorted(p.case_id for p in plans if p.case_id is not None)
        rows = self.session.execute(select(Case.stage, Case.track).where(Case.id.in_(ids))).all() if ids else []
        return DemoSummary(
            cases=len(plans), consultations=len(consults),
            parties=len({p.party_id for plan in plans for _r, p, _x in plan.dispute.parties if p.party_id}),
            by_stage=dict(Counter(stage for stage, _t in rows)),
            by_track=dict(Counter(track or "" for _s, track in rows)),
            mode="services", seconds=0.0, audit_rows=int(self.session.scalar(count) or 0) - audit_before,
            first_case_id=ids[0] if ids else None, last_case_id=ids[-1] if ids else None)

    def _consult(self, c: Consult) -> None:
        from mediation.services import consultations as cons

        c.consultation_id = cons.log_consultation(self.session, self.cast.consultant(c), cons.ConsultationInput(
            topic=c.topic, answer=c.answer, person_name=c.person.name, phone=c.person.phone,
            question=c.question, category=c.category, minutes=c.minutes, asked_at=utc(c.at)))

    def _step(self, plan: Plan, step: Step) -> None:
        from mediation.services import case_records, documents, parties
        from mediation.services import cases as cs
        from mediation.services import consultations as cons

        s = self.session
        d = plan.dispute
        cast = self.cast
        officer, volunteer, mediator = cast.officer(plan), cast.volunteer(plan), cast.mediator(plan)
        at = utc(step.at)
        data = step.data or {}
        a = step.action
        if a == "register":
            form = cs.CaseInput(
                parties=[parties.PartyInput(
                    role=role, name=p.name, kind=p.kind, sex=p.sex, ethnicity=p.ethnicity,
                    birth_date=p.birth if p.id_type != "resident_id" else None, id_type=p.id_type,
                    id_number=p.id_number, phone=p.phone, address=p.address, occupation=p.occupation,
                    legal_representative=p.legal_representative, represents=represents,
                    existing_party_id=p.party_id) for role, p, represents in d.parties],
                facts=d.facts, claims=d.claims, category=d.category, subcategory=d.subcategory,
                source=plan.source, title=d.title, amount=d.amount, desk_id=self.desk.id,
                registered_at=at)
            if plan.consultation is not None and plan.consultation.consultation_id is not None:
                ref = cons.convert_to_case(s, volunteer, plan.consultation.consultation_id, form)
            else:
                ref = cs.register_case(s, volunteer, form)
            plan.case_id = ref.id
            for pos, party_id in s.execute(select(CaseParty.position, CaseParty.party_id)
                                           .where(CaseParty.case_id == ref.id)):
                d.parties[pos][1].party_id = party_id
            return
        case_id = plan.case_id
        assert case_id is not None
        if a == "track":
            assert plan.track is not None
            cs.choose_track(s, officer, case_id, plan.track)
        elif a == "assign":
            cs.assign_mediator(s, officer, case_id, mediator.user_id)
        elif a == "accept":
            cs.accept_case(s, officer, case_id)
        elif a == "investigation":
            case_records.add_investigation(s, volunteer, case_id, case_records.InvestigationInput(
                held_at=at, content=scenarios.investigation_text(d), place=scenarios.PLACES[0],
                subject=d.parties[-1][1].name))
        elif a == "session":
            case_records.add_session_record(s, mediator, case_id, case_records.SessionInput(
                held_at=at, content=scenarios.session_text(d, data["result"]),
                place=scenarios.PLACES[plan.index % len(scenarios.PLACES)],
                attendees=scenarios.attendees(d, mediator),
                result=data["result"], recorder_id=volunteer.user_id))
        elif a == "agreement":
            oral = bool(data["oral"])
            cs.record_agreement(s, mediator, case_id, cs.AgreementInput(
                kind=workflow.ORAL if oral else workflow.WRITTEN, terms=d.terms, amount=d.amount,
                performance_manner=d.manner, performance_place=scenarios.PLACES[0],
                performance_deadline=dt.date.fromordinal(EPOCH_ORDINAL + data["deadline_day"]),
                signed=oral, reached_at=at))
        elif a == "sign":
            cs.mark_agreement_signed(s, volunteer, case_id, signed_at=at)
        elif a == "follow_up":
            case_records.add_follow_up(s, volunteer, case_id, case_records.FollowUpInput(
                visited_at=at, result=scenarios.FOLLOW_UP_TEXT[data["status"]], performance_status=data["status"],
                method=scenarios.METHODS[plan.index % 3], reason=_("回访协议履行情况")))
        elif a == "close":
            cs.close_case(s, officer, case_id,
                          prevented_escalation=plan.track == workflow.POLICE and plan.index % 2 == 0)
        elif a == "archive":
            # The file's cover first (its 保管期限 is the one archiving keeps), as a desk does.
            cover = documents.create_draft(s, volunteer, case_id, "case_file_cover")
            documents.submit(s, volunteer, cover)
            documents.approve(s, officer, cover)
            documents.finalize(s, volunteer, cover)
            cs.archive_case(s, officer, case_id)
        elif a == "decline":
            cs.decline_case(s, officer, case_id, reason=data["reason"])
        elif a == "refer":
            cs.refer_case(s, officer, case_id, referred_to=data["to"], reason=data["reason"])
        elif a == "withdraw":
            cs.withdraw_case(s, officer, case_id, reason=data["reason"])
        elif a == "terminate":
            cs.terminate_case(s, officer, case_id, reason=data["reason"], routes=data["routes"])
        else:  # pragma: no cover - every planned action is handled above
            raise ValueError(a)
