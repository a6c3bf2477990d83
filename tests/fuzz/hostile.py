"""Hostile input values, and what every answer to them must be.

The table is what probing sent and what the next prober will send: NUL, lone
surrogates, control characters, impossible and far-away dates, numbers too large
for PostgreSQL, digits ``int()`` refuses, a 1 MB string, invalid UTF-8, and JSON
nested 10,000 deep. The tests in this package send each value to each parameter
and field they discover, one at a time, and collect every answer that breaks a rule
(a 5xx, ill-formed XML, a 400 outside the surface's error format) instead of
stopping at the first, so a failure lists everything that is still wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit
from xml.etree import ElementTree as ET

from django.db import transaction
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart

from tests.complaints.public_helpers import citizen

DEEP = 10_000
MEGABYTE = "x" * 1_000_000


def _q(value: str) -> str:
    # surrogatepass: a lone surrogate goes out as its (invalid) UTF-8 bytes %ED%A0%80
    return quote(value, safe="", errors="surrogatepass")


@dataclass(frozen=True)
class Hostile:
    name: str
    text: str  # the value in a form field or a JSON string
    query: str  # the value percent-encoded in a query string or a path segment

    def __str__(self) -> str:
        return self.name


def _h(name: str, text: str, query: str | None = None) -> Hostile:
    return Hostile(name, text, _q(text) if query is None else query)


HOSTILE = [
    _h("nul", "\x00"),
    _h("nul_inside", "XN-2026\x00-1"),
    _h("lone_surrogate", "\ud800"),
    _h("control_characters", "a\x01\x02\x08\x0b\x0c\x1b\x7fb"),
    _h("invalid_utf8", "\ufffd", query="%FF%FE%C0%AF"),
    _h("impossible_date", "2026-02-30T00:00:00"),
    _h("month_13", "2026-13-01T00:00:00"),
    _h("far_future_west", "9999-12-31T23:59:59-23:59"),
    _h("year_one", "0001-01-01T00:00:00Z"),
    _h("year_zero_month", "0000-01"),
    _h("huge_int", "99999999999999999999"),
    _h("below_bigint", str(-(2**63) - 1)),
    _h("negative", "-1"),
    _h("superscript_digit", "²"),
    _h("superscript_tracking_no", "XN-²⁰²⁶-000001-0"),
    _h("overflowing_float", "1e999"),
    _h("megabyte", MEGABYTE),
]

# Values only JSON can carry: structures, numbers, null, and a 10,000-deep nesting.
JSON_ONLY: list[tuple[str, object]] = [
    ("deep_list", None),  # built lazily: see json_value()
    ("list", [1, 2]),
    ("object", {"a": 1}),
    ("null", None),
    ("true", True),
    ("huge_number", 10**30),
    ("negative_number", -1),
]

# Whole bodies: not an object, truncated, nested deeper than any parser should follow.
RAW_JSON_BODIES: list[tuple[str, bytes]] = [
    ("list_body", b"[1,2]"),
    ("string_body", b'"x"'),
    ("null_body", b"null"),
    ("number_body", b"99999999999999999999"),
    ("truncated", b'{"a": '),
    ("nul_key", b'{"\\u0000": 1}'),
    ("surrogate_key", b'{"\\ud800": 1}'),
    ("invalid_utf8_body", b'{"a": "\xff\xfe"}'),
    ("deep_10k", b"[" * DEEP + b"]" * DEEP),
    ("deep_50k_objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
]


def deep_json_text(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


def json_values():
    """(name, JSON text of the value) for every hostile value a JSON field can take."""
    for h in HOSTILE:
        yield h.name, json.dumps(h.text)
    for name, value in JSON_ONLY:
        yield name, deep_json_text() if name == "deep_list" else json.dumps(value)


def json_body(base: dict, name: str, value_json: str) -> bytes:
    """``base`` as JSON with ``name`` set to the raw JSON ``value_json`` (which may be deep)."""
    others = {k: v for k, v in base.items() if k != name}
    head = json.dumps(others, ensure_ascii=False)[:-1]
    glue = ", " if others else ""
    return (head + glue + json.dumps(name) + ": " + value_json + "}").encode(
        "utf-8", errors="surrogatepass"
    )


def query_string(base: dict, name: str, hostile: Hostile) -> str:
    rest = urlencode({k: v for k, v in base.items() if k != name})
    return (rest + "&" if rest else "") + _q(name) + "=" + hostile.query


FORM = "application/x-www-form-urlencoded"


def form_body(form: dict) -> bytes:
    """``form`` url-encoded, a lone surrogate as its (invalid) UTF-8 bytes."""
    return "&".join(f"{_q(k)}={_q(v)}" for k, v in form.items()).encode("ascii")


# Equal to the test client's MULTIPART_CONTENT but not it: the client encodes a dict only
# for that very object, and takes these bytes as they are.
MULTIPART = "multipart/form-data; boundary=" + BOUNDARY
_SURROGATE_STANDIN = "\U000f0000"  # a private-use character the test client can encode


def multipart_body(values: dict) -> bytes:
    """``values`` as multipart/form-data (``MULTIPART``), lone surrogates as raw bytes."""

    def stand_in(value):
        return value.replace("\ud800", _SURROGATE_STANDIN) if isinstance(value, str) else value

    body = encode_multipart(BOUNDARY, {k: stand_in(v) for k, v in values.items()})
    return body.replace(_SURROGATE_STANDIN.encode(), "\ud800".encode(errors="surrogatepass"))


def client() -> Client:
    """A test client that answers a crash with its 500 instead of raising it, at an address
    of its own: the pages' throttling counters (in Redis, for an hour) never reach the
    counters of the other tests' clients."""
    return Client(raise_request_exception=False, REMOTE_ADDR=citizen().defaults["REMOTE_ADDR"])


