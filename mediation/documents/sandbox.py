"""The sandboxed Jinja2 environment every template runs in, and the field checker.

Two locks:

* at render time, an :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` with
  ``StrictUndefined``: no access to ``_``-prefixed attributes (``__class__``,
  ``__globals__``...), no mutation of values, no loader (so no ``include``/``import``
  of files), ranges and repetition capped;
* before a template is accepted, a static walk of its syntax tree
  (:func:`check_source`): every name and attribute it reads must be a field or
  property of :class:`~mediation.documents.model.DocumentContext` (or of the item
  type of the list being looped over). An unknown name is rejected with a
  :class:`~mediation.errors.ValidationError` naming it, so a typo in an
  administrator's template is found when it is uploaded, not when a loop that
  happens to be empty hides it.
"""

from __future__ import annotations

import contextvars
import dataclasses
import functools
import operator
import re
import time
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from mediation.documents import numerals
from mediation.documents.model import DocumentContext, Party
from mediation.errors import ValidationError
from mediation.i18n import _

MAX_REPEAT = 10_000  # longest string a template may build with "*"
MAX_LOOP_ITERATIONS = 200_000
"""Iterations of every ``{% for %}`` of one rendering together (a form loops over tens)."""
MAX_OUTPUT = 20_000_000
"""Characters one rendering may produce (a long agreement's document.xml is well under 1 MB)."""
MAX_SECONDS = 10.0
"""Time one rendering may take (a form takes milliseconds)."""
MAX_WIDTH = 1_000
"""Largest width or length a string filter or method may be given (center, indent, format…)."""
MAX_STRING = 1_000_000
"""Longest string a ``replace`` may produce."""


class LimitExceeded(SecurityError):
    """A rendering went past one of the limits above; the message says which, in Chinese."""


@dataclasses.dataclass
class _Budget:
    deadline: float
    iterations: int = 0
    output: int = 0

    def tick(self) -> None:
        self.iterations += 1
        if self.iterations > MAX_LOOP_ITERATIONS:
            raise LimitExceeded(_("循环次数超过 {n} 次（例如嵌套的大循环）").format(n=MAX_LOOP_ITERATIONS))
        if not self.iterations % 256:
            self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(_("填写时间超过 {s:.0f} 秒").format(s=MAX_SECONDS))


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("mediation_template_budget", default=None)


def _current_budget() -> _Budget:
    budget = _budget.get()
    # Outside a rendering (an expression evaluated on its own): a budget for this loop alone.
    return budget if budget is not None else _Budget(time.monotonic() + MAX_SECONDS)


def _loop_budget(value: Any) -> Iterator[Any]:
    """Every ``{% for %}``'s iterable goes through here (see ``_DocumentSandbox._parse``)."""
    budget = _current_budget()
    for item in value:
        budget.tick()
        yield item


def _limited_concat(chunks: Iterable[str]) -> str:
    """The rendering's output joined, within :data:`MAX_OUTPUT` and :data:`MAX_SECONDS`;
    the loops of this rendering count against one budget."""
    budget = _Budget(time.monotonic() + MAX_SECONDS)
    token = _budget.set(budget)
    try:
        out: list[str] = []
        for chunk in chunks:
            budget.output += len(chunk)
            if budget.output > MAX_OUTPUT:
                raise LimitExceeded(_("填写结果超过 {n} 个字符").format(n=MAX_OUTPUT))
            budget.check_time()
            out.append(chunk)
        return "".join(out)
    finally:
        _budget.reset(token)


def _check_width(what: str, values: Iterable[Any]) -> None:
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_WIDTH:
            raise LimitExceeded(_("“{what}”的宽度或长度 {v} 超过 {n}").format(what=what, v=v, n=MAX_WIDTH))


_FORMAT_NUMBERS = re.compile(r"(?:%[-#0 +]*|\{[^{}]*?:[^{}\d]*)(\d+)")


