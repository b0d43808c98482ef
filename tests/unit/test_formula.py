"""The spreadsheet formula evaluator: examples, errors, limits and property-based tests."""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.catalogue.formula import (
    MAX_FORMULA_LENGTH,
    SheetError,
    evaluate,
    evaluate_sheet,
    format_value,
    parse_number,
)

STOCK = {
    "A1": "Article",
    "B1": "Entrées",
    "C1": "Sorties",
    "A2": "Râteau",
    "B2": "12",
    "C2": "4",
    "A3": "Sécateur",
    "B3": "10",
    "C3": "7",
    "A4": "Râteau",
    "B4": "6",
    "C4": "1,5",
    "A5": "Pelle",
    "B5": "",
    "C5": "trois",
}


def code_of(formula: str, cells: dict[str, str] | None = None) -> str:
    with pytest.raises(SheetError) as caught:
        evaluate(formula, cells or STOCK)
    return caught.value.code


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=B2-C2", 8.0),
        ("=b2-c2", 8.0),
        ("= B2 - C2 ", 8.0),
        ("=$B$2-C$2", 8.0),
        ("=2+3*4", 14.0),
        ("=(2+3)*4", 20.0),
        ("=10-4-3", 3.0),
        ("=100/10/5", 2.0),
        ("=2^3^2", 64.0),  # left to right, as in spreadsheets
        ("=-2^2", 4.0),  # unary minus first, as in spreadsheets
        ("=−B2", -12.0),  # unicode minus sign
        ("=2×3÷4", 1.5),
        ("=1,5+1.5", 3.0),
        ("=50%", 0.5),
        ("=SOMME(B2:B4)", 28.0),
        ("=SOMME(B4:B2)", 28.0),
        ("=SOMME(B2;B3;1,5)", 23.5),
        ("=SUM(B2,B3,1)", 23.0),
        ("=SUM(1,5)", 6.0),  # English names: "," separates
        ("=SOMME(1,5)", 1.5),  # French: "," is the decimal comma
        ("=somme(B:B)", 28.0),
        ("=MOYENNE(B2:B4)", 28.0 / 3),
        ("=AVERAGE(C2:C5)", 12.5 / 3),  # text and empty cells are skipped
        ("=MIN(B2:C4)", 1.5),
        ("=MAX(B2:C4)", 12.0),
        ("=NB(A1:C5)", 6.0),
        ("=COUNT(B2:B5)", 3.0),
        ('=SOMME.SI(A2:A5;"Râteau";C2:C5)', 5.5),
        ('=SOMME.SI(A:A;"râteau";C:C)', 5.5),
        ('=SUMIF(B2:B5,">8")', 22.0),
        ('=SOMME.SI(B2:B5;"<>10")', 18.0),
        ("=B5+1", 1.0),  # an empty cell counts as 0
        ("=B2<C2", False),
        ("=B2>=12", True),
        ('=SI(B2-C2<10;"Commander";"OK")', "Commander"),
        ('=IF(B3-C3>=5,"OK","Commander")', "Commander"),
        ("=SI(VRAI;1)", 1.0),
        ("=SI(FAUX;1)", False),
        ("=SI(1;2;1/0)", 2.0),  # the branch not taken is not evaluated
        ('=A2&" : "&B2', "Râteau : 12"),
        ('="Il reste "&(B2-C2)', "Il reste 8"),
        ('="a""b"', 'a"b'),
    ],
)
def test_formulas_give_what_a_spreadsheet_gives(formula: str, expected: object) -> None:
    value = evaluate(formula, STOCK)
    if isinstance(expected, float):
        assert isinstance(value, float)
        assert math.isclose(value, expected)
    else:
        assert value == expected


@pytest.mark.parametrize(
    ("formula", "code"),
    [
        ("=SOMM(B2:B4)", "#NOM?"),
        ("=Stock", "#NOM?"),
        ("=LOG10(2)", "#NOM?"),
        ("=B100", "#REF!"),
        ("=AA1", "#REF!"),
        ("=A0", "#REF!"),
        ("=SOMME(A1:A100)", "#REF!"),
        ("=A2+1", "#VALEUR!"),
        ("=C5*2", "#VALEUR!"),
        ('="abc"+1', "#VALEUR!"),
        ("=B2:B4", "#VALEUR!"),
        ('=SI("oui";1;2)', "#VALEUR!"),
        ("=B2/0", "#DIV/0!"),
        ("=1/B5", "#DIV/0!"),
        ("=MOYENNE(A2:A5)", "#DIV/0!"),
        ("=0^-1", "#DIV/0!"),
        ("=(-8)^0,5", "#NOMBRE!"),
        ("=10^400", "#NOMBRE!"),
        ("=9^9^9^9", "#NOMBRE!"),
        ("=1e308*10", "#NOMBRE!"),
        ("=", "#ERREUR!"),
        ("", "#ERREUR!"),
        ("=(1+2", "#ERREUR!"),
        ("=1+2)", "#ERREUR!"),
        ("=1+", "#ERREUR!"),
        ("=*2", "#ERREUR!"),
        ("=SOMME(;1)", "#ERREUR!"),
        ("=SI(1)", "#ERREUR!"),
        ("=SI(1;2;3;4)", "#ERREUR!"),
        ("=SOMME()", "#ERREUR!"),
        ("=1 2", "#ERREUR!"),
        ("=B2 @ 3", "#ERREUR!"),
        ('="pas fini', "#ERREUR!"),
    ],
)
def test_errors_have_the_spreadsheet_code(formula: str, code: str) -> None:
    assert code_of(formula) == code