@dataclass
class Findings:
    """Every broken answer, as "METHOD target param=value: problem" lines.

    Each request runs inside a savepoint that is rolled back afterwards, so every
    hostile request meets the same database and one request's failed statement
    (which aborts PostgreSQL's transaction) cannot spoil the next. A plain savepoint,
    not ``atomic()``: the services' ``atomic(durable=True)`` still runs as on a server.
    """

    lines: list[str] = field(default_factory=list)
    asked: int = 0

    def ask(self, what: str, send, *, xml: bool = False, error_format=None, expect=None):
        self.asked += 1
        savepoint = transaction.savepoint()
        try:
            response = send()
        finally:
            transaction.savepoint_rollback(savepoint)
        problem = self._problem(response, xml=xml, error_format=error_format, expect=expect)
        if problem:
            self.lines.append(f"{what}: {problem}")
        return response

    @staticmethod
    def _problem(response, *, xml, error_format, expect) -> str | None:
        status = response.status_code
        if status >= 500:
            return f"HTTP {status}"
        if xml:
            try:
                ET.fromstring(response.content)  # noqa: S314  (our own response, in a test)
            except ET.ParseError as exc:
                return f"ill-formed XML ({exc})"
        if expect is not None and status != expect:
            return f"HTTP {status}, not {expect}"
        if status == 400 and error_format is not None:
            problem = error_format(response)
            if problem:
                return f"400 outside the error format ({problem})"
        return None

    def report(self) -> str:
        shown = "\n".join(self.lines[:80])
        more = f"\n… and {len(self.lines) - 80} more" if len(self.lines) > 80 else ""
        return f"{len(self.lines)} of {self.asked} hostile requests broke a rule:\n{shown}{more}"


def short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


class FormsAndLinks(HTMLParser):
    """The forms (method, action, fields with their default values) and links of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "multipart": "multipart" in (a.get("enctype") or ""),
                "fields": {},
                "files": [],
            }
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self._form["files"].append(a["name"])
            elif kind in ("checkbox", "radio"):
                self._form["fields"].setdefault(a["name"], a.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset"):
                self._form["fields"][a["name"]] = a.get("value") or _plausible(a["name"], kind)
        elif tag == "select":
            self._select = a["name"]
            self._form["fields"][a["name"]] = ""
        elif tag == "option" and self._select and a.get("value"):
            if not self._form["fields"][self._select]:  # the first real choice
                self._form["fields"][self._select] = a["value"]
        elif tag == "textarea":
            self._form["fields"][a["name"]] = _plausible(a["name"], "text")
        elif tag == "button" and a.get("value"):
            self._form["fields"].setdefault(a["name"], a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _plausible(name: str, kind: str) -> str:
    """A value a person might type, so the rest of the form passes and the hostile one is reached."""
    if kind == "email" or "email" in name:
        return "citizen@example.com"
    if kind == "tel" or "phone" in name:
        return "13900000000"
    if "id_number" in name or "password" in name or "search" in name:
        return ""
    return "窗口工作人员拒绝一次性告知所需材料"


def page_forms_and_links(html: str) -> FormsAndLinks:
    parser = FormsAndLinks()
    parser.feed(html)
    return parser


def query_keys_of_links(links: list[str], path: str) -> set[str]:
    """Query parameter names of the page's links back to the same path (pagination, filters)."""
    keys = set()
    for link in links:
        parts = urlsplit(link)
        if parts.path in ("", path) and parts.query:
            keys.update(k for k, _v in parse_qsl(parts.query, keep_blank_values=True))
    return keys
