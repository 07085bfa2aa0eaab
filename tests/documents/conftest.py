"""Fixtures for the document tests: generated cases and the rendered forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediation.documents import render, samples
from mediation.documents.model import DocumentContext
from tests.documents.helpers import FORMS


@pytest.fixture
def ctx() -> DocumentContext:
    return samples.sample_context()


@pytest.fixture(scope="session")
def rendered_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every form rendered once as PDF for the generated case (rare-character names)."""
    out = tmp_path_factory.mktemp("pdf")
    paths = {}
    for form in FORMS:
        path = out / f"{form}.pdf"
        path.write_bytes(render.render_pdf(form, samples.context_for(form)))
        paths[form] = path
    return paths


@pytest.fixture(scope="session")
def rendered_docx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docx")
    paths = {}
    for form in FORMS:
        path = out / f"{form}.docx"
        path.write_bytes(render.render_docx(form, samples.context_for(form)))
        paths[form] = path
    return paths
