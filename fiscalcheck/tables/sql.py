"""The one module that writes SQL: a table's relations as queries over exact decimals.

Every figure is a DuckDB ``DECIMAL(38, s)``, cast from the cell's text (never a
DOUBLE), and stands for the interval of values that print that way, exactly as
:mod:`fiscalcheck.tolerance` decides for a statement: ± half a unit of the
cell's last printed digit (its own number of decimals, not the column's), up to
one unit above for truncated figures, a point for exact ones, widened to the
policy's floor for yuan. A relation fails only when its intervals cannot meet:

* a measure printed on several rows (a total repeated on each row of its
  group): the printings agree when ``max(lo) <= min(hi)`` (statements-agree);
  elsewhere it is their intersection, or their hull when they disagree, as in
  the tree engine;
* parts-sum: the parent's interval meets the sum of its children's;
* within-budget: ``executed.lo <= base.hi`` (base: adjusted if printed, else budget);
* rate: the printed rate meets executed / base; with a base that is strictly
  positive this is decided by products, exactly, without dividing:
  ``rate.hi < executed/base`` for every value iff ``rate.hi·b < e.lo`` at both
  ends of the base;
* remainder: the printed remainder meets ``base − executed``.

One query (:func:`checks_sql`) decides them all, reading the table's rows once;
it returns only what fails (the few rows the engine then describes as findings)
and counts what holds. Identifiers and literals are generated here
from the table spec and quoted; nothing the case file says is pasted unquoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..model import Policy
from ..record import Record
from .read import NUMBER
from ..model.table import Column, Table
from ..numbers import EXACT

__all__ = ["Layout", "layout", "quote", "literal", "SETTINGS", "parquet_rows_sql", "describe_sql", "extremes_sql",
           "cell_sql", "bad_code_sql", "orphan_sql", "load_sql", "scan_sql", "unique_sql", "nodes_sql", "SQL_RULES",
           "EACH", "checks_sql", "statements_agree_sql",
           "top_sql", "top_count_sql", "top_items_sql", "totals_sql", "first_row_sql", "parent_key_sql", "node_sql",
           "rows_sql", "children_sql", "near_sql", "near_has_sql", "near_lacks_sql", "printed_on_sql"]

#: Each connection's settings: no progress bar of DuckDB's own (:mod:`.progress` draws one), and a
#: CSV's rows numbered in the file's order (:func:`load_sql`).
SETTINGS = ("SET enable_progress_bar = false", "SET preserve_insertion_order = true")

SEPARATOR = "chr(31)"  # joins the codes of a levels table into one key: a character no cell prints


def quote(name: str) -> str:
    """A column or table name as a SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string as a SQL literal."""
    return "'" + text.replace("'", "''") + "'"


def _decimal(value: Decimal, scale: int, width: int = 38) -> str:
    """An exact decimal constant of the given scale (its text, never a float)."""
    return f"CAST({literal(format(value, 'f'))} AS DECIMAL({width},{scale}))"


@attrs.frozen(repr=False, eq=False)
class Measure(Record):
    """One measure column as the SQL reads it: names, the scales found, base-unit exponent."""

    measure: str
    column: Column
    alias: str  # c0, c1 ... a safe name for the column in generated SQL
    max_scale: int  # the most decimals any cell of the column prints
    exponent: int  # value in the table's common unit = printed value × 10**exponent (see Layout.base)
    exact: bool  # every cell read as an exact figure
    count: bool  # a count: integral cells are exact
    typed: bool = False  # a DECIMAL or integer column (Parquet): every cell prints max_scale decimals
    digits: int = 38  # the most digits before the decimal point any cell prints
    floor: Decimal = Decimal(0)  # the policy's floor in the common unit, for a yuan column

    @property
    def scale(self) -> int:
        """The DECIMAL scale that holds every value, half-width and floor exactly."""
        return max(self.max_scale - self.exponent + 1, -EXACT.normalize(self.floor).as_tuple().exponent, 0)

    @property
    def width(self) -> int:
        """18 digits (a machine word, fast) when every bound fits with room to spare, else 38."""
        return 18 if self.digits + max(self.exponent, 0) + self.scale + 2 <= 18 else 38


@attrs.frozen(repr=False, eq=False)
class Layout(Record):
    """A table's columns as the generated SQL names them, with their scales."""

    table: Table
    policy: Policy
    #: per level (one level for code/key tables): measure name -> Measure
    levels: tuple[dict[str, Measure], ...]
    keys: tuple[str, ...]  # alias of each level's code column (code/key tables: one)
    aliases: dict[str, str]  # column name -> alias
    #: Amounts are computed in one common unit, 10**base of the base unit (元): the smallest any
    #: amount column uses, so that no cell is multiplied at all when they all share it. Ratios
    #: (rates) are in their base unit (a fraction), as a rate compares with amount / amount.
    base: int = 0
    #: The relation holding every node that can have children: ``nt``, or ``nu`` (the stored upper
    #: levels) when the line items are a view over the file (see :func:`nodes_sql`), so that a
    #: parts-sum never reads the line items to find their parents.
    parents: str = "nt"
    #: The relation the rows of the nodes to describe are read from: ``src``, or ``near`` (the rows
    #: under the top codes of the relations that fail, see :func:`near_sql`) once it is made.
    rows: str = "src"

    @property
    def measure_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m for level in self.levels for m in level))

    @property
    def shape(self) -> str:
        return self.table.shape

    def dimension(self, measure: str) -> str:
        for level in self.levels:
            if measure in level:
                return level[measure].column.unit.dimension
        raise KeyError(measure)


def _exponent(column: Column) -> int:
    scale = EXACT.normalize(column.unit.scale).as_tuple()
    return column.shift + int(scale.exponent)


