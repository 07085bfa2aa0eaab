"""Roles, permissions and the one rule of which desks an actor may read and change."""

from __future__ import annotations

import pytest

from mediation.permissions import ADMIN, OFFICER, VOLUNTEER, Actor, who_may


def _actor(role: str, desk: int | None, all_desks: bool = False) -> Actor:
    return Actor(1, "u", "某人", role, desk, all_desks)


@pytest.mark.parametrize("actor, reads, writes", [
    (_actor(VOLUNTEER, 1), frozenset({1}), frozenset({1})),
    (_actor(OFFICER, 1), frozenset({1}), frozenset({1})),
    (_actor(OFFICER, 1, all_desks=True), None, frozenset({1})),   # reads all, changes its own desk
    (_actor(OFFICER, None, all_desks=True), None, frozenset()),   # roll-up account: changes none
    (_actor(ADMIN, 1), None, frozenset({1})),                     # a desk's administrator: their desk
    (_actor(ADMIN, None), None, None),                            # the installation's administrator
    (_actor(VOLUNTEER, None), frozenset(), frozenset()),
])
def test_which_desks_an_actor_reads_and_changes(actor: Actor, reads, writes) -> None:
    assert actor.readable_desks == reads and actor.writable_desks == writes
    for desk in (1, 2):
        assert actor.may_read_desk(desk) == (reads is None or desk in reads)
        assert actor.may_write_desk(desk) == (writes is None or desk in writes)
        assert not actor.may_write_desk(desk) or actor.may_read_desk(desk)  # never change unseen


def test_who_may_names_the_roles_officer_first() -> None:
    assert who_may("case.accept") == "督导民警或管理员"
    assert who_may("case.terminate") == "督导民警或指导老师或管理员"
    assert who_may("template.manage") == "管理员"
