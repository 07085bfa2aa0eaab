"""Form descriptions (``templates/<form>.toml``) and their evaluation into a page model.

A form is declared once, in TOML (parsed with :mod:`tomllib`, no code): a title, the
number printed top right, and a list of blocks. Every string in it is a sandboxed
Jinja2 template over :class:`~mediation.documents.model.DocumentContext`. Evaluating a
form against a context gives a :class:`Page` — plain paragraphs, numbered items,
tables and a signature block with all placeholders filled — which :mod:`.pdf` and
:mod:`.docx` lay out the same way.

Block types (keys in brackets are optional)::

    text        text, [style = body|heading|small|title|subtitle|right|center],
                [indent = true], [align]; each output line becomes a paragraph
    items       each, [as = "item"], text, [numbering = arabic|cn|paren]
    table       widths = [...], [[block.row]] cells = [...], [height] (mm)
    signatures  like table, without grid; cells with sign = true get a line to sign on
    group       blocks = [...] (nested), usually with each/as
    include     part = "parties": the blocks of ``templates/parts/parties.toml``
    spacer      height (mm)
    page_break

Any block or table row may carry ``each`` (an expression giving a list), ``as`` (the
name of the item, default ``item``) and ``when`` (an expression; skipped if false).
A cell is a string or a table ``{ text, span, align, label, sign, signer, role, fit }``;
``fit = true`` marks text that must never break (a name, a number, an ID number): the
PDF keeps it on one line (smaller type, then a wider cell, then condensed type).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jinja2 import Template

from mediation import assets
from mediation.documents import sandbox
from mediation.documents.model import DocumentContext, FormContext, VolunteerContext
from mediation.documents.numerals import cn_number
from mediation.errors import ValidationError
from mediation.i18n import N_, _

TEMPLATE_DIR = assets.templates_dir()

Align = Literal["left", "center", "right", "justify"]
TextStyle = Literal["body", "heading", "small", "title", "subtitle", "right", "center"]
_STYLES = frozenset({"body", "heading", "small", "title", "subtitle", "right", "center"})
_ALIGNS = frozenset({"left", "center", "right", "justify"})

# ------------------------------------------------------------------ page model (output)


@dataclass(frozen=True)
class Para:
    text: str
    style: TextStyle = "body"
    align: Align = "left"
    indent: bool = False


@dataclass(frozen=True)
class Item:
    label: str
    text: str


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1
    align: Align = "left"
    label: bool = False  # a caption cell ("姓名"), printed centred
    sign: bool = False  # a space to sign in (signature block)
    rowspan: int = 1
    signer: str = ""  # whose signature goes in this space (name), when captured on screen
    role: str = ""  # in what capacity they sign there (a key of workflow.SIGNER_ROLES)
    fit: bool = False  # one line, never broken: a name, a number (the PDF shrinks, widens, condenses)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    height_mm: float = 0.0


@dataclass(frozen=True)
class Table:
    widths: tuple[float, ...]
    rows: tuple[Row, ...]
    grid: bool = True


@dataclass(frozen=True)
class Signatures:
    widths: tuple[float, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Spacer:
    height_mm: float


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Para | Item | Table | Signatures | Spacer | PageBreak


@dataclass(frozen=True)
class Page:
    """A filled-in form, ready for layout."""

    form: str
    title: str
    number: str
    blocks: tuple[Block, ...]
    issuer: str = ""

    def texts(self) -> Iterator[str]:
        """Every piece of visible text, in order (for tests and glyph checks)."""
        if self.issuer:
            yield self.issuer
        yield self.title
        if self.number:
            yield self.number
        for block in self.blocks:
            if isinstance(block, Para):
                yield block.text
            elif isinstance(block, Item):
                yield block.label + block.text
            elif isinstance(block, (Table, Signatures)):
                for row in block.rows:
                    for cell in row.cells:
                        if cell.text:
                            yield cell.text


# ------------------------------------------------------------------ spec (input)


@dataclass(frozen=True)
class Scope:
    """``each``/``as``/``when`` of a block or row."""

    each: str | None = None
    as_: str = "item"
    when: str | None = None


@dataclass(frozen=True)
class CellSpec:
    text: str
    span: int = 1
    align: Align = "left"
    label: bool = False
    sign: bool = False
    rowspan: int = 1
    signer: str = ""
    role: str = ""
    fit: bool = False


@dataclass(frozen=True)
class RowSpec:
    """A row (``cells``) or a group of rows (``rows``), each possibly repeated."""

    cells: tuple[CellSpec, ...]
    scope: Scope
    height_mm: float = 0.0
    rows: tuple[RowSpec, ...] = ()


@dataclass(frozen=True)
class BlockSpec:
    type: str
    scope: Scope
    text: str = ""
    style: TextStyle = "body"
    align: Align = "left"
    indent: bool = False
    numbering: str = "arabic"
    widths: tuple[float, ...] = ()
    rows: tuple[RowSpec, ...] = ()
    blocks: tuple[BlockSpec, ...] = ()
    height_mm: float = 0.0


@dataclass(frozen=True)
class FormSpec:
    form: str
    title: str
    label: str
    number: str
    blocks: tuple[BlockSpec, ...]
    agreement: bool = False
    issuer: str = ""
    subject: str = "case"
    """What the form is filled from: ``case`` (DocumentContext) or ``volunteer`` (VolunteerContext)."""


SUBJECTS: dict[str, type] = {"case": DocumentContext, "volunteer": VolunteerContext}
"""The context each kind of form is filled from."""


def _bad(form: str, what: str) -> ValidationError:
    return ValidationError(
        field=f"templates.{form}",
        message=_("表单模板“{form}”格式有误：{what}").format(form=form, what=what),
    )


def _scope(form: str, raw: Mapping[str, Any]) -> Scope:
    each = raw.get("each")
    when = raw.get("when")
    as_ = raw.get("as", "item")
    for key, value in (("each", each), ("when", when)):
        if value is not None and not isinstance(value, str):
            raise _bad(form, f"{key} 必须是字符串")
    if not isinstance(as_, str) or not as_.isidentifier() or as_.startswith("_"):
        raise _bad(form, "as 必须是名称")
    return Scope(each=each, as_=as_, when=when)


def _cell(form: str, raw: Any) -> CellSpec:
    if isinstance(raw, str):
        return CellSpec(text=raw)
    if not isinstance(raw, dict):
        raise _bad(form, "单元格必须是字符串或表")
    unknown = set(raw) - {"text", "span", "align", "label", "sign", "rowspan", "signer", "role", "fit"}
    if unknown:
        raise _bad(form, "单元格有未知键 " + "、".join(sorted(unknown)))
    align = raw.get("align", "left")
    if align not in _ALIGNS:
        raise _bad(form, f"align={align}")
    if raw.get("sign") and not (raw.get("signer") and raw.get("role")):
        # Every line the form prints to sign on must be signable: who, and in what capacity.
        raise _bad(form, "签名栏（sign = true）须写明 signer（签名人）和 role（身份）")
    return CellSpec(
        text=str(raw.get("text", "")),
        span=int(raw.get("span", 1)),
        align=align,
        label=bool(raw.get("label", False)),
        sign=bool(raw.get("sign", False)),
        rowspan=int(raw.get("rowspan", 1)),
        signer=str(raw.get("signer", "")),
        role=str(raw.get("role", "")),
        fit=bool(raw.get("fit", False)),
    )


def _row(form: str, raw: Any) -> RowSpec:
    if not isinstance(raw, dict) or ("cells" in raw) == ("row" in raw):
        raise _bad(form, "表格行需要 cells 或 row（二者之一）")
    unknown = set(raw) - {"cells", "row", "each", "as", "when", "height"}
    if unknown:
        raise _bad(form, "表格行有未知键 " + "、".join(sorted(unknown)))
    return RowSpec(
        cells=tuple(_cell(form, c) for c in raw.get("cells", [])),
        scope=_scope(form, raw),
        height_mm=float(raw.get("height", 0)),
        rows=tuple(_row(form, r) for r in raw.get("row", [])),
    )


def _leaf_rows(rows: tuple[RowSpec, ...]) -> Iterator[RowSpec]:
    for r in rows:
        if r.rows:
            yield from _leaf_rows(r.rows)
        else:
            yield r


_BLOCK_KEYS = {
    "text": {"text", "style", "align", "indent"},
    "items": {"text", "numbering"},
    "table": {"widths", "row"},
    "signatures": {"widths", "row"},
    "group": {"block"},
    "include": {"part"},
    "spacer": {"height"},
    "page_break": set(),
}


def _part_blocks(form: str, name: Any, depth: int) -> list[Any]:
    """The raw blocks of a shared part (only plain names inside templates/parts/)."""
    if not isinstance(name, str) or not name.isidentifier() or depth > 4:
        raise _bad(form, f"part={name!r}")
    path = TEMPLATE_DIR / "parts" / f"{name}.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _bad(form, f"part {name}: {exc}") from exc
    blocks = raw.get("block", [])
    if set(raw) - {"block"} or not isinstance(blocks, list):
        raise _bad(form, f"part {name}")
    return blocks


def _block(form: str, raw: Any, depth: int = 0) -> BlockSpec:
    if not isinstance(raw, dict):
        raise _bad(form, "block 必须是表")
    kind = raw.get("type")
    if kind not in _BLOCK_KEYS:
        raise _bad(form, f"未知的 block 类型 {kind!r}")
    unknown = set(raw) - _BLOCK_KEYS[kind] - {"type", "each", "as", "when"}
    if unknown:
        raise _bad(form, f"{kind} 有未知键 " + "、".join(sorted(unknown)))
    style = raw.get("style", "body")
    align = raw.get("align", "left" if style not in ("title", "subtitle", "center") else "center")
    if style == "right":
        align = "right"
    if style not in _STYLES or align not in _ALIGNS:
        raise _bad(form, f"style={style} align={align}")
    numbering = raw.get("numbering", "arabic")
    if numbering not in ("arabic", "cn", "paren"):
        raise _bad(form, f"numbering={numbering}")
    children = raw.get("block", [])
    if kind == "include":
        children = _part_blocks(form, raw.get("part"), depth)
        kind = "group"
    rows = tuple(_row(form, r) for r in raw.get("row", []))
    widths = tuple(float(w) for w in raw.get("widths", []))
    if kind in ("table", "signatures"):
        if not widths:
            raise _bad(form, "表格需要 widths")
        for r in _leaf_rows(rows):
            if sum(c.span for c in r.cells) != len(widths):
                raise _bad(form, "表格行的单元格数与 widths 不符")
    return BlockSpec(
        type=kind,
        scope=_scope(form, raw),
        text=str(raw.get("text", "")),
        style=style,
        align=align,
        indent=bool(raw.get("indent", False)),
        numbering=numbering,
        widths=widths,
        rows=rows,
        blocks=tuple(_block(form, b, depth + 1) for b in children),
        height_mm=float(raw.get("height", 0)),
    )


def parse_spec(form: str, text: str) -> FormSpec:
    """Parse and check a form description; raises ValidationError naming what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _bad(form, str(exc)) from exc
    unknown = set(raw) - {"title", "label", "number", "issuer", "block", "agreement", "subject"}
    if unknown:
        raise _bad(form, "未知键 " + "、".join(sorted(unknown)))
    if not isinstance(raw.get("title"), str):
        raise _bad(form, "缺少 title")
    if raw.get("subject", "case") not in SUBJECTS:
        raise _bad(form, f"subject={raw.get('subject')!r}")
    try:
        spec = _form_spec(form, raw)
    except (TypeError, ValueError) as exc:  # e.g. span = "two"
        raise _bad(form, str(exc)) from exc
    check_spec(spec)
    return spec