def layout(table: Table, policy: Policy, scales: dict[str, int], typed: frozenset[str] = frozenset(),
           digits: dict[str, int] | None = None) -> Layout:
    """The layout for ``table`` given the most decimals of each column (from :func:`scan_sql`, or
    the scale of a typed column, named in ``typed``)."""
    aliases = {name: f"c{i}" for i, name in enumerate(table.columns)}
    levels_spec = (
        [(level.code, level.measures) for level in table.levels] if table.levels
        else [(table.code or table.key or "", table.measures)]
    )
    amounts = [_exponent(c) for _, measures in levels_spec for c in measures.values()
               if c.unit.dimension != "ratio"]
    base = min(amounts) if amounts else 0
    levels = []
    for _, measures in levels_spec:
        out = {}
        for measure, column in measures.items():
            declared = column.exact if column.exact is not None else (measure in policy.exact or None)
            ratio = column.unit.dimension == "ratio"
            out[measure] = Measure(
                measure, column, aliases[column.name], scales.get(column.name, 0),
                _exponent(column) - (0 if ratio else base),
                exact=bool(declared), count=declared is None and column.unit.dimension == "count",
                typed=column.name in typed, digits=(digits or {}).get(column.name, 38),
                floor=EXACT.scaleb(policy.floor, -base) if policy.floor and column.unit.dimension == "CNY" else Decimal(0),
            )
        levels.append(out)
    keys = tuple(aliases[code] for code, _ in levels_spec)
    return Layout(table, policy, tuple(levels), keys, aliases, base)


# -- reading ------------------------------------------------------------------


def parquet_rows_sql(path: str) -> str:
    """How many rows a Parquet file holds, from its metadata: no row is read."""
    return f"SELECT num_rows FROM parquet_file_metadata({literal(path)})"


def describe_sql(table: Table) -> str:
    """The columns of a table file and their types (CSV and TSV read as text throughout)."""
    path = literal(table.file)
    if table.format == "parquet":
        return f"DESCRIBE SELECT * FROM read_parquet({path})"
    delimiter = literal("\t" if table.format == "tsv" else ",")
    return f"DESCRIBE SELECT * FROM read_csv({path}, all_varchar = true, header = true, delim = {delimiter})"


def extremes_sql(aliases: Sequence[str]) -> str:
    """The largest and smallest figure of each typed column: max and min, not max(abs()), so that
    DuckDB answers from a Parquet file's statistics without reading its rows."""
    return "SELECT " + ", ".join(f"max({a}), min({a})" for a in aliases) + " FROM src"


def cell_sql(expression: str, row: int) -> str:
    """What ``expression`` (a column alias, or a function of one) gives on row ``row``: the text an
    error message quotes."""
    return f"SELECT {expression} FROM src WHERE r = {int(row)}"


def bad_code_sql(layout: Layout) -> str:
    """The first row of a prefix table whose code has none of the levels' lengths (or NULL)."""
    code = f"trim({layout.keys[0]})"
    lengths = ", ".join(str(int(n)) for n in layout.table.lengths)
    return f"SELECT min(r) FROM src WHERE NULLIF({code}, '') IS NOT NULL AND length({code}) NOT IN ({lengths})"


def orphan_sql() -> str:
    """The first node whose parent (code prefix or parent column) names no node: (first row, parent key)."""
    return ("SELECT c.first, c.pkey FROM nt AS c LEFT JOIN nt AS p ON p.key = c.pkey AND NOT p.total "
            "WHERE c.pkey IS NOT NULL AND p.key IS NULL ORDER BY c.first LIMIT 1")


