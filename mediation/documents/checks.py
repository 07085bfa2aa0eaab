"""The form checker: what must be on an agreement before an officer may approve it.

:func:`check_document` returns a list of :class:`Problem` (code, field, Chinese message,
severity). An ``error`` blocks approval; a ``warning`` is shown but does not. The rules
follow DOMAIN §4: 人民调解法 Art.29 and the MoJ form for people's-mediation agreements,
the police rules for public-order ones (一式三份, presiding officer), and the
bank rules for writing amounts (figures and capitals must agree).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from mediation import validation, workflow
from mediation.documents.model import DocumentContext, Party, PartyRole
from mediation.documents.numerals import rmb_upper
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.timeutil import local_today

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    code: str  # stable identifier, e.g. "party_address_missing"
    field: str  # context field, e.g. "parties.1.address"
    message_zh: str  # what is wrong and what to do, for the desk
    severity: Severity = "error"


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _who(index: int, party: Party) -> str:
    name = party.name.strip() or _("（未填姓名）")
    return _("第{n}位当事人（{role}{name}）").format(n=index + 1, role=party.role_label, name=name)


# ------------------------------------------------------------------ ID numbers


def id_number_problem(value: str, today: dt.date | None = None) -> str | None:
    """Why a resident ID number is invalid (the intake's own check and words), or None."""
    try:
        validation.resident_id(value, today=today)
    except ValidationError as exc:
        return next(iter(exc.errors.values()))
    return None


# ------------------------------------------------------------------ amounts in text

_CAPITAL = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整正"
_PAIR = re.compile(
    r"(人民币)?(["
    + _CAPITAL
    + r"]+)\s*[（(]\s*(?:人民币)?\s*[¥￥]\s*([\d,]+(?:\.\d+)?)\s*(?:元)?\s*[）)]"
)
_FIGURE = re.compile(r"[¥￥]\s*([\d,]+(?:\.\d+)?)|([\d,]+(?:\.\d+)?)\s*元")


def _figure_value(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def amount_problems(text: str, field: str) -> list[Problem]:
    """Capital/figure pairs in ``text`` that disagree, and figures with no capitals."""
    problems: list[Problem] = []
    covered: list[tuple[int, int]] = []
    for m in _PAIR.finditer(text):
        covered.append(m.span())
        capital, figure = m.group(2), m.group(3)
        value = _figure_value(figure)
        try:
            expected = rmb_upper(value, prefix=False) if value is not None else None
        except ValueError:
            expected = None
        if expected is None or capital.replace("正", "整") != expected:
            problems.append(
                Problem(
                    "amount_mismatch",
                    field,
                    _(
                        "金额大写“{capital}”与数字“¥{figure}”不一致，¥{figure}应写作“{expected}”"
                    ).format(capital=capital, figure=figure, expected=expected or "?"),
                )
            )
    for m in _FIGURE.finditer(text):
        if any(a <= m.start() < b for a, b in covered):
            continue
        figure = m.group(1) or m.group(2)
        # A year, a day or a count ("2026年", "3栋") is not money: only flag "¥…" or
        # "…元" outright.
        problems.append(
            Problem(
                "amount_capital_missing",
                field,
                _("金额“{figure}”只写了数字，应同时写明大写，如“{example}”").format(
                    figure=m.group(0).strip(), example=_safe_format(figure)
                ),
                "warning",
            )
        )
    return problems


def _safe_format(figure: str) -> str:
    value = _figure_value(figure)
    try:
        return f"{rmb_upper(value)}（¥{figure}）" if value is not None else figure
    except ValueError:
        return figure


# ------------------------------------------------------------------ the checks


def _check_party(i: int, p: Party, *, police: bool, today: dt.date) -> list[Problem]:
    out: list[Problem] = []
    base = f"parties.{i}"
    who = _who(i, p)
    if _blank(p.name):
        out.append(
            Problem("party_name_missing", f"{base}.name", _("{who}缺少姓名或名称").format(who=who))
        )
    if _blank(p.id_number) and _blank(p.id_missing_reason):
        out.append(
            Problem(
                "party_id_missing",
                f"{base}.id_number",
                _("{who}缺少身份证号码（或统一社会信用代码）；没有的，请注明原因").format(who=who),
            )
        )
    elif p.is_person and not _blank(p.id_number):
        why = id_number_problem(p.id_number, today)
        if why is not None and len(p.id_number.strip()) == 18:
            out.append(
                Problem(
                    "party_id_invalid",
                    f"{base}.id_number",
                    _("{who}的身份证号码有误：{why}").format(who=who, why=why),
                    "warning",
                )
            )
    if _blank(p.address):
        out.append(
            Problem("party_address_missing", f"{base}.address", _("{who}缺少住址").format(who=who))
        )
    if _blank(p.phone):
        out.append(
            Problem(
                "party_contact_missing", f"{base}.phone", _("{who}缺少联系方式").format(who=who)
            )
        )
    if p.is_person:
        for attr, code, label in (
            ("sex", "party_sex_missing", _("性别")),
            ("ethnicity", "party_ethnicity_missing", _("民族")),
        ):
            if _blank(getattr(p, attr)) and not (police and attr == "ethnicity"):
                out.append(
                    Problem(
                        code,
                        f"{base}.{attr}",
                        _("{who}缺少{what}").format(who=who, what=label),
                        "warning",
                    )
                )
        if p.birth_date is None and p.age is None:
            out.append(
                Problem(
                    "party_age_missing",
                    f"{base}.birth_date",
                    _("{who}缺少出生日期或年龄").format(who=who),
                    "warning",
                )
            )
        if _blank(p.occupation) and _blank(p.employer):
            out.append(
                Problem(
                    "party_occupation_missing",
                    f"{base}.occupation",
                    _("{who}缺少职业或工作单位").format(who=who),
                    "warning",
                )
            )
    elif _blank(p.legal_representative):
        out.append(
            Problem(
                "party_representative_missing",
                f"{base}.legal_representative",
                _("{who}缺少法定代表人（负责人）").format(who=who),
            )
        )
    if p.role in (PartyRole.AGENT, PartyRole.GUARDIAN) and _blank(p.represents):
        out.append(
            Problem(
                "representative_unlinked",
                f"{base}.represents",
                _("{who}未注明代理或监护的是哪位当事人").format(who=who),
            )
        )
    return out


def _party_key(p: Party) -> tuple[str, str]:
    return (p.name.strip(), (p.id_number or "").strip().upper())


def _check_party_lists(ctx: DocumentContext) -> list[Problem]:
    """The agreement names exactly the parties registered on the case."""
    doc = {_party_key(p) for p in ctx.principal_parties}
    case = {_party_key(p) for p in ctx.case_parties if p.is_principal}
    out: list[Problem] = []
    for name, _id in sorted(case - doc):
        out.append(
            Problem(
                "party_not_in_document",
                "parties",
                _("案件当事人“{name}”未列入本文书（或姓名、证件号码与案件登记不一致）").format(
                    name=name
                ),
            )
        )
    for name, _id in sorted(doc - case):
        out.append(
            Problem(
                "party_not_on_case",
                "parties",
                _("本文书中的当事人“{name}”不是本案登记的当事人（或姓名、证件号码不一致）").format(
                    name=name
                ),
            )
        )
    return out


def _check_dates(ctx: DocumentContext, today: dt.date) -> list[Problem]:
    out: list[Problem] = []
    signed = ctx.agreement_date
    if signed is None:
        out.append(Problem("agreement_date_missing", "agreement_date", _("缺少协议日期")))
        return out
    start = ctx.registered_on or ctx.accepted_on
    if start is not None and signed < start:
        out.append(
            Problem(
                "agreement_before_registration",
                "agreement_date",
                _("协议日期（{signed}）早于案件登记日期（{start}）").format(
                    signed=signed, start=start
                ),
            )
        )
    if ctx.performance_deadline is not None and ctx.performance_deadline < signed:
        out.append(
            Problem(
                "deadline_before_agreement",
                "performance_deadline",
                _("履行期限（{deadline}）早于协议日期（{signed}）").format(
                    deadline=ctx.performance_deadline, signed=signed
                ),
            )
        )
    if signed > today + dt.timedelta(days=30):
        out.append(
            Problem(
                "agreement_date_far_future",
                "agreement_date",
                _("协议日期（{signed}）远在今天之后，请核对").format(signed=signed),
                "warning",
            )
        )
    return out


def _check_minors(ctx: DocumentContext) -> list[Problem]:
    """A party under 16 needs a guardian named (police mediation requires one present)."""
    out: list[Problem] = []
    day = ctx.agreement_date or ctx.document_date
    guarded = {p.represents.strip() for p in ctx.parties if p.role == PartyRole.GUARDIAN}
    for i, p in enumerate(ctx.parties):
        if not p.is_principal or not p.is_person:
            continue
        age = p.age_on(day)
        if age is not None and age < 16 and p.name.strip() not in guarded:
            out.append(
                Problem(
                    "guardian_missing",
                    f"parties.{i}",
                    _("{who}未满十六周岁，应列明其法定代理人（监护人）").format(who=_who(i, p)),
                )
            )
    return out


def check_document(
    form: str, ctx: DocumentContext, *, today: dt.date | None = None
) -> list[Problem]:
    """Problems that stand between this document and approval (empty list: none)."""
    if form == "case_file_cover":
        return _check_cover(ctx)
    if form not in workflow.AGREEMENT_FORMS:
        return []
    today = today or local_today()
    police = form == workflow.POLICE_AGREEMENT
    oral = form == workflow.ORAL_AGREEMENT
    out: list[Problem] = []

    if _blank(ctx.agreement_number) and not (oral and not _blank(ctx.case_number)):
        out.append(Problem("number_missing", "agreement_number", _("缺少协议编号")))

    principals = ctx.principal_parties
    if len(principals) < 2 and not oral:
        out.append(Problem("parties_too_few", "parties", _("协议至少应有双方当事人")))
    for i, p in enumerate(ctx.parties):
        out.extend(_check_party(i, p, police=police, today=today))
    out.extend(_check_party_lists(ctx))
    out.extend(_check_minors(ctx))

    if _blank(ctx.facts):
        out.append(Problem("facts_missing", "facts", _("缺少纠纷主要事实")))
    if not police and not oral and _blank(ctx.disputed_matters):
        out.append(Problem("disputed_matters_missing", "disputed_matters", _("缺少争议事项")))
    if not police and not oral and _blank(ctx.responsibilities):
        out.append(
            Problem("responsibilities_missing", "responsibilities", _("未写明各方责任"), "warning")
        )
    if police:
        if ctx.incident_time is None:
            out.append(Problem("incident_time_missing", "incident_time", _("缺少案发时间")))
        if _blank(ctx.incident_place):
            out.append(Problem("incident_place_missing", "incident_place", _("缺少案发地点")))

    if not [t for t in ctx.terms if not _blank(t)]:
        out.append(Problem("terms_missing", "terms", _("缺少协议内容（协议条款）")))
    for i, term in enumerate(ctx.terms):
        if _blank(term):
            out.append(
                Problem("term_empty", f"terms.{i}", _("第{n}条协议内容为空").format(n=i + 1))
            )
        out.extend(amount_problems(term, f"terms.{i}"))
    for i, amount in enumerate(ctx.amounts):
        try:
            rmb_upper(amount.value)
        except ValueError:
            out.append(
                Problem(
                    "amount_invalid",
                    f"amounts.{i}.value",
                    _("金额“{label}”无效：应为不小于零、最多两位小数的数").format(
                        label=amount.label
                    ),
                )
            )

    if _blank(ctx.performance_manner):
        out.append(Problem("performance_manner_missing", "performance_manner", _("缺少履行方式")))
    if _blank(ctx.performance_place) and not police:
        out.append(Problem("performance_place_missing", "performance_place", _("缺少履行地点")))
    if ctx.performance_deadline is None:
        out.append(
            Problem("performance_deadline_missing", "performance_deadline", _("缺少履行期限"))
        )

    required = ctx.required_copies
    if not oral and ctx.copies is not None and ctx.copies != required:
        out.append(
            Problem(
                "copies_mismatch",
                "copies",
                _(
                    "协议份数应为{required}份（当事人各一份、调解组织留存一份），现为{copies}份"
                ).format(required=required, copies=ctx.copies),
            )
        )

    if police:
        if _blank(ctx.presiding_officer):
            out.append(
                Problem("presiding_officer_missing", "presiding_officer", _("缺少主持人（民警）"))
            )
        if _blank(ctx.police_unit):
            out.append(
                Problem("police_unit_missing", "police_unit", _("缺少公安机关名称（用于盖章）"))
            )
    else:
        if _blank(ctx.mediator):
            out.append(Problem("mediator_missing", "mediator", _("缺少人民调解员")))
        if _blank(ctx.committee_name):
            out.append(
                Problem(
                    "committee_missing", "committee_name", _("缺少人民调解委员会名称（用于盖章）")
                )
            )

    out.extend(_check_sign_lines(form, ctx, covered=out))
    out.extend(_check_dates(ctx, today))
    return out


_LINE_FIELDS = {"recorder": "recorder", "registrar": "recorder", "witness": "witness",
                "mediator": "mediator", "officer": "presiding_officer"}
"""The field that names the signer of a line the form prints (where the editor fills it in)."""


def _check_sign_lines(form: str, ctx: DocumentContext, *, covered: list[Problem]) -> list[Problem]:
    """Every line to sign on must say who signs there, or it cannot be signed on screen
    (issue 12 item 4): the recorder's line is the one most often left blank."""
    from mediation.documents import forms

    try:
        page = forms.evaluate(forms.load_spec(form), ctx)
    except ValidationError:
        return []  # the page cannot be filled in (a bad amount …): the other findings say why
    named = {p.field for p in covered}
    out: list[Problem] = []
    for line in forms.sign_lines(page):
        if line.name:
            continue
        field = _LINE_FIELDS.get(line.role, "parties")
        if field in named:
            continue  # already said (缺少人民调解员 …)
        named.add(field)
        out.append(Problem(f"{line.role}_missing", field, _(
            "签名栏“{caption}”没有写明{role}：请填写{role}姓名，定稿前须由其签名").format(
            caption=line.caption.rstrip("：:"), role=workflow.signer_label(line.role))))
    return out


def _check_cover(ctx: DocumentContext) -> list[Problem]:
    """The case file's cover: the one retention field, who assembled it, something to file."""
    out: list[Problem] = []
    if _blank(ctx.retention_period):
        out.append(Problem("retention_missing", "retention_period", _("缺少保管期限（如“10年”或“永久”）")))
    if _blank(ctx.archivist):
        out.append(Problem("archivist_missing", "archivist", _("缺少立卷人")))
    if not ctx.toc:
        out.append(Problem("file_empty", "toc", _("卷内还没有定稿的文书：请先把本案文书定稿再立卷"), "warning"))
    return out
