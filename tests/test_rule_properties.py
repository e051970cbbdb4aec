"""One property per built-in rule, on small cases built in code.

Each test chooses exact true values first, prints them as a report would
(rounded to a drawn number of places, in a drawn unit), and checks both ways:
the honest printing never raises the rule, and a printing moved beyond what
its precision allows always does. The generated cases of fiscalcheck.strategies
cover the common rules together; these cover the rules and features they do not
draw (tables, partial lists, transfers, growth, declared comparisons,
disagreeing printings).
"""

from decimal import ROUND_HALF_EVEN, Decimal

from hypothesis import given
from hypothesis import strategies as st

from fiscalcheck import Case, Node, Ref, Relation, Source, Statement, Transfer

SOURCES = {"report": Source("report", "report.txt")}
UNITS = {"元": 0, "万元": 4, "亿元": 8}  # power of ten of each unit, in 元

money = st.integers(min_value=0, max_value=10**12)  # true amounts, in 元
places = st.integers(min_value=0, max_value=4)
units = st.sampled_from(sorted(UNITS))


def printed(value_yuan: int | Decimal, unit: str, digits: int, *, shift: int = 0, exact=None) -> Statement:
    """The statement a report prints for a true value: rounded to ``digits`` places of ``unit``.

    ``shift`` moves the printing by that many units of its last place (a misprint).
    """
    place = Decimal(1).scaleb(-digits)
    shown = (Decimal(value_yuan).scaleb(-UNITS[unit])).quantize(place, rounding=ROUND_HALF_EVEN)
    shown += shift * place
    return Statement.of(f"{shown}{unit}", line=1, exact=exact)


def case(*nodes: Node, relations=(), transfers=()) -> Case:
    return Case("property", SOURCES, {n.id: n for n in nodes}, tuple(relations), tuple(transfers))


def verdicts(c: Case, rule: str) -> list[bool]:
    found = [f.holds for f in c.check().checks if f.rule == rule]
    assert found, f"rule {rule} judged nothing"
    return found


@given(st.lists(money, min_size=1, max_size=6), units, places, st.sampled_from([-1, 1]))
def test_table_total(rows, unit, digits, sign):
    """Cells and the total row printed rounded: the total holds; moved past every cell's rounding, it fails."""
    def table(shift):
        cells = [Node(f"r{i}", kind="row", measures={"amount": (printed(v, unit, digits),)}) for i, v in enumerate(rows)]
        total = printed(sum(rows), unit, digits, shift=shift)
        return case(Node("t", kind="table", measures={"amount": (total,)}, children=tuple(c.id for c in cells)), *cells)

    assert all(verdicts(table(0), "table-total"))
    beyond = sign * (len(rows) + 2)  # each of n + 1 printings may be off by half a place
    assert not any(verdicts(table(beyond), "table-total"))


@given(st.lists(money, min_size=2, max_size=5), money, units, places)
def test_partial_list_is_at_most_its_total(items, extra, unit, digits):
    """A 其中 list that is not exhaustive: the total is at least the listed parts."""
    parts = [Node(f"p{i}", measures={"amount": (printed(v, unit, digits),)}) for i, v in enumerate(items[:-1])]
    total = printed(sum(items) + extra, unit, digits)
    parent = Node("f", measures={"amount": (total,)}, children=tuple(p.id for p in parts), partial=True)
    assert all(verdicts(case(parent, *parts), "parts-sum"))
    listed = sum(p.measures["amount"][0].figure.value for p in parts)
    slack = (len(parts) + 1) * Decimal(1).scaleb(-digits) / 2  # half a place for each printing
    if listed > slack:  # a total printed as 0 is below its listed parts, beyond their rounding
        parent = Node("f", measures={"amount": (printed(0, unit, digits),)}, children=tuple(p.id for p in parts), partial=True)
        assert not any(verdicts(case(parent, *parts), "parts-sum"))


@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=0, max_value=10**8),
       st.integers(min_value=0, max_value=10**8), units, places)
def test_transfers_move_budget_between_funds(budget, other_budget, transfer, unit, digits):
    """The receiving fund may spend budget + transfer; the paying fund budget − transfer.

    Amounts are drawn in units of the printed place, so the budgets and the
    transfer, declared exact, are printable exactly.
    """
    step = 10 ** UNITS[unit] * Decimal(1).scaleb(-digits)  # the printed place, in 元

    def fund(node_id, budget_, spent):
        return Node(node_id, kind="fund", measures={"budget": (printed(budget_ * step, unit, digits, exact=True),),
                                                    "executed": (printed(spent * step, unit, digits),)})

    receiving = fund("to", budget, budget + transfer)  # it spends all it may
    paying = fund("from", other_budget + transfer, other_budget)
    amount = (printed(transfer * step, unit, digits, exact=True),)
    assert all(verdicts(case(receiving, paying, transfers=[Transfer("from", "to", amount)]), "within-budget"))
    if transfer >= 1:  # without the transfer, the receiving fund's overspend shows: a whole place
        assert not all(verdicts(case(receiving, paying), "within-budget"))


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=0, max_value=10**6),
       st.integers(min_value=0, max_value=3), st.sampled_from([-2, 2]))
def test_growth_is_this_over_last_minus_one(last, this, digits, shift):
    """Counts are exact; the printed growth rate is rounded: it holds, and two places off it fails."""
    true = (Decimal(this) / Decimal(last) - 1) * 100
    place = Decimal(1).scaleb(-digits)

    def growth_case(moved):
        rate = true.quantize(place, rounding=ROUND_HALF_EVEN) + moved * place
        node = Node("g", measures={"this": (Statement.of(f"{this}个", line=1),), "last": (Statement.of(f"{last}个", line=1),),
                                   "growth": (Statement.of(f"{rate}%", line=1),)})
        relation = Relation("growth", Ref("g", "growth"), (Ref("g", "this"), Ref("g", "last")))
        return case(node, relations=[relation])

    assert all(verdicts(growth_case(0), "growth"))
    assert not any(verdicts(growth_case(shift), "growth"))


@given(money, money, units, places)
def test_declared_comparison(a, b, unit, digits):
    """``le: [x, y]`` holds for x <= y as printed; it fails once x is printed past y's rounding."""
    low, high = sorted((a, b))
    nodes = (Node("x", measures={"v": (printed(low, unit, digits),)}), Node("y", measures={"v": (printed(high, unit, digits),)}))
    le = Relation("le", Ref("x", "v"), (Ref("y", "v"),))
    assert all(verdicts(case(*nodes, relations=[le]), "comparison"))
    over = Node("x", measures={"v": (printed(high, unit, digits, shift=2),)})
    assert not any(verdicts(case(over, nodes[1], relations=[le]), "comparison"))


@given(money, units, units, places, places)
def test_one_figure_printed_twice_agrees_with_itself(value, unit_a, unit_b, digits_a, digits_b):
    """The same true value printed in two units at two precisions: the printings agree."""
    node = Node("n", measures={"amount": (printed(value, unit_a, digits_a), printed(value, unit_b, digits_b))})
    assert all(verdicts(case(node), "statements-agree"))


@given(money, units, places)
def test_printings_apart_by_more_than_their_rounding_disagree(value, unit, digits):
    node = Node("n", measures={"amount": (printed(value, unit, digits), printed(value, unit, digits, shift=2))})
    assert not any(verdicts(case(node), "statements-agree"))
