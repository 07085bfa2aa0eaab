"""Open the main screens on demo data, offscreen, and write PNGs to docs/screenshots/.

Usage: .venv/bin/python scripts/screenshots.py [--out DIR] [--cases N]

Everything happens in a temporary data directory (database, settings, drafts), so the
user's own data is never touched. The main window is taken at 1366×768 (the smallest
screen the desks have) and 1920×1080, plus once at device pixel ratio 2 (HiDPI) in a
child process with ``QT_SCALE_FACTOR=2``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MEDIATION_FAST_HASH", "1")  # throwaway accounts: hashing speed is irrelevant

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}


def settle(ms: int = 300) -> None:
    """Let background operations finish and their results paint."""
    from mediation.ui import tasks

    loop = QEventLoop()
    deadline = time.monotonic() + ms / 1000
    while time.monotonic() < deadline or tasks.pending():
        tasks.wait_for_all(50)
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if time.monotonic() > deadline + 20:
            break


def shoot(widget: QWidget, path: Path, size: tuple[int, int] | None = None) -> None:
    if size is not None:
        widget.resize(*size)
    widget.show()
    settle()
    pixmap = widget.grab()
    pixmap.save(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
          f"({pixmap.width()}×{pixmap.height()})")


def build_database(data: Path, cases: int) -> tuple[object, object, object]:
    """A desk with demo cases; returns (db, admin, volunteer) actors."""
    from mediation.db import Database
    from mediation.migrate import upgrade
    from mediation.permissions import Actor
    from mediation import demo
    from mediation.services import accounts, setup

    db = Database(f"sqlite:///{data / 'mediation.sqlite3'}")
    upgrade(db.engine, backup=False)
    with db.write() as s:
        admin = setup.initialise(s, desk_name="某某大学警校联调中心", number_prefix="X警校调字",
                                 admin_username="admin", admin_display_name="周管理",
                                 admin_password="admin2026")
    demo.generate(db, cases=cases, seed=20260901, admin=admin)
    with db.read() as s:
        users = accounts.list_users(s, admin)
    vol = next(u for u in users if u.role == "volunteer" and u.active)
    volunteer = Actor(vol.id, vol.username, vol.display_name, vol.role, vol.desk_id)
    return db, admin, volunteer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--hidpi-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="*", default=None, help="main admin login case documents english about hidpi")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    tmp = Path(tempfile.mkdtemp(prefix="mediation-shots-"))
    os.environ["MEDIATION_DATA_DIR"] = str(tmp)
    from mediation.ui.app import create_application

    app, state = create_application([sys.argv[0]])
    assert isinstance(app, QApplication)
    from mediation.ui import i18n
    from mediation.ui.context import AppContext
    from mediation.ui.main_window import MainWindow

    db, admin, volunteer = build_database(tmp, args.cases)

    def main_window(actor: object) -> MainWindow:
        w = MainWindow(AppContext(db, actor), state)
        return w

    if args.hidpi_only:
        w = main_window(volunteer)
        shoot(w, out / "main-window-1366x768@2x.png", SIZES["1366x768"])
        return 0

    shots: list[tuple[str, Callable[[], None]]] = []

    def main_shots() -> None:
        w = main_window(volunteer)
        for name, size in SIZES.items():
            shoot(w, out / f"main-window-{name}.png", size)
        w.filter_bar.search_edit.setText("张")
        settle(600)
        shoot(w, out / "main-window-search-1366x768.png", SIZES["1366x768"])
        w.filter_bar.search_edit.clear()
        w.lock(idle=True)
        shoot(w, out / "lock-screen-1366x768.png", SIZES["1366x768"])
        w.lock_screen.switch_button.click()
        shoot(w, out / "lock-screen-switch-user-1366x768.png", SIZES["1366x768"])
        w.lock_screen.unlocked.emit()
        w.hide()

    def admin_shots() -> None:
        from mediation.ui.accounts_dialog import AccountsDialog
        from mediation.ui.holiday_dialog import HolidayDialog
        from mediation.ui.roster_dialog import RosterDialog
        from mediation.ui.settings_dialog import SettingsDialog

        w = main_window(admin)
        w.resize(*SIZES["1366x768"])
        w.show()
        settle()
        shoot(SettingsDialog(w.ctx, state, w), out / "settings.png")
        shoot(AccountsDialog(w.ctx, w), out / "accounts.png")
        shoot(RosterDialog(w.ctx, w), out / "roster.png")
        holidays = HolidayDialog(w.ctx, w, year=2031)
        shoot(holidays, out / "holidays-unknown-year.png")
        from mediation.services import templates
        from mediation.ui.template_dialog import TemplatesDialog

        with db.write() as session:  # the desk's own wording for one form
            templates.upload_template(session, admin, "application", filename="申请书（本点措辞）.docx",
                                      content=templates.starter_template("application"))
        dialog = TemplatesDialog(w.ctx, w)
        dialog.show()
        settle(500)
        dialog.select_form("people_agreement")
        shoot(dialog, out / "document-templates.png")
        for d in w.findChildren(QWidget):
            if d.isWindow() and d is not w:
                d.hide()
        w.hide()

    def login_and_setup_shots() -> None:
        from mediation.db import Database
        from mediation.migrate import upgrade
        from mediation.ui.login_dialog import LoginDialog
        from mediation.ui.setup_wizard import SetupWizard

        dialog = LoginDialog(db, username="volunteer01", desk_name="某某大学警校联调中心")
        dialog.form.password_edit.setText("wrong-password")
        dialog.form.submit()
        settle(600)
        shoot(dialog, out / "login-wrong-password.png")
        dialog.hide()
        empty = Database(f"sqlite:///{tmp / 'empty.sqlite3'}")
        upgrade(empty.engine, backup=False)
        wizard = SetupWizard(empty)
        wizard.desk_page.desk_name_edit.setText("某某大学警校联调中心")
        wizard.desk_page.prefix_edit.setText("X警校调字")
        shoot(wizard, out / "setup-wizard.png")
        wizard.hide()

    def first_case(actor: object, stage: str, track: str | None = None) -> int | None:
        from mediation.services import caselist

        with db.read() as session:
            page = caselist.list_cases(session, actor, caselist.CaseQuery(
                stages=(stage,), tracks=(track,) if track else ()), limit=50)
        return page.rows[0].id if page.rows else None

    def case_shots() -> None:
        from mediation.ui.consultation_dialog import ConsultationDialog
        from mediation.ui.intake_dialog import IntakeDialog

        w = main_window(volunteer)
        w.resize(*SIZES["1366x768"])
        w.show()
        settle()
        dialog = IntakeDialog(w.ctx, w)
        dialog.show()
        settle()
        applicant, respondent = dialog.party_editors()
        applicant.name.set_value("欧阳晓雯")
        applicant.id_number.set_value("11010520030517001X")  # a generated number: bad check digit
        applicant.id_number.validate()
        respondent.name.set_value("某某房屋租赁有限公司")
        dialog.facts.set_value("申请人于2026年9月租住被申请人房屋，退租时房屋无损坏，被申请人以清洁费为由拒绝退还押金2500元。")
        shoot(dialog, out / "intake.png")
        dialog.close_keeping_draft()
        consult = ConsultationDialog(w.ctx, w)
        shoot(consult, out / "consultation.png")
        consult.close()
        case_id = first_case(volunteer, "mediating") or w.model.case_id(0)
        w.open_case(case_id)
        settle(800)
        window = w.case_windows().get(case_id)
        if window is not None:
            shoot(window, out / "case-window.png", (1366, 768))
            window.close()
        w.hide()

    def document_shots() -> None:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        from mediation.permissions import Actor
        from mediation.services import accounts, case_detail
        from mediation.services import documents as docs
        from mediation.ui.approval_dialog import ApprovalDialog
        from mediation.ui.case_view import CaseWindow
        from mediation.ui.context import AppContext
        from mediation.ui.document_editor import DocumentEditor
        from mediation.ui.pdf_preview import PdfPreviewDialog
        from mediation.ui.signature_pad import SignatureDialog

        with db.read() as session:
            users = accounts.list_users(session, admin)
        off = next(u for u in users if u.role == "officer" and u.active)
        officer = Actor(off.id, off.username, off.display_name, off.role, off.desk_id, all_desks=True)
        case_id = first_case(officer, "agreed", "people")
        if case_id is None:
            print("no agreed case in the demo data", file=sys.stderr)
            return
        with db.read() as session:
            detail = case_detail.get_case(session, officer, case_id)
        mediator = next((u for u in users if u.id == detail.mediator_id), None)
        vol = (Actor(mediator.id, mediator.username, mediator.display_name, mediator.role, mediator.desk_id)
               if mediator is not None and mediator.role == "volunteer" else volunteer)
        with db.write() as session:
            existing = [d for d in docs.list_documents(session, vol, case_id) if d.form == "people_agreement"]
            doc_id = existing[0].id if existing else docs.create_draft(session, vol, case_id, "people_agreement")
            info = docs.get_document(session, vol, doc_id)
        if info.status == "draft":
            with db.write() as session:
                docs.submit(session, vol, doc_id)
            with db.write() as session:
                docs.mark_viewed(session, officer, doc_id)
                docs.return_for_changes(session, officer, doc_id, comment="第一条写明退还期限；金额请写大写。")
        vctx, octx = AppContext(db, vol), AppContext(db, officer)
        if info.status == "draft":
            editor = DocumentEditor(vctx, doc_id)
            editor.resize(1100, 760)
            editor.show()
            settle(800)
            editor.check_button.click()
            settle(800)
            shoot(editor, out / "document-editor.png")
            editor.close()
            with db.write() as session:
                terms = list(info.content.get("terms") or [])
                terms = ["被申请人于2026年12月1日前退还申请人押金人民币贰仟伍佰元整（¥2,500.00）。", *terms[1:]]
                docs.update_draft(session, vol, doc_id, {"terms": terms})
                docs.submit(session, vol, doc_id)

        window = CaseWindow(vctx, case_id)
        window.resize(1366, 768)
        window.show()
        settle(800)
        window.tabs.setCurrentIndex(window.tabs.count() - 1)  # 文书
        settle(800)
        shoot(window, out / "case-documents.png", (1366, 768))


        review = ApprovalDialog(octx, doc_id)
        review.resize(1100, 760)
        review.show()
        deadline = time.monotonic() + 10
        while not review.loaded and time.monotonic() < deadline:
            settle(100)
        settle(1500)  # QPdfView renders its pages in a thread
        shoot(review, out / "approval-diff.png")
        review.close()
        with db.write() as session:
            docs.approve(session, officer, doc_id, comment="同意。")

        signing = SignatureDialog(vctx, doc_id, window)
        signing.resize(900, 700)
        signing.show()
        settle(500)
        for n, pad in enumerate(signing.pads.values()):
            if n >= 2:
                break
            QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(30, 60))
            for x, y in [(60, 30), (90, 80), (120, 35), (160, 75), (200, 45), (240, 70)]:
                QTest.mouseMove(pad, QPoint(x, y))
            QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(260, 55))
        shoot(signing, out / "signature-pad.png")
        signing.close()

        with db.read() as session:
            pdf = docs.preview_pdf(session, vol, doc_id)
        preview = PdfPreviewDialog(pdf, title="人民调解协议书", file_stem="人民调解协议书", copies=3)
        shoot(preview, out / "pdf-preview.png", (1000, 760))
        preview.close()
        window.close()

    def about_shots() -> None:
        from mediation.ui.about_dialog import AboutDialog

        w = main_window(volunteer)
        w.resize(*SIZES["1366x768"])
        w.show()
        settle()
        dialog = AboutDialog(w._ctx, w)
        dialog.show()
        settle(500)
        dialog.table.selectRow(0)  # the body font: its licence text below the list
        shoot(dialog, out / "about.png")
        dialog.close()
        w.hide()

    def english_shots() -> None:
        if os.environ.get("SHOTS_DEBUG"):
            import gc
            gc.collect()
            settle()
            for t in QApplication.topLevelWidgets():
                print("TOP", type(t).__name__, t.objectName(), t.isVisible(), file=sys.stderr)
        from mediation.ui.intake_dialog import IntakeDialog

        i18n.install("en")
        w = main_window(volunteer)
        shoot(w, out / "main-window-en-1366x768.png", SIZES["1366x768"])
        dialog = IntakeDialog(w.ctx, w)
        shoot(dialog, out / "intake-en.png")
        dialog.close_keeping_draft()
        case_id = first_case(volunteer, "mediating") or w.model.case_id(0)
        w.open_case(case_id)
        settle(800)
        window = w.case_windows().get(case_id)
        if window is not None:
            shoot(window, out / "case-window-en.png", (1366, 768))
            window.close()
        w.hide()
        i18n.install("zh_CN")

    shots = [("main", main_shots), ("admin", admin_shots), ("login", login_and_setup_shots),
             ("case", case_shots), ("documents", document_shots), ("english", english_shots),
             ("about", about_shots)]
    for name, fn in shots:
        if args.only is not None and name not in args.only:
            continue
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - printed; one broken screen must not hide the others
            print(f"screen {name!r} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    settle()

    if args.only is not None and "hidpi" not in args.only:
        return 0
    env = dict(os.environ, QT_SCALE_FACTOR="2")
    env.pop("MEDIATION_DATA_DIR", None)
    subprocess.run([sys.executable, __file__, "--out", str(out), "--cases", "150", "--hidpi-only"],
                   env=env, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
