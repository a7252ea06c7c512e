"""One settings registry: every setting declared once, read through one function, printed, and documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import run

from geo import settings

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_lists_every_setting():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Settings"):readme.index("## Benchmarks")]
    missing = [s.env for s in settings.SETTINGS.values() if f"`{s.env}`" not in table]
    assert missing == []


def test_settings_command_prints_every_setting_with_its_source(monkeypatch):
    p = run("settings", env={"PETA_MPP_MAX_ROWS": "123"})
    assert p.returncode == 0
    for s in settings.SETTINGS.values():
        assert s.env in p.stdout
    assert re.search(r"PETA_MPP_MAX_ROWS\s+= 123\s+\[environment; default: 50000\]", p.stdout)


def test_values_are_parsed_and_bad_values_named(monkeypatch):
    monkeypatch.setenv("PETA_MPP_MAX_UPLOAD_MB", "2.5")
    assert settings.get("max_upload_mb") == 2.5 and settings.max_upload_bytes() == int(2.5 * 1048576)
    monkeypatch.setenv("PETA_MPP_MAX_ROWS", "-3")
    with pytest.raises(settings.SettingError, match="PETA_MPP_MAX_ROWS='-3'"):
        settings.get("max_rows")
    monkeypatch.delenv("PETA_MPP_MAX_ROWS")
    assert settings.get("max_rows") == 50_000 and settings.source("max_rows") == "default"


def test_no_module_but_settings_reads_the_environment():
    offenders = []
    for folder in ("geo", "pages"):
        for f in (ROOT / folder).glob("*.py"):
            if f.name != "settings.py" and re.search(r"os\.environ|os\.getenv", f.read_text()):
                offenders.append(f"{folder}/{f.name}")
    assert offenders == [] and "os.environ" not in (ROOT / "app.py").read_text()


def test_the_first_year_is_written_once():
    for folder in ("geo", "pages"):
        for f in (ROOT / folder).glob("*.py"):
            if f.name != "settings.py":  # (a licence's copyright years are not the first MPP year)
                assert not re.search(r"\b2017\b(?!-2025 Cahya)", f.read_text()), f
