"""The dialogs behind the case view's action buttons: one small form per thing a person does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation import validation, workflow
from mediation.changes import Changes
from mediation.documents.numerals import cn_number, rmb_upper
from mediation.errors import ValidationError, WorkflowError
from mediation.i18n import _
from mediation.permissions import ADMIN, role_label
from mediation.services import (
    accounts,
    case_detail,
    case_records,
    cases,
    parties,
)
from mediation.services import documents as docs
from mediation.services.accounts import UserInfo
from mediation.services.case_detail import CaseDetail
from mediation.services.case_records import (
    FollowUpInput,
    InvestigationInput,
    SessionInput,
)
from mediation.services.cases import AgreementInput
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, SessionFn, WriteOp
from mediation.ui.widgets import (
    HINT_COLOR,
    QT_TRANSLATE_NOOP,
    ChoiceButtons,
    DateEdit,
    DateTimeEdit,
    Field,
    FormDialog,
    LineEdit,
    MoneyEdit,
    TextEdit,
    ValueWidget,
    field_grid,
    grid_add,
)

# Common phrases offered as quick picks; translated when shown (context "ActionDialog").
ROUTE_PICKS = (QT_TRANSLATE_NOOP("ActionDialog", "向人民法院起诉"), QT_TRANSLATE_NOOP("ActionDialog", "申请劳动仲裁"),
               QT_TRANSLATE_NOOP("ActionDialog", "向消费者协会投诉"), QT_TRANSLATE_NOOP("ActionDialog", "学校相关部门"))
TERMINATE_REASONS = (QT_TRANSLATE_NOOP("ActionDialog", "双方分歧较大，无法达成协议"),
                     QT_TRANSLATE_NOOP("ActionDialog", "一方当事人拒绝继续调解"),
                     QT_TRANSLATE_NOOP("ActionDialog", "当事人已向人民法院起诉"),
                     QT_TRANSLATE_NOOP("ActionDialog", "当事人撤回调解申请"))
REFER_DESTINATIONS = (QT_TRANSLATE_NOOP("ActionDialog", "人民法院"), QT_TRANSLATE_NOOP("ActionDialog", "劳动人事争议仲裁委员会"),
                      QT_TRANSLATE_NOOP("ActionDialog", "消费者协会"), QT_TRANSLATE_NOOP("ActionDialog", "学校相关部门"),
                      QT_TRANSLATE_NOOP("ActionDialog", "市场监督管理部门"), QT_TRANSLATE_NOOP("ActionDialog", "其他行政机关"))
PERFORMANCE_MANNERS = (QT_TRANSLATE_NOOP("ActionDialog", "当场履行"), QT_TRANSLATE_NOOP("ActionDialog", "银行转账"),
                       QT_TRANSLATE_NOOP("ActionDialog", "微信或支付宝转账"), QT_TRANSLATE_NOOP("ActionDialog", "现金支付"),
                       QT_TRANSLATE_NOOP("ActionDialog", "分期支付"), QT_TRANSLATE_NOOP("ActionDialog", "返还物品"))
DEFAULT_SESSION_PLACE = QT_TRANSLATE_NOOP("ActionDialog", "联调中心调解室")
DEFAULT_FOLLOW_UP_REASON = QT_TRANSLATE_NOOP("ActionDialog", "了解协议履行情况")


def _t(text: str) -> str:
    """Show a phrase marked with QT_TRANSLATE_NOOP("ActionDialog", ...) in the UI language."""
    return QCoreApplication.translate("ActionDialog", text)


class ActionDialog(FormDialog):
    """Base: a titled form over one case; submits through a service call in the write worker."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None, *,
                 title: str, intro: str = "", ok_text: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        root = QVBoxLayout(self)
        head = QLabel(self.tr("案件：{number}　{parties}").format(
            number=detail.number or self.tr("未受理"), parties=_party_line(detail)), self)
        head.setStyleSheet(f"color: {HINT_COLOR};")
        head.setWordWrap(True)
        root.addWidget(head)
        if intro:
            self.intro = QLabel(intro, self)
            self.intro.setWordWrap(True)
            root.addWidget(self.intro)
        root.addWidget(self.banner)
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        root.addLayout(self.body)
        root.addStretch(1)
        root.addWidget(self.make_buttons(ok_text or self.tr("保存")))

    @property
    def case_id(self) -> int:
        return self.detail.id

    def add(self, key: str, field: Field) -> Field:
        self.add_field(key, field)
        self.body.addWidget(field)
        return field

    def ready(self, focus: Field | None = None) -> None:
        """Call at the end of a subclass's __init__: the defaults count as not typed.

        ``focus`` is where typing starts (default: the first field).
        """
        self.mark_clean()
        if focus is not None:
            focus.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        for f in self.fields().values():
            if f.isVisibleTo(self) and f.editor.focusPolicy() != Qt.FocusPolicy.NoFocus:
                f.editor.setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def run(self, fn: SessionFn[object]) -> None:
        """Call ``fn(session, actor)`` in a write transaction; close on success, explain on failure."""
        if self.busy:
            return
        self.clear_errors()
        self.set_busy(True)
        (WriteOp(self, fn).changes(Changes(case_ids=frozenset({self.case_id}), cases_list=True))
         .success(self._on_done).failure(self.handle_failure).run())

    def _on_done(self, _result: object) -> None:
        self.finish()

    def can_reload(self) -> bool:
        return True

    def reload_keeping_input(self) -> None:
        """Take the case as it is now (its version) and keep everything typed here."""
        case_id = self.case_id

        def _done(detail: CaseDetail) -> None:
            self.detail = detail
            self.banner.show_message(self.tr("已载入最新版本（{stage}）。请核对后再次保存。").format(
                stage=workflow.stage_label(detail.stage)), "info")

        ReadOp(self, lambda s, a: case_detail.get_case(s, a, case_id)).success(_done).failure(self.handle_failure).run()


