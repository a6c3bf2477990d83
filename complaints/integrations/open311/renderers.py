"""GeoReport v2 output: JSON as DRF renders it, XML in the spec's element names.

The spec names the XML root of each resource (``services``/``service``,
``service_requests``/``request``, ``errors``/``error``, ``service_definition``,
``discovery``); a view puts the root and item names on the response as
``open311_root`` / ``open311_item``. Nested lists take the singular of their key
(``attributes`` → ``attribute``), as in the spec's examples.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from rest_framework.renderers import BaseRenderer, JSONRenderer

_SINGULAR = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class Open311JSONRenderer(JSONRenderer):
    format = "json"
    charset = "utf-8"
    ensure_ascii = False


# Characters XML 1.0 cannot carry at all, not even as &#…; references: C0 controls other
# than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value) -> str:
    """The element text of ``value``; characters XML cannot carry become U+FFFD (�)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("\ufffd", str(value))


def _append(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list | tuple):
        item = _SINGULAR.get(name, "item")
        for inner in value:
            _append(element, item, inner)
    else:
        element.text = _text(value)


class Open311XMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        root_name = getattr(response, "open311_root", None) or "response"
        item_name = getattr(response, "open311_item", None) or "item"
        root = ET.Element(root_name)
        if isinstance(data, list | tuple):
            for item in data:
                _append(root, item_name, item)
        elif isinstance(data, dict):
            for key, value in data.items():
                _append(root, key, value)
        body = ET.tostring(root, encoding="unicode")
        return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")
