"""One party's sub-form in the intake dialog: person or organisation, role, particulars, ID."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation import validation, workflow
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.statistics.rules import PARTY_TYPES
from mediation.services import parties
from mediation.services.parties import PartyInput, PartyMatch
from mediation.services.case_detail import PartyView
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp
from mediation.ui.widgets import (
    Banner,
    ChoiceButtons,
    DateEdit,
    Field,
    LineEdit,
    field_grid,
    grid_add,
)

# The 56 nationalities as written on the resident ID card (汉族 first: the usual case).
ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族",
    "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族",
    "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族",
    "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族",
    "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
DEFAULT_ETHNICITY = "汉族"
REPRESENTING_ROLES = ("agent", "guardian")

LOOKUP_DELAY_MS = 500


class PartyEditor(QFrame):
    """The sub-form for one party.

    The intake dialog numbers the editors (``set_index``), tells agents and guardians
    whom they may represent (``set_represent_choices``) and maps the service's
    ``parties.<i>.<field>`` messages onto :meth:`field_for_error`.
    """

    changed = Signal()
    """Anything typed or chosen changed."""
    identity_changed = Signal()
    """Name or role changed (the other editors' "代表" lists show them)."""
    remove_requested = Signal()
    left = Signal()
    """Focus left one of the editors (autosave a draft)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._index = 0
        self.existing_party_id: int | None = None
        self.stored_id_masked = ""
        """ID number already stored for the linked party, masked (empty: none stored)."""
        self.stored_phone_masked = ""
        self._linked_name = ""
        self.link_source = ""
        """How existing_party_id was set: "case" (editing a stored case) or "match" (offered)."""
        self._auto_birth: dt.date | None = None
        self._auto_sex = ""
        self._represents: PartyEditor | None = None
        self._represent_choices: list[tuple[PartyEditor, str]] = []
        self._lookup_key: tuple[str, str] = ("", "")
        self._dismissed: set[int] = set()
        self._matches: list[PartyMatch] = []
        self.setObjectName("partyEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#partyEditor { border: 1px solid #c8ccd2; border-radius: 4px; }")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        head = QHBoxLayout()
        self.title = QLabel(self)
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        head.addWidget(self.title)
        head.addStretch(1)
        self.remove_button = QPushButton(self.tr("删除此当事人"), self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        head.addWidget(self.remove_button)
        outer.addLayout(head)

        self.match_banner = Banner(self)
        outer.addWidget(self.match_banner)

        grid = field_grid(3)
        outer.addLayout(grid)

        # -- editors, created in the order of the tab chain
        self.kind = Field(self.tr("类型"), ChoiceButtons(
            [("person", self.tr("个人")), ("org", self.tr("单位"))]), parent=self)
        role_combo = QComboBox(self)
        for code, label in workflow.PARTY_ROLES.items():
            role_combo.addItem(_(label), code)
        self.role = Field(self.tr("身份"), role_combo, required=True, parent=self)
        self.represents = Field(self.tr("代表（为谁代理/监护）"), QComboBox(self), required=True, parent=self)
        self.name = Field(self.tr("姓名"), LineEdit(self, max_length=100), required=True,
                          check=self._check_name, parent=self)
        self.legal_representative = Field(self.tr("法定代表人/负责人"), LineEdit(self, max_length=50),
                                          check=lambda s: validation.person_name(s), parent=self)
        sex = QComboBox(self)
        sex.addItem(self.tr("（未填）"), "")
        sex.addItem(self.tr("男"), "男")
        sex.addItem(self.tr("女"), "女")
        self.sex = Field(self.tr("性别"), sex, parent=self)
        eth = QComboBox(self)
        eth.setEditable(True)
        eth.addItems(list(ETHNICITIES))
        eth.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        eth.setCurrentText(DEFAULT_ETHNICITY)
        self.ethnicity = Field(self.tr("民族"), eth, parent=self)
        id_type = QComboBox(self)
        for code, label in ((("resident_id", self.tr("居民身份证")), ("passport", self.tr("护照")),
                             ("other", self.tr("其他证件")), ("none", self.tr("无/不详")))):
            id_type.addItem(label, code)
        self.id_type = Field(self.tr("证件类型"), id_type, parent=self)
        self.id_number = Field(self.tr("证件号码"), LineEdit(self, max_length=40), check=self._check_id,
                               parent=self)
        self.birth_date = Field(self.tr("出生日期"), DateEdit(self, optional=True,
                                                          page_hint=dt.date(2004, 1, 1)), parent=self)
        self.phone = Field(self.tr("联系电话"), LineEdit(self, placeholder=self.tr("手机或固定电话"), max_length=30),
                           check=lambda s: validation.phone(s), parent=self)
        self.occupation = Field(self.tr("职业/工作单位或学校"), LineEdit(
            self, placeholder=self.tr("如：某大学法学院2023级"), max_length=100), parent=self)
        # Not required at intake, but the agreement (协议书) prints each party's address.
        self.address = Field(self.tr("住址"), LineEdit(self, max_length=200), parent=self,
                             hint=self.tr("调解协议书上要写住址；现在不清楚可先空着，起草协议前补上"))
        party_type = QComboBox(self)
        party_type.addItem(self.tr("（未填）"), "")
        for code, type_label in PARTY_TYPES.items():
            party_type.addItem(_(type_label), code)
        self.party_type = Field(self.tr("当事人类别"), party_type, parent=self)

        grid_add(grid, self.kind, 0, 0)
        grid_add(grid, self.role, 0, 1)
        grid_add(grid, self.represents, 0, 2)
        grid_add(grid, self.name, 1, 0)
        grid_add(grid, self.sex, 1, 1)
        grid_add(grid, self.legal_representative, 1, 1)
        grid_add(grid, self.ethnicity, 1, 2)
        grid_add(grid, self.id_type, 2, 0)
        grid_add(grid, self.id_number, 2, 1)
        grid_add(grid, self.birth_date, 2, 2)
        grid_add(grid, self.phone, 3, 0)
        grid_add(grid, self.occupation, 3, 1)
        grid_add(grid, self.party_type, 3, 2)
        grid_add(grid, self.address, 4, 0, 1, 3)

        self.link_banner = Banner(self)
        outer.addWidget(self.link_banner)

        self._fields: dict[str, Field] = {
            "kind": self.kind, "role": self.role, "represents": self.represents, "name": self.name,
            "legal_representative": self.legal_representative, "sex": self.sex,
            "ethnicity": self.ethnicity, "id_type": self.id_type, "id_number": self.id_number,
            "birth_date": self.birth_date, "phone": self.phone, "occupation": self.occupation,
            "address": self.address, "party_type": self.party_type,
        }
        for each in self._fields.values():
            each.changed.connect(self._on_field_changed)
            each.left.connect(self.left)
        self.kind.changed.connect(self._on_kind_changed)
        self.role.changed.connect(self._on_role_changed)
        self.name.changed.connect(self.identity_changed)
        self.id_type.changed.connect(self._on_id_type_changed)
        self.id_number.changed.connect(self._on_id_number_changed)
        self.phone.changed.connect(self._schedule_lookup)
        self.represents.changed.connect(self._on_represents_changed)

        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(LOOKUP_DELAY_MS)
        self._lookup_timer.timeout.connect(self._on_lookup_timer_timeout)
        self._apply_kind()
        self._apply_role()

    # ---------------------------------------------------------------- numbering, tab order

    def set_index(self, index: int) -> None:
        self._index = index
        self.title.setText(self.tr("当事人 {n}").format(n=index + 1))

    @property
    def index(self) -> int:
        return self._index

    def focus_widgets(self) -> list[QWidget]:
        """The editors in visual order, for the dialog's tab chain."""
        kind_buttons: list[QWidget] = list(self.kind.editor.buttons())  # type: ignore[attr-defined]  # the Field was built with this editor (Field.editor is a QWidget)
        ordered = [*kind_buttons, self.role.editor, self.represents.editor, self.name.editor,
                   self.sex.editor, self.legal_representative.editor, self.ethnicity.editor,
                   self.id_type.editor, self.id_number.editor, self.birth_date.editor,
                   self.phone.editor, self.occupation.editor, self.party_type.editor, self.address.editor]
        return [*ordered, self.remove_button]

    def label(self) -> str:
        """"当事人1 张三（申请人）" for the "代表" lists of agents and guardians."""
        name = self.name.text().strip() or self.tr("（未填姓名）")
        return self.tr("当事人{n} {name}（{role}）").format(
            n=self._index + 1, name=name, role=self.role.editor.currentText())  # type: ignore[attr-defined]  # the Field was built with this editor (Field.editor is a QWidget)

    # ---------------------------------------------------------------- values

    def kind_value(self) -> str:
        return str(self.kind.value())

    def role_value(self) -> str:
        return str(self.role.value())

    def set_role(self, role: str) -> None:
        self.role.set_value(role)
        self._apply_role()

    def set_represent_choices(self, choices: list[tuple[PartyEditor, str]]) -> None:
        """The parties this one may represent (editor, label); keeps the current choice."""
        self._represent_choices = choices
        combo: QComboBox = self.represents.editor  # type: ignore[assignment]  # the Field was built with this editor (Field.editor is a QWidget)
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("（请选择）"), None)
        current = 0
        for i, (editor, label) in enumerate(choices, start=1):
            combo.addItem(label, i - 1)
            if editor is self._represents:
                current = i
        combo.setCurrentIndex(current)
        combo.blockSignals(False)
        if current == 0:
            self._represents = None

    def represented_editor(self) -> PartyEditor | None:
        return self._represents if self.role_value() in REPRESENTING_ROLES else None

    def set_represented_editor(self, editor: PartyEditor | None) -> None:
        self._represents = editor
        self.set_represent_choices(self._represent_choices)

    def to_input(self, index_of: Callable[[PartyEditor], int]) -> PartyInput:
        """The party as the service takes it; ``index_of`` numbers the represented editor."""
        person = self.kind_value() == "person"
        represents = self.represented_editor()
        return PartyInput(
            role=self.role_value(),
            name=self.name.text().strip(),
            kind=self.kind_value(),
            sex=str(self.sex.value()) if person else "",
            ethnicity=self.ethnicity.text().strip() if person else "",
            birth_date=self.birth_date.value() if person else None,
            id_type=str(self.id_type.value()) if person else "other",
            id_number=self.id_number.text().strip(),
            phone=self.phone.text().strip(),
            address=self.address.text().strip(),
            occupation=self.occupation.text().strip() if person else "",
            legal_representative=self.legal_representative.text().strip() if not person else "",
            represents=index_of(represents) if represents is not None else None,
            existing_party_id=self.existing_party_id,
            party_type=str(self.party_type.value() or ""),
        )

    def state(self, index_of: Callable[[PartyEditor], int]) -> dict[str, Any]:
        """Everything typed, as JSON data (drafts, dirtiness, conflict merging)."""
        represents = self.represented_editor()
        out: dict[str, Any] = {k: _plain(f.value()) for k, f in self._fields.items() if k != "represents"}
        out["represents"] = index_of(represents) if represents is not None else None
        out["existing_party_id"] = self.existing_party_id
        out["stored_id_masked"] = self.stored_id_masked
        out["stored_phone_masked"] = self.stored_phone_masked
        out["linked_name"] = self._linked_name
        out["link_source"] = self.link_source
        return out

    def load_state(self, data: dict[str, Any], editors: list[PartyEditor]) -> None:
        """Fill from :meth:`state` output; ``editors`` resolves the represented index."""
        self.kind.set_value(data.get("kind", "person"))
        self._apply_kind()
        self.role.set_value(data.get("role", "applicant"))
        for key in ("name", "legal_representative", "sex", "ethnicity", "id_type", "id_number",
                    "birth_date", "phone", "occupation", "address", "party_type"):
            if key in data:
                self._fields[key].set_value(data[key])
        self.existing_party_id = data.get("existing_party_id")
        self.stored_id_masked = data.get("stored_id_masked", "") or ""
        self.stored_phone_masked = data.get("stored_phone_masked", "") or ""
        self._linked_name = data.get("linked_name", "") or ""
        self.link_source = data.get("link_source", "") or ""
        rep = data.get("represents")
        self._represents = editors[rep] if isinstance(rep, int) and 0 <= rep < len(editors) else None
        self._apply_role()
        self._apply_stored_placeholders()
        self._show_linked_note()
        self._auto_birth, self._auto_sex = None, ""
        if self.kind_value() == "person" and self.id_type.value() == "resident_id":
            try:
                number = validation.resident_id(self.id_number.text())
            except ValidationError:
                pass
            else:
                birth = validation.birth_date_from_resident_id(number)
                sex = validation.sex_from_resident_id(number)
                self._auto_birth = birth if self.birth_date.value() == birth else None
                self._auto_sex = sex if self.sex.value() == sex else ""
        self._lookup_key = self._lookup_values()

    # ---------------------------------------------------------------- errors

    def field_for_error(self, key: str) -> Field | None:
        """The field for a service key such as ``id_number`` (``existing_party_id`` → name)."""
        if key == "existing_party_id":
            return self.name
        return self._fields.get(key)

    def clear_errors(self) -> None:
        for f in self._fields.values():
            f.clear_error()

    def fields(self) -> dict[str, Field]:
        return dict(self._fields)

    # ---------------------------------------------------------------- checks as you type

    def _check_name(self, text: str) -> None:
        if self.kind_value() == "org":
            validation.org_name(text)
        else:
            validation.person_name(text)

    def _check_id(self, text: str) -> None:
        if self.kind_value() == "org":
            validation.text(text, field="id_number", max_len=40)
        else:
            validation.id_document(str(self.id_type.value()), text)

    # ---------------------------------------------------------------- reactions

    def _on_field_changed(self) -> None:
        self.changed.emit()

    def _on_remove_button_clicked(self) -> None:
        self.remove_requested.emit()

    def _on_kind_changed(self) -> None:
        self._apply_kind()
        self.name.validate()
        self.id_number.validate()
        self.identity_changed.emit()

    def _on_role_changed(self) -> None:
        self._apply_role()
        self.identity_changed.emit()

    def _on_represents_changed(self) -> None:
        combo: QComboBox = self.represents.editor  # type: ignore[assignment]  # the Field was built with this editor (Field.editor is a QWidget)
        i = combo.currentData()
        self._represents = self._represent_choices[i][0] if isinstance(i, int) and i < len(
            self._represent_choices) else None

    def _on_id_type_changed(self) -> None:
        self.id_number.validate()

    def _on_id_number_changed(self) -> None:
        self._fill_from_id()
        self._schedule_lookup()

    def _apply_kind(self) -> None:
        person = self.kind_value() == "person"
        for f in (self.sex, self.ethnicity, self.id_type, self.birth_date, self.occupation):
            f.setVisible(person)
        self.legal_representative.setVisible(not person)
        self.name.set_label(self.tr("姓名") if person else self.tr("单位名称"), required=True)
        self.id_number.set_label(self.tr("证件号码") if person else self.tr("统一社会信用代码"))

    def _apply_role(self) -> None:
        self.represents.setVisible(self.role_value() in REPRESENTING_ROLES)

    def _apply_stored_placeholders(self) -> None:
        id_edit: LineEdit = self.id_number.editor  # type: ignore[assignment]  # the Field was built with this editor (Field.editor is a QWidget)
        phone_edit: LineEdit = self.phone.editor  # type: ignore[assignment]  # the Field was built with this editor (Field.editor is a QWidget)
        # Short enough for the field at 1366×768; the whole explanation is the tooltip.
        if self.stored_id_masked:
            id_edit.setPlaceholderText(self.tr("{masked}（留空不变）").format(masked=self.stored_id_masked))
            id_edit.setToolTip(self.tr("已登记的号码：{masked}。留空则保留原号码；输入新号码则替换。").format(
                masked=self.stored_id_masked))
        else:
            id_edit.setPlaceholderText("")
            id_edit.setToolTip("")
        if self.stored_phone_masked:
            phone_edit.setPlaceholderText(self.tr("{masked}（留空不变）").format(masked=self.stored_phone_masked))
            phone_edit.setToolTip(self.tr("已登记的号码：{masked}。留空则保留原号码；输入新号码则替换。").format(
                masked=self.stored_phone_masked))
        else:
            phone_edit.setPlaceholderText(self.tr("手机或固定电话"))
            phone_edit.setToolTip("")

    def _fill_from_id(self) -> None:
        """Birth date and sex follow a valid resident ID unless the user set them otherwise."""
        if self.kind_value() != "person" or self.id_type.value() != "resident_id":
            return
        try:
            number = validation.resident_id(self.id_number.text())
        except ValidationError:
            return
        birth = validation.birth_date_from_resident_id(number)
        sex = validation.sex_from_resident_id(number)
        if self.birth_date.value() in (None, self._auto_birth):
            self.birth_date.set_value(birth)
            self._auto_birth = birth
        if self.sex.value() in ("", self._auto_sex):
            self.sex.set_value(sex)
            self._auto_sex = sex

    # ---------------------------------------------------------------- existing parties

    def _schedule_lookup(self) -> None:
        self._lookup_timer.start()

    def lookup_now(self) -> None:
        """Look for stored parties with this ID or phone at once (tests, focus loss)."""
        self._lookup_timer.stop()
        self._on_lookup_timer_timeout()

    def _lookup_values(self) -> tuple[str, str]:
        idn = ""
        if self.kind_value() == "person" and self.id_type.value() == "resident_id":
            try:
                idn = validation.resident_id(self.id_number.text())
            except ValidationError:
                idn = ""
        elif self.id_number.text().strip() and self.id_type.value() == "passport":
            try:
                idn = validation.passport_number(self.id_number.text())
            except ValidationError:
                idn = ""
        ph = ""
        if self.phone.text().strip():
            try:
                ph = validation.phone(self.phone.text())
            except ValidationError:
                ph = ""
        return idn, ph

    def _on_lookup_timer_timeout(self) -> None:
        key = self._lookup_values()
        if key == self._lookup_key:
            return
        self._lookup_key = key
        idn, ph = key
        if not idn and not ph:
            self._show_matches([])
            return
        def found(matches: list[PartyMatch]) -> None:
            self._on_lookup_done(key, matches)

        (ReadOp(self, lambda s, a: parties.find_existing_parties(s, a, id_number=idn, phone=ph))
         .success(found).failure(self._on_lookup_failed).run())

    def _on_lookup_done(self, key: tuple[str, str], found: list[PartyMatch]) -> None:
        if key != self._lookup_key:
            return  # typed on meanwhile
        self._show_matches(found)

    def _on_lookup_failed(self, _exc: BaseException) -> None:
        # Only a convenience: the form works without it (the failure is in the log).
        self._lookup_key = ("", "")

    def _show_matches(self, found: list[PartyMatch]) -> None:
        found = [m for m in found if m.party_id != self.existing_party_id and m.party_id not in self._dismissed]
        self._matches = found
        if not found:
            self.match_banner.clear()
            return
        # Prefer a match on the ID number: a phone may be shared (a dormitory, a family).
        found.sort(key=lambda m: (m.matched_on != "id_number", -m.case_count))
        m = found[0]
        on = self.tr("证件号码") if m.matched_on == "id_number" else self.tr("电话")
        text = self.tr("此人已有 {n} 件案件：{name}（{what}相同；证件 {idm}，电话 {phm}）。"
                       "可使用已登记信息，避免重复登记。").format(
            n=m.case_count, name=m.name, what=on, idm=m.id_number_masked or self.tr("无"),
            phm=m.phone_masked or self.tr("无"))
        if len(found) > 1:
            text += self.tr("（另有 {n} 条相近记录）").format(n=len(found) - 1)
        self.match_banner.show_message(text, "info", [
            (self.tr("使用已登记信息"), lambda: self.use_match(m)),
            (self.tr("不是同一人"), lambda: self._dismiss(m)),
        ])

    def matches(self) -> list[PartyMatch]:
        return list(self._matches)

    def _dismiss(self, m: PartyMatch) -> None:
        self._dismissed.add(m.party_id)
        self._show_matches([x for x in self._matches if x.party_id != m.party_id])

    def use_match(self, m: PartyMatch) -> None:
        """Link this editor to the stored party ``m`` instead of creating a duplicate."""
        self.existing_party_id = m.party_id
        self._linked_name = m.name
        self.link_source = "match"
        if m.name:
            self.name.set_value(m.name)
        self.stored_id_masked = m.id_number_masked
        self.stored_phone_masked = m.phone_masked
        self._apply_stored_placeholders()
        self.match_banner.clear()
        self._show_linked_note()
        self.identity_changed.emit()
        self.changed.emit()

    def unlink(self) -> None:
        self.existing_party_id = None
        self.stored_id_masked = ""
        self.stored_phone_masked = ""
        self._linked_name = ""
        self.link_source = ""
        self._apply_stored_placeholders()
        self._show_linked_note()
        self._lookup_key = ("", "")
        self.changed.emit()

    def _show_linked_note(self) -> None:
        if self.existing_party_id is None or self.link_source != "match":
            self.link_banner.clear()
            return
        self.link_banner.show_message(self.tr(
            "已关联已登记的当事人“{name}”，不会重复登记。此处填写的内容会更新其登记信息，"
            "留空的项目保留原有登记。").format(name=self._linked_name or self.name.text()), "info",
            [(self.tr("取消关联"), self.unlink)])


