"""Curation (geo.curation): the curated tables rebuild from data/sources alone; new statements are validated."""

from __future__ import annotations

import pytest
from helpers import ROOT, run


@pytest.mark.slow
def test_build_registry_check_passes_without_shared(tmp_path):
    """The repository alone rebuilds every curated table (no ../shared needed)."""
    p = run("build-registry", "--check", env={"PETA_MPP_SHARED": str(tmp_path / "no-shared")})
    assert p.returncode == 0, p.stdout + p.stderr
    assert "ok: every curated table" in p.stdout


@pytest.mark.slow
def test_check_fails_with_a_short_diff_when_a_table_differs(tmp_path):
    import shutil

    from geo.curation import build_all, differences

    for f in (ROOT / "data").glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    reg = (tmp_path / "mpp_registry.csv").read_text().splitlines()
    (tmp_path / "mpp_registry.csv").write_text("\n".join(reg[:-1]) + "\n")
    diff = differences(build_all(), tmp_path)
    assert diff and diff[0].startswith("mpp_registry.csv:") and len(diff) < 20


@pytest.mark.slow
def test_add_statements_validates_appends_and_reports(tmp_path):
    """SYNTHETIC statements (not real facts) added to a copy of the sources."""
    import shutil

    from geo.curation import add_statements

    src, out = tmp_path / "sources", tmp_path / "data"
    shutil.copytree(ROOT / "data" / "sources", src)
    out.mkdir()
    f = tmp_path / "new.csv"
    f.write_text("Nama Wilayah,Tanggal,Peristiwa,Sumber\n"
                 "Kabupaten Pacitan,2025-12-20,SYNTHETIC inauguration by Menteri PANRB,https://example.org/a\n"
                 "Kota Atlantis,2025-12-20,x,https://example.org/b\n"
                 "Kabupaten Ponorogo,2031-01-01,x,https://example.org/c\n"
                 "Kabupaten Situbondo,2025-12-20,x,not-a-url\n")
    r = add_statements(f, sources=src, out=out)
    assert (r.accepted, r.rejected) == (1, 3)
    reasons = list(r.report["reason"])
    assert "unmatched" in reasons[1] and "not plausible" in reasons[2] and "not an http(s) URL" in reasons[3]
    assert (src / "mpp_sources.csv").read_text().count("SYNTHETIC inauguration") == 1
    assert any("MPPs in the registry: " in c and "->" in c for c in r.changes)
    assert "Kabupaten Pacitan" in (out / "mpp_registry.csv").read_text()
    again = add_statements(f, sources=src, out=out)  # the same file again appends nothing
    assert (src / "mpp_sources.csv").read_text().count("SYNTHETIC inauguration") == 1
    assert "statements appended: 0" in again.changes[0]
