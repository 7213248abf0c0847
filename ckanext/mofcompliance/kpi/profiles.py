"""Fiscal-year profiles of the Data Catalog KPI (``profiles/fy*.yaml``), loaded as data.

A profile holds a year's criteria (each naming a kind of rule from ``criteria``), their
levels and points, the size groups and thresholds, the open-characteristics ruleset it
scores with, and the readings made where the sources leave a question open
(docs/kpi-rules.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence


PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
DEFAULT_PROFILE = "fy2565"     # the profile used when none is named (the site's option too)
DEFAULT_REGISTERED_STATES = ("COMPLETED",)   # when a profile does not name them


@dataclass(frozen=True)
class CriterionSpec:
    id: str
    kind: str
    level: int
    max_points: float
    label_th: str
    label_en: str
    params: Mapping[str, Any]

    @property
    def gate(self) -> bool:
        return self.max_points == 0


@dataclass(frozen=True)
class SizeGroup:
    group: int
    min: int
    max: int | None
    label_th: str
    label_en: str

    def holds(self, count: int) -> bool:
        return count >= self.min and (self.max is None or count <= self.max)


@dataclass(frozen=True)
class FocusArea:
    """One of the year's Focus Areas an agency plan chooses from (``key``: its number)."""
    key: str
    label_th: str
    label_en: str


@dataclass(frozen=True)
class Level:
    level: int
    label_th: str
    label_en: str


@dataclass(frozen=True)
class Profile:
    id: str
    version: str
    fiscal_year: int
    title_th: str
    title_en: str
    source: str
    scoring: str
    base_points: float
    openness_rules: str
    dataset_scope: str
    levels: tuple[Level, ...]
    criteria: tuple[CriterionSpec, ...]
    size_groups: tuple[SizeGroup, ...]
    registered_states: frozenset[str]
    readings: tuple[str, ...]
    focus_areas: tuple[FocusArea, ...] = ()

    def focus_area(self, value: str | int) -> FocusArea | None:
        """A Focus Area of this year by its number or its Thai or English label."""
        wanted = str(value).strip()
        return next((fa for fa in self.focus_areas
                     if wanted and wanted in (fa.key, fa.label_th, fa.label_en)), None)

    def size_group(self, count: int) -> SizeGroup | None:
        return next((g for g in self.size_groups if g.holds(count)), None)

    def level_values(self) -> tuple[int, ...]:
        return tuple(lv.level for lv in self.levels)


def profile_from_dict(raw: Mapping[str, Any]) -> Profile:
    """Build a profile from its parsed YAML (exposed so tests and admins can try variants)."""
    return Profile(
        id=raw["id"], version=str(raw.get("version", "1")), fiscal_year=int(raw["fiscal_year"]), title_th=raw["title_th"],
        title_en=raw["title_en"], source=str(raw.get("source", "")), scoring=raw["scoring"],
        base_points=float(raw.get("base_points", 0)), openness_rules=raw["openness_rules"],
        dataset_scope=raw.get("dataset_scope", "all"),
        levels=tuple(Level(int(lv["level"]), lv["label_th"], lv["label_en"]) for lv in raw["levels"]),
        criteria=tuple(
            CriterionSpec(
                id=c["id"], kind=c["kind"], level=int(c["level"]),
                max_points=float(c.get("max_points", 0)), label_th=c["label_th"],
                label_en=c["label_en"], params=c.get("params") or {},
            )
            for c in raw["criteria"]
        ),
        size_groups=tuple(
            SizeGroup(int(g["group"]), int(g["min"]), g.get("max"), g["label_th"], g["label_en"])
            for g in raw.get("size_groups") or ()
        ),
        registered_states=frozenset(raw.get("registered_states") or DEFAULT_REGISTERED_STATES),
        readings=tuple(raw.get("readings") or ()),
        focus_areas=tuple(FocusArea(str(fa["number"]), fa["label_th"], fa["label_en"])
                          for fa in raw.get("focus_areas") or ()),
    )


@dataclass(frozen=True)
class Registry:
    """The loaded profiles by id; ``site`` holds the ids an operator's folder supplied."""
    profiles: Mapping[str, Profile]
    site: frozenset[str]


def read_folder(folder: Path) -> dict[str, Profile]:
    """Every ``*.yaml`` profile of a folder, validated; ``ProfileError`` on the first bad file.

    Two files of one folder giving the same id are refused too."""
    from .profile_format import Fault, ProfileError, read_profile_file   # it imports the kinds

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
            from .profile_format import Fault, ProfileError
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
