"""The loaded fiscal-year profiles of the Data Catalog KPI: the shipped ones
(``profiles/fy*.yaml``) and those of the operator's folders, by id.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from .profile import Profile
from .profile_format import Fault, ProfileError, read_profile_file

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
DEFAULT_PROFILE = "fy2565"     # the profile used when none is named (the site's option too)


@dataclass(frozen=True)
class Registry:
    """The loaded profiles by id; ``site`` holds the ids an operator's folder supplied."""
    profiles: Mapping[str, Profile]
    site: frozenset[str]


def read_folder(folder: Path) -> dict[str, Profile]:
    """Every ``*.yaml`` profile of a folder, validated; ``ProfileError`` on the first bad file.

    Two files of one folder giving the same id are refused too."""
    found: dict[str, Profile] = {}
    for path in sorted(folder.glob("*.yaml")):
        profile = read_profile_file(path)
        if profile.id in found:
            raise ProfileError(path, [Fault(1, "id", f"รหัสโปรไฟล์ {profile.id} ซ้ำกับไฟล์อื่นในโฟลเดอร์",
                                            f"profile id {profile.id!r} is used by another file "
                                            "of the folder")])
        found[profile.id] = profile
    return found


def build_registry(site_folders: Sequence[Path | str] = ()) -> Registry:
    """The shipped profiles, then each operator folder's (same id: the operator's wins)."""
    profiles = read_folder(PROFILES_DIR)
    site: set[str] = set()
    for folder in site_folders:
        path = Path(folder)
        if not path.is_dir():
            raise ProfileError(path, [Fault(0, "profiles_path", "ไม่พบโฟลเดอร์",
                                            "no such folder")])
        extra = read_folder(path)
        profiles.update(extra)
        site.update(extra)
    return Registry(profiles, frozenset(site))


_registry: Registry | None = None


def registry() -> Registry:
    global _registry
    if _registry is None:
        _registry = build_registry()
    return _registry


def use_site_folders(folders: Sequence[Path | str]) -> Registry:
    """Load the shipped profiles and the operator's folders (at start-up).

    Everything is read and checked before the registry is replaced: a bad file leaves the
    previous profiles in place and raises ``ProfileError``."""
    global _registry
    _registry = build_registry(folders)
    return _registry


def load_at_start_up(folders: Sequence[Path | str], default_id: str) -> Registry:
    """``use_site_folders``, then check that the configured default profile is loaded."""
    loaded = use_site_folders(folders)
    if default_id not in loaded.profiles:
        known = ", ".join(sorted(loaded.profiles))
        raise ValueError(
            f"ckanext.mofcompliance.profile: ไม่มีโปรไฟล์ {default_id!r} (ที่มี: {known}) / "
            f"no profile {default_id!r} is loaded (known: {known})")
    return loaded


def profile_ids() -> tuple[str, ...]:
    return tuple(sorted(registry().profiles))


def is_site_profile(profile_id: str) -> bool:
    """Whether the operator's folder supplied (or overrode) this profile."""
    return profile_id in registry().site


def load_profile(profile_id: str) -> Profile:
    try:
        return registry().profiles[profile_id]
    except KeyError:
        raise KeyError(f"unknown KPI profile {profile_id!r}; known: {', '.join(profile_ids())}") \
            from None


def resolve(profile: Profile | str) -> Profile:
    """A profile given as itself or by its id."""
    return profile if isinstance(profile, Profile) else load_profile(profile)
