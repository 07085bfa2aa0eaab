"""Demo data: realistic campus disputes between generated (never real) people.

:func:`generate` first plans every case as a timeline (registered → track → accepted
→ investigation → sessions → agreement → follow-ups → closed → archived, or declined,
referred, withdrawn, terminated) spread over the last two years; steps later than now
are cut off, so recent cases are still open and older ones closed or archived. The
first few cases are placed so that every stage and track appears even in a tiny demo.
The plan is then written in one of two ways:

* few cases (``cases < bulk_threshold``): every step goes through the real services
  (validation, workflow guards, numbering, deadlines, audit trail), in time order,
  each at its own past moment (``timeutil.clock_at``), so the stamps tell the story;
* many cases: SQLAlchemy Core inserts, executemany in chunks, in one transaction,
  with the rows the services would have written (numbers gapless per desk and year in
  acceptance order and matching ``number_sequence``, timeline events, sessions,
  follow-ups, deadlines) and one ``demo.generate`` audit row per chunk. On SQLite the
  search index is filled once for all new rows instead of row by row by its triggers,
  and a helper process builds the rows while this one inserts them. 100,000 cases
  (1.7 million rows) take about 35 s on a 2-core machine (BENCHMARKS.md).

People are made up: random surnames and given names (two- and three-character names,
compound surnames such as 欧阳 and 司马, rare characters such as 䶮, 𠮷 and 㛃, names
with ``·``, foreign students with passports), resident ID numbers with a correct check
character, mobile and landline numbers.

The package: :mod:`.people` and :mod:`.scenarios` make the people and their disputes,
:mod:`.planner` their timelines (on :mod:`.clock`'s office hours), :mod:`.staff` who acts,
:mod:`.service_writer` and :mod:`.bulk_writer` write them, :mod:`.helper` is the second
process of a large demo.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import random
import secrets
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from mediation.demo.model import DemoStaff, DemoSummary
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.progress import Progress
from mediation.timeutil import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.db import Database
    from mediation.permissions import Actor

# The writers load SQLAlchemy and the services: imported when a demo is made, so that the
# helper process's hidden command (``mediation.demo.helper``) starts without them.

__all__ = ["BULK_THRESHOLD", "MAX_CASES", "DemoStaff", "DemoSummary", "generate"]

log = logging.getLogger(__name__)


BULK_THRESHOLD = 2000
"""From this many cases on, rows are bulk-inserted instead of going through services."""


MAX_CASES = 1_000_000


PARALLEL_THRESHOLD = 20_000
"""Bulk demos this large build their rows in a second process (when there are 2 CPUs)."""


def generate(
    target: Session | Database,
    *,
    cases: int,
    seed: int | None = None,
    desk_id: int | None = None,
    users: DemoStaff | None = None,
    admin: Actor | None = None,
    consultations: int | None = None,
    bulk_threshold: int = BULK_THRESHOLD,
    parallel: bool | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> DemoSummary:
    """Add ``cases`` generated disputes (and some consultations) to a desk.

    Args:
        target: a Database (one write transaction is opened) or a session inside
            ``Database.write()`` (the caller commits).
        seed: same seed and same ``now``, same data; None: different every time.
        desk_id: the desk to fill (default: the first desk).
        users: who acts; by default the desk's officers and volunteers, with generated
            accounts created by ``admin`` (or the first administrator) if it has none.
        consultations: legal consultations logged besides those that became cases
            (default: a quarter of ``cases``); about a tenth of the cases start as one.
        bulk_threshold: from this many cases on, rows are bulk-inserted.
        parallel: bulk mode only: build the rows in a second process while this one
            inserts (None: for 20,000 cases or more when a second CPU is free).
        progress: called as ``progress(done, total)``; raising from it cancels
            (nothing is kept).
        now: the end of the two years (default: now).
    """
    from sqlalchemy import select

    from mediation.db import Database, require_write
    from mediation.demo.bulk_writer import BulkWriter
    from mediation.demo.service_writer import ServiceWriter
    from mediation.demo.staff import make_staff
    from mediation.models import Desk

    if isinstance(target, Database):
        with target.write() as session:
            return generate(session, cases=cases, seed=seed, desk_id=desk_id, users=users,
                            admin=admin, consultations=consultations, bulk_threshold=bulk_threshold,
                            parallel=parallel, progress=progress, now=now)
    session = target
    require_write(session)
    if not 0 <= cases <= MAX_CASES:
        raise ValidationError(field="cases", message=_("案件数量应在 0 到 {n} 之间。").format(n=MAX_CASES))
    started = time.perf_counter()
    if desk_id is None:
        desk_id = session.scalar(select(Desk.id).order_by(Desk.id).limit(1))
    desk = session.get(Desk, desk_id) if desk_id is not None else None
    if desk is None:
        raise ValidationError(field="desk_id", message=_("请先初始化系统（创建调解点和管理员），再生成演示数据。"))
    if seed is None:
        seed = secrets.randbits(64)
    staff = users or make_staff(session, desk.id, admin, random.Random(seed))
    if not staff.officers or not staff.volunteers:
        raise ValidationError(field="users", message=_("生成演示数据需要至少一名督导民警和一名值班学生。"))
    n_consult = cases // 4 if consultations is None else max(0, consultations)
    now = now or utcnow()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects and no cycles: collections would only cost time
    try:
        if cases >= bulk_threshold:
            if parallel is None:
                parallel = cases >= PARALLEL_THRESHOLD and _spare_cpu()
            result = BulkWriter(session, desk, staff).write(seed, now, cases, n_consult, parallel, progress)
        else:
            result = ServiceWriter(session, desk, staff).write(seed, now, cases, n_consult, progress)
    finally:
        if gc_was_enabled:
            gc.enable()
    return replace(result, seconds=round(time.perf_counter() - started, 3))


def _spare_cpu() -> bool:
    """Is a second CPU free for the helper process? (On a busy machine it only competes.)"""
    cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on Windows
        load = 0.0
    return cpus >= 2 and load <= cpus - 1
