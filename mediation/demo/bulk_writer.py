"""Large demos: the rows the services would write, bulk-inserted in chunks, in one transaction."""

from __future__ import annotations

import datetime as dt
import heapq
import json
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Connection, column, func, insert, select, table, text, update
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.demo.clock import EPOCH_ORDINAL, SPAN_DAYS, OfficeClock, utc
from mediation.demo.helper import batch_source
from mediation.demo.model import DemoStaff, DemoSummary
from mediation.demo.planner import Consult, Plan, Planner
from mediation.demo.scenarios import (
    FOLLOW_UP_TEXT,
    METHODS,
    PLACES,
    attendees,
    investigation_text,
    session_text,
)
from mediation.demo.staff import Cast
from mediation.i18n import _, current_language, set_language
from mediation.models import (
    Case,
    CaseEvent,
    CaseParty,
    Consultation,
    Desk,
    FollowUp,
    InvestigationRecord,
    NumberSequence,
    Party,
    SessionRecord,
)
from mediation.permissions import Actor
from mediation.progress import Progress
from mediation.services import audit, deadlines, numbering, reference, search_index
from mediation.services.numbering import format_case_number
from mediation.services.parties import party_summary
from mediation.services.search import forget_modes
from mediation.timeutil import desk_tz
from mediation.workdays import WorkCalendar

CHUNK = 5000
"""Cases per executemany batch (and per ``demo.generate`` audit row) in bulk mode."""


