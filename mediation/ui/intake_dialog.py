"""The intake form: register a new dispute, convert a consultation, or edit a case's particulars.

Drafts
------
While the form has unsaved input, its content is written every few seconds and when
focus leaves a field to ``data_dir()/drafts/<username>/`` as JSON (mode 0600):
``intake-<stamp>-<id>.json`` for a new dispute (also from a consultation) and
``case-<id>.json`` when editing a case. The file is deleted when the case is saved or
the user chooses "放弃输入"; it stays when the app crashes, the screen locks, or the
user chooses "保留草稿". Opening a new dispute (or the same case again) offers it back.
The app shell calls :meth:`IntakeDialog.save_draft` before an idle lock or a user
switch and may then :meth:`IntakeDialog.close_keeping_draft`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediation import config, validation
from mediation.documents.numerals import rmb_upper
from mediation.changes import Changes
from mediation.errors import ValidationError
from mediation.services import case_detail, cases, consultations, reference
from mediation.services.case_detail import CaseDetail
from mediation.services.cases import CaseEdit, CaseInput, CaseRef
from mediation.services.parties import PartyInput
from mediation.timeutil import age_on, fmt_local, local_today, utcnow
from mediation.ui.context import AppContext
from mediation.ui.party_editor import REPRESENTING_ROLES, PartyEditor, input_state, new_party_role, view_state
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.widgets import (
    change_signal,
    DISCARD,
    Banner,
    KEEP_DRAFT,
    Field,
    FormDialog,
    HINT_COLOR,
    LineEdit,
    MoneyEdit,
    TextEdit,
    ask_discard,
    confirm,
    field_grid,
    grid_add,
    section_title,
    set_combo_value,
)
import contextlib

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.permissions import Actor

log = logging.getLogger(__name__)

DRAFT_FORMAT = 1
AUTOSAVE_MS = 3000
SCALAR_KEYS = ("facts", "claims", "amount", "category", "subcategory", "source", "title")

# Draft files held by open dialogs: never offered to another dialog meanwhile.
_live_drafts: set[Path] = set()


# ---------------------------------------------------------------- draft files


def drafts_dir(username: str) -> Path:
    """``data_dir()/drafts/<username>/`` (the name made safe for a file system)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", username) or "_"
    if safe.strip(".") == "":
        safe = "_" + safe
    return config.data_dir() / "drafts" / safe


@dataclass(frozen=True)
class DraftInfo:
    path: Path
    saved_at: dt.datetime
    kind: str
    """new | consultation | edit."""
    case_id: int | None
    consultation_id: int | None
    summary: str