def _check_format(what: str, spec: Any) -> None:
    """%-style and {}-style widths and precisions inside a format string."""
    if isinstance(spec, str):
        for m in _FORMAT_NUMBERS.finditer(spec):
            if int(m.group(1)) > MAX_WIDTH:
                raise LimitExceeded(_("“{what}”的宽度或长度 {v} 超过 {n}").format(
                    what=what, v=m.group(1), n=MAX_WIDTH))
        if "%*" in spec or ".*" in spec:
            raise LimitExceeded(_("“{what}”不能用 * 指定宽度").format(what=what))


def _sized_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)  # keeps jinja's pass_environment / pass_eval_context marks
    def checked(*args: Any, **kwargs: Any) -> Any:
        _check_width(name, [*args[1:], *kwargs.values()])
        if name == "format" and args:
            _check_format(name, args[0] if isinstance(args[0], str) else args[1] if len(args) > 1 else None)
        if name == "replace":
            s, old, new = (args[-3], args[-2], args[-1]) if len(args) >= 3 and not kwargs else (None, None, None)
            if isinstance(s, str) and isinstance(old, str) and isinstance(new, str):
                grown = len(s) + (s.count(old) if old else len(s) + 1) * max(len(new) - len(old), 0)
                if grown > MAX_STRING:
                    raise LimitExceeded(_("“replace”的结果超过 {n} 个字符").format(n=MAX_STRING))
        return fn(*args, **kwargs)
    return checked


_SIZED_FILTERS = ("center", "indent", "wordwrap", "truncate", "format", "replace")
_SIZED_STR_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map"})


class _DocumentSandbox(ImmutableSandboxedEnvironment):
    """Sandbox that also caps ``*`` and ``**``, loops, output, time and string widths, so a
    template cannot exhaust memory or hang the program (issue 11 item 14)."""

    intercepted_binops = frozenset({"*", "**"})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Every loop's iterable goes through the budget filter. (Done on the parsed tree,
        # before Jinja analyses its names: a wrapped iterable is an ordinary filter call.)
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "loop_budget", [], [], None, None, lineno=loop.iter.lineno)
        return tree

    def getattr(self, obj: Any, attribute: str) -> Any:
        value = super().getattr(obj, attribute)
        if isinstance(obj, str) and attribute in _SIZED_STR_METHODS and callable(value):
            method = value

            def checked(*args: Any, **kwargs: Any) -> Any:
                _check_width(attribute, [*args, *kwargs.values()])
                if attribute in ("format", "format_map"):
                    _check_format(attribute, obj)
                return method(*args, **kwargs)
            return checked
        return value

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("exponent too large")
            return operator.pow(left, right)
        if operator_ == "*":
            for seq, n in ((left, right), (right, left)):
                if (isinstance(seq, (str, list, tuple)) and isinstance(n, int)
                        and len(seq) * max(n, 0) > MAX_REPEAT):
                    raise SecurityError("repetition too long")
            return operator.mul(left, right)
        return super().call_binop(context, operator_, left, right)

def _yuan(value: Any) -> str:
    return numerals.yuan_figures(value)


def _or_blank(value: Any, width: int = 6) -> str:
    """The value, or ideographic spaces to leave room for handwriting."""
    if value is None or value == "":
        return "　" * width
    return str(value)


FILTERS: dict[str, Callable[..., Any]] = {
    "rmb": numerals.format_amount,
    "rmb_upper": numerals.rmb_upper,
    "yuan": _yuan,
    "cn_date": numerals.cn_date,
    "cn_datetime": numerals.cn_datetime,
    "cn_time": numerals.cn_time,
    "cn_num": numerals.cn_number,
    "cn_year": numerals.cn_year_digits,
    "or_blank": _or_blank,
}


def make_environment(*, autoescape: bool = False) -> ImmutableSandboxedEnvironment:
    """A fresh sandbox with the document filters (one per use that needs autoescape)."""
    env = _DocumentSandbox(
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=False,
    )
    env.filters.update(FILTERS)
    for name in _SIZED_FILTERS:
        env.filters[name] = _sized_filter(name, env.filters[name])
    env.filters["loop_budget"] = _loop_budget
    env.concat = _limited_concat  # type: ignore[method-assign]
    # No globals beyond Jinja's harmless defaults (range, dict, lipsum, cycler, joiner,
    # namespace); drop the ones a form has no use for.
    for name in ("lipsum", "cycler", "joiner"):
        env.globals.pop(name, None)
    return env


