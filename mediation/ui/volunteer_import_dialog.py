"""导入志愿者名单: the school's Excel list into a term — pick the file, check which column holds
which field (the last mapping is remembered), import; the rows not imported are listed by
sheet, row and column, with the reason."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation.changes import Changes
from mediation.permissions import Actor
from mediation.services.roster import importing
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.widgets import Banner, Retranslating, hbox, record_table, section_title, table_cell

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NOT_MAPPED = ""


class VolunteerImportDialog(Retranslating, QDialog):
    """Import into ``term_id``."""

    def __init__(self, ctx: AppContext, term_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("VolunteerImportDialog")
        self.ctx = ctx
        self.term_id = term_id
        self.path: Path | None = None
        self.preview: importing.ImportPreview | None = None
        self.report: importing.ImportReport | None = None
        self.banner = Banner(self)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.file_button = QPushButton()
        self.file_button.clicked.connect(self._on_file_clicked)
        self.sheet_combo = QComboBox()
        self.sheet_combo.currentIndexChanged.connect(self._on_sheet_changed)
        self.mapping_title = section_title("")
        self.remembered_label = QLabel()
        self.combos: dict[str, QComboBox] = {}
        self.field_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        for i, key in enumerate(importing.IMPORT_FIELDS):
            label, combo = QLabel(), QComboBox()
            self.combos[key], self.field_labels[key] = combo, label
            grid.addWidget(label, i // 4, (i % 4) * 2)
            grid.addWidget(combo, i // 4, (i % 4) * 2 + 1)
        self.sample_title = section_title("")
        self.sample = record_table(1)
        self.sample.setFixedHeight(110)
        self.result_title = section_title("")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = record_table(5)
        self.problems.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        root = QVBoxLayout(self)
        root.addWidget(self.banner)
        root.addLayout(hbox((self.file_label, 1), self.sheet_combo, self.file_button))
        root.addWidget(self.mapping_title)
        root.addWidget(self.remembered_label)
        root.addLayout(grid)
        root.addWidget(self.sample_title)
        root.addWidget(self.sample)
        root.addWidget(self.result_title)
        root.addWidget(self.summary)
        root.addWidget(self.problems, 1)
        root.addWidget(self.buttons)
        self.resize(900, 640)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("导入志愿者名单"))
        self.file_label.setText(str(self.path) if self.path else self.tr("请选择学校提供的名单（.xlsx）。"))
        self.file_button.setText(self.tr("选择文件…"))
        self.mapping_title.setText(self.tr("各列对应的内容"))
        self.sample_title.setText(self.tr("前几行"))
        self.result_title.setText(self.tr("导入结果"))
        for key, label in self.field_labels.items():
            spec = importing.IMPORT_FIELDS[key]
            label.setText(importing.field_label(key) + ("*" if spec.required else ""))
        self.problems.setHorizontalHeaderLabels([self.tr("工作表"), self.tr("行"), self.tr("列"), self.tr("类别"),
                                                 self.tr("原因")])
        self.import_button.setText(self.tr("导入"))
        self.close_button.setText(self.tr("关闭"))

    def show_message(self, text: str, level: str) -> None:
        self.banner.show_message(text, level)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        self.banner.show_message("；".join(errors.values()), "error")

    # ---------------------------------------------------------------- step 1: the file and the mapping

    def _on_file_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, self.tr("选择志愿者名单"), "", self.tr("Excel 文件 (*.xlsx)"))
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        """Read the file's sheets and the proposed mapping."""
        self.path = path
        self.file_label.setText(str(path))
        self.banner.clear()
        ReadOp(self, lambda s, a: importing.read_columns(s, a, path)).success(self._on_preview).run()

    def _on_preview(self, preview: importing.ImportPreview) -> None:
        self.preview = preview
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for sheet in preview.sheets:
            self.sheet_combo.addItem(sheet.sheet)
        self.sheet_combo.blockSignals(False)
        self.sheet_combo.setVisible(len(preview.sheets) > 1)
        self._show_sheet(0, preview.mapping)
        self.remembered_label.setText(self.tr("已按上次导入时的对应关系填好，请核对。") if preview.remembered
                                      else self.tr("已按列名推测，请核对；“*”为必填。"))
        self.import_button.setEnabled(self.term_id is not None)

    def _on_sheet_changed(self, index: int) -> None:
        if self.preview is None or not 0 <= index < len(self.preview.sheets):
            return
        headers = self.preview.sheets[index].headers

        def propose(s: Session, a: Actor) -> dict[str, str]:
            return importing.propose_mapping(s, a, headers)

        ReadOp(self, propose).success(lambda m: self._show_sheet(index, m)).run()

    def _show_sheet(self, index: int, mapping: dict[str, str]) -> None:
        assert self.preview is not None
        sheet = self.preview.sheets[index]
        headers = [h for h in sheet.headers if h]
        for key, combo in self.combos.items():
            combo.clear()
            combo.addItem(self.tr("（不导入）"), NOT_MAPPED)
            for h in headers:
                combo.addItem(h, h)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(key, NOT_MAPPED))))
        self.sample.setColumnCount(len(sheet.headers))
        self.sample.setHorizontalHeaderLabels(sheet.headers)
        self.sample.setRowCount(len(sheet.sample))
        for r, row in enumerate(sheet.sample):
            for c, text in enumerate(row):
                self.sample.setItem(r, c, table_cell(text))

    def mapping(self) -> dict[str, str]:
        return {k: str(c.currentData()) for k, c in self.combos.items() if c.currentData()}

    # ---------------------------------------------------------------- step 2: import

    def start_import(self) -> None:
        if self.path is None or self.term_id is None or self.preview is None:
            return
        path, term_id, mapping = self.path, self.term_id, self.mapping()
        sheet = self.sheet_combo.currentText() or None
        self.import_button.setEnabled(False)
        self.banner.clear()
        (WriteOp(self, lambda s, a: importing.import_volunteers(s, a, term_id, path, mapping, sheet=sheet))
         .changes(Changes(roster=True, users=True)).success(self._on_imported)
         .failure(self._on_import_failed).run())

    def _on_import_failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        present_failure(self, exc)

    def _on_imported(self, report: importing.ImportReport) -> None:
        self.report = report
        self.summary.setText(self.tr("已导入 {n} 人；{p} 行有误未导入，{d} 行重复未导入。有误的行改正后可再次导入，"
                                     "已导入的不会重复。").format(n=report.imported, p=len(report.problems),
                                                            d=len(report.duplicates)))
        rows = [(p, self.tr("有误")) for p in report.problems] + [(p, self.tr("重复")) for p in report.duplicates]
        rows.sort(key=lambda x: (x[0].sheet, x[0].row))
        self.problems.setRowCount(len(rows))
        for r, (p, kind) in enumerate(rows):
            for c, text in enumerate((p.sheet, str(p.row), p.column, kind, p.message)):
                self.problems.setItem(r, c, table_cell(text))
        level = "info" if not rows else "warning"
        self.banner.show_message(self.summary.text(), level)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)