def _party_line(d: CaseDetail) -> str:
    return parties.party_summary([(p.role, p.name) for p in d.parties])


def _text_check(key: str, max_len: int) -> Callable[[str], object]:
    return lambda s: validation.text(s, field=key, max_len=max_len)


def _quick_picks(parent: QWidget, picks: tuple[str, ...], target: QWidget, *, replace: bool = False) -> QWidget:
    """A row of buttons that put common phrases into ``target`` (text edit or line edit)."""
    row = QWidget(parent)
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(QLabel(QCoreApplication.translate("ActionDialog", "常用："), row))
    for text in (_t(p) for p in picks):
        b = QPushButton(text, row)
        b.setAutoDefault(False)
        b.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        def _pick(_checked: bool = False, t: str = text) -> None:
            if isinstance(target, QLineEdit):
                target.setText(t)
            elif isinstance(target, TextEdit):
                current = target.toPlainText().strip()
                if replace or not current:
                    target.setPlainText(t)
                elif t not in current:
                    target.setPlainText(current + "；" + t)
            target.setFocus()

        b.clicked.connect(_pick)
        lay.addWidget(b)
    lay.addStretch(1)
    return row


# ---------------------------------------------------------------- track, accept, decline


class ChooseTrackDialog(ActionDialog):
    """People's or police mediation (or referral); police checks the exclusions first."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("确定调解类型"), intro=self.tr(
            "由督导民警决定。民间纠纷一般适用人民调解；因民间纠纷引起、情节轻微的违反治安管理行为，"
            "双方自愿的，可以治安调解。"), ok_text=self.tr("确定"))
        self.track = self.add("track", Field(self.tr("调解类型"), ChoiceButtons(
            [(workflow.PEOPLE, self.tr("人民调解")), (workflow.POLICE, self.tr("治安调解")),
             (workflow.REFER, self.tr("引导/移送"))], self), required=True, parent=self))
        self.track.set_value(detail.track or workflow.PEOPLE)
        self.track.changed.connect(self._on_track_changed)
        self.exclusions_box = QGroupBox(self.tr("治安调解排除情形（有下列情形之一的，一般不适用治安调解）"), self)
        ex_lay = QVBoxLayout(self.exclusions_box)
        self.exclusion_checks: dict[str, QCheckBox] = {}
        for code, label in workflow.POLICE_EXCLUSIONS.items():
            cb = QCheckBox(_(label), self.exclusions_box)
            self.exclusion_checks[code] = cb
            ex_lay.addWidget(cb)
        self.body.addWidget(self.exclusions_box)
        self.acknowledge = self.add("acknowledge", Field("", QCheckBox(self.tr(
            "仍决定治安调解（我已知悉上述情形，由本人决定，并记录在案）"), self), parent=self))
        self.acknowledge.hide()
        self._ack_offered = False
        self.refer_hint = QLabel(self.tr("选择“引导/移送”后，请使用案件页上的“引导/移送”按钮写明去向和理由。"), self)
        self.refer_hint.setWordWrap(True)
        self.refer_hint.setStyleSheet(f"color: {HINT_COLOR};")
        self.body.addWidget(self.refer_hint)
        self._on_track_changed()
        self.ready()

    def form_state(self) -> Any:
        state = super().form_state()
        state["exclusions"] = self.exclusions()
        return state

    def exclusions(self) -> list[str]:
        return [c for c, cb in self.exclusion_checks.items() if cb.isChecked()]

    def _on_track_changed(self) -> None:
        police = self.track.value() == workflow.POLICE
        self.exclusions_box.setVisible(police)
        self.refer_hint.setVisible(self.track.value() == workflow.REFER)
        if not police:
            self.acknowledge.hide()
            self._ack_offered = False

    def submit(self) -> None:
        track = str(self.track.value())
        exclusions = self.exclusions() if track == workflow.POLICE else []
        ack = self._ack_offered and bool(self.acknowledge.value())
        if self._ack_offered and exclusions and not ack:
            self.acknowledge.set_error(self.tr("如仍决定治安调解，请勾选确认；否则请改选其他调解类型。"))
            return
        case_id, version = self.case_id, self.detail.version
        self.run(lambda s, a: cases.choose_track(s, a, case_id, track, exclusions=exclusions,
                                                 acknowledge=ack, expected_version=version))

    def handle_failure(self, exc: BaseException) -> None:
        if isinstance(exc, WorkflowError) and self.exclusions() and self.track.value() == workflow.POLICE:
            self.set_busy(False)
            self.banner.show_message(exc.message, "warning")
            self._ack_offered = True
            self.acknowledge.show()
            self.acknowledge.editor.setFocus()
            return
        super().handle_failure(exc)


class ConfirmActionDialog(ActionDialog):
    """A transition that needs no input beyond "yes" (accept, start investigation...)."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None, *,
                 title: str, intro: str, ok_text: str,
                 call: Callable[[Any, Any, int, int], object]) -> None:
        super().__init__(ctx, detail, parent, title=title, intro=intro, ok_text=ok_text)
        self._call = call
        self.ready()

    def submit(self) -> None:
        case_id, version, call = self.case_id, self.detail.version, self._call
        self.run(lambda s, a: call(s, a, case_id, version))