def view_state(view: PartyView, link_index: dict[int, int]) -> dict[str, Any]:
    """The editor state that shows a stored party of the case being edited.

    ID numbers arrive masked: the box stays empty and shows the mask as a placeholder;
    the phone is filled only when the user may see it whole.
    """
    full_phone = bool(view.phone) and "*" not in view.phone
    return {
        "kind": view.kind, "role": view.role, "name": view.name,
        "legal_representative": view.legal_representative, "sex": view.sex,
        "ethnicity": view.ethnicity, "id_type": view.id_type if view.kind == "person" else "other",
        "id_number": "", "birth_date": _plain(view.birth_date),
        "phone": view.phone if full_phone else "", "occupation": view.occupation,
        "address": view.address, "party_type": view.party_type,
        "represents": link_index.get(view.represents_link_id) if view.represents_link_id else None,
        "existing_party_id": view.party_id, "stored_id_masked": view.id_number_masked,
        "stored_phone_masked": "" if full_phone else view.phone_masked,
        "linked_name": view.name, "link_source": "case",
    }


def input_state(p: PartyInput) -> dict[str, Any]:
    """The editor state for a :class:`PartyInput` (consultation pre-fill)."""
    return {
        "kind": p.kind, "role": p.role, "name": p.name, "legal_representative": p.legal_representative,
        "sex": p.sex, "ethnicity": p.ethnicity or DEFAULT_ETHNICITY, "id_type": p.id_type,
        "id_number": p.id_number, "birth_date": _plain(p.birth_date), "phone": p.phone,
        "occupation": p.occupation, "address": p.address, "party_type": p.party_type, "represents": p.represents,
        "existing_party_id": p.existing_party_id, "stored_id_masked": "", "stored_phone_masked": "",
        "linked_name": "", "link_source": "match" if p.existing_party_id else "",
    }


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def new_party_role(existing: list[str]) -> str:
    """The role a newly added party most likely has, given the roles already on the form."""
    if "applicant" not in existing:
        return "applicant"
    if "respondent" not in existing:
        return "respondent"
    return "third"

