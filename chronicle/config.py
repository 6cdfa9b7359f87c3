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

from .content.yamldoc import Document, load_yaml
from .diagnostics import ContentErrors, Diagnostic, did_you_mean, one_of


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Sourced timeline"
    description: str = ""
    language: str = "en"
    #: Where the site is published. A full URL ("https://example.org/timeline/")
    #: gives canonical links; a path ("/timeline/") serves from a sub-folder.
    base_url: str = "/"
    #: Repository of the content, for "edit this event" links and the About page (none when empty).
    repository_url: str = ""
    repository_branch: str = "main"
    #: The licence of the content (the events' text and the data exports), as readers see it: "CC BY 4.0".
    #: Shown on the About page and carried by the exports; empty says that no licence has been named.
    license: str = ""
    #: Where the licence's text is ("https://creativecommons.org/licenses/by/4.0/"); optional.
    license_url: str = ""

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
    document: Document | None = None
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

    def problem(name: str, message: str) -> Diagnostic:
        if document is not None and isinstance(document.data, dict) and document.data.get(name) == getattr(site, name):
            return document.error((name,), message)
        return Diagnostic(path or Path("site.yaml"), 1, 1, message)

    found = [
        problem(name, message)
        for name, allow_path in (("base_url", True), ("repository_url", False), ("license_url", False))
        if (message := _url_problem(getattr(site, name), name, allow_path=allow_path))
    ]
    if site.license_url and not site.license:
        found.append(
            problem("license_url", "license_url is set but license is not: name the licence too, e.g. license: CC BY 4.0")
        )
    if found:
        raise ContentErrors(found)
    return site


def _url_problem(url: str, name: str, *, allow_path: bool) -> str:
    """What is wrong with a URL setting ('' when nothing is; an empty optional URL is fine)."""
    if not url and name != "base_url":
        return ""
    parts = urlsplit(url)
    ok = parts.scheme in ("http", "https") and bool(parts.netloc)
    if allow_path and not parts.scheme and not parts.netloc and url.startswith("/"):
        ok = True
    if ok:
        return ""
    wanted = "an http(s) URL or a path starting with '/'" if allow_path else "an http(s) URL"
    return f"{name} '{url}' must be {wanted}"
