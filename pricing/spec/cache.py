"""The build cache: an executed notebook is reused when nothing it depends on has changed.

A notebook's output depends on

1. its source (the jupytext ``.py``), with the parameters cell taken by the values it resolves
   to (the catalog folder, the as-of moment) rather than by its text;
2. the pricing package's sources (rules, engine, spec tooling; not the catalog data);
3. the pinned tool versions (Python, the Jupyter stack, sympy, matplotlib, ...);
4. the as-of date;
5. the catalog entries the notebook actually read, with every version of each, and the worked
   examples and register entries it showed: recorded in the kernel as it runs
   (:mod:`pricing.spec.readlog`), not declared by hand.

The first four make the *key*, known before running. The fifth is known only after a run: each
cached run stores its reads and their *fingerprint* (the read entries' versions under the
catalog of that run). A later build with the same key recomputes the fingerprint of the stored
reads under its own catalog; equal fingerprints mean the notebook would read exactly the same
data, so its stored output is reused. A price that a notebook never read therefore never
re-executes it; a price it read always does.

The cache lives in ``.pricing-cache/`` beside ``notebooks/`` (untracked), or in ``$PRICING_CACHE``.
Writes are atomic (a temporary file renamed into place), so builds running side by side may
share it. ``pricing build --no-cache`` ignores it.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pricing"
EXAMPLES = ROOT / "spec_examples"
TOOLS = ("papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "ipython", "jupyter_client", "jupytext",
         "jinja2", "sympy", "matplotlib", "python-dateutil", "pandas", "mistune", "pygments")
KEEP_PER_KEY = 4      # stored runs per key (e.g. the shipped catalog and one edited copy)
KEEP_KEYS = 160       # keys kept in all (8 full builds of 20 notebooks)
_PARAM = re.compile(r"^(catalog|as_of)\s*=\s*(.*)$", re.M)


def default_dir() -> Path:
    env = os.environ.get("PRICING_CACHE")
    return Path(env) if env else ROOT / ".pricing-cache"


def _sha(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def tree_hash(root: Path, skip: tuple[str, ...] = ()) -> str:
    """SHA-256 over every file under ``root`` (relative name, bytes), in name order; caches,
    byte-code and the ``skip``ped sub-folders left out."""
    h = hashlib.sha256()
    if not root.exists():
        return h.hexdigest()
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root)
        if not f.is_file() or "__pycache__" in rel.parts or f.suffix == ".pyc" or (rel.parts and rel.parts[0] in skip):
            continue
        h.update(rel.as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def environment_key() -> str:
    """Package sources (without the catalog data), tool versions, Python."""
    from importlib.metadata import version
    tools = []
    for n in TOOLS:
        try:
            tools.append(f"{n}=={version(n)}")
        except Exception:
            tools.append(f"{n} missing")
    return _sha(tree_hash(PACKAGE, skip=("catalog",)), sys.version, *tools)


def parameters(py_text: str) -> dict[str, str]:
    """The literals of the ``catalog = ...`` and ``as_of = ...`` lines of a jupytext source."""
    return {m.group(1): m.group(2).strip() for m in _PARAM.finditer(py_text)}


def resolve_catalog(literal: str, folder: Path) -> Path:
    """The catalog a parameters line points at, relative to the notebook's folder."""
    value = ast.literal_eval(literal) if literal else ""
    p = Path(value) if value else Path("../../pricing/catalog")
    return (p if p.is_absolute() else folder / p).resolve()


def key(py_text: str, catalog: Path, as_of: str) -> str:
    """The key known before running: the source without its parameter values, the resolved
    catalog folder, the as-of moment, the environment."""
    body = _PARAM.sub(lambda m: f"{m.group(1)} = <parameter>", py_text)
    return _sha(body, str(catalog), as_of, environment_key())


# fingerprints ------------------------------------------------------------------------------------

def _entry_text(e) -> str:
    return repr(e)


