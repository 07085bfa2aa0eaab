"""The keyed audit chain's format and its verification, apart from any session or file.

Format ``mediation-audit/1`` (frozen: revision 0006 and every verifier depend on it).
Each row of a chain is MACed as HMAC-SHA256(key, payload) in lowercase hex, where the
payload is the UTF-8 of the compact JSON array (keys of objects sorted, no spaces,
non-ASCII kept)::

    ["mediation-audit/1", desk_id, seq, at, user_id, action, entity, entity_id,
     case_id, before, after, prev_hash, key_id]

``at`` is the UTC moment in ISO 8601 (``2026-12-06T04:00:00.123456+00:00``),
``prev_hash`` the previous row's hash (64 zeros for the first row), ``desk_id`` null
for the chain of events of no desk. The key named ``key_id`` lives outside the
database (:mod:`mediation.keys`). A key rotation is itself a row (action
``audit.key_rotate``, made with the old key, ``after.new_key_id`` naming the new one);
every later row of the chain must use the new key.

A *checkpoint* (anchor) states that a chain once had ``n`` rows whose last hash was
``head``; the chain is named by its ``genesis`` (the hash of its first row), so a
checkpoint also shows when a chain was wiped and started again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mediation.i18n import _

FORMAT = "mediation-audit/1"
GENESIS = "0" * 64
ROTATE_ACTION = "audit.key_rotate"
CONVERT_ACTION = "audit.chain_converted"


def at_text(at: dt.datetime | str) -> str:
    """The moment as it is MACed: UTC, ISO 8601 (naive values are UTC, as stored)."""
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat()


def payload(*, desk_id: int | None, seq: int, at: dt.datetime | str, user_id: int | None, action: str,
            entity: str, entity_id: int | None, case_id: int | None, before: Any, after: Any,
            prev_hash: str, key_id: str) -> bytes:
    return json.dumps(
        [FORMAT, desk_id, seq, at_text(at), user_id, action, entity, entity_id, case_id, before, after,
         prev_hash, key_id],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    ).encode("utf-8")


def mac(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Row:
    """One audit row as the verifier reads it (from the ORM, raw SQL, or a backup)."""

    id: int
    desk_id: int | None
    seq: int
    at: dt.datetime | str
    user_id: int | None
    action: str
    entity: str
    entity_id: int | None
    case_id: int | None
    before: Any
    after: Any
    prev_hash: str
    hash: str
    key_id: str

    def digest(self, key: bytes) -> str:
        return mac(key, payload(desk_id=self.desk_id, seq=self.seq, at=self.at, user_id=self.user_id,
                                action=self.action, entity=self.entity, entity_id=self.entity_id,
                                case_id=self.case_id, before=self.before, after=self.after,
                                prev_hash=self.prev_hash, key_id=self.key_id))


@dataclass(frozen=True)
class Head:
    count: int
    last_hash: str
    genesis: str | None
    key_id: str | None


@dataclass(frozen=True)
class Checkpoint:
    """A chain's state as written down somewhere outside its database."""

    desk_id: int | None
    genesis: str
    n: int
    head: str
    at: str = ""
    """When it was written (ISO 8601), if known."""
    source: str = ""
    """Where it was found, for messages: the anchor file, a backup, a final document…"""

    def text(self) -> str:
        """One line for paper (a report, a document): ``audit:<desk or ->:<n>:<genesis16>:<head>``."""
        desk = "-" if self.desk_id is None else str(self.desk_id)
        return f"audit:{desk}:{self.n}:{self.genesis[:16]}:{self.head}"


@dataclass(frozen=True)
class Problem:
    seq: int | None
    kind: str
    """missing | duplicate | link | edited | key_unknown | key_switch | head | wiped | anchor_missing | anchor_mismatch."""
    message: str


@dataclass
class AnchorResult:
    checkpoint: Checkpoint
    status: str
    """passed | failed | superseded (rolled back by a restore) | other_chain."""
    message: str = ""