def load_sql(table: Table, typed: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Statements that make the table's rows ``src(r, c0, c1, ...)``: ``r`` the row number, each
    named column as text (or, for a Parquet DECIMAL or integer column named in ``typed``, as it is:
    already exact).

    A CSV is parsed once into a temporary table (every later query reads memory,
    not the file), its rows numbered by ``rowid``: DuckDB keeps a file's order when
    one table is filled from it (``preserve_insertion_order``, set by the engine),
    and numbering by ``row_number() OVER ()`` instead cost a third of the read.
    A Parquet file is columnar already and is scanned in place. Row numbers count
    as a spreadsheet does: the header is row 1.
    """
    columns = ", ".join(
        f"{quote(name)} AS c{i}" if name in typed else f"CAST({quote(name)} AS VARCHAR) AS c{i}"
        for i, name in enumerate(table.columns)
    )
    path = literal(table.file)
    if table.format == "xlsx":  # the sheet's printed texts, registered as ``sheet`` by the engine
        return (f"CREATE TEMP TABLE src AS SELECT CAST(\"#row\" AS BIGINT) AS r, {columns} FROM sheet",)
    if table.format == "parquet":
        return (f"CREATE TEMP VIEW src AS SELECT CAST(file_row_number AS BIGINT) + 2 AS r, {columns} "
                f"FROM read_parquet({path}, file_row_number = true)",)
    delimiter = literal("\t" if table.format == "tsv" else ",")
    return (f"CREATE TEMP TABLE cells AS SELECT {columns} FROM read_csv({path}, all_varchar = true, header = true, "
            f"delim = {delimiter}, quote = '\"', escape = '\"')",
            "CREATE TEMP VIEW src AS SELECT CAST(rowid AS BIGINT) + 2 AS r, * FROM cells")


def _text(alias: str) -> str:
    return f"NULLIF(trim({alias}), '')"


def scan_sql(table: Table, measure_columns: Sequence[str]) -> str:
    """One pass over text columns: each one's most decimals, at most how many characters stand
    before the point (a sign or thousands commas included: the DECIMAL width needs a bound, not the
    count), and the first row whose cell is not a number. Each cell is trimmed and its point found
    once (``t0``, ``p0``, ``l0``...): string functions on every cell are most of this pass."""
    trimmed, found, places, digits, bad = [], [], [], [], []
    for i, name in enumerate(measure_columns):
        alias, t, p, n = f"c{table.columns.index(name)}", f"t{i}", f"p{i}", f"l{i}"
        trimmed.append(f"{_text(alias)} AS {t}")
        found.append(f"{t}, strpos({t}, '.') AS {p}, length({t}) AS {n}")
        places.append(f"max(CASE WHEN {p} > 0 THEN {n} - {p} ELSE 0 END)")
        digits.append(f"max(CASE WHEN {p} > 0 THEN {p} - 1 ELSE {n} END)")
        bad.append(f"min(CASE WHEN {t} IS NOT NULL AND NOT regexp_full_match({t}, {literal(NUMBER)}) THEN r END)")
    return (f"SELECT {', '.join(places + digits + bad)} FROM (SELECT r, {', '.join(found)} FROM "
            f"(SELECT r, {', '.join(trimmed)} FROM src))")


def _half_at(m: Measure, places: int) -> Decimal:
    """Half a unit of the last digit of a cell printed with ``places`` decimals, in the common unit."""
    return EXACT.scaleb(Decimal(5), m.exponent - places - 1)


def _stages(m: Measure, policy: Policy, name: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """A cell in four projections, each computed once and read by the next:

    1. ``{name}_t``: the cell (text, NULL when empty; a typed column as it is);
    2. ``{name}_x``: its value, cast exactly, and ``{name}_p``: the decimals it prints;
    3. ``{name}_v``: the value in the common unit and ``{name}_h``: half its last place
       (0 for an exact figure, and for a whole count);
    4. ``{name}_lo``/``_hi``: the interval, as :func:`fiscalcheck.tolerance.interval` reads a
       statement (± half a place; up to a place outward when truncated; the floor for yuan),
       and ``{name}_k``, which orders the printings from the narrowest (the nominal value's).
    """
    kind = f"DECIMAL({m.width},{m.scale})"
    first = [f"{m.alias if m.typed else _text(m.alias)} AS {name}_t"]
    text = f"{name}_t" if m.typed else f"replace({name}_t, ',', '')"
    places = str(m.max_scale) if m.typed else (
        f"(CASE WHEN strpos({name}_t, '.') > 0 THEN length({name}_t) - strpos({name}_t, '.') ELSE 0 END)")
    if m.exponent:
        factor = _decimal(EXACT.scaleb(Decimal(1), m.exponent), max(-m.exponent, 0))
        value = f"CAST(CAST({text} AS DECIMAL(38,{m.max_scale})) * {factor} AS {kind})"
    else:
        value = f"CAST({text} AS {kind})"  # the common unit: no arithmetic, the scale holds every digit
    second = [f"{value} AS {name}_x", f"{places} AS {name}_p"]
    zero = _decimal(Decimal(0), m.scale, m.width)
    if m.exact:
        half = zero
    elif m.typed:
        half = _decimal(_half_at(m, m.max_scale), m.scale, m.width)
    else:
        cases = " ".join(f"WHEN {p} THEN {_decimal(_half_at(m, p), m.scale, m.width)}" for p in range(m.max_scale + 1))
        half = f"(CASE {name}_p {cases} END)"
    if m.count and not m.exact:  # a whole count is exact; a fractional one (3.5万人) is rounded
        whole = f"({_value_in_column(m, f'{name}_t')})"
        half = f"(CASE WHEN trunc({whole}) = {whole} THEN {zero} ELSE {half} END)"
    third = [f"{name}_x AS {name}_v", f"{half} AS {name}_h", f"{name}_p"]
    v, h = f"{name}_v", f"{name}_h"
    if policy.rounding == "truncate":
        lo = f"(CASE WHEN {v} < 0 THEN {v} - 2 * {h} ELSE {v} END)"
        hi = f"(CASE WHEN {v} < 0 THEN {v} ELSE {v} + 2 * {h} END)"
    else:
        lo, hi = f"{v} - {h}", f"{v} + {h}"
    if m.floor:
        floor = _decimal(m.floor, m.scale, m.width)
        lo, hi = f"least({lo}, {v} - {floor})", f"greatest({hi}, {v} + {floor})"
    if m.exact:
        rank = "r"
    else:
        wider = f"CAST({m.max_scale + 1} - {name}_p AS BIGINT)"
        rank = f"((CASE WHEN {h} > {_decimal(m.floor, m.scale, m.width)} THEN {wider} ELSE 0 END) << 40) + r"
    fourth = [v, f"CAST({lo} AS {kind}) AS {name}_lo", f"CAST({hi} AS {kind}) AS {name}_hi", f"{rank} AS {name}_k"]
    return first, second, third, fourth


def _value_in_column(m: Measure, cell: str) -> str:
    """The figure's value in its own unit (after the factor): whole or not, for counts."""
    text = (f"CAST({cell} AS DECIMAL(38,{m.max_scale}))" if m.typed
            else f"CAST(replace({cell}, ',', '') AS DECIMAL(38,{m.max_scale}))")
    if m.column.shift:
        return f"({text} * {_decimal(EXACT.scaleb(Decimal(1), m.column.shift), max(-m.column.shift, 0))})"
    return text


# -- the node table -------------------------------------------------------------


def _key(layout: Layout, depth: int) -> str:
    codes = [f"trim({alias})" for alias in layout.keys[: depth + 1]]
    return codes[0] if len(codes) == 1 else f"concat_ws({SEPARATOR}, {', '.join(codes)})"


def _present(layout: Layout, depth: int) -> str:
    """A row prints a node of this level when its codes down to the level are all filled in."""
    return " AND ".join(f"{_text(alias)} IS NOT NULL" for alias in layout.keys[: depth + 1])


def _aggregates(layout: Layout, measures: dict[str, Measure],
                copies: bool = False) -> tuple[list[list[str]], list[str]]:
    """The four projections of a level's cells (see :func:`_stages`) and its per-node aggregates.

    ``copies``: the cells are distinct printings, each with the number of rows that print it
    (``copies``, see :func:`_staged`): a node's printings are then counted by adding those."""
    stages: list[list[str]] = [[], [], [], []]
    out = []
    for name in layout.measure_names:
        m = measures.get(name)
        if m is None:
            out += [f"CAST(0 AS BIGINT) AS {name}_n", *(f"NULL AS {name}_{s}" for s in _MISSING)]
            continue
        for stage, columns in zip(stages, _stages(m, layout.policy, name)):
            stage.extend(columns)
        value, lo, hi = f"{name}_v", f"{name}_lo", f"{name}_hi"
        counted = (f"CAST(coalesce(sum(copies) FILTER (WHERE {value} IS NOT NULL), 0) AS BIGINT)" if copies
                   else f"count({value})")
        out += [
            f"{counted} AS {name}_n",
            f"max({lo}) AS {name}_jlo", f"min({hi}) AS {name}_jhi",
            f"min({lo}) AS {name}_hlo", f"max({hi}) AS {name}_hhi",
            # the printing with the narrowest interval gives the nominal value, the first on a tie
            f"arg_min({value}, {name}_k) FILTER (WHERE {value} IS NOT NULL) AS {name}_v",
            # the first two printings in row order: statements-agree holds as printed when they are equal
            f"arg_min({value}, r) FILTER (WHERE {value} IS NOT NULL) AS {name}_v1",
            f"{_second(value, copies)} AS {name}_v2",
        ]
    return stages, out


#: A node's aggregates of a measure it does not print (all NULL, its count 0).
_MISSING = ("jlo", "jhi", "hlo", "hhi", "v", "v1", "v2")


def _second(value: str, copies: bool) -> str:
    """The value of a node's second printing in row order, as an aggregate over its rows (or, with
    copies, over its distinct printings, each with its first and second rows ``r`` and ``r2``):
    the first printing's again when its second row comes before the next printing's first."""
    where = f"FILTER (WHERE {value} IS NOT NULL)"
    following = f"arg_min({value}, r, 2) {where}[2]"
    if not copies:
        return following
    again, next_row = f"arg_min(r2, r) {where}", f"min(r, 2) {where}[2]"
    return (f"(CASE WHEN {again} IS NOT NULL AND ({next_row} IS NULL OR {again} < {next_row}) "
            f"THEN arg_min({value}, r) {where} ELSE {following} END)")


def _staged(columns: str, where: str, stages: list[list[str]], passthrough: Sequence[str],
            copies: bool = False) -> str:
    """``SELECT columns FROM src WHERE where``, then the cell stages, each its own projection.

    ``copies``: each distinct printing (the same node, the same texts) once, with its first row
    and how many rows print it, before any cell is cast. A total repeated on each row of its
    group (a program's on each of its lines) is then read once, not once a row: the intervals
    and the first narrowest printing are the same, and :func:`_aggregates` adds up ``copies``.
    """
    keep = ", ".join(["r", *passthrough])
    query = f"SELECT {columns}, {', '.join(['r', *stages[0]]) if stages[0] else 'r'} FROM src WHERE {where}"
    if copies:
        texts = [column.rsplit(" AS ", 1)[1] for column in stages[0]]
        group = ", ".join([*passthrough, *texts])
        query = (f"SELECT {group}, min(r) AS r, min(r, 2)[2] AS r2, count(*) AS copies FROM ({query}) "
                 f"GROUP BY {group}")
        keep += ", r2, copies"
    for stage in stages[1:]:
        query = f"SELECT {keep}{''.join(', ' + c for c in stage)} FROM ({query})"
    return query


def _mostly_unique(layout: Layout, measures: dict[str, Measure], depth: int, cells: str, row_parent: str,
                   parent: str, aggregates: str, unique: bool = False) -> str:
    """The nodes of a level where nearly every row is a node of its own (the line items).

    Grouping a million rows that are each their own group costs more than the
    whole check: only the keys printed on more than one row are grouped; every
    other row is its node as it stands (its one printing is both intersection and hull).
    """
    own = []
    for name in layout.measure_names:
        if name in measures:
            own += [f"CAST({name}_v IS NOT NULL AS BIGINT) AS {name}_n", f"{name}_lo AS {name}_jlo",
                    f"{name}_hi AS {name}_jhi", f"{name}_lo AS {name}_hlo", f"{name}_hi AS {name}_hhi", f"{name}_v",
                    f"{name}_v AS {name}_v1", f"NULL AS {name}_v2"]
        else:
            own += [f"CAST(0 AS BIGINT) AS {name}_n", *(f"NULL AS {name}_{s}" for s in _MISSING)]
    group = "key, pkey" if parent == "pkey" else "key"
    if unique:  # no code of the level repeats (see unique_sql): every row is its node
        return (f"SELECT {depth} AS level, key, {row_parent} AS pkey, false AS total, r AS first, "
                f"{', '.join(own)} FROM ({cells})")
    return (f"WITH c AS ({cells}), d AS (SELECT key FROM c GROUP BY key HAVING count(*) > 1) "
            f"SELECT {depth} AS level, key, {row_parent} AS pkey, false AS total, r AS first, {', '.join(own)} "
            f"FROM c WHERE key NOT IN (SELECT key FROM d) "
            f"UNION ALL BY NAME "
            f"SELECT {depth} AS level, key, {parent} AS pkey, false AS total, min(r) AS first, {aggregates} "
            f"FROM c WHERE key IN (SELECT key FROM d) GROUP BY {group}")


def unique_sql(layout: Layout, quick: bool = False) -> str:
    """Whether no code of the deepest level (or of a code/key table's rows) is printed twice:
    then no full key repeats either, and the line items need no grouping at all.

    ``quick``: a test that is sufficient, not necessary, and half the cost: every
    cell of the column distinct as it stands and none with spaces to trim (so no
    two trim to one code). When it fails, the exact test decides.
    """
    table = layout.table
    if quick:
        raw = layout.keys[-1]
        return f"SELECT count(DISTINCT {raw}) = count({raw}) AND coalesce(bool_and({raw} = trim({raw})), true) FROM src"
    code = f"trim({layout.keys[-1]})"
    if table.shape == "levels":
        where = _present(layout, len(layout.levels) - 1)
    elif table.totals is not None:
        where = (f"NOT (trim({layout.aliases[table.totals.column]}) IN "
                 f"({', '.join(literal(v) for v in table.totals.values)}))")
    else:
        where = "true"
    return f"SELECT count(DISTINCT {code}) = count({code}) FROM src WHERE {where}"


def nodes_sql(layout: Layout, unique: bool = False) -> tuple[str, ...]:
    """Statements that make ``nt``: one row per node: level, key, parent key, first row, each
    measure's aggregates.

    ``{m}_n`` printings, ``{m}_jlo/_jhi`` their intersection, ``{m}_hlo/_hhi`` their
    hull, ``{m}_v`` the nominal value. ``total`` marks a total row (合计).

    In a levels table whose line items are unique (``unique``), the line items are
    not stored: each is its row as it stands, so ``nt`` is a view of the stored
    upper levels and of the rows (the file's, or a CSV's cells as read). The rules
    read the line items in one pass (:func:`checks_sql`) and describing reads rows,
    not ``nt``, so a line item's cells are cast to decimals about once either way;
    storing a million of them, each with its key built as text, cost more than that
    pass (a 10^6-row CSV: 1.6 s against 0.5) and 40% of the memory.
    """
    table = layout.table
    selects = []
    totals = table.totals
    is_total = (f"trim({layout.aliases[totals.column]}) IN ({', '.join(literal(v) for v in totals.values)})"
                if totals is not None else "false")
    for depth, measures in enumerate(layout.levels):
        upper = table.shape == "levels" and depth < len(layout.levels) - 1  # its totals repeat on many rows
        stages, aggregated = _aggregates(layout, measures, copies=upper)
        aggregates = ", ".join(aggregated)
        if table.shape == "levels":
            parent = "NULL" if depth == 0 else _key(layout, depth - 1)
            cells = _staged(f"{_key(layout, depth)} AS key, {parent} AS pkey", _present(layout, depth), stages,
                            ("key", "pkey"), copies=upper)
            if upper:
                selects.append(
                    f"SELECT {depth} AS level, key, pkey, false AS total, min(r) AS first, {aggregates} "
                    f"FROM ({cells}) GROUP BY key, pkey"
                )
            else:
                selects.append(_mostly_unique(layout, measures, depth, cells, "pkey", "pkey", aggregates, unique))
            continue
        code = f"trim({layout.keys[0]})"
        if table.shape == "prefix":
            lengths = table.lengths
            cases = " ".join(f"WHEN {n} THEN left({code}, {lengths[i - 1]})" for i, n in enumerate(lengths) if i)
            parent = f"(CASE length({code}) {cases} ELSE NULL END)" if cases else "NULL"
        else:
            parent = "NULL"
        if table.shape == "parent":
            columns, passthrough = f"{code} AS key, NULLIF(trim({layout.aliases[table.parent]}), '') AS parent", ("key", "parent")
            parent = "arg_min(parent, r)"
        else:
            columns, passthrough = f"{code} AS key", ("key",)
            parent = parent.replace(code, "key")
        cells = _staged(columns, f"NOT ({is_total})", stages, passthrough)
        row_parent = "parent" if table.shape == "parent" else parent
        selects.append(_mostly_unique(layout, measures, 0, cells, row_parent, parent, aggregates, unique))
        if totals is not None:
            cells = _staged("'#' || CAST(r AS VARCHAR) AS key", is_total, stages, ("key",))
            selects.append(
                f"SELECT 0 AS level, key, NULL AS pkey, true AS total, min(r) AS first, "
                f"{aggregates} FROM ({cells}) GROUP BY key"
            )
    if unique and table.shape == "levels" and len(selects) > 1:
        upper, leaves = selects[:-1], selects[-1]
        return ("CREATE TEMP TABLE nu AS " + " UNION ALL BY NAME ".join(f"({s})" for s in upper),
                f"CREATE TEMP VIEW nt AS (SELECT * FROM nu) UNION ALL BY NAME ({leaves})")
    return ("CREATE TEMP TABLE nt AS " + " UNION ALL BY NAME ".join(f"({s})" for s in selects),)


# -- the relations ------------------------------------------------------------


def _lo(name: str, alias: str = "") -> str:
    """A measure's lower bound as the rules use it: the printings' intersection, or their hull."""
    p = f"{alias}." if alias else ""
    return f"(CASE WHEN {p}{name}_jlo <= {p}{name}_jhi THEN {p}{name}_jlo ELSE {p}{name}_hlo END)"


def _hi(name: str, alias: str = "") -> str:
    p = f"{alias}." if alias else ""
    return f"(CASE WHEN {p}{name}_jlo <= {p}{name}_jhi THEN {p}{name}_jhi ELSE {p}{name}_hhi END)"


def _disagree(name: str, alias: str = "") -> str:
    p = f"{alias}." if alias else ""
    return f"({p}{name}_jlo > {p}{name}_jhi)"


def _counted(query: str, before: str = "") -> str:
    """``query`` yields (level, key, first, measure, fails, rounding); the result is one row: how
    many relations hold, how many of those hold only within the printed precision, not as printed
    (``rounding`` is whether the nominal values miss the relation), and the failing ones, a list of
    (level, key, first, measure).

    One aggregate over ``query``, so its rows are read once: a count and a list per outcome would
    read them three times (a 10^6-row table's within-budget took 0.44 s that way).
    ``before``: common table expressions the query reads (``s AS (...), ``).
    """
    return (f"WITH {before}q AS ({query}) SELECT count(*) FILTER (WHERE NOT fails), "
            f"count(*) FILTER (WHERE NOT fails AND rounding), "
            f"coalesce(list((level, key, first, measure)) FILTER (WHERE fails), []) FROM q")


def _rounding(condition: str) -> str:
    """Whether a relation that holds does so only within the printed precision: its nominal values
    miss ``condition``. NULL (a value not printed) counts as satisfied, as no relation is judged on
    a missing value."""
    return f"(NOT coalesce({condition}, true))"


def _missed(condition: str) -> str:
    """:func:`_rounding` as a query's ``rounding`` column."""
    return f"{_rounding(condition)} AS rounding"


_NOTHING = "SELECT 0, 0, []"




def statements_agree_sql(layout: Layout) -> str:
    """Each measure printed more than once against its other printings. When the line items are
    the file's rows, each printed once (``parents`` is ``nu``, see :func:`nodes_sql`), only the
    stored upper levels can print a measure twice: the file is not read at all."""
    parts = [
        f"SELECT level, key, first, {literal(m)} AS measure, {_disagree(m)} AS fails, "
        f"{_missed(f'{m}_v1 = {m}_v2')} FROM {layout.parents} WHERE {m}_n >= 2"
        for m in layout.measure_names
    ]
    return _counted(" UNION ALL ".join(parts))


def _additive(layout: Layout) -> list[str]:
    return [m for m in layout.measure_names if layout.dimension(m) != "ratio"]


def _children_sums(layout: Layout, each: dict[str, "_Each"] | None = None) -> str:
    """``nt`` grouped by parent (level, key): how many children, and for each additive measure how
    many print it and the sums of their bounds and nominal values; a total row's children are the
    table's top level.

    ``each``: the relations judged on each node's own row (:func:`checks_sql`), counted per group
    in the same pass, so the rows are read once for all of them: ``e{i}_held``, ``e{i}_within``
    and ``e{i}_failing`` (a list) for the i-th. With them the roots' group (no parent) is kept too;
    no parent has its key, so no sum is judged against it.
    """
    def sums(alias: str) -> str:
        p = f"{alias}." if alias else ""
        return "".join(
            f", count(*) FILTER (WHERE {p}{m}_n > 0) AS {m}_k, sum({_lo(m, alias)}) AS {m}_slo, "
            f"sum({_hi(m, alias)}) AS {m}_shi, sum({p}{m}_v) AS {m}_sv"
            for m in _additive(layout)
        )

    counted = "".join(
        f", count(*) FILTER (WHERE {e.where} AND NOT {e.fails}) AS e{i}_held, "
        f"count(*) FILTER (WHERE {e.where} AND NOT {e.fails} AND {e.rounding}) AS e{i}_within, "
        f"list((level, key, first, {literal(e.measure)})) FILTER (WHERE {e.where} AND {e.fails}) AS e{i}_failing"
        for i, e in enumerate((each or {}).values())
    )
    where = "" if each else " WHERE pkey IS NOT NULL"
    children = f"SELECT level - 1 AS plevel, pkey, count(*) AS k{sums('')}{counted} FROM nt{where} GROUP BY ALL"
    if layout.table.totals is not None:
        children += (f" UNION ALL BY NAME SELECT 0 AS plevel, t.key AS pkey, count(*) AS k{sums('c')} "
                     f"FROM nt AS c, (SELECT key FROM nt WHERE total) AS t WHERE c.pkey IS NULL AND NOT c.total "
                     f"GROUP BY t.key")
    if layout.shape != "levels":
        children = children.replace("level - 1 AS plevel", "0 AS plevel")
    return children


def _parts_sum(layout: Layout, sums: str) -> str:
    """Each parent against the sum of its children (``sums``, see :func:`_children_sums`), for
    every additive measure they all print.

    A total row's children are the table's top level; a parent whose own
    printings disagree is always described (the tree engine judges it printing by printing).
    """
    parts = [
        f"SELECT p.level, p.key, p.first, {literal(m)} AS measure, "
        f"({_disagree(m, 'p')} OR {_hi(m, 'p')} < s.{m}_slo OR s.{m}_shi < {_lo(m, 'p')}) AS fails, "
        f"{_missed(f'p.{m}_v = s.{m}_sv')} "
        f"FROM {layout.parents} AS p JOIN s ON p.level = s.plevel AND p.key = s.pkey WHERE p.{m}_n > 0 AND s.{m}_k = s.k"
        for m in _additive(layout)
    ]
    return _counted(" UNION ALL ".join(parts), f"s AS ({sums}), ")


@attrs.frozen(repr=False, eq=False)
class _Each(Record):
    """A relation judged on each node's own row: the nodes it applies to (``where``), when it
    fails, when it holds only within the printed precision (``rounding``, see :func:`_rounding`),
    and the measure its findings are of."""

    measure: str
    where: str
    fails: str
    rounding: str


def _base(layout: Layout) -> tuple[str, str, str, str, str]:
    """The base of execution: adjusted where a node prints it, else budget (lo, hi, nominal, disagree, has)."""
    names = layout.measure_names
    adjusted, budget = "adjusted" in names, "budget" in names
    if adjusted and budget:
        pick = lambda a, b: f"(CASE WHEN adjusted_n > 0 THEN {a} ELSE {b} END)"  # noqa: E731
        return (pick(_lo("adjusted"), _lo("budget")), pick(_hi("adjusted"), _hi("budget")),
                pick("adjusted_v", "budget_v"), pick(_disagree("adjusted"), _disagree("budget")),
                "(adjusted_n > 0 OR budget_n > 0)")
    name = "adjusted" if adjusted else "budget"
    return _lo(name), _hi(name), f"{name}_v", _disagree(name), f"{name}_n > 0"


def _within_budget(layout: Layout) -> _Each | None:
    names = layout.measure_names
    if "executed" not in names or not {"adjusted", "budget"} & set(names):
        return None
    lo, hi, nominal, _, has = _base(layout)
    return _Each("executed", f"executed_n > 0 AND {has}", f"({_disagree('executed')} OR {_lo('executed')} > {hi})",
                 _rounding(f"executed_v <= {nominal}"))


def _rate(layout: Layout) -> _Each | None:
    """rate = executed / base, decided by exact products (the base must be strictly positive)."""
    names = layout.measure_names
    if not {"rate", "executed"} <= set(names) or not {"adjusted", "budget"} & set(names):
        return None
    b_lo, b_hi, b_v, _, has = _base(layout)
    e_lo, e_hi, r_lo, r_hi = _lo("executed"), _hi("executed"), _lo("rate"), _hi("rate")
    apart = (f"(({r_hi} * {b_lo} < {e_lo} AND {r_hi} * {b_hi} < {e_lo}) OR "
             f"({e_hi} < {r_lo} * {b_lo} AND {e_hi} < {r_lo} * {b_hi}))")
    return _Each("rate", f"rate_n > 0 AND executed_n > 0 AND {has}",
                 f"({_disagree('rate')} OR {b_lo} <= 0 OR {b_v} = 0 OR {apart})",
                 _rounding(f"rate_v * {b_v} = executed_v"))


def _remainder(layout: Layout) -> _Each | None:
    names = layout.measure_names
    if not {"remainder", "executed"} <= set(names) or not {"adjusted", "budget"} & set(names):
        return None
    b_lo, b_hi, b_v, _, has = _base(layout)
    lo, hi = f"({b_lo} - {_hi('executed')})", f"({b_hi} - {_lo('executed')})"
    return _Each("remainder", f"remainder_n > 0 AND executed_n > 0 AND {has}",
                 f"({_disagree('remainder')} OR {_hi('remainder')} < {lo} OR {hi} < {_lo('remainder')})",
                 _rounding(f"remainder_v = {b_v} - executed_v"))


#: Built-in rule id -> its relation judged on each node's own row, when the table has its measures.
EACH = {"within-budget": _within_budget, "rate": _rate, "remainder": _remainder}


#: The built-in rules decided in SQL (:func:`checks_sql`); the others run on the tree engine.
SQL_RULES = ("statements-agree", "parts-sum", *EACH)


def checks_sql(layout: Layout, rule_ids: Sequence[str]) -> str:
    """One query for the relations of the rules ``rule_ids`` that :data:`SQL_RULES` names (one at
    least), in their order: its one row holds, rule after rule, the three columns of :func:`_counted`.

    A pass over a table's rows costs about 0.15 s at 10^6 rows. So the relations judged on each
    node's own row (:data:`EACH`) are counted in the pass that groups the rows by parent for
    parts-sum (:func:`_children_sums`), and the rows are read once for all of them;
    statements-agree reads only the nodes printed more than once.
    """
    ids = [rule for rule in rule_ids if rule in SQL_RULES]
    each = {rule: found for rule in ids if rule in EACH and (found := EACH[rule](layout)) is not None}
    column = {rule: i for i, rule in enumerate(each)}  # its e{i}_ columns in _children_sums
    parts = []
    for rule in ids:
        if rule == "statements-agree":
            parts.append(statements_agree_sql(layout))
        elif rule == "parts-sum":
            parts.append(_parts_sum(layout, "SELECT * FROM g") if _additive(layout) else _NOTHING)
        elif rule in each:
            i = column[rule]
            parts.append(f"SELECT coalesce(sum(e{i}_held), 0), coalesce(sum(e{i}_within), 0), "
                         f"coalesce(flatten(list(e{i}_failing) FILTER (WHERE e{i}_failing IS NOT NULL)), []) FROM g")
        else:  # a table without the measures the rule reads
            parts.append(_NOTHING)
    grouped = f"WITH g AS ({_children_sums(layout, each)}) " if "parts-sum" in ids or each else ""
    return grouped + "SELECT * FROM " + ", ".join(f"({part}) AS r{i}" for i, part in enumerate(parts))


def top_sql(layout: Layout) -> str:
    """The top level of the table (what sums into ``under``): per measure, printed or not, its
    interval, whether its printings disagree, and its nominal value."""
    columns = ", ".join(f"{m}_n > 0 AS {m}_has, {_lo(m)} AS {m}_lo, {_hi(m)} AS {m}_hi, {_disagree(m)} AS {m}_x, "
                        f"{m}_v" for m in layout.measure_names)
    where = "total" if layout.table.totals is not None else "pkey IS NULL"
    return f"SELECT first, level, key, {columns} FROM nt WHERE {where} ORDER BY first, level"


def top_count_sql(layout: Layout) -> str:
    """How many nodes the table's top level has."""
    return f"SELECT count(*) FROM {layout.parents} WHERE level = 0"


def top_items_sql() -> str:
    """The children of a total row, every top item (level, key, first row): a total sums them all."""
    return "SELECT level, key, first FROM nt WHERE pkey IS NULL AND NOT total ORDER BY first, level"


def totals_sql(first_only: bool = False) -> str:
    """The total rows (level, key, first row), in row order; or only the first."""
    return "SELECT level, key, first FROM nt WHERE total ORDER BY first" + (" LIMIT 1" if first_only else "")


def first_row_sql(level: int, key: str) -> str:
    """The first row printing node ``key`` of ``level``."""
    return f"SELECT first FROM nt WHERE level = {int(level)} AND key = {literal(key)}"


def parent_key_sql(key: str) -> str:
    """The parent key of node ``key`` (a prefix or parent-column table; NULL at the top)."""
    return f"SELECT pkey FROM nt WHERE key = {literal(key)} AND NOT total"


def node_sql(key: str) -> str:
    """Node ``key`` of a prefix or parent-column table: (level, key, first row)."""
    return f"SELECT level, key, first FROM nt WHERE key = {literal(key)} AND NOT total"


def children_sql(layout: Layout, level: int, keys: Sequence[str]) -> str:
    """The nodes one level below the nodes ``keys`` (level, parent key, key, first row). In a levels
    table, from the rows themselves, the top codes compared first so that a key is built only on
    their rows; in another, from the stored nodes, whose parent key the row names."""
    if layout.shape != "levels":
        return (f"SELECT level, pkey, key, first FROM nt WHERE level = 0 "
                f"AND pkey IN ({', '.join(map(literal, keys))}) ORDER BY first, level")
    depth = level + 1
    tops = sorted({key.split(chr(31))[0] for key in keys})
    return (f"SELECT {depth} AS level, pkey, key, min(r) AS first FROM (SELECT {_key(layout, level)} AS pkey, "
            f"{_key(layout, depth)} AS key, r FROM {layout.rows} "
            f"WHERE trim({layout.keys[0]}) IN ({', '.join(map(literal, tops))}) AND {_present(layout, depth)} "
            f"AND {_key(layout, level)} IN ({', '.join(map(literal, keys))})) GROUP BY pkey, key ORDER BY first")


def rows_sql(layout: Layout, level: int, keys: Sequence[str], total: bool = False) -> str:
    """The rows that print the nodes ``keys`` of ``level``: every named column, in row order."""
    columns = ", ".join(f"CAST(c{i} AS VARCHAR)" for i in range(len(layout.table.columns)))
    if total:
        return (f"SELECT r, {columns} FROM {layout.rows} WHERE r IN ({', '.join(k.lstrip('#') for k in keys)}) "
                "ORDER BY r")
    key = _key(layout, level) if layout.shape == "levels" else f"trim({layout.keys[0]})"
    where = _present(layout, level) if layout.shape == "levels" else "true"
    if layout.shape == "levels" and level:  # the top codes first: a key is built only on their rows
        tops = sorted({k.split(chr(31))[0] for k in keys})
        where += f" AND trim({layout.keys[0]}) IN ({', '.join(map(literal, tops))})"
    if layout.table.totals is not None:
        totals = layout.table.totals
        where += (f" AND trim({layout.aliases[totals.column]}) NOT IN "
                  f"({', '.join(literal(v) for v in totals.values)})")
    return (f"SELECT r, {columns} FROM {layout.rows} WHERE {where} AND {key} IN ({', '.join(map(literal, keys))}) "
            f"ORDER BY r")


def _numbers(rows: Sequence[int]) -> str:
    """Row numbers as a SQL list, each once, in order (integers: nothing pasted as text)."""
    return ", ".join(str(int(r)) for r in sorted(set(rows)))


def near_sql(layout: Layout, tops: Sequence[str], extend: bool = False) -> str:
    """The rows of a levels table under the top codes ``tops``, stored as ``near`` (or, with
    ``extend``, added to it): every row of every node under them, so that describing a failing
    relation reads a few thousand rows again and again, not the whole file.

    Why it is enough: in a levels table each row prints its codes' nodes, one per level, and a
    node's parent, siblings and children share its top code. The nodes printed near a failing
    relation's rows may have another; the engine adds their tops before reading them."""
    what = (f"SELECT * FROM src WHERE trim({layout.keys[0]}) IN ({', '.join(map(literal, sorted(tops)))})")
    return f"INSERT INTO near {what}" if extend else f"CREATE TEMP TABLE near AS {what}"


def near_has_sql(rows: Sequence[int]) -> str:
    """How many of ``rows`` ``near`` holds."""
    return f"SELECT count(*) FROM near WHERE r IN ({_numbers(rows)})"


def near_lacks_sql(layout: Layout, rows: Sequence[int]) -> str:
    """The top codes printed on ``rows`` whose rows ``near`` lacks (a scan of the file: asked only
    when :func:`near_has_sql` says some row is missing)."""
    code = f"trim({layout.keys[0]})"
    return (f"SELECT DISTINCT {code} FROM src WHERE r IN ({_numbers(rows)}) "
            f"AND {code} NOT IN (SELECT DISTINCT {code} FROM near WHERE {code} IS NOT NULL)")


def printed_on_sql(layout: Layout, rows: Sequence[int]) -> str:
    """The nodes that print a cell on one of ``rows`` (level, key, first row, total): a levels
    table's row prints a node of each level its codes fill in, another table's row one node."""
    where = f"r IN ({_numbers(rows)})"
    if layout.shape == "levels":
        depths = range(len(layout.levels) - 1 if layout.parents == "nu" else len(layout.levels))
        printed = " UNION ".join(f"SELECT {depth} AS level, {_key(layout, depth)} AS key FROM {layout.rows} "
                                 f"WHERE {where} AND {_present(layout, depth)}" for depth in depths)
        found = (f"SELECT n.level, n.key, n.first, n.total FROM {layout.parents} AS n JOIN ({printed}) AS p "
                 f"ON n.level = p.level AND n.key = p.key")
        if layout.parents == "nu":  # the line items are the file's rows, each its own node (nodes_sql)
            depth = len(layout.levels) - 1
            found += (f" UNION ALL SELECT {depth}, {_key(layout, depth)}, r, false FROM {layout.rows} "
                      f"WHERE {where} AND {_present(layout, depth)}")
        return f"SELECT * FROM ({found}) ORDER BY 3, 1"
    key = f"trim({layout.keys[0]})"
    if layout.table.totals is not None:
        totals = layout.table.totals
        is_total = f"trim({layout.aliases[totals.column]}) IN ({', '.join(literal(v) for v in totals.values)})"
        key = f"(CASE WHEN {is_total} THEN '#' || CAST(r AS VARCHAR) ELSE {key} END)"
    return (f"SELECT n.level, n.key, n.first, n.total FROM nt AS n JOIN (SELECT DISTINCT {key} AS key FROM src "
            f"WHERE {where}) AS p ON n.key = p.key ORDER BY n.first, n.level")
