"""Case numbers as people type them, consultations found by search, search by ID number, reindex.

Issue 12 items 6, 7 (the search part) and 15; issue 13's ``mediation db reindex``.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from typing import Any

import pytest
from sqlalchemy import select, text

from mediation import cli, workflow
from mediation.errors import PermissionDenied, ValidationError
from mediation.models import AuditLog
from mediation.permissions import Actor
from mediation.services import audit, caselist, cases, consultations, numbering, search, setup
from mediation.services.consultations import ConsultationInput
from tests.factories import dispute, make_id, person


def _numbered(db: Any, desk: Any, **kw: Any) -> tuple[int, str]:
    with db.write() as s:
        ref = cases.register_case(s, desk.volunteer, dispute(**kw))
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
        number = cases.accept_case(s, desk.officer, ref.id).number
    assert number is not None
    return ref.id, number


def _found(db: Any, actor: Actor, query: str) -> list[int]:
    with db.read() as s:
        return [r.id for r in caselist.search(s, actor, query)]


@pytest.mark.parametrize("typed", [
    "(2026)X警校调字第1号", "（２０２６）Ｘ警校调字第００１号", " ( 2026 ) X警校调字 第 1 号 ", "〔2026〕X警校调字第001号",
    "【2026】x警校调字第1号",
])
def test_a_case_number_however_typed_is_found(db, desk, typed):
    cid, number = _numbered(db, desk)
    assert number.endswith("第001号")
    _other, _n = _numbered(db, desk)
    year = number[1:5]
    typed = typed.replace("2026", year).replace("２０２６", "".join(chr(ord(c) + 0xFEE0) for c in year))
    if typed.startswith("【") and "x" in typed:
        typed = typed.replace("x", "Ｘ")  # full-width letter
    assert numbering.normalise_case_number(typed) == number
    assert _found(db, desk.volunteer, typed) == [cid]
    with db.read() as s:  # the whole number goes through the unique index, not the trigram index
        prepared = search.prepare(s, typed, frozenset({desk.desk_id}))
        assert prepared is not None and prepared.plan == "number"
    # …and beside other terms.
    assert _found(db, desk.volunteer, f"押金2500 {typed}") == [cid]
    assert _found(db, desk.volunteer, f"不存在的内容 {typed}") == []


def test_text_that_only_looks_like_a_number_is_searched_as_text(db, desk):
    cid = _numbered(db, desk, facts="宿舍2026年第3号楼漏水，楼下书本被泡。")[0]
    assert _found(db, desk.volunteer, "2026年第3号楼") == [cid]
    assert numbering.normalise_numbers_in("2026年第3号") == "2026年第3号"


def test_the_command_line_and_render_normalise_the_same_way(db, desk, tmp_path, capsys, monkeypatch):
    if db.dialect != "sqlite":
        pytest.skip("the command line is tested on a SQLite file")
    cid, number = _numbered(db, desk)
    url = db.url
    typed = number.replace("（", "(").replace("）", ") ").replace("第00", "第 ")
    monkeypatch.setattr(sys, "stdin", io.StringIO("Qiushi-Lake-42\n"))
    assert cli.main(["--db", url, "search", typed, "--as", "volunteer", "--as-password-stdin"]) == 0
    out = capsys.readouterr().out
    assert number in out
    from mediation.cli.documents import find_case_id

    with db.read() as s:
        assert find_case_id(s, desk.officer, typed) == cid


def test_an_imported_number_is_stored_normalised(db, desk):
    from mediation.services.transfer.clean import clean_case  # noqa: F401 - the import path parses it

    parsed = numbering.parse_case_number("(2025) X警校调字 第 7 号")
    assert parsed == (2025, "X警校调字", 7)
    assert numbering.format_case_number(*parsed) == "（2025）X警校调字第007号"


def test_a_prefix_typed_full_width_is_stored_as_numbers_are_searched(db, desk):
    with db.write() as s:
        other = setup.create_desk(s, desk.admin, name="第二联调中心", number_prefix="Ｙ警校调字")
    with db.read() as s:
        assert [d.number_prefix for d in setup.list_desks(s) if d.id == other] == ["Y警校调字"]


# ---------------------------------------------------------------- consultations


def _consult(db: Any, actor: Actor, **kw: Any) -> int:
    data = dict(topic="租房押金不退怎么办", answer="建议先协商，保留收据。", person_name="欧阳春",
                phone="13912345678", question="退租后房东不退押金。")
    data.update(kw)
    with db.write() as s:
        return consultations.log_consultation(s, actor, ConsultationInput(**data))  # type: ignore[arg-type]


def test_consultations_are_found_by_search(db, desk):
    a = _consult(db, desk.volunteer)
    b = _consult(db, desk.volunteer, person_name="王五", phone="13800001111", topic="电动车被撞如何索赔",
                 question="电动车停在楼下被撞。")
    with db.write() as s:
        other = setup.create_desk(s, desk.admin, name="第二联调中心", number_prefix="Y警校调字")
    elsewhere = Actor(desk.volunteer.user_id, "v2", "v2", "volunteer", other)
    _consult(db, elsewhere, person_name="欧阳夏")

    def found(query: str, actor: Actor = desk.volunteer) -> list[int]:
        with db.read() as s:
            return [c.id for c in search.find_consultations(s, actor, query)]

    assert found("欧阳") == [a]                      # two characters: the asker's name
    assert found("王") == [b]
    assert found("押金不退") == [a]                   # 3+: topic, question, answer
    assert found("电动车 王五") == [b]
    assert found("1391234") == [a]                   # phone
    assert found("12") == [a]                        # two digits: in the phone, checked on the row
    assert found("没有这件事") == []
    with db.read() as s:
        hit = search.find_consultations(s, desk.volunteer, "欧阳")[0]
    assert hit.phone_masked == "139****5678"         # masked as everywhere
    assert found("欧阳", desk.admin) == sorted(found("欧阳", desk.admin), reverse=True)
    assert len(found("欧阳", desk.admin)) == 2        # every desk for the administrator


# ---------------------------------------------------------------- ID numbers


def test_search_by_id_number_full_or_last_six_masked_and_audited(db, desk):
    wanted = make_id(dt.date(1999, 3, 4), 777)
    a = _numbered(db, desk, parties=[person("applicant", "赵六", birth=dt.date(1999, 3, 4), seq=777),
                                     person("respondent", "钱七", seq=778)])[0]
    _numbered(db, desk)

    def by_id(value: str, actor: Actor = desk.volunteer) -> list[caselist.CaseRow]:
        with db.write() as s:
            return caselist.search_id_number(s, actor, value)

    assert [r.id for r in by_id(wanted)] == [a]
    assert [r.id for r in by_id(wanted[-6:])] == [a]
    assert [r.id for r in by_id(" " + wanted[-6:].lower() + " ")] == [a]  # an x typed small, spaces
    assert by_id("000000") == []
    row = by_id(wanted)[0]
    assert wanted not in repr(row) and wanted[-6:] not in row.parties  # nothing of the number shown
    with db.read() as s:
        rows = s.scalars(select(AuditLog.after).where(AuditLog.action == "case.search_id_number")
                         .order_by(AuditLog.id)).all()
    assert len(rows) == 5  # every search, found or not
    text_ = " ".join(str(r) for r in rows)
    assert wanted not in text_ and wanted[-6:] not in text_  # the audit keeps it masked
    assert rows[0]["found"] == 1 and rows[0]["case_ids"] == [a]
    assert rows[1]["kind"] == "tail" and rows[3]["found"] == 0
    with db.read() as s:  # in the searcher's desk chain, and the chain still verifies
        desks = set(s.scalars(select(AuditLog.desk_id).where(AuditLog.action == "case.search_id_number")))
        assert desks == {desk.volunteer.desk_id}
        assert audit.verify(s).ok
    for bad in ("12345", "abc", "1234567", ""):
        with pytest.raises(ValidationError) as exc:
            by_id(bad)
        assert exc.value.errors and "id_number" in exc.value.errors
    # Another desk's officer does not find this desk's case.
    with db.write() as s:
        other = setup.create_desk(s, desk.admin, name="第二联调中心", number_prefix="Y警校调字")
    assert by_id(wanted, Actor(desk.officer.user_id, "o2", "o2", "officer", other)) == []
    with pytest.raises(PermissionDenied):
        by_id(wanted, Actor(desk.volunteer.user_id, "x", "x", "guest", desk.desk_id))


def test_reindex_command_rebuilds_the_same_tables(db, desk, capsys, monkeypatch):
    if db.dialect != "sqlite":
        pytest.skip("the command line is tested on a SQLite file")
    _numbered(db, desk, parties=[person("applicant", "欧阳䶮", seq=1), person("respondent", "李四", seq=2)])
    with db.read() as s:
        before = sorted(s.execute(text("SELECT * FROM search_gram")).all())
    with db.write() as s:
        s.execute(text("DELETE FROM search_gram"))
    assert _found(db, desk.volunteer, "欧阳") == []  # the index is gone: nothing found
    monkeypatch.setattr(sys, "stdin", io.StringIO("Harbor-Maple-2718\n"))
    assert cli.main(["--db", db.url, "db", "reindex", "--as", "admin", "--as-password-stdin"]) == 0
    assert "已重建搜索索引" in capsys.readouterr().out
    with db.read() as s:
        assert sorted(s.execute(text("SELECT * FROM search_gram")).all()) == before
        assert s.scalar(select(AuditLog.action).order_by(AuditLog.id.desc()).limit(1)) == "db.reindex"
    assert len(_found(db, desk.volunteer, "欧阳")) == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO("Qiushi-Lake-42\n"))
    assert cli.main(["--db", db.url, "db", "reindex", "--as", "volunteer", "--as-password-stdin"]) != 0


def test_consultations_in_many_are_walked_and_found_the_same(db, desk, monkeypatch):
    """A 3+ term in many consultations is checked on each row of the newest-first walk
    (issue 13): the same consultations, in the same order, as through the FTS5 set."""
    ids = [_consult(db, desk.volunteer, topic=f"押金不退第{i}回", person_name="欧阳" + "春夏秋冬雪"[i]) for i in range(5)]
    others = [_consult(db, desk.volunteer, topic="电动车被撞", question="楼下", answer="报警。") for _ in range(3)]
    with db.write() as s:
        other = setup.create_desk(s, desk.admin, name="第三联调中心", number_prefix="Z警校调字")
    _consult(db, Actor(desk.volunteer.user_id, "v3", "v3", "volunteer", other))  # another desk's 押金不退

    def found(query: str) -> list[int]:
        with db.read() as s:
            return [c.id for c in search.find_consultations(s, desk.volunteer, query)]

    queries = ("押金不退", "押金 欧阳", "电动车被撞", "不退第3回", "押金不退 电动车")
    few = [found(q) for q in queries]
    monkeypatch.setattr(search, "PROBE_CAP", 2)  # now "many": walked, checked on each row
    many = [found(q) for q in queries]
    assert few == many
    assert few[0] == sorted(ids, reverse=True) and few[2] == sorted(others, reverse=True)
    assert few[3] == [ids[3]] and few[4] == []
