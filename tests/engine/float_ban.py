"""A static float ban for the money path: walks the AST of Python files and reports float arithmetic.

``D()`` refuses a float at run time, but only where a value passes through it: ``x * 0.8`` or
``used_s / 86400`` in a rule never does, and no unit test notices a fee computed that way. This
checker reads the source instead and reports, with ``file:line``:

- ``float-literal``: a float (or complex) literal such as ``0.1`` or ``1e3``;
- ``float-call``: a call of ``float(...)``;
- ``int-true-division``: ``a / b`` (or ``a /= b``) where both operands are whole numbers that can
  be told statically: int literals; ``len()``, ``int()``, ``ord()``, one-argument ``round()``;
  ``.days``, ``.seconds`` and the other ``datetime`` fields; ``.total_seconds()``; a parameter
  annotated ``int``; a name whose every assignment in its scope is such a number (module
  constants such as ``DAY = 86400`` included); ``+ - * % //`` of those, and ``a // b`` with a whole
  operand. In Python ``7 / 2`` is the float 3.5;
- ``math-call`` / ``math-import``: any call into ``math`` or ``cmath`` (``math.ceil``,
  ``math.floor``, ``math.fsum`` ...) and ``from math import ...``: they work on floats. Rounding on
  the money path goes through the named policies of ``pricing.engine.money``.

``python tests/engine/float_ban.py pricing/engine pricing/rules`` prints the findings.
"""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

INT_FUNCS = {"len", "int", "ord"}
INT_ATTRS = {"days", "seconds", "microseconds", "year", "month", "day", "hour", "minute", "second", "microsecond"}
INT_METHODS = {"total_seconds"}  # a float count of seconds: dividing it is float arithmetic
MATH_MODULES = {"math", "cmath"}
INT_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Mod, ast.FloorDiv)


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    kind: str
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.code}"


def _assigned(body_nodes) -> dict[str, list[ast.AST | None]]:
    """Every name bound in a scope (not descending into nested functions or classes) -> the values
    bound to it (None when the value cannot be told: tuple unpacking, imports, with, except...)."""
    out: dict[str, list] = {}

    def bind(target, value):
        if isinstance(target, ast.Name):
            out.setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                bind(t, None)
        elif isinstance(target, ast.Starred):
            bind(target.value, None)

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.setdefault(node.name, []).append(None)
            return
        if isinstance(node, ast.Lambda):
            return
        if isinstance(node, ast.Assign):
            for t in node.targets:
                bind(t, node.value)
        elif isinstance(node, ast.AnnAssign):
            is_int = isinstance(node.annotation, ast.Name) and node.annotation.id == "int"
            bind(node.target, ast.Constant(0) if is_int else node.value)
        elif isinstance(node, ast.AugAssign):
            if not isinstance(node.op, ast.Div):  # x /= y is the finding itself, not what x held before
                bind(node.target, node)           # judged as the binary operation it performs
        elif isinstance(node, ast.NamedExpr):
            bind(node.target, node.value)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            it = node.iter
            ranged = isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
            bind(node.target, ast.Constant(0) if ranged else None)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                out.setdefault((a.asname or a.name).split(".")[0], []).append(None)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    bind(item.optional_vars, None)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            out.setdefault(node.name, []).append(None)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for n in body_nodes:
        visit(n)
    return out


