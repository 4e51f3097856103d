"""Generate one verdict function per checklist: Python code built as an ``ast`` tree.

The traced form of a condition (:mod:`qcompliance.rules.compiler`) records why it came out as
it did, which costs more than deciding it. Evaluation first needs only verdicts, so each
checklist also gets one generated function that returns the verdict of every item at once; the
traced form runs later, only for the items whose explanation is read.

Safety (docs/architecture.md, "Generated verdict functions"): the tree is built from fixed node
shapes. Nothing from a checklist or a profile ever becomes source text or an identifier: fact
keys, values, params, dates, patterns and verdicts enter only as ``K[i]``, an index into a
constants tuple bound as a default argument. Identifiers are generated (``t0``, ``t1``, …)
from counters. The tree is compiled with the built-in ``compile()`` and bound with
``types.FunctionType`` to a globals dictionary with no builtins, so the generated code can
reach nothing but its arguments. Conditions must have been checked by
:func:`~qcompliance.rules.compiler.compile_condition` first (types, params, patterns).
"""

from __future__ import annotations

import ast
import datetime as dt
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from qcompliance.model import FactSpec, Item, Verdict
from qcompliance.rules.calendar import calendar_of
from qcompliance.rules.compiler import (
    MISSING,
    _check_value,
    _compare_range,
    _resolve,
    due_periods,
    period_start,
)
from qcompliance.rules.conditions import All, AnyOf, Condition, Count, Cover, Leaf, Not
from qcompliance.rules.operators import OPERATORS

__all__ = ["VERDICTS", "VerdictFunction", "generate_condition", "generate_verdicts"]

_N = TypeVar("_N", bound=ast.AST)

VerdictFunction = Callable[[Mapping[str, object], dt.date], tuple[Any, ...]]
"""``(values, as_of) -> (applicable, code of item 0, code of item 1, …)``, where
``applicable`` is the checklist's own ``applies`` (True, False or None for unknown) and a code
is an index into :data:`VERDICTS` (small ints count and hash faster than enum members)."""

# Every generated node stands at line 1, column 0. ``compile()`` wants a location on each
# expression and statement; giving it at class level, on subclasses the compiler accepts as the
# node types, spares ``ast.fix_missing_locations``'s walk over every tree (a quarter of start-up).
def _located(cls: type[_N]) -> type[_N]:
    return type(cls.__name__, (cls,), {"__slots__": (), "lineno": 1, "col_offset": 0,
                                       "end_lineno": 1, "end_col_offset": 0})


_Assign = _located(ast.Assign)
_Attribute = _located(ast.Attribute)
_BoolOp = _located(ast.BoolOp)
_Break = _located(ast.Break)
_Call = _located(ast.Call)
_Compare = _located(ast.Compare)
_Constant = _located(ast.Constant)
_FunctionDef = _located(ast.FunctionDef)
_If = _located(ast.If)
_IfExp = _located(ast.IfExp)
_Name = _located(ast.Name)
_Return = _located(ast.Return)
_Subscript = _located(ast.Subscript)
_Tuple = _located(ast.Tuple)
_UnaryOp = _located(ast.UnaryOp)
_While = _located(ast.While)
_arg = _located(ast.arg)

VERDICTS: tuple[Verdict, ...] = tuple(Verdict)
"""Verdicts by code: pass, fail, unknown, not applicable, waived."""

# Operators written inline as a Python comparison of the fact value ``a`` and the expected ``e``.
_COMPARE: dict[str, Callable[[ast.expr, ast.expr], ast.expr]] = {
    "eq": lambda a, e: _Compare(a, [ast.Eq()], [e]),
    "ne": lambda a, e: _Compare(a, [ast.NotEq()], [e]),
    "lt": lambda a, e: _Compare(a, [ast.Lt()], [e]),
    "le": lambda a, e: _Compare(a, [ast.LtE()], [e]),
    "gt": lambda a, e: _Compare(a, [ast.Gt()], [e]),
    "ge": lambda a, e: _Compare(a, [ast.GtE()], [e]),
    "in": lambda a, e: _Compare(a, [ast.In()], [e]),
    "not_in": lambda a, e: _Compare(a, [ast.NotIn()], [e]),
    "contains": lambda a, e: _Compare(e, [ast.In()], [a]),
}


