"""Administrators' templates under limits (issue 11 item 14): time, output, loops and string
sizes; Word fields that run or fetch things; a document type declared anywhere; a macro
project under another name. Each is refused quickly with a clear message."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from mediation.documents import sandbox
from mediation.errors import ValidationError
from mediation.services import templates

FORM = "people_agreement"


def _docx_with(replace: dict[str, tuple[str, str]] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The form's starter template with some parts edited (part → (old, new)) or added."""
    src = zipfile.ZipFile(io.BytesIO(templates.starter_template(FORM)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if replace and info.filename in replace:
                old, new = replace[info.filename]
                text = data.decode("utf-8")
                assert old in text, (info.filename, old)
                data = text.replace(old, new, 1).encode("utf-8")
            out.writestr(info, data)
        for name, data in (add or {}).items():
            out.writestr(name, data)
    return buf.getvalue()


def _body(xml: str) -> dict[str, tuple[str, str]]:
    """Put ``xml`` (runs/paragraphs) at the start of the document body."""
    return {"word/document.xml": ("<w:body>", "<w:body>" + xml)}


def _refused(content: bytes, *words: str, seconds: float = 5.0) -> str:
    started = time.monotonic()
    with pytest.raises(ValidationError) as exc:
        templates.check_template(FORM, content, "模板.docx")
    assert time.monotonic() - started < seconds
    message = exc.value.message
    assert "KeyError" not in message and "Traceback" not in message
    for w in words:
        assert w in message, message
    return message


def _paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


@pytest.mark.parametrize(("source", "words"), [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "循环次数超过"),
    ("{% for c in 'x' * 10000 %}{% for d in 'x' * 10000 %}{{ d }}{% endfor %}{% endfor %}", "循环次数超过"),
    ("{{ facts | center(3000000000) }}", "center"),
    ("{{ facts.center(3000000000) }}", "center"),
    ("{{ facts | indent(100000000) }}", "indent"),
    ("{{ '%3000000000d' | format(1) }}", "format"),
    ("{{ '{:>3000000000}'.format(facts) }}", "format"),
    ("{{ ('x' * 10000) | replace('x', 'y' * 1000) }}", "replace"),
])
def test_rendering_runs_under_limits(source: str, words: str) -> None:
    # Before issue 11 the nested loops and center(3000000000) hung the check for over 60 s.
    _refused(_docx_with(_body(_paragraph(source))), "超出限制", words)


def test_the_time_limit_stops_a_template_that_stays_under_every_other(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)
    source = ("{% set s = namespace(v='') %}{% for i in range(100000) %}"
              "{% set s.v = s.v ~ 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' %}{% endfor %}{{ s.v | length }}")
    _refused(_docx_with(_body(_paragraph(source))), "超出限制", "时间")


def test_the_output_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "MAX_OUTPUT", 200_000)
    source = "{% for i in range(50000) %}{{ facts }}{% endfor %}"
    _refused(_docx_with(_body(_paragraph(source))), "超出限制", "字符")


def test_ordinary_loops_and_filters_still_work() -> None:
    source = ("{% for p in parties %}{{ loop.index }}{{ p.name | center(20) }}{% endfor %}"
              "{% for i in range(30) %}{{ i }}{% endfor %}{{ '%5d' | format(3) }}")
    templates.check_template(FORM, _docx_with(_body(_paragraph(source))), "模板.docx")


def _field(instruction: str, *, split: bool = False) -> str:
    """A complex Word field (fldChar begin … instrText … end), its code split over runs if asked."""
    parts = [instruction[:4], instruction[4:]] if split else [instruction]
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{p}</w:instrText></w:r>' for p in parts)
    return (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


@pytest.mark.parametrize("instruction", [
    ' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" ',
    ' DDE "c:\\\\windows\\\\system32\\\\cmd.exe" "/c calc" ',
    ' INCLUDEPICTURE "http://example.invalid/track.png" \\d ',
    ' INCLUDETEXT "\\\\\\\\host\\\\share\\\\text.docx" ',
    ' LINK Excel.Sheet.8 "http://example.invalid/a.xls" "Sheet1" ',
])
@pytest.mark.parametrize("split", [False, True])
def test_word_fields_that_run_or_fetch_things_are_refused(instruction: str, split: bool) -> None:
    name = re.match(r"\s*(\w+)", instruction).group(1)  # type: ignore[union-attr]
    _refused(_docx_with(_body(_field(instruction, split=split))), "Word 域", name)


def test_a_simple_field_is_checked_too_and_harmless_fields_pass() -> None:
    simple = '<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;c:\\\\a.docx&quot; "><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>'
    _refused(_docx_with(_body(simple)), "INCLUDETEXT")
    harmless = _field(' HYPERLINK "https://example.invalid/" ') + _field(" PAGE ")
    templates.check_template(FORM, _docx_with(_body(harmless)), "模板.docx")


def test_a_document_type_anywhere_in_any_part_is_refused() -> None:
    # Past the first 4,096 bytes, and not in document.xml: the old check read neither.
    styles = templates.starter_template(FORM)
    with zipfile.ZipFile(io.BytesIO(styles)) as z:
        original = z.read("word/styles.xml").decode("utf-8")
    assert len(original) > 4096
    late = original[:-len("</w:styles>")] + '<!DOCTYPE x [<!ENTITY e "e">]></w:styles>'
    _refused(_docx_with({"word/styles.xml": (original, late)}), "文档类型声明", "word/styles.xml")
    body = templates.starter_template(FORM)
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        doc = z.read("word/document.xml").decode("utf-8")
    padded = doc.replace("<w:body>", "<w:body>" + _paragraph("填充" * 3000), 1)
    padded = padded.replace("</w:body>", '<!DOCTYPE lol [<!ENTITY a "aaaa">]></w:body>', 1)
    _refused(_docx_with({"word/document.xml": (doc, padded)}), "文档类型声明")


def test_a_disguised_macro_project_gets_a_clear_message() -> None:
    rel = ('<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
           'Target="media/picture.png"/>')
    content = _docx_with({"word/_rels/document.xml.rels": ("</Relationships>", rel + "</Relationships>")},
                         add={"word/media/picture.png": b"\xd0\xcf\x11\xe0 not really a picture"})
    _refused(content, "含有宏", "rIdVba")


def test_a_relationship_to_a_missing_part_gets_a_clear_message() -> None:
    rel = ('<Relationship Id="rIdGone" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
           'Target="media/gone.png"/>')
    content = _docx_with({"word/_rels/document.xml.rels": ("</Relationships>", rel + "</Relationships>")})
    _refused(content, "media/gone.png", "不存在")
