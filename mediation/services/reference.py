"""Editable reference data: dispute categories, their sub-types and sources (with stable
ids), and the desk settings stored as key/value.

Each desk has its own lists (``mediation.models.reference``), seeded from the defaults
when the desk is created. Cases and consultations store an item's id: renaming an item
changes its label only; an item is retired, never deleted, so the cases that use it keep
it. Forms offer the active items in their order; the administrator adds, renames,
reorders and retires them (each change audited).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation import validation
from mediation.db import require_write
from mediation.errors import NotFound, PermissionDenied, ValidationError
from mediation.i18n import N_, _
from mediation.models import CaseSource, Desk, DisputeCategory, DisputeSubtype, Setting
from mediation.models.reference import LABEL_LENGTH as LABEL_LENGTH  # forms read it from here
from mediation.permissions import Actor, require
from mediation.services import access, audit
from mediation.settings import DEFAULT_CATEGORIES, DEFAULT_SOURCES, clean_setting
from mediation.settings import (
    get_setting as get_setting,  # the read every service and window uses
)
from mediation.timeutil import utcnow

Kind = Literal["category", "subtype", "source"]
KINDS: dict[str, str] = {"category": N_("纠纷类别"), "subtype": N_("具体类型"), "source": N_("纠纷来源")}
Item = DisputeCategory | DisputeSubtype | CaseSource
_MODELS: dict[str, Any] = {"category": DisputeCategory, "subtype": DisputeSubtype, "source": CaseSource}
"""The model of each kind (typed Any: the three share their columns, not a base class)."""


SHARED_KEYS = frozenset({"calendar_version", "calendar_known_years"})
"""Settings of the whole installation that every desk's administrator keeps (the holiday
calendar is one for every desk); every other setting without a desk is changed only by
the installation's administrator."""


def set_setting(session: Session, actor: Actor | None, key: str, value: Any,
                desk_id: int | None = None) -> None:
    """Set ``key`` for ``desk_id`` (None: every desk that has no value of its own).

    ``actor`` None: the program itself (set-up, the calendar's seeding)."""
    require_write(session)
    if actor is not None:
        require(actor, "settings.manage" if key not in SHARED_KEYS else "calendar.manage")
        if desk_id is not None:
            access.check_write(actor, desk_id, Setting, _("您只能修改本调解点的设置。"))
        elif key not in SHARED_KEYS and not actor.writes_every_desk:
            raise PermissionDenied(_("只有全局管理员才能修改所有调解点共用的设置。"))
    value = clean_setting(key, value)
    row = session.scalar(select(Setting).where(Setting.key == key, Setting.desk_id.is_(desk_id)
                                               if desk_id is None else Setting.desk_id == desk_id))
    before = row.value if row else None
    if row is None:
        row = Setting(key=key, desk_id=desk_id, value=value)
        session.add(row)
    else:
        row.value = value
        row.updated_at = utcnow()
    session.flush()
    audit.append(session, desk_id=desk_id, user_id=actor.user_id if actor else None, action="setting.set",
                 entity="setting", entity_id=row.id,
                 before={"key": key, "value": before}, after={"key": key, "value": value})


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class RefItem:
    """One item of a list as forms and the settings show it."""

    id: int
    kind: str
    label: str
    sort_order: int
    active: bool
    category_id: int | None = None
    """Sub-types: the category they refine."""


def _ordered(model: Any) -> list[Any]:
    return [model.sort_order, model.id]


def items(session: Session, actor: Actor, desk_id: int, kind: str, *, include_retired: bool = False,
          category_id: int | None = None) -> list[RefItem]:
    """The desk's items of ``kind`` in their order (sub-types: of ``category_id`` if given),
    for the administrator's editor: the desk must be one the actor reads."""
    if session.get(Desk, desk_id) is None:
        raise access.missing(Desk)
    access.check_read(actor, desk_id, Desk)
    return _items(session, desk_id, kind, include_retired=include_retired, category_id=category_id)