def _name(ident: str, store: bool = False) -> ast.Name:
    return _Name(ident, ast.Store() if store else ast.Load())


def _is(left: ast.expr, right: ast.expr) -> ast.expr:
    return _Compare(left, [ast.Is()], [right])


def _assign(target: str, value: ast.expr) -> ast.stmt:
    return _Assign([_name(target, store=True)], value)


class _Builder:
    """Builds the statements of one function; every datum goes into ``consts``."""

    def __init__(self, facts: Mapping[str, FactSpec]) -> None:
        self.facts = facts
        self.consts: list[object] = []
        self._index: dict[tuple[type, object], int] = {}
        self._temps = 0

    def const(self, value: object) -> ast.expr:
        """``K[i]`` for ``value``: the only way data enters the generated code."""
        try:
            key: tuple[type, object] | None = (type(value), value)
            index = self._index.get(key)  # type: ignore[arg-type]
        except TypeError:  # unhashable: never shared
            key, index = None, None
        if index is None:
            index = len(self.consts)
            self.consts.append(value)
            if key is not None:
                self._index[key] = index
        return _Subscript(_name("K"), _Constant(index), ast.Load())

    def temp(self) -> str:
        """A fresh local name; names come from a counter, never from data."""
        self._temps += 1
        return f"t{self._temps}"

    def condition(self, cond: Condition, params: Mapping[str, object]) -> tuple[list[ast.stmt],
                                                                                str]:
        """Statements that leave the Kleene value of ``cond`` in the returned local."""
        out = self.temp()
        match cond:
            case All(parts) | AnyOf(parts):
                # Python has no goto: a one-pass ``while True`` lets the deciding part ``break``.
                decisive = isinstance(cond, AnyOf)
                body: list[ast.stmt] = []
                for part in parts:
                    stmts, value = self.condition(part, params)
                    body += stmts
                    body.append(_If(_is(_name(value), _Constant(decisive)),
                                       [_assign(out, _Constant(decisive)), _Break()], []))
                    body.append(_If(_is(_name(value), _Constant(None)),
                                       [_assign(out, _Constant(None))], []))
                body.append(_Break())
                return [_assign(out, _Constant(not decisive)),
                        _While(_Constant(True), body, [])], out
            case Not(part):
                stmts, value = self.condition(part, params)
                flipped = _IfExp(_is(_name(value), _Constant(None)), _Constant(None),
                                    _UnaryOp(ast.Not(), _name(value)))
                return [*stmts, _assign(out, flipped)], out
            case Leaf():
                return self._leaf(cond, params, out), out
            case Cover():
                call = _Call(self.const(_cover_decider(cond, self.facts, params)),
                                [_name("v"), _name("day")], [])
                return [_assign(out, call)], out
            case Count():
                # Counting walks records: a closure does it (its ``where`` generated in turn),
                # called through the constants table.
                call = _Call(self.const(_count_decider(cond, self.facts, params)),
                                [_name("v"), _name("day")], [])
                return [_assign(out, call)], out
        raise AssertionError(cond)  # pragma: no cover

    def _leaf(self, leaf: Leaf, params: Mapping[str, object], out: str) -> list[ast.stmt]:
        spec = self.facts[leaf.fact]
        expected = _check_value(leaf.op, _resolve(leaf.value, params, ()), spec, ())
        read = _Call(_name("get"), [self.const(leaf.fact), _name("M")], [])
        if leaf.op == "exists":
            given = _Compare(read, [ast.IsNot()], [_name("M")])
            return [_assign(out, _Compare(given, [ast.Eq()], [self.const(expected)]))]
        actual = _name(out)
        if leaf.op in _COMPARE:
            test = _COMPARE[leaf.op](actual, self.const(expected))
        elif leaf.op in ("contains_any", "contains_all"):
            # any/all over the members is a set test on a constant frozenset of them.
            members = self.const(frozenset(expected))  # type: ignore[call-overload]
            if leaf.op == "contains_any":
                test = _UnaryOp(ast.Not(), _Call(
                    _Attribute(members, "isdisjoint", ast.Load()), [actual], []))
            else:
                test = _Call(_Attribute(members, "issubset", ast.Load()), [actual], [])
        else:
            test = _Call(self.const(OPERATORS[leaf.op].func),
                            [actual, self.const(expected), _name("day")], [])
        return [
            _assign(out, read),
            _If(_is(_name(out), _name("M")), [_assign(out, _Constant(None))],
                   [_assign(out, test)]),
        ]


