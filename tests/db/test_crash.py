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
