"""Document benchmarks: agreement PDF and DOCX, beside LibreOffice converting the same DOCX.

Usage: .venv/bin/python scripts/bench_documents.py [--rounds N] [--json FILE]
(scripts/bench_documents.sh installs LibreOffice first when it is missing).

The document is the 人民调解协议书 of the sample case in mediation/documents/samples.py:
two parties with rare characters in their names (王𠮷祥, 李䶮㛃; the fallback font is
needed), an agent, a long facts text that breaks across pages, five terms. Measured:

- first PDF / first DOCX in a fresh process, after the imports (loading the bundled
  fonts' metrics and parsing the forms is part of it), median over several processes;
  and the first PDF of the very first start, when the fonts' metrics are not cached yet;
- warm PDF (preview), warm final PDF (with the verification footer and QR code), warm
  DOCX (built-in layout) and warm DOCX through an administrator's template, medians in
  one process;
- LibreOffice headless converting that same DOCX to PDF (``soffice --convert-to pdf``,
  a fresh soffice per conversion as a desk would run it, after one warm-up conversion
  that creates its profile), median.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORM = "people_agreement"

_FIRST = r"""
import sys, time
from mediation.documents import render, samples
ctx = samples.sample_context()
t0 = time.perf_counter()
data = render.render_{fmt}("people_agreement", ctx)
t1 = time.perf_counter()
print((t1 - t0) * 1000, len(data))
"""


def first_render(fmt: str, runs: int, *, metrics_cache: bool = True) -> list[float]:
    """The first rendering in fresh processes. With ``metrics_cache`` the parsed font
    metrics are already in the cache (every start but the very first after installing);
    without it each process parses the fonts itself."""
    shared = tempfile.mkdtemp(prefix="bench-docs-cache-")
    out = []
    for n in range(runs + (1 if metrics_cache else 0)):
        data_dir = shared if metrics_cache else tempfile.mkdtemp(prefix="bench-docs-cold-")
        env = {**os.environ, "MEDIATION_DATA_DIR": data_dir}
        proc = subprocess.run([sys.executable, "-c", _FIRST.format(fmt=fmt)], cwd=ROOT, check=True,
                              capture_output=True, text=True, env=env)
        if metrics_cache and n == 0:
            continue  # this one filled the cache
        out.append(float(proc.stdout.split()[0]))
        if not metrics_cache:
            shutil.rmtree(data_dir, ignore_errors=True)
    shutil.rmtree(shared, ignore_errors=True)
    return out


def timed(fn, rounds: int) -> list[float]:
    fn()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_convert(docx: bytes, runs: int) -> tuple[list[float], int]:
    exe = soffice()
    if exe is None:
        return [], 0
    work = Path(tempfile.mkdtemp(prefix="bench-lo-"))
    src = work / "agreement.docx"
    src.write_bytes(docx)
    # LibreOffice sees the bundled fonts as a desk's machine would once they are installed:
    # linked into a private home's font folder (found by fontconfig), not the real one.
    home = work / "home"
    font_dir = home / ".local" / "share" / "fonts"
    font_dir.mkdir(parents=True)
    from mediation.documents import fonts

    for path in fonts.font_files():
        (font_dir / path.name).symlink_to(path)
    env = {**os.environ, "HOME": str(home)}
    profile = f"-env:UserInstallation=file://{work / 'profile'}"
    cmd = [exe, profile, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(work), str(src)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300, env=env)  # profile, font cache
    times = []
    for _ in range(runs):
        (work / "agreement.pdf").unlink(missing_ok=True)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, timeout=300, env=env)
        times.append((time.perf_counter() - t0) * 1000)
    from pypdf import PdfReader

    pages = len(PdfReader(work / "agreement.pdf").pages)
    shutil.rmtree(work, ignore_errors=True)
    return times, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--lo-runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from pypdf import PdfReader

    from mediation.documents import render, samples
    from mediation.documents.pdf import FooterStamp
    from mediation.services import templates

    ctx = samples.sample_context()
    first_pdf = first_render("pdf", args.processes)
    first_pdf_cold = first_render("pdf", args.processes, metrics_cache=False)
    first_docx = first_render("docx", args.processes)
    render.warm_up()
    pdf = render.render_pdf(FORM, ctx)
    docx = render.render_docx(FORM, ctx)
    template = templates.starter_template(FORM)
    stamp = FooterStamp(code="AB12-CD34", qr_data="mediation-verify:AB12-CD34")
    rows = {
        "first PDF (fresh process)": first_pdf,
        "first PDF, very first start (no cache)": first_pdf_cold,
        "first DOCX (fresh process)": first_docx,
        "PDF, warm": timed(lambda: render.render_pdf(FORM, ctx), args.rounds),
        "final PDF (footer + QR), warm": timed(lambda: render.render_pdf(FORM, ctx, footer=stamp), args.rounds),
        "DOCX, warm": timed(lambda: render.render_docx(FORM, ctx), args.rounds),
        "DOCX via admin template, warm": timed(
            lambda: render.render_docx(FORM, ctx, template=template), args.rounds),
    }
    lo_times, lo_pages = libreoffice_convert(docx, args.lo_runs)
    if lo_times:
        rows["LibreOffice: same DOCX → PDF"] = lo_times
    targets = {"first PDF (fresh process)": 300, "PDF, warm": 100, "DOCX, warm": 100,
               "final PDF (footer + QR), warm": 100}
    medians = {k: statistics.median(v) for k, v in rows.items()}
    print(f"{'operation':38} {'median ms':>10} {'min':>8} {'max':>8}  target")
    for name, values in rows.items():
        target = targets.get(name)
        verdict = "" if target is None else (f"≤ {target} ms " + ("ok" if medians[name] <= target else "MISSED"))
        print(f"{name:38} {medians[name]:10.1f} {min(values):8.1f} {max(values):8.1f}  {verdict}")
    pages = len(PdfReader(__import__("io").BytesIO(pdf)).pages)
    print(f"pages: program's PDF {pages}, LibreOffice's PDF {lo_pages or '—'}")
    if lo_times:
        lo = medians["LibreOffice: same DOCX → PDF"]
        print(f"LibreOffice / PDF warm: {lo / medians['PDF, warm']:.0f}×   "
              f"LibreOffice / DOCX warm: {lo / medians['DOCX, warm']:.0f}×   (aim ≥ 20×)")
    else:
        print("LibreOffice not found (scripts/bench_documents.sh installs libreoffice-writer-nogui)")
    if args.json:
        args.json.write_text(json.dumps({
            "medians_ms": medians, "pdf_pages": pages, "libreoffice_pages": lo_pages,
            "python": platform.python_version(), "cpus": os.cpu_count(),
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
