"""TimelineJS: the format of Knight Lab's TimelineJS 3, both ways.

Out, ``data/timelinejs.json`` (:func:`timelinejs_ends`, :func:`slide_line`): a title slide, then one
slide per event, as TimelineJS 3 loads it (``new TL.Timeline(element,
"timelinejs.json")``): ``start_date`` and, for a span, ``end_date`` at the
event's precision (year; year and month; or year, month and day);
``display_date`` where the date is approximate, uncertain or still open, with
the label the site shows; ``text.headline`` (the title); ``text.text``, HTML
holding the summary, the body, the status and the sources as a list, each
part marked with a ``chronicle-`` class so that an import can tell them
apart; ``group`` (the event's first tag) and ``unique_id`` (its id).

In, :func:`read_json`: a TimelineJS JSON file as
:class:`chronicle.exchange.slides.Slide` values, every problem named by its
JSON path (``events[3].start_date.month``). The Google Sheets template is read
by :mod:`chronicle.exchange.sheet`; both give the same slides, which
:mod:`chronicle.exchange.importer` turns into event files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from markupsafe import escape  # HTML-escaped text (markupsafe's escaping is in C)

from ..config import SiteConfig
from ..content.dates import DatePoint
from ..content.model import Event, Source
from ..site.links import Links, event_path
from ..site.markup import Markdown
from .slides import FormatError, Media, Slide, SlideDate, check_span, kind_of, make_date

TIMELINEJS_PATH = "data/timelinejs.json"

#: What each status means, in the slides (the site's About page says the same).
STATUS_WORDS = {
    "confirmed": "an official record, a court finding, or several independent sources",
    "reported": "credible reporting, not officially confirmed",
    "alleged": "a claim by one party or witness, or an indictment",
    "disputed": "the sources conflict",
}


# --- out ---------------------------------------------------------------------------------


def timelinejs_ends(site: SiteConfig, links: Links) -> tuple[bytes, bytes]:
    """``data/timelinejs.json``'s opening (with the title slide) and closing; one slide per event goes between, a line
    each (:func:`slide_line`), after its :func:`chronicle.exchange.exports.line_join`."""
    title: dict[str, Any] = {"text": {"headline": str(escape(site.title)), "text": _title_text(site, links)}}
    return f'{{"scale":"human","title":{_json(title)},"events":['.encode(), b"]}\n"


def slide_line(event: Event, links: Links, markdown: Markdown) -> bytes:
    """An event's slide, as its line of ``timelinejs.json``."""
    return _json(slide(event, links, markdown)).encode("utf-8")


def slide(event: Event, links: Links, markdown: Markdown) -> dict[str, Any]:
    """One event as a TimelineJS slide."""
    date = event.date
    data: dict[str, Any] = {"unique_id": event.id, "start_date": date_object(date.start)}
    if date.end is not None:
        data["end_date"] = date_object(date.end)
    if date.is_approximate or date.is_uncertain or date.open_end:
        data["display_date"] = date.label()
    data["text"] = {"headline": str(escape(event.title)), "text": slide_text(event, links, markdown)}
    if event.tags:
        data["group"] = event.tags[0]
    return data


def date_object(point: DatePoint) -> dict[str, str]:
    """``{"year": "2015", "month": "5", "day": "1"}``, only as far as the date is known."""
    found = {"year": str(point.year)}
    if point.month:
        found["month"] = str(point.month)
    if point.day:
        found["day"] = str(point.day)
    return found


def slide_text(event: Event, links: Links, markdown: Markdown) -> str:
    """The slide's HTML: summary, body, status, sources and a link to the event's page, each part marked by class."""
    parts = [f'<div class="chronicle-summary">{markdown.html(event.summary)}</div>']
    if event.body:
        parts.append(f'<div class="chronicle-body">{markdown.html(event.body)}</div>')
    parts.append(f'<p class="chronicle-status">Status: <strong>{event.status}</strong> ({STATUS_WORDS[event.status]})</p>')
    if event.sources:
        items = "".join(_source_item(s, links) for s in event.sources)
        parts.append(f'<p class="chronicle-sources-heading">Sources:</p><ul class="chronicle-sources">{items}</ul>')
    url = escape(links.permalink(event_path(event)))
    parts.append(f'<p class="chronicle-link"><a href="{url}">The full record, with every source</a></p>')
    return "".join(parts)


def _source_item(source: Source, links: Links) -> str:
    seed = source.seed
    href = source.link or (links.permalink(f"sources/{seed.id}/") if seed else "")
    title = str(escape(source.display_title or source.display_publisher or href or "Untitled document"))
    attributes = f' data-stance="{source.stance}"'
    if source.display_kind:
        attributes += f' data-kind="{source.display_kind}"'
    if source.display_published:
        attributes += f' data-published="{escape(source.display_published.text)}"'
    text = f'<a class="chronicle-source-link" href="{escape(href)}">{title}</a>' if href else title
    if source.display_publisher:
        text += f', <span class="chronicle-publisher">{escape(source.display_publisher)}</span>'
    if source.display_published:
        text += f", {escape(source.display_published.label())}"
    if source.stance == "disputes":
        text += " (disputes this account)"
    if source.quote:
        text += f': <q class="chronicle-quote">{escape(source.quote)}</q>'
    if source.archive_url and not seed:
        text += f' (<a class="chronicle-archive" href="{escape(source.archive_url)}">archived copy</a>)'
    return f'<li class="chronicle-source"{attributes}>{text}</li>'


