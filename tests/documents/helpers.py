"""Helpers shared by the document tests (forms list, poppler runner)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FORMS = [
    "application",
    "case_file_cover",
    "follow_up",
    "judicial_confirmation",
    "oral_agreement",
    "people_agreement",
    "police_agreement",
    "rights_notice",
    "session_record",
    "termination_notice",
]

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) is not installed; CI installs it",
)


def poppler(tool: str, path: Path, *args: str) -> str:
    """Run a poppler tool on ``path`` and return its standard output."""
    out = subprocess.run(
        [tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, *args, str(path)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return out.stdout.decode("utf-8")
