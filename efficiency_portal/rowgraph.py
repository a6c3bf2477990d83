"""Write several new rows that refer to each other in one SQL statement.

A step that creates a record with its event, its clock and its notices writes
five rows; through the ORM that is five INSERTs plus the transaction's BEGIN and
COMMIT, each a round trip to PostgreSQL. On the intake path (other systems file
complaints at volume) the round trips are most of the cost, so ``write_new_rows``
sends them as one statement of data-modifying CTEs, which PostgreSQL runs
atomically — one statement is one transaction, with nothing half-written::

    WITH g AS (SELECT <guard> AS ok, …),
         w0 AS (INSERT INTO complaint (…) SELECT … FROM g WHERE g.ok RETURNING *),
         w1 AS (INSERT INTO event (complaint_id, …) SELECT w0.id, … FROM w0 RETURNING *),
         …
    SELECT g.*, (SELECT json_agg(w0) FROM w0), (SELECT json_agg(w1) FROM w1), … FROM g

The rows are ordinary unsaved model instances built by the same code that the
one-row-at-a-time paths use; the values go through each field's
``get_db_prep_save`` and are cast to the column's type, as the ORM would write them.

* A foreign key to another row of the same call is filled from that row's
  RETURNING (no placeholder needed); any other field can be given as ``Ref(row,
  "field")`` — e.g. a generic ``subject_id`` — or as ``Template(text, {marker:
  Ref})``, text with markers replaced by another row's value (a notice that
  quotes a tracking number the database assigns).
* ``Sql(...)`` is a value computed by the database (``nextval`` …).
* A ``Guard`` is a condition checked in the same snapshot before anything is
  written — "the credential is still valid", "the configuration the values were
  computed from has not changed". If one is false, nothing is written and the
  caller learns which (``Written.guards``).
* ``NewRow(instance, where=Sql(...))`` writes that row only if the condition holds;
  rows that depend on it (through a key or a ``Ref``) are then not written either.

After the call every written instance has its primary key and database-computed
values set, as after ``save()``. Nothing here sends signals: callers are service
functions that write their own events.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import psycopg
from django.db import connection, models


@dataclass(frozen=True)
class Sql:
    """A value (or condition) computed by the database: SQL text with %s parameters."""

    text: str
    params: Sequence[Any] = ()


@dataclass(frozen=True)
class Ref:
    """The value of ``field`` (default: the primary key) of another row of the same call."""

    row: models.Model
    field: str = "pk"


@dataclass(frozen=True)
class Template:
    """``text`` with each marker replaced by the value of a ``Ref`` (cast to text)."""

    text: str
    fills: dict[str, Ref]


@dataclass(frozen=True)
class Guard:
    name: str
    condition: Sql


@dataclass
class NewRow:
    instance: models.Model
    where: Sql | None = None


@dataclass
class Written:
    guards: dict[str, bool]
    written: list[models.Model] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(self.guards.values())

    def has(self, instance: models.Model) -> bool:
        return any(row is instance for row in self.written)


_casts: dict[models.Field, str] = {}


def _cast(f: models.Field) -> str:
    # Without a length: an explicit CAST to varchar(n) would silently truncate, where
    # the assignment to the column refuses a value that is too long, as an INSERT does.
    cast = _casts.get(f)
    if cast is None:
        cast = _casts[f] = re.sub(r"\(.*\)", "", f.cast_db_type(connection))
    return cast


class _Statement:
    """Builds the SQL and its parameters; identifiers come from model metadata (quoted)."""

    def __init__(self, rows: Sequence[NewRow], guards: Sequence[Guard]) -> None:
        self.rows = list(rows)
        self.guards = list(guards)
        self.alias = {id(row.instance): n for n, row in enumerate(self.rows)}
        self.params: list[Any] = []
        # Per row, the fields its RETURNING gives back: the key, what the database
        # computed (to set on the instance) and what later rows refer to.
        self.returned: list[dict[str, models.Field]] = [
            {row.instance._meta.pk.attname: row.instance._meta.pk} for row in self.rows
        ]

    def _ref(self, ref: Ref, sources: set[int]) -> str:
        n = self.alias.get(id(ref.row))
        if n is None:
            raise ValueError(f"{ref.row!r} is not a row of this statement")
        sources.add(n)
        meta = ref.row._meta
        target = meta.pk if ref.field == "pk" else meta.get_field(ref.field)
        self.returned[n][target.attname] = target
        return f"w{n}.{connection.ops.quote_name(target.column)}"

    def _value(self, n: int, f: models.Field, obj: models.Model, sources: set[int]) -> str:
        raw = getattr(obj, f.attname)
        if raw is None and isinstance(f, models.ForeignKey) and f.is_cached(obj):
            related = f.get_cached_value(obj)
            if related is not None and id(related) in self.alias:
                raw = Ref(related)
        if isinstance(raw, (Ref, Template, Sql)):
            self.returned[n][f.attname] = f
        if isinstance(raw, Ref):
            return f"CAST({self._ref(raw, sources)} AS {_cast(f)})"
        if isinstance(raw, Template):
            sql = "%s"
            self.params.append(raw.text)
            for marker, ref in raw.fills.items():
                sql = f"replace({sql}, %s, CAST({self._ref(ref, sources)} AS text))"
                self.params.append(marker)
            return f"CAST({sql} AS {_cast(f)})"
        if isinstance(raw, Sql):
            self.params.extend(raw.params)
            return f"CAST(({raw.text}) AS {_cast(f)})"
        self.params.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
        return f"CAST(%s AS {_cast(f)})"

    def _insert(self, n: int, row: NewRow) -> str:
        obj, meta = row.instance, row.instance._meta
        fields = [
            f
            for f in meta.concrete_fields
            if not (f.primary_key and getattr(obj, f.attname) is None)
        ]
        sources: set[int] = set()
        values = [self._value(n, f, obj, sources) for f in fields]
        where = ["g.ok"]
        if row.where is not None:
            where.append(f"({row.where.text})")
            self.params.extend(row.where.params)
        quote = connection.ops.quote_name
        return (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
            f"SELECT {', '.join(values)} FROM {', '.join(['g', *(f'w{s}' for s in sorted(sources))])} "
            f"WHERE {' AND '.join(where)}"
        )

    def sql(self) -> str:
        quote = connection.ops.quote_name
        checks = [f"({g.condition.text}) AS g{n}" for n, g in enumerate(self.guards)]
        for g in self.guards:
            self.params.extend(g.condition.params)
        ok = " AND ".join(f"g{n}" for n in range(len(self.guards))) or "true"
        inserts = [self._insert(n, row) for n, row in enumerate(self.rows)]
        ctes = [
            # MATERIALIZED: referenced once, it would be inlined and each guard run twice.
            f"g0_ AS MATERIALIZED (SELECT {', '.join(checks) or 'true AS g_'})",
            f"g AS (SELECT *, ({ok}) AS ok FROM g0_)",  # noqa: S608
        ]
        outputs = [f"g{n}" for n in range(len(self.guards))]
        for n, insert in enumerate(inserts):
            columns = [quote(f.column) for f in self.returned[n].values()]
            ctes.append(f"w{n} AS ({insert} RETURNING {', '.join(columns)})")
            outputs += [f"(SELECT {c} FROM w{n})" for c in columns]  # noqa: S608
        return f"WITH {', '.join(ctes)} SELECT {', '.join(outputs)} FROM g"  # noqa: S608


class _PreparedCursor(psycopg.Cursor):
    """Server-side parameters, and always a prepared statement (Django turns psycopg's
    automatic preparing off; the ORM keeps binding on the client)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        result = super().execute(
            query, params, prepare=self.connection.prepare_threshold is not None, binary=binary
        )
        if getattr(self._query, "query", None) is None:
            # A prepared execution keeps no text; Django's query log reads it from here.
            self._query = SimpleNamespace(query=query.encode(), params=None)
        return result


def write_new_rows(
    rows: Sequence[NewRow | models.Model], *, guards: Sequence[Guard] = ()
) -> Written:
    """Insert ``rows`` (in order: a row may refer only to rows before it) in one statement.

    The statement is sent with server-side parameters, so its text is the same for
    every call with the same shape of rows, and prepared: PostgreSQL plans it once
    per connection (``plan_cache_mode`` in settings) instead of for every call.
    """
    new_rows = [r if isinstance(r, NewRow) else NewRow(r) for r in rows]
    statement = _Statement(new_rows, guards)
    sql = statement.sql()
    connection.ensure_connection()
    with connection._prepare_cursor(_PreparedCursor(connection.connection)) as cursor:
        cursor.execute(sql, statement.params)
        result = list(cursor.fetchone())
    written = Written(guards={g.name: bool(result.pop(0)) for g in guards})
    for row, returned in zip(new_rows, statement.returned, strict=True):
        values = {attname: result.pop(0) for attname in returned}
        if values[row.instance._meta.pk.attname] is None:
            continue  # not written: a guard or its condition was false
        for attname, value in values.items():
            setattr(row.instance, attname, value)
        row.instance._state.adding = False
        row.instance._state.db = connection.alias
        written.written.append(row.instance)
    return written
