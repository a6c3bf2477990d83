"""Shared building blocks: pieces every app needs that carry no business rules.

- ``common.decisions``   a reviewed decision (decided by, at, outcome, note): the abstract model
                         and the one function that records it
- ``common.admin``       read-only admin and inline mixins (timelines, ledgers, audit rows)
- ``common.idempotency`` client idempotency keys: read from a request, namespaced, hashed
- ``common.export``      CSV and XLSX downloads whose cells cannot run as spreadsheet formulas
- ``common.masking``     masking of phone, ID and e-mail wherever they are shown or logged

Apps import from here; ``common`` imports no app.
"""
