"""The template sandbox: no Python internals, no files, no unknown fields."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from mediation.documents import forms, samples, sandbox
from mediation.errors import ValidationError


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ facts.__class__ }}",
        "{% for p in parties %}{{ p.__dict__ }}{% endfor %}",
        "{{ parties[0]['__class__'] }}",
        "{{ agreement_date.__reduce_ex__(2) }}",
    ],
)
def test_python_internals_are_refused_statically(source: str) -> None:
    with pytest.raises(ValidationError) as err:
        sandbox.check_source(source)
    assert "不允许" in err.value.message


def test_python_internals_are_refused_at_render_time_too() -> None:
    env = sandbox.environment()
    with pytest.raises((SecurityError, UndefinedError)):
        env.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render()
    with pytest.raises(SecurityError):
        env.from_string("{{ parties.append(1) }}").render(parties=[])


@pytest.mark.parametrize(
    "source",
    [
        "{% include '/etc/passwd' %}",
        "{% import 'x' as x %}",
        "{% extends 'base' %}",
        "{% macro m() %}x{% endmacro %}",
        "{% filter upper %}x{% endfilter %}",
    ],
)
def test_file_access_and_code_constructs_are_refused(source: str) -> None:
    with pytest.raises(ValidationError):
        sandbox.check_source(source)


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ("{{ nickname }}", "nickname"),
        ("{{ lipsum(5) }}", "lipsum"),
        ("{% for p in parties %}{{ p.nickname }}{% endfor %}", "p.nickname"),
        (
            ("{% for s in session_records %}{% for st in s.statements %}{{ st.mood }}"
             "{% endfor %}{% endfor %}"),
            "st.mood",
        ),
        ("{{ parties.name }}", "parties.name"),
        ("{{ parties | selectattr('wealth') | list }}", "wealth"),
    ],
)
def test_unknown_fields_are_rejected_by_name(source: str, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        sandbox.check_source(source)
    assert err.value.field == field
    assert field in err.value.message
    assert "未知字段" in err.value.message


def test_unknown_filter_is_rejected() -> None:
    with pytest.raises(ValidationError):
        sandbox.check_source("{{ facts | shell }}")


@pytest.mark.parametrize(
    "source",
    [
        "{{ agreement_number }}",
        "{% for p in parties %}{{ p.name }}{{ p.particulars }}{% endfor %}",
        "{% for a in amounts %}{{ a.value | rmb }}{% endfor %}",
        "{{ (parties | selectattr('is_principal') | first).name }}",
        "{% set n = parties | length %}{{ n }}{{ copies_cn }}",
        "{{ agreement_date.year }}{{ facts[:10] }}",
        "{% for t in terms %}{{ loop.index }}. {{ t }}{% endfor %}",
    ],
)
def test_ordinary_templates_pass(source: str) -> None:
    sandbox.check_source(source)  # accepted: no ValidationError
    # ... and they render the sample case into text.
    namespace = sandbox.template_namespace(samples.sample_context())
    assert sandbox.environment().from_string(source).render(**namespace).strip()


def test_resource_exhaustion_is_capped() -> None:
    env = sandbox.environment()
    with pytest.raises(SecurityError):
        env.from_string("{{ 'x' * 100000000 }}").render()
    with pytest.raises(SecurityError):
        env.from_string("{{ 10 ** 100000 }}").render()


def test_form_with_unknown_field_is_rejected_by_name() -> None:
    spec = """
title = "测试"
[[block]]
type = "text"
each = "parties"
as = "p"
text = "{{ p.name }}{{ p.shoe_size }}"
"""
    with pytest.raises(ValidationError) as err:
        forms.parse_spec("test", spec)
    assert err.value.field == "p.shoe_size"


def test_render_time_failure_becomes_validation_error() -> None:
    spec = forms.parse_spec(
        "test", 'title = "测试"\n[[block]]\ntype = "text"\ntext = "{{ facts | cn_num }}"\n'
    )
    with pytest.raises(ValidationError):
        forms.evaluate(spec, samples.sample_context())