class _Scope:
    """Which names of one scope hold whole numbers: those whose every binding does.

    The greatest fixpoint: every bound name starts as whole and loses it when one of its bindings is
    not, until nothing changes (so ``n = 0`` then ``n += 1`` stays whole)."""

    def __init__(self, bindings: dict[str, list], outer: "_Scope | None", params: dict[str, bool]):
        self.outer = outer
        self.local = set(bindings) | set(params)
        self.ints = {p for p, is_int in params.items() if is_int} | {n for n in bindings if n not in params}
        candidates = {n: vs for n, vs in bindings.items() if n not in params}
        changed = True
        while changed:
            changed = False
            for name, values in candidates.items():
                if name in self.ints and not all(v is not None and self.is_int(v) for v in values):
                    self.ints.discard(name)
                    changed = True

    def name_is_int(self, name: str) -> bool:
        if name in self.local:
            return name in self.ints
        return self.outer.name_is_int(name) if self.outer else False

    def is_int(self, node: ast.AST) -> bool:
        if isinstance(node, ast.AugAssign):   # x += e: judged as x + e
            return self.is_int(ast.BinOp(node.target, node.op, node.value))
        if isinstance(node, ast.Constant):
            return type(node.value) is int
        if isinstance(node, ast.Name):
            return self.name_is_int(node.id)
        if isinstance(node, ast.Attribute):
            return node.attr in INT_ATTRS
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                if f.id in INT_FUNCS:
                    return True
                if f.id == "round" and len(node.args) == 1 and not node.keywords:
                    return True
                if f.id in ("abs", "min", "max") and node.args and not node.keywords:
                    return all(self.is_int(a) for a in node.args)
            return isinstance(f, ast.Attribute) and f.attr in INT_METHODS
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.FloorDiv):
                return self.is_int(node.left) or self.is_int(node.right)
            return isinstance(node.op, INT_OPS) and self.is_int(node.left) and self.is_int(node.right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return self.is_int(node.operand)
        if isinstance(node, ast.IfExp):
            return self.is_int(node.body) and self.is_int(node.orelse)
        return False


def _params(fn) -> dict[str, bool]:
    a = fn.args
    every = a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x is not None]
    return {p.arg: isinstance(p.annotation, ast.Name) and p.annotation.id == "int" for p in every}


def check_source(source: str, path: str) -> list[Finding]:
    """Every float-ban finding in one module's source, in line order."""
    tree = ast.parse(source, filename=path)
    findings: list[Finding] = []
    math_names = set()   # local names bound to the math module (import math as m)

    def add(node, kind):
        code = ast.get_source_segment(source, node) or ast.unparse(node)
        findings.append(Finding(path, node.lineno, kind, " ".join(code.split())))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in MATH_MODULES:
                    math_names.add(a.asname or a.name)
        if isinstance(node, ast.ImportFrom) and node.module in MATH_MODULES:
            add(node, "math-import")

    def walk(node, scope: _Scope):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            # decorators and defaults are evaluated in the enclosing scope, the body in its own
            for d in getattr(node, "decorator_list", []):
                walk(d, scope)
            for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
                walk(default, scope)
            body = node.body if isinstance(node.body, list) else [node.body]
            inner = _Scope(_assigned(body), scope, _params(node))
            for stmt in body:
                walk(stmt, inner)
            return
        visit(node, scope)
        for child in ast.iter_child_nodes(node):
            walk(child, scope)

    def visit(node, scope: _Scope):
        if isinstance(node, ast.Constant) and isinstance(node.value, (float, complex)):
            add(node, "float-literal")
        elif isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id == "float":
                add(node, "float-call")
            elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in math_names:
                add(node, "math-call")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            if scope.is_int(node.left) and scope.is_int(node.right):
                add(node, "int-true-division")
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Div):
            if scope.is_int(node.target) and scope.is_int(node.value):
                add(node, "int-true-division")

    walk(tree, _Scope(_assigned(tree.body), None, {}))
    return sorted(set(findings))


def check_paths(paths, root: Path | None = None) -> list[Finding]:
    """Findings in every ``*.py`` file under ``paths`` (files or folders), named relative to ``root``."""
    out = []
    for p in paths:
        p = Path(p)
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        for f in files:
            name = f.relative_to(root).as_posix() if root else f.as_posix()
            out.extend(check_source(f.read_text(encoding="utf-8"), name))
    return sorted(out)


if __name__ == "__main__":
    found = check_paths(sys.argv[1:] or ["pricing/engine", "pricing/rules"])
    for f in found:
        print(f)
    sys.exit(1 if found else 0)
