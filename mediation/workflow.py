"""The stages of a case as data: transitions, their guards, and deadline rules.

Nothing here touches the database: guards look at a :class:`CaseFacts` snapshot the
service builds, so every rule is testable on plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from mediation.errors import WorkflowError
from mediation.i18n import N_, _

# Stages (DOMAIN §3)
REGISTERED = "registered"
ACCEPTED = "accepted"
INVESTIGATING = "investigating"
MEDIATING = "mediating"
AGREED = "agreed"
TERMINATED = "terminated"
PERFORMING = "performing"
CLOSED = "closed"
ARCHIVED = "archived"

STAGES: dict[str, str] = {
    REGISTERED: N_("登记"),
    ACCEPTED: N_("受理"),
    INVESTIGATING: N_("调查"),
    MEDIATING: N_("调解"),
    AGREED: N_("达成协议"),
    TERMINATED: N_("终止调解"),
    PERFORMING: N_("履行/回访"),
    CLOSED: N_("结案"),
    ARCHIVED: N_("归档"),
}
OPEN_STAGES = frozenset({REGISTERED, ACCEPTED, INVESTIGATING, MEDIATING, AGREED, PERFORMING, TERMINATED})
ACTIVE_STAGES = frozenset({ACCEPTED, INVESTIGATING, MEDIATING})

# Tracks (DOMAIN §2)
PEOPLE = "people"
POLICE = "police"
REFER = "refer"
TRACKS: dict[str, str] = {PEOPLE: N_("人民调解"), POLICE: N_("治安调解"), REFER: N_("引导/移送")}

# Results when a case ends
RESULTS: dict[str, str] = {
    "success": N_("调解成功"),
    "terminated": N_("调解终止"),
    "referred": N_("引导/移送"),
    "declined": N_("不予受理"),
    "withdrawn": N_("申请人撤回"),
}

# Party roles (DOMAIN §4): the parties to the dispute, and those who act for them.
APPLICANT = "applicant"
RESPONDENT = "respondent"
THIRD = "third"
AGENT = "agent"
GUARDIAN = "guardian"
PARTY_ROLES: dict[str, str] = {
    APPLICANT: N_("申请人"),
    RESPONDENT: N_("被申请人"),
    THIRD: N_("第三人"),
    AGENT: N_("代理人"),
    GUARDIAN: N_("监护人"),
}
PRINTED_ROLE_LABELS: dict[str, str] = {
    APPLICANT: "申请人",
    RESPONDENT: "被申请人",
    THIRD: "第三人",
    AGENT: "委托代理人",
    GUARDIAN: "法定代理人",
}
"""How the paper forms name each role (the forms are printed in Chinese in every UI language)."""
PRINCIPAL_ROLES = frozenset({APPLICANT, RESPONDENT, THIRD})
"""The parties to the dispute: each signs the agreement and keeps a copy of it."""
REPRESENTATIVE_ROLES = frozenset({AGENT, GUARDIAN})
"""Those who act for a principal party (``represents`` names whom)."""
POLICE_AGREEMENT_COPIES = 3
"""治安调解协议书一式三份 (公安机关治安调解工作规范)."""


def required_copies(track: str | None, principal_parties: int) -> int:
    """Copies of an agreement the rules ask for ("一式N份").

    People's mediation: one for each party to the dispute and one the committee keeps
    (人民调解法 Art. 29); police mediation: three.
    """
    if track == POLICE:
        return POLICE_AGREEMENT_COPIES
    return principal_parties + 1


# What is recorded along the way (DOMAIN §3).
SESSION_RESULTS: dict[str, str] = {
    "continued": N_("继续调解"),
    "agreed": N_("达成协议"),
    "failed": N_("调解不成"),
}
"""The result of one mediation session (调解记录)."""

FOLLOW_UP_METHODS: dict[str, str] = {
    "phone": N_("电话回访"),
    "visit": N_("上门回访"),
    "online": N_("网络回访"),
    "desk": N_("来访"),
}
"""How a follow-up (回访) was made."""

PERFORMANCE: dict[str, str] = {
    "pending": N_("待履行"),
    "performed": N_("已履行"),
    "partly": N_("部分履行"),
    "breached": N_("未履行"),
}
"""How far an agreement has been performed."""

WRITTEN = "written"
ORAL = "oral"
AGREEMENT_KINDS: dict[str, str] = {WRITTEN: N_("书面协议"), ORAL: N_("口头协议")}
"""A written agreement (协议书) or an oral one registered on the spot (口头协议登记表)."""

PEOPLE_AGREEMENT = "people_agreement"
POLICE_AGREEMENT = "police_agreement"
ORAL_AGREEMENT = "oral_agreement"
AGREEMENT_FORMS: frozenset[str] = frozenset({PEOPLE_AGREEMENT, POLICE_AGREEMENT, ORAL_AGREEMENT})
"""The document forms that are the agreement itself."""


def agreement_forms_for(kind: str | None) -> tuple[str, ...]:
    """The forms an agreement of ``kind`` is written on (its track decides which of the two)."""
    return (ORAL_AGREEMENT,) if kind == ORAL else (PEOPLE_AGREEMENT, POLICE_AGREEMENT)


SIGNER_ROLES: dict[str, str] = {
    APPLICANT: N_("申请人"),
    RESPONDENT: N_("被申请人"),
    THIRD: N_("第三人"),
    AGENT: N_("委托代理人"),
    GUARDIAN: N_("法定代理人"),
    "mediator": N_("调解员"),
    "recorder": N_("记录人"),
    "registrar": N_("登记人"),
    "visitor": N_("回访人"),
    "officer": N_("主持人（民警）"),
    "witness": N_("见证人"),
    # The volunteer's certificates (issue 16): signed on paper, under the committee's seal.
    "leader": N_("负责人"),
    "handler": N_("经办人"),
    "adviser": N_("指导老师"),
}
"""Who signs a document: the parties and those who act for them, and the desk's people
(the ``role`` of a form's signature lines, templates/*.toml)."""


def signer_label(role: str) -> str:
    """The capacity a person signs in, in words (申请人, 记录人 …)."""
    return _(SIGNER_ROLES.get(role, role))

# Police-mediation exclusions (公安机关治安调解工作规范), checked as warnings the
# officer must acknowledge; the officer decides.
POLICE_EXCLUSIONS: dict[str, str] = {
    "hired": N_("雇凶伤害他人的"),
    "group_fight": N_("结伙斗殴或者其他寻衅滋事的"),
    "drugs": N_("涉及黑社会性质组织、毒品、赌博、卖淫嫖娼等的"),
    "repeat": N_("多次违反治安管理、屡教不改的"),
    "refusal": N_("当事人明确表示不愿意调解处理的"),
    "in_court": N_("已经起诉或已由其他机关处理的"),
}


def stage_label(stage: str) -> str:
    return _(STAGES.get(stage, stage))


def track_label(track: str | None) -> str:
    return _(TRACKS.get(track, track)) if track else _("未定")


@dataclass(frozen=True)
class PartyFacts:
    role: str
    name: str
    is_minor: bool = False
    has_guardian: bool = False


@dataclass(frozen=True)
class CaseFacts:
    """What the guards need to know about a case, gathered by the service."""

    stage: str
    track: str | None = None
    category: str = ""
    facts: str = ""
    parties: tuple[PartyFacts, ...] = ()
    mediator_id: int | None = None
    sessions: int = 0
    agreement_kind: str | None = None
    agreement_terms: str = ""
    performance_manner: str = ""
    performance_deadline: dt.date | None = None
    agreement_signed: bool = False
    performance_status: str | None = None
    follow_ups: int = 0
    police_exclusions: tuple[str, ...] = ()
    police_exclusions_ack: bool = False
    reason: str = ""
    referred_to: str = ""
    case_file_cover: bool = False
    """The case file's cover (卷宗封面及卷内目录, with the retention period) is final."""
    result: str | None = None
    """How the case ended (a key of RESULTS), None while it is open."""
    ended_from: str | None = None
    """The stage the case was in when it was terminated or declined (its last such move)."""

    def count(self, role: str) -> int:
        return sum(1 for p in self.parties if p.role == role)


Guard = Callable[[CaseFacts], list[str]]


def _needs_parties(f: CaseFacts) -> list[str]:
    missing = []
    if f.count(APPLICANT) < 1:
        missing.append(_("至少一名申请人"))
    if f.count(RESPONDENT) < 1:
        missing.append(_("至少一名被申请人"))
    for p in f.parties:
        if p.is_minor and p.role in PRINCIPAL_ROLES and not p.has_guardian:
            missing.append(_("未成年当事人“{name}”的监护人").format(name=p.name))
    return missing


def _guard_accept(f: CaseFacts) -> list[str]:
    missing = []
    if not f.track:
        missing.append(_("调解类型（人民调解/治安调解）"))
    elif f.track == REFER:
        missing.append(_("可调解的类型（需引导/移送的请使用“引导/移送”）"))
    if not f.category:
        missing.append(_("纠纷类别"))
    if not f.facts.strip():
        missing.append(_("纠纷事实"))
    missing += _needs_parties(f)
    if f.track == POLICE and f.police_exclusions and not f.police_exclusions_ack:
        missing.append(_("督导民警对治安调解排除情形的确认"))
    return missing


def _guard_reason(f: CaseFacts) -> list[str]:
    return [] if f.reason.strip() else [_("理由")]


def _guard_refer(f: CaseFacts) -> list[str]:
    missing = _guard_reason(f)
    if not f.referred_to.strip():
        missing.append(_("引导/移送的去向（法院、劳动仲裁、消费者协会、学校等）"))
    return missing


def _guard_start_mediation(f: CaseFacts) -> list[str]:
    return [] if f.mediator_id else [_("调解员")]


def _guard_agreement(f: CaseFacts) -> list[str]:
    missing = []
    if not f.mediator_id:
        missing.append(_("调解员"))
    if not f.agreement_terms.strip():
        missing.append(_("协议内容"))
    if f.agreement_kind == WRITTEN:
        if not f.performance_manner.strip():
            missing.append(_("履行方式"))
        if f.performance_deadline is None:
            missing.append(_("履行期限"))
    elif f.agreement_kind != ORAL:
        missing.append(_("协议形式（书面或口头）"))
    if f.track == POLICE and f.sessions < 1:
        missing.append(_("至少一次调解记录"))
    return missing


def _guard_performing(f: CaseFacts) -> list[str]:
    return [] if f.agreement_signed else [_("已签署的调解协议（签字确认后登记）")]


def _guard_close_agreed(f: CaseFacts) -> list[str]:
    missing = []
    if not f.agreement_signed:
        missing.append(_("已签署的调解协议"))
    if f.performance_status not in ("performed", "breached"):
        missing.append(_("履行情况（已履行或未履行）"))
    return missing


def _guard_close_performing(f: CaseFacts) -> list[str]:
    missing = []
    if f.performance_status not in ("performed", "breached"):
        missing.append(_("履行情况（已履行或未履行）"))
    if f.follow_ups < 1:
        missing.append(_("至少一次回访记录"))
    return missing


def _no_guard(f: CaseFacts) -> list[str]:
    return []


def _guard_archive(f: CaseFacts) -> list[str]:
    return [] if f.case_file_cover else [_("定稿的卷宗封面及卷内目录（在“文书”中起草、审批、定稿，写明保管期限）")]


def _guard_session(f: CaseFacts) -> list[str]:
    return [] if f.mediator_id else [_("调解员（请先“指派调解员”）")]


def _signed(f: CaseFacts) -> bool:
    return f.agreement_signed


REOPENABLE_RESULTS = frozenset({"terminated", "declined"})
"""A closed case that ended this way may be reopened (恢复调解); one closed with an agreement,
referred or withdrawn may not, nor an archived one."""


def _not_reopenable(f: CaseFacts) -> bool:
    return f.stage == CLOSED and f.result not in REOPENABLE_RESULTS


def _guard_reopen(f: CaseFacts) -> list[str]:
    missing = _guard_reason(f)
    if _not_reopenable(f):
        missing.append(_("终止调解或不予受理后结案的案件（本案以“{r}”结案）").format(
            r=_(RESULTS.get(f.result or "", f.result or ""))))
    return missing


def reopen_target(f: CaseFacts) -> str:
    """Where 恢复调解 takes a case: a declined one back to 登记 (it was never accepted, so it has
    no number and no acceptance date yet: it is accepted again the usual way); one that had
    been mediated (terminated during 调解, or with a mediation session on record) back to
    调解; any other terminated case back to 受理 (it may then be investigated or mediated)."""
    if f.result == "declined":
        return REGISTERED
    if f.ended_from == MEDIATING or f.sessions > 0:
        return MEDIATING
    return ACCEPTED


TRANSITION = "transition"
RECORD = "record"


@dataclass(frozen=True)
class Transition:
    """An action that moves the case from one of ``sources`` to ``target``."""

    action: str
    label: str
    sources: frozenset[str]
    target: str
    guard: Guard
    permission: str
    result: str | None = None
    """Case result set by this transition, if it ends the case."""
    hidden_unless_permitted: bool = False
    """Not offered at all to a role that may not do it (only to those who decide it)."""
    done: Callable[[CaseFacts], bool] | None = None
    """When this says so, the transition is not offered (a closed case that cannot be reopened)."""
    retarget: Callable[[CaseFacts], str] | None = None
    """The stage it moves to, when that depends on the case (恢复调解); else ``target``."""

    kind = TRANSITION
    wrong_stage = ""

    @property
    def stages(self) -> frozenset[str]:
        return self.sources

    def target_for(self, facts: CaseFacts) -> str:
        return self.retarget(facts) if self.retarget is not None else self.target


@dataclass(frozen=True)
class Action:
    """An action that adds to the case (a record, the mediator, the track, the signing).

    Some of them move the case as well (the first session starts mediation); the service
    does that through the transition.
    """

    action: str
    label: str
    stages: frozenset[str]
    permission: str
    guard: Guard = _no_guard
    wrong_stage: str = ""
    """Why it cannot be done in the other stages (else the stage is named)."""
    done: Callable[[CaseFacts], bool] | None = None
    """Once this says the action is done, it is no longer offered (the signing)."""
    hidden_unless_permitted: bool = False

    kind = RECORD


Rule = Transition | Action

TRANSITIONS: tuple[Transition, ...] = (
    Transition("accept", N_("受理"), frozenset({REGISTERED}), ACCEPTED, _guard_accept, "case.accept"),
    Transition("decline", N_("不予受理"), frozenset({REGISTERED}), CLOSED, _guard_reason,
               "case.decline", result="declined", hidden_unless_permitted=True),
    Transition("refer", N_("引导/移送"), frozenset({REGISTERED, ACCEPTED, INVESTIGATING, MEDIATING}),
               CLOSED, _guard_refer, "case.refer", result="referred", hidden_unless_permitted=True),
    Transition("withdraw", N_("撤回申请"), frozenset({REGISTERED, ACCEPTED, INVESTIGATING, MEDIATING}),
               CLOSED, _guard_reason, "case.terminate", result="withdrawn", hidden_unless_permitted=True),
    Transition("investigate", N_("开始调查"), frozenset({ACCEPTED}), INVESTIGATING, _no_guard,
               "case.investigate"),
    Transition("mediate", N_("开始调解"), frozenset({ACCEPTED, INVESTIGATING}), MEDIATING,
               _guard_start_mediation, "case.session"),
    Transition("agree", N_("登记调解协议"), frozenset({ACCEPTED, INVESTIGATING, MEDIATING}), AGREED,
               _guard_agreement, "case.agreement"),
    Transition("terminate", N_("终止调解"), frozenset({ACCEPTED, INVESTIGATING, MEDIATING}), TERMINATED,
               _guard_reason, "case.terminate", result="terminated", hidden_unless_permitted=True),
    Transition("perform", N_("进入履行/回访"), frozenset({AGREED}), PERFORMING, _guard_performing,
               "case.agreement"),
    Transition("close_agreed", N_("结案"), frozenset({AGREED}), CLOSED, _guard_close_agreed,
               "case.close", result="success"),
    Transition("close", N_("结案"), frozenset({PERFORMING}), CLOSED, _guard_close_performing,
               "case.close", result="success"),
    Transition("close_terminated", N_("结案"), frozenset({TERMINATED}), CLOSED, _no_guard,
               "case.close", result="terminated"),
    Transition("archive", N_("归档"), frozenset({CLOSED}), ARCHIVED, _guard_archive, "case.archive"),
    Transition("reopen", N_("恢复调解"), frozenset({TERMINATED, CLOSED}), MEDIATING, _guard_reopen, "case.reopen",
               hidden_unless_permitted=True, done=_not_reopenable, retarget=reopen_target),
)

RECORD_ACTIONS: tuple[Action, ...] = (
    Action("choose_track", N_("确定调解类型"), frozenset({REGISTERED, ACCEPTED, INVESTIGATING}),
           "case.choose_track", wrong_stage=N_("开始调解后不能再更改调解类型")),
    Action("assign", N_("指派调解员"), OPEN_STAGES, "case.assign",
           wrong_stage=N_("已结案的案件不能再指派调解员")),
    Action("investigation", N_("添加调查记录"), ACTIVE_STAGES, "case.investigate",
           wrong_stage=N_("只有受理后、结束前的案件才能添加调查记录")),
    Action("session", N_("添加调解记录"), ACTIVE_STAGES, "case.session", _guard_session,
           wrong_stage=N_("只有受理后、达成协议或终止前的案件才能添加调解记录")),
    Action("sign", N_("登记协议签署"), frozenset({AGREED}), "case.agreement", done=_signed,
           wrong_stage=N_("只有“达成协议”阶段的案件才能登记签署")),
    Action("follow_up", N_("添加回访记录"), frozenset({AGREED, PERFORMING, CLOSED}), "case.follow_up",
           wrong_stage=N_("只有达成协议后的案件才能回访")),
    Action("outcome", N_("统计事项"), frozenset({ACCEPTED, INVESTIGATING, MEDIATING, AGREED, TERMINATED, PERFORMING,
                                              CLOSED}), "case.edit",
           wrong_stage=N_("受理后、归档前才能登记统计事项（防止民转刑、司法确认等）")),
)
"""What can be recorded on a case besides its moves, in the order the case window shows them."""

ACTIONS: tuple[Rule, ...] = (*TRANSITIONS, *RECORD_ACTIONS)
"""Every action on a case, transitions first: the case window offers them in this order."""
_BY_ACTION: dict[str, Rule] = {a.action: a for a in ACTIONS}


def rule(action: str) -> Rule:
    """The stages, permission and guard of ``action`` (a transition or a record action)."""
    try:
        return _BY_ACTION[action]
    except KeyError:
        raise KeyError(f"unknown workflow action {action!r}") from None


def transition(action: str) -> Transition:
    found = rule(action)
    if not isinstance(found, Transition):
        raise KeyError(f"{action!r} is not a transition")
    return found


def available(stage: str) -> list[Transition]:
    """Transitions that start from ``stage`` (guards not yet checked)."""
    return [t for t in TRANSITIONS if stage in t.sources]


def offered(facts: CaseFacts) -> list[Rule]:
    """Every action the case window offers in the case's stage, in order (guards not checked:
    a button whose guard fails is shown disabled, saying what is missing)."""
    return [a for a in ACTIONS if facts.stage in a.stages and not (a.done and a.done(facts))]


def _wrong_stage(a: Rule, stage: str) -> str:
    if a.wrong_stage:
        return _(a.wrong_stage)
    return _("案件当前处于“{stage}”阶段，不能执行此操作").format(stage=stage_label(stage))


@dataclass(frozen=True)
class Check:
    action: str
    label: str
    allowed: bool
    missing: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.allowed:
            return ""
        return _("无法“{action}”，还缺少：{missing}。").format(
            action=_(self.label), missing="、".join(self.missing))


def check(action: str, facts: CaseFacts) -> Check:
    """Would ``action`` be allowed now? Lists what is missing if not."""
    a = rule(action)
    if facts.stage not in a.stages:
        return Check(action, a.label, False, [_wrong_stage(a, facts.stage)])
    missing = a.guard(facts)
    return Check(action, a.label, not missing, missing)


def ensure(action: str, facts: CaseFacts) -> Rule:
    """Return the action's rule if its stage and guard allow it, else raise WorkflowError in Chinese."""
    result = check(action, facts)
    a = rule(action)
    if not result.allowed:
        if facts.stage not in a.stages:
            raise WorkflowError(result.missing[0] + "。", result.missing)
        raise WorkflowError(result.message, result.missing)
    return a


def ensure_stage(action: str, stage: str) -> None:
    """Raise WorkflowError unless ``action`` may be done in ``stage`` (guards not checked)."""
    a = rule(action)
    if stage not in a.stages:
        why = _wrong_stage(a, stage)
        raise WorkflowError(why + "。", [why])


def police_exclusion_labels(codes: tuple[str, ...] | list[str]) -> list[str]:
    return [_(POLICE_EXCLUSIONS.get(c, c)) for c in codes]


# Deadline rules: editable data (setting "deadline_rules"); these are the defaults.
@dataclass(frozen=True)
class DeadlineRule:
    track: str
    stage: str
    """The stage in which this deadline applies."""
    anchor: str
    """accepted_at | first_session_at | agreement_reached_at."""
    amount: int
    unit: str
    """working_days | calendar_days (last day moved off a day off)."""
    label: str


DEFAULT_DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(PEOPLE, ACCEPTED, "accepted_at", 30, "calendar_days", N_("调解期限（受理后一个月）")),
    DeadlineRule(PEOPLE, INVESTIGATING, "accepted_at", 30, "calendar_days", N_("调解期限（受理后一个月）")),
    DeadlineRule(PEOPLE, MEDIATING, "accepted_at", 30, "calendar_days", N_("调解期限（受理后一个月）")),
    DeadlineRule(POLICE, ACCEPTED, "accepted_at", 3, "working_days", N_("首次调解（受理后3个工作日内）")),
    DeadlineRule(POLICE, INVESTIGATING, "accepted_at", 3, "working_days", N_("首次调解（受理后3个工作日内）")),
    DeadlineRule(POLICE, MEDIATING, "first_session_at", 7, "working_days", N_("第二次调解（首次后7个工作日内）")),
    DeadlineRule(PEOPLE, AGREED, "agreement_reached_at", 30, "calendar_days", N_("司法确认申请（协议生效后30日内）")),
)


def rules_from_data(data: list[dict[str, object]] | None) -> tuple[DeadlineRule, ...]:
    """Deadline rules stored by the administrator, or the defaults."""
    if not data:
        return DEFAULT_DEADLINE_RULES
    return tuple(DeadlineRule(**{k: v for k, v in d.items()}) for d in data)  # type: ignore[arg-type]  # stored JSON: DeadlineRule's own fields by name


def rules_to_data(rules: tuple[DeadlineRule, ...]) -> list[dict[str, object]]:
    return [dict(r.__dict__) for r in rules]
