"""A column compared with a long list of ids (the calendar's hundreds of policies kept or left out), bound
as one value rather than one placeholder an id: on PostgreSQL `column = ANY(%s)` with the list as one
array parameter, so that neither Django nor the driver handles each id of it on every query (building,
then parsing a statement of hundreds of placeholders cost more than the query's own work). Elsewhere
(SQLite has no arrays) the usual `column IN (...)`."""

from django.db.models import BooleanField, Expression, F


class OneOf(Expression):
    """True where `column` (a field's name) is one of `ids`; usable in filter() and exclude(). A NULL
    column is in no list (neither kept nor left out: the column is set on the rows it is used on)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids):
        super().__init__()
        self.column = F(column)
        self.ids = list(ids)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        if not self.ids:
            return "1 = 0", []
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", (*params, *self.ids)

    def as_postgresql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        return f"{column} = ANY(%s)", (*params, self.ids)