def accept_dialog(ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> ConfirmActionDialog:
    translate = QCoreApplication.translate
    return ConfirmActionDialog(
        ctx, detail, parent,
        title=translate("AcceptDialog", "受理案件"),
        intro=translate("AcceptDialog", "受理后案件将获得编号，并开始计算办理期限。受理前请确认：纠纷可以调解、"
                                        "未起诉至法院或由其他机关处理、当事人同意调解，并已告知当事人权利义务。"),
        ok_text=translate("AcceptDialog", "受理"),
        call=lambda s, a, c, v: cases.accept_case(s, a, c, expected_version=v))


def start_investigation_dialog(ctx: AppContext, detail: CaseDetail,
                               parent: QWidget | None = None) -> ConfirmActionDialog:
    translate = QCoreApplication.translate
    return ConfirmActionDialog(
        ctx, detail, parent,
        title=translate("StartInvestigationDialog", "开始调查"),
        intro=translate("StartInvestigationDialog", "进入调查阶段：询问当事人、收集证据、现场查看，并记录调查记录。"),
        ok_text=translate("StartInvestigationDialog", "开始调查"),
        call=lambda s, a, c, v: cases.start_investigation(s, a, c, expected_version=v))


def start_mediation_dialog(ctx: AppContext, detail: CaseDetail,
                           parent: QWidget | None = None) -> ConfirmActionDialog:
    translate = QCoreApplication.translate
    return ConfirmActionDialog(
        ctx, detail, parent,
        title=translate("StartMediationDialog", "开始调解"),
        intro=translate("StartMediationDialog", "进入调解阶段。添加第一份调解记录时也会自动进入此阶段。"),
        ok_text=translate("StartMediationDialog", "开始调解"),
        call=lambda s, a, c, v: cases.start_mediation(s, a, c, expected_version=v))


def perform_dialog(ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> ConfirmActionDialog:
    translate = QCoreApplication.translate
    return ConfirmActionDialog(
        ctx, detail, parent,
        title=translate("PerformDialog", "进入履行/回访"),
        intro=translate("PerformDialog", "协议已签署，开始跟踪履行情况并安排回访。"),
        ok_text=translate("PerformDialog", "确定"),
        call=lambda s, a, c, v: cases.enter_performing(s, a, c, expected_version=v))


class ReasonDialog(ActionDialog):
    """A transition that needs a reason (decline, withdraw)."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None, *,
                 title: str, intro: str, label: str, ok_text: str,
                 call: Callable[[Any, Any, int, str, int], object], picks: tuple[str, ...] = ()) -> None:
        super().__init__(ctx, detail, parent, title=title, intro=intro, ok_text=ok_text)
        self._call = call
        self.reason = self.add("reason", Field(label, TextEdit(self, lines=3), required=True,
                                               check=_text_check("reason", 2000), parent=self))
        if picks:
            self.body.addWidget(_quick_picks(self, picks, self.reason.editor))
        self.ready()

    def submit(self) -> None:
        case_id, version, call = self.case_id, self.detail.version, self._call
        reason = self.reason.text()
        self.run(lambda s, a: call(s, a, case_id, reason, version))


def decline_dialog(ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> ReasonDialog:
    translate = QCoreApplication.translate
    return ReasonDialog(
        ctx, detail, parent,
        title=translate("DeclineDialog", "不予受理"),
        intro=translate("DeclineDialog", "不予受理的，应告知当事人理由及其他解决途径。"),
        label=translate("DeclineDialog", "不予受理的理由"),
        ok_text=translate("DeclineDialog", "不予受理"),
        picks=(translate("DeclineDialog", "已向人民法院起诉"), translate("DeclineDialog", "不属于民间纠纷"),
               translate("DeclineDialog", "当事人不同意调解")),
        call=lambda s, a, c, r, v: cases.decline_case(s, a, c, reason=r, expected_version=v))


def withdraw_dialog(ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> ReasonDialog:
    translate = QCoreApplication.translate
    return ReasonDialog(
        ctx, detail, parent,
        title=translate("WithdrawDialog", "申请人撤回"),
        intro=translate("WithdrawDialog", "申请人撤回调解申请，案件将结束。"),
        label=translate("WithdrawDialog", "撤回的原因"),
        ok_text=translate("WithdrawDialog", "登记撤回"),
        picks=(translate("WithdrawDialog", "双方已自行和解"), translate("WithdrawDialog", "申请人决定向法院起诉")),
        call=lambda s, a, c, r, v: cases.withdraw_case(s, a, c, reason=r, expected_version=v))


def reopen_dialog(ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> ReasonDialog:
    translate = QCoreApplication.translate
    return ReasonDialog(
        ctx, detail, parent,
        title=translate("ReopenDialog", "恢复调解"),
        intro=translate("ReopenDialog", "终止调解或不予受理的案件重新办理：曾经调解的回到“调解”阶段，未调解的回到“受理”阶段，"
                                        "不予受理的回到“登记”阶段。原来的终止（结案）日期不再计入统计，已上报的报表会标明“报送后有变动”；自受理起算的期限从恢复之日重新计算。"),
        label=translate("ReopenDialog", "恢复调解的理由"),
        ok_text=translate("ReopenDialog", "恢复调解"),
        picks=(translate("ReopenDialog", "当事人申请重新调解"), translate("ReopenDialog", "出现新的情况，具备调解条件")),
        call=lambda s, a, c, r, v: cases.reopen_case(s, a, c, reason=r, expected_version=v))


# ---------------------------------------------------------------- mediator


class AssignMediatorDialog(ActionDialog):
    """Name the mediator from the desk's active accounts, after the recusal check."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("指派调解员"), intro=self.tr(
            "调解员与当事人有利害关系的，应当回避。"), ok_text=self.tr("指派"))
        combo = QComboBox(self)
        combo.addItem(self.tr("正在载入…"), None)
        self.mediator = self.add("mediator", Field(self.tr("调解员"), combo, required=True, parent=self))
        self.recusal = self.add("recusal", Field(self.tr("回避审查"), QCheckBox(self.tr(
            "已确认调解员与各方当事人无利害关系"), self), required=True, parent=self))
        self.ready()
        ReadOp(self, accounts.list_users).success(self._on_users_loaded).failure(self.handle_failure).run()

    def _on_users_loaded(self, users: list[UserInfo]) -> None:
        combo: QComboBox = self.mediator.editor  # type: ignore[assignment]  # the Field was built with this editor (Field.editor is a QWidget)
        combo.clear()
        combo.addItem(self.tr("（请选择）"), None)
        current = 0
        today = local_today()
        for u in users:
            current_one = u.id == self.detail.mediator_id
            expired = u.valid_until is not None and u.valid_until < today
            # Mediators are the people who do casework: not the system administrator's
            # account, nor a volunteer whose term has ended.
            if not current_one and (not u.active or expired or u.role == ADMIN):
                continue
            combo.addItem(self.tr("{name}（{role}）").format(name=u.display_name, role=role_label(u.role)), u.id)
            if u.id == self.detail.mediator_id:
                current = combo.count() - 1
        combo.setCurrentIndex(current)
        self.mark_clean()

    def submit(self) -> None:
        user_id = self.mediator.value()
        if not isinstance(user_id, int):
            self.mediator.set_error(self.tr("请选择调解员。"))
            return
        checked = bool(self.recusal.value())
        case_id, version = self.case_id, self.detail.version
        self.run(lambda s, a: cases.assign_mediator(s, a, case_id, user_id, recusal_checked=checked,
                                                    expected_version=version))


