"""Stub until the document module lands (replaced below)."""

DOCUMENTS: dict = {}


def render_pdf(*, complaint, name, user):  # pragma: no cover
    raise NotImplementedError
