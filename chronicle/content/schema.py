"""Schema: the JSON Schemas of the content, and their errors in words.

``schemas/event.schema.json`` (published for editors as
``events/event.schema.json``) and ``schemas/seed.schema.json``. Every
jsonschema error is translated into a message that names the field, the bad
value, what is allowed and the fix.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from ..diagnostics import Diagnostic, did_you_mean, one_of
from .names import slugify
from .yamldoc import Document, Pointer

if TYPE_CHECKING:
    import jsonschema

# What to write for a missing field, shown with the error.
_EXAMPLES = {
    "title": "title: CJNG gunmen shoot down a military helicopter",
    "date": 'date: "2015-05-01"',
    "status": "status: reported",
    "summary": 'summary: "One paragraph in your own words."',
    "sources": 'sources: [{seed: <seed-id>, quote: "a passage copied from the seed"}]',
    "name": 'name: "Tapalpa, Jalisco"',
    "kind": "kind: news",
}


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with the package: 'event' or 'seed'."""
    text = resources.files("chronicle").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def _validator(name: str) -> jsonschema.Draft7Validator:
    import jsonschema  # only for a document already found invalid: importing it costs 60 ms

    return jsonschema.Draft7Validator(schema(name))


@cache
def _fast_validator(name: str) -> Any:
    return jsonschema_rs.Draft7Validator(schema(name))


def schema_errors(document: Document, data: Any, name: str) -> list[Diagnostic]:
    """Every schema error of ``data``, as diagnostics with a fix (see :func:`schema_check`)."""
    return schema_check(document, data, name)[0]


def schema_check(document: Document, data: Any, name: str) -> tuple[list[Diagnostic], set[Pointer]]:
    """Every schema error of ``data`` as diagnostics with a fix, and the pointers of the values found wrong.

    The schema is the one place where every value's type is checked: the
    checks after it look only at values not found wrong here
    (:func:`is_sound`), so no value of a wrong type reaches code that assumes
    another. jsonschema-rs (Rust) answers whether a document is valid hundreds
    of times faster; only an invalid one goes through jsonschema, whose
    detailed errors are translated into words here.
    """
    if _fast_validator(name).is_valid(data):
        return [], set()
    errors = list(_validator(name).iter_errors(data))
    if not errors:  # the validators disagree (a regular expression's or NaN's corner): the later checks say why
        return [], {UNEXPLAINED}
    # A misspelt key is reported once, as unknown with its suggestion, not again as missing.
    misspelt = {
        (tuple(error.absolute_path), suggestion)
        for error in errors
        if error.validator == "additionalProperties" and isinstance(error.instance, dict)
        for key in error.instance
        if key not in error.schema.get("properties", {})
        for suggestion in difflib.get_close_matches(str(key), list(error.schema.get("properties", {})), n=1, cutoff=0.6)
    }
    problems: list[Diagnostic] = []
    bad: set[Pointer] = set()
    required_done: set[Pointer] = set()  # jsonschema gives one error per missing key; each lists them all
    for error in errors:
        pointer: Pointer = tuple(error.absolute_path)
        if not (error.validator == "pattern" and pointer[-1:] in (("date",), ("published",))):
            bad.add(pointer)  # a date's form is explained by the date check, which must then run
        if error.validator == "required":
            if pointer in required_done:
                continue
            required_done.add(pointer)
        for message, target, at_key in _explain(error, pointer, name, {k for p, k in misspelt if p == pointer}):
            problems.append(document.error(target, message, at_key=at_key))
    return problems, bad


#: In the pointers :func:`schema_check` finds wrong: the fast validator found the document invalid and the
#: detailed one found nothing to say. The checks after the schema say what is wrong; if they find nothing,
#: :func:`unexplained` does.
UNEXPLAINED: Pointer = ("<unexplained>",)


def unexplained(document: Document, bad: set[Pointer], name: str) -> list[Diagnostic]:
    """The last word when the schema found a document invalid and nothing else said why."""
    if UNEXPLAINED not in bad:
        return []
    return [document.error((), f"the file does not match the {name} schema (schemas/{name}.schema.json)")]


def is_sound(pointer: Pointer, bad: set[Pointer]) -> bool:
    """Did the schema find nothing wrong at ``pointer``, inside it or around it (a wrong type of a container)?

    The root (a missing required key) makes nothing else unsound.
    """
    return not any(wrong and (wrong[: len(pointer)] == pointer or pointer[: len(wrong)] == wrong) for wrong in bad)


