"""Helper for test_crash.py: workers that commit cases through the real services until killed.

Run as ``python tests/db/crash_child.py DB_PATH SEED`` with the repository on
PYTHONPATH. The process imports everything once (a "zygote"), then forks one worker
per ``spawn`` line read on stdin, so each restart after a SIGKILL costs milliseconds
instead of a second of imports. The zygote itself never opens the database under test.

stdout protocol, one line per event, each written with a single ``write`` call:
  ``ready``         imports done
  ``spawn PID``     a worker was forked
  ``ok CASE_ID``    a worker's transaction committed (written only after COMMIT returned)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import shutil
import sys

from sqlalchemy import select

from mediation import workflow
from mediation.db import Database
from mediation.models import User
from mediation.services import accounts, cases
from mediation.services.cases import CaseInput
from mediation.services.parties import PartyInput
from tests.factories import make_id

SURNAMES = "王李张刘陈杨黄赵吴周徐孙"
GIVEN = ["伟", "芳", "䶮", "𠮷", "㛃", "娜", "强", "敏", "静", "丽"]


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def _input(rng: random.Random) -> CaseInput:
    def person(role: str) -> PartyInput:
        birth = dt.date(1995 + rng.randrange(10), 1 + rng.randrange(12), 1 + rng.randrange(28))
        return PartyInput(role=role, name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                          id_number=make_id(birth, rng.randrange(1, 999)),
                          phone=f"13{rng.randrange(10**9):09d}")

    return CaseInput(parties=[person("applicant"), person("respondent")],
                     facts=f"申请人称押金{rng.randrange(100, 9000)}元未退还。", claims="退还押金。",
                     category="合同", subcategory="租房", source="当事人申请",
                     amount=f"{rng.randrange(0, 900000) / 100:.2f}")


def work(path: str, seed: int, *, rounds: int | None = None) -> None:
    db = Database(f"sqlite:///{path}")
    rng = random.Random(seed)
    with db.read() as s:
        officer = accounts.actor_for(s.scalars(select(User).where(User.username == "officer")).one())
        volunteer = accounts.actor_for(s.scalars(select(User).where(User.username == "volunteer")).one())
    n = 0
    while rounds is None or n < rounds:
        n += 1
        with db.write() as s:
            ref = cases.register_case(s, volunteer, _input(rng))
            if rng.random() < 0.6:
                # Numbering and the audit chain are in the same transaction: both must
                # survive a kill whole or not at all.
                cases.choose_track(s, officer, ref.id, workflow.PEOPLE)
                cases.accept_case(s, officer, ref.id)
        if rounds is None:
            say(f"ok {ref.id}")
    db.dispose()


def warm_up(path: str) -> None:
    """Run a few rounds on a scratch copy so each forked worker starts with warm caches
    (mapper configuration, first-use imports) and commits within milliseconds."""
    scratch = path + ".warm"
    shutil.copyfile(path, scratch)
    try:
        work(scratch, 0, rounds=3)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(scratch + suffix)


def main() -> None:
    path, seed = sys.argv[1], int(sys.argv[2])
    warm_up(path)
    say("ready")
    n = 0
    for line in sys.stdin:
        if line.strip() != "spawn":
            continue
        n += 1
        # Reap killed workers so they do not pile up as zombies.
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        pid = os.fork()
        if pid == 0:
            try:
                work(path, seed * 1000 + n)
            finally:
                os._exit(0)
        say(f"spawn {pid}")
    try:
        while True:
            os.waitpid(-1, 0)
    except ChildProcessError:
        pass


if __name__ == "__main__":
    main()