# ---------------------------------------------------------------- records


class InvestigationDialog(ActionDialog):
    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("添加调查记录"), ok_text=self.tr("保存记录"))
        self.held_at = self.add("held_at", Field(self.tr("调查时间"), DateTimeEdit(self), required=True,
                                                 parent=self))
        self.place = self.add("place", Field(self.tr("地点"), LineEdit(self, max_length=200), parent=self))
        self.subject = self.add("subject", Field(self.tr("调查对象"), LineEdit(
            self, max_length=200, placeholder=self.tr("如：被申请人李四、宿舍管理员")), parent=self))
        self.content = self.add("content", Field(self.tr("调查内容"), TextEdit(self, lines=6, placeholder=self.tr(
            "询问了什么、对方如何回答、查看了哪些证据")), required=True,
            check=_text_check("content", 20000), parent=self))
        self.ready(focus=self.subject)

    def submit(self) -> None:
        data = InvestigationInput(held_at=self.held_at.value(), content=self.content.text(),
                                  place=self.place.text(), subject=self.subject.text())
        case_id = self.case_id
        self.run(lambda s, a: case_records.add_investigation(s, a, case_id, data))


class SessionDialog(ActionDialog):
    """A mediation session: when, where, who, what each side said, the result."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("添加调解记录"), intro=self.tr(
            "记录本次调解的经过。打印后由参加人员签字。"), ok_text=self.tr("保存记录"))
        grid = field_grid(2)
        self.held_at = Field(self.tr("调解时间"), DateTimeEdit(self), required=True, parent=self)
        self.add_field("held_at", self.held_at)
        self.place = Field(self.tr("地点"), LineEdit(self, max_length=200), parent=self)
        self.add_field("place", self.place)
        self.place.set_value(_t(DEFAULT_SESSION_PLACE))
        grid_add(grid, self.held_at, 0, 0)
        grid_add(grid, self.place, 0, 1)
        self.body.addLayout(grid)
        attendees = [p.name for p in detail.parties]
        if detail.mediator and detail.mediator not in attendees:
            attendees.append(detail.mediator)
        self.attendees = self.add("attendees", Field(self.tr("参加人员"), LineEdit(self, max_length=2000),
                                                     parent=self))
        self.attendees.set_value("、".join(attendees))
        self.applicant_said = self.add("applicant_said", Field(self.tr("申请方陈述"), TextEdit(self, lines=3),
                                                               parent=self))
        self.respondent_said = self.add("respondent_said", Field(self.tr("被申请方陈述"), TextEdit(self, lines=3),
                                                                 parent=self))
        self.process = self.add("process", Field(self.tr("调解经过及意见"), TextEdit(self, lines=3, placeholder=self.tr(
            "调解员做了哪些工作、提出了什么方案、双方的态度")), parent=self))
        result = QComboBox(self)
        for code, label in workflow.SESSION_RESULTS.items():
            result.addItem(_(label), code)
        self.outcome = self.add("result", Field(self.tr("本次结果"), result, required=True, parent=self))
        self.setMinimumWidth(640)
        self.ready(focus=self.applicant_said)

    def field_for_error(self, key: str) -> Field | None:
        if key == "content":
            return self.applicant_said
        return super().field_for_error(key)

    def content(self) -> str:
        parts = []
        for label, f in ((self.tr("申请方陈述"), self.applicant_said),
                         (self.tr("被申请方陈述"), self.respondent_said),
                         (self.tr("调解经过及意见"), self.process)):
            text = f.text().strip()
            if text:
                parts.append(self.tr("{label}：{text}").format(label=label, text=text))
        return "\n".join(parts)

    def submit(self) -> None:
        data = SessionInput(held_at=self.held_at.value(), content=self.content(), place=self.place.text(),
                            attendees=self.attendees.text(), result=str(self.outcome.value()))
        case_id = self.case_id
        self.run(lambda s, a: case_records.add_session_record(s, a, case_id, data))

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        if "content" in errors:  # the content is made of three boxes: say which
            errors = {**errors, "content": self.tr("请至少填写一项：申请方陈述、被申请方陈述或调解经过。")}
        super().show_field_errors(errors)


class TermsEditor(ValueWidget):
    """The agreed terms as numbered items (一、二、三、…), any number of them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[QLabel, QLineEdit, QPushButton]] = []
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._items = QVBoxLayout()
        self._lay.addLayout(self._items)
        self.add_button = QPushButton(self.tr("＋ 添加一项"), self)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self._lay.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_item()

    def add_item(self, text: str = "") -> QLineEdit:
        row = QHBoxLayout()
        label = QLabel(self)
        edit = QLineEdit(self)
        edit.setText(text)
        edit.textChanged.connect(self._on_text_changed)
        remove = QPushButton(self.tr("删除"), self)
        remove.setAutoDefault(False)
        row.addWidget(label)
        row.addWidget(edit, 1)
        row.addWidget(remove)
        self._items.addLayout(row)
        entry = (label, edit, remove)
        self._rows.append(entry)
        remove.clicked.connect(lambda _c=False, e=entry: self._remove(e))
        self._renumber()
        return edit

    def _on_add_button_clicked(self) -> None:
        self.add_item().setFocus()
        self.value_changed.emit()

    def _on_text_changed(self, _text: str) -> None:
        self.value_changed.emit()

    def _remove(self, entry: tuple[QLabel, QLineEdit, QPushButton]) -> None:
        if len(self._rows) <= 1:
            entry[1].clear()
            return
        self._rows.remove(entry)
        for w in entry:
            w.hide()
            w.deleteLater()
        self._renumber()
        self.value_changed.emit()

    def _renumber(self) -> None:
        for i, (label, _edit, remove) in enumerate(self._rows, start=1):
            label.setText(f"{cn_number(i)}、")
            remove.setEnabled(len(self._rows) > 1)

    def edits(self) -> list[QLineEdit]:
        return [e for _l, e, _r in self._rows]

    def value(self) -> list[str]:
        return [e.text() for e in self.edits()]

    def set_value(self, value: Any) -> None:
        items = list(value or [""])
        while len(self._rows) > len(items):
            self._remove(self._rows[-1])
        while len(self._rows) < len(items):
            self.add_item()
        for e, t in zip(self.edits(), items, strict=True):
            e.setText(str(t))

    def terms_text(self) -> str:
        """"一、…\\n二、…" (empty items skipped, numbered as written)."""
        items = [t.strip() for t in self.value() if t.strip()]
        return "\n".join(f"{cn_number(i)}、{t}" for i, t in enumerate(items, start=1))