def _items(session: Session, desk_id: int, kind: str, *, include_retired: bool = False,
           category_id: int | None = None) -> list[RefItem]:
    model = _MODELS[kind]
    q = select(model).where(model.desk_id == desk_id)
    if not include_retired:
        q = q.where(model.active.is_(True))
    if kind == "subtype" and category_id is not None:
        q = q.where(DisputeSubtype.category_id == category_id)
    return [RefItem(r.id, kind, r.label, r.sort_order, r.active,
                    r.category_id if isinstance(r, DisputeSubtype) else None)
            for r in session.scalars(q.order_by(*_ordered(model)))]


def _desks_for(session: Session, desk_id: int | None) -> list[int]:
    if desk_id is not None:
        return [desk_id]
    return list(session.scalars(select(Desk.id).order_by(Desk.id)))


def categories(session: Session, desk_id: int | None = None) -> dict[str, list[str]]:
    """Active category labels in order, each with its active sub-type labels (what a form
    offers). Without ``desk_id``: every desk's labels together (importing a ledger)."""
    desks = _desks_for(session, desk_id)
    if not desks:  # nothing set up yet: what a new desk starts with
        return {k: list(v) for k, v in DEFAULT_CATEGORIES.items()}
    out: dict[str, list[str]] = {}
    for desk in desks:
        cats = _items(session, desk, "category")
        subs = _items(session, desk, "subtype")
        for c in cats:
            labels = out.setdefault(c.label, [])
            labels.extend(s.label for s in subs if s.category_id == c.id and s.label not in labels)
    return out


def sources(session: Session, desk_id: int | None = None) -> list[str]:
    """Active source labels in order (without ``desk_id``: every desk's together)."""
    desks = _desks_for(session, desk_id)
    if not desks:
        return list(DEFAULT_SOURCES)
    out: list[str] = []
    for desk in desks:
        out.extend(s.label for s in _items(session, desk, "source") if s.label not in out)
    return out


def set_idle_lock_minutes(session: Session, actor: Actor, minutes: int) -> None:
    set_setting(session, actor, "idle_lock_minutes", minutes, actor.desk_id)  # checked by its rule there


def category_filter(session: Session, actor: Actor) -> list[tuple[str, tuple[int, ...]]]:
    """The case list's category filter: each label the actor's desks use (retired ones too:
    old cases carry them), with the ids it stands for on those desks."""
    q = select(DisputeCategory.label, DisputeCategory.id).order_by(
        DisputeCategory.active.desc(), DisputeCategory.sort_order, DisputeCategory.id)
    desks = actor.readable_desks
    if desks is not None:
        q = q.where(DisputeCategory.desk_id.in_(desks))
    out: dict[str, list[int]] = {}
    for label, item_id in session.execute(q):
        out.setdefault(label, []).append(item_id)
    return [(label, tuple(ids)) for label, ids in out.items()]


