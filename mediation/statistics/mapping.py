"""Which row of an official table a desk's category, sub-type or source counts in.

The mapping in force for a period is read from ``stat_mapping`` (per item, the newest
row valid on the period's last day; a sub-type's own row before its category's). An
item that was never mapped counts by the default for its label (``rules.DEFAULT_BY_LABEL``)
and otherwise in 其他; filing a report writes those defaults down (:func:`freeze`), so
a later rename or re-mapping does not move a filed report's figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from mediation.models import CaseSource, DisputeCategory, DisputeSubtype, StatMapping
from mediation.statistics import rules

Desks = frozenset[int] | None
"""A set of desk ids; None: every desk."""


def _in_desks(column: Any, desks: Desks) -> list[ColumnElement[bool]]:
    return [] if desks is None else [column.in_(sorted(desks))]


@dataclass
class Resolver:
    """The rows of one kind of mapping, for a set of desks on one day."""

    kind: str
    explicit: dict[tuple[int, int | None], str] = field(default_factory=dict)
    category_labels: dict[int, str] = field(default_factory=dict)
    subtype_labels: dict[int, str] = field(default_factory=dict)
    source_labels: dict[int, str] = field(default_factory=dict)

    def _default(self, *labels: str) -> str:
        table = rules.DEFAULT_BY_LABEL[self.kind]
        for label in labels:
            if label in table:
                return table[label]
        return rules.FALLBACK[self.kind]

    def category_row(self, category_id: int | None, subtype_id: int | None) -> str | None:
        """people_row / campus_row: the row of a case of this category and sub-type (None: no category)."""
        if category_id is None:
            return None
        if subtype_id is not None and (category_id, subtype_id) in self.explicit:
            return self.explicit[(category_id, subtype_id)]
        if self.kind == "campus_row" and subtype_id is not None:
            # the campus rows are about sub-types: an unmapped sub-type goes by its own word first
            found = rules.DEFAULT_BY_LABEL[self.kind].get(self.subtype_labels.get(subtype_id, ""))
            if found:
                return found
        if (category_id, None) in self.explicit:
            return self.explicit[(category_id, None)]
        return self._default(self.category_labels.get(category_id, ""))

    def source_row(self, source_id: int | None) -> str:
        """people_source / police_source: a case without a source counts as 依申请 / 其他."""
        if source_id is None:
            return rules.FALLBACK[self.kind]
        if (source_id, None) in self.explicit:
            return self.explicit[(source_id, None)]
        return self._default(self.source_labels.get(source_id, ""))


def resolver(session: Session, desks: Desks, kind: str, on: dt.date) -> Resolver:
    """The mapping of ``kind`` in force on ``on`` (kept for the rest of a read session: a table
    asks for the same one several times)."""
    if session.info.get("write"):
        return _resolver(session, desks, kind, on)
    cache = session.info.setdefault("statistics_resolvers", {})
    key = (kind, desks, on)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _resolver(session, desks, kind, on)
    return found  # type: ignore[no-any-return]


def _resolver(session: Session, desks: Desks, kind: str, on: dt.date) -> Resolver:
    rows = session.execute(
        select(StatMapping.item_id, StatMapping.subtype_id, StatMapping.code)
        .where(StatMapping.kind == kind, StatMapping.valid_from <= on, *_in_desks(StatMapping.desk_id, desks))
        .order_by(StatMapping.valid_from, StatMapping.id)).all()
    r = Resolver(kind, {(item, sub): code for item, sub, code in rows})
    if kind in ("people_row", "campus_row"):
        r.category_labels = dict(session.execute(
            select(DisputeCategory.id, DisputeCategory.label).where(*_in_desks(DisputeCategory.desk_id, desks))).all())
        r.subtype_labels = dict(session.execute(
            select(DisputeSubtype.id, DisputeSubtype.label).where(*_in_desks(DisputeSubtype.desk_id, desks))).all())
    else:
        r.source_labels = dict(session.execute(
            select(CaseSource.id, CaseSource.label).where(*_in_desks(CaseSource.desk_id, desks))).all())
    return r


@dataclass(frozen=True)
class MappingRow:
    """One item of a desk's lists and the row it counts in now (what the administrator sees)."""

    kind: str
    item_id: int
    subtype_id: int | None
    label: str
    code: str
    explicit: bool