@functools.cache
def environment() -> ImmutableSandboxedEnvironment:
    """The shared, non-escaping sandbox used for the built-in forms."""
    return make_environment()


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Leaf:
    """A value templates may print or call safe methods on (str, date, Decimal...)."""

    name: str


@dataclass(frozen=True)
class ListOf:
    item: Shape


@dataclass(frozen=True)
class Struct:
    cls: type

    def members(self) -> Mapping[str, Shape]:
        return _members(self.cls)


@dataclass(frozen=True)
class AnyShape:
    """Unknown shape (result of an expression the checker cannot type)."""


Shape = Leaf | ListOf | Struct | AnyShape
ANY = AnyShape()


def _shape_of(tp: Any) -> Shape:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _shape_of(args[0]) if len(args) == 1 else ANY
    if origin in (list, tuple, typing.Sequence) or (
        origin is not None and getattr(origin, "__name__", "") == "Sequence"
    ):
        items = typing.get_args(tp)
        return ListOf(_shape_of(items[0]) if items else ANY)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return Struct(tp)
    return Leaf(getattr(tp, "__name__", str(tp)))


@functools.cache
def _members(cls: type) -> Mapping[str, Shape]:
    hints = typing.get_type_hints(cls)
    out: dict[str, Shape] = {}
    for f in dataclasses.fields(cls):
        out[f.name] = _shape_of(hints[f.name])
    for name in dir(cls):
        if name.startswith("_") or name in out:
            continue
        attr = getattr(cls, name)
        if isinstance(attr, property) and attr.fget is not None:
            ret = typing.get_type_hints(attr.fget).get("return", Any)
            out[name] = _shape_of(ret)
        elif callable(attr):
            out[name] = Leaf("method")
    return out


def context_fields() -> list[str]:
    """Top-level names a template may use (fields and properties of the context)."""
    return sorted(_members(DocumentContext))


def party_fields() -> list[str]:
    """The names of each party in the context's lists (``p.name`` …)."""
    return sorted(_members(Party))


def template_namespace(ctx: DocumentContext) -> dict[str, Any]:
    """The variables a template sees: every field and property of ``ctx`` by name."""
    return {name: getattr(ctx, name) for name in _members(DocumentContext)}


# --------------------------------------------------------------------------- checker

_LIST_PRESERVING_FILTERS = frozenset(
    {"selectattr", "rejectattr", "sort", "list", "reverse", "unique", "batch", "slice", "loop_budget"}
)
_FORBIDDEN_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Macro,
    nodes.CallBlock,
    nodes.Extends,
    nodes.Include,
    nodes.Import,
    nodes.FromImport,
    nodes.Block,
    nodes.FilterBlock,
    nodes.Scope,
    nodes.ScopedEvalContextModifier,
    nodes.EvalContextModifier,
)
_BUILTIN_NAMES = frozenset({"range", "dict", "namespace", "loop", "true", "false", "none"})


def _unknown(name: str) -> ValidationError:
    return ValidationError(field=name, message=_("模板使用了未知字段“{name}”").format(name=name))


def _unsafe(what: str) -> ValidationError:
    return ValidationError(
        field="template", message=_("模板含有不允许的内容：{what}").format(what=what)
    )