def _form_spec(form: str, raw: dict[str, Any]) -> FormSpec:
    return FormSpec(
        form=form,
        title=raw["title"],
        label=str(raw.get("label", raw["title"])),
        number=str(raw.get("number", "")),
        blocks=tuple(_block(form, b) for b in raw.get("block", [])),
        agreement=bool(raw.get("agreement", False)),
        issuer=str(raw.get("issuer", "")),
        subject=str(raw.get("subject", "case")),
    )


# ------------------------------------------------------------------ static checking


def _check_scope(scope: Scope, local: dict[str, sandbox.Shape], context: type) -> dict[str, sandbox.Shape]:
    """Check a scope's expressions; return the locals visible inside it."""
    inner = dict(local)
    if scope.each is not None:
        shape = sandbox.shape_of_expression(scope.each, extra=local, context=context)
        if isinstance(shape, sandbox.Leaf):
            raise ValidationError(
                field=scope.each,
                message=_("“{name}”不是列表，不能逐项重复").format(name=scope.each),
            )
        item = shape.item if isinstance(shape, sandbox.ListOf) else sandbox.ANY
        inner[scope.as_] = item
        inner["index"] = sandbox.Leaf("int")
        inner["index_cn"] = sandbox.Leaf("str")
    if scope.when is not None:
        sandbox.shape_of_expression(scope.when, extra=inner, context=context)
    return inner