class AgreementDialog(ActionDialog):
    """Register the agreement reached: written, or oral settled on the spot."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("登记调解协议"), ok_text=self.tr("登记协议"))
        self.kind = self.add("kind", Field(self.tr("协议形式"), ChoiceButtons(
            [("written", self.tr("书面协议（打印调解协议书签字）")),
             ("oral", self.tr("口头协议（当场履行的简单纠纷）"))], self), required=True, parent=self))
        self.kind.changed.connect(self._on_kind_changed)
        self.terms_editor = TermsEditor(self)
        self.terms = self.add("terms", Field(self.tr("协议内容（逐项填写）"), self.terms_editor, required=True,
                                             parent=self))
        grid = field_grid(2)
        self.amount = Field(self.tr("协议金额（元）"), MoneyEdit(self), check=lambda s: validation.money(s),
                            parent=self)
        self.add_field("amount", self.amount)
        self.amount.changed.connect(self._on_amount_changed)
        manner = QComboBox(self)
        manner.setEditable(True)
        manner.addItem("")
        manner.addItems([_t(m) for m in PERFORMANCE_MANNERS])
        self.performance_manner = Field(self.tr("履行方式"), manner, parent=self)
        self.add_field("performance_manner", self.performance_manner)
        self.performance_place = Field(self.tr("履行地点"), LineEdit(self, max_length=200), parent=self)
        self.add_field("performance_place", self.performance_place)
        self.performance_deadline = Field(self.tr("履行期限"), DateEdit(
            self, optional=True), parent=self)
        self.add_field("performance_deadline", self.performance_deadline)
        self.reached_at = Field(self.tr("达成时间"), DateTimeEdit(self), parent=self)
        self.add_field("reached_at", self.reached_at)
        grid_add(grid, self.amount, 0, 0)
        grid_add(grid, self.performance_manner, 0, 1)
        grid_add(grid, self.performance_place, 1, 0)
        grid_add(grid, self.performance_deadline, 1, 1)
        grid_add(grid, self.reached_at, 2, 0)
        self.body.addLayout(grid)
        self.signed = self.add("signed", Field("", QCheckBox(self.tr(
            "当场签字确认（口头协议登记表已由双方当事人签字）"), self), parent=self))
        self.signed.set_value(True)
        self._on_kind_changed()
        self.setMinimumWidth(640)
        self.ready()
        self.terms_editor.edits()[0].setFocus()
        # Drafted as a document already: start from what it says (no typing it twice).
        case_id = detail.id
        (ReadOp(self, lambda s, a: docs.agreement_draft(s, a, case_id))
         .success(self._on_draft_loaded).failure(lambda _exc: None).run())

    def _on_draft_loaded(self, draft: AgreementInput | None) -> None:
        if draft is None or self.has_unsaved_changes():
            return
        self.kind.set_value(draft.kind)
        self.terms_editor.set_value([t for t in draft.terms.splitlines() if t.strip()])
        self.amount.set_value(str(draft.amount) if draft.amount is not None else "")
        self.performance_manner.set_value(draft.performance_manner)
        self.performance_place.set_value(draft.performance_place)
        if draft.performance_deadline is not None:
            self.performance_deadline.set_value(draft.performance_deadline)
        self._on_kind_changed()
        self.banner.show_message(self.tr("已按本案起草的协议文书填好，请核对后登记。"), "info")
        self.mark_clean()

    def _on_kind_changed(self) -> None:
        oral = self.kind.value() == "oral"
        self.signed.setVisible(oral)
        self.performance_manner.set_label(self.tr("履行方式"), required=not oral)
        self.performance_deadline.set_label(self.tr("履行期限"), required=not oral)

    def _on_amount_changed(self) -> None:
        try:
            self.amount.set_hint(rmb_upper(validation.money(self.amount.text())) if self.amount.text().strip() else "")
        except ValidationError:
            self.amount.set_hint("")

    def submit(self) -> None:
        kind = str(self.kind.value())
        data = AgreementInput(
            kind=kind, terms=self.terms_editor.terms_text(), amount=self.amount.text().strip() or None,
            performance_manner=self.performance_manner.text().strip(),
            performance_place=self.performance_place.text().strip(),
            performance_deadline=self.performance_deadline.value(),
            signed=kind == "oral" and bool(self.signed.value()), reached_at=self.reached_at.value())
        case_id, version = self.case_id, self.detail.version
        self.run(lambda s, a: cases.record_agreement(s, a, case_id, data, expected_version=version))


class SignedDialog(ActionDialog):
    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("登记协议签署"), intro=self.tr(
            "各方当事人和调解员已在调解协议书上签字（或盖章、按指印）后登记。签署后协议内容不能再修改。"),
            ok_text=self.tr("登记签署"))
        self.signed_at = self.add("signed_at", Field(self.tr("签署时间"), DateTimeEdit(self), required=True,
                                                     parent=self))
        self.ready()

    def submit(self) -> None:
        when, case_id, version = self.signed_at.value(), self.case_id, self.detail.version
        self.run(lambda s, a: cases.mark_agreement_signed(s, a, case_id, signed_at=when, expected_version=version))


class TerminateDialog(ActionDialog):
    """End mediation without agreement; tell the parties their other routes."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("终止调解"), intro=self.tr(
            "终止调解的，应告知当事人可以通过其他途径解决（终止调解告知书）。"), ok_text=self.tr("终止调解"))
        self.reason = self.add("reason", Field(self.tr("终止理由"), TextEdit(self, lines=3), required=True,
                                               check=_text_check("reason", 2000), parent=self))
        self.body.addWidget(_quick_picks(self, TERMINATE_REASONS, self.reason.editor))
        self.routes = self.add("routes", Field(self.tr("告知当事人的其他途径"), TextEdit(self, lines=2),
                                               check=_text_check("routes", 2000), parent=self))
        self.body.addWidget(_quick_picks(self, ROUTE_PICKS, self.routes.editor))
        self.ready()

    def submit(self) -> None:
        reason, routes = self.reason.text(), self.routes.text()
        case_id, version = self.case_id, self.detail.version
        self.run(lambda s, a: cases.terminate_case(s, a, case_id, reason=reason, routes=routes,
                                                   expected_version=version))


