"""A small, safe spreadsheet formula evaluator for the practice grid (never `eval`).

It understands what the stock module teaches: numbers (French comma or dot), cell references
A1..Z99, ranges (B2:B6, B:B), + - * / ^, comparisons, parentheses and the functions
SOMME/SUM, MOYENNE/AVERAGE, MIN, MAX, SI/IF, SOMME.SI/SUMIF and NB/COUNT, with ";" between
arguments ("," is accepted with the English names). Like LibreOffice, Excel and Google Sheets,
unary minus binds tighter than ^ (=-2^2 gives 4) and ^ groups from the left.

Every problem becomes a SheetError carrying the spreadsheet's own code (#NOM?, #VALEUR!…)
and a plain French explanation. The work is bounded, so that no learner input makes a big
page or a long calculation: the length of a formula, of every text (typed, quoted in a
formula, or made by "&"), the nesting depth, the number of operators, the cells read, and the
evaluation steps for one sheet (MAX_STEPS: every node evaluated and every cell read).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Union

from flask_babel import lazy_gettext as _
from flask_babel import lazy_ngettext as ngettext  # a name the extractor knows

MAX_FORMULA_LENGTH = 500
# The longest text a cell may hold or a formula may make, as a spreadsheet's text literals
# (255 signs): without it, =D2&D2&… three cells deep made a 45 MB page.
MAX_TEXT_LENGTH = 255
MAX_DEPTH = 40
MAX_OPERATORS = 150
MAX_CELL_READS = 20_000
# The evaluation work for one sheet: nodes evaluated plus cells read. A request evaluates
# a sheet at most twice (sorting), so this bounds the work of any request.
MAX_STEPS = 50_000
MAX_ROW = 99
LAST_COLUMN = "Z"


class SheetError(Exception):
    """A spreadsheet error: `code` is what the cell shows, `message` says why in plain words."""

    def __init__(self, code: str, message: object) -> None:
        # The message is translated lazily, when shown: content is checked outside requests.
        super().__init__(code)
        self.code = code
        self.message = message

    @property
    def text(self) -> str:
        return str(self.message)


def _name_error(name: str) -> SheetError:
    return SheetError(
        "#NOM?",
        _("Le tableur ne connaît pas le nom « %(name)s ». Vérifiez l'orthographe.", name=name),
    )


def _value_error(message: object = None) -> SheetError:
    return SheetError(
        "#VALEUR!", message or _("Le calcul utilise du texte. Un calcul a besoin de nombres.")
    )


def _syntax_error(message: object) -> SheetError:
    return SheetError("#ERREUR!", message)


def _too_big() -> SheetError:
    return SheetError("#NOMBRE!", _("Le résultat est trop grand ou impossible à calculer."))


def _text_too_long() -> SheetError:
    return SheetError(
        "#VALEUR!",
        ngettext(
            "Le résultat est un texte trop long : %(num)s signe au plus dans une case.",
            "Le résultat est un texte trop long : %(num)s signes au plus dans une case.",
            MAX_TEXT_LENGTH,
        ),
    )


def _too_much_work() -> SheetError:
    return SheetError(
        "#ERREUR!",
        _("Le tableau demande trop de calculs. Faites des formules plus simples."),
    )


def _short(text: str) -> str:
    """A text value, if it is not too long for a cell."""
    if len(text) > MAX_TEXT_LENGTH:
        raise _text_too_long()
    return text


def _div_zero() -> SheetError:
    return SheetError(
        "#DIV/0!", _("La formule divise par zéro. Une division par 0 est impossible.")
    )


def _ref_error(ref: str) -> SheetError:
    return SheetError("#REF!", _("La case %(ref)s n'existe pas dans ce tableau.", ref=ref.upper()))


def _circular(ref: str) -> SheetError:
    return SheetError(
        "Err:522",
        _(
            "Référence circulaire : la case %(ref)s utilise son propre résultat. "
            "Le tableur tourne en rond.",
            ref=ref,
        ),
    )


# ---------------------------------------------------------------------------------- values

Scalar = Union[float, str, bool, None]  # noqa: UP007 - a runtime alias
_NUMBER = re.compile(r"^\s*([-+−]?)\s*(\d+(?:[.,]\d+)?|[.,]\d+)\s*$")


def parse_number(text: str) -> float | None:
    """'12,5', '12.5', '−3' → a number; anything else → None."""
    match = _NUMBER.match(text)
    if not match:
        return None
    value = float(match.group(2).replace(",", "."))
    return -value if match.group(1) in ("-", "−") else value


def format_value(value: Scalar) -> str:
    """How a cell shows a value, in French: 12,5 · VRAI · empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"  # what a French spreadsheet shows
    if isinstance(value, float):
        if value == 0:
            return "0"
        return f"{value:.10g}".replace(".", ",").replace("e+", "E+").replace("e-", "E-")
    return value


