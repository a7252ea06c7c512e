"""Pinned upstream sources (geo.sources): read from a folder or downloaded, verified by checksum."""

from __future__ import annotations

import pytest

from geo.sources import UPSTREAM_FILES, SourceError, verify_folder


def test_a_changed_upstream_file_is_refused(tmp_path, shared):
    src = shared / "data" / "boundaries" / "cahyadsn__wilayah_boundaries"
    for rel in UPSTREAM_FILES:
        dest = tmp_path / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes((src / rel).read_bytes())
    assert len(verify_folder(tmp_path)) == 46
    first = sorted(UPSTREAM_FILES)[0]
    (tmp_path / first).write_bytes((src / first).read_bytes() + b"\n-- edited")
    with pytest.raises(SourceError, match="checksum") as exc:
        verify_folder(tmp_path)
    assert exc.value.say("id").startswith(f"folder batas kabupaten/kota {tmp_path}: 1 dengan checksum yang berbeda")
    (tmp_path / first).unlink()
    with pytest.raises(SourceError, match="missing") as exc:
        verify_folder(tmp_path)
    assert f"1 tidak ada (yang pertama: {first})" in exc.value.say("id")


def test_a_warm_cache_needs_no_source_files(tmp_path, monkeypatch, builtin):
    """Once the cleaned boundaries are cached, loading them reads neither the upstream files nor ../shared (a
    planner's laptop keeps working offline; the cache key is the pinned checksums)."""
    from geo import boundary_io

    monkeypatch.setenv("PETA_MPP_BOUNDARIES", str(tmp_path / "nowhere"))  # would fail if it were resolved
    monkeypatch.setenv("PETA_MPP_SHARED", str(tmp_path / "no-shared"))
    loaded = boundary_io.builtin_boundaries()
    assert len(loaded.national) == 514 and loaded.report == builtin.report
