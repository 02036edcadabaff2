"""The API's reference page at /api/docs: the OpenAPI description rendered on the server in the
site's own layout, so it is translated, keyboard-usable and passes axe like every other page
(Swagger UI, ninja's default, had 46 axe violations and no `lang`). The machine-readable
description stays at /api/openapi.json."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    type_link: str  # the anchor of a schema on this page, or ""
    required: bool
    description: str
    where: str = ""  # "path" or "query" for parameters


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Field]
    body: list[Field]
    body_schema: str
    responses: list[Field]


@dataclass
class Section:
    tag: str
    title: str
    operations: list[Operation] = field(default_factory=list)


@dataclass(frozen=True)
class Schema:
    name: str
    anchor: str
    description: str
    fields: list[Field]
    values: list[str]  # an enumeration's values


def anchor(name: str) -> str:
    return f"schema-{name}"


def type_of(schema: dict[str, Any]) -> tuple[str, str]:
    """A readable type ("list of EventOut", "string (date)") and the schema it links to."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF_PREFIX)
        return name, anchor(name)
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        parts = [type_of(option) for option in options]
        links = [link for _text, link in parts if link]
        text = _(" or ").join(text for text, _link in parts)
        if len(options) < len(schema["anyOf"]):
            text = _("%(type)s or null") % {"type": text}
        return text, links[0] if len(links) == 1 else ""
    if schema.get("type") == "array":
        text, link = type_of(schema.get("items", {}))
        return _("list of %(type)s") % {"type": text}, link
    if "enum" in schema:
        return _("one of %(values)s") % {"values": ", ".join(map(str, schema["enum"]))}, ""
    kind = str(schema.get("type", _("any")))
    return (f"{kind} ({schema['format']})" if "format" in schema else kind), ""


def fields_of(schema: dict[str, Any], components: dict[str, Any]) -> list[Field]:
    if "$ref" in schema:
        schema = components.get(schema["$ref"].removeprefix(REF_PREFIX), {})
    required = set(schema.get("required", []))
    result = []
    for name, prop in schema.get("properties", {}).items():
        text, link = type_of(prop)
        result.append(Field(name, text, link, name in required, prop.get("description", "")))
    return result


def operation(method: str, path: str, op: dict[str, Any], components: dict[str, Any]) -> Operation:
    parameters = []
    for parameter in op.get("parameters", []):
        text, link = type_of(parameter.get("schema", {}))
        parameters.append(
            Field(
                parameter["name"],
                text,
                link,
                bool(parameter.get("required")),
                parameter.get("description", ""),
                where=parameter.get("in", ""),
            )
        )
    body: list[Field] = []
    body_schema = ""
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        schema = content["application/json"].get("schema", {})
        body_schema = type_of(schema)[0]
        body = fields_of(schema, components)
    responses = []
    for status, response in op.get("responses", {}).items():
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        text, link = type_of(schema) if schema else ("", "")
        responses.append(Field(str(status), text, link, True, response.get("description", "")))
    return Operation(
        method=method.upper(),
        path=path,
        anchor=op.get("operationId", f"{method}-{path}"),
        summary=op.get("summary", ""),
        description=op.get("description", ""),
        parameters=parameters,
        body=body,
        body_schema=body_schema,
        responses=responses,
    )


def section_title(tag: str) -> str:
    try:
        return str(apps.get_app_config(tag).verbose_name)
    except LookupError:
        return tag


def reference(schema: dict[str, Any]) -> tuple[list[Section], list[Schema]]:
    components = schema.get("components", {}).get("schemas", {})
    sections: dict[str, Section] = {}
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            tag = (op.get("tags") or ["api"])[0]
            section = sections.setdefault(tag, Section(tag, section_title(tag)))
            section.operations.append(operation(method, path, op, components))
    schemas = [
        Schema(
            name,
            anchor(name),
            definition.get("description", ""),
            fields_of(definition, components),
            [str(value) for value in definition.get("enum", [])],
        )
        for name, definition in sorted(components.items())
    ]
    return list(sections.values()), schemas


class Reference(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_prefix=request.path.removesuffix(api.docs_url or ""))
        sections, schemas = reference(schema)
        return render(
            request,
            "core/api_reference.html",
            {
                "info": schema.get("info", {}),
                "openapi_url": self.get_openapi_url(api, kwargs),
                "sections": sections,
                "schemas": schemas,
            },
        )
