"""Helper for test_crash.py: workers that restore or upgrade a database again and again until killed.

Run as ``python tests/db/kill_child.py MODE DIR`` (MODE ``restore`` or ``upgrade``) with
the repository on PYTHONPATH. Like crash_child.py, the process imports everything once,
then forks one worker per ``spawn`` line read on stdin; it never touches DIR itself.

* restore: ``DIR/live.sqlite3`` is replaced by ``DIR/backup.sqlite3`` over and over (each
  restore writes a safety copy ``live.before-restore-….sqlite3``);
* upgrade: ``DIR/old.sqlite3`` (an older revision) is copied to a fresh ``live-<pid>-<n>.sqlite3``
  (hidden until complete: the test's own set-up must not leave half files either) and
  upgraded, which writes ``….before-upgrade-….sqlite3`` first.

stdout: ``ready``, ``spawn PID``, ``ok`` after each finished operation.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from mediation import migrate
from mediation.db import make_engine
from mediation.services import backup


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def work(mode: str, folder: Path) -> None:
    n = 0
    while True:
        n += 1
        if mode == "restore":
            backup.restore(f"sqlite:///{folder / 'live.sqlite3'}", folder / "backup.sqlite3", username="admin")
        else:
            final = folder / f"live-{os.getpid()}-{n}.sqlite3"
            hidden = folder / f".{final.name}.setup-{os.getpid()}.tmp"
            shutil.copyfile(folder / "old.sqlite3", hidden)
            os.replace(hidden, final)
            engine = make_engine(f"sqlite:///{final}")
            try:
                migrate.upgrade(engine, backup=True)
            finally:
                engine.dispose()
        say("ok")


def warm_up(mode: str, folder: Path) -> None:
    """One operation on scratch copies elsewhere, so that each forked worker starts with
    everything imported and cached (Alembic's scripts, mappers) and finishes in time."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        where = Path(scratch)
        if mode == "restore":
            shutil.copyfile(folder / "backup.sqlite3", where / "backup.sqlite3")
            backup.restore(f"sqlite:///{where / 'live.sqlite3'}", where / "backup.sqlite3", username="admin")
        else:
            shutil.copyfile(folder / "old.sqlite3", where / "live.sqlite3")
            engine = make_engine(f"sqlite:///{where / 'live.sqlite3'}")
            try:
                migrate.upgrade(engine, backup=True)
            finally:
                engine.dispose()


def main() -> None:
    mode, folder = sys.argv[1], Path(sys.argv[2])
    warm_up(mode, folder)
    say("ready")
    for line in sys.stdin:
        if line.strip() != "spawn":
            continue
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        pid = os.fork()
        if pid == 0:
            try:
                work(mode, folder)
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