class ReferDialog(ActionDialog):
    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("引导/移送"), intro=self.tr(
            "不宜或不能调解的，引导当事人向有关机关、组织解决，案件以“引导/移送”结束。"), ok_text=self.tr("引导/移送"))
        dest = QComboBox(self)
        dest.setEditable(True)
        dest.addItem("")
        dest.addItems([_t(d) for d in REFER_DESTINATIONS])
        self.referred_to = self.add("referred_to", Field(self.tr("去向"), dest, required=True,
                                                         check=_text_check("referred_to", 100), parent=self))
        self.reason = self.add("reason", Field(self.tr("理由"), TextEdit(self, lines=3), required=True,
                                               check=_text_check("reason", 2000), parent=self))
        self.ready()

    def submit(self) -> None:
        to, why = self.referred_to.text(), self.reason.text()
        case_id, version = self.case_id, self.detail.version
        self.run(lambda s, a: cases.refer_case(s, a, case_id, referred_to=to, reason=why, expected_version=version))


class FollowUpDialog(ActionDialog):
    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("添加回访记录"), ok_text=self.tr("保存记录"))
        grid = field_grid(2)
        self.visited_at = Field(self.tr("回访时间"), DateTimeEdit(self), required=True, parent=self)
        self.add_field("visited_at", self.visited_at)
        method = QComboBox(self)
        for code, label in workflow.FOLLOW_UP_METHODS.items():
            method.addItem(_(label), code)
        self.method = Field(self.tr("回访方式"), method, required=True, parent=self)
        self.add_field("method", self.method)
        grid_add(grid, self.visited_at, 0, 0)
        grid_add(grid, self.method, 0, 1)
        self.body.addLayout(grid)
        self.reason = self.add("reason", Field(self.tr("回访事由"), LineEdit(self, max_length=200), parent=self))
        self.reason.set_value(_t(DEFAULT_FOLLOW_UP_REASON))
        self.visit_result = self.add("result", Field(self.tr("回访情况"), TextEdit(self, lines=4, placeholder=self.tr(
            "当事人反映的履行情况、是否还有矛盾")), required=True, check=_text_check("result", 5000), parent=self))
        status = QComboBox(self)
        for code, label in workflow.PERFORMANCE.items():
            status.addItem(_(label), code)
        self.performance_status = self.add("performance_status", Field(self.tr("履行情况"), status, required=True,
                                                                       parent=self))
        self.performance_status.set_value(detail.performance_status or "pending")
        self.ready(focus=self.visit_result)

    def submit(self) -> None:
        data = FollowUpInput(visited_at=self.visited_at.value(), result=self.visit_result.text(),
                             performance_status=str(self.performance_status.value()),
                             method=str(self.method.value()), reason=self.reason.text())
        case_id = self.case_id
        self.run(lambda s, a: case_records.add_follow_up(s, a, case_id, data))


