"""An operator configures Bokbro with environment variables only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bokbro import settings as bokbro_settings

ROOT = Path(__file__).resolve().parents[3]


def run_check_deploy(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOKBRO_", "DJANGO_", "DATABASE_", "SECRET_", "HTTPS"))
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("k3y-" + "x7Qp2vLm9Zr4" * 5 + "\n")
    result = run_check_deploy(
        {
            "SECRET_KEY_FILE": str(key_file),
            "HTTPS": "true",
            "ALLOWED_HOSTS": "bibliotek.example.no",
            "DATABASE_URL": "postgres://bokbro@db.example.no:5432/bokbro",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_the_demo_defaults():
    result = run_check_deploy({})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_secret_comes_from_a_file_when_name_file_is_set(tmp_path, monkeypatch):
    path = tmp_path / "password"
    path.write_text("s3cret\n")
    monkeypatch.setenv("EMAIL_HOST_PASSWORD_FILE", str(path))
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "ignored")
    assert bokbro_settings.env_str("EMAIL_HOST_PASSWORD") == "s3cret"


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("no", False), ("", True)]
)
def test_env_bool_reads_common_spellings_and_falls_back_when_empty(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert bokbro_settings.env_bool("SOME_FLAG", True) is expected


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS_X", " a.example.no, b.example.se ,")
    assert bokbro_settings.env_list("ALLOWED_HOSTS_X", []) == ["a.example.no", "b.example.se"]