def test_errors_are_explained_in_plain_french() -> None:
    cases = {
        "=SOMM(B2)": "Le tableur ne connaît pas le nom « SOMM ». Vérifiez l'orthographe.",
        "=B100": "La case B100 n'existe pas dans ce tableau.",
        "=C5*2": "La case C5 contient du texte : « trois ». Un calcul a besoin de nombres.",
        "=1/0": "La formule divise par zéro. Une division par 0 est impossible.",
        "=(1": "Il manque une parenthèse fermante « ) ».",
    }
    for formula, message in cases.items():
        with pytest.raises(SheetError) as caught:
            evaluate(formula, STOCK)
        assert caught.value.text == message


def test_text_in_a_number_cell_spreads_to_the_formulas_that_use_it() -> None:
    results = evaluate_sheet({"B2": "dix", "C2": "4", "D2": "=B2-C2", "E2": "=D2*2"})
    assert results["B2"].value == "dix"
    assert results["D2"].display == "#VALEUR!"
    error = results["D2"].error
    assert error is not None
    assert "« dix »" in error.text
    assert results["E2"].display == "#VALEUR!"


def test_circular_references_are_found_without_recursion() -> None:
    results = evaluate_sheet(
        {"A1": "=A1", "B1": "=C1+1", "C1": "=B1", "D1": "=B1*2", "E1": "=SOMME(E1:E3)"}
    )
    for name in ("A1", "B1", "C1", "D1", "E1"):
        assert results[name].display == "Err:522", name
    error = results["A1"].error
    assert error is not None
    assert "utilise son propre résultat" in error.text


def test_a_long_chain_of_cells_is_evaluated_without_recursion_error() -> None:
    names = [f"{chr(c)}{r}" for c in range(ord("A"), ord("Z") + 1) for r in range(1, 100)]
    cells = {names[0]: "1"}
    for before, name in itertools.pairwise(names):
        cells[name] = f"={before}+1"
    results = evaluate_sheet(cells)
    assert results["Z99"].value == float(len(names))


def test_the_work_is_bounded() -> None:
    started = time.perf_counter()
    # 1,000-deep nesting: an error, not a RecursionError.
    assert code_of("=" + "(" * 1000 + "1" + ")" * 1000) == "#ERREUR!"
    assert code_of("=" + "(" * 100 + "1" + ")" * 100) == "#ERREUR!"
    assert code_of("=" + "-" * 300 + "1") == "#ERREUR!"
    assert code_of("=" + "1+" * 200 + "1") == "#ERREUR!"
    assert code_of("=" + "1" * (MAX_FORMULA_LENGTH + 1)) == "#ERREUR!"
    assert evaluate("=" + "(" * 20 + "1" + ")" * 20) == 1.0
    # Every cell reads the whole sheet: the budget of cell reads stops it.
    cells = {f"{chr(c)}{r}": "=SOMME(A1:Z99)" for c in range(65, 91) for r in range(1, 100)}
    results = evaluate_sheet(cells)
    assert all(r.error is not None for r in results.values())
    assert time.perf_counter() - started < 10


def test_numbers_are_read_and_shown_the_french_way() -> None:
    assert parse_number("12,5") == 12.5
    assert parse_number(" −3 ") == -3.0
    assert parse_number("1 000") is None
    assert parse_number("douze") is None
    assert format_value(12.0) == "12"
    assert format_value(2.5) == "2,5"
    assert format_value(0.1 + 0.2) == "0,3"
    assert format_value(True) == "VRAI"
    assert format_value(None) == ""


# ---------------------------------------------------------------------------- properties


@dataclass(frozen=True)
class Leaf:
    value: float


@dataclass(frozen=True)
class Op:
    op: str
    left: Leaf | Op
    right: Leaf | Op


POWER = {"+": 1, "-": 1, "*": 2, "/": 2}

leaves = st.builds(
    Leaf,
    st.one_of(
        st.integers(min_value=-999, max_value=999).map(float),
        st.integers(min_value=0, max_value=9999).map(lambda n: n / 100),
    ),
)
trees = st.recursive(
    leaves,
    lambda inner: st.builds(Op, st.sampled_from(sorted(POWER)), inner, inner),
    max_leaves=16,
)