class _Store:
    """Values in the form the driver stores them: SQLite text, or Python objects for psycopg.

    SQLite's strings are exactly what SQLAlchemy's types write (``YYYY-MM-DD
    HH:MM:SS.ffffff`` naive UTC, ``YYYY-MM-DD``, JSON text), so rows read back the
    same whichever way they were written.
    """

    _times: ClassVar[list[str]] = []

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"
        self._days: dict[int, str] = {}
        if self.sqlite and not _Store._times:
            _Store._times = [f" {h:02d}:{m:02d}:{sec:02d}.000000"
                             for h in range(24) for m in range(60) for sec in range(60)]
        self.null = self.json(None)

    def ts(self, ts: int | None) -> Any:
        if ts is None:
            return None
        if not self.sqlite:
            return utc(ts)
        day, secs = divmod(ts, 86400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = dt.date.fromordinal(EPOCH_ORDINAL + day).isoformat()
        return prefix + self._times[secs]

    def date(self, value: dt.date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    def money(self, value: Decimal | None) -> Any:
        return str(value) if value is not None and self.sqlite else value

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value

    def json(self, value: Any) -> Any:
        # As the JSON type stores it: Python None becomes JSON null, not SQL NULL.
        return json.dumps(value) if self.sqlite else value


# Columns of each bulk-inserted table, in the order of the row tuples; tables in
# insert order (parents before children).
COLUMNS: dict[str, tuple[str, ...]] = {
    "consultation": ("id", "desk_id", "asked_at", "person_name", "phone", "topic", "category_id", "question",
                     "answer", "minutes", "answered_by_id", "converted_case_id", "created_at"),
    "party": ("id", "desk_id", "kind", "name", "sex", "ethnicity", "birth_date", "id_type", "id_number", "phone",
              "address", "occupation", "legal_representative", "note", "created_by_id", "created_at",
              "updated_at"),
    "mediation_case": (
        "id", "desk_id", "number", "year", "seq", "stage", "track", "track_decided_by_id", "category_id",
        "subcategory_id", "source_id", "title", "party_names", "party_phones", "facts", "claims", "amount",
        "people_involved", "registered_at", "registered_by_id", "accepted_at", "accepted_by_id",
        "mediator_id", "deadline", "deadline_label", "result", "outcome_reason", "referred_to",
        "routes_suggested", "prevented_escalation", "agreement_kind", "agreement_number",
        "agreement_terms", "agreement_amount", "performance_manner", "performance_place",
        "performance_deadline", "agreement_reached_at", "agreement_signed_at", "performance_status",
        "closed_at", "closed_by_id", "archived_at", "retention_years", "consultation_id", "created_at",
        "updated_at", "version_id", "terminated_at"),
    "case_party": ("id", "case_id", "party_id", "role", "represents_id", "position"),
    "case_event": ("id", "case_id", "at", "user_id", "kind", "stage_from", "stage_to", "summary", "data"),
    "session_record": ("id", "case_id", "held_at", "place", "attendees", "content", "result", "mediator_id",
                       "recorder_id", "created_at"),
    "investigation_record": ("id", "case_id", "held_at", "place", "subject", "content", "investigator_id",
                             "created_at"),
    "follow_up": ("id", "case_id", "visited_at", "method", "reason", "result", "performance_status",
                  "user_id", "created_at"),
}


MODELS: dict[str, Any] = {
    "consultation": Consultation, "party": Party, "mediation_case": Case, "case_party": CaseParty,
    "case_event": CaseEvent, "session_record": SessionRecord, "investigation_record": InvestigationRecord,
    "follow_up": FollowUp,
}


_STAGE_COL = COLUMNS["mediation_case"].index("stage")


_TRACK_COL = COLUMNS["mediation_case"].index("track")
_CASE_CATEGORY_COL = COLUMNS["mediation_case"].index("category_id")
_CONSULTATION_CATEGORY_COL = COLUMNS["consultation"].index("category_id")


@dataclass(frozen=True)
class BulkSetup:
    """Everything the row maker needs from the database (sent to the helper process)."""

    seed: int
    now: dt.datetime
    cases: int
    consultations: int
    desk_id: int
    prefix: str
    staff: DemoStaff
    ids: dict[str, int]
    """Highest id in use per table: new rows count on from there."""
    sequences: dict[int, int]
    """Last case number given per year (years the demo can touch), locked until commit."""
    calendar: WorkCalendar
    rules: tuple[workflow.DeadlineRule, ...]
    dialect: str
    language: str


@dataclass
class Batch:
    """The rows of about CHUNK cases, ready to insert, and what the writer reports on them."""

    rows: dict[str, list[tuple[Any, ...]]]
    first_case_id: int | None = None
    last_case_id: int | None = None
    cases: int = 0
    new_parties: int = 0
    sequences: dict[int, int] = field(default_factory=dict)


class _RowMaker:
    """Turns plans into rows exactly as the services would have left them."""

    def __init__(self, setup: BulkSetup, clock: OfficeClock) -> None:
        self.setup = setup
        self.clock = clock
        self.cast = Cast(setup.staff)
        self.store = _Store(setup.dialect)
        self.ids = dict(setup.ids)
        self.last_seq = dict(setup.sequences)
        self.numbers: dict[int, tuple[int, int, str]] = {}
        self.labels = {r.label: _(r.label) for r in setup.rules}
        self._json_cache: dict[tuple[str, Any], Any] = {}

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def new_batch(self) -> Batch:
        return Batch({name: [] for name in COLUMNS})

    def number(self, plan: Plan) -> None:
        """Give the case its number: called in acceptance order."""
        assert plan.accept_at is not None and plan.case_id is not None
        year = self.clock.local_date(plan.accept_at).year
        seq = self.last_seq[year] = self.last_seq[year] + 1
        self.numbers[plan.case_id] = (year, seq, format_case_number(year, self.setup.prefix, seq))

    def ready(self, plan: Plan) -> bool:
        return plan.accept_at is None or plan.case_id in self.numbers

    def _json(self, key: tuple[str, Any], value: dict[str, Any]) -> Any:
        """Event data in storage form, encoded once per distinct value."""
        encoded = self._json_cache.get(key)
        if encoded is None:
            encoded = self._json_cache[key] = self.store.json(value)
        return encoded

    def consultation(self, c: Consult, batch: Batch, case_id: int | None = None) -> None:
        c.consultation_id = self.next_id("consultation")
        at = self.store.ts(c.at)
        batch.rows["consultation"].append((
            c.consultation_id, self.setup.desk_id, at, c.person.name, c.person.phone, c.topic, c.category,
            c.question, c.answer, c.minutes, self.cast.consultant(c).user_id, case_id, at))

    def case(self, plan: Plan, batch: Batch) -> None:
        """Append every row of one case (its consultation, parties, timeline...) to ``batch``."""
        store, rows, cast = self.store, batch.rows, self.cast
        ts = store.ts
        d = plan.dispute
        case_id = plan.case_id
        assert case_id is not None
        batch.first_case_id = batch.first_case_id or case_id
        batch.last_case_id = case_id
        batch.cases += 1
        reg = plan.steps[0].at
        t_reg = ts(reg)
        volunteer, officer, mediator = cast.volunteer(plan), cast.officer(plan), cast.mediator(plan)
        if plan.consultation is not None:
            self.consultation(plan.consultation, batch, case_id)
        link_ids: list[int] = []
        for pos, (role, p, represents) in enumerate(d.parties):
            if p.party_id is None:
                p.party_id = self.next_id("party")
                batch.new_parties += 1
                rows["party"].append((
                    p.party_id, self.setup.desk_id, p.kind, p.name, p.sex, p.ethnicity, store.date(p.birth), p.id_type,
                    p.id_number, p.phone, p.address, p.occupation, p.legal_representative, "",
                    volunteer.user_id, t_reg, t_reg))
            link_id = self.next_id("case_party")
            link_ids.append(link_id)
            rows["case_party"].append((link_id, case_id, p.party_id, role,
                                       link_ids[represents] if represents is not None else None, pos))

        # The case as the services would leave it, built up step by step.
        stage = workflow.REGISTERED
        track: str | None = None
        number: str | None = None
        year = seq = None
        accepted_at = mediator_id = track_by = accepted_by = closed_at = closed_by = archived_at = None
        result: str | None = None
        reason = referred_to = routes = ""
        agreement_kind: str | None = None
        terms = manner = place = ""
        agreement_amount: Decimal | None = None
        perf_deadline: dt.date | None = None
        reached_at = signed_at = terminated_at = None
        perf_status: str | None = None
        retention: int | None = None
        prevented = False
        first_session: int | None = None
        sessions = 0
        version = 0
        events = rows["case_event"]
        null = store.null

        def event(at: Any, kind: str, summary: str, user: Actor, to: str | None = None,
                  data: Any = null) -> None:
            nonlocal stage
            before = stage if to else None
            if to:
                stage = to
            events.append((self.next_id("case_event"), case_id, at, user.user_id, kind, before, to,
                           summary, data))

        for step in plan.steps:
            a, data = step.action, step.data or {}
            at = step.at
            t_at = ts(at)
            version += 1
            if a == "register":
                events.append((self.next_id("case_event"), case_id, t_at, volunteer.user_id, "registered",
                               None, workflow.REGISTERED, _("登记纠纷"), null))
            elif a == "track":
                track, track_by = plan.track, officer.user_id
                event(t_at, "track", _("确定调解类型：{t}").format(t=workflow.track_label(track)), officer,
                      data=self._json(("track", track), {"track": track, "exclusions_acknowledged": []}))
            elif a == "assign":
                mediator_id = mediator.user_id
                event(t_at, "assigned", _("指派调解员：{n}").format(n=mediator.display_name), officer,
                      data=self._json(("assigned", mediator_id), {"mediator_id": mediator_id}))
            elif a == "accept":
                year, seq, number = self.numbers[case_id]
                accepted_at, accepted_by = at, officer.user_id
                event(t_at, "accept", _("受理"), officer, workflow.ACCEPTED)
            elif a == "investigation":
                subject = d.parties[-1][1].name
                rows["investigation_record"].append((
                    self.next_id("investigation_record"), case_id, t_at, PLACES[0], subject,
                    investigation_text(d), volunteer.user_id, t_at))
                if stage == workflow.ACCEPTED:
                    event(t_at, "investigate", _("开始调查"), volunteer, workflow.INVESTIGATING)
                event(t_at, "investigation", _("调查记录：{s}").format(s=subject), volunteer)
            elif a == "session":
                res = data["result"]
                rows["session_record"].append((
                    self.next_id("session_record"), case_id, t_at, PLACES[plan.index % len(PLACES)],
                    attendees(d, mediator), session_text(d, res), res, mediator.user_id,
                    volunteer.user_id, t_at))
                sessions += 1
                first_session = first_session or at
                if stage != workflow.MEDIATING:
                    event(t_at, "mediate", _("开始调解"), mediator, workflow.MEDIATING)
                event(t_at, "session", _("调解记录（{r}）").format(r=_(workflow.SESSION_RESULTS[res])), mediator)
            elif a == "agreement":
                oral = bool(data["oral"])
                agreement_kind = workflow.ORAL if oral else workflow.WRITTEN
                terms, agreement_amount, manner, place = d.terms, d.amount, d.manner, PLACES[0]
                perf_deadline = dt.date.fromordinal(EPOCH_ORDINAL + data["deadline_day"])
                reached_at, perf_status = at, "pending"
                signed_at = at if oral else None
                event(t_at, "agree", _("口头协议登记") if oral else _("达成书面调解协议"), mediator,
                      workflow.AGREED)
            elif a == "sign":
                signed_at = at
                event(t_at, "signed", _("协议已签署"), volunteer)
            elif a == "follow_up":
                status = data["status"]
                rows["follow_up"].append((
                    self.next_id("follow_up"), case_id, t_at, METHODS[plan.index % 3], _("回访协议履行情况"),
                    FOLLOW_UP_TEXT[status], status, volunteer.user_id, t_at))
                perf_status = status
                if stage == workflow.AGREED:
                    event(t_at, "perform", _("进入履行/回访"), volunteer, workflow.PERFORMING)
                event(t_at, "follow_up", _("回访：{s}").format(s=_(workflow.PERFORMANCE[status])), volunteer)
            elif a == "close":
                action = {workflow.AGREED: "close_agreed", workflow.PERFORMING: "close",
                          workflow.TERMINATED: "close_terminated"}[stage]
                result = workflow.transition(action).result or result
                closed_at, closed_by = at, officer.user_id
                prevented = plan.track == workflow.POLICE and plan.index % 2 == 0
                event(t_at, action, _("结案"), officer, workflow.CLOSED)
            elif a == "archive":
                archived_at, retention = at, 10
                event(t_at, "archive", _("归档"), officer, workflow.ARCHIVED)
            else:  # decline | refer | withdraw | terminate
                reason = data["reason"]
                t = workflow.transition(a)
                result = t.result
                if a == "decline":
                    summary = _("不予受理：{r}").format(r=reason)
                elif a == "refer":
                    track = track or workflow.REFER
                    referred_to = data["to"]
                    summary = _("引导/移送至{to}：{r}").format(to=referred_to, r=reason)
                elif a == "withdraw":
                    summary = _("申请人撤回：{r}").format(r=reason)
                else:
                    routes = data["routes"]
                    terminated_at = at
                    summary = _("终止调解：{r}").format(r=reason)
                if t.target == workflow.CLOSED:
                    closed_at, closed_by = at, officer.user_id
                event(t_at, a, summary, officer, t.target)

        deadline, label = self._deadline(stage, track, accepted_at, signed_at or reached_at,
                                         first_session if sessions == 1 else None, perf_deadline)
        consultation_id = plan.consultation.consultation_id if plan.consultation is not None else None
        rows["mediation_case"].append((
            case_id, self.setup.desk_id, number, year, seq, stage, track, track_by, d.category,
            d.subcategory, plan.source, d.title,
            party_summary([(role, p.name) for role, p, _x in d.parties])[:500],
            " ".join(p.phone for _r, p, _x in d.parties if p.phone)[:500], d.facts, d.claims,
            store.money(d.amount), len(d.parties), t_reg, volunteer.user_id, ts(accepted_at), accepted_by,
            mediator_id, store.date(deadline), label, result, reason, referred_to, routes,
            store.flag(prevented), agreement_kind, number if agreement_kind else None, terms,
            store.money(agreement_amount), manner, place, store.date(perf_deadline), ts(reached_at),
            ts(signed_at), perf_status, ts(closed_at), closed_by, ts(archived_at), retention,
            consultation_id, t_reg, ts(plan.steps[-1].at), version, ts(terminated_at)))

    def _deadline(self, stage: str, track: str | None, accepted_at: int | None, agreed_at: int | None,
                  first_session: int | None, perf_deadline: dt.date | None) -> tuple[dt.date | None, str]:
        """What :func:`deadlines.refresh_case_deadline` would leave on the case."""
        if stage in (workflow.CLOSED, workflow.ARCHIVED, workflow.TERMINATED):
            return None, ""
        deadline: dt.date | None = None
        label = ""
        if track is not None:
            anchors = {"accepted_at": accepted_at, "agreement_reached_at": agreed_at,
                       "first_session_at": first_session}
            for rule in self.setup.rules:
                if rule.track != track or rule.stage != stage:
                    continue
                anchor = anchors.get(rule.anchor)
                if anchor is None:
                    continue
                start = self.clock.local_date(anchor)
                cal = self.setup.calendar
                deadline = (cal.add_workdays(start, rule.amount) if rule.unit == "working_days"
                            else cal.end_of_period(start, rule.amount))
                label = self.labels[rule.label]
                break
        if (stage in (workflow.PERFORMING, workflow.AGREED) and perf_deadline is not None
                and (deadline is None or perf_deadline < deadline)):
            return perf_deadline, _("履行期限")
        return deadline, label


def batches(setup: BulkSetup) -> Iterator[Batch]:
    """All rows of the demo, in batches of about CHUNK cases, in insert order.

    Case ids follow registration order (the forced recent cases come last); numbers
    follow acceptance order within each year. A case is written once every case
    accepted before it has its number: since a case is accepted after it was
    registered, that is known as soon as the cases registered before its acceptance
    are planned, so the plans stream through without being held all at once.
    """
    set_language(setup.language)
    staff = setup.staff
    planner = Planner(setup.seed, setup.now, len(staff.officers), len(staff.volunteers), setup.cases,
                       setup.consultations)
    maker = _RowMaker(setup, planner.clock)
    base = setup.ids["mediation_case"]
    n_regular = len(planner.registrations)
    accepted: list[tuple[int, int, Plan]] = []  # heap of (accepted at, case id, plan)
    for k, plan in enumerate(planner.forced):
        plan.case_id = base + n_regular + k + 1
        if plan.accept_at is not None:
            heapq.heappush(accepted, (plan.accept_at, plan.case_id, plan))
    standalone = planner.standalone
    total = max(1, setup.cases)
    written = sent = 0
    batch = maker.new_batch()

    def flush(final: bool) -> Batch:
        nonlocal batch, sent
        # Consultations that did not become cases, spread evenly over the batches.
        due = len(standalone) if final else len(standalone) * written // total
        while sent < due:
            maker.consultation(standalone[sent], batch)
            sent += 1
        done, batch = batch, maker.new_batch()
        done.sequences = dict(maker.last_seq)
        return done

    pending: deque[Plan] = deque()
    for i, plan in enumerate(planner.regular()):
        plan.case_id = base + i + 1
        if plan.accept_at is not None:
            heapq.heappush(accepted, (plan.accept_at, plan.case_id, plan))
        registered = plan.steps[0].at
        while accepted and accepted[0][0] < registered:
            maker.number(heapq.heappop(accepted)[2])
        pending.append(plan)
        while pending and maker.ready(pending[0]):
            maker.case(pending.popleft(), batch)
            written += 1
            if batch.cases >= CHUNK:
                yield flush(False)
    while accepted:
        maker.number(heapq.heappop(accepted)[2])
    for plan in list(pending) + planner.forced:
        maker.case(plan, batch)
        written += 1
        if batch.cases >= CHUNK:
            yield flush(False)
    yield flush(True)


_FTS_TRIGGERS = ("case_fts_ai", "case_fts_ad", "case_fts_au")


_FTS_BULK_HASHSIZE = 64 * 1024 * 1024


_FTS_DEFAULT_HASHSIZE = 1024 * 1024
"""FTS5 pending-data size while bulk indexing (default 1 MB): fewer, larger segments."""


_BULK_CACHE_KIB = 256 * 1024
"""SQLite page cache while bulk loading (default 2 MB): random index inserts stay in memory."""


class BulkWriter:
    """The rows the services would write, bulk-inserted in chunks, in one transaction."""

    def __init__(self, session: Session, desk: Desk, staff: DemoStaff) -> None:
        self.session = session
        self.desk = desk
        self.staff = staff
        self._ids: dict[tuple[str, str, str], reference.Classification] = {}

    def write(self, seed: int, now: dt.datetime, cases: int, consultations: int, parallel: bool,
              progress: Progress | None) -> DemoSummary:
        s = self.session
        conn = s.connection()
        dialect = conn.dialect.name
        if dialect == "postgresql":
            # Ids are given explicitly: keep other writers out of these tables until
            # commit, then move the id sequences past them.
            s.execute(text("LOCK TABLE " + ", ".join(COLUMNS) + " IN EXCLUSIVE MODE"))
        ids = {name: int(s.scalar(select(func.coalesce(func.max(MODELS[name].id), 0))) or 0)
               for name in COLUMNS}
        setup = BulkSetup(
            seed=seed, now=now, cases=cases, consultations=consultations, desk_id=self.desk.id,
            prefix=self.desk.number_prefix, staff=self.staff, ids=ids,
            sequences=self._take_sequences(now), calendar=deadlines.calendar(s),
            rules=deadlines.deadline_rules(s, self.desk.id), dialect=dialect, language=current_language())
        stages: Counter[str] = Counter()
        tracks: Counter[str] = Counter()
        parties = audit_rows = written = consultation_rows = 0
        sequences: dict[int, int] = {}
        s.info["statistics_refreshing"] = True  # summed once at the end, not at every flush
        with self._sqlite_bulk(conn) as index_later, search_index.bulk_load(conn):
            for batch in batch_source(setup, parallel):
                self._classify(batch)
                for name, rows in batch.rows.items():
                    self._insert(conn, name, rows)
                consultation_rows += len(batch.rows["consultation"])
                for row in batch.rows["mediation_case"]:
                    stages[row[_STAGE_COL]] += 1
                    tracks[row[_TRACK_COL] or ""] += 1
                parties += batch.new_parties
                sequences = batch.sequences
                if batch.cases:
                    audit.append(s, desk_id=self.desk.id, user_id=self.staff.officers[0].user_id, action="demo.generate",
                                 entity="case", after={"cases": batch.cases, "desk_id": self.desk.id,
                                                       "first_case_id": batch.first_case_id,
                                                       "last_case_id": batch.last_case_id})
                    audit_rows += 1
                written += batch.cases
                if progress is not None:
                    progress(written, cases)
            if cases and index_later:
                conn.exec_driver_sql(
                    "INSERT INTO case_fts(rowid, number, title, facts, claims, party_names, party_phones)"
                    " SELECT id, number, title, facts, claims, party_names, party_phones FROM mediation_case"
                    " WHERE id BETWEEN ? AND ?", (ids["mediation_case"] + 1, ids["mediation_case"] + cases))
            if search_index.installed(conn):
                # The short-term search tables and the stage counts, once for all new rows.
                search_index.fill(conn, {"mediation_case": (ids["mediation_case"] + 1, ids["mediation_case"] + cases),
                                         "consultation": (ids["consultation"] + 1,
                                                          ids["consultation"] + consultation_rows)})
        s.info["statistics_refreshing"] = False
        from mediation.statistics import summary

        if summary.installed(s):
            summary.refresh(s)
        for year, last in sequences.items():
            s.execute(update(NumberSequence).where(
                NumberSequence.desk_id == self.desk.id, NumberSequence.year == year,
                NumberSequence.kind == "case").values(last_value=last))
        if dialect == "postgresql":
            for name in COLUMNS:
                s.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                               f" (SELECT coalesce(max(id), 1) FROM {name}))"))
        if cases:
            # Statistics of every table, not only the cases: with the case table's alone
            # SQLite scanned two million case–party links instead of the name index.
            search_index.analyze(conn)
        first = ids["mediation_case"] + 1 if cases else None
        return DemoSummary(
            cases=cases, consultations=consultation_rows, parties=parties, by_stage=dict(stages),
            by_track=dict(tracks), mode="bulk", seconds=0.0, audit_rows=audit_rows, first_case_id=first,
            last_case_id=first + cases - 1 if first else None)

    def _classify(self, batch: Batch) -> None:
        """The row makers put the labels of category, sub-type and source where the ids go
        (the helper process has no database); here they become the desk's ids."""
        cache = self._ids

        def ids(category: str, subcategory: str = "", source: str = "") -> reference.Classification:
            key = (category, subcategory, source)
            if key not in cache:
                cache[key] = reference.ensure(self.session, self.desk.id, category=category,
                                              subcategory=subcategory, source=source)
            return cache[key]

        col = _CASE_CATEGORY_COL
        cases = batch.rows["mediation_case"]
        for i, row in enumerate(cases):
            found = ids(row[col] or "", row[col + 1] or "", row[col + 2] or "")
            cases[i] = (*row[:col], found.category_id, found.subcategory_id, found.source_id, *row[col + 3:])
        col = _CONSULTATION_CATEGORY_COL
        consults = batch.rows["consultation"]
        for i, row in enumerate(consults):
            consults[i] = (*row[:col], ids(row[col] or "").category_id, *row[col + 1:])

    def _take_sequences(self, now: dt.datetime) -> dict[int, int]:
        """Last numbers of the years the demo may number in; rows created if needed, locked."""
        s = self.session
        tz = desk_tz()
        first_year = (now - dt.timedelta(days=SPAN_DAYS + 1)).astimezone(tz).year
        years = range(first_year, now.astimezone(tz).year + 1)
        out: dict[int, int] = {}
        for year in years:
            numbering.ensure_sequence(s, desk_id=self.desk.id, year=year, kind="case")
            out[year] = int(s.execute(select(NumberSequence.last_value).where(
                NumberSequence.desk_id == self.desk.id, NumberSequence.year == year,
                NumberSequence.kind == "case").with_for_update()).scalar_one())
        return out

    @contextmanager
    def _sqlite_bulk(self, conn: Connection) -> Iterator[bool]:
        """SQLite: a big page cache, and the search index filled once for all new rows.

        Yields whether the caller must index the new cases itself. The FTS triggers are
        dropped for this transaction and re-created from their own stored SQL afterwards
        (nothing duplicated from the migration); were anything to fail, the rollback
        brings them back as they were.
        """
        if conn.dialect.name != "sqlite":
            yield False
            return
        cache = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
        conn.exec_driver_sql(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
        triggers = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?, ?)",
            _FTS_TRIGGERS).all()
        fts = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_fts'").first() is not None
        hashsize = None
        try:
            if fts:
                hashsize = conn.exec_driver_sql(
                    "SELECT v FROM case_fts_config WHERE k = 'hashsize'").scalar()
                conn.exec_driver_sql(
                    f"INSERT INTO case_fts(case_fts, rank) VALUES ('hashsize', {_FTS_BULK_HASHSIZE})")
            for name, _sql in triggers:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
            yield fts and len(triggers) == len(_FTS_TRIGGERS)
            for _name, sql in triggers:
                conn.exec_driver_sql(sql)
            if fts:
                restored = int(hashsize or _FTS_DEFAULT_HASHSIZE)
                conn.exec_driver_sql(f"INSERT INTO case_fts(case_fts, rank) VALUES ('hashsize', {restored})")
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size={cache}")
            forget_modes()

    @staticmethod
    def _insert(conn: Connection, name: str, rows: list[tuple[Any, ...]]) -> None:
        """Core INSERT, executemany.

        SQLite: the statement compiled once and the value tuples handed to the driver
        as they are (they are already in storage form: no per-value processing).
        PostgreSQL: through the typed table.
        """
        if not rows:
            return
        cols = COLUMNS[name]
        if conn.dialect.name == "sqlite":
            stmt = insert(table(name, *(column(c) for c in cols)))
            conn.exec_driver_sql(str(stmt.compile(dialect=conn.dialect)), rows)
        else:
            conn.execute(insert(MODELS[name].__table__), [dict(zip(cols, r, strict=True)) for r in rows])
