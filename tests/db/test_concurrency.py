"""Numbers stay gapless and unique when several people accept cases at the same moment."""

from __future__ import annotations

import threading

from sqlalchemy import select

from mediation import workflow
from mediation.models import Case
from mediation.services import accounts, audit, cases, setup
from mediation.permissions import Actor
from tests.factories import dispute


def test_parallel_acceptance_on_two_desks_gives_gapless_numbers(db, desk):
    with db.write() as s:
        desk2 = setup.create_desk(s, desk.admin, name="第二联调中心", number_prefix="Y警校调字")
        uid = accounts.create_user(s, desk.admin, username="officer2", display_name="刘警官",
                                   role="officer", password="pass1234", desk_id=desk2)
    officer2 = Actor(uid, "officer2", "刘警官", "officer", desk2)
    per_desk = 8
    todo: dict[int, list[int]] = {desk.desk_id: [], desk2: []}
    for actor in (desk.officer, officer2):
        for _i in range(per_desk):
            with db.write() as s:
                ref = cases.register_case(s, actor, dispute())
                cases.choose_track(s, actor, ref.id, workflow.PEOPLE)
            todo[actor.desk_id].append(ref.id)

    errors: list[BaseException] = []

    def worker(actor: Actor, ids: list[int]) -> None:
        try:
            for cid in ids:
                with db.write() as s:
                    cases.accept_case(s, actor, cid)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = []
    for actor in (desk.officer, officer2):
        ids = todo[actor.desk_id]
        # Two threads per desk, interleaving.
        threads.append(threading.Thread(target=worker, args=(actor, ids[0::2])))
        threads.append(threading.Thread(target=worker, args=(actor, ids[1::2])))
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    with db.read() as s:
        for desk_id in (desk.desk_id, desk2):
            seqs = sorted(s.scalars(select(Case.seq).where(Case.desk_id == desk_id)))
            assert seqs == list(range(1, per_desk + 1))
        numbers = s.scalars(select(Case.number)).all()
        assert len(numbers) == len(set(numbers)) == 2 * per_desk
        assert audit.verify(s).ok