def _read_draft(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("unreadable draft %s", path.name)
        return None
    if not isinstance(data, dict) or data.get("format") != DRAFT_FORMAT or not isinstance(data.get("state"), dict):
        return None
    return data


def _draft_info(path: Path, data: dict[str, Any]) -> DraftInfo:
    try:
        saved = dt.datetime.fromisoformat(str(data.get("saved_at")))
    except ValueError:
        saved = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    names = [str(p.get("name", "")).strip() for p in data["state"].get("parties", []) if isinstance(p, dict)]
    return DraftInfo(path, saved, str(data.get("kind", "new")), data.get("case_id"),
                     data.get("consultation_id"), "、".join(n for n in names if n))


def list_drafts(username: str, *, mine: Path | None = None) -> list[DraftInfo]:
    """The user's drafts on this machine, newest first.

    Drafts held by open dialogs are left out, except ``mine`` (the asking dialog's own
    file: editing a case again finds the draft it left last time under the same name).
    """
    d = drafts_dir(username)
    if not d.is_dir():
        return []
    out = []
    for path in d.glob("*.json"):
        if path in _live_drafts and path != mine:
            continue
        data = _read_draft(path)
        if data is not None:
            out.append(_draft_info(path, data))
    out.sort(key=lambda i: i.saved_at, reverse=True)
    return out


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` atomically, readable only by this OS user (it holds personal data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path.parent, 0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


# ---------------------------------------------------------------- the dialog


@dataclass(frozen=True)
class _Loaded:
    categories: dict[str, list[str]]
    sources: list[str]
    detail: CaseDetail | None
    prefill: CaseInput | None


class IntakeDialog(FormDialog):
    """New dispute (or edit of ``case_id``, or conversion of ``consultation_id``)."""

    case_saved = Signal(int)
    """The case id, after it was registered or saved."""
    ready = Signal()
    """Reference data (and the case, when editing) are loaded; the form is editable."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        consultation_id: int | None = None,
        case_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._case_id = case_id
        self._consultation_id = consultation_id
        self._username = ctx.actor.username
        self._expected_version: int | None = None
        self._loaded_state: dict[str, Any] | None = None
        self._editors: list[PartyEditor] = []
        self._categories: dict[str, list[str]] = {}
        self._ready = False
        self._closing_silently = False
        self._last_draft_text: str | None = None
        self._pending_drafts: list[DraftInfo] = []
        if case_id is not None:
            self._draft_path = drafts_dir(self._username) / f"case-{case_id}.json"
            # Another open form on the same case already writes this file: do not offer it.
            self._own_draft_shared = self._draft_path in _live_drafts
        else:
            stamp = utcnow().strftime("%Y%m%d%H%M%S")
            self._draft_path = drafts_dir(self._username) / f"intake-{stamp}-{uuid.uuid4().hex[:8]}.json"
            self._own_draft_shared = False
        _live_drafts.add(self._draft_path)

        if case_id is not None:
            self.setWindowTitle(self.tr("修改案件信息"))
        elif consultation_id is not None:
            self.setWindowTitle(self.tr("咨询转为案件"))
        else:
            self.setWindowTitle(self.tr("登记新纠纷"))
        self.setObjectName("intakeDialog")
        self.setSizeGripEnabled(True)

        root = QVBoxLayout(self)
        root.addWidget(self.banner)
        self.draft_banner = Banner(self)
        root.addWidget(self.draft_banner)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        form = QWidget(self._scroll)
        self._form = form
        self._scroll.setWidget(form)
        root.addWidget(self._scroll, 1)
        lay = QVBoxLayout(form)
        lay.setContentsMargins(4, 4, 12, 4)

        # -- parties
        lay.addWidget(section_title(self.tr("当事人"), form))
        hint = QLabel(self.tr("至少登记一名申请人和一名被申请人。代理人、监护人请选择其代表的当事人。"
                              "身份证号码填写后会自动带出出生日期和性别。"), form)
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {HINT_COLOR};")
        lay.addWidget(hint)
        self._parties_box = QVBoxLayout()
        self._parties_box.setSpacing(8)
        lay.addLayout(self._parties_box)
        self.add_party_button = QPushButton(self.tr("＋ 添加当事人"), form)
        self.add_party_button.setAutoDefault(False)
        self.add_party_button.setToolTip(self.tr("再添加一名申请人、被申请人、第三人、代理人或监护人"))
        self.add_party_button.clicked.connect(self._on_add_party_button_clicked)
        lay.addWidget(self.add_party_button, 0, Qt.AlignmentFlag.AlignLeft)

        # -- the dispute
        lay.addWidget(section_title(self.tr("纠纷情况"), form))
        self.facts = self.add_field("facts", Field(
            self.tr("纠纷事实"), TextEdit(form, lines=5, placeholder=self.tr(
                "何时、何地、因何事发生纠纷，经过如何，双方争议的焦点是什么")),
            required=True, check=lambda s: validation.text(s, field="facts", max_len=20000), parent=form))
        lay.addWidget(self.facts)
        self.claims = self.add_field("claims", Field(
            self.tr("请求事项"), TextEdit(form, lines=3, placeholder=self.tr(
                "申请人希望如何解决，如：请求退还押金2500元")),
            check=lambda s: validation.text(s, field="claims", max_len=10000), parent=form))
        lay.addWidget(self.claims)

        grid = field_grid(3)
        self.amount = self.add_field("amount", Field(
            self.tr("涉及金额（元）"), MoneyEdit(form), check=lambda s: validation.money(s), parent=form))
        self.amount.changed.connect(self._on_amount_changed)
        grid_add(grid, self.amount, 0, 0)
        # Acceptance needs a category (workflow's guard): said beside the field from the start,
        # and registering without one asks once (issue 12: intake then 受理 blocked later).
        self.category = self.add_field("category", Field(
            self.tr("纠纷类别"), QComboBox(form), parent=form,
            hint=self.tr("受理前必须选定（不清楚可先登记，稍后补上）")))
        self._category_asked = False
        self.category.changed.connect(self._on_category_changed)
        grid_add(grid, self.category, 1, 0)
        self.subcategory = self.add_field("subcategory", Field(self.tr("具体类型"), QComboBox(form), parent=form))
        grid_add(grid, self.subcategory, 1, 1)
        self.source = self.add_field("source", Field(self.tr("纠纷来源"), QComboBox(form), parent=form))
        grid_add(grid, self.source, 1, 2)
        self.title_field = self.add_field("title", Field(
            self.tr("案由/标题（可不填）"), LineEdit(form, max_length=200, placeholder=self.tr(
                "如：租房押金纠纷")), parent=form))
        grid_add(grid, self.title_field, 0, 1, 1, 2)
        lay.addLayout(grid)
        lay.addStretch(1)

        self._buttons = self.make_buttons(self.tr("保存") if case_id is not None else self.tr("登记"))
        root.addWidget(self._buttons)

        for f in self.fields().values():
            f.left.connect(self._on_field_left)

        if case_id is None:
            self._add_party("applicant")
            self._add_party("respondent")
        self._fix_tab_order()

        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._on_autosave_timeout)

        self._scroll.setEnabled(False)
        self.banner.show_message(self.tr("正在载入…"), "info")
        self._fit_to_screen()
        self._load()

    # ---------------------------------------------------------------- public API

    @property
    def case_id(self) -> int | None:
        return self._case_id

    @property
    def consultation_id(self) -> int | None:
        return self._consultation_id

    @property
    def draft_path(self) -> Path:
        return self._draft_path

    def is_ready(self) -> bool:
        return self._ready

    def party_editors(self) -> list[PartyEditor]:
        return list(self._editors)

    def save_draft(self) -> Path | None:
        """Write the draft now if anything is unsaved; returns its path (None: nothing to keep)."""
        if not self._ready:
            return None
        if not self.has_unsaved_changes():
            self._remove_draft_file()
            return None
        payload = {
            "format": DRAFT_FORMAT,
            "kind": "edit" if self._case_id is not None else (
                "consultation" if self._consultation_id is not None else "new"),
            "user": self._username,
            "case_id": self._case_id,
            "consultation_id": self._consultation_id,
            "expected_version": self._expected_version,
            "saved_at": utcnow().isoformat(),
            "base": self._loaded_state,
            "state": self.form_state(),
        }
        body = json.dumps({k: v for k, v in payload.items() if k != "saved_at"}, ensure_ascii=False,
                          sort_keys=True)
        if body == self._last_draft_text and self._draft_path.exists():
            return self._draft_path
        try:
            _write_private(self._draft_path, json.dumps(payload, ensure_ascii=False, indent=1))
        except OSError as exc:
            log.warning("could not write draft: %s", type(exc).__name__)
            return None
        self._last_draft_text = body
        return self._draft_path

    def close_keeping_draft(self) -> None:
        """Save the draft and close without asking (idle lock, user switch, shutdown)."""
        self.save_draft()
        self._closing_silently = True
        self.reject()

    def form_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {k: self._scalar(k) for k in SCALAR_KEYS}
        state["parties"] = [e.state(self._index_of) for e in self._editors]
        return state

    # ---------------------------------------------------------------- loading

    def _fit_to_screen(self) -> None:
        screen = self.screen()
        avail = screen.availableGeometry() if screen is not None else None
        w, h = 1000, 760
        if avail is not None:
            w = min(w, avail.width() - 40)
            h = min(h, avail.height() - 40)
        self.resize(max(w, 640), max(h, 480))

    def _load(self) -> None:
        case_id, consultation_id = self._case_id, self._consultation_id

        def _fetch(s: Session, actor: Actor) -> _Loaded:
            cats = reference.categories(s, actor.desk_id)
            srcs = reference.sources(s, actor.desk_id)
            detail = case_detail.get_case(s, actor, case_id) if case_id is not None else None
            prefill = (consultations.prefill_case(s, actor, consultation_id)
                       if consultation_id is not None and case_id is None else None)
            return _Loaded(cats, srcs, detail, prefill)

        ReadOp(self, _fetch).success(self._on_loaded).failure(self._on_load_failed).run()

    def _on_load_failed(self, exc: BaseException) -> None:
        self.banner.clear()
        self.handle_failure(exc)

    def _on_loaded(self, loaded: _Loaded) -> None:
        self.banner.clear()
        self._categories = loaded.categories
        cat: QComboBox = self.category.editor  # type: ignore[assignment]  # the Field was built with this editor (Field.editor is a QWidget)
        cat.blockSignals(True)
        cat.clear()
        cat.addItem(self.tr("（请选择）"), "")
        for name in loaded.categories:
            cat.addItem(name, name)
        cat.blockSignals(False)
        self._fill_subcategories("")
        src: QComboBox = self.source.editor  # type: ignore[assignment]  # the Field was built with this editor (Field.editor is a QWidget)
        src.clear()
        src.addItem(self.tr("（请选择）"), "")
        for name in loaded.sources:
            src.addItem(name, name)
        if loaded.sources:
            src.setCurrentIndex(1)  # 当事人申请: the usual way a dispute arrives
        if loaded.detail is not None:
            self._apply_detail(loaded.detail)
        elif loaded.prefill is not None:
            self._apply_input(loaded.prefill)
        self._loaded_state = self.form_state()
        self.mark_clean()
        self._ready = True
        self._scroll.setEnabled(True)
        if self._case_id is not None and loaded.detail is not None and loaded.detail.stage in ("closed", "archived"):
            self.banner.show_message(self.tr("该案件已结案或归档，不能再修改。"), "warning")
        self._offer_drafts()
        self._autosave.start()
        self._focus_first()
        self.ready.emit()

    def _focus_first(self) -> None:
        if self._editors:
            self._editors[0].name.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.facts.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _apply_detail(self, d: CaseDetail) -> None:
        self._expected_version = d.version
        link_index = {p.link_id: i for i, p in enumerate(d.parties)}
        self._apply_state(self._detail_state(d, link_index))

    @staticmethod
    def _detail_state(d: CaseDetail, link_index: dict[int, int] | None = None) -> dict[str, Any]:
        link_index = link_index if link_index is not None else {p.link_id: i for i, p in enumerate(d.parties)}
        return {
            "facts": d.facts, "claims": d.claims,
            "amount": _amount_text(d.amount), "category": d.category, "subcategory": d.subcategory,
            "source": d.source, "title": d.title,
            "parties": [view_state(p, link_index) for p in d.parties],
        }

    def _apply_input(self, data: CaseInput) -> None:
        state: dict[str, Any] = {
            "facts": data.facts, "claims": data.claims, "amount": _amount_text(data.amount),
            "category": data.category, "subcategory": data.subcategory, "source": data.source,
            "title": data.title, "parties": [input_state(p) for p in data.parties],
        }
        if len(state["parties"]) == 1 and state["parties"][0]["role"] == "applicant":
            # The asker is the applicant; the other side still has to be written down.
            state["parties"].append(self._editors[1].state(self._index_of) if len(self._editors) > 1
                                    else {"role": "respondent"})
        elif not state["parties"]:
            state["parties"] = [e.state(self._index_of) for e in self._editors]
        self._apply_state(state)

    def _apply_state(self, state: dict[str, Any]) -> None:
        """Show ``state`` (a :meth:`form_state`), rebuilding the party editors."""
        for key in SCALAR_KEYS:
            if key in state:
                self._set_scalar(key, state[key])
        parties = state.get("parties")
        if isinstance(parties, list):
            self._set_parties(parties)

    def _set_parties(self, parties: list[dict[str, Any]]) -> None:
        for e in list(self._editors):
            self._drop_editor(e)
        for p in parties:
            self._add_party(str(p.get("role", "applicant")), focus=False)
        for e, p in zip(self._editors, parties, strict=True):
            e.load_state(p, self._editors)
        self._renumber()

    # ---------------------------------------------------------------- scalar fields

    def _scalar(self, key: str) -> Any:
        f = self.field(key)
        v = f.value()
        return v.strip() if isinstance(v, str) and key in ("amount", "title") else v

    def _set_scalar(self, key: str, value: Any) -> None:
        if key == "category":
            self.category.set_value(value or "")
            self._fill_subcategories(str(value or ""))
        elif key == "subcategory":
            combo: QComboBox = self.subcategory.editor  # type: ignore[assignment]  # the Field was built with this editor (Field.editor is a QWidget)
            if value and combo.findData(value) < 0:
                combo.addItem(str(value), value)
            set_combo_value(combo, value or "")
        else:
            self.field(key).set_value(value if value is not None else "")
        if key == "amount":
            self._on_amount_changed()

    def _fill_subcategories(self, category: str) -> None:
        combo: QComboBox = self.subcategory.editor  # type: ignore[assignment]  # the Field was built with this editor (Field.editor is a QWidget)
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        subs = self._categories.get(category, [])
        combo.addItem(self.tr("（无）") if subs or not category else self.tr("（该类别无细分）"), "")
        for s in subs:
            combo.addItem(s, s)
        i = combo.findData(current) if current else -1
        combo.setCurrentIndex(max(i, 0))
        combo.blockSignals(False)
        combo.setEnabled(bool(subs))

    def _on_category_changed(self) -> None:
        self._fill_subcategories(str(self.category.value() or ""))
        if self.category.value():
            self.category.clear_error()

    def _ask_for_category(self) -> bool:
        """A new case without a category: point at the field once (True: stop this save)."""
        if self._case_id is not None or self._category_asked or self._scalar("category"):
            return False
        self._category_asked = True
        self.category.set_error(self.tr(
            "还没有选择纠纷类别：没有类别的案件不能受理。请选择；确实还不清楚，再点一次“{ok}”先登记。").format(
                ok=self._ok_text_now()))
        self.reveal(self.category)
        self.category.editor.setFocus()
        return True

    def _ok_text_now(self) -> str:
        button = self.ok_button
        return button.text() if button is not None else ""

    def _on_amount_changed(self) -> None:
        text = self.amount.text().strip()
        if not text:
            self.amount.set_hint("")
            return
        try:
            value = validation.money(text)
        except ValidationError:
            self.amount.set_hint("")
            return
        self.amount.set_hint(rmb_upper(value))

    # ---------------------------------------------------------------- parties

    def _index_of(self, editor: PartyEditor) -> int:
        return self._editors.index(editor)

    def _add_party(self, role: str | None = None, *, focus: bool = False) -> PartyEditor:
        editor = PartyEditor(self.ctx, self._form)
        editor.set_role(role or new_party_role([e.role_value() for e in self._editors]))
        editor.identity_changed.connect(self._refresh_represent_choices)
        # Also when the date of birth is filled in from the ID number, or a guardian is
        # linked: the minor-without-guardian hint follows every such change.
        change_signal(editor.birth_date.editor).connect(self._update_guardian_hints)
        editor.identity_changed.connect(self._update_guardian_hints)
        change_signal(editor.represents.editor).connect(self._update_guardian_hints)  # after the link is set
        editor.kind.changed.connect(self._update_guardian_hints)
        editor.remove_requested.connect(lambda e=editor: self._on_party_remove_requested(e))
        editor.left.connect(self._on_field_left)
        self._editors.append(editor)
        self._parties_box.addWidget(editor)
        self._renumber()
        if focus:
            editor.name.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            QTimer.singleShot(0, lambda: self._scroll.ensureWidgetVisible(editor) if shiboken6.isValid(
                editor) else None)
        return editor

    def add_party(self, role: str | None = None) -> PartyEditor:
        """Add a party editor (the "添加当事人" button)."""
        return self._add_party(role, focus=True)

    def _drop_editor(self, editor: PartyEditor) -> None:
        self._editors.remove(editor)
        for other in self._editors:
            if other.represented_editor() is editor:
                other.set_represented_editor(None)
        self._parties_box.removeWidget(editor)
        editor.hide()
        editor.deleteLater()
        self._update_guardian_hints()

    def remove_party(self, editor: PartyEditor, *, ask: bool = True) -> bool:
        if len(self._editors) <= 1 or editor not in self._editors:
            return False
        has_content = any(editor.state(self._index_of).get(k) for k in (
            "name", "id_number", "phone", "address", "occupation"))
        if ask and has_content and not confirm(
                self, self.tr("删除当事人"),
                self.tr("删除“{label}”？已填写的内容将被清除。").format(label=editor.label()),
                ok=self.tr("删除"), cancel=self.tr("保留")):
            return False
        self._drop_editor(editor)
        self._renumber()
        return True

    def _renumber(self) -> None:
        for i, e in enumerate(self._editors):
            e.set_index(i)
            e.remove_button.setEnabled(len(self._editors) > 1)
        self._refresh_represent_choices()
        self._fix_tab_order()

    def _refresh_represent_choices(self) -> None:
        for e in self._editors:
            choices = [(o, o.label()) for o in self._editors
                       if o is not e and o.role_value() not in ("agent", "guardian")]
            e.set_represent_choices(choices)

    def _on_add_party_button_clicked(self) -> None:
        self.add_party()

    def _on_party_remove_requested(self, editor: PartyEditor) -> None:
        self.remove_party(editor)

    def _update_guardian_hints(self) -> None:
        """A minor party without a guardian: said now, beside the date of birth (not only
        later, on the officer's greyed-out 受理 button)."""
        today = local_today()
        guarded = {id(e.represented_editor()) for e in self._editors
                   if e.role_value() == "guardian" and e.represented_editor() is not None}
        for e in self._editors:
            birth = e.birth_date.value() if e.kind_value() == "person" else None
            minor = (isinstance(birth, dt.date) and age_on(birth, today) < 18
                     and e.role_value() not in REPRESENTING_ROLES and id(e) not in guarded)
            e.birth_date.set_hint(self.tr("未满18周岁：请添加其监护人（身份选“监护人”）。")
                                  if minor else "")

    def _fix_tab_order(self) -> None:
        """Tab goes through the form top to bottom, whatever was added or removed."""
        chain: list[QWidget] = []
        for e in self._editors:
            chain += e.focus_widgets()
        chain.append(self.add_party_button)
        chain += [self.facts.editor, self.claims.editor, self.amount.editor, self.title_field.editor,
                  self.category.editor, self.subcategory.editor, self.source.editor]
        chain += [b for b in self._buttons.buttons()]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    # ---------------------------------------------------------------- drafts

    def _offer_drafts(self) -> None:
        drafts = list_drafts(self._username, mine=None if self._own_draft_shared else self._draft_path)
        if self._case_id is not None:
            drafts = [d for d in drafts if d.kind == "edit" and d.case_id == self._case_id]
        elif self._consultation_id is not None:
            drafts = [d for d in drafts if d.kind == "consultation" and d.consultation_id == self._consultation_id]
        else:
            drafts = [d for d in drafts if d.kind in ("new", "consultation")]
        self._pending_drafts = drafts
        self._show_next_draft()

    def _show_next_draft(self) -> None:
        if not self._pending_drafts:
            self.draft_banner.clear()
            return
        d = self._pending_drafts[0]
        when = fmt_local(d.saved_at)
        text = self.tr("发现未保存的草稿，是否恢复？（{when} 保存；当事人：{names}）").format(
            when=when, names=d.summary or self.tr("未填"))
        if len(self._pending_drafts) > 1:
            text += self.tr(" 另有 {n} 份草稿。").format(n=len(self._pending_drafts) - 1)
        self.draft_banner.show_message(text, "warning", [
            (self.tr("恢复草稿"), self.restore_draft),
            (self.tr("丢弃草稿"), self.discard_offered_draft),
        ])

    def restore_draft(self) -> bool:
        """Load the offered draft into the form; this dialog continues writing to its file."""
        if not self._pending_drafts:
            return False
        info = self._pending_drafts.pop(0)
        data = _read_draft(info.path)
        if data is None:
            self._show_next_draft()
            return False
        self._apply_state(data["state"])
        if info.kind == "consultation" and info.consultation_id is not None:
            self._consultation_id = int(info.consultation_id)
        if info.kind == "edit":
            # Keep the version the user started from: saving reports a conflict if the
            # case changed since, and the merge then compares against what they saw.
            self._expected_version = data.get("expected_version")
            if isinstance(data.get("base"), dict):
                self._loaded_state = data["base"]
        if info.path != self._draft_path:
            _live_drafts.discard(self._draft_path)
            self._remove_draft_file()
            self._draft_path = info.path
            _live_drafts.add(self._draft_path)
        self._last_draft_text = None
        self.draft_banner.clear()
        self._pending_drafts = []
        self.banner.show_message(self.tr("已恢复草稿。请核对后保存。"), "info")
        self.save_draft()  # this dialog now owns the file
        self._focus_first()
        return True

    def discard_offered_draft(self) -> None:
        if not self._pending_drafts:
            return
        info = self._pending_drafts.pop(0)
        with contextlib.suppress(OSError):
            info.path.unlink(missing_ok=True)
        self._show_next_draft()

    def _remove_draft_file(self) -> None:
        with contextlib.suppress(OSError):
            self._draft_path.unlink(missing_ok=True)
        self._last_draft_text = None

    def _on_autosave_timeout(self) -> None:
        self.save_draft()

    def _on_field_left(self) -> None:
        # Focus moved to the next field (or out of the window): keep what was typed.
        QTimer.singleShot(0, self._save_draft_if_alive)

    def _save_draft_if_alive(self) -> None:
        if shiboken6.isValid(self) and self.isVisible():
            self.save_draft()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow() and self._ready:
            self.save_draft()
        super().changeEvent(event)

    # ---------------------------------------------------------------- errors

    def field_for_error(self, key: str) -> Field | None:
        m = re.fullmatch(r"parties\.(\d+)\.(\w+)", key)
        if m:
            i = int(m.group(1))
            if 0 <= i < len(self._editors):
                return self._editors[i].field_for_error(m.group(2))
            return None
        return super().field_for_error(key)

    def error_field_name(self, key: str, field: Field) -> str:
        m = re.fullmatch(r"parties\.(\d+)\.\w+", key)
        name = super().error_field_name(key, field)
        return self.tr("当事人{n}的{field}").format(n=int(m.group(1)) + 1, field=name) if m else name

    def clear_errors(self) -> None:
        super().clear_errors()
        for e in self._editors:
            e.clear_errors()
        for f in self.fields().values():
            f.clear_conflict()

    def reveal(self, field: Field) -> None:
        self._scroll.ensureWidgetVisible(field, 20, 40)
        super().reveal(field)

    # ---------------------------------------------------------------- saving

    def _parties_changed(self) -> bool:
        base = (self._loaded_state or {}).get("parties")
        return bool(self.form_state()["parties"] != base)

    def submit(self) -> None:
        if self.busy or not self._ready:
            return
        self.clear_errors()
        for f in self.fields().values():
            f.validate()
        for e in self._editors:
            for f in e.fields().values():
                f.validate()
        if self._ask_for_category():
            return
        # A stored party's ID number and phone are shown masked with the box left empty;
        # the service keeps what is on record for a box left empty.
        send_parties = self._case_id is None or self._parties_changed()
        parties: list[PartyInput] | None = (
            [e.to_input(self._index_of) for e in self._editors] if send_parties else None)
        amount = self._scalar("amount") or None
        case_id, consultation_id, version = self._case_id, self._consultation_id, self._expected_version
        facts, claims = str(self._scalar("facts")), str(self._scalar("claims"))
        category, subcategory = str(self._scalar("category") or ""), str(self._scalar("subcategory") or "")
        source, title = str(self._scalar("source") or ""), str(self._scalar("title"))

        def _save(s: Session, actor: Actor) -> CaseRef:
            if case_id is not None:
                return cases.update_case(s, actor, case_id, CaseEdit(
                    facts=facts, claims=claims, category=category, subcategory=subcategory,
                    source=source, title=title, amount=amount, parties=parties),
                    expected_version=version)
            data = CaseInput(parties=parties or [], facts=facts, claims=claims, category=category,
                             subcategory=subcategory, source=source, title=title, amount=amount)
            if consultation_id is not None:
                return consultations.convert_to_case(s, actor, consultation_id, data)
            return cases.register_case(s, actor, data)

        self.set_busy(True)
        (WriteOp(self, _save).changes(Changes(consultations=consultation_id is not None))
         .success(self._on_saved).failure(self.handle_failure).run())

    def _on_saved(self, ref: CaseRef) -> None:
        self._autosave.stop()
        self._remove_draft_file()
        self._case_id = self._case_id or ref.id
        self.finish()
        self.case_saved.emit(ref.id)

    # ---------------------------------------------------------------- conflicts

    def keep_input_on_conflict(self) -> None:
        self.save_draft()

    def can_reload(self) -> bool:
        return self._case_id is not None

    def reload_keeping_input(self) -> None:
        """Load what someone else saved, keep what this user typed, and show the differences."""
        if self._case_id is None:
            return
        case_id = self._case_id
        (ReadOp(self, lambda s, a: case_detail.get_case(s, a, case_id))
         .success(self._merge_reloaded).failure(self.handle_failure).run())

    def _adopting(self, key: str, value: Any) -> Callable[[], None]:
        """"Use theirs" for one field."""
        return lambda: self._set_scalar(key, value)

    def _merge_reloaded(self, detail: CaseDetail) -> None:
        mine = self.form_state()
        base = self._loaded_state or {}
        theirs = self._detail_state(detail)
        conflicts: list[str] = []
        for key in SCALAR_KEYS:
            m, b, t = mine.get(key), base.get(key), theirs.get(key)
            if m == b and t != b:
                self._set_scalar(key, t)  # only they changed it: take theirs
            elif t != b and t != m:
                f = self.field(key)
                f.set_conflict(_shown(t), self._adopting(key, t))
                conflicts.append(f.label_text)
        parties_note = ""
        if mine["parties"] == base.get("parties") and theirs["parties"] != base.get("parties"):
            self._set_parties(theirs["parties"])
        elif theirs["parties"] != base.get("parties") and theirs["parties"] != mine["parties"]:
            names = "、".join(f"{p['name']}" for p in theirs["parties"])
            parties_note = self.tr("其他人保存的当事人为：{names}。当前表单保留了您填写的当事人信息。").format(
                names=names)
            conflicts.append(self.tr("当事人"))
        self._loaded_state = theirs
        self._expected_version = detail.version
        self._baseline = theirs
        if conflicts:
            text = self.tr("已载入其他人保存的最新版本（第 {v} 版），并保留了您的输入。以下内容双方不同，"
                           "已在字段下方列出对方的内容：{fields}。核对后请再次保存（Ctrl+S）。").format(
                v=detail.version, fields="、".join(conflicts))
            if parties_note:
                text += "\n" + parties_note
            self.banner.show_message(text, "warning")
        else:
            self.banner.show_message(self.tr(
                "已载入其他人保存的最新版本（第 {v} 版），您的修改与之不冲突，已保留。请再次保存（Ctrl+S）。").format(
                v=detail.version), "info")

    # ---------------------------------------------------------------- closing

    def ask_discard(self) -> str:
        return ask_discard(self, offer_draft=True)

    def reject(self) -> None:
        if self._closing_silently:
            self._closing_silently = False
            self._autosave.stop()
            super(FormDialog, self).reject()
            return
        super().reject()

    def on_discard(self, choice: str) -> None:
        if choice == DISCARD:
            self._autosave.stop()
            self._remove_draft_file()
        elif choice == KEEP_DRAFT:
            self.save_draft()
            self._autosave.stop()

    def done(self, result: int) -> None:
        self._autosave.stop()
        _live_drafts.discard(self._draft_path)
        super().done(result)


def _amount_text(amount: str | Decimal | None) -> str:
    if amount is None or amount == "":
        return ""
    if isinstance(amount, Decimal):
        return f"{amount:.2f}"
    return str(amount)


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


__all__ = ["AUTOSAVE_MS", "DraftInfo", "IntakeDialog", "drafts_dir", "list_drafts"]
