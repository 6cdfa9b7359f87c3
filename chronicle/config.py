"""Config: where the content is, where the site goes, and the site's settings.

Site settings live in ``site.yaml`` beside ``build.py``. They are read into a
typed, frozen :class:`SiteConfig`; an unknown key or a value of the wrong type
is an error with its line and column, like any content error.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .content.yamldoc import load_yaml
from .diagnostics import ContentErrors, Diagnostic, did_you_mean, one_of


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Sourced timeline"
    description: str = ""
    language: str = "en"
    #: Where the site is published. A full URL ("https://example.org/timeline/")
    #: gives canonical links; a path ("/timeline/") serves from a sub-folder.
    base_url: str = "/"
    #: Repository of the content, for "edit this event" links (none when empty).
    repository_url: str = ""
    repository_branch: str = "main"

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, always ending in '/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        """'https://example.org' when ``base_url`` is absolute, else ''."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@dataclass(frozen=True)
class BuildConfig:
    events_dir: Path
    seeds_dir: Path
    templates_dir: Path
    output_dir: Path
    site: SiteConfig
    #: Run Pagefind over the event pages (the live preview may skip it for speed).
    search_index: bool = True


def load_site_config(path: Path | None, *, base_url: str | None = None) -> SiteConfig:
    """Read ``site.yaml`` (all defaults when ``path`` is None or missing)."""
    values: dict[str, object] = {}
    if path is not None and path.exists():
        document, problems = load_yaml(path)
        if document is not None and not isinstance(document.data, dict):
            problems.append(document.error((), "site.yaml must be a mapping of settings"))
        elif document is not None:
            allowed = {f.name: f for f in dataclasses.fields(SiteConfig)}
            for key, value in document.data.items():
                if key not in allowed:
                    problems.append(
                        document.error(
                            (key,),
                            f"unknown setting '{key}'.{did_you_mean(key, list(allowed))} "
                            f"Allowed settings: {one_of(sorted(allowed))}",
                            at_key=True,
                        )
                    )
                elif not isinstance(value, str):
                    problems.append(document.error((key,), f"'{key}' must be text, not {type(value).__name__}"))
                else:
                    values[key] = value
        if problems:
            raise ContentErrors(problems)
    if base_url is not None:
        values["base_url"] = base_url
    site = SiteConfig(**values)  # type: ignore[arg-type]
    _check_url(path, site.base_url, "base_url", allow_path=True)
    if site.repository_url:
        _check_url(path, site.repository_url, "repository_url", allow_path=False)
    return site


def _check_url(path: Path | None, url: str, name: str, *, allow_path: bool) -> None:
    parts = urlsplit(url)
    ok = parts.scheme in ("http", "https") and bool(parts.netloc)
    if allow_path and not parts.scheme and not parts.netloc and url.startswith("/"):
        ok = True
    if not ok:
        wanted = "an http(s) URL or a path starting with '/'" if allow_path else "an http(s) URL"
        raise ContentErrors([Diagnostic(path or Path("site.yaml"), 1, 1, f"{name} '{url}' must be {wanted}")])