class _Checker:
    """Walks a parsed template, tracking the shape of every local name."""

    def __init__(self, root: Mapping[str, Shape]) -> None:
        self.scopes: list[dict[str, Shape]] = [dict(root)]

    def lookup(self, name: str) -> Shape | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def bind(self, target: nodes.Node, shape: Shape) -> None:
        if isinstance(target, nodes.Name):
            self.scopes[-1][target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY)

    # expressions --------------------------------------------------------
    def expr(self, node: nodes.Node) -> tuple[Shape, str]:
        """Check ``node``; return its shape and a dotted name for messages."""
        if isinstance(node, nodes.Name):
            shape = self.lookup(node.name)
            if shape is None:
                if node.name in _BUILTIN_NAMES:
                    return ANY, node.name
                raise _unknown(node.name)
            return shape, node.name
        if isinstance(node, nodes.Getattr):
            return self.member(node.node, node.attr)
        if isinstance(node, nodes.Getitem):
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                return self.member(node.node, arg.value)
            base, label = self.expr(node.node)
            self.generic(arg)
            if isinstance(base, ListOf):
                return base.item, label
            return ANY, label
        if isinstance(node, nodes.Filter):
            base_shape: Shape = ANY
            label = ""
            if node.node is not None:
                base_shape, label = self.expr(node.node)
            self.call_args(node)
            if node.name in ("selectattr", "rejectattr", "sort", "map", "groupby", "sum", "unique"):
                self.check_attr_args(node, base_shape)
            if node.name in _LIST_PRESERVING_FILTERS and isinstance(base_shape, ListOf):
                if node.name in ("batch", "slice"):
                    return ListOf(base_shape), label
                return base_shape, label
            if node.name in ("first", "last", "random") and isinstance(base_shape, ListOf):
                return base_shape.item, label
            return ANY, label
        if isinstance(node, nodes.Call):
            shape, label = self.expr(node.node)
            self.call_args(node)
            return ANY, label
        if isinstance(node, nodes.CondExpr):
            self.expr(node.test)
            a, label = self.expr(node.expr1)
            if node.expr2 is not None:
                self.expr(node.expr2)
            return a, label
        self.generic(node)
        return ANY, ""

    def check_attr_args(self, node: nodes.Filter, base: Shape) -> None:
        """``selectattr("x")`` and friends name an attribute: check it on the item."""
        if not isinstance(base, ListOf):
            return
        first = node.args[0] if node.args else None
        attr_node = first
        if node.name in ("map", "sort", "sum", "unique", "groupby"):
            attr_node = next((kw.value for kw in node.kwargs if kw.key == "attribute"), None)
            if attr_node is None and node.name == "groupby":
                attr_node = first
        if isinstance(attr_node, nodes.Const) and isinstance(attr_node.value, str):
            shape: Shape = base.item
            for part in attr_node.value.split("."):
                shape = self.member_of(shape, part, part)

    def member(self, obj: nodes.Node, attr: str) -> tuple[Shape, str]:
        base, label = self.expr(obj)
        full = f"{label}.{attr}" if label else attr
        return self.member_of(base, attr, full), full

    def member_of(self, base: Shape, attr: str, full: str) -> Shape:
        if attr.startswith("_"):
            raise _unsafe(full)
        if isinstance(base, Struct):
            members = base.members()
            if attr not in members:
                raise _unknown(full)
            return members[attr]
        if isinstance(base, ListOf):
            raise _unknown(full)
        return ANY

    def call_args(self, node: nodes.Filter | nodes.Call | nodes.Test) -> None:
        for arg in node.args:
            self.expr(arg)
        for kw in node.kwargs:
            self.expr(kw.value)
        if node.dyn_args is not None:
            self.expr(node.dyn_args)
        if node.dyn_kwargs is not None:
            self.expr(node.dyn_kwargs)

    def generic(self, node: nodes.Node) -> None:
        """Check every child expression of ``node``."""
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child)
            else:
                self.stmt(child)

    # statements ---------------------------------------------------------
    def stmt(self, node: nodes.Node) -> None:
        if isinstance(node, _FORBIDDEN_NODES):
            raise _unsafe(type(node).__name__)
        if isinstance(node, nodes.For):
            iter_shape, _label = self.expr(node.iter)
            item = iter_shape.item if isinstance(iter_shape, ListOf) else ANY
            self.scopes.append({})
            self.bind(node.target, item)
            if node.test is not None:
                self.expr(node.test)
            for child in node.body:
                self.stmt(child)
            self.scopes.pop()
            for child in node.else_:
                self.stmt(child)
            return
        if isinstance(node, nodes.Assign):
            shape, _label = self.expr(node.node)
            self.bind(node.target, shape)
            return
        if isinstance(node, nodes.AssignBlock):
            for child in node.body:
                self.stmt(child)
            self.bind(node.target, Leaf("str"))
            return
        if isinstance(node, nodes.With):
            self.scopes.append({})
            for target, value in zip(node.targets, node.values, strict=False):
                shape, _label = self.expr(value)
                self.bind(target, shape)
            for child in node.body:
                self.stmt(child)
            self.scopes.pop()
            return
        if isinstance(node, nodes.Expr):
            self.expr(node)
            return
        self.generic(node)


