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


@dataclass(frozen=True)
class _Table:
    """A model's table as the statement spells it (computed once per model)."""

    name: str  # quoted
    fields: tuple[models.Field, ...]  # concrete fields, in column order
    columns: tuple[str, ...]  # quoted
    casts: tuple[str, ...]  # each column's type, without a length

    @classmethod
    def of(cls, model: type[models.Model]) -> _Table:
        table = _tables.get(model)
        if table is None:
            quote, meta = connection.ops.quote_name, model._meta
            fields = tuple(meta.concrete_fields)
            table = _tables[model] = cls(
                name=quote(meta.db_table),
                fields=fields,
                columns=tuple(quote(f.column) for f in fields),
                # Without a length: an explicit CAST to varchar(n) would silently truncate,
                # where the assignment to the column refuses a value that is too long.
                casts=tuple(re.sub(r"\(.*\)", "", f.cast_db_type(connection)) for f in fields),
            )
        return table


_tables: dict[type[models.Model], _Table] = {}


class _Statement:
    """The parameters of one call, and the key of its shape: what its SQL text depends on.

    Two calls with the same shape (the same models, the same fields computed by the
    database or taken from other rows, the same conditions) have the same text, which
    is built once per process (``_Text``) and, being the same, planned once per
    connection by PostgreSQL.
    """

    def __init__(self, rows: Sequence[NewRow], guards: Sequence[Guard]) -> None:
        self.rows = list(rows)
        self.guards = list(guards)
        self.alias = {id(row.instance): n for n, row in enumerate(self.rows)}
        self.params: list[Any] = []
        for g in self.guards:
            self.params.extend(g.condition.params)
        shape = [self._row_shape(n, row) for n, row in enumerate(self.rows)]
        self.key = (tuple((g.name, g.condition.text) for g in self.guards), tuple(shape))

    def _source(self, ref: Ref) -> tuple[int, str]:
        n = self.alias.get(id(ref.row))
        if n is None:
            raise ValueError(f"{ref.row!r} is not a row of this statement")
        return n, ref.field

    def _row_shape(self, n: int, row: NewRow) -> tuple:
        obj = row.instance
        table = _Table.of(type(obj))
        pk_given = obj.pk is not None
        special = []  # (field index, how the database computes it)
        for i, f in enumerate(table.fields):
            raw = getattr(obj, f.attname)
            if f.primary_key and raw is None:
                continue
            if raw is None and f.is_relation and f.is_cached(obj):
                related = f.get_cached_value(obj)
                if related is not None and id(related) in self.alias:
                    raw = Ref(related)
            if isinstance(raw, Ref):
                special.append((i, ("ref", self._source(raw))))
            elif isinstance(raw, Template):
                self.params.append(raw.text)
                self.params.extend(raw.fills)
                fills = tuple(self._source(ref) for ref in raw.fills.values())
                special.append((i, ("template", fills)))
            elif isinstance(raw, Sql):
                self.params.extend(raw.params)
                special.append((i, ("sql", raw.text)))
            else:
                self.params.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
        if row.where is not None:
            self.params.extend(row.where.params)
        return (type(obj), pk_given, tuple(special), row.where.text if row.where else None)


class _Text:
    """The SQL of one shape of statement, and per row the fields its RETURNING gives back:
    the key, what the database computed (set on the instance) and what later rows use."""

    def __init__(self, key: tuple) -> None:
        guards, rows = key
        self.returned: list[dict[str, models.Field]] = [
            {model._meta.pk.attname: model._meta.pk} for model, *_ in rows
        ]
        self.models = [model for model, *_ in rows]
        quote = connection.ops.quote_name
        checks = [f"({text}) AS g{n}" for n, (_name, text) in enumerate(guards)]
        ok = " AND ".join(f"g{n}" for n in range(len(guards))) or "true"
        ctes = [
            # MATERIALIZED: referenced once, it would be inlined and each guard run twice.
            f"g0_ AS MATERIALIZED (SELECT {', '.join(checks) or 'true AS g_'})",
            f"g AS (SELECT *, ({ok}) AS ok FROM g0_)",  # noqa: S608
        ]
        inserts = [self._insert(n, *row) for n, row in enumerate(rows)]
        outputs = [f"g{n}" for n in range(len(guards))]
        for n, insert in enumerate(inserts):
            columns = [quote(f.column) for f in self.returned[n].values()]
            ctes.append(f"w{n} AS ({insert} RETURNING {', '.join(columns)})")
            outputs += [f"(SELECT {c} FROM w{n})" for c in columns]  # noqa: S608
        self.sql = f"WITH {', '.join(ctes)} SELECT {', '.join(outputs)} FROM g"  # noqa: S608

    def _ref(self, source: tuple[int, str], sources: set[int]) -> str:
        n, name = source
        meta = self.models[n]._meta
        target = meta.pk if name == "pk" else meta.get_field(name)
        self.returned[n][target.attname] = target
        sources.add(n)
        return f"w{n}.{connection.ops.quote_name(target.column)}"

    def _insert(self, n, model, pk_given, special, where) -> str:
        table = _Table.of(model)
        how = dict(special)
        sources: set[int] = set()
        names, values = [], []
        for i, f in enumerate(table.fields):
            if f.primary_key and not pk_given:
                continue
            names.append(table.columns[i])
            kind, spec = how.get(i, (None, None))
            if kind is not None:
                self.returned[n][f.attname] = f
            if kind == "ref":
                sql = self._ref(spec, sources)
            elif kind == "template":
                sql = "%s"
                for source in spec:
                    sql = f"replace({sql}, %s, CAST({self._ref(source, sources)} AS text))"
            elif kind == "sql":
                sql = f"({spec})"
            else:
                sql = "%s"
            values.append(f"CAST({sql} AS {table.casts[i]})")
        conditions = ["g.ok", *([f"({where})"] if where is not None else [])]
        return (
            f"INSERT INTO {table.name} ({', '.join(names)}) "  # noqa: S608
            f"SELECT {', '.join(values)} FROM {', '.join(['g', *(f'w{s}' for s in sorted(sources))])} "
            f"WHERE {' AND '.join(conditions)}"
        )


_texts: dict[tuple, _Text] = {}


def _text(key: tuple) -> _Text:
    text = _texts.get(key)
    if text is None:
        if len(_texts) > 512:  # shapes are few; a caller building them from data would leak
            _texts.clear()
        text = _texts[key] = _Text(key)
    return text


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
    text = _text(statement.key)
    connection.ensure_connection()
    with connection._prepare_cursor(_PreparedCursor(connection.connection)) as cursor:
        cursor.execute(text.sql, statement.params)
        result = list(cursor.fetchone())
    written = Written(guards={g.name: bool(result.pop(0)) for g in guards})
    for row, returned in zip(new_rows, text.returned, strict=True):
        values = {attname: result.pop(0) for attname in returned}
        if values[row.instance._meta.pk.attname] is None:
            continue  # not written: a guard or its condition was false
        for attname, value in values.items():
            setattr(row.instance, attname, value)
        row.instance._state.adding = False
        row.instance._state.db = connection.alias
        written.written.append(row.instance)
    return written
