"""Administrator: the DOCX template of each form (the desk's own wording), via services.templates."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation.errors import StorageError, ValidationError
from mediation.services import templates
from mediation.timeutil import fmt_local
from mediation.ui.context import AppContext
from mediation.ui.operations import Job, ReadOp, SessionFn, WriteOp
from mediation.ui.widgets import BUSY_STYLE, ERROR_STYLE, RecordsDialog, record_table, set_texts, table_cell

OK_STYLE = "background: #e7f4e4; color: #1e4d1a; padding: 6px; border: 1px solid #9cc995;"


class TemplatesDialog(RecordsDialog):
    """Forms and the DOCX each uses: export (the starter or the uploaded file), upload, reset."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, 4, parent)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(BUSY_STYLE)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.fields_title = QLabel()
        self.fields_view = record_table(3)  # 含义, 占位符, 示例: one field a row
        self.fields_view.setObjectName("templateFields")
        self.fields_view.setWordWrap(False)
        fh = self.fields_view.horizontalHeader()
        fh.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        fh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        fields_box = QWidget()
        fields_layout = QVBoxLayout(fields_box)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addWidget(self.fields_title)
        fields_layout.addWidget(self.fields_view, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(fields_box)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.export_button = QPushButton()
        self.upload_button = QPushButton()
        self.reset_button = QPushButton()
        buttons = QHBoxLayout()
        for b in (self.export_button, self.upload_button, self.reset_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.upload_button.clicked.connect(self._on_upload_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.lay_out(self.hint, split, self.message, buttons, stretch=split, size=(1100, 560))
        split.setSizes([460, 620])

    # ------------------------------------------------------------ texts
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("文书模板"))
        self.hint.setText(self.tr(
            "每种文书的 DOCX 可以改用本调解点自己的措辞：先“导出模板”，在 Word 或 WPS 中修改文字"
            "（保留 {{ 字段名 }} 这样的占位符，右侧列出可用的字段），再“上传模板”。上传时会检查模板，"
            "用了不存在的字段或不安全的内容会被拒绝。PDF 始终使用内置格式，它是可核验的定稿原件。"))
        self.table.setHorizontalHeaderLabels([self.tr("文书"), self.tr("当前 DOCX 模板"),
                                              self.tr("上传人"), self.tr("上传时间")])
        self.fields_view.setHorizontalHeaderLabels([self.tr("含义"), self.tr("占位符"), self.tr("示例")])
        self._show_fields()
        set_texts((self.fields_title, self.tr("可用字段（含义、占位符、示例）")), (self.export_button, self.tr("导出模板…")),
                  (self.upload_button, self.tr("上传模板…")), (self.reset_button, self.tr("恢复内置格式")))
        self.fill()

    def _show_fields(self) -> None:
        """Every name a template may use: its meaning, the placeholder to copy, an example."""
        rows = templates.field_descriptions()  # labels in the UI language
        self.fields_view.setRowCount(len(rows))
        for r, f in enumerate(rows):
            for c, text in enumerate((f.label, f.placeholder, f.example)):
                self.fields_view.setItem(r, c, table_cell(text))
        self.fields_view.setColumnWidth(0, 190)

    def fields_text(self) -> str:
        """The fields as shown, one per line (label, placeholder, example; tab-separated)."""
        def cell(r: int, c: int) -> str:
            item = self.fields_view.item(r, c)
            return item.text() if item is not None else ""

        return "\n".join("\t".join(x for x in (cell(r, c) for c in range(3)) if x)
                         for r in range(self.fields_view.rowCount()))

    # ------------------------------------------------------------ data
    def loader(self) -> SessionFn[list[templates.TemplateInfo]]:
        return templates.list_templates

    def show_records(self, records: list[templates.TemplateInfo]) -> None:
        current = self.selected()
        super().show_records(records)
        if current is not None:
            self.select_form(current.form)

    def cells(self, info: templates.TemplateInfo) -> list[QTableWidgetItem]:
        name = table_cell(info.label, info.form)
        if info.custom:
            current = table_cell(info.filename + (self.tr("（所有调解点）") if info.shared else ""))
            current.setToolTip(f"SHA-256 {info.sha256}")
        else:
            current = table_cell(self.tr("内置格式"))
        return [name, current, table_cell(info.uploaded_by if info.custom else ""),
                table_cell(fmt_local(info.uploaded_at) if info.custom else "")]

    def select_form(self, form: str) -> None:
        self.select_where(lambda info: info.form == form)

    def selection_changed(self) -> None:
        info = self.selected()
        self.export_button.setEnabled(info is not None)
        self.upload_button.setEnabled(info is not None)
        self.reset_button.setEnabled(info is not None and info.custom and not (info.shared and self.ctx.actor.desk_id))

    def _show(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)
        self.message.show()

    # The protocols of mediation.ui.errors: failures go to the message line.

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        self._show(self.tr("模板没有启用：{why}").format(why="；".join(errors.values())), error=True)

    def show_message(self, text: str, level: str) -> None:
        self._show(text, error=level == "error")

    # ------------------------------------------------------------ actions
    def _on_export_clicked(self) -> None:
        info = self.selected()
        if info is None:
            return
        form = info.form
        ReadOp(self, lambda s, a: templates.template_file(s, a, form)).success(self._save_export).run()

    def _save_export(self, result: tuple[str, bytes]) -> None:
        name, data = result
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("导出模板"), str(Path.home() / name), self.tr("Word 文档 (*.docx)"))
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".docx":
            path = path.with_name(path.name + ".docx")  # "协议 v1.2" → "协议 v1.2.docx"
        try:
            path.write_bytes(data)
        except OSError as exc:
            self._show(self.tr("无法写入 {path}：{why}").format(path=str(path), why=exc.strerror or str(exc)),
                       error=True)
            return
        self._show(self.tr("已导出到 {path}。修改后用“上传模板”启用。").format(path=str(path)), error=False)

    def _on_upload_clicked(self) -> None:
        info = self.selected()
        if info is None:
            return
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("上传“{form}”的 DOCX 模板").format(form=info.label), str(Path.home()),
            self.tr("Word 文档 (*.docx);;所有文件 (*)"))
        if not chosen:
            return
        path = Path(chosen)
        form = info.form
        self.message.hide()
        too_big = self.tr("文件过大（模板最多 20 MB）。")
        unreadable = self.tr("无法读取文件：{why}")

        def upload(job: Job) -> templates.TemplateInfo:
            try:
                if path.stat().st_size > templates.MAX_TEMPLATE_BYTES:
                    raise ValidationError(field=templates.FIELD, message=too_big)
                content = path.read_bytes()
            except OSError as exc:
                raise StorageError(unreadable.format(why=exc.strerror or str(exc))) from exc
            return job.write(lambda s, a: templates.upload_template(s, a, form, filename=path.name, content=content))

        self.upload_button.setEnabled(False)
        WriteOp.job(self, upload).success(self._on_uploaded).finally_(self.selection_changed).run()

    def _on_uploaded(self, info: templates.TemplateInfo) -> None:
        self._show(self.tr("已启用“{form}”的模板 {file}。此后该文书的 DOCX 按此模板生成。").format(
            form=info.label, file=info.filename), error=False)
        self.reload()

    def _on_reset_clicked(self) -> None:
        info = self.selected()
        if info is None or not info.custom:
            return
        answer = QMessageBox.question(
            self, self.tr("恢复内置格式"),
            self.tr("停用“{form}”上传的模板 {file}（留有记录）？之后该文书的 DOCX 使用内置格式"
                    "（若有所有调解点共用的模板，则使用共用模板）。").format(form=info.label, file=info.filename))
        if answer != QMessageBox.StandardButton.Yes:
            return
        form = info.form

        def reset(job: Job) -> templates.TemplateInfo | None:
            job.write(lambda s, a: templates.reset_template(s, a, form))
            return next((r for r in job.read(templates.list_templates) if r.form == form), None)

        def done(now: templates.TemplateInfo | None) -> None:
            if now is not None and now.custom:
                self._show(self.tr("本调解点的模板已停用；“{form}”现在使用所有调解点共用的模板 {file}。").format(
                    form=info.label, file=now.filename), error=False)
            else:
                self._show(self.tr("“{form}”已恢复为内置格式。").format(form=info.label), error=False)
            self.reload()

        WriteOp.job(self, reset).success(done).run()
