"""What the official statistics need recorded on a case, and the administrator's mapping.

* :func:`record_outcome`: 防止民转刑 / 防止群体性上访 with the number of people, the
  police track's 当场调解 / 一般调解, and the judicial confirmation (applied on, court,
  confirmed or rejected, on which date) — one audited change of the case;
* :func:`set_mapping`: a desk item → a row of an official table, from a date on (the
  rows in force before stay as they were, so a filed report keeps its figures).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from mediation import workflow
from mediation.db import require_write
from mediation.errors import NotFound, ValidationError
from mediation.i18n import _
from mediation.models import CaseSource, DisputeCategory, DisputeSubtype, StatMapping
from mediation.permissions import Actor, require
from mediation.services import access, audit, cases
from mediation.statistics import mapping, rules
from mediation.timeutil import local_today
from mediation.validation import Collector

MAX_PEOPLE = 100000


@dataclass
class OutcomeInput:
    prevented_escalation: bool = False
    prevented_escalation_people: int = 0
    prevented_petition: bool = False
    prevented_petition_people: int = 0
    police_method: str | None = None
    """spot | general (police track only); None leaves it unset."""
    judicial_applied_on: dt.date | None = None
    judicial_court: str = ""
    judicial_outcome: str | None = None
    judicial_decided_on: dt.date | None = None


def record_outcome(session: Session, actor: Actor, case_id: int, data: OutcomeInput, *,
                   expected_version: int | None = None) -> cases.CaseRef:
    """Record the figures of a case the reports count (all checked first; one audit row)."""
    case = cases.open_for(session, actor, case_id, "outcome", expected_version=expected_version)
    v = Collector()
    today = local_today()
    for flag, people, field in ((data.prevented_escalation, data.prevented_escalation_people,
                                 "prevented_escalation_people"),
                                (data.prevented_petition, data.prevented_petition_people,
                                 "prevented_petition_people")):
        if not (0 <= people <= MAX_PEOPLE):
            v.add(field, _("人数应在 0 到 {n} 之间。").format(n=MAX_PEOPLE))
        elif people and not flag:
            v.add(field, _("未勾选时不应填写人数。"))
        elif flag and people < 1:
            v.add(field, _("请填写涉及的人数（至少 1 人）。"))
    if data.police_method is not None:
        if data.police_method not in rules.POLICE_METHODS:
            v.add("police_method", _("请选择当场调解或一般调解。"))
        elif case.track != workflow.POLICE:
            v.add("police_method", _("只有治安调解案件才分当场调解和一般调解。"))
    court = data.judicial_court.strip()
    judicial = data.judicial_applied_on is not None or court or data.judicial_outcome or data.judicial_decided_on
    if judicial:
        if case.track != workflow.PEOPLE or case.agreement_reached_at is None:
            v.add("judicial_applied_on", _("只有已达成协议的人民调解案件才能申请司法确认。"))
        if data.judicial_applied_on is None:
            v.add("judicial_applied_on", _("请填写申请司法确认的日期。"))
        elif data.judicial_applied_on > today:
            v.add("judicial_applied_on", _("申请日期不能晚于今天。"))
        if not court:
            v.add("judicial_court", _("请填写受理的人民法院。"))
        elif len(court) > 100:
            v.add("judicial_court", _("法院名称最多 100 个字。"))
        if data.judicial_outcome is not None and data.judicial_outcome not in rules.JUDICIAL_OUTCOMES:
            v.add("judicial_outcome", _("请选择确认有效或驳回申请。"))
        if (data.judicial_outcome is None) != (data.judicial_decided_on is None):
            v.add("judicial_decided_on", _("法院的裁定结果与裁定日期应同时填写。"))
        elif data.judicial_decided_on is not None:
            if data.judicial_applied_on is not None and data.judicial_decided_on < data.judicial_applied_on:
                v.add("judicial_decided_on", _("裁定日期不能早于申请日期。"))
            elif data.judicial_decided_on > today:
                v.add("judicial_decided_on", _("裁定日期不能晚于今天。"))
    v.raise_if_any()
    before = cases.snapshot(case)
    case.prevented_escalation = data.prevented_escalation
    case.prevented_escalation_people = data.prevented_escalation_people
    case.prevented_petition = data.prevented_petition
    case.prevented_petition_people = data.prevented_petition_people
    if data.police_method is not None:
        case.police_method = data.police_method
    case.judicial_applied_on = data.judicial_applied_on
    case.judicial_court = court
    case.judicial_outcome = data.judicial_outcome
    case.judicial_decided_on = data.judicial_decided_on
    cases.record_event(session, case, actor, "outcome", _("登记统计事项（防止民转刑、司法确认等）"))
    return cases.finish(session, actor, case, "case.outcome", before)


def get_outcome(session: Session, actor: Actor, case_id: int) -> OutcomeInput:
    """What is recorded now (the form starts from it)."""
    case = cases.load_case(session, actor, case_id)
    return OutcomeInput(case.prevented_escalation, case.prevented_escalation_people, case.prevented_petition,
                        case.prevented_petition_people, case.police_method, case.judicial_applied_on,
                        case.judicial_court, case.judicial_outcome, case.judicial_decided_on)


def set_mapping(session: Session, actor: Actor, desk_id: int, kind: str, item_id: int, code: str, *,
                subtype_id: int | None = None, valid_from: dt.date | None = None) -> int:
    """Map a desk's category (or sub-type, or source) onto a row of an official table from
    ``valid_from`` (default: today) on; the id of the mapping row."""
    require_write(session)
    require(actor, "settings.manage")
    access.check_desk(actor, desk_id, write=True, denied=_("您只能修改本调解点的设置。"))
    if kind not in rules.MAPPING_KINDS:
        raise ValidationError(field="kind", message=_("未知的统计口径。"))
    if kind != "campus_row" and code not in rules.MAPPING_KINDS[kind]:
        raise ValidationError(field="code", message=_("请选择统计表中的一行。"))
    if kind == "campus_row" and not (0 < len(code.strip()) <= 30):
        raise ValidationError(field="code", message=_("请填写校园纠纷分析表的行名（最多 30 个字）。"))
    is_source = kind in ("people_source", "police_source")
    item = session.get(CaseSource, item_id) if is_source else session.get(DisputeCategory, item_id)
    if item is None or item.desk_id != desk_id:
        raise NotFound(_("该项目不存在。"))
    if subtype_id is not None:
        sub = session.get(DisputeSubtype, subtype_id)
        if sub is None or sub.category_id != item_id or is_source:
            raise NotFound(_("该具体类型不存在。"))
    row = StatMapping(desk_id=desk_id, kind=kind, item_id=item_id, subtype_id=subtype_id, code=code.strip(),
                      valid_from=valid_from or local_today(), set_by_id=actor.user_id)
    session.add(row)
    session.flush()
    audit.append(session, desk_id=desk_id, user_id=actor.user_id, action="statistics.mapping", entity="stat_mapping",
                 entity_id=row.id, after={"desk_id": desk_id, "kind": kind, "item_id": item_id,
                                          "subtype_id": subtype_id, "code": row.code,
                                          "valid_from": row.valid_from})
    return row.id


def mapping_rows(session: Session, actor: Actor, desk_id: int, kind: str,
                 on: dt.date | None = None) -> list[mapping.MappingRow]:
    """What the administrator sees: every item of the desk and the row it counts in."""
    require(actor, "report.view")
    access.check_desk(actor, desk_id, denied=_("您无权查看该调解点的设置。"))
    return mapping.current(session, desk_id, kind, on or local_today())
