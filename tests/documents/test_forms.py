"""Form descriptions: the ten forms load, bad descriptions are refused with a reason."""

from __future__ import annotations

import pytest

from mediation.documents import forms, render, samples
from mediation.errors import ValidationError
from tests.documents.helpers import FORMS


def test_list_forms() -> None:
    infos = render.list_forms()
    assert [i.form for i in infos] == FORMS
    titles = {i.form: i.title for i in infos}
    assert titles["people_agreement"] == "人民调解协议书"
    assert titles["police_agreement"] == "治安调解协议书"
    assert titles["oral_agreement"] == "人民调解口头协议登记表"
    assert {i.form for i in infos if i.agreement} == {
        "people_agreement",
        "police_agreement",
        "oral_agreement",
    }


@pytest.mark.parametrize("form", FORMS)
def test_every_form_evaluates(form: str) -> None:
    page = render.page_for(form, samples.context_for(form))
    texts = list(page.texts())
    assert texts and all("{{" not in t and "{%" not in t for t in texts)
    assert any(samples.RARE_NAMES[0] in t for t in texts)


def test_empty_context_renders_blanks_not_errors() -> None:
    from mediation.documents.model import DocumentContext

    for form in FORMS:
        page = render.page_for(form, DocumentContext())
        assert page.title


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        ('title = "x"\n[[block]]\ntype = "script"\n', "script"),
        ('title = "x"\n[[block]]\ntype = "text"\ncolour = "red"\n', "colour"),
        (
            'title = "x"\n[[block]]\ntype = "table"\nwidths = [1, 1]\n[[block.row]]\ncells = ["a"]\n',
            "widths",
        ),
        ('title = "x"\n[[block]]\ntype = "include"\npart = "../../etc/passwd"\n', "part"),
        ('title = "x"\nshell = "rm"\n', "shell"),
        ("title = \n", "格式有误"),
        (
            ('title = "x"\n[[block]]\ntype = "table"\nwidths = [1]\n[[block.row]]\n'
             'cells = [{ text = "a", span = "two" }]\n'),
            "格式有误",
        ),
        ('[[block]]\ntype = "text"\n', "title"),
    ],
)
def test_bad_descriptions_are_refused(spec: str, needle: str) -> None:
    with pytest.raises(ValidationError) as err:
        forms.parse_spec("test", spec)
    assert needle in err.value.message


def test_unknown_form() -> None:
    with pytest.raises(ValidationError):
        render.page_for("../people_agreement", samples.sample_context())
    with pytest.raises(ValidationError):
        render.page_for("no_such_form", samples.sample_context())


def test_numbering_and_repetition() -> None:
    page = render.page_for("people_agreement", samples.sample_context(long_facts=False))
    items = [b for b in page.blocks if isinstance(b, forms.Item)]
    assert [i.label for i in items] == ["1.", "2.", "3."]
    notice = render.page_for("termination_notice", samples.sample_context())
    routes = [b for b in notice.blocks if isinstance(b, forms.Item)]
    assert [r.label for r in routes] == ["（一）", "（二）"]


def test_warm_up_runs() -> None:
    from reportlab.pdfbase import pdfmetrics

    from mediation.documents import fonts

    render.warm_up(rare_characters=False)
    assert {fonts.BODY, fonts.TITLE} <= set(pdfmetrics.getRegisteredFontNames())  # parsed and registered


def test_each_form_says_what_a_person_writes_on_it() -> None:
    from mediation.documents.context import CONTENT_KEYS

    people = forms.editable_fields("people_agreement")
    assert [f.key for f in people][:3] == ["facts", "disputed_matters", "responsibilities"]
    assert {f.key for f in people if f.required} == {
        "facts", "disputed_matters", "terms", "performance_manner", "performance_place",
        "performance_deadline", "copies"}
    assert all(f.label and f.kind for f in people)
    assert [f.key for f in forms.editable_fields("case_file_cover")] == ["retention_period", "archivist", "document_date"]
    assert [f.key for f in forms.editable_fields("no_such_form")] == ["facts", "claims"]
    for form in forms.available_forms():
        assert {f.key for f in forms.editable_fields(form)} <= set(CONTENT_KEYS)
    assert forms.field_of_problem("agreement_date") == "document_date"
    assert forms.field_of_problem("parties.1.address").startswith(forms.FROM_CASE)
    assert {"draft", "returned"} == forms.EDITABLE_STATUSES


@pytest.mark.parametrize("form", ["people_agreement", "police_agreement", "oral_agreement"])
def test_a_required_field_left_blank_is_what_the_checker_refuses(form: str) -> None:
    """The editor's required marks and the checker's errors are the same list (copies is
    filled in with what the rules ask, so it is never blank)."""
    import dataclasses

    from mediation.documents.checks import check_document

    ctx = samples.context_for(form)
    assert not [p for p in check_document(form, ctx) if p.severity == "error"]
    for spec in forms.editable_fields(form):
        if not spec.required or spec.key == "copies":
            continue
        current = getattr(ctx, spec.key)
        blank = [] if isinstance(current, list) else None if not isinstance(current, str) else ""
        errors = [p for p in check_document(form, dataclasses.replace(ctx, **{spec.key: blank}))
                  if p.severity == "error"]
        assert [forms.field_of_problem(p.field) for p in errors] == [spec.key], spec.key
