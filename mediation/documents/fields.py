"""What each name a template may use means, in Chinese, with an example (issue 12 item 25).

The names are those of :class:`~mediation.documents.model.DocumentContext` (and of each
party in its lists); every one has a label here — a test checks that a name added to the
context is given one — and its example is what the sample case of
:mod:`mediation.documents.samples` holds, so nothing is written twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from mediation.documents import sandbox
from mediation.documents.model import DocumentContext, Party
from mediation.documents.numerals import cn_date, cn_datetime, format_amount
from mediation.i18n import N_, _

LABELS: dict[str, str] = {
    "accepted_on": N_("受理日期"),
    "agreement_date": N_("协议日期"),
    "agreement_number": N_("协议编号"),
    "all_mediators": N_("全部调解员（列表）"),
    "amounts": N_("涉及金额（列表，每项有名目 label 和金额 value）"),
    "applicants": N_("申请人（列表）"),
    "archived_on": N_("立卷日期"),
    "archivist": N_("立卷人"),
    "case_number": N_("案件编号"),
    "case_parties": N_("案件登记的全部当事人（列表）"),
    "category": N_("纠纷类别"),
    "claims": N_("请求事项"),
    "closed_on": N_("结案日期"),
    "co_mediators": N_("协助调解员（列表）"),
    "committee_name": N_("人民调解委员会名称"),
    "copies": N_("协议份数（文书中填写的）"),
    "copies_cn": N_("协议份数（汉字）"),
    "copies_count": N_("协议份数（数字）"),
    "court": N_("受理的人民法院"),
    "desk_name": N_("调解点名称"),
    "dispute_title": N_("纠纷名称"),
    "disputed_matters": N_("争议事项"),
    "document_date": N_("文书日期"),
    "effective_date": N_("协议生效日期"),
    "facts": N_("纠纷主要事实"),
    "file_pages": N_("本卷页数"),
    "follow_ups": N_("回访记录（列表）"),
    "incident_place": N_("案发地点"),
    "incident_time": N_("案发时间"),
    "issue_date": N_("落款日期（文书日期，未填时为协议日期）"),
    "mediator": N_("人民调解员"),
    "outcome": N_("调解结果"),
    "parties": N_("本文书列出的当事人（列表，含代理人、监护人）"),
    "parties_word": N_("“双方”或“各方”"),
    "party_names": N_("当事人姓名（以顿号分隔）"),
    "performance_deadline": N_("履行期限"),
    "performance_manner": N_("履行方式"),
    "performance_place": N_("履行地点"),
    "performance_status": N_("履行情况"),
    "police_unit": N_("公安机关名称"),
    "presiding_officer": N_("主持人（民警）"),
    "principal_parties": N_("争议当事人（列表，不含代理人、监护人）"),
    "recorder": N_("记录人"),
    "referral_reason": N_("引导/移送的理由"),
    "referral_to": N_("引导/移送的去向"),
    "registered_on": N_("登记日期"),
    "registrar": N_("登记人"),
    "representatives": N_("代理人和监护人（列表）"),
    "required_copies": N_("依规定应有的协议份数"),
    "respondents": N_("被申请人（列表）"),
    "responsibilities": N_("各方责任"),
    "retention_period": N_("保管期限"),
    "session_place": N_("调解地点"),
    "session_records": N_("调解记录（列表）"),
    "session_time": N_("调解时间"),
    "source": N_("纠纷来源"),
    "termination_date": N_("终止调解日期"),
    "termination_reason": N_("终止调解的理由"),
    "termination_routes": N_("告知的其他解决途径（列表）"),
    "terms": N_("协议条款（列表，每条一项）"),
    "toc": N_("卷内目录（列表）"),
    "total_amount": N_("涉及金额合计"),
    "track": N_("调解类型（people 人民调解，police 治安调解）"),
    "witness": N_("见证人"),
}
"""The top-level names of a template (``{{ case_number }}``)."""

PARTY_LABELS: dict[str, str] = {
    "address": N_("住址"),
    "age": N_("年龄"),
    "age_on": N_("某日的年龄（写法：p.age_on(日期)）"),
    "birth_date": N_("出生日期"),
    "birth_or_age": N_("出生日期或年龄"),
    "birth_text": N_("出生（如“2003年5月1日出生”）"),
    "employer": N_("工作单位"),
    "ethnicity": N_("民族"),
    "id_missing_reason": N_("无身份证号码时的说明"),
    "id_number": N_("身份证号码（单位：统一社会信用代码）"),
    "id_text": N_("证件号码或其说明"),
    "is_person": N_("是否个人（不是单位）"),
    "is_principal": N_("是否争议当事人（不是代理人、监护人）"),
    "kind": N_("个人或单位"),
    "legal_representative": N_("法定代表人"),
    "legal_representative_title": N_("法定代表人的称谓"),
    "name": N_("姓名（单位：名称）"),
    "occupation": N_("职业"),
    "particulars": N_("基本情况（一句话）"),
    "phone": N_("联系电话"),
    "represents": N_("代理或监护的当事人"),
    "role": N_("身份代码（applicant 等）"),
    "role_label": N_("身份（申请人、被申请人……）"),
    "sex": N_("性别"),
    "work_text": N_("职业或工作单位"),
}
"""The names of each party (``{% for p in parties %}{{ p.name }}{% endfor %}``)."""


@dataclass(frozen=True)
class FieldInfo:
    name: str
    """What goes between the braces: ``case_number``, ``p.name``."""
    label: str
    """What it means, in the UI language."""
    example: str
    """What the sample case prints for it ("" when it prints nothing there)."""

    @property
    def placeholder(self) -> str:
        return "{{ " + self.name + " }}"


def _example(value: Any) -> str:
    if value is None or callable(value):
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.datetime):
        return cn_datetime(value)
    if isinstance(value, dt.date):
        return cn_date(value)
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, (list, tuple)):
        shown = [_example(v) for v in value[:3]]
        text = "、".join(s for s in shown if s)
        return text + ("……" if len(value) > 3 else "")
    if isinstance(value, Party):
        return value.name
    if isinstance(value, (str, int)):
        text = str(value).replace("\n", " ")
        return text if len(text) <= 40 else text[:40] + "……"
    for attr in ("title", "label", "summary", "date"):  # one item of a list: its headline
        if hasattr(value, attr):
            return _example(getattr(value, attr))
    text = str(value).replace("\n", " ")
    return text if len(text) <= 40 else text[:40] + "……"


def describe(ctx: DocumentContext | None = None) -> list[FieldInfo]:
    """Every name a template may use, with its label and an example from ``ctx`` (default:
    the sample case): the context's own names first, then each party's (``p.…``)."""
    if ctx is None:
        from mediation.documents.samples import sample_context

        ctx = sample_context(long_facts=False)
    out = [FieldInfo(name, _(LABELS[name]), _example(getattr(ctx, name))) for name in sandbox.context_fields()]
    party = ctx.parties[0] if ctx.parties else None
    out += [FieldInfo(f"p.{name}", _(PARTY_LABELS[name]), _example(getattr(party, name)) if party else "")
            for name in sorted(sandbox.party_fields())]
    return out


def listing(ctx: DocumentContext | None = None) -> str:
    """The fields as lines of text: label, placeholder, example (the template dialog and
    ``mediation template fields``)."""
    lines = []
    for f in describe(ctx):
        example = _("例：{example}").format(example=f.example) if f.example else ""
        lines.append("\t".join(x for x in (f.label, f.placeholder, example) if x))
    return "\n".join(lines)