def _to_number(value: Scalar) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    number = parse_number(value)
    if number is None:
        raise _value_error(
            _("Le calcul utilise le texte « %(text)s ». Un calcul a besoin de nombres.", text=value)
        )
    return number


def _checked(value: float) -> float:
    if math.isnan(value) or math.isinf(value):
        raise _too_big()
    return value


# ---------------------------------------------------------------------------------- references

_REF_PART = re.compile(r"^\$?([A-Za-z]+)\$?(\d+)$")


def split_ref(ref: str) -> tuple[str, int] | None:
    """'$b$2' → ('B', 2) when it names a cell of A1..Z99, else None."""
    match = _REF_PART.match(ref)
    if not match:
        return None
    column, row = match.group(1).upper(), int(match.group(2))
    if len(column) != 1 or not 1 <= row <= MAX_ROW:
        return None
    return column, row


def cell_name(column: str, row: int) -> str:
    return f"{column}{row}"


# ---------------------------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<range>\$?[A-Za-z]+\$?\d+\s*:\s*\$?[A-Za-z]+\$?\d+|\$?[A-Za-z]\s*:\s*\$?[A-Za-z](?![\w(]))
  | (?P<number>\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?|[.,]\d+)
  | (?P<name>\$?[A-Za-zÀ-ÿ_][A-Za-zÀ-ÿ0-9_.]*\$?\d*)
  | (?P<op><>|<=|>=|[-+*/^()=<>;,%&])
    """,
    re.VERBOSE,
)
_SYMBOLS = str.maketrans(
    {"−": "-", "×": "*", "÷": "/", "‘": '"', "“": '"', "”": '"', "«": '"', "»": '"'}
)
ENGLISH_FUNCTIONS = {"SUM", "AVERAGE", "IF", "SUMIF", "COUNT"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokenize(formula: str) -> list[Token]:
    """Split a formula (without its leading '=') into tokens; raise SheetError on a bad sign."""
    text = formula.translate(_SYMBOLS)
    english = ";" not in text and any(
        re.search(rf"(?<![\w.]){name}\s*\(", text, re.IGNORECASE) for name in ENGLISH_FUNCTIONS
    )
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise _syntax_error(
                _("La formule contient un signe inconnu : « %(sign)s ».", sign=text[pos])
            )
        kind = match.lastgroup or ""
        value = match.group()
        pos = match.end()
        if kind == "space":
            continue
        if kind == "number" and english and "," in value:
            # English names: "," separates arguments, so "1,5" is 1 then 5.
            head, _sep, tail = value.partition(",")
            if head:
                tokens.append(Token("number", head))
            tokens.append(Token("op", ","))
            pos -= len(tail)
            continue
        tokens.append(Token(kind, value))
    return tokens


# ---------------------------------------------------------------------------------- syntax tree


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Bool:
    value: bool


@dataclass(frozen=True)
class Ref:
    column: str
    row: int


@dataclass(frozen=True)
class Range:
    first: Ref
    last: Ref

    def cells(self) -> Iterator[str]:
        columns = sorted((self.first.column, self.last.column))
        rows = sorted((self.first.row, self.last.row))
        for c in range(ord(columns[0]), ord(columns[1]) + 1):
            for r in range(rows[0], rows[1] + 1):
                yield cell_name(chr(c), r)


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Union[Num, Text, Bool, Ref, Range, Unary, Binary, Call]  # noqa: UP007 - a runtime alias

# Binding powers, low to high; "^" is left-associative as in spreadsheets.
_BINARY = {
    "=": 1,
    "<>": 1,
    "<": 1,
    ">": 1,
    "<=": 1,
    ">=": 1,
    "&": 2,
    "+": 3,
    "-": 3,
    "*": 4,
    "/": 4,
    "^": 5,
}
_UNARY_POWER = 6


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.operators = 0

    def operator(self) -> None:
        # Bounds the depth of the tree, hence the recursion when it is evaluated.
        self.operators += 1
        if self.operators > MAX_OPERATORS:
            raise _syntax_error(_("La formule a trop de calculs. Coupez-la en plusieurs cases."))

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise _syntax_error(
                _("La formule s'arrête trop tôt. Il manque quelque chose à la fin.")
            )
        self.pos += 1
        return token

    def expect(self, text: str) -> None:
        token = self.peek()
        if token is None or token.text != text:
            if text == ")":
                raise _syntax_error(_("Il manque une parenthèse fermante « ) »."))
            raise _syntax_error(_("Il manque « %(sign)s » dans la formule.", sign=text))
        self.pos += 1

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _syntax_error(_("La formule a trop de parenthèses ou de signes imbriqués."))

    def parse(self) -> Node:
        if not self.tokens:
            raise _syntax_error(_("La formule est vide. Tapez un calcul après le signe =."))
        node = self.expression(0)
        extra = self.peek()
        if extra is not None:
            if extra.text == ")":
                raise _syntax_error(_("Il y a une parenthèse fermante « ) » en trop."))
            raise _syntax_error(
                _("La formule continue après la fin du calcul : « %(sign)s ».", sign=extra.text)
            )
        return node

    def expression(self, min_power: int) -> Node:
        self.nested()
        left = self.prefix()
        while True:
            token = self.peek()
            if token is None or token.kind != "op":
                break
            if token.text == "%":
                self.pos += 1
                self.operator()
                left = Binary("/", left, Num(100.0))
                continue
            power = _BINARY.get(token.text)
            if power is None or power <= min_power:
                break
            self.pos += 1
            self.operator()
            left = Binary(token.text, left, self.expression(power))
        self.depth -= 1
        return left

    def prefix(self) -> Node:
        token = self.take()
        if token.kind == "op" and token.text in "+-":
            self.operator()
            self.nested()
            operand = self.expression(_UNARY_POWER)
            self.depth -= 1
            return Unary(token.text, operand)
        if token.kind == "op" and token.text == "(":
            node = self.expression(0)
            self.expect(")")
            return node
        if token.kind == "name":
            after = self.peek()
            if after is not None and after.text == "(":
                return self.call(token.text)
            return _name(token.text)
        literal = _LITERALS.get(token.kind)
        if literal is not None:
            return literal(token.text)
        raise _missing_value(token.text)

    def call(self, name: str) -> Node:
        upper = name.upper()
        if upper not in FUNCTIONS:
            raise _name_error(name)
        self.expect("(")
        self.nested()
        args: list[Node] = []
        token = self.peek()
        if token is not None and token.text == ")":
            self.pos += 1
        else:
            while True:
                args.append(self.expression(0))
                token = self.take()
                if token.text == ")":
                    break
                if token.text not in (";", ","):
                    raise _syntax_error(
                        _("Séparez les valeurs de %(name)s par un point-virgule « ; ».", name=upper)
                    )
        self.depth -= 1
        low, high = FUNCTIONS[upper].arity
        if not low <= len(args) <= high:
            raise _syntax_error(_arity_message(upper, low, high))
        return Call(upper, tuple(args))


def _number(text: str) -> Node:
    try:
        return Num(_checked(float(text.replace(",", "."))))
    except OverflowError:
        raise _too_big() from None


def _text(text: str) -> Node:
    return Text(_short(text[1:-1].replace('""', '"')))


def _range(text: str) -> Node:
    first, last = (p.strip() for p in text.split(":"))
    if first.lstrip("$").isalpha():  # a whole column: B:B
        first, last = f"{first}1", f"{last}{MAX_ROW}"
    a, b = split_ref(first), split_ref(last)
    if a is None or b is None:
        raise _ref_error(first if a is None else last)
    return Range(Ref(*a), Ref(*b))


# What a value token becomes in the tree, by its kind (a name is read by _name).
_LITERALS: dict[str, Callable[[str], Node]] = {"number": _number, "string": _text, "range": _range}
_BOOLEANS = {"VRAI": True, "TRUE": True, "FAUX": False, "FALSE": False}


def _name(text: str) -> Node:
    """A name that is not a function: a cell, a boolean, or an error naming it."""
    ref = split_ref(text)
    if ref is not None:
        return Ref(*ref)
    if re.fullmatch(r"\$?[A-Za-z]+\$?\d+", text):
        raise _ref_error(text.replace("$", ""))
    boolean = _BOOLEANS.get(text.upper())
    if boolean is not None:
        return Bool(boolean)
    raise _name_error(text)


def _missing_value(sign: str) -> SheetError:
    """A sign where a value should be: a closing bracket, a separator or an operator."""
    if sign == ")":
        return _syntax_error(_("Une parenthèse fermante « ) » arrive trop tôt."))
    if sign in (";", ","):
        return _syntax_error(_("Il manque une valeur avant « %(sign)s ».", sign=sign))
    return _syntax_error(_("Il manque une valeur avant le signe « %(sign)s ».", sign=sign))


def _arity_message(name: str, low: int, high: int) -> object:
    if low == high:
        return ngettext(
            "La fonction %(name)s attend %(num)s valeur.",
            "La fonction %(name)s attend %(num)s valeurs.",
            low,
            name=name,
        )
    if high >= 255:
        return _("La fonction %(name)s attend au moins %(n)s valeur.", name=name, n=low)
    return ngettext(
        "La fonction %(name)s attend %(low)s ou %(num)s valeur.",
        "La fonction %(name)s attend %(low)s ou %(num)s valeurs.",
        high,
        name=name,
        low=low,
    )


def parse(formula: str) -> Node:
    """Parse a formula, with or without its leading '='; raise SheetError when it is wrong."""
    if len(formula) > MAX_FORMULA_LENGTH:
        raise _syntax_error(
            ngettext(
                "La formule est trop longue : %(num)s signe au plus.",
                "La formule est trop longue : %(num)s signes au plus.",
                MAX_FORMULA_LENGTH,
            )
        )
    body = formula.strip()
    if body.startswith("="):
        body = body[1:]
    return _Parser(tokenize(body)).parse()


# ---------------------------------------------------------------------------------- evaluation


@dataclass
class _Function:
    arity: tuple[int, int]
    run: Callable[[Evaluator, tuple[Node, ...]], Scalar]


@dataclass
class CellResult:
    """One cell after evaluation: its value, or the error it shows."""

    raw: str
    value: Scalar = None
    error: SheetError | None = None
    is_formula: bool = False

    @property
    def display(self) -> str:
        return self.error.code if self.error else format_value(self.value)


@dataclass
class Evaluator:
    """Evaluates formulas against cells already evaluated (dependencies come first)."""

    results: dict[str, CellResult] = field(default_factory=dict)
    reads: int = 0
    steps: int = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _too_much_work()

    def read(self, name: str) -> Scalar:
        self.step()
        self.reads += 1
        if self.reads > MAX_CELL_READS:
            raise _syntax_error(_("Le calcul lit trop de cases. Prenez une plage plus petite."))
        result = self.results.get(name)
        if result is None:
            return None
        if result.error is not None:
            raise result.error
        return result.value

    def run(self, node: Node) -> Scalar:
        try:
            value = self.value(node)
        except (OverflowError, ValueError, ZeroDivisionError):
            raise _too_big() from None
        if isinstance(value, str):
            return _short(value)
        return _checked(value) if isinstance(value, float) else value

    def value(self, node: Node) -> Scalar:
        self.step()
        if isinstance(node, Num | Text | Bool):
            return node.value
        if isinstance(node, Ref):
            return self.read(cell_name(node.column, node.row))
        if isinstance(node, Range):
            raise _value_error(
                _("Une plage comme B2:B6 va dans une fonction, par exemple SOMME(B2:B6).")
            )
        if isinstance(node, Unary):
            number = self.number(node.operand)
            return -number if node.op == "-" else number
        if isinstance(node, Binary):
            return self.binary(node)
        return FUNCTIONS[node.name].run(self, node.args)

    def number(self, node: Node) -> float:
        value = self.value(node)
        if isinstance(node, Ref) and isinstance(value, str) and parse_number(value) is None:
            raise _value_error(
                _(
                    "La case %(ref)s contient du texte : « %(text)s ». "
                    "Un calcul a besoin de nombres.",
                    ref=cell_name(node.column, node.row),
                    text=value,
                )
            )
        return _to_number(value)

    def binary(self, node: Binary) -> Scalar:
        op = node.op
        if op == "&":
            left = format_value(self.value(node.left))
            right = format_value(self.value(node.right))
            if len(left) + len(right) > MAX_TEXT_LENGTH:  # checked before it is made
                raise _text_too_long()
            return left + right
        if op in ("=", "<>", "<", ">", "<=", ">="):
            return _compare(self.value(node.left), self.value(node.right), op)
        return _arithmetic(op, self.number(node.left), self.number(node.right))

    def numbers(self, args: tuple[Node, ...]) -> Iterator[float]:
        """Numbers of the arguments: text and empty cells of references are skipped."""
        for arg in args:
            if isinstance(arg, Range):
                for name in arg.cells():
                    value = self.read(name)
                    if isinstance(value, float):
                        yield value
            elif isinstance(arg, Ref):
                value = self.value(arg)
                if isinstance(value, float):
                    yield value
            else:
                yield _to_number(self.value(arg))


def _arithmetic(op: str, a: float, b: float) -> float:
    """a op b for + - * / and ^, as the sheet shows it (errors for 1/0, 0^-1, too big)."""
    if op == "+":
        return _checked(a + b)
    if op == "-":
        return _checked(a - b)
    if op == "*":
        return _checked(a * b)
    if op == "/":
        if b == 0:
            raise _div_zero()
        return _checked(a / b)
    if a == 0 and b < 0:
        raise _div_zero()
    try:
        return _checked(math.pow(a, b))
    except (OverflowError, ValueError):
        raise _too_big() from None


def _compare(left: Scalar, right: Scalar, op: str) -> bool:
    a: float | str
    b: float | str
    if isinstance(left, str) and isinstance(right, str):
        a, b = left.casefold(), right.casefold()
    elif isinstance(left, str) or isinstance(right, str):
        # Like spreadsheets: any number is smaller than any text.
        a, b = (1.0, 0.0) if isinstance(left, str) else (0.0, 1.0)
    else:
        a, b = _to_number(left), _to_number(right)
    # a and b are both texts or both numbers here: mypy cannot tell from the branches above.
    results = {
        "=": a == b,
        "<>": a != b,
        "<": a < b,  # type: ignore[operator]
        ">": a > b,  # type: ignore[operator]
        "<=": a <= b,  # type: ignore[operator]
        ">=": a >= b,  # type: ignore[operator]
    }
    return results[op]


def _sum(ev: Evaluator, args: tuple[Node, ...]) -> Scalar:
    return _checked(math.fsum(ev.numbers(args)))


def _average(ev: Evaluator, args: tuple[Node, ...]) -> Scalar:
    values = list(ev.numbers(args))
    if not values:
        raise _div_zero()
    return _checked(math.fsum(values) / len(values))


def _min(ev: Evaluator, args: tuple[Node, ...]) -> Scalar:
    return min(ev.numbers(args), default=0.0)


def _max(ev: Evaluator, args: tuple[Node, ...]) -> Scalar:
    return max(ev.numbers(args), default=0.0)


def _count(ev: Evaluator, args: tuple[Node, ...]) -> Scalar:
    total = 0
    for arg in args:
        if isinstance(arg, Range):
            total += sum(isinstance(ev.read(n), float) for n in arg.cells())
        else:
            try:
                value = ev.value(arg)
            except SheetError:
                continue
            total += isinstance(value, float) or (
                not isinstance(arg, Ref)
                and isinstance(value, str)
                and parse_number(value) is not None
            )
    return float(total)


def _if(ev: Evaluator, args: tuple[Node, ...]) -> Scalar:
    condition = ev.value(args[0])
    if isinstance(condition, str):
        raise _value_error(_("La condition de SI doit être vraie ou fausse, pas du texte."))
    chosen = _to_number(condition) != 0
    if chosen:
        return ev.value(args[1])
    if len(args) == 3:
        return ev.value(args[2])
    return False


_CRITERION = re.compile(r"^(<>|<=|>=|<|>|=)?(.*)$", re.DOTALL)


def _matches(value: Scalar, criterion: Scalar) -> bool:
    if isinstance(criterion, str):
        match = _CRITERION.match(criterion)
        op, target_text = (match.group(1) or "=", match.group(2)) if match else ("=", criterion)
        number = parse_number(target_text)
        target: Scalar = number if number is not None else target_text
    else:
        op, target = "=", criterion
    if value is None:
        return False
    if isinstance(target, float) and isinstance(value, str):
        return op == "<>"
    return _compare(value, target, op)


def _sumif(ev: Evaluator, args: tuple[Node, ...]) -> Scalar:
    where, criterion_node = args[0], args[1]
    totals = args[2] if len(args) == 3 else where
    if not isinstance(where, (Range, Ref)) or not isinstance(totals, (Range, Ref)):
        raise _value_error(_("SOMME.SI attend des plages de cases, par exemple A2:A6."))
    criterion = ev.value(criterion_node)
    where_cells = list(where.cells()) if isinstance(where, Range) else [_ref_name(where)]
    total_cells = list(totals.cells()) if isinstance(totals, Range) else [_ref_name(totals)]
    total = 0.0
    for name, target in zip(where_cells, total_cells, strict=False):
        if _matches(ev.read(name), criterion):
            value = ev.read(target)
            if isinstance(value, float):
                total += value
    return _checked(total)


def _ref_name(ref: Ref) -> str:
    return cell_name(ref.column, ref.row)


_MANY = 255
FUNCTIONS: dict[str, _Function] = {
    "SOMME": _Function((1, _MANY), _sum),
    "SUM": _Function((1, _MANY), _sum),
    "MOYENNE": _Function((1, _MANY), _average),
    "AVERAGE": _Function((1, _MANY), _average),
    "MIN": _Function((1, _MANY), _min),
    "MAX": _Function((1, _MANY), _max),
    "NB": _Function((1, _MANY), _count),
    "COUNT": _Function((1, _MANY), _count),
    "SI": _Function((2, 3), _if),
    "IF": _Function((2, 3), _if),
    "SOMME.SI": _Function((2, 3), _sumif),
    "SUMIF": _Function((2, 3), _sumif),
}


def _references(node: Node) -> Iterator[str]:
    """Every cell a formula reads (ranges expanded), without recursion."""
    todo: list[Node] = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, Ref):
            yield cell_name(current.column, current.row)
        elif isinstance(current, Range):
            yield from current.cells()
        elif isinstance(current, Unary):
            todo.append(current.operand)
        elif isinstance(current, Binary):
            todo.extend((current.left, current.right))
        elif isinstance(current, Call):
            todo.extend(current.args)


def _initial(raw: str) -> CellResult:
    """A cell before its formula runs: a number, a text, empty, or a formula to evaluate."""
    text = raw.strip()
    if text.startswith("="):
        return CellResult(raw=raw, is_formula=True)
    if not text:
        return CellResult(raw=raw)
    number = parse_number(text)
    if number is None and len(text) > MAX_TEXT_LENGTH:
        return CellResult(raw=raw, error=_text_too_long())
    return CellResult(raw=raw, value=number if number is not None else text)


def evaluate_sheet(cells: Mapping[str, str]) -> dict[str, CellResult]:
    """Evaluate every cell of a sheet ({'B2': '12', 'D2': '=B2-C2'}); never raises.

    Formulas run in dependency order found without recursion, so a long chain of cells
    cannot exhaust the stack; a cell on a loop shows the circular-reference error.
    """
    raws = {k.upper(): v for k, v in cells.items()}
    results = {name: _initial(raw) for name, raw in raws.items()}
    trees, deps = _parse_formulas(results)
    order, circular = _evaluation_order(trees, deps)
    evaluator = Evaluator(results=results)
    for name in order:
        result = results[name]
        if name in circular:
            result.error = _circular(name)
            continue
        try:
            result.value = evaluator.run(trees[name])
        except SheetError as error:
            result.error = error
    return results


def _parse_formulas(
    results: dict[str, CellResult],
) -> tuple[dict[str, Node], dict[str, list[str]]]:
    """The tree of every formula that parses, and the formula cells each one reads.

    A formula that does not parse, or that reads past the sheet's budget of cell reads,
    gets its error in `results` and no tree.
    """
    trees: dict[str, Node] = {}
    deps: dict[str, list[str]] = {}
    budget = MAX_CELL_READS
    for name, result in results.items():
        if not result.is_formula:
            continue
        try:
            trees[name] = parse(result.raw)
        except SheetError as error:
            result.error = error
            continue
        needed: list[str] = []
        for ref in _references(trees[name]):
            budget -= 1
            if budget < 0:
                result.error = _syntax_error(
                    _("Le calcul lit trop de cases. Prenez une plage plus petite.")
                )
                del trees[name]
                break
            if ref in trees or (ref in results and results[ref].is_formula):
                needed.append(ref)
        else:
            deps[name] = needed
    return trees, deps


def _evaluation_order(
    trees: dict[str, Node], deps: dict[str, list[str]]
) -> tuple[list[str], set[str]]:
    """The formula cells in an order where each comes after what it reads, and those on a loop.

    Depth-first walk with an explicit stack: post-order gives a safe evaluation order.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    order: list[str] = []
    circular: set[str] = set()
    for start in trees:
        if state.get(start):
            continue
        path: list[tuple[str, Iterator[str]]] = [(start, iter(deps.get(start, [])))]
        state[start] = 1
        while path:
            name, children = path[-1]
            child = next(children, None)
            if child is None:
                path.pop()
                state[name] = 2
                order.append(name)
            elif child not in trees:
                continue
            elif state.get(child) == 1:
                names = [n for n, _it in path]
                circular.update(names[names.index(child) :])
            elif not state.get(child):
                state[child] = 1
                path.append((child, iter(deps.get(child, []))))
    return order, circular


def evaluate(formula: str, cells: Mapping[str, str] | None = None) -> Scalar:
    """The value of one formula on a sheet; raise SheetError, and only that, when it fails."""
    tree = parse(formula)
    return Evaluator(results=evaluate_sheet(cells or {})).run(tree)
