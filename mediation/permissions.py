"""Roles and what each may do: the one place permissions are decided."""

from __future__ import annotations

from dataclasses import dataclass

from mediation.errors import PermissionDenied
from mediation.i18n import N_, _

VOLUNTEER = "volunteer"
OFFICER = "officer"
ADVISER = "adviser"
ADMIN = "admin"
ROLES: dict[str, str] = {
    VOLUNTEER: N_("值班学生"),
    OFFICER: N_("督导民警"),
    ADVISER: N_("指导老师"),
    ADMIN: N_("管理员"),
}

_ALL = frozenset(ROLES)
_CASEWORK = frozenset({VOLUNTEER, OFFICER, ADVISER, ADMIN})
_SUPERVISORS = frozenset({OFFICER, ADMIN})

PERMISSIONS: dict[str, frozenset[str]] = {
    "case.view": _ALL,
    "case.register": _CASEWORK,
    "case.edit": _CASEWORK,
    "case.accept": _SUPERVISORS,
    "case.decline": _SUPERVISORS,
    "case.choose_track": _SUPERVISORS,
    "case.assign": _SUPERVISORS,
    "case.investigate": _CASEWORK,
    "case.session": _CASEWORK,
    "case.attach": _CASEWORK,
    "case.agreement": _CASEWORK,
    "case.terminate": _SUPERVISORS | {ADVISER},
    "case.refer": _SUPERVISORS,
    "case.follow_up": _CASEWORK,
    "case.close": _SUPERVISORS,
    "case.archive": _SUPERVISORS,
    "case.delete": frozenset({ADMIN}),
    "party.view_id": frozenset({OFFICER, ADVISER, ADMIN}),
    "consultation.log": _CASEWORK,
    "document.draft": _CASEWORK,
    "document.approve": _SUPERVISORS,
    "template.manage": frozenset({ADMIN}),
    "report.view": frozenset({OFFICER, ADVISER, ADMIN}),
    "audit.view": frozenset({OFFICER, ADVISER, ADMIN}),
    "user.manage": frozenset({ADMIN}),
    "settings.manage": frozenset({ADMIN}),
    "calendar.manage": frozenset({ADMIN}),
    "backup.run": frozenset({ADMIN}),
    "data.import": frozenset({ADMIN}),
    "data.export": frozenset({OFFICER, ADMIN}),
    "case.search_id": _CASEWORK,
    # The volunteer roster (issue 16).
    "roster.manage": frozenset({ADMIN}),
    "roster.view": frozenset({OFFICER, ADVISER, ADMIN}),
    "roster.duty": _CASEWORK,
    "roster.approve": frozenset({ADVISER}),
    "roster.certify": frozenset({ADVISER, ADMIN}),
    "report.file": _CASEWORK,
    "report.review": _SUPERVISORS,
    "audit.export": frozenset({OFFICER, ADVISER, ADMIN}),
    "review.conduct": _SUPERVISORS,
    "case.reopen": frozenset({OFFICER}),
}

_ACTION_LABELS: dict[str, str] = {
    "case.accept": N_("受理案件"),
    "case.decline": N_("不予受理"),
    "case.choose_track": N_("确定调解类型"),
    "case.assign": N_("指派调解员"),
    "case.terminate": N_("终止调解"),
    "case.refer": N_("引导/移送"),
    "case.close": N_("结案"),
    "case.archive": N_("归档"),
    "case.delete": N_("删除案件"),
    "party.view_id": N_("查看完整证件号码"),
    "document.approve": N_("审批文书"),
    "template.manage": N_("管理文书模板"),
    "report.view": N_("查看统计"),
    "audit.view": N_("查看审计日志"),
    "user.manage": N_("管理账户"),
    "settings.manage": N_("修改设置"),
    "calendar.manage": N_("维护节假日"),
    "backup.run": N_("备份与恢复"),
    "data.import": N_("导入数据"),
    "data.export": N_("导出数据"),
    "case.search_id": N_("按证件号码查找案件"),
    "roster.manage": N_("管理值班学期与志愿者"),
    "roster.view": N_("查看值班与工时"),
    "roster.duty": N_("值班签到与交接班"),
    "roster.approve": N_("审核工时、换班与证明"),
    "roster.certify": N_("起草志愿服务证明"),
    "report.file": N_("填报统计报表"),
    "report.review": N_("审核、上报统计报表"),
    "audit.export": N_("导出审计日志"),
    "review.conduct": N_("抽卷评查"),
    "case.reopen": N_("恢复调解"),
}


@dataclass(frozen=True)
class Actor:
    """The logged-in person on whose behalf a service runs.

    Which desks they may read and which they may change is decided here, once (issue 11):
    everyone reads and changes their own desk. ``all_desks`` widens an account to every
    desk: a roll-up account (a 司法所 or 分局; any role but administrator) reads every desk
    and changes only its own (none without a desk); an administrator with ``all_desks``,
    or with no desk, is the administrator of the whole installation (the first one is
    created with the first desk) and reads and changes every desk. A desk's
    administrator reads and manages only their desk.
    (On a shared PostgreSQL database the desk's database role enforces the same rule
    with row-level security: see :mod:`mediation.rls`.)
    """

    user_id: int
    username: str
    display_name: str
    role: str
    desk_id: int | None
    all_desks: bool = False

    def can(self, permission: str) -> bool:
        return allowed(self.role, permission)

    @property
    def reads_every_desk(self) -> bool:
        return self.all_desks or self.writes_every_desk

    @property
    def writes_every_desk(self) -> bool:
        """The administrator of the whole installation."""
        return self.role == ADMIN and (self.desk_id is None or self.all_desks)

    @property
    def readable_desks(self) -> frozenset[int] | None:
        """The desks whose records the actor may read; None: every desk."""
        if self.reads_every_desk:
            return None
        return frozenset({self.desk_id}) if self.desk_id is not None else frozenset()

    @property
    def writable_desks(self) -> frozenset[int] | None:
        """The desks whose records the actor may change; None: every desk."""
        if self.writes_every_desk:
            return None
        return frozenset({self.desk_id}) if self.desk_id is not None else frozenset()

    def may_read_desk(self, desk_id: int | None) -> bool:
        desks = self.readable_desks
        return desks is None or desk_id in desks

    def may_write_desk(self, desk_id: int | None) -> bool:
        desks = self.writable_desks
        return desks is None or desk_id in desks


def allowed(role: str, permission: str) -> bool:
    try:
        return role in PERMISSIONS[permission]
    except KeyError:
        raise KeyError(f"unknown permission {permission!r}") from None


def require(actor: Actor, permission: str) -> None:
    """Raise PermissionDenied unless the actor's role grants ``permission``."""
    if not allowed(actor.role, permission):
        label = _(_ACTION_LABELS.get(permission, permission))
        raise PermissionDenied(
            _("您的角色（{role}）不能执行“{action}”，请联系督导民警或管理员。").format(
                role=_(ROLES.get(actor.role, actor.role)), action=label
            )
        )


def role_label(role: str) -> str:
    return _(ROLES.get(role, role))


_ASKED_FIRST = (OFFICER, ADVISER, VOLUNTEER, ADMIN)
"""Whom to name first when saying who may do something (the administrator last)."""


def who_may(permission: str) -> str:
    """The roles that may do ``permission``, in words: "督导民警或管理员"."""
    roles = [role_label(r) for r in _ASKED_FIRST if allowed(r, permission)]
    return _("或").join(roles)
