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
    with pytest.raises(SourceError, match="checksum"):
        verify_folder(tmp_path)
    (tmp_path / first).unlink()
    with pytest.raises(SourceError, match="missing"):
        verify_folder(tmp_path)