def current(session: Session, desk_id: int, kind: str, on: dt.date) -> list[MappingRow]:
    """Every item of the desk for ``kind`` with the row it maps to on ``on``."""
    r = resolver(session, frozenset({desk_id}), kind, on)
    out: list[MappingRow] = []
    if kind in ("people_source", "police_source"):
        for sid, label in session.execute(select(CaseSource.id, CaseSource.label).where(
                CaseSource.desk_id == desk_id).order_by(CaseSource.sort_order, CaseSource.id)).all():
            out.append(MappingRow(kind, sid, None, label, r.source_row(sid), (sid, None) in r.explicit))
        return out
    cats = session.execute(select(DisputeCategory.id, DisputeCategory.label).where(
        DisputeCategory.desk_id == desk_id).order_by(DisputeCategory.sort_order, DisputeCategory.id)).all()
    subs = session.execute(select(DisputeSubtype.id, DisputeSubtype.category_id, DisputeSubtype.label).where(
        DisputeSubtype.desk_id == desk_id).order_by(DisputeSubtype.sort_order, DisputeSubtype.id)).all()
    for cid, label in cats:
        out.append(MappingRow(kind, cid, None, label, r.category_row(cid, None) or rules.OTHER,
                              (cid, None) in r.explicit))
        for sid, parent, sub_label in subs:
            if parent == cid:
                out.append(MappingRow(kind, cid, sid, f"{label} / {sub_label}", r.category_row(cid, sid) or rules.OTHER,
                                      (cid, sid) in r.explicit))
    return out


def freeze(session: Session, desk_id: int, on: dt.date, user_id: int | None,
           kinds: Iterable[str] = tuple(rules.MAPPING_KINDS)) -> int:
    """Write down, valid from ``on``, the default row of every item not mapped yet; how many."""
    added = 0
    for kind in kinds:
        for row in current(session, desk_id, kind, on):
            # people_row: a sub-type follows its category unless mapped on its own
            if not row.explicit and not (kind == "people_row" and row.subtype_id is not None):
                session.add(StatMapping(desk_id=desk_id, kind=kind, item_id=row.item_id, subtype_id=row.subtype_id,
                                        code=row.code, valid_from=dt.date(2000, 1, 1), set_by_id=user_id))
                added += 1
    session.flush()
    return added


def seed_item(session: Session, desk_id: int, kind: str, item_id: int, label: str,
              category_id: int | None = None) -> None:
    """A new item of a desk's lists gets its rows in the official tables by its label now
    (valid from 2000-01-01), so a later rename does not move it (called as it is created)."""
    table = rules.DEFAULT_BY_LABEL

    def add(mkind: str, item: int, sub: int | None, code: str) -> None:
        session.add(StatMapping(desk_id=desk_id, kind=mkind, item_id=item, subtype_id=sub, code=code,
                                valid_from=dt.date(2000, 1, 1)))

    if kind == "category":
        add("people_row", item_id, None, table["people_row"].get(label, rules.FALLBACK["people_row"]))
        if label in table["campus_row"]:
            add("campus_row", item_id, None, table["campus_row"][label])
    elif kind == "subtype" and category_id is not None:
        if label in table["campus_row"]:
            add("campus_row", category_id, item_id, table["campus_row"][label])
    elif kind == "source":
        for mkind in ("people_source", "police_source"):
            add(mkind, item_id, None, table[mkind].get(label, rules.FALLBACK[mkind]))
