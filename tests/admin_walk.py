"""Helpers for tests that walk every admin page: read a rendered form as a browser would,
submit it (changed or not), and list the writes a request executed.

Used by ``tests/organizations/test_admin_writes_everywhere.py`` (every admin save is a
service with an audit row) and ``tests/ops/test_get_never_writes.py`` (a GET changes nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Tables a request may write without changing anything anyone decided: the session
# (login, messages), Django's admin history (next to our audit row) and django-axes'
# login records.
NOISE_TABLES = ("django_session", "django_admin_log", "axes_")
_WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?([a-z0-9_]+)"?', re.IGNORECASE)


def writes(captured, *, noise: tuple[str, ...] = NOISE_TABLES) -> list[tuple[str, str]]:
    """(statement kind, table) of every INSERT / UPDATE / DELETE in ``captured`` outside ``noise``."""
    found = []
    for query in captured.captured_queries:
        match = _WRITE.match(query["sql"])
        if match and not match.group(2).startswith(noise):
            found.append((match.group(1).split()[0].upper(), match.group(2)))
    return found


@dataclass
class FormField:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    checked: bool = False
    multiple: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)
    readonly: bool = False
    maxlength: int | None = None


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[FormField] = []
        self._textarea: FormField | None = None
        self._select: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
            return
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            self.fields.append(
                FormField(
                    name=attrs["name"],
                    kind=(attrs.get("type") or "text").lower(),
                    value=attrs.get("value") or "",
                    checked="checked" in attrs,
                    readonly="readonly" in attrs or "disabled" in attrs,
                    maxlength=int(attrs["maxlength"]) if attrs.get("maxlength") else None,
                )
            )
        elif tag == "textarea":
            self._textarea = FormField(name=attrs["name"], kind="textarea")
            self.fields.append(self._textarea)
        elif tag == "select":
            self._select = FormField(
                name=attrs["name"], kind="select", multiple="multiple" in attrs
            )
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


def read_form(html: str, form_id: str) -> list[FormField]:
    reader = _FormReader(form_id)
    reader.feed(html)
    # Django's first line of a textarea drops one leading newline, as browsers do.
    for f in reader.fields:
        if f.kind == "textarea" and f.value.startswith("\n"):
            f.value = f.value[1:]
    return reader.fields


def submission(fields: list[FormField]) -> dict[str, list[str]]:
    """What a browser sends for ``fields`` as they are (empty formset templates left out)."""
    data: dict[str, list[str]] = {}
    for f in fields:
        if "__prefix__" in f.name or f.kind in ("submit", "button", "file", "image", "reset"):
            continue
        if f.kind in ("checkbox", "radio"):
            if f.checked:
                data.setdefault(f.name, []).append(f.value or "on")
        elif f.kind == "select":
            chosen = [value for value, selected in f.options if selected]
            if not chosen and not f.multiple and f.options:
                chosen = [f.options[0][0]]
            if chosen:
                data.setdefault(f.name, []).extend(chosen)
        else:
            data.setdefault(f.name, []).append(f.value)
    return data


def mutations(fields: list[FormField], *, prefix: str = ""):
    """(field name, changed submission) for each field a person could change.

    Top-level fields by default; ``prefix="form-0-"`` takes the first row of a
    changelist's quick-edit formset instead.
    """
    base = submission(fields)
    for f in fields:
        name = f.name.removeprefix(prefix)
        if (
            f.readonly
            or not f.name.startswith(prefix)
            or "-" in name  # inline rows and management forms: the inline's own business
            or f.name.startswith(("_", "csrf", "initial-"))
            or f.kind in ("hidden", "password", "submit", "button", "file", "radio", "date", "time")
        ):
            continue
        data = {name: list(values) for name, values in base.items()}
        if f.kind == "checkbox":
            if f.checked:
                data.pop(f.name, None)
            else:
                data[f.name] = [f.value or "on"]
        elif f.kind == "select":
            current = set(base.get(f.name, []))
            others = [value for value, _selected in f.options if value and value not in current]
            if not others:
                continue
            data[f.name] = [*current, others[0]] if f.multiple else [others[0]]
        elif f.kind == "number":
            try:
                data[f.name] = [str(int(f.value or 0) + 1)]
            except ValueError:
                continue
        elif f.kind in ("text", "textarea", "search"):
            if re.fullmatch(r"[\d\-: .]+", f.value or "-"):
                continue  # a date, a time or a number typed as text
            keep = (f.maxlength or len(f.value) + 1) - 1
            data[f.name] = [(f.value or "")[:keep] + "改"]
        else:
            continue
        yield name, data
