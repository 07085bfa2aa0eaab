"""帮助 → 关于: version, database and its revision, log file, bundled fonts and libraries with their licences."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QPlainTextEdit, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from mediation import about
from mediation.ui.app_icon import icon_file
from mediation.ui.context import AppContext
from mediation.ui.operations import Task


def show_about(ctx: AppContext, parent: QWidget) -> AboutDialog:
    """Open the about box (non-modal; closing deletes it)."""
    dialog = AboutDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.show()
    return dialog


class AboutDialog(QDialog):
    """The facts of :mod:`mediation.about`, read in a worker (the database may be a server)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.facts: about.Facts | None = None
        self.setWindowTitle(self.tr("关于调解工作台"))

        logo = QLabel()
        logo.setPixmap(QPixmap(str(icon_file(64))))
        self.title_label = QLabel(self.tr("警校联调中心 · 调解工作台"))
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.version_label = QLabel(self.tr("版本 {version}").format(version=about.version()))
        heading = QVBoxLayout()
        heading.addWidget(self.title_label)
        heading.addWidget(self.version_label)
        heading.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.runtime_label = self._value()
        self.database_label = self._value()
        self.revision_label = self._value()
        self.data_dir_label = self._value()
        self.log_label = self._value()
        form = QFormLayout()
        form.addRow(self.tr("运行方式"), self.runtime_label)
        form.addRow(self.tr("数据库"), self.database_label)
        form.addRow(self.tr("数据库版本"), self.revision_label)
        form.addRow(self.tr("数据目录"), self.data_dir_label)
        form.addRow(self.tr("日志文件"), self.log_label)
        for label in (self.runtime_label, self.database_label, self.revision_label, self.data_dir_label,
                      self.log_label):
            label.setText(self.tr("正在读取…"))

        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("字体或软件库"), self.tr("版本"), self.tr("许可")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.licence_text = QPlainTextEdit()
        self.licence_text.setReadOnly(True)
        self.licence_text.setPlaceholderText(self.tr("选择一行查看许可全文"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.licence_text)
        splitter.setSizes([260, 140])

        self.copy_button = QPushButton(self.tr("复制以上信息"))
        self.copy_button.setToolTip(self.tr("复制版本、数据库和日志位置等信息，便于发给技术支持"))
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.copy_button.setEnabled(False)
        self.log_folder_button = QPushButton(self.tr("打开日志文件夹"))
        self.log_folder_button.clicked.connect(self._on_log_folder_clicked)
        self.log_folder_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.log_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("随附的字体与软件库及其许可：")))
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self._fit_screen()

        url = ctx.db.url
        engine = ctx.db.engine
        Task(self, lambda: about.facts(url, engine)).success(self._on_facts_loaded).run()

    def _value(self) -> QLabel:
        label = QLabel()
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label

    def _fit_screen(self) -> None:
        """760×620 where there is room; never larger than the available screen (1366×768 desks)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = 760, 620
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width() - 40)
            height = min(height, available.height() - 60)
        self.resize(width, height)

    def _on_facts_loaded(self, facts: about.Facts) -> None:
        self.facts = facts
        db = facts.database
        self.runtime_label.setText(facts.runtime)
        self.database_label.setText(db.location)
        self.revision_label.setText(self.tr("{revision}（程序支持到 {head}）：{state}").format(
            revision=db.revision or "—", head=db.head, state=db.state))
        self.data_dir_label.setText(str(facts.data_dir))
        self.log_label.setText(str(facts.log_file))
        self.table.setRowCount(len(facts.components))
        for row, component in enumerate(facts.components):
            name = QTableWidgetItem(component.name)
            name.setData(Qt.ItemDataRole.UserRole, row)
            licence = QTableWidgetItem(component.licence)
            if component.note:
                licence.setToolTip(component.note)
                name.setToolTip(component.note)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(component.version or component.note))
            self.table.setItem(row, 2, licence)
        self.copy_button.setEnabled(True)
        self.log_folder_button.setEnabled(True)

    def _on_selection_changed(self) -> None:
        if self.facts is None:
            return
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.licence_text.clear()
            return
        component = self.facts.components[rows[0].row()]
        self.licence_text.setPlainText(about.licence_text(component))

    def report_text(self) -> str:
        return about.report(self.facts) if self.facts is not None else ""

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())
        self.copy_button.setText(self.tr("已复制"))

    def _on_log_folder_clicked(self) -> None:
        if self.facts is None:
            return
        folder = self.facts.log_file.parent
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