def _check_rows(rows: tuple[RowSpec, ...], local: dict[str, sandbox.Shape], context: type) -> None:
    for row in rows:
        row_locals = _check_scope(row.scope, local, context)
        for cell in row.cells:
            if cell.text:
                sandbox.check_source(cell.text, extra=row_locals, context=context)
            if cell.signer:
                sandbox.check_source(cell.signer, extra=row_locals, context=context)
            if cell.role:
                sandbox.check_source(cell.role, extra=row_locals, context=context)
        _check_rows(row.rows, row_locals, context)


def _check_block(block: BlockSpec, local: dict[str, sandbox.Shape], context: type) -> None:
    inner = _check_scope(block.scope, local, context)
    if block.type == "items":
        inner = dict(inner)
        inner["number"] = sandbox.Leaf("str")
    if block.text:
        sandbox.check_source(block.text, extra=inner, context=context)
    _check_rows(block.rows, inner, context)
    for child in block.blocks:
        _check_block(child, inner, context)


def check_spec(spec: FormSpec) -> None:
    """Reject a form whose templates name unknown fields or unsafe constructs."""
    context = SUBJECTS[spec.subject]
    sandbox.check_source(spec.title, context=context)
    sandbox.check_source(spec.number, context=context)
    sandbox.check_source(spec.issuer, context=context)
    for block in spec.blocks:
        _check_block(block, {}, context)