def labels(session: Session, model: type[Item], ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {i: label for i, label in session.execute(select(model.id, model.label).where(model.id.in_(wanted)))}


def label_of(session: Session, model: type[Item], item_id: int | None) -> str:
    if item_id is None:
        return ""
    return labels(session, model, [item_id]).get(item_id, "")


# ---------------------------------------------------------------- from a label to an id


def _find_category(session: Session, desk_id: int, label: str) -> DisputeCategory | None:
    return session.scalar(select(DisputeCategory).where(DisputeCategory.desk_id == desk_id,
                                                        DisputeCategory.label == label))


def _find_subtype(session: Session, desk_id: int, category_id: int | None, label: str) -> DisputeSubtype | None:
    q = select(DisputeSubtype).where(DisputeSubtype.desk_id == desk_id, DisputeSubtype.label == label)
    q = q.where(DisputeSubtype.category_id.is_(None) if category_id is None
                else DisputeSubtype.category_id == category_id)
    return session.scalar(q)


def _find_source(session: Session, desk_id: int, label: str) -> CaseSource | None:
    return session.scalar(select(CaseSource).where(CaseSource.desk_id == desk_id, CaseSource.label == label))


@dataclass(frozen=True)
class Classification:
    """A case's category, sub-type and source as ids (None: not given)."""

    category_id: int | None = None
    subcategory_id: int | None = None
    source_id: int | None = None


def classify(session: Session, desk_id: int, *, category: str, subcategory: str, source: str,
             current: Classification | None, v: Any) -> Classification:
    """The ids of the labels a form sent, on the desk's lists.

    A retired item is accepted only where the case already has it (an edit that leaves it
    as it was); messages go to ``v`` (a :class:`~mediation.validation.Collector`) under
    category, subcategory and source.
    """
    cur = current or Classification()
    cat_id = sub_id = src_id = None
    if category:
        cat = _find_category(session, desk_id, category)
        if cat is None or (not cat.active and cat.id != cur.category_id):
            v.add("category", _("未知的纠纷类别“{c}”，请从列表中选择。").format(c=category))
        else:
            cat_id = cat.id
    if subcategory:
        if not category:
            v.add("subcategory", _("请先选择纠纷类别，再选择具体类型。"))
        elif cat_id is not None:
            sub = _find_subtype(session, desk_id, cat_id, subcategory)
            if sub is None or (not sub.active and sub.id != cur.subcategory_id):
                v.add("subcategory", _("“{s}”不是“{c}”下的具体类型，请从列表中选择。").format(
                    s=subcategory, c=category))
            else:
                sub_id = sub.id
    if source:
        src = _find_source(session, desk_id, source)
        if src is None or (not src.active and src.id != cur.source_id):
            v.add("source", _("未知的纠纷来源“{s}”，请从列表中选择。").format(s=source))
        else:
            src_id = src.id
    return Classification(cat_id, sub_id, src_id)


def ensure(session: Session, desk_id: int, *, category: str = "", subcategory: str = "",
           source: str = "") -> Classification:
    """Ids for imported or generated records: a label the desk does not have yet is added
    (retired: the record keeps it, forms do not offer it)."""
    require_write(session)
    cat_id = sub_id = src_id = None
    if category:
        cat = _find_category(session, desk_id, category[:LABEL_LENGTH])
        cat_id = cat.id if cat is not None else _insert(session, desk_id, "category", category, active=False)
    if subcategory:
        sub = _find_subtype(session, desk_id, cat_id, subcategory[:LABEL_LENGTH])
        sub_id = (sub.id if sub is not None
                  else _insert(session, desk_id, "subtype", subcategory, active=False, category_id=cat_id))
    if source:
        src = _find_source(session, desk_id, source[:LABEL_LENGTH])
        src_id = src.id if src is not None else _insert(session, desk_id, "source", source, active=False)
    return Classification(cat_id, sub_id, src_id)


def _next_order(session: Session, desk_id: int, kind: str, category_id: int | None = None) -> int:
    model = _MODELS[kind]
    q = select(func.max(model.sort_order)).where(model.desk_id == desk_id)
    if kind == "subtype":
        q = q.where(DisputeSubtype.category_id.is_(None) if category_id is None
                    else DisputeSubtype.category_id == category_id)
    return int(session.scalar(q) or 0) + 1


def _insert(session: Session, desk_id: int, kind: str, label: str, *, active: bool = True,
            category_id: int | None = None) -> int:
    order = _next_order(session, desk_id, kind, category_id)
    row: Item
    if kind == "category":
        row = DisputeCategory(desk_id=desk_id, label=label[:LABEL_LENGTH], sort_order=order, active=active)
    elif kind == "subtype":
        row = DisputeSubtype(desk_id=desk_id, category_id=category_id, label=label[:LABEL_LENGTH],
                             sort_order=order, active=active)
    else:
        row = CaseSource(desk_id=desk_id, label=label[:LABEL_LENGTH], sort_order=order, active=active)
    session.add(row)
    session.flush()
    from mediation.statistics import mapping  # the statistics sit above the reference lists

    mapping.seed_item(session, desk_id, kind, row.id, row.label, category_id)
    return row.id


def seed_desk(session: Session, desk_id: int) -> None:
    """A new desk's lists: the MoJ categories with the campus sub-types, and the sources."""
    require_write(session)
    for label, subs in DEFAULT_CATEGORIES.items():
        cat_id = _insert(session, desk_id, "category", label)
        for sub in subs:
            _insert(session, desk_id, "subtype", sub, category_id=cat_id)
    for label in DEFAULT_SOURCES:
        _insert(session, desk_id, "source", label)


# ---------------------------------------------------------------- the administrator's edits


def _editable_desk(session: Session, actor: Actor, desk_id: int) -> None:
    require_write(session)
    require(actor, "settings.manage")
    if session.get(Desk, desk_id) is None:
        raise access.missing(Desk)
    access.check_write(actor, desk_id, Desk, _("您只能修改本调解点的设置。"))


def _load(session: Session, actor: Actor, kind: str, item_id: int) -> Item:
    if kind not in _MODELS:
        raise ValueError(f"unknown reference kind {kind!r}")
    row: Item | None = session.get(_MODELS[kind], item_id)
    if row is None:
        raise NotFound(_("该项不存在。"))
    _editable_desk(session, actor, row.desk_id)
    return row


def _clean_label(session: Session, kind: str, desk_id: int, label: str, *, category_id: int | None,
                 except_id: int | None = None) -> str:
    text = validation.text(label, field="label", required=True, max_len=LABEL_LENGTH)
    if "\n" in text:
        raise ValidationError(field="label", message=_("名称应写在一行内。"))
    if kind == "category":
        same: Item | None = _find_category(session, desk_id, text)
    elif kind == "subtype":
        same = _find_subtype(session, desk_id, category_id, text)
    else:
        same = _find_source(session, desk_id, text)
    if same is not None and same.id != except_id:
        hint = _("（已停用，可重新启用）") if not same.active else ""
        raise ValidationError(field="label", message=_("已有名为“{label}”的{kind}{hint}。").format(
            label=text, kind=_(KINDS[kind]), hint=hint))
    return text


def _audit(session: Session, actor: Actor, action: str, row: Item, kind: str,
           before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    audit.append(session, desk_id=row.desk_id, user_id=actor.user_id, action=f"reference.{action}", entity=f"ref_{kind}",
                 entity_id=row.id, before=before, after={"desk_id": row.desk_id, **after})


def add_item(session: Session, actor: Actor, desk_id: int, kind: str, label: str, *,
             category_id: int | None = None) -> int:
    """Add a category, a sub-type (of ``category_id``) or a source at the end of its list."""
    _editable_desk(session, actor, desk_id)
    if kind not in _MODELS:
        raise ValueError(f"unknown reference kind {kind!r}")
    if kind == "subtype":
        parent = session.get(DisputeCategory, category_id) if category_id is not None else None
        if parent is None or parent.desk_id != desk_id:
            raise ValidationError(field="category_id", message=_("请先选择具体类型所属的纠纷类别。"))
    text = _clean_label(session, kind, desk_id, label, category_id=category_id)
    item_id = _insert(session, desk_id, kind, text, category_id=category_id)
    row: Item | None = session.get(_MODELS[kind], item_id)
    assert row is not None
    _audit(session, actor, "add", row, kind, None,
           {"label": text, "sort_order": row.sort_order, "category_id": category_id})
    return item_id


def rename_item(session: Session, actor: Actor, kind: str, item_id: int, label: str) -> None:
    """A new label for the same item: every case that uses it shows the new word."""
    row = _load(session, actor, kind, item_id)
    text = _clean_label(session, kind, row.desk_id, label, except_id=row.id,
                        category_id=row.category_id if isinstance(row, DisputeSubtype) else None)
    before = row.label
    if text == before:
        return
    row.label = text
    session.flush()
    _audit(session, actor, "rename", row, kind, {"label": before}, {"label": text})


def move_item(session: Session, actor: Actor, kind: str, item_id: int, step: int) -> None:
    """Move an item up (``step`` < 0) or down among its siblings; the list is renumbered 1…n."""
    row = _load(session, actor, kind, item_id)
    model = _MODELS[kind]
    q = select(model).where(model.desk_id == row.desk_id)
    if isinstance(row, DisputeSubtype):
        q = q.where(DisputeSubtype.category_id.is_(None) if row.category_id is None
                    else DisputeSubtype.category_id == row.category_id)
    siblings: list[Any] = list(session.scalars(q.order_by(*_ordered(model))))
    at = siblings.index(row)
    to = max(0, min(len(siblings) - 1, at + step))
    if to == at:
        return
    before = [s.id for s in siblings]
    siblings.insert(to, siblings.pop(at))
    for n, s in enumerate(siblings, start=1):
        s.sort_order = n
    session.flush()
    _audit(session, actor, "reorder", row, kind, {"order": before}, {"order": [s.id for s in siblings]})


def set_item_active(session: Session, actor: Actor, kind: str, item_id: int, active: bool) -> None:
    """Retire an item (cases keep it, forms no longer offer it) or bring it back."""
    row = _load(session, actor, kind, item_id)
    if row.active == active:
        return
    row.active = active
    session.flush()
    _audit(session, actor, "activate" if active else "retire", row, kind, {"active": not active},
           {"active": active, "label": row.label})


# ---------------------------------------------------------------- export and import

LIST_SETTINGS = ("categories", "sources")
"""How export files carry a desk's lists (the settings they were before revision 0007)."""


def list_settings(session: Session, desk_id: int) -> dict[str, Any]:
    """The desk's active lists as export files carry them."""
    return {"categories": categories(session, desk_id), "sources": sources(session, desk_id)}


def all_labels(session: Session) -> dict[str, dict[int, str]]:
    """Every item's label by kind and id (small lists: read whole for an export)."""
    return {kind: {i: label for i, label in session.execute(select(model.id, model.label))}
            for kind, model in _MODELS.items()}


def merge_list(session: Session, actor: Actor | None, desk_id: int, key: str, value: Any) -> int:
    """An imported list: labels the desk lacks are added (active, at the end), retired ones
    it names are brought back. Returns how many items changed."""
    require_write(session)
    changed = 0
    wanted: dict[str, list[str]] = {}
    if key == "categories" and isinstance(value, dict):
        wanted = {str(k): [str(s) for s in v] if isinstance(v, list) else [] for k, v in value.items()}
    elif key == "sources" and isinstance(value, list):
        wanted = {str(k): [] for k in value}
    kind = "category" if key == "categories" else "source"
    for label, subs in wanted.items():
        label = label.strip()[:LABEL_LENGTH]
        if not label:
            continue
        row = _find_category(session, desk_id, label) if kind == "category" else _find_source(session, desk_id, label)
        if row is None:
            item_id = _insert(session, desk_id, kind, label)
            changed += 1
        else:
            item_id = row.id
            if not row.active:
                row.active = True
                changed += 1
        for sub in subs if kind == "category" else []:
            sub = sub.strip()[:LABEL_LENGTH]
            found = _find_subtype(session, desk_id, item_id, sub) if sub else None
            if sub and found is None:
                _insert(session, desk_id, "subtype", sub, category_id=item_id)
                changed += 1
            elif found is not None and not found.active:
                found.active = True
                changed += 1
    if changed:
        session.flush()
        audit.append(session, desk_id=desk_id, user_id=actor.user_id if actor else None, action="reference.import",
                     entity="desk", entity_id=desk_id, after={"key": key, "changed": changed})
    return changed
