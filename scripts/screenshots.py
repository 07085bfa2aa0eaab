"""Screenshots of the main screens on demo data, and a check that every window fits the screen.

Usage::

    .venv/bin/python scripts/screenshots.py [--out DIR] [--cases N] [--only main case …]
    DISPLAY=:1 .venv/bin/python scripts/screenshots.py --x11 [--root]   # a real X server and window manager

Offscreen (the default) each screen size runs in a child process whose offscreen screen
*is* that size (Qt's offscreen platform reads its screens from a JSON file): 1366×768,
the smallest screen the desks have, for everything; 1920×1080 and HiDPI (1366×768 at
device pixel ratio 2) for the main window. With ``--x11`` it runs on the X server in
``DISPLAY`` as it is (start Xvfb at 1366×768 with a window manager such as openbox);
``--root`` then saves the whole screen, window manager frames included, instead of the
window alone.

Besides the named screenshots (``docs/screenshots/``), every top-level window and dialog
of the program is opened — found by ``tests/ui/window_catalogue.py``, not listed here —
and checked: its frame inside the available geometry, every push button on screen and
not cut off, no input field squashed. ``--windows DIR`` also saves a picture of each.
The exit status is 1 if anything does not fit, and the problems are printed.

Everything happens in a temporary data directory (database, settings, drafts), so the
user's own data is never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MEDIATION_FAST_HASH", "1")  # throwaway accounts: hashing speed is irrelevant

SCREENS: dict[str, tuple[int, int, float]] = {
    "1366x768": (1366, 768, 1.0),
    "1920x1080": (1920, 1080, 1.0),
    "1366x768@2x": (1366, 768, 2.0),
}
"""Offscreen screens: logical width, height, and scale factor."""


# ---------------------------------------------------------------- the parent: one child per screen


def run_children(args: argparse.Namespace) -> int:
    """Each screen size in its own process, with an offscreen screen of that size."""
    plan = [("1366x768", args.only), ("1920x1080", ["main"]), ("1366x768@2x", ["main"])]
    worst = 0
    for screen, only in plan:
        if args.only is not None and screen != "1366x768" and "main" not in args.only:
            continue
        width, height, scale = SCREENS[screen]
        config = Path(tempfile.mkdtemp(prefix="mediation-screen-")) / "screen.json"
        config.write_text(json.dumps({"screens": [{
            "name": screen, "x": 0, "y": 0, "width": int(width * scale), "height": int(height * scale),
            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
        env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
        env.pop("MEDIATION_DATA_DIR", None)
        if scale != 1:
            env["QT_SCALE_FACTOR"] = str(scale)
        command = [sys.executable, __file__, "--child", screen, "--out", str(args.out),
                   "--cases", str(args.cases if screen == "1366x768" else 150)]
        if only is not None:
            command += ["--only", *only]
        if args.windows is not None and screen == "1366x768":
            command += ["--windows", str(args.windows)]
        if screen != "1366x768":
            command.append("--no-catalogue")
        worst = max(worst, subprocess.run(command, env=env, check=False).returncode)
    return worst


# ---------------------------------------------------------------- the child: shots on one screen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--only", nargs="*", default=None,
                        help="main admin login case documents english about roster supervision figures catalogue")
    parser.add_argument("--x11", action="store_true", help="run on the X server in DISPLAY, as it is")
    parser.add_argument("--root", action="store_true", help="with --x11: save the whole screen (frames included)")
    parser.add_argument("--windows", type=Path, default=None, help="also save a picture of every window here")
    parser.add_argument("--no-catalogue", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.x11:
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        return shots(args, screen="x11")
    if args.child is None:
        return run_children(args)
    return shots(args, screen=args.child)


def shots(args: argparse.Namespace, *, screen: str) -> int:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QWidget

    from tests.ui import window_catalogue as catalogue

    out: Path = args.out
    tmp = Path(tempfile.mkdtemp(prefix="mediation-shots-"))
    os.environ["MEDIATION_DATA_DIR"] = str(tmp)
    # The audit key of this throwaway desk lives beside its data, set before anything else
    # reads it: never the user's own key file, and not moved later by the test helpers
    # imported below (tests.conftest points MEDIATION_KEY_FILE at a fresh file unless it is
    # already set, which left the chains written so far without their key).
    os.environ["MEDIATION_KEY_FILE"] = str(tmp / "keys.json")
    from mediation.ui.app import create_application

    app, state = create_application([sys.argv[0]])
    assert isinstance(app, QApplication)
    from mediation.ui import i18n
    from mediation.ui.context import AppContext
    from mediation.ui.main_window import MainWindow

    settle = catalogue.settle
    problems: list[str] = []
    avail = QGuiApplication.primaryScreen().availableGeometry()
    print(f"screen {screen}: available {avail.width()}×{avail.height()}")
    suffix = "@2x" if screen.endswith("@2x") else ""

    def shoot(widget: QWidget, path: Path) -> None:
        """Show ``widget`` as the program would (sized and placed by the window fitter), save it, check it."""
        widget.show()
        settle(300 if not args.x11 else 900)
        problems.extend(catalogue.lasting_problems(widget))
        if args.x11 and args.root:
            pixmap = QGuiApplication.primaryScreen().grabWindow(0)
        else:
            pixmap = widget.grab()
        path = path.with_name(path.stem + suffix + path.suffix) if suffix and not path.stem.endswith("@2x") else path
        pixmap.save(str(path))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
              f"({pixmap.width()}×{pixmap.height()})")

    db, admin, volunteer = build_database(tmp, args.cases)

    def main_window(actor: object) -> MainWindow:
        return MainWindow(AppContext(db, actor), state)

    def main_shots() -> None:
        w = main_window(volunteer)
        if screen in ("1920x1080",):
            w.showMaximized()
        shoot(w, out / f"main-window-{screen.removesuffix('@2x') if screen != 'x11' else '1366x768'}.png")
        if screen not in ("1366x768", "x11"):
            w.hide()
            return
        from tests.ui.conftest import type_text

        type_text(w.filter_bar.search_edit, "张")
        settle(600)
        shoot(w, out / "main-window-search-1366x768.png")
        w.filter_bar.search_edit.clear()
        w.lock(idle=True)
        shoot(w, out / "lock-screen-1366x768.png")
        w.lock_screen.unlocked.emit()
        w.switch_user_action.trigger()
        shoot(w, out / "lock-screen-switch-user-1366x768.png")
        w.lock_screen.unlocked.emit()
        w.hide()

    def admin_shots() -> None:
        from mediation.ui.accounts_dialog import AccountsDialog
        from mediation.ui.holiday_dialog import HolidayDialog
        from mediation.ui.roster_dialog import RosterDialog
        from mediation.ui.settings_dialog import SettingsDialog

        w = main_window(admin)
        w.show()
        settle()
        for dialog, name in ((SettingsDialog(w.ctx, state, w), "settings"), (AccountsDialog(w.ctx, w), "accounts"),
                             (RosterDialog(w.ctx, w), "roster"), (HolidayDialog(w.ctx, w, year=2031),
                                                                   "holidays-unknown-year")):
            shoot(dialog, out / f"{name}.png")
            dialog.hide()
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
        dialog.hide()
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
        consult.hide()
        case_id = first_case(volunteer, "mediating") or w.model.case_id(0)
        assert case_id is not None
        w.open_case(case_id)
        settle(800)
        window = w.case_windows().get(case_id)
        if window is not None:
            shoot(window, out / "case-window.png")
            window.close()
        w.hide()

    def document_shots() -> None:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        from mediation.errors import ValidationError
        from mediation.permissions import Actor
        from mediation.services import accounts, case_detail, caselist
        from mediation.services import documents as docs
        from mediation.ui.approval_dialog import ApprovalDialog
        from mediation.ui.case_view import CaseWindow
        from mediation.ui.document_editor import DocumentEditor
        from mediation.ui.pdf_preview import PdfPreviewDialog
        from mediation.ui.signature_pad import SignatureDialog

        with db.read() as session:
            users = accounts.list_users(session, admin)
        off = next(u for u in users if u.role == "officer" and u.active)
        officer = Actor(off.id, off.username, off.display_name, off.role, off.desk_id, all_desks=True)
        with db.read() as session:
            agreed = [r.id for r in caselist.list_cases(session, officer, caselist.CaseQuery(
                stages=("agreed",), tracks=("people",)), limit=50).rows]
        # The first agreed case whose agreement can go to the officer (some demo parties have no ID number).
        for case_id in agreed:
            with db.read() as session:
                detail = case_detail.get_case(session, officer, case_id)
            mediator = next((u for u in users if u.id == detail.mediator_id), None)
            vol = (Actor(mediator.id, mediator.username, mediator.display_name, mediator.role, mediator.desk_id)
                   if mediator is not None and mediator.role == "volunteer" else volunteer)
            try:
                with db.write() as session:
                    existing = [d for d in docs.list_documents(session, vol, case_id)
                                if d.form == "people_agreement"]
                    doc_id = existing[0].id if existing else docs.create_draft(session, vol, case_id,
                                                                               "people_agreement")
                    info = docs.get_document(session, vol, doc_id)
                if info.status == "draft":
                    with db.write() as session:
                        docs.submit(session, vol, doc_id)
                    with db.write() as session:
                        docs.mark_viewed(session, officer, doc_id)
                        docs.return_for_changes(session, officer, doc_id, comment="第一条写明退还期限；金额请写大写。")
            except ValidationError:
                continue
            break
        else:
            print("no agreed case in the demo data whose agreement can be submitted", file=sys.stderr)
            return
        vctx, octx = AppContext(db, vol), AppContext(db, officer)
        if info.status == "draft":
            editor = DocumentEditor(vctx, doc_id)
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
        window.show()
        settle(800)
        window.tabs.setCurrentIndex(window.tabs.count() - 1)  # 文书
        settle(800)
        shoot(window, out / "case-documents.png")

        review = ApprovalDialog(octx, doc_id)
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

        with db.write() as session:
            pdf = docs.preview_pdf(session, vol, doc_id)
        preview = PdfPreviewDialog(pdf, title="人民调解协议书", file_stem="人民调解协议书", copies=3)
        settle(800)
        shoot(preview, out / "pdf-preview.png")
        preview.close()
        window.close()

    def english_shots() -> None:
        from mediation.ui.intake_dialog import IntakeDialog

        i18n.install("en")
        w = main_window(volunteer)
        shoot(w, out / "main-window-en-1366x768.png")
        dialog = IntakeDialog(w.ctx, w)
        shoot(dialog, out / "intake-en.png")
        dialog.close_keeping_draft()
        case_id = first_case(volunteer, "mediating") or w.model.case_id(0)
        assert case_id is not None
        w.open_case(case_id)
        settle(800)
        window = w.case_windows().get(case_id)
        if window is not None:
            shoot(window, out / "case-window-en.png")
            window.close()
        w.hide()
        i18n.install("zh_CN")

    def about_shots() -> None:
        from mediation.ui.about_dialog import AboutDialog

        w = main_window(volunteer)
        w.show()
        settle()
        dialog = AboutDialog(w.ctx, w)
        dialog.show()
        settle(500)
        dialog.table.selectRow(0)  # the body font: its licence text below the list
        shoot(dialog, out / "about.png")
        dialog.close()
        w.hide()

    def roster_shots() -> None:
        """A term of generated students around today (the program's windows read the real
        clock): last week worked, this week's timetable with its conflicts, the coverage, a
        handover at check-out of a shift on now, the adviser's overview, and the first page of
        each certificate."""
        import datetime as dt

        from sqlalchemy import select

        import contextlib

        from mediation import volunteering, workflow
        from mediation.errors import Conflict
        from mediation.models import Case, DutyShift
        from mediation.permissions import Actor
        from mediation.services import accounts
        from mediation.services.roster import certificates
        from mediation.services.roster import today as duty
        from mediation.timeutil import local_now
        from mediation.ui.handover_dialog import HandoverDialog
        from mediation.ui.roster_overview_window import RosterOverviewWindow
        from mediation.ui.roster_window import RosterWindow
        from tests.roster_fixtures import enrol, open_term, slot
        from tests.roster_fixtures import assign as put

        desk_id = admin.desk_id  # type: ignore[attr-defined]
        with db.write() as session:
            uid = accounts.create_user(session, admin, username="adviser", display_name="陈老师", role="adviser",
                                       password="Qiushi-Lake-42", desk_id=desk_id)
        adviser = Actor(uid, "adviser", "陈老师", "adviser", desk_id)
        now = local_now()
        monday = volunteering.week_start(now.date())
        starts = monday - dt.timedelta(weeks=5)
        term_id = open_term(db, admin, starts_on=starts, ends_on=monday + dt.timedelta(weeks=10), min_students=2,
                            min_officers=0, max_weekly_hours=6.0)
        students = enrol(db, admin, term_id, 12, on=starts)
        late = enrol(db, admin, term_id, 1, trained=False, first=12, on=starts)  # not yet trained: flagged
        slots = [slot(db, admin, term_id, d, a, b) for d in range(5) for a, b in (("09:00", "12:00"),
                                                                                  ("14:00", "17:00"))]
        slots.append(slot(db, admin, term_id, 2, "11:00", "13:00", label="午间"))
        for w in (monday - dt.timedelta(weeks=1), monday):
            for k, sid in enumerate(slots[:10]):
                for j in range(1 if k in (3, 8) else 2):  # two slots a student short
                    put(db, admin, sid, students[(2 * k + j) % 12].actor.user_id, week=w, now=starts)
            put(db, admin, slots[10], students[8].actor.user_id, week=w, now=starts)  # overlaps Wednesday morning
            put(db, admin, slots[9], late[0].actor.user_id, week=w, now=starts)
        for sid in slots[1:10:2]:  # one student over the weekly maximum
            with contextlib.suppress(Conflict):  # already on it
                put(db, admin, sid, students[0].actor.user_id, week=monday, now=starts)
        a = students[4]
        with db.write() as session:  # the shifts before now worked: on time, some late, some missed
            for i, shift in enumerate(session.scalars(select(DutyShift).where(DutyShift.ends_at < now)
                                                      .order_by(DutyShift.id))):
                if i % 9 == 4:
                    continue
                shift.checked_in_at = shift.starts_at + dt.timedelta(minutes=20 if i % 7 == 3 else -5)
                shift.checked_out_at = shift.ends_at
            # a's cases: three open ones due tomorrow (the handover lists them)
            for case in session.scalars(select(Case).where(Case.stage.in_(sorted(workflow.OPEN_STAGES)),
                                                           Case.number.is_not(None)).order_by(Case.id).limit(3)):
                case.mediator_id = a.actor.user_id
                case.deadline = now.date() + dt.timedelta(days=1)
            duty.add_shift(session, admin, user_id=a.actor.user_id, starts_at=now - dt.timedelta(hours=2),
                           ends_at=now + dt.timedelta(hours=1), note="")
        with db.write() as session:
            shift_id = duty.check_in(session, a.actor)
        with db.write() as session:
            cert_ids = [certificates.draft_certificate(session, adviser, a.volunteer_id, kind)
                        for kind in ("service_record", "practice_report")]
            certificates.update_certificate(session, adviser, cert_ids[1], content="",
                                            evaluation="该生值班认真，接待来访耐心，能独立制作调解记录。")
            for cid in cert_ids:
                certificates.approve_certificate(session, adviser, cid)
        w = RosterWindow(AppContext(db, admin))
        w.tabs.setCurrentIndex(1)
        settle(800)
        shoot(w, out / "roster-timetable.png")
        w.tabs.setCurrentIndex(2)
        shoot(w, out / "roster-coverage.png")
        w.hide()
        from tests.ui.conftest import type_text

        h = HandoverDialog(AppContext(db, a.actor), shift_id)
        h.show()
        settle(800)
        type_text(h.note_edit, "王同学下午四点半来问押金的事，已约周五上午再来。")
        shoot(h, out / "roster-handover.png")
        h.hide()
        o = RosterOverviewWindow(AppContext(db, adviser))
        settle(800)
        shoot(o, out / "roster-overview.png")
        o.tabs.setCurrentIndex(4)
        shoot(o, out / "roster-certificates.png")
        o.hide()
        with db.read() as session:
            for cid, name in zip(cert_ids, ("service-record", "practice-report"), strict=True):
                pdf_path = tmp / f"{name}.pdf"
                pdf_path.write_bytes(certificates.render_certificate(session, adviser, cid))
                stem = out / f"roster-certificate-{name}"
                subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", "1", str(pdf_path), str(stem)],
                               check=True)
                png = stem.with_suffix(".png")
                print(f"wrote {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png} (page 1 of the PDF)")

    def supervision_shots() -> None:
        """The audit viewer (a filtered edit, then the chain check) and 抽卷评查 with one case reviewed."""
        import datetime as dt

        from mediation.permissions import Actor
        from mediation.services import accounts, case_review
        from mediation.timeutil import local_today
        from mediation.ui.audit_viewer import AuditViewerWindow
        from mediation.ui.case_review_window import CaseReviewWindow

        with db.read() as s:
            users = accounts.list_users(s, admin)
        off = next(u for u in users if u.role == "officer" and u.active)
        officer = Actor(off.id, off.username, off.display_name, off.role, off.desk_id)
        today = local_today()
        with db.write() as s:
            case_review.draw_cases(s, officer, period_from=today - dt.timedelta(days=120), period_to=today, n=6,
                                   seed=20261206)
        with db.read() as s:
            draw = case_review.list_draws(s, officer)[0]
            first = case_review.get_review(s, officer, draw.reviews[0].id)
        with db.write() as s:
            case_review.record_review(s, officer, first.id, {
                i.key: case_review.ItemInput(i.suggested is not False, "" if i.suggested is not False else i.reason)
                for i in first.items}, other="卷宗目录未编页码。", comment="请于一周内补齐。")
        w = main_window(officer)
        w.show()
        settle()
        viewer = AuditViewerWindow(w.ctx, w)
        viewer.show()
        settle(600)
        viewer.action_combo.setCurrentIndex(viewer.action_combo.findData("case."))
        settle(600)
        viewer.table.selectRow(0)
        settle(300)
        shoot(viewer, out / "audit-viewer.png")
        viewer.check_log()
        for _ in range(300):
            if viewer.last_check is not None:
                break
            settle(100)
        shoot(viewer, out / "audit-viewer-check.png")
        viewer.close()
        review = CaseReviewWindow(w.ctx, w)
        shoot(review, out / "case-review.png")
        review.close()
        w.hide()

    def figure_shots() -> None:
        """Issue 15's rest: the 质效表 with its 评查 rows; a figure clicked opens the main list under
        its chip; 恢复调解 on a terminated case; 抽卷评查 with the desk picker of an administrator
        without a desk."""
        import datetime as dt

        from mediation.permissions import ADMIN, Actor
        from mediation.services import accounts, case_review, setup
        from mediation.statistics import Period
        from mediation.timeutil import local_today
        from mediation.ui.case_review_window import CaseReviewWindow

        with db.read() as s:
            users = accounts.list_users(s, admin)
        off = next(u for u in users if u.role == "officer" and u.active)
        officer = Actor(off.id, off.username, off.display_name, off.role, off.desk_id)
        month_end = local_today().replace(day=1) - dt.timedelta(days=1)
        with db.write() as s:
            draw = case_review.draw_cases(s, officer, period_from=month_end.replace(day=1), period_to=month_end, n=5,
                                          seed=20261206)
        with db.read() as s:
            reviews = [case_review.get_review(s, officer, r.id) for r in case_review.list_draws(s, officer)[0].reviews
                       if r.case_id in draw.case_ids[:3]]
        with db.write() as s:
            for r in reviews:
                case_review.record_review(s, officer, r.id, {
                    i.key: case_review.ItemInput(i.suggested is not False, "" if i.suggested is not False else i.reason)
                    for i in r.items})
        w = main_window(officer)
        w.show()
        settle()
        w.statistics_action.trigger()
        stats = w.statistics_window
        stats.picker.set_period(Period.month(month_end.year, month_end.month))
        stats.reload()
        settle(1500)
        stats.tabs.setCurrentIndex(3)
        table = stats.tables["quality"]
        rows = [table.verticalHeaderItem(i).text() for i in range(table.rowCount())]
        table.scrollToItem(table.item(rows.index("评查抽取（件）"), 0))
        shoot(stats, out / "statistics-quality-review.png")
        stats.tabs.setCurrentIndex(0)
        people = stats.tables["people"]
        rows = [people.verticalHeaderItem(i).text() for i in range(people.rowCount())]
        cols = [people.horizontalHeaderItem(i).text() for i in range(people.columnCount())]
        people.cellClicked.emit(rows.index("合计"), cols.index("调解成功"))
        settle(1500)
        shoot(w, out / "main-window-figure-1366x768.png")
        case_id = first_case(officer, "terminated")
        if case_id is not None:
            w.open_case(case_id)
            settle(800)
            window = w.case_windows().get(case_id)
            if window is not None:
                shoot(window, out / "case-window-terminated.png")
                dialog = window.open_action("reopen")
                if dialog is not None:
                    shoot(dialog, out / "reopen-dialog.png")
                    dialog.hide()
                window.close()
        root = Actor(admin.user_id, admin.username, admin.display_name, ADMIN, None)
        with db.write() as s:
            setup.create_desk(s, root, name="第二联调中心", number_prefix="Y警校调字")
        review = CaseReviewWindow(AppContext(db, root), w)
        shoot(review, out / "case-review-desk-picker.png")
        review.close()
        w.hide()

    plan: list[tuple[str, Callable[[], None]]] = [("main", main_shots)]
    if screen in ("1366x768", "x11"):
        plan += [("admin", admin_shots), ("login", login_and_setup_shots), ("case", case_shots),
                 ("documents", document_shots), ("english", english_shots), ("about", about_shots),
                 ("roster", roster_shots), ("supervision", supervision_shots), ("figures", figure_shots)]
    failed = False
    for name, fn in plan:
        if args.only is not None and name not in args.only:
            continue
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - printed; one broken screen must not hide the others
            failed = True
            print(f"screen {name!r} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        for w in QApplication.topLevelWidgets():
            catalogue.quietly_gone(w) if w.isVisible() else None
        settle()

    if not args.no_catalogue and (args.only is None or "catalogue" in args.only):
        checked: list[str] = []

        def check(name: str, window: QWidget) -> None:
            checked.append(name)
            problems.extend(catalogue.lasting_problems(window))
            if args.windows is not None:
                args.windows.mkdir(parents=True, exist_ok=True)
                safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
                (QGuiApplication.primaryScreen().grabWindow(0) if args.x11 and args.root
                 else window.grab()).save(str(args.windows / f"{safe}.png"))

        scene_dir = tmp / "catalogue"
        scene_dir.mkdir()
        covered = catalogue.open_all(catalogue.build_scene(scene_dir), check)
        print(f"checked {len(checked)} windows: {', '.join(checked)}")
        for cls, why in covered["unbuildable"].items():
            problems.append(f"{cls}: not opened ({why})")

    if problems:
        print(f"\n{len(problems)} problem(s) at {avail.width()}×{avail.height()}:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
    else:
        print(f"every window fits {avail.width()}×{avail.height()} with its buttons visible")
    return 1 if problems or failed else 0


def build_database(data: Path, cases: int) -> tuple[object, object, object]:
    """A desk with demo cases; returns (db, admin, volunteer) actors."""
    from mediation import demo
    from mediation.db import Database
    from mediation.migrate import upgrade
    from mediation.permissions import Actor
    from mediation.services import accounts, setup

    db = Database(f"sqlite:///{data / 'mediation.sqlite3'}")
    upgrade(db.engine, backup=False)
    with db.write() as s:
        admin = setup.initialise(s, desk_name="某某大学警校联调中心", number_prefix="X警校调字",
                                 admin_username="admin", admin_display_name="周管理",
                                 admin_password="Lanting-Xu-1987")
    demo.generate(db, cases=cases, seed=20260901, admin=admin)
    with db.read() as s:
        users = accounts.list_users(s, admin)
    vol = next(u for u in users if u.role == "volunteer" and u.active)
    volunteer = Actor(vol.id, vol.username, vol.display_name, vol.role, vol.desk_id)
    return db, admin, volunteer


if __name__ == "__main__":
    sys.exit(main())
