"""Where upstream files come from: a local mirror folder, or a verified download cache.

Two pinned upstream sources (MIT), each file verified against the sha256 recorded here wherever it comes from:

- ``cahyadsn/wilayah_boundaries``: 38 regency files and 8 province files of polygons, MySQL INSERT scripts;
- ``cahyadsn/wilayah``: population (Kepmendagri 2025, Dukcapil) and BIG's official area, two SQL files.

Resolution order, for each source:

1. its setting (``PETA_MPP_BOUNDARIES``, ``PETA_MPP_REGION_STATS``): a folder holding the files at their upstream
   paths. Read from there; the network is never touched.
2. A mirror beside the checkout, ``../shared/data/<kind>/<name>``, when it exists (development machines and CI).
3. Otherwise the files are downloaded once from GitHub (with a progress display) into the user cache folder
   (``PETA_MPP_CACHE`` or the platform's cache dir) and verified.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import settings
from .settings import cache_dir  # noqa: F401  (where callers have long found it)
from .errors import PetaError
from .i18n import N_, Msg


@dataclass(frozen=True)
class PinnedSource:
    """An upstream repository at a pinned commit, the files used and their sha256."""

    name: str            # for messages: "regency boundaries"
    repo: str
    commit: str
    licence: str
    setting: str         # the settings entry naming a local folder
    shared_path: str     # the mirror's path under shared/data
    files: dict[str, str]

    @property
    def base_url(self) -> str:
        return f"https://raw.githubusercontent.com/{self.repo}/{self.commit}/"

    def fingerprint(self) -> str:
        return hashlib.sha256("".join(f"{k}={v};" for k, v in sorted(self.files.items())).encode()).hexdigest()[:16]


UPSTREAM_FILES: dict[str, str] = {
    "db/kab/wilayah_boundaries_kab_11.sql": "80d05177ed889aded5023ca61e2c5f17201c5a9086691cd6d0fa1fc561f78517",
    "db/kab/wilayah_boundaries_kab_12.sql": "79ccf8770f7621e63da4476180e88691ab0e3391c1b43bfc0b9d79a15579917e",
    "db/kab/wilayah_boundaries_kab_13.sql": "d80519417de7011a427603cdbf6849419fa024bff66e6f39fba6ae608aed47ba",
    "db/kab/wilayah_boundaries_kab_14.sql": "4d2cc88c2c320a394d85f5f022f6f8265dd122c58bdc3a26abd7d082c6acf290",
    "db/kab/wilayah_boundaries_kab_15.sql": "f9b73bed0c5b22ebe296957d1c15c2edc9a59537fd6153a3ac5eac7db56c0555",
    "db/kab/wilayah_boundaries_kab_16.sql": "b0440a0d9dd44793775e7c3b5539d74614e16d14702812e8dc1857249787881f",
    "db/kab/wilayah_boundaries_kab_17.sql": "3e6ef9e5d6fc636777324c0ed3a0a2b0611febea192a791a2f8f1bbf93df6fde",
    "db/kab/wilayah_boundaries_kab_18.sql": "e6762284ccc69069899633784adcce9c1ca6bbcf8d75e5e64d9588dbd982dc6e",
    "db/kab/wilayah_boundaries_kab_19.sql": "2c2a2ab7db1f0ed2649382f12d97c45873b9339f46d2c591bf27361c8771b10d",
    "db/kab/wilayah_boundaries_kab_21.sql": "9704323e6983b9f531d777dc354c2769b652243a86d89f14e712a44d47eeab5f",
    "db/kab/wilayah_boundaries_kab_31.sql": "bcf2029d23a6100f65a30e4f14a19cffc96152a266df2b97535e96ecb4ca5f42",
    "db/kab/wilayah_boundaries_kab_32.sql": "e2ef61aaeff9c0e3283a085d83490bdf3aaddf2611ba86d2f7eb288e6f04a8b7",
    "db/kab/wilayah_boundaries_kab_33.sql": "1d774594f1f5dbcafa9833613335a1e1f095421bf368dd9f3b3959a40b723ba0",
    "db/kab/wilayah_boundaries_kab_34.sql": "2dba11f6a41f7f8fd474450892346c0c9e181a5ce79858ffcfd471bad12153d0",
    "db/kab/wilayah_boundaries_kab_35.sql": "120a4f01539dafe82117e2b75c36859fb39bac12d9c5e227828127648b10575d",
    "db/kab/wilayah_boundaries_kab_36.sql": "9739934ca8f7b979bb403fc81b460265f5755d3ba93bf87f5b65b550e7d06bcc",
    "db/kab/wilayah_boundaries_kab_51.sql": "28ba3fe2e88f285f9dd71dfabf8b6486b2c19d10643e390f2aad1625b0523bf9",
    "db/kab/wilayah_boundaries_kab_52.sql": "57ea4099b5f795c2f39eb960e7db26416d622b271485c9d9f8c5f6b76a4335d9",
    "db/kab/wilayah_boundaries_kab_53.sql": "5cc127d589c069ce8c3521c582ec2e0daffa6f4136825b344ad9b80ab8c748eb",
    "db/kab/wilayah_boundaries_kab_61.sql": "1a3f3275268c514e6a87b2d012b816d9d0fccdab28b12a48e89e7ec5822baac0",
    "db/kab/wilayah_boundaries_kab_62.sql": "e573717f2bd7df3b1025b7e3ff9113cd1250f345f28d45f60b7b6799c4e5d22f",
    "db/kab/wilayah_boundaries_kab_63.sql": "d78816667c30266904b4c0a54e3971785c0631e19270d2a94d641152ff8a50c7",
    "db/kab/wilayah_boundaries_kab_64.sql": "790d76b3770671f2515ebec73e2c5bf4847e1f1be78449128dc70aca87379b52",
    "db/kab/wilayah_boundaries_kab_65.sql": "3d4c956d0aaaf8287fbbd9cd2ecb5bc71838fb3bd78bc17fc10737a290766bc9",
    "db/kab/wilayah_boundaries_kab_71.sql": "2121838028de1e006c01dfc5cafba16c23e41c29fe6928db0a9261ac6608c2b5",
    "db/kab/wilayah_boundaries_kab_72.sql": "eed34d4756d84f36a841200b310fe8c98ff4e952f9e4c0ca3936ba68568ead5b",
    "db/kab/wilayah_boundaries_kab_73.sql": "f6dea2ba0404e29455056dfd0ed16218f3b4aab8d90552d04a9e48fa2686a285",
    "db/kab/wilayah_boundaries_kab_74.sql": "142b04039536a1540bc6394a74c301ca831f9c6a095ac03591a94f6a193d3cf8",
    "db/kab/wilayah_boundaries_kab_75.sql": "31e356354ca16c657aa58f9cf2fe324a5632e334a7ec06a290f05d337bd211bf",
    "db/kab/wilayah_boundaries_kab_76.sql": "3dd92c5a6ac9c9d21a0f2119c4e0c34f8ac723e0d74fb69c2111cf3fa879d594",
    "db/kab/wilayah_boundaries_kab_81.sql": "4be457c4e9379e08d02c4d8e3b7cce68d14a9f0712929f5f823480e50ce36175",
    "db/kab/wilayah_boundaries_kab_82.sql": "c644422b0509b60b0467654ff9c10d627a2f2a342c3c04741331dd5179a71d8d",
    "db/kab/wilayah_boundaries_kab_91.sql": "5244d42170c1057492b5165c55926408f304975bfb9605abd40e428865578d82",
    "db/kab/wilayah_boundaries_kab_92.sql": "c511d1018686bf670ade01354dff3fea7142ed451620e601a98ff4c0d6467f4c",
    "db/kab/wilayah_boundaries_kab_93.sql": "902acd25bc8be597443a83666b531a2285b7b679aed17ce586921a23d70b25bf",
    "db/kab/wilayah_boundaries_kab_94.sql": "b6149fc1186c51b96990975348655ca6eb25fa7f7781b0d5a40f05995e59ccd2",
    "db/kab/wilayah_boundaries_kab_95.sql": "1badbdb85340c7d72aec061d6cb63032eca72f22db539dd9cf6a80e60cb75491",
    "db/kab/wilayah_boundaries_kab_96.sql": "ffb8e5e126953ebab8a97875f0a818ae6a0cf09cab13962b007f504e74c0e8b5",
    "db/prov/wilayah_boundaries_prov_1.sql": "a1d6d5d419df444298fdb3647ec533770e80f13a673cc44860e5d6c1cd16127d",
    "db/prov/wilayah_boundaries_prov_2.sql": "ab881f05e54fa8594d5faeac1ef203c90fc61d8f6c4d1ae16152da8832fe58b7",
    "db/prov/wilayah_boundaries_prov_3.sql": "6345c0fbb8be3d246b160ae8e25e1f4fd5c587da401c66e01cbab960130ee487",
    "db/prov/wilayah_boundaries_prov_4.sql": "6d32082f68ee0ffb741b0eb98ad4f18ef0f160f37bf4928887253054c73af911",
    "db/prov/wilayah_boundaries_prov_5.sql": "fcad3531c4ddce92dc7f4b55a844b57aa21262daaf2a094707c0fd3dd81a5202",
    "db/prov/wilayah_boundaries_prov_6.sql": "5f139f7161860c89ce844215bffd4471f49245c9eef297bb8413801c07526cd4",
    "db/prov/wilayah_boundaries_prov_7.sql": "ba9717155950a68f32f2f11187e1401584827c46593581d3d2381dfef9a01ad4",
    "db/prov/wilayah_boundaries_prov_8.sql": "600f347431d4083980d9be57f1f46ecebd518091110cf6f922e760054bea343c",
}

BOUNDARIES = PinnedSource(N_("regency boundaries"), "cahyadsn/wilayah_boundaries", "3c5a7960f4d227a38489094d84252bdbb3f978a5",
                          "MIT, Copyright (c) 2024 Cahya DSN", "boundaries",
                          "boundaries/cahyadsn__wilayah_boundaries", UPSTREAM_FILES)
REGION_STATS = PinnedSource(
    N_("population and official areas"), "cahyadsn/wilayah", "b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7",
    "MIT, Copyright (c) 2017-2025 Cahya DSN", "region_stats", "regions_stats/cahyadsn__wilayah",
    {"db/wilayah_penduduk.sql": "b0b6b9dc70fa6a4fdb9e05bf00ec549ed8f6cf0bb82f6407281dfac674b10447",
     "db/wilayah_luas.sql": "3ffd506eaabaa2bfa101fb24c5e40582cf9548be38adba53a561d0ed7478c043"})
UPSTREAM_REPO, UPSTREAM_COMMIT, UPSTREAM_LICENCE = BOUNDARIES.repo, BOUNDARIES.commit, BOUNDARIES.licence
UPSTREAM_BASE_URL = BOUNDARIES.base_url


class SourceError(PetaError):
    """A boundary source is missing, unreadable or does not match its pinned checksum."""


@dataclass(frozen=True)
class BoundarySource:
    """The resolved files of the built-in boundary source."""

    root: Path
    origin: str  # "local folder" or "download cache"
    files: dict[str, Path]

    def kab_files(self) -> list[Path]:
        return [p for rel, p in sorted(self.files.items()) if rel.startswith("db/kab/")]

    def prov_files(self) -> list[Path]:
        return [p for rel, p in sorted(self.files.items()) if rel.startswith("db/prov/")]

    def fingerprint(self) -> str:
        """One hash over the pinned checksums: the cache key of anything derived from these files."""
        return pinned_fingerprint()


def pinned_fingerprint() -> str:
    """The cache key of the pinned boundary files (known without reading or downloading them)."""
    return BOUNDARIES.fingerprint()


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_folder(root: Path, source: PinnedSource = BOUNDARIES) -> dict[str, Path]:
    """Check that ``root`` holds every pinned file with the pinned checksum; return their paths."""
    env = settings.SETTINGS[source.setting].env
    if not root.is_dir():
        raise SourceError(N_("{env}={root}: not a folder", env=env, root=root), where=str(root))
    files: dict[str, Path] = {}
    missing, wrong = [], []
    for rel, digest in source.files.items():
        p = root / rel
        if not p.is_file():
            missing.append(rel)
        elif sha256_of(p) != digest:
            wrong.append(rel)
        else:
            files[rel] = p
    if missing or wrong:
        parts = []
        if missing:
            parts.append(N_("{n} missing (first: {first})", n=len(missing), first=missing[0]))
        if wrong:
            parts.append(N_("{n} with a checksum that differs from commit {commit} (first: {first})", n=len(wrong),
                            commit=source.commit[:7], first=wrong[0]))
        raise SourceError(N_("{source_name} folder {root}: {problems}", source_name=source.name, root=root,
                             problems=Msg.join("; ", parts)), where=str(root))
    return files


def download(progress: Callable[[int, int, str], None] | None = None,
             source: PinnedSource = BOUNDARIES) -> dict[str, Path]:
    """Download (once) and verify the pinned upstream files into the cache folder."""
    import pooch

    fetcher = pooch.create(path=cache_dir() / "upstream" / source.commit[:12], base_url=source.base_url,
                           registry={k: f"sha256:{v}" for k, v in source.files.items()}, retry_if_failed=2)
    files: dict[str, Path] = {}
    total = len(source.files)
    for i, rel in enumerate(sorted(source.files), start=1):
        if progress:
            progress(i, total, rel)
        try:
            files[rel] = Path(fetcher.fetch(rel, progressbar=progress is None))
        except Exception as exc:  # network errors, checksum mismatch
            raise SourceError(N_("could not download the {source_name} ({source_base_url}{rel}): {exc}. Without "
                                 "internet, set {settings_settings_source_setti} to a folder with the files of "
                                 "{source_repo}@{source_commit_7}.",
                                 source_name=source.name, source_base_url=source.base_url, rel=rel, exc=exc,
                                 settings_settings_source_setti=settings.SETTINGS[source.setting].env,
                                 source_repo=source.repo, source_commit_7=source.commit[:7]), where=rel) from exc
    return files


def resolve(source: PinnedSource, progress: Callable[[int, int, str], None] | None = None) -> tuple[Path, str, dict[str, Path]]:
    """(root, origin, files) of a pinned source: the configured folder, the shared mirror, else the download cache."""
    configured = settings.get(source.setting)
    if configured:
        return configured, "local folder", verify_folder(configured, source)
    mirror = settings.get("shared") / "data" / source.shared_path
    if (mirror / "db").is_dir():
        return mirror, "local folder", verify_folder(mirror, source)
    files = download(progress, source)
    return cache_dir() / "upstream" / source.commit[:12], "download cache", files


def boundary_source(progress: Callable[[int, int, str], None] | None = None) -> BoundarySource:
    """Resolve the built-in boundary source: the local folder if configured, else the verified download cache."""
    root, origin, files = resolve(BOUNDARIES, progress)
    return BoundarySource(root, origin, files)