Decide = Callable[[Mapping[str, object], dt.date], "bool | None"]


def _cover_decider(cover: Cover, facts: Mapping[str, FactSpec],
                   params: Mapping[str, object]) -> Decide:
    """The verdict of a ``cover`` test as the traced form decides it (see ``_compile_cover``),
    without naming the missing periods."""
    spec = facts[cover.records]
    fields = {f.key: f for f in spec.fields or ()}
    window = _resolve(cover.window_days, params, ())
    assert isinstance(window, int)  # checked by compile_condition
    where = None if cover.where is None else generate_condition(cover.where, fields, params)
    key, period = cover.records, cover.period

    def decide(values: Mapping[str, object], day: dt.date) -> bool | None:
        entries: Any = values.get(key, MISSING)
        if entries is MISSING:
            return None
        due = due_periods(day, window, period,
                          calendar_of(values) if period == "day" else None)
        sure: set[dt.date] = set()
        maybe: set[dt.date] = set()
        undated = False
        for record in entries:
            when = record.get("date", MISSING)
            if when is MISSING:
                undated = True
                continue
            matched = True if where is None else where(record, day)
            if matched is None:
                maybe.add(period_start(when, period))
            elif matched:
                sure.add(period_start(when, period))
        missing = [p for p in due if p not in sure]
        if not missing:
            return True
        if undated or all(p in maybe for p in missing):
            return None
        return False

    return decide


def _count_decider(count: Count, facts: Mapping[str, FactSpec],
                   params: Mapping[str, object]) -> Decide:
    """The verdict of a ``count`` as the traced form counts it (see ``_compile_count``)."""
    spec = facts[count.records]
    fields = {f.key: f for f in spec.fields or ()}
    expected = _resolve(count.value, params, ())
    window = _resolve(count.since_days, params, ())
    where = None if count.where is None else generate_condition(count.where, fields, params)
    key, compare = count.records, count.op

    def decide(values: Mapping[str, object], day: dt.date) -> bool | None:
        entries: Any = values.get(key, MISSING)
        if entries is MISSING:
            return None
        sure = maybe = 0
        for record in entries:
            if window is not None:
                when = record.get("date", MISSING)
                if when is MISSING:
                    maybe += 1
                    continue
                if not 0 <= (day - when).days <= window:
                    continue
            if where is None:
                sure += 1
                continue
            matched = where(record, day)
            if matched is None:
                maybe += 1
            elif matched:
                sure += 1
        return _compare_range(compare, sure, sure + maybe, expected)  # type: ignore[arg-type]

    return decide