@dataclass
class ChainReport:
    desk_id: int | None
    rows: int = 0
    verified: int = 0
    genesis: str | None = None
    head: str = GENESIS
    problems: list[Problem] = field(default_factory=list)
    anchors: list[AnchorResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(a.status != "failed" for a in self.anchors)


def _when(iso: str) -> str:
    from mediation.timeutil import fmt_local

    try:
        return fmt_local(dt.datetime.fromisoformat(iso))
    except ValueError:
        return iso


def chain_name(desk_id: int | None) -> str:
    return _("无调解点的记录") if desk_id is None else _("调解点 {d}").format(d=desk_id)


def walk(desk_id: int | None, batches: Iterable[Sequence[Row]], head: Head | None,
         keys: Callable[[str], bytes | None], *, wanted: Iterable[int] = ()) -> tuple[ChainReport, dict[int, str]]:
    """Verify one chain's rows (in ``seq`` order, in batches) against its head.

    Stops at the first problem. Returns the report and the hashes of the rows at the
    positions in ``wanted`` (for checkpoints).
    """
    report = ChainReport(desk_id)
    want = set(wanted)
    found: dict[int, str] = {}
    prev = GENESIS
    expected_seq = 1
    expected_key: str | None = None
    broken = False
    for batch in batches:
        for row in batch:
            report.rows += 1
            if row.seq in want:
                found.setdefault(row.seq, row.hash)
            if broken:
                continue
            if row.seq != expected_seq:
                if row.seq > expected_seq:
                    report.problems.append(Problem(expected_seq, "missing", _("第 {n} 条记录缺失。").format(
                        n=expected_seq)))
                else:
                    report.problems.append(Problem(row.seq, "duplicate", _("第 {n} 条记录重复出现（插入了伪造的记录）。").format(
                        n=row.seq)))
                broken = True
                continue
            key = keys(row.key_id)
            if key is None:
                report.problems.append(Problem(row.seq, "key_unknown", _(
                    "第 {n} 条记录所用的密钥（编号 {k}）不在本机的密钥文件中：无法证明它未被伪造。"
                    "若这是本机换用新电脑前的密钥，请从恢复单导入（mediation keys import）。").format(
                    n=row.seq, k=row.key_id)))
                broken = True
                continue
            if expected_key is not None and row.key_id != expected_key:
                report.problems.append(Problem(row.seq, "key_switch", _(
                    "第 {n} 条记录换用了另一把密钥（编号 {k}），但链中没有换钥记录。").format(n=row.seq, k=row.key_id)))
                broken = True
                continue
            if row.prev_hash != prev:
                report.problems.append(Problem(row.seq, "link", _(
                    "第 {n} 条记录与上一条记录的链接断开（之前的记录被删除、插入或替换）。").format(n=row.seq)))
                broken = True
                continue
            if not hmac.compare_digest(row.digest(key), row.hash):
                report.problems.append(Problem(row.seq, "edited", _(
                    "第 {n} 条记录的内容与其校验值不符（被修改或伪造）。").format(n=row.seq)))
                broken = True
                continue
            if row.seq == 1:
                report.genesis = row.hash
            expected_key = (str(row.after.get("new_key_id")) if row.action == ROTATE_ACTION
                            and isinstance(row.after, dict) and row.after.get("new_key_id") else row.key_id)
            if row.action == CONVERT_ACTION and isinstance(row.after, dict) and row.after.get("legacy_intact") is False:
                report.notes.append(_("本链由旧版（未加密钥）审计日志转换而来；转换时旧日志已在第 {id} 条处断开。").format(
                    id=row.after.get("legacy_first_bad")))
            prev = row.hash
            report.verified += 1
            expected_seq += 1
    report.head = prev
    if broken:
        return report, found
    if head is None:
        if report.rows:
            report.problems.append(Problem(None, "head", _("链头（audit_head）缺失：被删除。")))
        return report, found
    if head.count > report.rows:
        report.problems.append(Problem(report.rows + 1, "missing", _(
            "第 {n} 条记录缺失：链头记载共 {h} 条，日志只有 {c} 条（末尾的记录被删除，或链头被修改）。").format(
            n=report.rows + 1, h=head.count, c=report.rows)))
    elif head.count < report.rows:
        report.problems.append(Problem(None, "head", _(
            "链头（audit_head）被修改：记载 {h} 条，日志有 {c} 条。").format(h=head.count, c=report.rows)))
    elif head.last_hash != prev:
        report.problems.append(Problem(None, "head", _(
            "链头（audit_head）被修改：其校验值与第 {n} 条记录不符。").format(n=report.rows)))
    elif report.rows and head.genesis != report.genesis:
        report.problems.append(Problem(None, "head", _("链头（audit_head）被修改：链的起点与第 1 条记录不符。")))
    elif report.rows and expected_key is not None and head.key_id != expected_key:
        report.problems.append(Problem(None, "head", _("链头（audit_head）被修改：所记的密钥编号与链中不符。")))
    return report, found


Restores = dict[int | None, list[tuple[str, int, str]]]
"""Chain → every restore recorded in the anchor file: (time, rows restored, genesis restored)."""


def rolled_back_by(cp: Checkpoint, restores: Sequence[tuple[str, int, str]]) -> tuple[str, int, str] | None:
    """The later restore that took the chain back before ``cp`` (or onto another chain), if any:
    a checkpoint survives a restore only if the rows it vouches for were restored."""
    for restore in restores:
        if cp.at and cp.at < restore[0] and (cp.n > restore[1] or cp.genesis != restore[2]):
            return restore
    return None


def check_anchors(report: ChainReport, checkpoints: Sequence[Checkpoint], hashes: dict[int, str],
                  *, restored: Restores | None = None) -> None:
    """Compare ``checkpoints`` of this chain with what the walk found; results into ``report``.

    Checkpoints written before a restore, beyond the rows it restored, were rolled back by
    it and are reported as such, not as failures (see :func:`rolled_back_by`).
    """
    restores = (restored or {}).get(report.desk_id, [])
    for cp in checkpoints:
        restore = rolled_back_by(cp, restores)
        if restore is not None:
            report.anchors.append(AnchorResult(cp, "superseded", _("已被 {t} 的恢复回退（不再适用）。").format(
                t=_when(restore[0]))))
            continue
        if report.genesis is None and report.rows == 0:
            report.anchors.append(AnchorResult(cp, "failed", _(
                "整条链被清空：{src}记载曾有 {n} 条记录，现在一条也没有（第 1 条记录缺失）。").format(src=cp.source, n=cp.n)))
            continue
        if report.genesis is not None and cp.genesis != report.genesis:
            report.anchors.append(AnchorResult(cp, "failed", _(
                "整条链被替换：{src}记载的链（{n} 条记录）与现在的链起点不同（旧链被清空后重写）。").format(
                src=cp.source, n=cp.n)))
            continue
        if cp.n > report.rows:
            report.anchors.append(AnchorResult(cp, "failed", _(
                "第 {first} 条记录缺失：{src}记载至少有 {n} 条，日志只有 {c} 条（末尾的记录被删除）。").format(
                first=report.rows + 1, src=cp.source, n=cp.n, c=report.rows)))
            continue
        found = hashes.get(cp.n)
        if found is None:
            report.anchors.append(AnchorResult(cp, "failed", _("第 {n} 条记录缺失（{src}记载了它）。").format(
                n=cp.n, src=cp.source)))
        elif found != cp.head:
            report.anchors.append(AnchorResult(cp, "failed", _(
                "第 {n} 条记录与{src}不符：链被改写（记录被修改后重新计算了校验值）。").format(n=cp.n, src=cp.source)))
        else:
            report.anchors.append(AnchorResult(cp, "passed"))
