"""Links: every URL of the site, relative to its base path or absolute when the site has an origin."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..content.model import Event, Seed


@dataclass(frozen=True)
class Links:
    """Site-relative URLs, prefixed with the site's base path, and absolute ones when the site has an origin."""

    base_path: str
    origin: str
    actor_slugs: Mapping[str, str] = field(default_factory=dict)
    place_slugs: Mapping[str, str] = field(default_factory=dict)
    asset_versions: Mapping[str, str] = field(default_factory=dict)

    def url(self, path: str = "") -> str:
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        """The full URL, or '' when ``base_url`` is a bare path (no canonical URL can be known)."""
        return self.origin + self.url(path) if self.origin else ""

    def permalink(self, path: str = "") -> str:
        """The full URL when known, else the site-relative one."""
        return self.absolute(path) or self.url(path)

    def event(self, event: Event | str) -> str:
        return self.url(event_path(event))

    def seed(self, seed: Seed | str) -> str:
        return self.url(f"sources/{seed if isinstance(seed, str) else seed.id}/")

    def tag(self, tag: str) -> str:
        return self.url(f"tags/{tag}/")

    def actor(self, name: str) -> str:
        return self.url(f"actors/{self.actor_slugs[name]}/")

    def place(self, name: str) -> str:
        return self.url(f"places/{self.place_slugs[name]}/")

    def year(self, year: int | str) -> str:
        return self.url(f"years/{int(year)}/")

    def asset(self, name: str) -> str:
        """A static file, with a content hash so that browsers never keep a stale copy."""
        version = self.asset_versions.get(name)
        return self.url(f"static/{name}") + (f"?v={version}" if version else "")


def event_path(event: Event | str) -> str:
    return f"events/{event if isinstance(event, str) else event.id}/"
