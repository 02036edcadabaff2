"""The operator's `bokbro` command maps its verbs onto Django's management commands."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def bokbro(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bokbro.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_lists_the_operator_verbs():
    result = bokbro("--help")
    assert result.returncode == 0
    for verb in ("serve", "worker", "migrate", "import-directory", "createadmin", "periodic"):
        assert verb in result.stdout


def test_verbs_with_dashes_reach_the_management_commands():
    result = bokbro("import-directory", "--help")
    assert result.returncode == 0
    assert "--data-dir" in result.stdout
    worker = bokbro("worker", "--help")
    assert worker.returncode == 0 and "--queue-name" in worker.stdout


def test_a_failing_command_exits_non_zero_with_its_message(tmp_path):
    result = bokbro("import-directory", "--data-dir", str(tmp_path))
    assert result.returncode != 0
    assert "Nothing was imported" in result.stderr


def test_the_console_script_is_installed_with_the_project():
    script = Path(sys.executable).parent / "bokbro"
    assert script.exists() or shutil.which("bokbro"), "pip install should create `bokbro`"