# ------------------------------------------------------------------ loading


@functools.cache
def _load(form: str, path: Path, mtime: float) -> FormSpec:
    return parse_spec(form, path.read_text(encoding="utf-8"))


def form_path(form: str) -> Path:
    return TEMPLATE_DIR / f"{form}.toml"


def load_spec(form: str) -> FormSpec:
    """The parsed description of ``form`` (cached; re-read when the file changes)."""
    if not form.isidentifier():
        raise _unknown_form(form)
    path = form_path(form)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise _unknown_form(form) from None
    # Shared parts count too: editing parts/parties.toml reloads every form.
    for part in (TEMPLATE_DIR / "parts").glob("*.toml"):
        mtime = max(mtime, part.stat().st_mtime)
    return _load(form, path, mtime)


def _unknown_form(form: str) -> ValidationError:
    return ValidationError(field="form", message=_("没有名为“{form}”的文书").format(form=form))


def available_forms(subject: str = "case") -> list[str]:
    """The forms filled from a ``subject`` (a case's documents, or a volunteer's certificates)."""
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.toml") if load_spec(p.stem).subject == subject)


# ------------------------------------------------------------------ evaluation


@functools.lru_cache(maxsize=2048)
def _template(source: str) -> Template:
    return sandbox.environment().from_string(source)


@functools.lru_cache(maxsize=512)
def _expression(source: str) -> Any:
    return sandbox.environment().compile_expression(source, undefined_to_none=False)


_NUMBERING = {
    "arabic": lambda n: f"{n}.",
    "cn": lambda n: f"{cn_number(n)}、",
    "paren": lambda n: f"（{cn_number(n)}）",
}


