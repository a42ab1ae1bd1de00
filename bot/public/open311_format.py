"""Open311 GeoReport v2 documents in JSON and XML, field for field as the standard names them
(http://wiki.open311.org/GeoReport_v2): services, service requests, errors and discovery."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

import orjson

Document = list[dict[str, Any]] | dict[str, Any]

SERVICE_FIELDS = (
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
)
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
CONTENT_TYPES = {"json": "application/json", "xml": "text/xml"}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(parent: ET.Element, name: str, value: object) -> None:
    if isinstance(value, list):
        holder = ET.SubElement(parent, name)
        for item in value:
            if isinstance(item, dict):
                child = ET.SubElement(holder, name.rstrip("s"))
                for key, inner in item.items():
                    _element(child, key, inner)
            else:
                ET.SubElement(holder, name.rstrip("s")).text = _text(item)
        return
    ET.SubElement(parent, name).text = _text(value)


def _xml(root: ET.Element) -> bytes:
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def listing(fmt: str, root: str, item: str, rows: Sequence[dict[str, Any]]) -> bytes:
    """A list of services (``services``/``service``) or requests (``service_requests``/
    ``request``); nulls are empty elements in XML."""
    if fmt == "json":
        return orjson.dumps(list(rows))
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for key, value in row.items():
            _element(element, key, value)
    return _xml(top)


def errors(fmt: str, code: int, description: str) -> bytes:
    if fmt == "json":
        return orjson.dumps([{"code": code, "description": description}])
    top = ET.Element("errors")
    error = ET.SubElement(top, "error")
    ET.SubElement(error, "code").text = str(code)
    ET.SubElement(error, "description").text = description
    return _xml(top)


def discovery(fmt: str, document: dict[str, Any]) -> bytes:
    if fmt == "json":
        return orjson.dumps(document)
    top = ET.Element("discovery")
    for key, value in document.items():
        if key == "endpoints":
            endpoints = ET.SubElement(top, "endpoints")
            for endpoint in value:
                element = ET.SubElement(endpoints, "endpoint")
                for name, inner in endpoint.items():
                    _element(element, name, inner)
        else:
            _element(top, key, value)
    return _xml(top)