def _explain(
    error: jsonschema.ValidationError, pointer: Pointer, name: str, misspelt: set[str]
) -> list[tuple[str, Pointer, bool]]:
    field = field_name(pointer)
    value = error.instance
    kind = error.validator
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        where = (
            "in a source"
            if pointer and pointer[0] == "sources"
            else "in a place"
            if pointer and pointer[0] == "places"
            else f"in {_article(name)}"
        )
        return [
            (f"unknown key '{key}' {where}.{did_you_mean(key, allowed)} Allowed keys: {one_of(allowed)}", pointer + (key,), True)
            for key in value
            if key not in allowed
        ]
    if kind == "required":
        missing = [k for k in error.validator_value if k not in value and k not in misspelt]
        hint = lambda k: f": add '{_EXAMPLES[k]}'" if k in _EXAMPLES else ""  # noqa: E731
        where = f" in {field}" if pointer else ""
        return [(f"missing required key '{k}'{where}{hint(k)}", pointer, False) for k in missing]
    if kind == "oneOf" and pointer[:1] == ("sources",) and not isinstance(value, dict):
        return []  # its type is the problem, said once
    if kind == "oneOf" and pointer[:1] == ("sources",):
        if misspelt & {"seed", "url", "quote", "title"}:
            return []  # the misspelt key is the problem
        return [(_source_shape(value, field), pointer, False)]
    if kind == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        words = {"string": "text", "array": "a list", "object": "a mapping", "number": "a number", "null": "null"}
        wanted = " or ".join(words.get(w, w) for w in wanted.split(" or "))
        return [(f"{field} must be {wanted}, not {_describe(value)}{_type_hint(pointer, value)}", pointer, False)]
    if kind == "enum":
        allowed = [str(v) for v in error.validator_value]
        return [
            (
                f"{field} is '{value}', which is not allowed.{did_you_mean(str(value), allowed)} Use {one_of(allowed)}",
                pointer,
                False,
            )
        ]
    if kind == "pattern":
        if pointer[-1:] in (("date",), ("published",)):
            return []  # parse_date explains dates better
        if pointer[-1:] in (("url",), ("archive_url",)):
            return [(f"{field} '{value}' must be an http:// or https:// address", pointer, False)]
        return [
            (
                f"{field} '{value}' must be a lowercase slug (letters, digits, hyphens), e.g. '{slugify(str(value))}'",
                pointer,
                False,
            )
        ]
    if kind == "minItems":
        return [(f"{field} must have at least {error.validator_value} item(s): add a source with a quote", pointer, False)]
    if kind == "minLength":
        return [(f"{field} must not be empty", pointer, False)]
    if kind == "maxLength":
        return [
            (
                f"{field} is {len(value)} characters long; keep it under {error.validator_value}: put details in the summary",
                pointer,
                False,
            )
        ]
    if kind == "uniqueItems":
        seen: set[Any] = set()
        dupes = [v for v in value if (repr(v) in seen) or seen.add(repr(v))]  # type: ignore[func-returns-value]
        return [(f"{field} lists {', '.join(repr(d) for d in dupes)} more than once: remove the repeat", pointer, False)]
    if kind in ("minimum", "maximum"):
        return [(f"{field} is {value}, out of range: {error.message}", pointer, False)]
    return [(f"{field}: {error.message}", pointer, False)]


def _source_shape(source: Any, field: str) -> str:
    if not isinstance(source, dict):
        return f"{field} must be a mapping: 'seed:' with 'quote:', or 'url:' with 'title:' and 'quote:'"
    outside_only = [k for k in ("url", "title", "publisher", "published", "kind", "archive_url") if k in source]
    if "seed" in source and "url" in source:
        return f"{field} has both 'seed' and 'url': a source is either a seed or an outside URL; split it into two sources"
    if "seed" in source:
        if "quote" not in source:
            return f"{field} cites seed '{source['seed']}' without a quote: add 'quote:' with a passage copied from the seed"
        return (
            f"{field} cites a seed, so {one_of(outside_only)} must go: a seed's title, publisher and date "
            f"come from seeds/{source['seed']}.yaml"
        )
    if "url" in source:
        return f"{field} cites a URL without a title: add 'title:' (the page's title)"
    return f"{field} needs 'seed:' (a document in seeds/) with 'quote:', or 'url:' with 'title:'"


def field_name(pointer: Pointer) -> str:
    if not pointer:
        return "the file"
    name = str(pointer[0])
    for part in pointer[1:]:
        name += f"[{part}]" if isinstance(part, int) else f".{part}"
    return name


def _describe(value: Any) -> str:
    if value is None:
        return "empty (null)"
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}
    return kinds.get(type(value), type(value).__name__)


def _type_hint(pointer: Pointer, value: Any) -> str:
    if isinstance(value, str) and pointer[-1:] in (("tags",), ("actors",), ("related",), ("sources",), ("places",)):
        return (
            f": write a list, e.g. [{value}]"
            if pointer[-1] != "sources"
            else ": write a list of sources, each starting with '- '"
        )
    if value is None:
        return ": give it a value or remove the key"
    if isinstance(value, dict | list) and pointer[-1:] in (("summary",), ("title",), ("body",), ("quote",)):
        return ": text containing ': ' or starting with '- ' or '[' must be quoted, or use '>' for a paragraph"
    return ""


def _article(name: str) -> str:
    return {"event": "an event", "seed": "seed metadata"}.get(name, name)