def _bind(b: _Builder, body: list[ast.stmt]) -> Any:
    """Compile statements over ``v`` (values), ``day``, ``K`` (constants) and ``M`` (missing)
    into a function with no builtins."""
    body = [_assign("get", _Attribute(_name("v"), "get", ast.Load())), *body]
    args = ast.arguments(posonlyargs=[], args=[_arg("v"), _arg("day"), _arg("K"),
                                               _arg("M")],
                         kwonlyargs=[], kw_defaults=[], defaults=[])
    func = _FunctionDef("verdicts", args, body, [], None)
    if "type_params" in ast.FunctionDef._fields:  # Python 3.12+
        func.type_params = []  # type: ignore[attr-defined]
    module = ast.Module([func], type_ignores=[])
    code = compile(module, "<qcompliance verdicts>", "exec")
    inner = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    # No builtins: the generated code reaches only its arguments and the constants table.
    return types.FunctionType(inner, {"__builtins__": {}}, "verdicts",
                              (tuple(b.consts), MISSING))


def generate_condition(cond: Condition, facts: Mapping[str, FactSpec],
                       params: Mapping[str, object] | None = None) -> Decide:
    """One generated function ``(values, as_of) -> True | False | None`` for ``cond``."""
    b = _Builder(facts)
    stmts, value = b.condition(cond, params or {})
    decide: Decide = _bind(b, [*stmts, _Return(_name(value))])
    return decide


def generate_verdicts(applies: Condition | None, items: Sequence[Item],
                      facts: Mapping[str, FactSpec]) -> VerdictFunction:
    """One function deciding a checklist's ``applies`` and every item's verdict.

    Per item, in the order :func:`qcompliance.engine.evaluate.evaluate` uses: outside its life
    it is not applicable; an unknown or false checklist ``applies`` makes it unknown or not
    applicable; then the item's ``applies``; then its ``check``. Waivers and tailoring are
    applied by the caller.
    """
    b = _Builder(facts)
    body: list[ast.stmt] = []
    verdict = {v: _Constant(code) for code, v in enumerate(VERDICTS)}
    if applies is None:
        body.append(_assign("ca", _Constant(True)))
    else:
        stmts, value = b.condition(applies, {})
        body += [*stmts, _assign("ca", _name(value))]
    results: list[ast.expr] = [_name("ca")]
    for item in items:
        out = b.temp()
        decide: list[ast.stmt] = []
        check, value = b.condition(item.check, item.params)
        kleene_verdict = _IfExp(
            _is(_name(value), _Constant(True)), verdict[Verdict.PASS],
            _IfExp(_is(_name(value), _Constant(False)), verdict[Verdict.FAIL],
                      verdict[Verdict.UNKNOWN]))
        if item.applies is None:
            decide = [*check, _assign(out, kleene_verdict)]
        else:
            stmts, gate = b.condition(item.applies, item.params)
            decide = [*stmts, _If(
                _is(_name(gate), _Constant(False)),
                [_assign(out, verdict[Verdict.NOT_APPLICABLE])],
                [_If(_is(_name(gate), _Constant(None)),
                        [_assign(out, verdict[Verdict.UNKNOWN])],
                        [*check, _assign(out, kleene_verdict)])])]
        gated: list[ast.stmt] = [_If(
            _is(_name("ca"), _Constant(False)),
            [_assign(out, verdict[Verdict.NOT_APPLICABLE])],
            [_If(_is(_name("ca"), _Constant(None)),
                    [_assign(out, verdict[Verdict.UNKNOWN])], decide)])]
        outside: list[ast.expr] = []
        if item.effective is not None:
            outside.append(_Compare(_name("day"), [ast.Lt()], [b.const(item.effective)]))
        if item.effective_until is not None:
            outside.append(_Compare(_name("day"), [ast.GtE()],
                                       [b.const(item.effective_until)]))
        if outside:
            test = outside[0] if len(outside) == 1 else _BoolOp(ast.Or(), outside)
            gated = [_If(test, [_assign(out, verdict[Verdict.NOT_APPLICABLE])], gated)]
        body += gated
        results.append(_name(out))
    body.append(_Return(_Tuple(results, ast.Load())))
    verdicts: VerdictFunction = _bind(b, body)
    return verdicts
