"""The helper process of a large demo: it makes the rows while the writer inserts them.

The process is the program itself run with the hidden command ``_demo-helper`` (both
entry points, ``mediation`` and ``mediation-desk``, hand it to :func:`main` before
anything else), so it starts the same way from a checkout, an installed wheel or a
frozen bundle, which has no separate Python to run (issue 14 item 5).
"""

from __future__ import annotations

import gc
import logging
import pickle
import subprocess
import sys
import traceback
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mediation.demo.bulk_writer import Batch, BulkSetup

log = logging.getLogger(__name__)

COMMAND = "_demo-helper"
"""The hidden command that runs :func:`main`."""


def command() -> list[str]:
    """How to start the helper: the frozen program itself, else this Python with ``-m mediation``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, COMMAND]
    return [sys.executable, "-m", "mediation", COMMAND]


def main() -> int:
    """Entry of the helper process: read a setup on stdin, write pickled batches to stdout."""
    from mediation.demo.bulk_writer import batches

    gc.disable()
    out = sys.stdout.buffer
    try:
        setup = pickle.load(sys.stdin.buffer)
        for batch in batches(setup):
            pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
        pickle.dump(None, out)
    except BaseException:  # noqa: BLE001 - sent to the writer, which raises it as a RuntimeError
        pickle.dump(traceback.format_exc(), out)
    out.flush()
    return 0


class HelperGone(Exception):
    """The helper process ended without a word (could not start, or was killed)."""


def batches_from_helper(setup: BulkSetup) -> Iterator[Batch]:
    """The batches made in a second process, so rows are built while rows are inserted.

    A plain subprocess, not multiprocessing: nothing of the caller's main module is re-run
    in it, and no fork of a threaded (Qt) process.
    """
    process = subprocess.Popen(command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    try:
        try:
            pickle.dump(setup, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.close()
        except OSError:
            raise HelperGone() from None
        while True:
            try:
                item = pickle.load(process.stdout)
            except (EOFError, pickle.UnpicklingError):
                raise HelperGone() from None
            if item is None:
                return
            if isinstance(item, str):
                raise RuntimeError("demo data helper process failed:\n" + item)
            yield item
    finally:
        process.stdout.close()
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)


def batch_source(setup: BulkSetup, parallel: bool) -> Iterator[Batch]:
    """The batches, from the helper process if asked for and it works, else made here."""
    from mediation.demo.bulk_writer import batches

    if parallel:
        received = False
        try:
            for batch in batches_from_helper(setup):
                received = True
                yield batch
            return
        except (HelperGone, OSError):
            if received:
                raise RuntimeError("demo data helper process ended unexpectedly") from None
            log.warning("demo data helper process unavailable; making the rows in this process")
    yield from batches(setup)