class _Evaluator:
    def __init__(self, ctx: FormContext) -> None:
        self.base = sandbox.template_namespace(ctx)

    def text(self, source: str, local: Mapping[str, Any]) -> str:
        if not source:
            return ""
        if "{" not in source:
            return source
        return _template(source).render({**self.base, **local}).strip("\n")

    def scopes(self, scope: Scope, local: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """The locals for each repetition of a block or row (none if ``when`` fails)."""
        if scope.each is None:
            candidates: list[dict[str, Any]] = [dict(local)]
        else:
            items = _expression(scope.each)(**{**self.base, **local})
            candidates = [
                {**local, scope.as_: item, "index": i, "index_cn": cn_number(i)}
                for i, item in enumerate(items or [], start=1)
            ]
        for candidate in candidates:
            if scope.when is None or _expression(scope.when)(**{**self.base, **candidate}):
                yield candidate

    def rows(self, specs: tuple[RowSpec, ...], local: Mapping[str, Any]) -> tuple[Row, ...]:
        out: list[Row] = []
        for spec in specs:
            for row_local in self.scopes(spec.scope, local):
                if spec.rows:
                    out.extend(self.rows(spec.rows, row_local))
                    continue
                cells = tuple(
                    Cell(
                        text=self.text(c.text, row_local),
                        span=c.span,
                        align=c.align,
                        label=c.label,
                        sign=c.sign,
                        rowspan=c.rowspan,
                        signer=self.text(c.signer, row_local).strip() if c.signer else "",
                        role=self.text(c.role, row_local).strip() if c.role else "",
                        fit=c.fit,
                    )
                    for c in spec.cells
                )
                out.append(Row(cells=cells, height_mm=spec.height_mm))
        return tuple(out)

    def blocks(self, specs: tuple[BlockSpec, ...], local: Mapping[str, Any]) -> list[Block]:
        out: list[Block] = []
        for spec in specs:
            if spec.type == "items":
                # Numbering runs over the items of one block.
                for n, item_local in enumerate(self.scopes(spec.scope, local), start=1):
                    text = self.text(spec.text, {**item_local, "number": str(n)})
                    if text.strip():
                        out.append(Item(label=_NUMBERING[spec.numbering](n), text=text))
                continue
            for block_local in self.scopes(spec.scope, local):
                out.extend(self.block(spec, block_local))
        return out

    def block(self, spec: BlockSpec, local: Mapping[str, Any]) -> list[Block]:
        if spec.type == "text":
            text = self.text(spec.text, local)
            return [
                Para(text=line.strip(), style=spec.style, align=spec.align, indent=spec.indent)
                for line in text.split("\n")
                if line.strip()
            ]
        if spec.type == "table":
            rows = self.rows(spec.rows, local)
            return [Table(widths=spec.widths, rows=rows)] if rows else []
        if spec.type == "signatures":
            return [Signatures(widths=spec.widths, rows=self.rows(spec.rows, local))]
        if spec.type == "group":
            return self.blocks(spec.blocks, local)
        if spec.type == "spacer":
            return [Spacer(spec.height_mm)]
        if spec.type == "page_break":
            return [PageBreak()]
        raise AssertionError(spec.type)


def evaluate(spec: FormSpec, ctx: FormContext) -> Page:
    """Fill ``spec`` in from ``ctx`` (of the form's subject)."""
    if not isinstance(ctx, SUBJECTS[spec.subject]):
        raise TypeError(f"form {spec.form} is filled from a {SUBJECTS[spec.subject].__name__}")
    try:
        ev = _Evaluator(ctx)
        blocks = ev.blocks(spec.blocks, {})
        title = ev.text(spec.title, {})
        number = ev.text(spec.number, {})
        issuer = ev.text(spec.issuer, {})
    except sandbox.RENDER_ERRORS as exc:
        raise sandbox.render_error(exc) from exc
    # Drop a page break at the very end (it would leave an empty page).
    while blocks and isinstance(blocks[-1], PageBreak):
        blocks.pop()
    return Page(form=spec.form, title=title, number=number, blocks=tuple(blocks), issuer=issuer)


# ------------------------------------------------------------------ the lines to sign on


@dataclass(frozen=True)
class SignLine:
    """A line the form prints to sign on (a ``sign = true`` cell of a signatures block)."""

    role: str
    """In what capacity (a key of :data:`mediation.workflow.SIGNER_ROLES`)."""
    name: str
    """Who signs there ("" when the form does not name them yet)."""
    caption: str
    """The words printed before the line (人民调解员 王五（签名）：)."""

    @property
    def key(self) -> tuple[str, str]:
        """Who signs, as a captured signature is stored: (role, name)."""
        return (self.role, self.name)


def sign_lines(page: Page) -> list[SignLine]:
    """Every line of ``page`` to sign on, in order, each (role, name) once: what must be
    signed before the version is final, derived from the layout (never restated)."""
    out: dict[tuple[str, str], SignLine] = {}
    for block in page.blocks:
        if not isinstance(block, Signatures):
            continue
        for row in block.rows:
            caption = next((c.text for c in row.cells if not c.sign and c.text), "")
            for cell in row.cells:
                if cell.sign:
                    line = SignLine(cell.role, cell.signer, caption)
                    out.setdefault(line.key, line)
    return list(out.values())


# ------------------------------------------------------------------ what a person fills in

FieldKind = Literal["text", "line", "date", "datetime", "lines", "terms", "amounts", "copies"]


@dataclass(frozen=True)
class FieldSpec:
    """One part of a form that the person drafting it writes (the rest comes from the case).

    ``label`` and ``hint`` are source strings marked with ``N_``: translate them with
    :func:`mediation.i18n._` where they are shown.
    """

    key: str
    """The key in a document version's content (``documents.context.CONTENT_KEYS``)."""
    label: str
    kind: FieldKind
    """text | line | date | datetime | lines (one item a line) | terms | amounts | copies."""
    hint: str = ""
    required: bool = False
    """The checker requires it before the document may be approved."""


_FIELD_TEXTS: dict[str, tuple[str, FieldKind, str]] = {
    "incident_time": (N_("案发时间"), "datetime", ""),
    "incident_place": (N_("案发地点"), "line", ""),
    "facts": (N_("纠纷主要事实"), "text", ""),
    "claims": (N_("请求事项"), "text", ""),
    "disputed_matters": (N_("争议事项"), "text", ""),
    "responsibilities": (N_("各方责任"), "text", ""),
    "terms": (N_("协议条款（逐条）"), "terms",
              N_("每条一项内容，打印时自动编号。金额请同时写大写，如“人民币贰仟元整（¥2,000.00）”。")),
    "amounts": (N_("涉及金额"), "amounts", ""),
    "performance_manner": (N_("履行方式"), "line", ""),
    "performance_place": (N_("履行地点"), "line", ""),
    "performance_deadline": (N_("履行期限"), "date", ""),
    "copies": (N_("协议份数（一式N份）"), "copies", ""),
    "presiding_officer": (N_("主持人（民警）"), "line", N_("不填时为受理本案的民警。")),
    "witness": (N_("见证人"), "line", ""),
    "recorder": (N_("记录人"), "line", N_("不填时为第一次调解记录的记录人。")),
    "court": (N_("受理的人民法院"), "line", N_("如“某某区人民法院”；不填则留空由当事人手写。")),
    "termination_reason": (N_("终止调解的理由"), "text", ""),
    "termination_routes": (N_("告知的其他解决途径（每行一条）"), "lines", ""),
    "retention_period": (N_("保管期限"), "line", N_("如“10年”“30年”“永久”；归档时以此为准。")),
    "archivist": (N_("立卷人"), "line", N_("整理本卷宗的人。")),
    "document_date": (N_("文书日期"), "date", N_("不填时：协议用达成协议的日期，其他文书用打印当天。")),
}

_AGREEMENT_TAIL = ("terms", "amounts", "performance_manner", "performance_place", "performance_deadline")
_FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "people_agreement": ("facts", "disputed_matters", "responsibilities", *_AGREEMENT_TAIL, "copies",
                         "recorder", "document_date"),
    "police_agreement": ("incident_time", "incident_place", "facts", *_AGREEMENT_TAIL, "copies",
                         "presiding_officer", "witness", "document_date"),
    "oral_agreement": ("facts", *_AGREEMENT_TAIL, "recorder", "document_date"),
    "judicial_confirmation": ("terms", "court", "document_date"),
    "application": ("facts", "claims"),
    "termination_notice": ("termination_reason", "termination_routes"),
    "case_file_cover": ("retention_period", "archivist", "document_date"),
    "session_record": ("recorder",),
    "rights_notice": ("document_date",),
    "follow_up": ("document_date",),
}
_DEFAULT_FIELDS = ("facts", "claims")
_REQUIRED: dict[str, frozenset[str]] = {
    "people_agreement": frozenset({"facts", "disputed_matters", "terms", "performance_manner", "performance_place",
                                   "performance_deadline", "copies"}),
    "police_agreement": frozenset({"incident_time", "incident_place", "facts", "terms", "performance_manner",
                                   "performance_deadline", "copies", "presiding_officer"}),
    "oral_agreement": frozenset({"facts", "terms", "performance_manner", "performance_place",
                                 "performance_deadline"}),
    "case_file_cover": frozenset({"retention_period", "archivist"}),
}
_PROBLEM_ALIASES = {"agreement_date": "document_date"}
"""Checker findings named after the printed field, written in another editable one."""
FROM_CASE = ("parties", "mediator", "committee_name", "police_unit", "agreement_number", "case_number")
"""Checker findings about what the case record or the desk's settings give (edited there)."""

EDITABLE_STATUSES = frozenset({"draft", "returned"})
"""A document version may be edited while it is a draft or was returned for changes."""


def editable_fields(form: str) -> list[FieldSpec]:
    """The fields a person writes on ``form``, in the order the editor shows them."""
    required = _REQUIRED.get(form, frozenset())
    return [FieldSpec(key, label, kind, hint, key in required)
            for key in _FORM_FIELDS.get(form, _DEFAULT_FIELDS)
            for label, kind, hint in (_FIELD_TEXTS[key],)]


def field_of_problem(problem_field: str) -> str:
    """The field a checker finding (``parties.1.address``, ``agreement_date``) is about:
    an editable field's key, or a key starting with one of :data:`FROM_CASE`."""
    head = problem_field.split(".")[0]
    return _PROBLEM_ALIASES.get(head, head)
