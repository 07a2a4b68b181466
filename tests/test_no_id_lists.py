"""Code holds no lists of plan, region, edition, metric or pack ids: which ids exist is a dated fact
of the catalog. This walks the AST of every rule module and fails on a tuple, list, set or dict
literal that names two or more ids of the catalog's id columns, and on a comparison against a
plan, region or edition id written in code."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pricing.engine.catalog import load

ROOT = Path(__file__).resolve().parent.parent
RULES = sorted((ROOT / "pricing" / "rules").rglob("*.py"))
ID_COLUMNS = ("plan", "region", "edition", "metric", "pack", "package", "channel")


def catalog_ids() -> dict[str, set[str]]:
    cat = load()
    out: dict[str, set[str]] = {c: set() for c in ID_COLUMNS}
    for i in cat.all_ids():
        for e in cat.versions(i):
            if e.kind == "table" and e.value:
                for row in e.value:
                    for c in ID_COLUMNS:
                        if isinstance(row.get(c), str):
                            out[c].add(row[c])
    return out


IDS = catalog_ids()
ALL = set().union(*IDS.values())
STRICT = IDS["plan"] | IDS["region"] | IDS["edition"]  # never named in code, even alone in a comparison


def strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            named = [s for s in (e.value for e in node.elts if isinstance(e, ast.Constant)) if s in ALL]
            if len(named) >= 2:
                out.append(f"{path.relative_to(ROOT)}:{node.lineno}: a list of catalog ids {named}")
        elif isinstance(node, ast.Dict):
            named = [k.value for k in node.keys if isinstance(k, ast.Constant) and k.value in ALL]
            if len(named) >= 2:
                out.append(f"{path.relative_to(ROOT)}:{node.lineno}: a table keyed by catalog ids {named}")
        elif isinstance(node, ast.Compare):
            # a plan, region or edition compared with an id written in code (another column that happens
            # to use the same word, e.g. a boundary kind "standard", is not an id)
            named = [s for s in strings(node) if s in STRICT]
            about = ast.unparse(node).lower()
            if named and any(w in about for w in ("plan", "region", "edition")):
                out.append(f"{path.relative_to(ROOT)}:{node.lineno}: compares with the id {named[0]!r}")
    return out


def test_the_catalog_has_the_id_columns_this_test_reads():
    assert {"personal", "standard"} <= IDS["plan"] and {"guangzhou", "hongkong"} <= IDS["region"]
    assert {"basic", "professional"} <= IDS["edition"]


def test_no_rule_module_holds_a_list_of_catalog_ids():
    found = [f for p in RULES for f in findings(p)]
    assert not found, "ids belong in the catalog (read them from a dated view):\n" + "\n".join(found)


def test_the_check_fails_on_a_planted_list(tmp_path):
    planted = ROOT / "pricing" / "rules" / "_planted_ids_test.py"
    try:
        planted.write_text('PLANS = ("personal", "standard", "enterprise")\n'
                           'def f(plan):\n    return plan == "enterprise_premium"\n', encoding="utf-8")
        found = findings(planted)
    finally:
        planted.unlink()
    assert len(found) == 2 and "list of catalog ids" in found[0] and "compares with the id" in found[1]
