"""The audit viewer's core (issue 15 item 5): filters, keyset pages, flags, the chain check, exports."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, update

from mediation import workflow
from mediation.db import Database
from mediation.errors import PermissionDenied, ValidationError
from mediation.models import AuditLog
from mediation.permissions import Actor
from mediation.services import audit_view, case_detail, case_records, cases, parties, reference
from mediation.services.audit_view import AuditQuery
from mediation.services.cases import CaseEdit
from mediation.timeutil import clock_at
from tests.conftest import Desk
from tests.factories import accepted_case, dispute, final_cover

CST = dt.timezone(dt.timedelta(hours=8))


def _edit(db: Database, desk: Desk, case_id: int, title: str) -> None:
    with db.write() as s:
        c = case_detail.get_case(s, desk.officer, case_id)  # the labels of its category and source
        cases.update_case(s, desk.volunteer, case_id, CaseEdit(
            title=title, facts=c.facts, claims=c.claims, category=c.category, subcategory=c.subcategory,
            source=c.source, amount=None), expected_version=c.version)


def test_filters_find_an_edit_of_a_case_and_show_it_side_by_side(db: Database, desk: Desk) -> None:
    with db.write() as s:
        first = accepted_case(s, desk)
        other = accepted_case(s, desk)
    _edit(db, desk, first, "押金纠纷（已改）")
    with db.read() as s:
        number = cases.load_case(s, desk.officer, first).number
        assert number
        everything = audit_view.list_entries(s, desk.officer, AuditQuery())
        page = audit_view.list_entries(s, desk.officer, AuditQuery(
            case_number=number, action="case.update", user_id=desk.volunteer.user_id))
    assert len(page.entries) == 1 and not page.has_more
    entry = page.entries[0]
    assert entry.case_id == first and entry.case_number == number and entry.user_name == "李同学"
    assert entry.action_label == "修改案件"
    lines = {c.field: c for c in audit_view.changes(entry)}
    assert lines["title"].after == "押金纠纷（已改）" and lines["title"].changed
    assert lines["title"].before != lines["title"].after
    # The other case's rows are not in the filtered page, but they are in the log.
    assert any(e.case_id == other for e in everything.entries)
    # Newest first.
    ats = [(e.at, e.id) for e in everything.entries]
    assert ats == sorted(ats, reverse=True)


def test_keyset_pages_cover_every_row_once_newest_first(db: Database, desk: Desk) -> None:
    with db.write() as s:
        for _ in range(6):
            accepted_case(s, desk)
    with db.read() as s:
        total = audit_view.count_entries(s, desk.officer, AuditQuery())
        seen: list[int] = []
        cursor = None
        while True:
            page = audit_view.list_entries(s, desk.officer, AuditQuery(), cursor=cursor, limit=7)
            seen += [e.id for e in page.entries]
            if not page.has_more:
                break
            cursor = page.cursor
        everything = [e.id for e in audit_view.iter_entries(s, desk.officer, AuditQuery(), batch=5)]
    assert len(seen) == len(set(seen)) == total > 20
    assert seen == everything


def test_a_desk_sees_only_its_own_chain(db: Database, desk: Desk) -> None:
    from mediation.services import setup

    with db.write() as s:
        accepted_case(s, desk)
        setup.create_desk(s, desk.admin, name="另一个联调中心", number_prefix="Y警校调字")
    with db.read() as s:
        mine = list(audit_view.iter_entries(s, desk.officer, AuditQuery()))
        everyone = list(audit_view.iter_entries(s, desk.admin, AuditQuery()))
        # Asking for another desk gives nothing rather than its rows.
        assert audit_view.list_entries(s, desk.officer, AuditQuery(desk_id=desk.desk_id + 100)).entries == []
        with pytest.raises(PermissionDenied):
            audit_view.list_entries(s, desk.volunteer, AuditQuery())
    assert mine and all(e.desk_id == desk.desk_id for e in mine)
    assert {e.desk_id for e in everyone} - {desk.desk_id}, "the administrator reads the other chains too"
    assert {e.id for e in mine} < {e.id for e in everyone}


def test_period_filter_is_by_desk_date(db: Database, desk: Desk) -> None:
    with clock_at(dt.datetime(2026, 3, 1, 0, 30, tzinfo=CST)), db.write() as s:  # Feb 28, 16:30 UTC
        march = accepted_case(s, desk)
    with clock_at(dt.datetime(2026, 2, 28, 23, 30, tzinfo=CST)), db.write() as s:
        february = accepted_case(s, desk)
    with db.read() as s:
        rows = list(audit_view.iter_entries(s, desk.officer, AuditQuery(
            since=dt.date(2026, 3, 1), until=dt.date(2026, 3, 31))))
        feb = list(audit_view.iter_entries(s, desk.officer, AuditQuery(
            since=dt.date(2026, 2, 1), until=dt.date(2026, 2, 28))))
        with pytest.raises(ValidationError):
            audit_view.list_entries(s, desk.officer, AuditQuery(since=dt.date(2026, 3, 2), until=dt.date(2026, 3, 1)))
    assert {e.case_id for e in rows} == {march}
    assert {e.case_id for e in feb if e.case_id} == {february}


def test_flags_after_archive_id_views_exports_and_off_hours(db: Database, desk: Desk) -> None:
    # Monday 2026-11-02, 10:00 desk time: in duty hours. A declined case is closed at once.
    with clock_at(dt.datetime(2026, 11, 2, 10, 0, tzinfo=CST)), db.write() as s:
        ref = cases.register_case(s, desk.volunteer, dispute())
        cases.decline_case(s, desk.officer, ref.id, reason="不属于调解范围。")
    with clock_at(dt.datetime(2026, 11, 2, 10, 5, tzinfo=CST)), db.write() as s:
        final_cover(s, desk, ref.id)  # archiving needs the final case-file cover (issue 12 item 24)
    with clock_at(dt.datetime(2026, 11, 2, 10, 5, tzinfo=CST)), db.write() as s:
        assert cases.archive_case(s, desk.officer, ref.id).stage == workflow.ARCHIVED
    # Saturday 2026-11-07 at 23:10: a note on the archived case and a full ID viewed, after hours.
    with clock_at(dt.datetime(2026, 11, 7, 23, 10, tzinfo=CST)), db.write() as s:
        party_id = cases.load_case(s, desk.officer, ref.id).parties[0].party_id
        parties.reveal_id_number(s, desk.officer, party_id, purpose="核对身份")
        case_records.add_note(s, desk.officer, ref.id, "归档后补充说明。")
    with db.read() as s:
        entries = list(audit_view.iter_entries(s, desk.officer, AuditQuery(case_id=ref.id)))
        assert all(not e.flags for e in entries if e.action.startswith("document."))  # the cover, in duty hours
        rows = [e for e in entries if not e.action.startswith("document.")]
        assert [e.action for e in rows] == ["case.note", "case.archive", "case.decline", "case.register"]
        assert [e.flags for e in rows] == [(audit_view.AFTER_ARCHIVE, audit_view.OFF_HOURS), (), (), ()]
        # The same rules as filters, in SQL.
        flagged = [e.id for e in audit_view.iter_entries(s, desk.officer, AuditQuery(flag=audit_view.AFTER_ARCHIVE))]
        assert flagged == [rows[0].id]
        off = list(audit_view.iter_entries(s, desk.officer, AuditQuery(
            flag=audit_view.OFF_HOURS, since=dt.date(2026, 11, 1), until=dt.date(2026, 11, 30))))
        assert [e.action for e in off] == ["case.note", "party.view_id"]
        views = list(audit_view.iter_entries(s, desk.officer, AuditQuery(flag=audit_view.ID_VIEW)))
        assert [e.action for e in views] == ["party.view_id"]
        assert views[0].flags == (audit_view.ID_VIEW, audit_view.OFF_HOURS)
        per_person = audit_view.id_views_by_person(s, desk.officer, AuditQuery())
    assert [(p.user_id, p.count) for p in per_person] == [(desk.officer.user_id, 1)]


def test_duty_hours_are_the_desks_setting(db: Database, desk: Desk) -> None:
    with db.write() as s:
        reference.set_setting(s, desk.admin, "duty_hours", {"start": "09:00", "end": "17:00"}, desk_id=desk.desk_id)
    with clock_at(dt.datetime(2026, 11, 3, 18, 0, tzinfo=CST)), db.write() as s:  # Tuesday, 18:00
        ref = cases.register_case(s, desk.volunteer, dispute())
    with db.read() as s:
        rows = list(audit_view.iter_entries(s, desk.officer, AuditQuery(case_id=ref.id)))
        sql = list(audit_view.iter_entries(s, desk.officer, AuditQuery(case_id=ref.id, flag=audit_view.OFF_HOURS)))
    assert rows and all(audit_view.OFF_HOURS in e.flags for e in rows)
    assert [e.id for e in sql] == [e.id for e in rows]


def test_a_holiday_weekday_is_off_hours_and_a_swapped_weekend_is_not(db: Database, desk: Desk) -> None:
    # 2026-10-01 (Thursday) is National Day; 2026-10-10 (Saturday) a swapped working day.
    with db.write() as s:
        from mediation.services import deadlines

        deadlines.set_day(s, desk.admin, dt.date(2026, 10, 1), "holiday", "国庆节")
        deadlines.set_day(s, desk.admin, dt.date(2026, 10, 10), "workday", "国庆节调休")
    with clock_at(dt.datetime(2026, 10, 1, 10, 0, tzinfo=CST)), db.write() as s:
        holiday = cases.register_case(s, desk.volunteer, dispute()).id
    with clock_at(dt.datetime(2026, 10, 10, 10, 0, tzinfo=CST)), db.write() as s:
        swapped = cases.register_case(s, desk.volunteer, dispute()).id
    with db.read() as s:
        off = {e.case_id for e in audit_view.iter_entries(s, desk.officer, AuditQuery(flag=audit_view.OFF_HOURS))}
        shown = {e.case_id: e.flags for e in audit_view.iter_entries(s, desk.officer, AuditQuery())}
    assert holiday in off and swapped not in off
    assert audit_view.OFF_HOURS in shown[holiday] and audit_view.OFF_HOURS not in shown[swapped]


def test_the_locked_period_hook_flags_and_filters(db: Database, desk: Desk) -> None:
    with db.write() as s:
        a = accepted_case(s, desk)
        accepted_case(s, desk)
    audit_view.set_locked_period_condition(lambda: AuditLog.case_id == a)
    try:
        with db.read() as s:
            flagged = list(audit_view.iter_entries(s, desk.officer, AuditQuery(flag=audit_view.LOCKED_PERIOD)))
            shown = list(audit_view.iter_entries(s, desk.officer, AuditQuery()))
    finally:
        audit_view.set_locked_period_condition(audit_view.reports_locked_period)  # the program's own
    assert flagged and {e.case_id for e in flagged} == {a}
    assert {e.id for e in shown if audit_view.LOCKED_PERIOD in e.flags} == {e.id for e in flagged}
    with db.read() as s:
        assert audit_view.list_entries(s, desk.officer, AuditQuery(flag=audit_view.LOCKED_PERIOD)).entries == []


def test_the_check_says_intact_then_names_the_tampered_row(db: Database, desk: Desk) -> None:
    with db.write() as s:
        case_id = accepted_case(s, desk)
    _edit(db, desk, case_id, "被篡改前")
    steps: list[tuple[int, int]] = []
    with db.read() as s:
        ok = audit_view.check_chains(s, desk.officer, db.url, progress=lambda d, t: steps.append((d, t)))
        target = s.execute(select(AuditLog.id, AuditLog.seq).where(AuditLog.action == "case.update")).one()
    assert ok.ok and "完整" in ok.summary and ok.rows > 0
    assert steps and steps[-1][0] == steps[-1][1] == ok.rows
    with db.write() as s:
        s.execute(update(AuditLog).where(AuditLog.id == target.id).values(after={"title": "改过的"}))
    with db.read() as s:
        bad = audit_view.check_chains(s, desk.officer, db.url)
    assert not bad.ok
    assert bad.breaks[0].row_id == target.id and bad.breaks[0].seq == target.seq
    assert f"第 {target.seq} 条记录" in bad.summary and f"日志编号 {target.id}" in bad.summary


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_writes_the_filtered_rows_and_is_itself_audited(db: Database, desk: Desk, tmp_path: Path,
                                                               fmt: str) -> None:
    with db.write() as s:
        case_id = accepted_case(s, desk)
        accepted_case(s, desk)
    _edit(db, desk, case_id, "导出测试")
    query = AuditQuery(case_id=case_id)
    with db.read() as s:
        expected = list(audit_view.iter_entries(s, desk.officer, query))
    out = tmp_path / f"审计.{fmt}"
    with db.write() as s:
        n = audit_view.export_entries(s, desk.officer, query, out, fmt)
    assert n == len(expected) > 3
    if fmt == "csv":
        with out.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    else:
        wb = openpyxl.load_workbook(out, read_only=True)
        rows = [[("" if v is None else str(v)) for v in r] for r in wb.active.iter_rows(values_only=True)]
    assert rows[0][:5] == ["日志编号", "时间", "调解点", "人员", "操作"]
    assert [int(r[0]) for r in rows[1:]] == [e.id for e in expected]
    assert any("导出测试" in r[9] for r in rows[1:])
    assert not list(tmp_path.glob(".*.tmp"))
    with db.read() as s:
        exports = list(audit_view.iter_entries(s, desk.officer, AuditQuery(flag=audit_view.BULK_EXPORT)))
    assert exports[0].action == "audit.export" and exports[0].after and exports[0].after["rows"] == n
    with db.write() as s, pytest.raises(PermissionDenied):
        audit_view.export_entries(s, Actor(desk.adviser.user_id, "x", "x", "volunteer", desk.desk_id), query, out, fmt)


def test_people_filter_lists_only_the_desks_accounts(db: Database, desk: Desk) -> None:
    with db.read() as s:
        names = [n for _, n in audit_view.people(s, desk.officer)]
    assert any("王警官" in n for n in names) and any("李同学" in n for n in names)


def test_bulk_exports_of_every_kind_page_newest_first(db: Database, desk: Desk) -> None:
    from mediation.services import audit

    actions = ["data.export", "report.export", "audit.export", "data.export", "audit.export"]
    for day, action in enumerate(actions, start=2):
        with clock_at(dt.datetime(2026, 11, day, 10, 0, tzinfo=CST)), db.write() as s:
            audit.append(s, desk_id=desk.desk_id, user_id=desk.officer.user_id, action=action, entity="database")
    with db.read() as s:
        seen: list[str] = []
        cursor = None
        while True:
            page = audit_view.list_entries(s, desk.officer, AuditQuery(flag=audit_view.BULK_EXPORT), cursor=cursor,
                                           limit=2)
            seen += [e.action for e in page.entries]
            assert all(audit_view.BULK_EXPORT in e.flags for e in page.entries)
            if not page.has_more:
                break
            cursor = page.cursor
        assert audit_view.count_entries(s, desk.officer, AuditQuery(flag=audit_view.BULK_EXPORT)) == 5
    assert seen == list(reversed(actions))
