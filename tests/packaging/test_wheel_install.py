"""The program installed the way a desk PC gets it: the sdist and the wheel built from the
project, the wheel installed into a fresh virtual environment outside the checkout, and
both commands used from there (nothing of the checkout importable)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "admin1234"
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    wheel: Path
    sdist: Path
    bin: Path
    home: Path  # a working directory outside the checkout
    env: dict[str, str]

    def run(self, *args: str, stdin: str = "", check: bool = True, **extra_env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(self.bin / args[0]), *args[1:]], input=stdin, capture_output=True, text=True,
                                encoding="utf-8", cwd=self.home, env={**self.env, **extra_env}, timeout=300)
        if check and result.returncode != 0:
            raise AssertionError(f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("installed")
    assert ROOT not in base.parents
    dist = base / "dist"
    # `python -m build` makes the sdist, then the wheel FROM the sdist: a file missing from
    # the sdist is missing from the wheel too, and this test sees it.
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], check=True,
                   capture_output=True, timeout=600)
    wheel = next(dist.glob("mediation_desk-*-py3-none-any.whl"))
    sdist = next(dist.glob("mediation_desk-*.tar.gz"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    # pip's cache (filled by scripts/install.sh) keeps this to an unpack of wheels already downloaded.
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   capture_output=True, timeout=900)
    home = base / "work"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "MEDIATION_DATABASE_URL", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(MEDIATION_DATA_DIR=str(base / "data"), MEDIATION_FAST_HASH="1", QT_QPA_PLATFORM="offscreen",
               LC_ALL="C.UTF-8")
    yield Installed(wheel, sdist, venv / "bin", home, env)


def test_wheel_and_sdist_carry_the_packaged_files(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for path in ("mediation/templates/people_agreement.toml", "mediation/templates/parts/parties.toml",
                 "mediation/resources/fonts/uming.ttc", "mediation/resources/fonts/wqy-microhei.ttc",
                 "mediation/resources/fonts/HanaMinA.ttf", "mediation/resources/fonts/uming.LICENSE.txt",
                 "mediation/resources/i18n/mediation_en.qm", "mediation/resources/i18n/en/LC_MESSAGES/mediation.mo",
                 "mediation/resources/licenses/LGPL-3.0.txt",
                 "mediation/resources/icons/hicolor/256x256/apps/mediation-desk.png",
                 "mediation/migrations/env.py", "mediation/migrations/script.py.mako"):
        assert path in names, path
    assert any(n.startswith("mediation/migrations/versions/0004") for n in names)
    assert not any(n.endswith((".ts", ".po")) or n.startswith("tests/") for n in names)  # sources stay in the sdist
    with tarfile.open(installed.sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    assert {"setup.py", "templates/people_agreement.toml", "resources/i18n/mediation_en.ts",
            "resources/fonts/uming.ttc", "tests/packaging/test_wheel_install.py"} <= members


def test_installed_commands_work_outside_the_checkout(installed: Installed) -> None:
    where = installed.run("python", "-c", "import mediation, mediation.assets as a; print(mediation.__file__); "
                                          "print(a.templates_dir()); print(mediation.__version__)").stdout.split()
    assert all(str(ROOT) not in line for line in where[:2]) and "site-packages" in where[0]
    assert where[2] == installed.wheel.name.split("-")[1]

    out = installed.run("mediation", "init", "--desk-name", "测试大学警校联调中心", "--prefix", "X警校调字",
                        "--admin", "admin", "--admin-display-name", "管理员甲", "--password-stdin",
                        stdin=PASSWORD + "\n").stdout
    assert "已创建调解点" in out
    out = installed.run("mediation", "demo", "--cases", "50", "--seed", "5").stdout
    assert "50 件案件" in out

    rows = [line.split("\t") for line in installed.run("mediation", "search", "调字", "--limit", "100")
            .stdout.splitlines()]
    number = next(r[0] for r in rows if r[1] in ("达成协议", "履行/回访", "结案", "归档"))
    pdf = installed.home / "协议书.pdf"
    installed.run("mediation", "render", number, "--form", "people_agreement", "-o", str(pdf),
                  "--as", "admin", "--as-password-stdin", stdin=PASSWORD + "\n")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(fonts) >= 2 and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb column
    assert any("UMing" in line for line in fonts) and any("WenQuanYi" in line for line in fonts)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "人民调解协议书" in text and number in text

    # A draft is no final document: verify answers so, in one line, exit 1.
    result = installed.run("mediation", "verify", str(pdf), check=False)
    assert result.returncode == 1 and "未找到与此文件对应的定稿文书" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr

    version = installed.run("mediation", "--version").stdout
    from mediation.migrations import HEAD

    assert f"调解工作台 {where[2]}" in version and f"数据库版本：{HEAD}（程序支持到 {HEAD}；最新）" in version
    assert "AR PL UMing CN" in version and "PySide6" in version


def test_desktop_app_starts_to_its_login_dialog(installed: Installed) -> None:
    data = Path(installed.env["MEDIATION_DATA_DIR"])
    if not (data / "mediation.sqlite3").exists():
        installed.run("mediation", "init", "--desk-name", "测试", "--prefix", "X警校调字", "--admin", "admin",
                      "--password-stdin", stdin=PASSWORD + "\n")
    picture = installed.home / "login.png"
    result = installed.run("mediation-desk", MEDIATION_START_PROBE="exit", MEDIATION_START_PROBE_GRAB=str(picture))
    assert 'shown LoginDialog "登录' in result.stdout, result.stdout + result.stderr

    from PySide6.QtGui import QImage

    image = QImage(str(picture))
    assert image.width() > 300 and image.height() > 120
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 5  # text and fields drawn, not an empty window