def python_value(tree: Leaf | Op) -> float:
    """What the expression is worth, computed by Python in the same order."""
    if isinstance(tree, Leaf):
        return tree.value
    a, b = python_value(tree.left), python_value(tree.right)
    if tree.op == "+":
        return a + b
    if tree.op == "-":
        return a - b
    if tree.op == "*":
        return a * b
    if b == 0:
        raise ZeroDivisionError
    return a / b


def number_text(value: float, comma: bool) -> str:
    text = repr(value).removesuffix(".0")
    return text.replace(".", ",") if comma else text


def render(tree: Leaf | Op, comma: bool, minimal: bool) -> str:
    """Write the tree as a formula: with every parenthesis, or only those precedence needs."""
    if isinstance(tree, Leaf):
        text = number_text(tree.value, comma)
        return f"({text})" if text.startswith("-") and not minimal else text
    left, right = render(tree.left, comma, minimal), render(tree.right, comma, minimal)
    if not minimal:
        return f"({left}{tree.op}{right})"
    if isinstance(tree.left, Op) and POWER[tree.left.op] < POWER[tree.op]:
        left = f"({left})"
    if isinstance(tree.right, Op) and POWER[tree.right.op] <= POWER[tree.op]:
        right = f"({right})"
    return f"{left}{tree.op}{right}"


@settings(max_examples=300, deadline=None)
@given(trees, st.booleans(), st.booleans())
def test_arithmetic_matches_python(tree: Leaf | Op, comma: bool, minimal: bool) -> None:
    formula = "=" + render(tree, comma, minimal)
    try:
        expected = python_value(tree)
    except ZeroDivisionError:
        with pytest.raises(SheetError) as caught:
            evaluate(formula)
        assert caught.value.code == "#DIV/0!"
        return
    assert evaluate(formula) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(min_value=-500, max_value=500).map(str),
            st.sampled_from(["", "texte", "12,5", "−2"]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from("BCDXZ"),
    st.booleans(),
)
def test_ranges_add_count_and_compare_their_numbers(
    values: list[str], column: str, reverse: bool
) -> None:
    cells = {f"{column}{row}": value for row, value in enumerate(values, start=2)}
    numbers = [n for n in (parse_number(v) for v in values) if n is not None]
    last = len(values) + 1
    area = f"{column}{last}:{column}2" if reverse else f"{column}2:{column}{last}"
    assert evaluate(f"=SOMME({area})", cells) == math.fsum(numbers)
    assert evaluate(f"=NB({area})", cells) == len(numbers)
    assert evaluate(f"=MAX({area})", cells) == max(numbers, default=0.0)
    assert evaluate(f"=MIN({area})", cells) == min(numbers, default=0.0)
    if numbers:
        average = evaluate(f"=MOYENNE({area})", cells)
        assert isinstance(average, float)
        assert math.isclose(average, math.fsum(numbers) / len(numbers))
    else:
        with pytest.raises(SheetError):
            evaluate(f"=MOYENNE({area})", cells)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=-99, max_value=99),
    st.integers(min_value=-99, max_value=99),
    st.integers(min_value=1, max_value=99),
)
def test_precedence_of_mixed_operators(a: int, b: int, c: int) -> None:
    assert evaluate(f"={a}+{b}*{c}") == a + b * c
    assert evaluate(f"={a}-{b}/{c}") == a - b / c
    assert evaluate(f"=({a}+{b})*{c}") == (a + b) * c
    assert evaluate(f"={a}*{c}-{b}") == a * c - b
    assert evaluate(f"={a}<{b}") is (a < b)
    assert evaluate(f"={a}+{b}>={c}") is (a + b >= c)


FORMULA_CHARS = st.sampled_from(
    [*'=+-*/^()<>;:,."%&$ ABCZabz0123456789', "−", "SOMME(", "SI(", "A1", "B2:B9", "\x00"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), st.lists(FORMULA_CHARS, max_size=120).map("".join)))
def test_any_text_gives_a_value_or_a_sheet_error(text: str) -> None:
    for formula in (text, "=" + text):
        error = None
        try:
            evaluate(formula, STOCK)
        except SheetError as caught:
            error = caught
        if error is not None:
            assert error.code.startswith(("#", "Err:"))
            assert error.text


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["A1", "A2", "B1", "B2", "C1", "C2"]),
        st.one_of(st.text(max_size=20), st.lists(FORMULA_CHARS, max_size=20).map("".join)),
    )
)
def test_any_sheet_evaluates_without_raising(cells: dict[str, str]) -> None:
    results = evaluate_sheet({k: "=" + v if len(v) % 2 else v for k, v in cells.items()})
    assert set(results) == set(cells)
    for result in results.values():
        assert isinstance(result.display, str)
