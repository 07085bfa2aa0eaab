"""Kill -9 a process committing cases, again and again; nothing committed may be lost.

A child (tests/db/crash_child.py) registers and accepts cases through the real
services on a SQLite file and prints each case id after its COMMIT returned. We kill
it with SIGKILL after a random short delay, restart it, and repeat (>= 50 kills).
Afterwards the file passes ``PRAGMA integrity_check``, every reported case is there,
case numbers are still gapless and the audit chain verifies.

Reproduce a failure with ``CRASH_SEED=<seed printed in the message>``.
"""

from __future__ import annotations

import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediation.db import Database
from mediation.models import Case, NumberSequence
from mediation.services import audit
from tests.conftest import Desk

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")]

HELPER = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]
KILLS = 60
MAX_SECONDS = 50


def _reader(stream, out: queue.Queue[str | None]) -> None:
    for raw in stream:
        if raw.endswith(b"\n"):  # a line cut by the kill is not a report
            out.put(raw.decode().strip())
    out.put(None)


def test_sigkill_while_committing_loses_nothing(sqlite_template: Path, tmp_path: Path) -> None:
    seed = int(os.environ.get("CRASH_SEED", time.time_ns() % 1_000_000_007))
    rng = random.Random(seed)
    path = tmp_path / "crash.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    Desk(db)  # desk, admin, officer, volunteer
    db.dispose()

    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, str(HELPER), str(path), str(seed)], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    lines: queue.Queue[str | None] = queue.Queue()
    thread = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
    thread.start()
    reported: list[int] = []
    kills = 0
    started = time.monotonic()

    def next_line(timeout: float = 30) -> str:
        while True:
            line = lines.get(timeout=timeout)
            assert line is not None, f"helper exited early (seed {seed})"
            if line.startswith("ok "):
                reported.append(int(line[3:]))
                continue
            return line

    try:
        assert next_line() == "ready"
        while kills < KILLS:
            assert proc.stdin is not None
            proc.stdin.write(b"spawn\n")
            proc.stdin.flush()
            line = next_line()
            assert line.startswith("spawn "), line
            pid = int(line.split()[1])
            # Mostly mid-loop; sometimes while the worker is still opening the database.
            time.sleep(rng.choice([rng.uniform(0.0, 0.03), rng.uniform(0.03, 0.4), rng.uniform(0.03, 0.4)]))
            os.kill(pid, signal.SIGKILL)
            kills += 1
            assert time.monotonic() - started < MAX_SECONDS, f"too slow (seed {seed})"
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if the helper hangs
            proc.kill()
            proc.wait()
    thread.join(timeout=10)
    while True:
        try:
            line = lines.get_nowait()
        except queue.Empty:
            break
        if line and line.startswith("ok "):
            reported.append(int(line[3:]))

    assert kills >= 50
    assert len(reported) >= kills, f"too few commits between kills to mean anything (seed {seed})"
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"seed {seed}"
        present = {r[0] for r in conn.execute("SELECT id FROM mediation_case")}
    finally:
        conn.close()
    missing = sorted(set(reported) - present)
    assert not missing, f"committed cases lost after SIGKILL: {missing[:10]} (seed {seed})"

    db = Database(f"sqlite:///{path}")
    try:
        with db.read() as s:
            assert audit.verify(s).ok, f"seed {seed}"
            seqs = s.scalars(select(Case.seq).where(Case.seq.is_not(None)).order_by(Case.seq)).all()
            assert seqs == list(range(1, len(seqs) + 1)), f"numbering has gaps (seed {seed})"
            last = s.scalar(select(func.max(NumberSequence.last_value)).where(NumberSequence.kind == "case"))
            assert (last or 0) == len(seqs)
    finally:
        db.dispose()


# ---------------------------------------------------------------- killed restores and upgrades

KILL_CHILD = Path(__file__).with_name("kill_child.py")
OP_KILLS = 25


def _kill_repeatedly(mode: str, folder: Path, seed: int, *, longest: float = 0.5) -> int:
    """Run kill_child.py in ``mode`` and SIGKILL its workers at random moments (up to
    ``longest`` seconds after the start); returns how many operations finished in between."""
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    errors = open(folder.parent / f"{mode}-child.err", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, str(KILL_CHILD), mode, str(folder)], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
    lines: queue.Queue[str | None] = queue.Queue()
    thread = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
    thread.start()
    finished = 0
    started = time.monotonic()

    def next_line() -> str:
        nonlocal finished
        while True:
            line = lines.get(timeout=30)
            assert line is not None, f"helper exited early (seed {seed})"
            if line == "ok":
                finished += 1
                continue
            return line

    try:
        assert next_line() == "ready"
        for _ in range(OP_KILLS):
            assert proc.stdin is not None
            proc.stdin.write(b"spawn\n")
            proc.stdin.flush()
            line = next_line()
            assert line.startswith("spawn "), line
            time.sleep(rng.uniform(0.02, longest))
            os.kill(int(line.split()[1]), signal.SIGKILL)
            assert time.monotonic() - started < 3 * MAX_SECONDS, f"too slow (seed {seed})"
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait(timeout=30)
        errors.close()
    thread.join(timeout=10)
    while not lines.empty():
        if lines.get_nowait() == "ok":
            finished += 1
    return finished


