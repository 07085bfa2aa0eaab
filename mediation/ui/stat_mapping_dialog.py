"""统计口径: the administrator sees which row of an official table each of the desk's categories,
sub-types and sources counts in, and changes it from a date on (earlier periods, and every
report already filed, keep the rows they had)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTableWidgetItem, QWidget

from mediation.changes import Changes
from mediation.services import supervision
from mediation.statistics.mapping import MappingRow
from mediation.statistics.rules import MAPPING_KINDS
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.widgets import DateEdit, RecordsDialog, hbox, set_texts, table_cell

KIND_LABELS = {
    "people_row": "人民调解案件统计表：纠纷类型",
    "people_source": "人民调解案件统计表：受理方式",
    "police_source": "治安调解统计表：来源",
    "campus_row": "校园纠纷分析表：行",
}


class StatMappingDialog(RecordsDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, 3, parent)
        self.kind_combo = QComboBox()
        for kind in MAPPING_KINDS:
            self.kind_combo.addItem(KIND_LABELS[kind], kind)
        self.kind_label, self.from_label = QLabel(), QLabel()
        self.valid_from = DateEdit(default=local_today())
        self.save_button = QPushButton()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.combos: list[QComboBox] = []
        self.kind_combo.currentIndexChanged.connect(self.reload)
        self.save_button.clicked.connect(self.save)
        self.lay_out(hbox(self.kind_label, self.kind_combo, None),
                     self.table, hbox(self.from_label, self.valid_from, self.save_button, None), self.message,
                     size=(760, 560))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("统计口径（类别与统计表的对应）"))
        set_texts((self.kind_label, self.tr("统计表：")), (self.from_label, self.tr("自此日起生效：")),
                  (self.save_button, self.tr("保存修改")))
        self.table.setHorizontalHeaderLabels([self.tr("本调解点的项目"), self.tr("计入"), self.tr("说明")])
        self.fill()

    def desk_id(self) -> int | None:
        return self.ctx.actor.desk_id if self.ctx.has_actor else None

    def loader(self) -> Any:
        desk, kind = self.desk_id(), self.kind_combo.currentData()
        return lambda s, a: supervision.mapping_rows(s, a, desk, kind) if desk is not None else []

    def cells(self, record: MappingRow) -> list[QTableWidgetItem]:
        return [table_cell(record.label, record.item_id), table_cell(""),
                table_cell(self.tr("已设定") if record.explicit else self.tr("按名称默认"))]

    def fill(self) -> None:
        super().fill()
        kind = self.kind_combo.currentData()
        self.combos = []
        for row, record in enumerate(self.records):
            combo = QComboBox()
            for code, label in MAPPING_KINDS[kind].items():
                combo.addItem(label, code)
            i = combo.findData(record.code)
            if i < 0:
                combo.addItem(record.code, record.code)
                i = combo.count() - 1
            combo.setCurrentIndex(i)
            self.table.setCellWidget(row, 1, combo)
            self.combos.append(combo)

    def changed(self) -> list[tuple[MappingRow, str]]:
        return [(r, str(c.currentData())) for r, c in zip(self.records, self.combos, strict=True)
                if c.currentData() != r.code]

    def save(self) -> None:
        from mediation.ui.operations import WriteOp

        desk, kind, since, edits = self.desk_id(), self.kind_combo.currentData(), self.valid_from.value(), self.changed()
        if desk is None or not edits:
            self.message.setText(self.tr("没有修改。"))
            return

        def write(s: Any, a: Any) -> int:
            for record, code in edits:
                supervision.set_mapping(s, a, desk, kind, record.item_id, code, subtype_id=record.subtype_id,
                                        valid_from=since)
            return len(edits)

        def done(n: int) -> None:
            self.message.setText(self.tr("已保存 {n} 项，自 {d} 起按新的对应关系统计。").format(n=n, d=since))
            self.reload()

        WriteOp(self, write).changes(Changes()).success(done).run()