def _title_text(site: SiteConfig, links: Links) -> str:
    text = f"<p>{escape(site.description)}</p>" if site.description else ""
    licence = str(escape(site.license))
    if site.license_url:
        licence = f'<a href="{escape(site.license_url)}">{licence}</a>'
    if site.license:
        text += f"<p>Licence: {licence}.</p>"
    return text + f'<p><a href="{escape(links.permalink())}">The timeline, with every source</a></p>'


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- in: the JSON file ---------------------------------------------------------------


def read_json(text: str) -> list[Slide]:
    """The slides of a TimelineJS JSON file, title and eras included.

    Raises :class:`FormatError` naming every problem by its JSON path.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError([f"line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}"]) from None
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise FormatError(['the top level must be an object with an "events" list, as TimelineJS 3 writes it'])
    if data.get("scale") not in (None, "", "human"):
        problems.append(f"scale is {data['scale']!r}: only 'human' (calendar dates) can be imported")
    slides: list[Slide] = []
    if data.get("title") is not None:
        slides.extend(_json_slide(data["title"], "title", "title", problems, dated=False))
    for i, item in enumerate(data["events"]):
        slides.extend(_json_slide(item, f"events[{i}]", "event", problems, dated=True))
    eras = data.get("eras")
    if eras is not None and not isinstance(eras, list):
        problems.append("eras must be a list")
    for i, item in enumerate(eras if isinstance(eras, list) else []):
        slides.extend(_json_slide(item, f"eras[{i}]", "era", problems, dated=False))  # skipped: a date is not needed
    if problems:
        raise FormatError(problems)
    return slides


def _json_slide(item: Any, where: str, kind: str, problems: list[str], *, dated: bool) -> list[Slide]:
    if not isinstance(item, dict):
        problems.append(f"{where} must be an object (a slide), not {kind_of(item)}")
        return []
    text = _object(item, where, "text", problems)
    media = _object(item, where, "media", problems)
    start = _json_date(item, where, "start_date", problems, required=dated)
    end = _json_date(item, where, "end_date", problems, required=False)
    check_span(start, end, where, problems)
    found = Slide(
        where=where,
        kind=kind,
        start=start,
        end=end,
        display_date=_text(item, where, "display_date", problems) or _date_words(item),
        headline=_text(text, f"{where}.text", "headline", problems),
        text=_text(text, f"{where}.text", "text", problems),
        group=_text(item, where, "group", problems),
        unique_id=_text(item, where, "unique_id", problems),
        media=Media(**{k: _text(media, f"{where}.media", k, problems) for k in ("url", "credit", "caption", "thumbnail", "alt")})
        if media
        else None,
        background=_background(item.get("background")),
    )
    return [found]


def _date_words(item: Mapping[str, Any]) -> str:
    """The display text a slide's dates may carry themselves (``start_date.display_date``), joined as a span's label."""
    words = []
    for key in ("start_date", "end_date"):
        date = item.get(key)
        text = (date.get("display_date") or date.get("display_text")) if isinstance(date, dict) else None
        if isinstance(text, str) and text.strip():
            words.append(text.strip())
    return " – ".join(words)


def _object(item: Mapping[str, Any], where: str, key: str, problems: list[str]) -> Mapping[str, Any]:
    value = item.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}.{key} must be an object, not {kind_of(value)}")
        return {}
    return value


def _text(item: Mapping[str, Any], where: str, key: str, problems: list[str]) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.append(f"{where}.{key} must be text, not {kind_of(value)}")
        return ""
    return str(value).strip()


def _background(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("url") or value.get("color") or "")
    return str(value or "")


def _json_date(item: Mapping[str, Any], where: str, key: str, problems: list[str], *, required: bool) -> SlideDate | None:
    value = item.get(key)
    if value is None or value == {}:
        if required:
            problems.append(f"{where} has no {key}: every event needs one with at least a year")
        return None
    if not isinstance(value, dict):
        problems.append(f'{where}.{key} must be an object like {{"year": "1998"}}, not {kind_of(value)}')
        return None
    parts = {name: value.get(name) for name in ("year", "month", "day", "hour", "minute", "second", "millisecond")}
    for name, part in parts.items():
        if part is not None and (isinstance(part, bool) or not isinstance(part, str | int)):
            problems.append(f"{where}.{key}.{name} must be a whole number, not {kind_of(part)}")
            return None
    time = ":".join(str(parts[n]) for n in ("hour", "minute") if parts[n] not in (None, ""))
    return make_date(parts["year"], parts["month"], parts["day"], time, f"{where}.{key}", problems)