class CloseDialog(ActionDialog):
    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("结案"), intro=self.tr(
            "结案后案件不能再修改，可补充回访和附件。"), ok_text=self.tr("结案"))
        self.prevented = self.add("prevented_escalation", Field(self.tr("统计"), QCheckBox(self.tr(
            "防止民转刑（本纠纷的化解防止了矛盾激化为刑事案件）"), self), parent=self))
        self.prevented.set_value(detail.prevented_escalation)
        self.note = self.add("note", Field(self.tr("结案说明（可不填）"), LineEdit(self, max_length=200),
                                           parent=self))
        self.ready()

    def submit(self) -> None:
        prevented, note = bool(self.prevented.value()), self.note.text().strip()
        case_id, version = self.case_id, self.detail.version
        self.run(lambda s, a: cases.close_case(s, a, case_id, prevented_escalation=prevented, note=note,
                                               expected_version=version))


class ArchiveDialog(ActionDialog):
    """Archive a closed case; its 保管期限 is the one written on the final cover (issue 12 item 24)."""

    def __init__(self, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(ctx, detail, parent, title=self.tr("归档"), intro=self.tr(
            "归档前请确认卷宗材料（封面、目录及全部文书）已按顺序整理齐全。归档后不能再添加附件。"),
            ok_text=self.tr("归档"))
        self.retention_label = QLabel(self.tr("保管期限：正在读取卷宗封面…"), self)
        self.retention_label.setWordWrap(True)
        self.body.addWidget(self.retention_label)
        self.ready()
        case_id = detail.id

        def cover(s: Any, a: Any) -> str | None:
            version = docs.final_cover(s, a, case_id)
            return str(version.content.get("retention_period") or "") if version is not None else None

        ReadOp(self, cover).success(self._on_cover_loaded).failure(self._on_cover_failed).run()

    def _on_cover_loaded(self, period: str | None) -> None:
        if period is None:
            self.retention_label.setText(self.tr("卷宗封面尚未定稿：请先在“文书”中起草、审批并定稿卷宗封面（保管期限写在封面上）。"))
        else:
            self.retention_label.setText(self.tr("保管期限：{period}（以定稿的卷宗封面为准；如需更改，请更正封面）").format(
                period=period or self.tr("未填写")))

    def _on_cover_failed(self, _exc: BaseException) -> None:
        self.retention_label.setText(self.tr("保管期限：以定稿的卷宗封面为准。"))

    def submit(self) -> None:
        case_id, version = self.case_id, self.detail.version
        self.run(lambda s, a: cases.archive_case(s, a, case_id, expected_version=version))


# ---------------------------------------------------------------- which dialog for which action

DialogFactory = Callable[[AppContext, CaseDetail, "QWidget | None"], ActionDialog]

DIALOGS: dict[str, DialogFactory] = {
    "choose_track": ChooseTrackDialog,
    "assign": AssignMediatorDialog,
    "investigation": InvestigationDialog,
    "session": SessionDialog,
    "sign": SignedDialog,
    "follow_up": FollowUpDialog,
    "accept": accept_dialog,
    "decline": decline_dialog,
    "withdraw": withdraw_dialog,
    "refer": ReferDialog,
    "investigate": start_investigation_dialog,
    "mediate": start_mediation_dialog,
    "agree": AgreementDialog,
    "terminate": TerminateDialog,
    "perform": perform_dialog,
    "close": CloseDialog,
    "close_agreed": CloseDialog,
    "close_terminated": CloseDialog,
    "archive": ArchiveDialog,
    "reopen": reopen_dialog,
}


def _outcome_dialog(ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> ActionDialog:
    from mediation.ui.outcome_dialog import OutcomeDialog  # its own module (it builds on ActionDialog)

    return OutcomeDialog(ctx, detail, parent)


DIALOGS["outcome"] = _outcome_dialog


def dialog_for(action: str, ctx: AppContext, detail: CaseDetail, parent: QWidget | None = None) -> ActionDialog:
    """The dialog that carries out ``action`` (a workflow action or a record to add)."""
    try:
        factory = DIALOGS[action]
    except KeyError:
        raise KeyError(f"no dialog for action {action!r}") from None
    return factory(ctx, detail, parent)
