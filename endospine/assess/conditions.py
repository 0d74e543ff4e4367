"""A small, safe language for rule conditions, compiled once at load.

A condition reads like the rule table a clinician writes, e.g.

    leg_pain < 4 and leg_pain < back_pain
    finding_zone in ["foraminal", "extraforaminal"]
    cauda_equina_signs or motor_deficit == "progressive"
    otherwise

It borrows Python's expression *syntax* (parsed with `ast`), but nothing is ever
passed to `eval`: the parse tree is checked against a short whitelist (and/or/not,
one comparison at a time, known fact names, plain constants) and turned into
closures. Names are type-checked and every text constant must be a value the
fact can really take, so a typo like "progresive" fails at load, not at the
bedside by silently never matching.
"""

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from endospine.assess.inputs import (
    LEVELS,
    MIGRATIONS,
    MODALITIES,
    MOTOR_DEFICITS,
    PATHOLOGIES,
    ZONES,
)

Facts = Mapping[str, Any]
Predicate = Callable[[Facts], bool]
_Value = Callable[[Facts], Any]

OTHERWISE = "otherwise"


class ConditionError(ValueError):
    """A condition that is not valid in the rule language; the message says why."""


@dataclass(frozen=True)
class FactType:
    kind: str  # "bool", "int" or "choice"
    choices: tuple[str, ...] = ()
    description: str = ""


def _choice(values: tuple[str, ...], description: str) -> FactType:
    return FactType("choice", values, description)


BOOL = "bool"
INT = "int"

# Every fact a rule may name. Finding facts describe the *first* finding (the
# level the surgeon is asked about); they are empty when there is no finding.
FACTS: dict[str, FactType] = {
    "age": FactType(INT, description="age in years"),
    "leg_pain": FactType(INT, description="leg pain, 0-10"),
    "back_pain": FactType(INT, description="back pain, 0-10"),
    "symptom_weeks": FactType(INT, description="weeks since the symptoms began"),
    "conservative_care_weeks": FactType(INT, description="weeks of conservative care tried"),
    "motor_deficit": _choice(MOTOR_DEFICITS, "weakness"),
    "cauda_equina_signs": FactType(BOOL, description="any cauda equina warning sign"),
    "red_flag_count": FactType(INT, description="how many red flags are present"),
    "imaging_modality": _choice(MODALITIES, "scan type"),
    "imaging_concordant": FactType(BOOL, description="the scan matches the symptoms"),
    "finding_count": FactType(INT, description="number of findings on the scan"),
    "levels_involved": FactType(INT, description="number of different levels involved"),
    "spondylolisthesis_grade": FactType(INT, description="slip grade, 0-4"),
    "dynamic_instability": FactType(BOOL, description="movement on flexion/extension films"),
    "scoliosis_cobb": FactType(INT, description="scoliosis Cobb angle in degrees"),
    "prior_surgery_same_level": FactType(BOOL, description="operated before at this level"),
    "high_iliac_crest": FactType(BOOL, description="high iliac crest"),
    "finding_level": _choice(LEVELS, "level of the first finding"),
    "finding_pathology": _choice(PATHOLOGIES, "what the first finding is"),
    "finding_zone": _choice(ZONES, "zone of the first finding"),
    "finding_migration": _choice(MIGRATIONS, "migration of the first finding"),
    "finding_calcified": FactType(BOOL, description="the first finding is calcified"),
}

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_SYMBOL = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


