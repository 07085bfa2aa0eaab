"""Fixtures for the document tests: generated cases and the rendered forms."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mediation.documents import render, samples
from mediation.documents.model import DocumentContext
from tests.documents.helpers import FORMS


@pytest.fixture
def ctx() -> DocumentContext:
    return samples.sample_context()


def _render_all(tmp_path_factory: pytest.TempPathFactory, suffix: str,
                render_form: Callable[[str, DocumentContext], bytes]) -> dict[str, Path]:
    """Every form rendered once for the generated case (rare-character names): form → file."""
    out = tmp_path_factory.mktemp(suffix)
    paths = {}
    for form in FORMS:
        path = out / f"{form}.{suffix}"
        path.write_bytes(render_form(form, samples.context_for(form)))
        paths[form] = path
    return paths


@pytest.fixture(scope="session")
def rendered_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _render_all(tmp_path_factory, "pdf", render.render_pdf)


@pytest.fixture(scope="session")
def rendered_docx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _render_all(tmp_path_factory, "docx", render.render_docx)
