"""Template profiles: a folder per province under ``templates/profiles/``.

A profile names the display style, the narrative's section list and the
table set.  A new province is a new folder; no code changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .narrative.style import Style
from .compute.evaluation import DEFAULT_TIERS, Tier

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PROFILES = TEMPLATES / "profiles"
DEFAULT_PROFILE = "hunan"


class ProfileError(Exception):
    """A profile that does not exist or cannot be read (a set-up problem, exit 2)."""


@dataclass(frozen=True)
class Profile:
    name: str
    folder: Path
    style: Style
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def evaluation(self) -> dict[str, Any]:
        """绩效 settings: basic_data and project_reports (bool), tiers."""
        settings = self.settings.get("evaluation") or {}
        return {"basic_data": bool(settings.get("basic_data", True)),
                "project_reports": bool(settings.get("project_reports", True))}

    @property
    def tiers(self) -> tuple[Tier, ...]:
        """The qualitative tiers of 绩效 scoring (share of 分值, percent): a provincial setting."""
        written = (self.settings.get("evaluation") or {}).get("tiers")
        if not written:
            return DEFAULT_TIERS
        return tuple(Tier(t["name"], Decimal(str(t["low"])), Decimal(str(t["high"]))) for t in written)


def available() -> list[str]:
    return sorted(p.name for p in PROFILES.iterdir() if (p / "profile.yaml").is_file())


def load_profile(name: str | None) -> Profile:
    name = name or DEFAULT_PROFILE
    folder = PROFILES / name
    path = folder / "profile.yaml"
    if not path.is_file():
        raise ProfileError(f"没有名为“{name}”的模板方案；可用的方案：{'、'.join(available())}")
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ProfileError(f"模板方案 {path} 不是有效的YAML：{exc}") from None
    display = settings.get("display", {})
    known = {f.name for f in fields(Style)}
    unknown = set(display) - known
    if unknown:
        raise ProfileError(f"模板方案 {path} 的 display 中有不认识的设置：{'、'.join(sorted(unknown))}")
    return Profile(name, folder, Style(**display), settings)
