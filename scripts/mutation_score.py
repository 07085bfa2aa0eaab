"""Score of one mutmut run (scripts/mutation.sh), after the mutants that change only a
message and the reviewed list of accepted (equivalent) mutants.

usage: mutation_score.py WORKDIR MODULE_FILE NAME ACCEPTED_LIST [--show]

* killed: a test failed (or timed out) with the mutant in place;
* message: the mutant changes nothing but a string given to ``_()``/``N_()`` (a message
  for the desk), to an exception or to a log call — found by comparing the mutant's
  syntax tree with the original's, not by name; such text is reviewed as text, not pinned;
* accepted: on the list (``<mutant name>  equivalent: <reason>``, ``#`` for comments),
  reviewed by hand: no input gives a different result;
* survived: a gap — a wrong program the tests let through;
* no tests: the mutated function is not reached by the module's tests.

The score is killed / (all − message − accepted). ``--show`` prints each gap's diff.
A mutant on the list that is killed now is reported as stale.
"""

from __future__ import annotations

import ast
import difflib
import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3}
SURVIVED = {0}
NO_TESTS = {5, 33}
TIMEOUT = {24, -24, 36, 152, 255}
MESSAGE_CALLS = {"_", "N_", "debug", "info", "warning", "error", "exception", "critical"}


def _functions(source: str) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    found: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in node.name:
            found[node.name] = node
    return found


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Name):
            return f.id
        if isinstance(f, ast.Attribute):
            return f.attr
    return ""


class _Messages(ast.NodeTransformer):
    """Replace every message string by one placeholder: the arguments of ``_()``,
    ``N_()``, a log call, and of the exception a ``raise`` constructs."""

    def visit_Raise(self, node: ast.Raise) -> ast.AST:
        if isinstance(node.exc, ast.Call):
            node.exc.args = [self._blank(a) for a in node.exc.args]
        self.generic_visit(node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        if _call_name(node) in MESSAGE_CALLS:
            node.args = [self._blank(a) for a in node.args]
        self.generic_visit(node)
        return node

    @staticmethod
    def _blank(arg: ast.expr) -> ast.expr:
        if isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.Constant) and (arg.value is None or isinstance(arg.value, str))):
            return ast.Constant("<message>")
        return arg


def _is_message_only(orig: ast.AST, mutant: ast.AST) -> bool:
    """The mutant differs from the original, but not once their messages are blanked."""
    def body(node: ast.AST, *, blank: bool) -> str:
        copy = ast.parse(ast.unparse(node))
        if blank:
            copy = _Messages().visit(copy)
        return ast.dump(ast.Module(body=copy.body[0].body, type_ignores=[]))  # type: ignore[attr-defined]
    return body(orig, blank=False) != body(mutant, blank=False) and body(orig, blank=True) == body(mutant, blank=True)


def _orig_name(mutant: str) -> str:
    return mutant.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"


def _diff(funcs: dict[str, ast.AST], short: str) -> str:
    orig, mut = funcs.get(_orig_name(short)), funcs.get(short)
    if orig is None or mut is None:
        return ""
    lines = difflib.unified_diff(ast.unparse(orig).replace(_orig_name(short), short).splitlines(), ast.unparse(mut).splitlines(),
                                 lineterm="", n=0)
    return "\n".join(f"      {x}" for x in lines if x[:1] in "+-" and x[:3] not in ("+++", "---"))


def main() -> int:
    work, module_file, name, accepted_path = sys.argv[1:5]
    show = "--show" in sys.argv[5:]
    meta = Path(work) / "mutants" / (module_file + ".meta")
    codes: dict[str, int | None] = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    funcs = _functions((Path(work) / "mutants" / module_file).read_text("utf-8"))
    accepted: dict[str, str] = {}
    for line in Path(accepted_path).read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, reason = line.partition(" ")
            accepted[key] = reason.strip()
    counts: Counter[str] = Counter()
    gaps: list[str] = []
    lists: dict[str, list[str]] = {"no test": [], "not run": [], "stale in the accepted list (killed now)": []}
    for key, code in sorted(codes.items()):
        short = key.rsplit(".", 1)[-1]
        if code in KILLED or code in TIMEOUT:
            counts["killed"] += 1
            if key in accepted:
                lists["stale in the accepted list (killed now)"].append(key)
        elif code in SURVIVED:
            if key in accepted:
                counts["accepted"] += 1
            elif short in funcs and _orig_name(short) in funcs and _is_message_only(funcs[_orig_name(short)], funcs[short]):
                counts["message"] += 1
            else:
                counts["survived"] += 1
                gaps.append(key)
        elif code in NO_TESTS:
            counts["no_tests"] += 1
            lists["no test"].append(key)
        elif code is None:
            counts["not_run"] += 1
            lists["not run"].append(key)
        else:
            counts[f"other({code})"] += 1
            gaps.append(f"{key} (exit {code})")
    total = len(codes)
    considered = total - counts["accepted"] - counts["message"]
    score = counts["killed"] / considered if considered else 1.0
    raw = counts["killed"] / total if total else 1.0
    print(f"{name}: {total} mutants, {counts['killed']} killed, {counts['message']} message-only, "
          f"{counts['accepted']} accepted, {counts['survived']} survived, {counts['no_tests']} reach no test"
          + (f", {counts['not_run']} not run" if counts["not_run"] else "")
          + f"; raw {raw:.1%}, score {score:.1%}")
    for key in gaps:
        print(f"  survivor: {key}")
        if show:
            short = key.split(" ")[0].rsplit(".", 1)[-1]
            print(_diff(funcs, short))
    for label, keys in lists.items():
        for key in keys:
            print(f"  {label}: {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
