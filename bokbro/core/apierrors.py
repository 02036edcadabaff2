"""The API's errors: one shape for every 4xx answer, and one place that turns what went wrong
into it (docs/architecture.md, "The API's errors").

    {"code": "invalid", "detail": "Some fields are not valid.",
     "errors": [{"field": "email", "code": "invalid", "message": "Enter a valid email address."}]}

`code` is a word for programs (`invalid`, `unparsable`, `not_found`, `too_many_requests`, or a
rule's own, such as `already_registered`); `detail` and each `message` are sentences in the
visitor's language; `errors` names each field that was refused (empty when the request as a
whole was). `install(api)` makes the NinjaAPI answer every error so:

- a parameter or body that does not fit the operation's schema (pydantic), and a NUL byte in
  any string of the query or the JSON body (no text Bokbro stores holds one; PostgreSQL cannot
  store it): 422, with Django's own messages for the usual reasons (so translated);
- a form the operation runs (`FormInvalid(form)`, the same form class as the web page): 422,
  with the form's messages;
- a body that is not JSON: 400 `unparsable`; a missing object: 404 `not_found`;
- a rule's refusal: `ApiError(status, code, detail)`, or `Status(status, error(...))`;
- a refused rate (ninja's `Throttled`): 429 `too_many_requests`.

`document(schema)` adds the answers every operation can give (422 for one with parameters or a
body, 400 for one with a body, 404 for one with a path parameter) to the OpenAPI description
with the shared schema, so a router declares only its own (409; 429 where it limits the rate,
raising ninja's `Throttled(wait)`, answered with Retry-After)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core import validators
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.parser import Parser

if TYPE_CHECKING:
    from django.utils.datastructures import MultiValueDict
    from ninja import NinjaAPI

API_PREFIX = "/api/"
COMPONENT = "#/components/schemas/"


class FieldError(Schema):
    field: str
    code: str
    message: str


class ErrorOut(Schema):
    """Every error the API answers has this shape: a `code` for programs, a `detail` for
    people, and the fields that were refused (`errors`, empty when none was)."""

    code: str
    detail: str
    errors: list[FieldError] = []


class ApiError(Exception):
    """A refusal an operation raises: answered as `status` with `code`, `detail` and `errors`."""

    def __init__(
        self, status: int, code: str, detail: str, errors: Iterable[dict[str, str]] = ()
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.payload = error(code, detail, errors)


class FormInvalid(ApiError):
    """The form the operation ran (the web page's own form class) refused the input: 422 with
    each field's messages. `fields` renames a form field to the API's name for it."""

    def __init__(self, form: forms.BaseForm, fields: dict[str, str] | None = None) -> None:
        rename = fields or {}
        errors = [
            {"field": rename.get(name, name) if name != "__all__" else "", **item}
            for name, items in form.errors.get_json_data().items()
            for item in cast(list[dict[str, str]], items)
        ]
        super().__init__(422, "invalid", invalid_detail(errors), errors)


def invalid_detail(errors: Iterable[dict[str, str]]) -> str:
    """The detail of a 422: the sentence, then each field and its reason, for people reading
    the answer (programs read `errors`)."""
    reasons = "; ".join(
        f"{e['field']}: {e['message']}" if e["field"] else str(e["message"]) for e in errors
    )
    return f"{_('Some fields are not valid.')} {reasons}".strip()


def error(code: str, detail: str, errors: Iterable[dict[str, str]] = ()) -> dict[str, Any]:
    """The error shape as a value, for `Status(409, error("already_registered", ...))`."""
    return {
        "code": code,
        "detail": str(detail),
        "errors": [
            {"field": e["field"], "code": e.get("code") or "invalid", "message": str(e["message"])}
            for e in errors
        ],
    }


def error_response(status: int, payload: dict[str, Any]) -> HttpResponse:
    return JsonResponse(payload, status=status)


# --- NUL bytes ------------------------------------------------------------------------------


class NulByte(ValueError):
    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def _nul_in(value: Any, where: str = "") -> str | None:
    """Where a NUL byte is in a parsed JSON value ("name", "items.2.title"), or None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            if "\x00" in str(key):
                return inner
            found = _nul_in(item, inner)
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _nul_in(item, f"{where}.{i}" if where else str(i))
            if found is not None:
                return found
    return None


def _nul_error(source: str, field: str) -> dict[str, Any]:
    message = str(validators.ProhibitNullCharactersValidator.message)
    return {"loc": (source, *field.split(".")), "type": "null_characters", "msg": message}


class RefusingParser(Parser):
    """JSON bodies and query strings, refusing a NUL byte in any string."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        where = _nul_in(data)
        if where is not None:
            # Ninja turns any exception of the parser into a 400; the handler of HttpError
            # finds this one as its cause and answers 422 with the field.
            raise NulByte(where)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in str(v) for v in values):
                raise ValidationError([_nul_error("query", key.replace("\x00", ""))])
        return cast(dict[str, Any], super().parse_querydict(data, list_fields, request))


# --- pydantic's reasons in Django's (translated) words --------------------------------------


def _message(item: dict[str, Any]) -> str:
    kind = item.get("type", "")
    ctx = item.get("ctx") or {}
    try:
        if kind == "missing":
            return str(forms.Field.default_error_messages["required"])
        if kind in ("int_parsing", "int_type", "int_from_float"):
            return str(forms.IntegerField.default_error_messages["invalid"])
        if kind in ("bool_type", "bool_parsing"):
            return _("Enter true or false.")
        if kind in ("literal_error", "enum"):
            return str(forms.ChoiceField.default_error_messages["invalid_choice"]) % {
                "value": ctx.get("given", "")
            }
        if kind == "string_too_long":
            limit = int(ctx["max_length"])
            return _("Ensure this value has at most %(limit)d characters.") % {"limit": limit}
        if kind == "string_too_short":
            limit = int(ctx["min_length"])
            return _("Ensure this value has at least %(limit)d characters.") % {"limit": limit}
        if kind in ("less_than_equal", "less_than"):
            return str(validators.MaxValueValidator.message) % {
                "limit_value": ctx["le" if kind == "less_than_equal" else "lt"]
            }
        if kind in ("greater_than_equal", "greater_than"):
            return str(validators.MinValueValidator.message) % {
                "limit_value": ctx["ge" if kind == "greater_than_equal" else "gt"]
            }
        if kind == "null_characters":
            return str(validators.ProhibitNullCharactersValidator.message)
    except (KeyError, TypeError, ValueError):
        pass
    if kind in ("string_pattern_mismatch", "string_type", "model_type", "dict_type", "list_type"):
        return str(validators.RegexValidator.message)
    return str(item.get("msg") or validators.RegexValidator.message)


def _field(loc: Iterable[Any]) -> str:
    """A pydantic location as the API's field name: `("body", "payload", "email")` is
    "email", `("query", "limit")` is "limit"; the body as a whole is ""."""
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts)


# --- the handlers ---------------------------------------------------------------------------


def _validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
    errors = [
        {
            "field": _field(item.get("loc", ())),
            "code": item.get("type", "invalid"),
            "message": _message(item),
        }
        for item in exc.errors
    ]
    return error_response(422, error("invalid", invalid_detail(errors), errors))


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, NulByte):
        return _validation_error(
            request, ValidationError([_nul_error("body", f"payload.{cause.where}")])
        )
    if isinstance(exc, Throttled):
        response = error_response(
            429,
            error("too_many_requests", _("Too many requests. Please wait a little and try again.")),
        )
        if exc.wait:
            response["Retry-After"] = str(exc.wait)
        return response
    if exc.status_code == 400:
        return error_response(
            400, error("unparsable", _("The request's body could not be read as JSON."))
        )
    return error_response(exc.status_code, error("refused", str(exc)))


def _api_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(exc.status, exc.payload)


def _not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(404, not_found())


def not_found() -> dict[str, Any]:
    return error("not_found", _("There is nothing at this address."))


def install(api: NinjaAPI) -> None:
    """The API answers every error in the shared shape."""
    api.parser = RefusingParser()
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(ApiError, _api_error)
    api.add_exception_handler(Http404, _not_found)


# --- the OpenAPI description ----------------------------------------------------------------

GENERIC = {
    400: "The body is not JSON (`unparsable`).",
    404: "No such object here (`not_found`).",
    422: "A parameter or field is not valid (`invalid`); `errors` names each one.",
    429: "Too many requests from this client or for this object (`too_many_requests`).",
}
# What a router's own refusal with this status means, where it declares it without saying.
DECLARED = {
    400: "The body is not JSON (`unparsable`), or a rule refused the request (`code` names it).",
    403: "Not allowed (`code` says why).",
    409: "It conflicts with what is stored (`code` names the conflict).",
    429: GENERIC[429] + " Retry-After says when to try again.",
}


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"{COMPONENT}ErrorOut"}}},
    }


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Every status an operation can answer, in the description: the generic ones (see the
    module's text) added to what the router declared, all with the shared error schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    definition = ErrorOut.model_json_schema(ref_template=COMPONENT + "{model}")
    for name, inner in definition.pop("$defs", {}).items():
        components.setdefault(name, inner)
    components.setdefault("ErrorOut", definition)
    for operations in schema.get("paths", {}).values():
        for op in operations.values():
            parameters = op.get("parameters", [])
            statuses: set[int] = set()
            if parameters or "requestBody" in op:
                statuses.add(422)
            if "requestBody" in op:
                statuses.add(400)
            if any(p.get("in") == "path" for p in parameters):
                statuses.add(404)
            responses = op.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(status, _error_response(GENERIC[status]))
            for status, response in responses.items():
                code = int(status)
                if code in DECLARED and response.get("description") == HTTPStatus(code).phrase:
                    response["description"] = DECLARED[code]
            op["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
    return schema
