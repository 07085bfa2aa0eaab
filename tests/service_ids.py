"""Which ids a package's public service functions take (for the desk-isolation tables).

``tests/db/test_desk_isolation.py`` (every service but the roster's) and
``tests/db/test_roster_desks.py`` (the roster package) each require every id found here to
be in their table of calls (or exempt, with the reason): one introspection for both, so
neither misses what the other would find.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any


def _id_fields(tp: Any, seen: frozenset[type] = frozenset()) -> Iterator[str]:
    """Paths of the ``*_id`` fields inside a dataclass type (through lists, Optionals and
    nested dataclasses)."""
    origin = typing.get_origin(tp)
    if origin in (list, tuple, typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            yield from _id_fields(arg, seen)
        return
    if not (isinstance(tp, type) and dataclasses.is_dataclass(tp)) or tp in seen:
        return
    if not tp.__module__.startswith("mediation.services."):
        return  # the actor (permissions.Actor) and the workflow's facts are no input of records
    hints = typing.get_type_hints(tp)
    for f in dataclasses.fields(tp):
        if f.name.endswith("_id"):
            yield f.name
        for sub in _id_fields(hints.get(f.name), seen | {tp}):
            yield f"{f.name}.{sub}"


def id_inputs(package: types.ModuleType, skip: Callable[[str], bool] = lambda _short: False, *,
              sets: frozenset[str] = frozenset()) -> set[str]:
    """``module.function:parameter[.field…]`` for every id a public function of ``package``
    and its modules takes (``module`` relative to the package, none for the package's own
    functions; ``skip(module)`` leaves a module out). ``sets``: names of parameters that
    carry a set of ids (a statistic's ``desks``), found as well."""
    prefix = package.__name__ + "."
    found: set[str] = set()
    names = [package.__name__, *(info.name for info in pkgutil.walk_packages(package.__path__, prefix))]
    for module_name in names:
        short = module_name.removeprefix(package.__name__).removeprefix(".")
        if short and skip(short):
            continue
        module = importlib.import_module(module_name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            where = f"{short}.{name}" if short else name
            for param in inspect.signature(fn).parameters.values():
                if param.name.endswith("_id") or param.name in sets:
                    found.add(f"{where}:{param.name}")
                annotation = param.annotation
                if isinstance(annotation, str):
                    try:
                        annotation = eval(annotation, fn.__globals__)  # our own annotations
                    except NameError:  # a type imported for type checking only: not a record
                        continue
                for path in _id_fields(annotation):
                    found.add(f"{where}:{param.name}.{path}")
    return found