def compile_condition(text: object) -> Predicate:
    """Check a condition and return a function of the facts; ConditionError if invalid."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("a condition must be a non-empty line of text")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ConditionError(f"cannot read {text.strip()!r}: {exc.msg}") from None
    if is_otherwise(text):
        return lambda f: True
    return _boolean(tree.body)


def is_otherwise(text: str) -> bool:
    return text.strip() == OTHERWISE


def _boolean(node: ast.expr) -> Predicate:
    if isinstance(node, ast.BoolOp):
        parts = [_boolean(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda f: all(p(f) for p in parts)
        return lambda f: any(p(f) for p in parts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _boolean(node.operand)
        return lambda f: not inner(f)
    if isinstance(node, ast.Compare):
        return _comparison(node)
    if isinstance(node, ast.Name):
        if _fact(node.id).kind != BOOL:
            raise ConditionError(f"{node.id!r} is not yes/no; compare it, e.g. {node.id} == ...")
        name = node.id
        return lambda f: bool(f[name])
    raise ConditionError(f"{_show(node)!r} is not allowed; use and, or, not and comparisons")


def _fact(name: str) -> FactType:
    if name == OTHERWISE:
        raise ConditionError("'otherwise' must stand alone as the whole condition")
    if name not in FACTS:
        raise ConditionError(f"unknown name {name!r}; known names: {', '.join(sorted(FACTS))}")
    return FACTS[name]


def _comparison(node: ast.Compare) -> Predicate:
    if len(node.ops) != 1:
        raise ConditionError(f"{_show(node)!r}: compare one pair at a time, joined with 'and'")
    op = node.ops[0]
    if type(op) not in _COMPARE:
        raise ConditionError(f"{_show(node)!r}: operator not allowed")
    left, right = node.left, node.comparators[0]
    if isinstance(op, ast.In | ast.NotIn):
        return _membership(left, right, op)
    left_type, get_left = _operand(left)
    right_type, get_right = _operand(right)
    _check_pair(node, op, left, right, left_type, right_type)
    # Ordering is only allowed on numbers, which are never missing; a missing
    # finding fact (None) simply never equals a text value.
    compare = _COMPARE[type(op)]
    return lambda f: compare(get_left(f), get_right(f))


def _operand(node: ast.expr) -> tuple[FactType | type, _Value]:
    if isinstance(node, ast.Name):
        name = node.id
        return _fact(name), lambda f: f[name]
    if isinstance(node, ast.Constant) and type(node.value) in (int, str, bool):
        value = node.value
        return type(value), lambda f: value
    raise ConditionError(f"{_show(node)!r}: only fact names and plain numbers/text may be compared")


def _check_pair(
    node: ast.Compare,
    op: ast.cmpop,
    left: ast.expr,
    right: ast.expr,
    left_type: FactType | type,
    right_type: FactType | type,
) -> None:
    if not isinstance(left_type, FactType) and not isinstance(right_type, FactType):
        raise ConditionError(f"{_show(node)!r}: compares two constants; name a fact")
    kinds = {_kind(left_type), _kind(right_type)}
    if len(kinds) != 1:
        raise ConditionError(f"{_show(node)!r}: the two sides are of different kinds")
    if isinstance(op, _ORDERING) and kinds != {INT}:
        raise ConditionError(f"{_show(node)!r}: {_SYMBOL[type(op)]} needs numbers on both sides")
    for fact_type, other in ((left_type, right), (right_type, left)):
        if isinstance(fact_type, FactType) and fact_type.kind == "choice":
            _check_choice(fact_type, other)


def _kind(t: FactType | type) -> str:
    if isinstance(t, FactType):
        return t.kind
    return {int: INT, bool: BOOL, str: "choice"}[t]


def _check_choice(fact_type: FactType, node: ast.expr) -> None:
    if isinstance(node, ast.Constant) and node.value not in fact_type.choices:
        raise ConditionError(
            f"{node.value!r} is not a possible value; expected one of "
            f"{', '.join(fact_type.choices)}"
        )


def _membership(left: ast.expr, right: ast.expr, op: ast.cmpop) -> Predicate:
    if not isinstance(left, ast.Name):
        raise ConditionError(f"{_show(left)!r}: the left of 'in' must be a fact name")
    fact_type = _fact(left.id)
    if fact_type.kind == BOOL:
        raise ConditionError(f"'{left.id} in [...]': a yes/no fact cannot be in a list")
    if not isinstance(right, ast.List | ast.Tuple) or not right.elts:
        raise ConditionError(f"{_show(right)!r}: the right of 'in' must be a list like [\"a\"]")
    values = []
    for element in right.elts:
        if not isinstance(element, ast.Constant) or _kind(type(element.value)) != fact_type.kind:
            raise ConditionError(f"{_show(element)!r} does not fit {left.id!r}")
        if fact_type.kind == "choice":
            _check_choice(fact_type, element)
        values.append(element.value)
    allowed = frozenset(values)
    name = left.id
    if isinstance(op, ast.In):
        return lambda f: f[name] in allowed
    return lambda f: f[name] not in allowed


def _show(node: ast.AST) -> str:
    return ast.unparse(node)
