"""tools/mutation_report.py: the score per module from mutmut's result files, and the threshold."""
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("mutation_report", ROOT / "tools" / "mutation_report.py")
report = importlib.util.module_from_spec(spec)
sys.modules.setdefault("mutation_report", report)   # dataclasses look their module up while it loads
spec.loader.exec_module(report)


def write_meta(root: Path, module: str, codes: dict) -> None:
    meta = root / "mutants" / (module + ".meta")
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(json.dumps({"exit_code_by_key": codes, "hash_by_function_name": {}, "type_check_error_by_key": {},
                                "durations_by_key": {}, "estimated_durations_by_key": {}}), encoding="utf-8")


CODES = {"m.x_f__mutmut_1": 1, "m.x_f__mutmut_2": 0, "m.x_f__mutmut_10": 33, "m.x_f__mutmut_3": 36,
         "m.x_g__mutmut_1": 1, "m.x_g__mutmut_2": None, "m.x_g__mutmut_3": 3, "m.x_g__mutmut_4": 1}


def test_score_counts_kills_and_timeouts_over_all_mutants(tmp_path):
    write_meta(tmp_path, "pkg/m.py", CODES)
    s = report.load("pkg/m.py", tmp_path / "mutants")
    assert (s.total, s.killed, s.timeout, s.survived, s.no_tests, s.other) == (8, 4, 1, 1, 1, 1)
    assert s.score == 100 * 5 / 8
    assert s.survivors() == ["m.x_f__mutmut_2", "m.x_f__mutmut_10", "m.x_g__mutmut_2"]   # natural order
    assert [report.status(CODES[n]) for n in s.survivors()] == ["survived", "no tests", "not checked"]


def test_a_module_without_results_has_no_score(tmp_path):
    s = report.load("pkg/none.py", tmp_path / "mutants")
    assert s.total == 0 and s.score is None


def test_main_fails_below_the_threshold_or_without_results(tmp_path, monkeypatch, capsys):
    write_meta(tmp_path, "pkg/m.py", CODES)
    monkeypatch.chdir(tmp_path)
    assert report.main(["--no-diff", "--min", "62.5", "pkg/m.py"]) == 0
    out = capsys.readouterr().out
    assert "pkg/m.py" in out and "62.5%" in out and "x_f__mutmut_2  [survived]" in out
    assert report.main(["--no-diff", "--min", "63", "pkg/m.py"]) == 1
    assert "FAIL pkg/m.py: 62.5% < 63%" in capsys.readouterr().err
    assert report.main(["--no-diff", "pkg/m.py", "pkg/none.py"]) == 1
    assert "FAIL pkg/none.py: no mutation results" in capsys.readouterr().err


def test_markdown_table(tmp_path, monkeypatch, capsys):
    write_meta(tmp_path, "pkg/m.py", CODES)
    monkeypatch.chdir(tmp_path)
    report.main(["--markdown", "--no-diff", "pkg/m.py"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == ["| module | mutants | killed | timeout | survived | no tests | score |",
                         "|---|---:|---:|---:|---:|---:|---:|",
                         "| `pkg/m.py` | 8 | 4 | 1 | 1 | 1 | 62.5% |",
                         "| **all** | 8 | 4 | 1 | 1 | 1 | 62.5% |"]
