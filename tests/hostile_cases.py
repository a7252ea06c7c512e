"""SYNTHETIC hostile files, built in memory: each aims at work an upload could cause (cells, characters, names,
features x properties, sheets, unpacked bytes, SQL in a GeoPackage). Shared by tests/test_hostile_budgets.py and
bench/bench_hostile.py; nothing here is real data."""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/'
                 b'xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                 b'main+xml"/></Types>')
ROOT_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
             b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
SHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet"
STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def workbook(sheets: list[tuple[str, str, bytes]], shared_strings: bytes | None = None) -> bytes:
    """An XLSX from (name, kind "worksheet"/"chartsheet", part XML) triples, written part by part."""
    entries = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _, _) in enumerate(sheets, 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{SHEET_REL if k == "worksheet" else CHART_REL}" '
                   f'Target="{"worksheets" if k == "worksheet" else "chartsheets"}/sheet{i}.xml"/>'
                   for i, (_, k, _) in enumerate(sheets, 1))
    if shared_strings is not None:
        rels += f'<Relationship Id="rIdS" Type="{STRINGS_REL}" Target="sharedStrings.xml"/>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS}><sheets>{entries}'
                                       f'</sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="'
                    f'http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, (_, kind, xml) in enumerate(sheets, 1):
            zf.writestr(f"xl/{'worksheets' if kind == 'worksheet' else 'chartsheets'}/sheet{i}.xml", xml)
        if shared_strings is not None:
            zf.writestr("xl/sharedStrings.xml", shared_strings)
    return buf.getvalue()


def sheet_xml(rows: list[tuple[int, list[str]]], dimension: str = "A1:B2") -> bytes:
    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{chr(65 + j)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
                                               for j, v in enumerate(cells)) + "</row>" for r, cells in rows)
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/><sheetData>{body}'
            f'</sheetData></worksheet>').encode()


def xlsx_declared_huge() -> bytes:
    """1.6 KB: claims A1:XFD1048576, a header in row 1 and one data row at row 1,048,576 whose cell sits in XFD."""
    xml = sheet_xml([(1, ["wilayah", "tanggal"])], "A1:XFD1048576").replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>Kota Medan</t></is></c></row>'
                         b"</sheetData>")
    return workbook([("Data", "worksheet", xml)])


