"""Where boundary files come from: the pinned upstream files, a local mirror folder, or a download cache.

The built-in source is ``cahyadsn/wilayah_boundaries`` (MIT) at a pinned commit: 38 regency files and 8 province
files, MySQL INSERT scripts. Every file is verified against the sha256 recorded here, wherever it comes from.

Resolution order:

1. ``PETA_MPP_BOUNDARIES``: a folder holding the same files at the same relative paths. Read from there; the
   network is never touched.
2. A mirror beside the checkout, ``../shared/data/boundaries/cahyadsn__wilayah_boundaries``, when it exists
   (the project's development machines and CI).
3. Otherwise the files are downloaded once from GitHub (with a progress display) into the user cache folder
   (``PETA_MPP_CACHE`` or the platform's cache dir) and verified.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import PetaError

UPSTREAM_REPO = "cahyadsn/wilayah_boundaries"
UPSTREAM_COMMIT = "3c5a7960f4d227a38489094d84252bdbb3f978a5"
UPSTREAM_BASE_URL = f"https://raw.githubusercontent.com/{UPSTREAM_REPO}/{UPSTREAM_COMMIT}/"
UPSTREAM_LICENCE = "MIT, Copyright (c) 2024 Cahya DSN"
ENV_BOUNDARIES = "PETA_MPP_BOUNDARIES"
ENV_CACHE = "PETA_MPP_CACHE"
SIBLING_MIRROR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "boundaries" / "cahyadsn__wilayah_boundaries"

#: sha256 of every pinned upstream file, by path relative to the repository root.
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
    """The cache key of the pinned upstream files (known without reading or downloading them)."""
    return hashlib.sha256("".join(f"{k}={v};" for k, v in sorted(UPSTREAM_FILES.items())).encode()).hexdigest()[:16]


def cache_dir() -> Path:
    """Folder for downloads and derived caches (``PETA_MPP_CACHE`` or the platform's user cache dir)."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("peta-mpp"))


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_folder(root: Path) -> dict[str, Path]:
    """Check that ``root`` holds every pinned file with the pinned checksum; return their paths."""
    if not root.is_dir():
        raise SourceError(f"{ENV_BOUNDARIES}={root}: not a folder")
    files: dict[str, Path] = {}
    missing, wrong = [], []
    for rel, digest in UPSTREAM_FILES.items():
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
            parts.append(f"{len(missing)} missing (first: {missing[0]})")
        if wrong:
            parts.append(f"{len(wrong)} with a checksum that differs from commit {UPSTREAM_COMMIT[:7]} (first: {wrong[0]})")
        raise SourceError(f"boundary folder {root}: " + "; ".join(parts))
    return files


def download(progress: Callable[[int, int, str], None] | None = None) -> dict[str, Path]:
    """Download (once) and verify the pinned upstream files into the cache folder."""
    import pooch

    fetcher = pooch.create(path=cache_dir() / "upstream" / UPSTREAM_COMMIT[:12], base_url=UPSTREAM_BASE_URL,
                           registry={k: f"sha256:{v}" for k, v in UPSTREAM_FILES.items()}, retry_if_failed=2)
    files: dict[str, Path] = {}
    total = len(UPSTREAM_FILES)
    for i, rel in enumerate(sorted(UPSTREAM_FILES), start=1):
        if progress:
            progress(i, total, rel)
        try:
            files[rel] = Path(fetcher.fetch(rel, progressbar=progress is None))
        except Exception as exc:  # network errors, checksum mismatch
            raise SourceError(f"could not download {UPSTREAM_BASE_URL}{rel}: {exc}. Without internet, set "
                              f"{ENV_BOUNDARIES} to a folder with the files of {UPSTREAM_REPO}@{UPSTREAM_COMMIT[:7]}.") from exc
    return files


def boundary_source(progress: Callable[[int, int, str], None] | None = None) -> BoundarySource:
    """Resolve the built-in boundary source: the local folder if configured, else the verified download cache."""
    env = os.environ.get(ENV_BOUNDARIES)
    if env:
        root = Path(env).expanduser()
        return BoundarySource(root, "local folder", verify_folder(root))
    if (SIBLING_MIRROR / "db").is_dir():
        return BoundarySource(SIBLING_MIRROR, "local folder", verify_folder(SIBLING_MIRROR))
    files = download(progress)
    root = next(iter(files.values())).parents[2]
    return BoundarySource(root, "download cache", files)