def _complete_copy(path: Path) -> tuple[str, int]:
    """(revision, cases) of a file that claims to be a backup: it must be whole, on its own."""
    for side in ("-journal", "-wal"):
        assert not path.with_name(path.name + side).exists(), f"{path.name} has a {side} beside it"
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], path.name
        assert conn.execute("SELECT count(*) FROM user_account WHERE role = 'admin'").fetchone()[0] >= 1, path.name
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        return str(revision), int(conn.execute("SELECT count(*) FROM mediation_case").fetchone()[0])
    finally:
        conn.close()


def _after_the_next_start(folder: Path) -> None:
    """What the next start does (open_database / the command line): stale temporaries go."""
    from mediation.services.backup import files

    files.clean_stale(folder)
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp"))
    assert not left, left


def test_sigkill_during_restore_leaves_no_file_that_looks_like_a_backup(sqlite_template: Path, tmp_path: Path) -> None:
    from mediation.services import backup, cases
    from tests.factories import dispute

    seed = int(os.environ.get("CRASH_SEED", time.time_ns() % 1_000_000_007))
    folder = tmp_path / "desk"
    folder.mkdir()
    live = folder / "live.sqlite3"
    shutil.copy(sqlite_template, live)
    db = Database(f"sqlite:///{live}")
    desk = Desk(db)
    with db.write() as s:
        for _ in range(2):
            cases.register_case(s, desk.volunteer, dispute())
    backup.backup(db, folder / "backup.sqlite3")
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    db.dispose()

    # A restore checks the backup (integrity, revision, audit chains) before its swap: under
    # load one takes more than 0.5 s, so kills spread over 1.5 s as for the upgrade below.
    finished = _kill_repeatedly("restore", folder, seed, longest=1.5)
    assert finished >= 3, f"too few restores between kills to mean anything (seed {seed}): " + \
        (tmp_path / "restore-child.err").read_text(errors="replace")[-2000:]
    # The live database is opened the ordinary way (its own WAL, if a killed restore left one
    # after the swap, belongs to it and is applied).
    conn = sqlite3.connect(live)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"seed {seed}"
        assert conn.execute("SELECT count(*) FROM mediation_case").fetchone()[0] in (2, 3), f"seed {seed}"
    finally:
        conn.close()
    safety = sorted(p for p in folder.glob("live.before-restore-*") if not p.name.endswith(("-journal", "-wal")))
    assert safety, f"seed {seed}"
    for path in safety:
        assert _complete_copy(path)[1] in (2, 3), f"{path.name} (seed {seed})"
    _after_the_next_start(folder)
    with Database(f"sqlite:///{live}").read() as s:
        from mediation.services import audit

        assert audit.verify(s).ok, f"seed {seed}"


def test_sigkill_during_upgrade_leaves_no_file_that_looks_like_a_backup(tmp_path: Path) -> None:
    from mediation import migrate
    from mediation.db import make_engine
    from tests.db.test_migrations import _populate_0001

    seed = int(os.environ.get("CRASH_SEED", time.time_ns() % 1_000_000_007))
    folder = tmp_path / "desk"
    folder.mkdir()
    engine = make_engine(f"sqlite:///{folder / 'old.sqlite3'}")
    migrate.upgrade(engine, revision="0001", backup=False)
    with engine.begin() as conn:
        _populate_0001(conn)
    migrate.upgrade(engine, revision="0004", backup=False)
    engine.dispose()
    plain = sqlite3.connect(folder / "old.sqlite3")
    plain.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to copy
    plain.close()

    # Seven revisions from 0004 to the head now: kills spread over a longer upgrade, so that
    # some upgrades finish between them on a loaded machine too (0.5 s left 2 of 25).
    finished = _kill_repeatedly("upgrade", folder, seed, longest=1.5)
    assert finished >= 3, f"too few upgrades between kills to mean anything (seed {seed}): " + \
        (tmp_path / "upgrade-child.err").read_text(errors="replace")[-2000:]
    # Every file named like a backup (temporaries are hidden and end in .tmp: the next
    # start removes them, checked below).
    written = sorted(p for p in folder.glob("[!.]*.before-upgrade-*") if not p.name.endswith(("-journal", "-wal")))
    assert written, f"seed {seed}"
    for path in written:
        assert _complete_copy(path) == ("0004", 1), f"{path.name} (seed {seed})"
    _after_the_next_start(folder)