def fingerprint(reads: dict) -> str | None:
    """The fingerprint of recorded reads under the catalogs and examples as they are now.

    ``reads`` is :func:`pricing.spec.readlog.record`'s ``{"catalogs": {folder: {ids, prefixes,
    latest, all}}, "examples": [[kind, argument, root]]}``. Counted: every version of every id read
    (or its absence), the ids under each prefix, the latest change when it was asked, the whole
    catalog when everything was read, the sections and documents always, and each example or
    register look-up's answer. None when a catalog no longer loads."""
    from pricing.engine.catalog import load
    from pricing.engine.errors import PricingError
    from pricing.spec import examples as exmod
    parts = []
    for path, r in sorted(reads.get("catalogs", {}).items()):
        try:
            cat = load(path)
        except (PricingError, OSError):
            return None
        parts.append(path)
        parts.append(repr(sorted((k, repr(v)) for k, v in cat.sections.items())))
        parts.append(repr(sorted((k, repr(v)) for k, v in cat.documents.items())))
        if r.get("all"):
            parts.append("all " + cat.sha256)
            continue
        for i in r.get("ids", []):
            parts.append(i + " " + "|".join(_entry_text(v) for v in dict.get(cat.entries, i, [])))
        for p in r.get("prefixes", []):
            parts.append("prefix " + p + " " + ",".join(i for i in sorted(dict.keys(cat.entries)) if i.startswith(p)))
        if r.get("latest"):
            parts.append("latest " + cat.latest_change().isoformat())
    for kind, arg, root in reads.get("examples", []):
        try:
            if kind == "register":  # a notebook's register cell: its selection, as written and as rendered
                answer = register_selection(arg, root)
            else:
                # the register's texts as written: what they render to depends on catalog entries, recorded apart
                answer = getattr(exmod, kind)(arg or None, root, **({"raw": True} if kind == "discrepancies" else {}))
        except PricingError as e:
            answer = f"error {e}"
        parts.append(f"{kind} {arg} {root} {answer!r}")
    return _sha(*parts)


def governing(section: str, root: str | Path) -> list:
    """The register entries a notebook's register cell (``Spec.register()``) of ``section`` shows, as
    written: those of the section (or a subsection) and those that name it in ``also``, in rank order."""
    from pricing.spec import examples as exmod
    return [d for d in exmod.ranked(exmod.discrepancies(None, root, raw=True))
            if d.section == section or d.section.startswith(section + ".") or section in d.also]


def register_selection(section: str, root: str | Path) -> list[str]:
    """What a notebook's register cell depends on in the register: the entries it shows, as written.
    Entries of other sections are not part of it; the catalog figures their texts render are
    recorded as catalog reads (:mod:`pricing.spec.readlog`)."""
    return [repr(d) for d in governing(section, root)]


# the store -----------------------------------------------------------------------------------------

def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def lookup(cache_dir: Path, k: str) -> bytes | None:
    """The stored notebook (bytes) for key ``k`` whose reads still fingerprint the same, or None."""
    d = cache_dir / "notebooks" / k
    if not d.is_dir():
        return None
    for meta in sorted(d.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            m = json.loads(meta.read_text(encoding="utf-8"))
            nb = meta.with_suffix(".ipynb").read_bytes()
        except (OSError, ValueError):
            continue
        if fingerprint(m["reads"]) == m["fingerprint"] == meta.stem:
            os.utime(meta)
            os.utime(d)
            return nb
    return None


def store(cache_dir: Path, k: str, reads: dict, notebook: bytes, source: str = "") -> None:
    """Keep a run: the notebook under its key and the fingerprint of what it read (``source``,
    the notebook's path, is kept beside for people and tests: which notebook read what)."""
    fp = fingerprint(reads)
    if fp is None:
        return
    d = cache_dir / "notebooks" / k
    _atomic_write(d / f"{fp}.ipynb", notebook)
    _atomic_write(d / f"{fp}.json", json.dumps({"reads": reads, "fingerprint": fp, "source": source},
                                                       sort_keys=True).encode())
    metas = sorted(d.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in metas[KEEP_PER_KEY:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".ipynb").unlink(missing_ok=True)


def runs(cache_dir: Path) -> list[dict]:
    """Every stored run's metadata: ``{"source", "reads", "fingerprint"}``."""
    out = []
    for meta in sorted((cache_dir / "notebooks").glob("*/*.json")):
        try:
            out.append(json.loads(meta.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return out


def html_key(notebook: bytes) -> str:
    """A rendered page depends on the notebook's bytes, the tools, and which tags are example
    ids (those cells get an anchor)."""
    from pricing.spec import examples as exmod
    return _sha(notebook, environment_key(), ",".join(sorted(e.id for e in exmod.examples())))


def html_lookup(cache_dir: Path, notebook: bytes) -> bytes | None:
    p = cache_dir / "html" / f"{html_key(notebook)}.html"
    try:
        data = p.read_bytes()
    except OSError:
        return None
    os.utime(p)
    return data


def html_store(cache_dir: Path, notebook: bytes, html: bytes) -> None:
    _atomic_write(cache_dir / "html" / f"{html_key(notebook)}.html", html)


def prune(cache_dir: Path, keep: int = KEEP_KEYS) -> None:
    """Keep the ``keep`` most recently used keys (and as many HTML pages); drop the rest."""
    import shutil
    for sub, pattern in (("notebooks", "*"), ("html", "*.html")):
        d = cache_dir / sub
        if not d.is_dir():
            continue
        items = sorted(d.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in items[keep:]:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