def xlsx_wide_rows(rows: int = 200) -> bytes:
    """Rows whose one cell sits in column XFD: each row materialises 16,384 cells."""
    body = "".join(f'<row r="{r}"><c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(2, rows + 2))
    xml = sheet_xml([(1, ["wilayah", "tanggal"])]).replace(b"</sheetData>", body.encode() + b"</sheetData>")
    return workbook([("Data", "worksheet", xml)])


def xlsx_many_sheets(n: int = 10_000) -> bytes:
    empty = sheet_xml([])
    return workbook([(f"S{i}", "worksheet", empty) for i in range(n)])


def xlsx_chartsheet_only() -> bytes:
    chart = (f'<?xml version="1.0" encoding="UTF-8"?><chartsheet {NS}><sheetViews><sheetView workbookViewId="0"/>'
             f'</sheetViews></chartsheet>').encode()
    return workbook([("Grafik", "chartsheet", chart)])


def xlsx_no_sheets() -> bytes:
    return workbook([])


def xlsx_big_shared_strings(unpacked_mb: int = 190) -> bytes:
    """A few MB that unpack to ``unpacked_mb`` MB of shared strings (random-looking text compresses ~30:1)."""
    import random

    rnd = random.Random(1)
    words = ["".join(rnd.choice("abcdefghij") for _ in range(8)) for _ in range(4)]
    parts, size = [], 0
    while size < unpacked_mb * 1048576:
        s = "<si><t>" + " ".join(rnd.choice(words) for _ in range(50)) + "</t></si>"
        parts.append(s)
        size += len(s)
    sst = (f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{len(parts)}">' + "".join(parts) + "</sst>")
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v>'
           f'</c></row></sheetData></worksheet>').encode()
    return workbook([("Data", "worksheet", xml)], shared_strings=sst.encode())


def csv_long_name(groups: int = 26_000) -> bytes:
    return b"wilayah,tanggal\n" + b"Kota Medan " + b"(abc)" * groups + b",2024-01-01\n"


def csv_nested_brackets(depth: int = 1_000) -> bytes:
    return b"wilayah,tanggal\n" + b"(" * depth + b"Kota Medan" + b")" * depth + b",2024-01-01\n"


def csv_distinct_names(n: int = 50_000) -> bytes:
    return b"wilayah,tanggal\n" + b"".join(b"Wilayah Tidak Ada %d,2024-01-01\n" % i for i in range(n))


def csv_one_city(n: int = 50_000) -> bytes:
    return b"wilayah,nama_mpp,tanggal\n" + b"".join(b"Kota Medan,MPP %d,2024-01-01\n" % i for i in range(n))


def csv_unbalanced_quote() -> bytes:
    return (b'wilayah,nama_mpp,tanggal\nKota Medan,"MPP Medan,2024-01-01\nKabupaten Karo,MPP Karo,2024-02-01\n'
            b"Kota Binjai,MPP Binjai,2024-03-01\n")


def csv_quote_closed_later() -> bytes:
    return (b'wilayah,nama_mpp,tanggal\nKota Medan,"MPP Medan,2024-01-01\nKabupaten Karo,MPP Karo,2024-02-01\n'
            b'Kota Binjai,MPP Binjai",2024-03-01\nKota Tebing Tinggi,MPP Tebing Tinggi,2024-04-01\n')


def csv_point_elsewhere() -> bytes:
    """Kabupaten Bandung (Jawa Barat) with the coordinates of Kota Medan's centre (Sumatera Utara)."""
    return b"wilayah,provinsi,tanggal,lintang,bujur\nKabupaten Bandung,Jawa Barat,2024-01-01,3.59,98.67\n"


def geojson_unique_keys(features: int = 20_000, keys: int = 2) -> bytes:
    point = {"type": "Point", "coordinates": [98.67, 3.59]}
    feats = [{"type": "Feature", "properties": {f"k{i}_{j}": 1 for j in range(keys)}, "geometry": point}
             for i in range(features)]
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode()


def geojson_unknown_epsg() -> bytes:
    return json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:99999"}},
                       "features": [{"type": "Feature", "properties": {"nama": "Kota Medan"},
                                     "geometry": {"type": "Point", "coordinates": [98.67, 3.59]}}]}).encode()


def gpkg_recursive_view() -> bytes:
    """A GeoPackage whose one layer is a view over an endless recursive CTE (GDAL would count its rows forever)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "view.gpkg"
        con = sqlite3.connect(path)
        con.executescript("""
            PRAGMA application_id = 1196444487;
            PRAGMA user_version = 10300;
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
              organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
              description TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84"]', NULL);
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
              identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME, min_x DOUBLE, min_y DOUBLE,
              max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
              geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
            CREATE VIEW endless AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
              SELECT i AS fid, CAST(NULL AS BLOB) AS geom, 'x' AS nama FROM n;
            INSERT INTO gpkg_contents VALUES ('endless', 'features', 'endless', '', '2024-01-01T00:00:00Z',
              95, -11, 141, 6, 4326);
            INSERT INTO gpkg_geometry_columns VALUES ('endless', 'geom', 'POINT', 4326, 0, 0);
            CREATE TABLE gpkg_ogr_contents (table_name TEXT NOT NULL PRIMARY KEY, feature_count INTEGER DEFAULT NULL);
            INSERT INTO gpkg_ogr_contents VALUES ('endless', 1);
        """)
        con.commit()
        con.close()
        return path.read_bytes()


def report_pid_and_sleep(path: str, seconds: float) -> None:
    """A worker target for tests: write this process's id to ``path``, then hang."""
    import os
    import time

    Path(path).write_text(str(os.getpid()))
    time.sleep(seconds)
