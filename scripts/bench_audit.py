"""What the keyed, per-desk audit trail costs a save: before (main at ad06516: one SHA-256
chain) and after (this checkout: HMAC-SHA256 per desk, the key read from the key file,
a checkpoint line appended to the anchor file after each commit), on the same machine in
one run.

    .venv/bin/python scripts/bench_audit.py [--rounds 6] [--saves 200] [--before ad06516]

The *before* program is taken from git (``git archive``) into a temporary directory and
run with ``PYTHONPATH`` pointing at it; each round runs both programs, alternating which
goes first, each in a fresh process on a fresh SQLite database (WAL, ``synchronous=FULL``,
the program's own settings) with 300 cases already registered. Measured per operation:
``update_case`` (the core benchmark's *save*: facts edited, event, audit row, one commit)
and ``register_case`` (a new dispute with two parties). Prints medians in milliseconds
and the ratio; the figures go to BENCHMARKS.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r'''
import datetime as dt, json, os, sys, time
from pathlib import Path
from mediation.db import Database, make_engine
from mediation.migrate import upgrade
from mediation.services import accounts, cases, setup
from mediation.services.cases import CaseEdit, CaseInput
from mediation.services.parties import PartyInput

folder, saves = Path(sys.argv[1]), int(sys.argv[2])
url = f"sqlite:///{folder / 'bench.sqlite3'}"
engine = make_engine(url); upgrade(engine, backup=False); engine.dispose()
db = Database(url)
with db.write() as s:
    admin = setup.initialise(s, desk_name="基准测试调解点", number_prefix="B警校调字", admin_username="admin",
                             admin_display_name="管理员", admin_password="bench1234")
    uid = accounts.create_user(s, admin, username="v", display_name="志愿者", role="volunteer",
                               password="bench1234", desk_id=admin.desk_id)
from mediation.permissions import Actor
volunteer = Actor(uid, "v", "志愿者", "volunteer", admin.desk_id)

def dispute(n):
    return CaseInput(parties=[PartyInput(role="applicant", name="王小明", phone="13800138000"),
                              PartyInput(role="respondent", name="李四")],
                     facts=f"押金{n}元未退还。", claims="退还押金。", category="合同", subcategory="租房",
                     source="当事人申请", amount=str(100 + n))

ids = []
for n in range(300):
    with db.write() as s:
        ids.append(cases.register_case(s, volunteer, dispute(n)).id)
case_id = ids[-1]
with db.read() as s:
    from mediation.services import case_detail
    d = case_detail.get_case(s, volunteer, case_id)
texts = [d.facts + "（补充）", d.facts]
update, register = [], []
for n in range(saves):
    t = time.perf_counter()
    with db.write() as s:
        cases.update_case(s, volunteer, case_id, CaseEdit(facts=texts[n % 2], claims=d.claims, category=d.category,
                          subcategory=d.subcategory, source=d.source, title=d.title, amount=d.amount),
                          expected_version=None)
    update.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    with db.write() as s:
        cases.register_case(s, volunteer, dispute(1000 + n))
    register.append((time.perf_counter() - t) * 1000)
db.dispose()
print(json.dumps({"update": update, "register": register}))
'''


def extract(commit: str, into: Path) -> Path:
    archive = into / "before.tar"
    with open(archive, "wb") as fh:
        subprocess.run(["git", "-C", str(ROOT), "archive", commit, "mediation"], stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "before", filter="data")
    return into / "before"


def run(tree: Path, saves: int, scratch: Path) -> dict[str, list[float]]:
    work = Path(tempfile.mkdtemp(dir=scratch))
    env = {**os.environ, "PYTHONPATH": str(tree), "MEDIATION_FAST_HASH": "1",
           "MEDIATION_DATA_DIR": str(work / "data"), "MEDIATION_KEY_FILE": str(work / "keys.json")}
    out = subprocess.run([sys.executable, "-c", WORKER, str(work), str(saves)], env=env, check=True,
                         capture_output=True, text=True, cwd=work)
    result: dict[str, list[float]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--before", default="ad06516")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mediation-bench-audit-") as tmp:
        scratch = Path(tmp)
        trees = {"before": extract(args.before, scratch), "after": ROOT}
        samples: dict[str, dict[str, list[float]]] = {k: {"update": [], "register": []} for k in trees}
        rounds: dict[str, dict[str, list[float]]] = {k: {"update": [], "register": []} for k in trees}
        for r in range(args.rounds):
            order = ["before", "after"] if r % 2 == 0 else ["after", "before"]
            for name in order:
                got = run(trees[name], args.saves, scratch)
                for op, values in got.items():
                    samples[name][op].extend(values)
                    rounds[name][op].append(statistics.median(values))
                print(f"round {r + 1}/{args.rounds} {name}: update median "
                      f"{statistics.median(got['update']):.2f} ms", file=sys.stderr)
    # On a shared machine the load changes from round to round: besides the medians of all
    # samples, the ratio within each round (both programs ran back to back) and the
    # quietest round of each program.
    print("| operation | before (ms) | after (ms) | after / before | paired ratio (median of rounds) "
          "| quietest round before / after (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for op, label in (("update", "save a case (`update_case`)"), ("register", "register a case (`register_case`)")):
        b, a = statistics.median(samples["before"][op]), statistics.median(samples["after"][op])
        paired = statistics.median(x / y for x, y in zip(rounds["after"][op], rounds["before"][op], strict=True))
        print(f"| {label} | {b:.2f} | {a:.2f} | {a / b:.2f} | {paired:.2f} "
              f"| {min(rounds['before'][op]):.2f} / {min(rounds['after'][op]):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