def root_shapes(extra: Mapping[str, Shape] | None = None) -> dict[str, Shape]:
    shapes: dict[str, Shape] = dict(_members(DocumentContext))
    if extra:
        shapes.update(extra)
    return shapes


def _syntax_hint(detail: str) -> str:
    """What a Jinja syntax error means, in the words of someone editing a Word template."""
    m = re.search(r"unknown tag '(\w+)'", detail)
    if m and m.group(1).startswith("end"):
        return _("多了一个“{tag}”：前面没有与它对应的开头标签。").format(tag=m.group(1))
    if m:
        return _("不认识的标签“{tag}”；可用的有 if、elif、else、for、set 及其结束标签。").format(tag=m.group(1))
    m = re.search(r"no (filter|test) named '(\w+)'", detail, re.IGNORECASE)
    if m:
        return _("没有名为“{name}”的过滤器或判断。").format(name=m.group(2))
    if "end of template" in detail:
        return _("有未结束的 {% if %} 或 {% for %}：请补上对应的 {% endif %} 或 {% endfor %}。")
    if "endif" in detail or "endfor" in detail or "Unexpected" in detail or "unexpected" in detail:
        return _("{{ }} 或 {% %} 不成对，或标签的次序不对。")
    return _("占位符 {{ }} 或标签 {% %} 的写法不对。")


def check_source(
    source: str,
    *,
    extra: Mapping[str, Shape] | None = None,
    env: ImmutableSandboxedEnvironment | None = None,
) -> None:
    """Reject ``source`` if it names an unknown field or uses a forbidden construct.

    ``extra`` adds local names (e.g. the loop item of a repeated block).
    """
    env = env or environment()
    try:
        tree = env.parse(source)
        env.compile(tree)  # code generation also catches unknown filters and tests
    except TemplateSyntaxError as exc:
        raise ValidationError(
            field="template",
            message=_("模板写法有误：{hint}（技术细节：第{line}行，{detail}）").format(
                hint=_syntax_hint(exc.message or ""), line=exc.lineno, detail=exc.message or ""
            ),
        ) from exc
    except TemplateError as exc:
        raise ValidationError(
            field="template", message=_("模板错误：{detail}").format(detail=str(exc))
        ) from exc
    checker = _Checker(root_shapes(extra))
    for child in tree.body:
        checker.stmt(child)


def shape_of_expression(expression: str, *, extra: Mapping[str, Shape] | None = None) -> Shape:
    """Check an expression (``parties``, ``session_records``...) and return its shape."""
    env = environment()
    try:
        tree = env.parse("{{ " + expression + " }}")
    except TemplateSyntaxError as exc:
        raise ValidationError(
            field="template",
            message=_("模板表达式有误：{expr}").format(expr=expression),
        ) from exc
    checker = _Checker(root_shapes(extra))
    output = tree.body[0]
    assert isinstance(output, nodes.Output)
    shape, _label = checker.expr(output.nodes[0])
    return shape


def render_error(exc: Exception) -> ValidationError:
    """A sandbox or undefined-value failure at render time, as a ValidationError."""
    if isinstance(exc, LimitExceeded):
        return ValidationError(field="template", message=_("模板填写时超出限制：{what}。").format(what=str(exc)))
    if isinstance(exc, SecurityError):
        return _unsafe(str(exc))
    if isinstance(exc, UndefinedError):
        return ValidationError(
            field="template", message=_("模板使用了未知字段：{detail}").format(detail=str(exc))
        )
    return ValidationError(
        field="template",
        message=_("模板填写时出错（{kind}）：{detail}").format(
            kind=type(exc).__name__, detail=str(exc)
        ),
    )


# Errors a filter or expression may raise on odd data; reported, not crashed on.
RENDER_ERRORS: tuple[type[Exception], ...] = (
    TemplateError,
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    AttributeError,
)
