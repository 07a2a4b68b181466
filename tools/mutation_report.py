"""Mutation score per module, from mutmut 3's results in ``mutants/`` (run by ``make mutation``).

Usage: ``python tools/mutation_report.py [--min 85] [--markdown] pricing/engine/money.py ...``

For every module named, reads ``mutants/<module>.meta`` (mutmut's JSON: mutant name -> the exit
code of the test run against it) and prints one line per module: mutants, killed, survived, no
tests, timeouts, score. Then every surviving mutant with the line it changes (``-`` the original,
``+`` the mutant), grouped by module.

Score = (killed + timeout) / all mutants of the module. A mutant that no test reaches ("no tests")
counts as a survivor: nothing would notice it. A timeout is a kill (the mutant made a test hang,
which a run notices). Exits 1 when a module has no results (not run, or mutmut found nothing to
mutate in it) or scores below ``--min``.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

# mutmut's exit-code classes (mutmut/stats.py status_by_exit_code), restated so that the report
# needs no mutmut import to count.
KILLED = {1, 3, 37}                 # a test failed (1), pytest internal error (3), type check (37)
TIMEOUT = {36, 24, -24, 152, 255}  # CPU-time limit: the mutant made a test hang
SURVIVED = {0}
NO_TESTS = {5, 33}
NOT_CHECKED = {None}


@dataclass
class ModuleScore:
    module: str
    codes: dict[str, int | None] = field(default_factory=dict)

    def count(self, codes: set) -> int:
        return sum(1 for c in self.codes.values() if c in codes)

    @property
    def total(self) -> int:
        return len(self.codes)

    @property
    def killed(self) -> int:
        return self.count(KILLED)

    @property
    def timeout(self) -> int:
        return self.count(TIMEOUT)

    @property
    def survived(self) -> int:
        return self.count(SURVIVED)

    @property
    def no_tests(self) -> int:
        return self.count(NO_TESTS)

    @property
    def other(self) -> int:
        return self.total - self.killed - self.timeout - self.survived - self.no_tests

    @property
    def score(self) -> float | None:
        """Percentage of mutants detected (killed or timed out); None when there are none."""
        if not self.total:
            return None
        return 100 * (self.killed + self.timeout) / self.total

    def survivors(self) -> list[str]:
        return sorted((k for k, c in self.codes.items() if c not in KILLED | TIMEOUT), key=_natural)


def _natural(name: str):
    head, _, num = name.rpartition("__mutmut_")
    return (head, int(num) if num.isdigit() else 0)


def load(module: str, root: Path = Path("mutants")) -> ModuleScore:
    meta = root / (module + ".meta")
    if not meta.exists():
        return ModuleScore(module)
    data = json.loads(meta.read_text(encoding="utf-8"))
    return ModuleScore(module, dict(data["exit_code_by_key"]))


def changed_lines(name: str, module: str) -> list[str]:
    """The lines a mutant changes, from mutmut's own diff ('-' original, '+' mutant)."""
    try:
        from mutmut.mutation.diff_apply import get_diff_for_mutant
        diff = get_diff_for_mutant(name, path=module)
    except Exception as e:  # mutmut missing or its index unreadable: name the mutant only
        return [f"(no diff: {type(e).__name__})"]
    out = [l for l in diff.splitlines() if l[:1] in "+-" and not l.startswith(("+++", "---"))]
    return [l[0] + " " + l[1:].strip() for l in out]


def source_line(module: str, removed: str) -> int | None:
    """Line number in the source module of the first line equal to a removed diff line."""
    text = removed[2:].strip()
    for i, line in enumerate(Path(module).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == text:
            return i
    return None


def status(code) -> str:
    for name, codes in (("killed", KILLED), ("timeout", TIMEOUT), ("survived", SURVIVED), ("no tests", NO_TESTS),
                        ("not checked", NOT_CHECKED)):
        if code in codes:
            return name
    return f"exit {code}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("modules", nargs="+", help="source files, e.g. pricing/engine/money.py")
    ap.add_argument("--min", type=float, default=0.0, help="fail (exit 1) when a module scores below this percentage")
    ap.add_argument("--markdown", action="store_true", help="print the score table as Markdown (for docs/MUTATION.md)")
    ap.add_argument("--no-diff", action="store_true", help="name the surviving mutants without their diff")
    args = ap.parse_args(argv)

    scores = [load(m) for m in sorted(args.modules)]
    rows = [("module", "mutants", "killed", "timeout", "survived", "no tests", "score")]
    for s in scores:
        rows.append((s.module, str(s.total), str(s.killed), str(s.timeout), str(s.survived), str(s.no_tests),
                     "-" if s.score is None else f"{s.score:.1f}%"))
    tot = ModuleScore("all", {f"{s.module}:{k}": c for s in scores for k, c in s.codes.items()})
    rows.append(("all", str(tot.total), str(tot.killed), str(tot.timeout), str(tot.survived), str(tot.no_tests),
                 "-" if tot.score is None else f"{tot.score:.1f}%"))
    if args.markdown:
        print("| " + " | ".join(rows[0]) + " |")
        print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(rows[0]))) + "|")
        for r in rows[1:]:
            name = "**all**" if r[0] == "all" else f"`{r[0]}`"
            print("| " + " | ".join((name,) + r[1:]) + " |")
    else:
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            print("  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)))

    print()
    for s in scores:
        names = s.survivors()
        if not names:
            continue
        print(f"{s.module}: {len(names)} not killed")
        for n in names:
            print(f"  {n.rpartition('.')[2]}  [{status(s.codes[n])}]")
            if args.no_diff:
                continue
            for line in changed_lines(n, s.module):
                where = source_line(s.module, line) if line.startswith("-") else None
                print(f"      {line}" + (f"    ({s.module}:{where})" if where else ""))
    failed = [s for s in scores if s.score is None or s.score < args.min]
    for s in failed:
        what = "no mutation results (not run?)" if s.score is None else f"{s.score:.1f}% < {args.min:g}%"
        print(f"FAIL {s.module}: {what}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
