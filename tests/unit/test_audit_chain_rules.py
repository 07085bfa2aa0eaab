"""The keyed audit chain's format and its verifier, apart from any database (issue 17).

The format is pinned by a payload and a digest written down once (the hand-written
payload below follows the format's documentation; the digest is HMAC-SHA256 of it under
a fixed key, computed when this test was written and kept): an accidental change of key
order, separators or time conversion would make every existing database fail to verify.
Then the verifier is run against every single-row edit, deletion and reordering of
random logs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import os
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediation.audit_chain import (
    CONVERT_ACTION,
    GENESIS,
    ROTATE_ACTION,
    ChainReport,
    Checkpoint,
    Head,
    Row,
    at_text,
    chain_name,
    check_anchors,
    mac,
    payload,
    rolled_back_by,
    walk,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
KEYS = {"k-2026": KEY, "k-2027": OTHER_KEY}

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
KNOWN_PAYLOAD = (
    '["mediation-audit/1",3,2,"2026-12-06T04:00:00.123456+00:00",7,"case.update","case",42,42,'
    '{"amount":"2500.00","status":"accepted"},{"status":"agreed","备注":"双方同意"},'
    '"abababababababababababababababababababababababababababababababab","k-2026"]'
).encode()
KNOWN_DIGEST = "25a48e17d3e9f09ab3b42a9d11e97b23aa6e0dcb4004ad6065687c54bdb054e7"
NO_DESK_PAYLOAD = (
    '["mediation-audit/1",null,1,"2026-12-06T04:00:00+00:00",null,"calendar.set","holiday",null,null,'
    'null,{"day":"2031-05-06"},"' + "0" * 64 + '","k-2026"]'
).encode()
NO_DESK_DIGEST = "6f9589f1b601c43095be06b79043605c07f693a66c8ee79dfbe36e9fdf3fded8"


def _known(at: dt.datetime | str) -> bytes:
    return payload(desk_id=3, seq=2, at=at, user_id=7, action="case.update", entity="case", entity_id=42,
                   case_id=42, before={"status": "accepted", "amount": "2500.00"},
                   after={"status": "agreed", "备注": "双方同意"}, prev_hash="ab" * 32, key_id="k-2026")


def test_the_fixed_digest_is_hmac_sha256_of_the_documented_payload() -> None:
    assert hmac.new(KEY, KNOWN_PAYLOAD, hashlib.sha256).hexdigest() == KNOWN_DIGEST
    assert hmac.new(KEY, NO_DESK_PAYLOAD, hashlib.sha256).hexdigest() == NO_DESK_DIGEST


@pytest.mark.parametrize("tz", ["UTC", "Asia/Shanghai"])
def test_a_row_is_maced_in_the_frozen_format(tz: str, shanghai_clock: None) -> None:
    os.environ["TZ"] = tz
    time.tzset()
    # The same moment given in Beijing time, in UTC, and as the naive UTC value the database stores.
    for at in (dt.datetime(2026, 12, 6, 12, 0, 0, 123456, tzinfo=SHANGHAI),
               dt.datetime(2026, 12, 6, 4, 0, 0, 123456, tzinfo=dt.UTC),
               dt.datetime(2026, 12, 6, 4, 0, 0, 123456),
               "2026-12-06T04:00:00.123456",
               "2026-12-06T12:00:00.123456+08:00"):
        assert _known(at) == KNOWN_PAYLOAD, at
        assert mac(KEY, _known(at)) == KNOWN_DIGEST
    row = payload(desk_id=None, seq=1, at=dt.datetime(2026, 12, 6, 4, 0), user_id=None, action="calendar.set",
                  entity="holiday", entity_id=None, case_id=None, before=None, after={"day": "2031-05-06"},
                  prev_hash=GENESIS, key_id="k-2026")
    assert row == NO_DESK_PAYLOAD and mac(KEY, row) == NO_DESK_DIGEST


def test_moments_are_written_in_utc(shanghai_clock: None) -> None:
    assert at_text(dt.datetime(2026, 1, 1, 7, 59, tzinfo=SHANGHAI)) == "2025-12-31T23:59:00+00:00"
    assert at_text("2026-01-01T00:00:00") == "2026-01-01T00:00:00+00:00"
    assert GENESIS == "0" * 64


def test_a_checkpoint_line_for_paper() -> None:
    cp = Checkpoint(3, "f" * 64, 12, "a" * 64)
    assert cp.text() == "audit:3:12:ffffffffffffffff:" + "a" * 64
    assert Checkpoint(None, "0123456789abcdef" * 4, 1, "b" * 64).text() == "audit:-:1:0123456789abcdef:" + "b" * 64
    assert chain_name(None) == "无调解点的记录" and chain_name(5) == "调解点 5"


# ---------------------------------------------------------------- building logs


@dataclasses.dataclass
class Entry:
    action: str
    user_id: int | None
    entity_id: int | None
    after: Any
    key_id: str = "k-2026"


def build(desk_id: int | None, entries: list[Entry], start: dt.datetime | None = None) -> list[Row]:
    """A chain as an honest writer makes it."""
    rows: list[Row] = []
    prev = GENESIS
    at = start or dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    for i, e in enumerate(entries, start=1):
        moment = at + dt.timedelta(minutes=i)
        digest = mac(KEYS[e.key_id], payload(desk_id=desk_id, seq=i, at=moment, user_id=e.user_id,
                                             action=e.action, entity="case", entity_id=e.entity_id,
                                             case_id=e.entity_id, before=None, after=e.after, prev_hash=prev,
                                             key_id=e.key_id))
        rows.append(Row(i, desk_id, i, moment, e.user_id, e.action, "case", e.entity_id, e.entity_id, None,
                        e.after, prev, digest, e.key_id))
        prev = digest
    return rows


def head_of(rows: list[Row]) -> Head:
    return Head(len(rows), rows[-1].hash if rows else GENESIS, rows[0].hash if rows else None,
                rows[-1].key_id if rows else None)


def run(rows: list[Row], head: Head | None, *, batch: int = 3, wanted: tuple[int, ...] = ()) -> tuple[ChainReport, dict[int, str]]:
    batches = [rows[i:i + batch] for i in range(0, len(rows), batch)]
    return walk(rows[0].desk_id if rows else None, batches, head, KEYS.get, wanted=wanted)


def rehash(row: Row, key: bytes = KEY, **changes: Any) -> Row:
    """``row`` changed, with its own hash recomputed (by someone who has ``key``)."""
    changed = dataclasses.replace(row, **changes)
    return dataclasses.replace(changed, hash=changed.digest(key))


def rechain(rows: list[Row], key: bytes = KEY) -> list[Row]:
    """Renumber and relink every row and recompute every hash: a forger with the key."""
    out: list[Row] = []
    prev = GENESIS
    for i, r in enumerate(rows, start=1):
        r = rehash(r, key, seq=i, prev_hash=prev)
        out.append(r)
        prev = r.hash
    return out


entries = st.lists(
    st.builds(Entry,
              action=st.sampled_from(["case.register", "case.update", "party.add", "document.final"]),
              user_id=st.one_of(st.none(), st.integers(1, 50)),
              entity_id=st.one_of(st.none(), st.integers(1, 10**6)),
              after=st.one_of(st.none(), st.dictionaries(st.sampled_from(["status", "金额", "note"]),
                                                         st.text(max_size=5), max_size=3))),
    min_size=1, max_size=8,
)


# ---------------------------------------------------------------- an intact chain


@settings(max_examples=60, deadline=None)
@given(entries, st.sampled_from([None, 1, 7]), st.integers(1, 4))
def test_an_intact_chain_verifies_in_any_batching(log: list[Entry], desk_id: int | None, batch: int) -> None:
    rows = build(desk_id, log)
    report, hashes = run(rows, head_of(rows), batch=batch, wanted=tuple(range(1, len(rows) + 1)))
    assert report.ok and report.problems == []
    assert (report.rows, report.verified) == (len(rows), len(rows))
    assert report.genesis == rows[0].hash and report.head == rows[-1].hash
    assert hashes == {r.seq: r.hash for r in rows}
    check_anchors(report, [Checkpoint(desk_id, rows[0].hash, n, rows[n - 1].hash) for n in range(1, len(rows) + 1)],
                  hashes)
    assert [a.status for a in report.anchors] == ["passed"] * len(rows)


def test_an_empty_chain_with_no_head_is_fine() -> None:
    report, hashes = walk(None, [], None, KEYS.get)
    assert report.ok and report.rows == 0 and report.head == GENESIS and hashes == {}


# ---------------------------------------------------------------- every single-row change


def _kinds(report: ChainReport) -> list[str]:
    return [p.kind for p in report.problems]


EDITS: dict[str, Any] = {
    "action": lambda r: {"action": r.action + ".x"},
    "user": lambda r: {"user_id": (r.user_id or 0) + 1},
    "entity": lambda r: {"entity_id": (r.entity_id or 0) + 1},
    "case": lambda r: {"case_id": (r.case_id or 0) + 1},
    "after": lambda r: {"after": {"forged": True}},
    "before": lambda r: {"before": {"forged": True}},
    "at": lambda r: {"at": r.at + dt.timedelta(seconds=1)},
    "desk": lambda r: {"desk_id": (r.desk_id or 0) + 100},
    "entity_name": lambda r: {"entity": "party"},
}


@settings(max_examples=80, deadline=None)
@given(entries, st.data())
def test_every_single_row_edit_is_caught(log: list[Entry], data: st.DataObject) -> None:
    rows = build(4, log)
    head = head_of(rows)
    i = data.draw(st.integers(0, len(rows) - 1), label="row")
    edit = EDITS[data.draw(st.sampled_from(sorted(EDITS)), label="field")](rows[i])
    # Hash left as it was: the row itself is caught.
    forged = [*rows[:i], dataclasses.replace(rows[i], **edit), *rows[i + 1:]]
    report, _ = run(forged, head)
    assert _kinds(report) == ["edited"] and report.problems[0].seq == i + 1
    assert report.verified == i and not report.ok
    # Hash recomputed with a key of the forger's own: still the row.
    forged[i] = rehash(rows[i], b"guessed key", **edit)
    report, _ = run(forged, head)
    assert _kinds(report) == ["edited"] and report.problems[0].seq == i + 1
    # Hash recomputed with the real key but the chain not relinked: the next row's link,
    # or for the last row the head.
    forged[i] = rehash(rows[i], KEY, **edit)
    report, _ = run(forged, head)
    if i + 1 < len(rows):
        assert _kinds(report) == ["link"] and report.problems[0].seq == i + 2
    else:
        assert _kinds(report) == ["head"] and report.verified == len(rows)
    # The whole chain rewritten with the real key and the head fixed: only a checkpoint
    # taken before shows it.
    rewritten = rechain(forged)
    report, hashes = run(rewritten, head_of(rewritten), wanted=(len(rows),))
    assert report.ok
    check_anchors(report, [Checkpoint(4, rows[0].hash, len(rows), rows[-1].hash)], hashes)
    assert [a.status for a in report.anchors] == ["failed"] and not report.ok


@settings(max_examples=80, deadline=None)
@given(entries.filter(lambda e: len(e) >= 2), st.data())
def test_every_single_row_deletion_is_caught(log: list[Entry], data: st.DataObject) -> None:
    rows = build(None, log)
    head = head_of(rows)
    i = data.draw(st.integers(0, len(rows) - 1), label="row")
    gone = rows[:i] + rows[i + 1:]
    report, _ = run(gone, head)
    assert report.problems and report.problems[0].kind == "missing"
    assert report.problems[0].seq == i + 1
    # Renumbered and relinked without the key: the first changed row is caught.
    forged = rechain(gone, b"guessed key")
    report, _ = run(forged, head_of(forged))
    assert report.problems and report.problems[0].kind == "edited"
    # Relinked with the key and the head fixed: the checkpoint of the longer chain fails.
    forged = rechain(gone)
    report, hashes = run(forged, head_of(forged), wanted=(len(rows),))
    check_anchors(report, [Checkpoint(None, rows[0].hash, len(rows), rows[-1].hash)], hashes)
    assert not report.ok and [a.status for a in report.anchors] == ["failed"]


@settings(max_examples=80, deadline=None)
@given(entries.filter(lambda e: len(e) >= 2), st.data())
def test_every_reordering_of_two_rows_is_caught(log: list[Entry], data: st.DataObject) -> None:
    rows = build(2, log)
    head = head_of(rows)
    i = data.draw(st.integers(0, len(rows) - 2), label="first")
    j = data.draw(st.integers(i + 1, len(rows) - 1), label="second")
    # Delivered out of order (the seq numbers moved with the rows).
    swapped = list(rows)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    report, _ = run(swapped, head)
    assert report.problems and report.problems[0].kind == "missing" and report.problems[0].seq == i + 1
    # The rows' contents exchanged but each keeping its place's seq and link.
    moved = list(rows)
    moved[i] = dataclasses.replace(rows[j], seq=rows[i].seq, prev_hash=rows[i].prev_hash, id=rows[i].id)
    moved[j] = dataclasses.replace(rows[i], seq=rows[j].seq, prev_hash=rows[j].prev_hash, id=rows[j].id)
    report, _ = run(moved, head)
    assert report.problems and report.problems[0].kind in {"edited", "link"}
    assert report.problems[0].seq in {i + 1, i + 2}
    assert report.verified <= i + 1 and not report.ok


def test_a_row_inserted_twice_is_a_duplicate() -> None:
    rows = build(1, [Entry("a", 1, 1, None), Entry("b", 1, 1, None), Entry("c", 1, 1, None)])
    report, _ = run([rows[0], rows[1], rows[1], rows[2]], head_of(rows))
    assert _kinds(report) == ["duplicate"] and report.problems[0].seq == 2
    assert report.rows == 4 and report.verified == 2


# ---------------------------------------------------------------- the head


def _three() -> list[Row]:
    return build(1, [Entry("a", 1, 1, None), Entry("b", 2, 2, {"x": 1}), Entry("c", 3, 3, None)])


def test_the_head_must_agree_with_the_rows() -> None:
    rows = _three()
    good = head_of(rows)
    cases = {
        "no head": None,
        "count too high": dataclasses.replace(good, count=4),
        "count too low": dataclasses.replace(good, count=2),
        "last hash": dataclasses.replace(good, last_hash=rows[1].hash),
        "genesis": dataclasses.replace(good, genesis=rows[1].hash),
        "key": dataclasses.replace(good, key_id="k-2027"),
    }
    expected = {"no head": ("head", None), "count too high": ("missing", 4), "count too low": ("head", None),
                "last hash": ("head", None), "genesis": ("head", None), "key": ("head", None)}
    for name, head in cases.items():
        report, _ = run(rows, head)
        assert [(p.kind, p.seq) for p in report.problems] == [expected[name]], name
        assert report.verified == 3
    assert run(rows, good)[0].ok
    assert "共 4 条" in run(rows, cases["count too high"])[0].problems[0].message


# ---------------------------------------------------------------- keys


def test_a_rotation_row_moves_the_chain_to_the_new_key() -> None:
    rows = build(1, [Entry("a", 1, 1, None), Entry(ROTATE_ACTION, 1, None, {"old_key_id": "k-2026", "new_key_id": "k-2027"}),
                     Entry("b", 1, 1, None, key_id="k-2027"), Entry("c", 1, 1, None, key_id="k-2027")])
    assert run(rows, head_of(rows))[0].ok
    # Without the rotation row a change of key is a forgery.
    plain = build(1, [Entry("a", 1, 1, None), Entry("b", 1, 1, None, key_id="k-2027")])
    report, _ = run(plain, head_of(plain))
    assert [(p.kind, p.seq) for p in report.problems] == [("key_switch", 2)]
    # After the rotation the old key is no longer good.
    stale = build(1, [Entry("a", 1, 1, None), Entry(ROTATE_ACTION, 1, None, {"new_key_id": "k-2027"}),
                      Entry("b", 1, 1, None)])
    report, _ = run(stale, head_of(stale))
    assert [(p.kind, p.seq) for p in report.problems] == [("key_switch", 3)]
    # The head must name the key the chain now uses.
    report, _ = run(rows, dataclasses.replace(head_of(rows), key_id="k-2026"))
    assert [p.kind for p in report.problems] == ["head"]


def test_a_row_made_with_a_key_this_pc_does_not_have_cannot_be_vouched_for() -> None:
    rows = build(1, [Entry("a", 1, 1, None), Entry("b", 1, 1, None)])
    report, _ = walk(1, [rows], head_of(rows), lambda key_id: None)
    assert [(p.kind, p.seq) for p in report.problems] == [("key_unknown", 1)]
    assert "k-2026" in report.problems[0].message


def test_a_converted_chain_notes_where_the_old_log_was_broken() -> None:
    rows = build(1, [Entry(CONVERT_ACTION, None, None, {"legacy_intact": False, "legacy_first_bad": 17})])
    report, _ = run(rows, head_of(rows))
    assert report.ok and len(report.notes) == 1 and "17" in report.notes[0]
    intact = build(1, [Entry(CONVERT_ACTION, None, None, {"legacy_intact": True})])
    assert run(intact, head_of(intact))[0].notes == []


# ---------------------------------------------------------------- checkpoints


def test_checkpoints_catch_a_wiped_or_replaced_chain_and_a_cut_tail() -> None:
    rows = _three()
    cp = Checkpoint(1, rows[0].hash, 3, rows[2].hash, source="锚点文件")
    wiped, _ = walk(1, [], None, KEYS.get)
    check_anchors(wiped, [cp], {})
    assert [a.status for a in wiped.anchors] == ["failed"] and "整条链被清空" in wiped.anchors[0].message
    other = build(1, [Entry("z", 9, 9, None)])
    report, hashes = run(other, head_of(other), wanted=(3,))
    check_anchors(report, [cp], hashes)
    assert "整条链被替换" in report.anchors[0].message
    cut, hashes = run(rows[:2], head_of(rows[:2]), wanted=(3,))
    check_anchors(cut, [cp], hashes)
    assert cut.anchors[0].status == "failed" and "第 3 条记录缺失" in cut.anchors[0].message
    ok, hashes = run(rows, head_of(rows), wanted=(2,))
    check_anchors(ok, [Checkpoint(1, rows[0].hash, 2, rows[1].hash)], hashes)
    assert [a.status for a in ok.anchors] == ["passed"]
    check_anchors(ok, [Checkpoint(1, rows[0].hash, 2, rows[0].hash)], hashes)
    assert ok.anchors[-1].status == "failed" and "改写" in ok.anchors[-1].message


def test_a_restore_supersedes_only_the_checkpoints_it_rolled_back() -> None:
    rows = _three()
    restore = ("2026-12-05T10:00:00+00:00", 2, rows[0].hash)
    before_beyond = Checkpoint(1, rows[0].hash, 3, rows[2].hash, at="2026-12-05T09:00:00+00:00")
    before_within = Checkpoint(1, rows[0].hash, 2, rows[1].hash, at="2026-12-05T09:00:00+00:00")
    after = Checkpoint(1, rows[0].hash, 3, rows[2].hash, at="2026-12-05T11:00:00+00:00")
    at_restore = Checkpoint(1, rows[0].hash, 3, rows[2].hash, at=restore[0])
    undated = Checkpoint(1, rows[0].hash, 3, rows[2].hash)
    other_chain = Checkpoint(1, "e" * 64, 1, "f" * 64, at="2026-12-05T09:00:00+00:00")
    assert rolled_back_by(before_beyond, [restore]) == restore
    assert rolled_back_by(other_chain, [restore]) == restore
    for cp in (before_within, after, at_restore, undated):
        assert rolled_back_by(cp, [restore]) is None, cp
    cut, hashes = run(rows[:2], head_of(rows[:2]), wanted=(2, 3))
    check_anchors(cut, [before_beyond, before_within], hashes, restored={1: [restore]})
    assert [a.status for a in cut.anchors] == ["superseded", "passed"] and cut.ok


def test_each_anchor_result_names_its_checkpoint_and_a_restore_says_when_in_beijing_time() -> None:
    rows = _three()
    restore = ("2026-12-05T10:00:00+00:00", 2, rows[0].hash)
    rolled = Checkpoint(1, rows[0].hash, 3, rows[2].hash, at="2026-12-05T09:00:00+00:00")
    kept = Checkpoint(1, rows[0].hash, 2, rows[1].hash, at="2026-12-05T09:00:00+00:00")
    cut, hashes = run(rows[:2], head_of(rows[:2]), wanted=(2, 3))
    check_anchors(cut, [rolled, kept], hashes, restored={1: [restore]})
    assert [a.checkpoint for a in cut.anchors] == [rolled, kept]
    assert cut.anchors[0].message == "已被 2026-12-05 18:00 的恢复回退（不再适用）。"
    odd = ("not a time", 2, rows[0].hash)
    undated_restore, hashes = run(rows[:2], head_of(rows[:2]), wanted=(3,))
    check_anchors(undated_restore, [Checkpoint(1, rows[0].hash, 3, rows[2].hash, at="0")], hashes, restored={1: [odd]})
    assert undated_restore.anchors[0].message == "已被 not a time 的恢复回退（不再适用）。"


def test_every_checkpoint_is_judged_even_after_one_fails_and_the_messages_say_what_each_found() -> None:
    rows = _three()
    first = Checkpoint(1, rows[0].hash, 3, rows[2].hash, source="锚点文件")
    second = Checkpoint(1, rows[0].hash, 2, rows[1].hash, source="备份")
    wiped, _ = walk(1, [], None, KEYS.get)
    check_anchors(wiped, [first, second], {})
    assert [(a.checkpoint, a.status) for a in wiped.anchors] == [(first, "failed"), (second, "failed")]
    assert wiped.anchors[0].message == "整条链被清空：锚点文件记载曾有 3 条记录，现在一条也没有（第 1 条记录缺失）。"
    assert wiped.anchors[1].message == "整条链被清空：备份记载曾有 2 条记录，现在一条也没有（第 1 条记录缺失）。"
    other = build(1, [Entry("z", 9, 9, None)])
    replaced, hashes = run(other, head_of(other))
    check_anchors(replaced, [first, second], hashes)
    assert [(a.checkpoint, a.status) for a in replaced.anchors] == [(first, "failed"), (second, "failed")]
    assert replaced.anchors[1].message == "整条链被替换：备份记载的链（2 条记录）与现在的链起点不同（旧链被清空后重写）。"
    cut, hashes = run(rows[:1], head_of(rows[:1]), wanted=(2, 3))
    check_anchors(cut, [first, second], hashes)
    assert [(a.checkpoint, a.status) for a in cut.anchors] == [(first, "failed"), (second, "failed")]
    assert cut.anchors[0].message == "第 2 条记录缺失：锚点文件记载至少有 3 条，日志只有 1 条（末尾的记录被删除）。"
    assert cut.anchors[1].message == "第 2 条记录缺失：备份记载至少有 2 条，日志只有 1 条（末尾的记录被删除）。"


def test_a_chain_whose_first_row_was_edited_is_not_called_wiped() -> None:
    rows = _three()
    edited = [dataclasses.replace(rows[0], action="forged"), *rows[1:]]
    report, hashes = run(edited, head_of(rows), wanted=(3,))
    check_anchors(report, [Checkpoint(1, rows[0].hash, 3, rows[2].hash)], hashes)
    assert [p.kind for p in report.problems] == ["edited"] and report.genesis is None and report.rows == 3
    assert [a.status for a in report.anchors] == ["passed"]  # the rows it vouches for are there; the edit is reported above
    assert not report.ok


def _five() -> list[Row]:
    return build(1, [Entry(f"a{i}", i, i, None) for i in range(1, 6)])


def test_what_each_problem_says_and_the_walk_still_counts_every_row_after_it() -> None:
    rows = _five()
    cases = [
        ([*rows[:2], *rows[3:]], ("missing", 3, "第 3 条记录缺失。")),
        ([*rows[:3], rows[2], *rows[3:]], ("duplicate", 3, "第 3 条记录重复出现（插入了伪造的记录）。")),
        ([*rows[:2], dataclasses.replace(rows[2], prev_hash=rows[0].hash), *rows[3:]],
         ("link", 3, "第 3 条记录与上一条记录的链接断开（之前的记录被删除、插入或替换）。")),
        ([*rows[:2], dataclasses.replace(rows[2], action="forged"), *rows[3:]],
         ("edited", 3, "第 3 条记录的内容与其校验值不符（被修改或伪造）。")),
    ]
    for forged, (kind, seq, text) in cases:
        report, hashes = run(forged, head_of(rows), batch=10, wanted=(4, 5))
        assert [(p.kind, p.seq, p.message) for p in report.problems] == [(kind, seq, text)]
        assert report.rows == len(forged)
        assert hashes == {4: rows[3].hash, 5: rows[4].hash}


def test_key_problems_name_the_row_and_the_key() -> None:
    plain = build(1, [Entry("a", 1, 1, None), Entry("b", 1, 1, None, key_id="k-2027"), Entry("c", 1, 1, None, key_id="k-2027")])
    report, _ = run(plain, head_of(plain), batch=10)
    assert [(p.kind, p.message) for p in report.problems] == [
        ("key_switch", "第 2 条记录换用了另一把密钥（编号 k-2027），但链中没有换钥记录。")]
    assert report.rows == 3
    report, _ = walk(1, [plain], head_of(plain), lambda key_id: KEY if key_id == "k-2026" else None)
    assert [(p.kind, p.seq) for p in report.problems] == [("key_unknown", 2)]
    assert report.problems[0].message.startswith("第 2 条记录所用的密钥（编号 k-2027）不在本机的密钥文件中")
    assert report.rows == 3


def test_a_checkpoint_of_a_row_missing_in_the_middle_fails_naming_the_row_and_the_source() -> None:
    rows = _five()
    gap = [*rows[:2], *rows[3:]]
    report, hashes = run(gap, head_of(rows), wanted=(3,))
    check_anchors(report, [Checkpoint(1, rows[0].hash, 3, rows[2].hash, source="备份")], hashes)
    (result,) = report.anchors
    assert (result.status, result.message) == ("failed", "第 3 条记录缺失（备份记载了它）。")
    assert result.checkpoint.n == 3
    rewritten = rechain(gap)
    report, hashes = run(rewritten, head_of(rewritten), wanted=(3,))
    cp = Checkpoint(1, rows[0].hash, 3, rows[2].hash, source="锚点文件")
    check_anchors(report, [cp], hashes)
    assert [(a.checkpoint, a.status, a.message) for a in report.anchors] == [
        (cp, "failed", "第 3 条记录与锚点文件不符：链被改写（记录被修改后重新计算了校验值）。")]


def test_only_a_rotation_row_moves_the_chain_to_another_key() -> None:
    # A settings row that merely records a key id changes nothing about the chain's key.
    rows = build(1, [Entry("settings.set", 1, None, {"new_key_id": "k-2027"}), Entry("b", 1, 1, None)])
    assert run(rows, head_of(rows))[0].ok


def test_what_each_head_problem_says() -> None:
    rows = _three()
    good = head_of(rows)
    said = {
        None: "链头（audit_head）缺失：被删除。",
        dataclasses.replace(good, count=5): "第 4 条记录缺失：链头记载共 5 条，日志只有 3 条（末尾的记录被删除，或链头被修改）。",
        dataclasses.replace(good, count=2): "链头（audit_head）被修改：记载 2 条，日志有 3 条。",
        dataclasses.replace(good, last_hash=rows[0].hash): "链头（audit_head）被修改：其校验值与第 3 条记录不符。",
        dataclasses.replace(good, genesis=rows[2].hash): "链头（audit_head）被修改：链的起点与第 1 条记录不符。",
        dataclasses.replace(good, key_id="k-2027"): "链头（audit_head）被修改：所记的密钥编号与链中不符。",
    }
    for head, text in said.items():
        assert [p.message for p in run(rows, head)[0].problems] == [text]
