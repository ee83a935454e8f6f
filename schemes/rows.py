"""The reads every request makes before its page (its session, its user, the tenancy check), as SQL written once per
process instead of being built by the ORM each time: building them was most of their cost (docs/performance.md).

`fetch_one` gives the same objects the ORM would: the same columns, with the same converters applied to each value
(on PostgreSQL only JSON needs one; SQLite has more), through `Model.from_db`."""

import functools

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model


@functools.cache
def _columns(connection, tables: tuple[tuple[str, type[Model]], ...]) -> tuple[str, list]:
    """The SELECT list for these (alias, model) tables on one database connection (a thread's), and each column's
    field converters."""
    quote = connection.ops.quote_name
    columns = [(alias, field) for alias, model in tables for field in model._meta.concrete_fields]
    converters = []
    for alias, field in columns:
        col = field.get_col(alias)
        converters.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    return ", ".join(f"{alias}.{quote(field.column)}" for alias, field in columns), converters


def fetch_one(tables: tuple[tuple[str, type[Model]], ...], where: "Where", params: list) -> list[Model] | None:
    """One object of each table's model from the first row `where` finds (None: no row). `where` writes the rest of
    the query after the SELECT list (FROM, joins, WHERE), once per connection."""
    connection = connections[DEFAULT_DB_ALIAS]
    select, converters = _columns(connection, tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} {where.sql(connection)}", params)  # noqa: S608 - names from the models
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (col, functions) in zip(row, converters, strict=True):
        for function in functions:
            value = function(value, col, connection)
        values.append(value)
    objects, start = [], 0
    for _alias, model in tables:
        fields = model._meta.concrete_fields
        end = start + len(fields)
        objects.append(model.from_db(connection.alias, [f.attname for f in fields], values[start:end]))
        start = end
    return objects


class Where:
    """The FROM and WHERE of a `fetch_one` query, written by `build(quote)` (quote: the database's way of quoting
    names) the first time each kind of database asks."""

    def __init__(self, build):
        self.build = build
        self._sql: dict[str, str] = {}

    def sql(self, connection) -> str:
        if connection.vendor not in self._sql:
            self._sql[connection.vendor] = self.build(connection.ops.quote_name)
        return self._sql[connection.vendor]


def now_param(value):
    """A date and time as this database takes it as a parameter (SQLite keeps them as text in UTC)."""
    return connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value(value)
