"""Kernel side of the build cache: record which catalog entries a notebook reads while it runs.

``pricing build`` starts each kernel with ``install(path)`` among its start-up lines (no cell is
added, so cell numbers stay those of the source). From then on, every catalog the notebook loads
records what is looked up in it:

- ``ids``: every entry id asked for (``versions``, ``entry``/``value``/``dec``/..., ``has``),
  whether or not it exists, so that adding an entry a rule asked about is seen too;
- ``prefixes``: every ``all_ids(prefix)`` (the notebook's catalog table), answered by the set of
  ids under the prefix;
- ``latest``: whether ``latest_change()`` was asked (the default as-of moment);
- ``all``: whether anything iterated over every entry's versions (then the whole catalog counts);

and which worked examples and register entries it asked for (``examples(section)``,
``example(id)``, ``discrepancies(section)``), so that editing one example re-executes only the
notebooks that show it. A notebook's register cell (``Spec.register``) is recorded as
``["register", section, root]``: it shows the entries of its section and those that name it in
``also``, found among every entry; recording that as a read of the whole register would re-execute
every notebook whenever any entry changes (the fingerprint recomputes exactly that selection).

After every cell the record is written to ``path`` as JSON, ``{"catalogs": {catalog folder:
{...}}, "examples": [[kind, argument, root], ...]}``; the
worker that ran the kernel turns it into the fingerprint of the entries the notebook depends on
(:func:`pricing.spec.cache.fingerprint`). Nothing is displayed, nothing enters the notebook.
"""
from __future__ import annotations

import contextlib
import json
import os

_LOG: dict[str, dict] = {}
_EXAMPLES: set[tuple[str, str, str]] = set()
_PAUSED = [0]
_IN_REGISTER = [0]
_TARGET: list[str] = []


def _new() -> dict:
    return {"ids": set(), "prefixes": set(), "latest": False, "all": False}


class RecordingEntries(dict):
    """The catalog's ``entries`` dict, noting each look-up in ``log``."""

    def __init__(self, data: dict, log: dict):
        super().__init__(data)
        self._log = log

    def _id(self, key):
        if not _PAUSED[0]:
            self._log["ids"].add(key)

    def _everything(self):
        if not _PAUSED[0]:
            self._log["all"] = True

    def __getitem__(self, key):
        self._id(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._id(key)
        return super().get(key, default)

    def __contains__(self, key):
        self._id(key)
        return super().__contains__(key)

    def __iter__(self):
        self._everything()
        return super().__iter__()

    def keys(self):
        self._everything()
        return super().keys()

    def values(self):
        self._everything()
        return super().values()

    def items(self):
        self._everything()
        return super().items()

    def __len__(self):
        self._everything()
        return super().__len__()


@contextlib.contextmanager
def paused():
    _PAUSED[0] += 1
    try:
        yield
    finally:
        _PAUSED[0] -= 1


def record() -> dict:
    """The reads so far, JSON-ready."""
    return {"catalogs": {path: {"ids": sorted(log["ids"]), "prefixes": sorted(log["prefixes"]), "latest": log["latest"],
                                "all": log["all"]} for path, log in sorted(_LOG.items())},
            "examples": [list(x) for x in sorted(_EXAMPLES)]}


def dump(*_args) -> None:
    if _TARGET:
        tmp = _TARGET[0] + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(record(), fh, sort_keys=True)
        os.replace(tmp, _TARGET[0])


def install(path: str) -> None:
    """Record catalog reads in this process from now on and write them to ``path`` after each cell."""
    from pricing.engine import catalog as catmod
    _TARGET[:] = [path]
    if getattr(catmod._load, "_pricing_readlog", False):
        return
    original_load = catmod._load

    def _load(p, stamp):
        cat = original_load(p, stamp)
        if not isinstance(cat.entries, RecordingEntries):
            cat.entries = RecordingEntries(cat.entries, _LOG.setdefault(str(cat.path), _new()))
        return cat

    _load._pricing_readlog = True
    _load.cache_clear = original_load.cache_clear
    catmod._load = _load

    original_all_ids = catmod.Catalog.all_ids
    original_latest = catmod.Catalog.latest_change

    def all_ids(self, prefix: str = ""):
        log = _LOG.get(str(self.path))
        if log is not None and not _PAUSED[0]:
            log["prefixes"].add(prefix)
        with paused():
            return original_all_ids(self, prefix)

    def latest_change(self):
        log = _LOG.get(str(self.path))
        if log is not None and not _PAUSED[0]:
            log["latest"] = True
        with paused():
            return original_latest(self)

    catmod.Catalog.all_ids = all_ids
    catmod.Catalog.latest_change = latest_change
    _record_examples()
    _record_register()
    try:
        get_ipython().events.register("post_run_cell", dump)  # noqa: F821 (defined inside a kernel)
    except NameError:  # not in IPython: the caller dumps
        pass
    dump()


def _record_examples() -> None:
    from pricing.spec import examples as exmod
    originals = {"examples": exmod.examples, "discrepancies": exmod.discrepancies, "example": exmod.example}

    def wrap(kind):
        original = originals[kind]

        def f(arg=None, root=exmod.EXAMPLES_DIR, **kwargs):
            if not _PAUSED[0] and not (kind == "discrepancies" and _IN_REGISTER[0]):
                _EXAMPLES.add((kind, arg or "", str(root)))
            with paused():
                return original(arg, root, **kwargs)
        f.__name__, f.__doc__ = original.__name__, original.__doc__
        return f

    for kind in originals:
        setattr(exmod, kind, wrap(kind))


def _record_register() -> None:
    """``Spec.register()`` reads as ``["register", section, root]`` (its selection of the register,
    see the module doc). The catalog reads of the readings it recomputes are recorded as usual, and so
    are those of the texts it shows: they are templates rendered under the notebook's catalog inside
    ``discrepancies()`` (where nothing is recorded), so the entries shown are rendered once more here,
    recording, and a price that only such a text states re-executes the notebook."""
    from pricing.spec import examples as exmod
    from pricing.spec import notebook as nbmod
    original = nbmod.Spec.register
    if getattr(original, "_pricing_readlog", False):
        return

    def register(self, *args, **kwargs):
        root = str(exmod.EXAMPLES_DIR)
        _IN_REGISTER[0] += 1
        try:
            out = original(self, *args, **kwargs)
            if not _PAUSED[0]:
                _EXAMPLES.add(("register", self.section, root))
                from pricing.spec.cache import governing
                for d in governing(self.section, root):
                    exmod.rendered(d, self.catalog)
        finally:
            _IN_REGISTER[0] -= 1
        return out
    register._pricing_readlog = True
    register.__name__, register.__doc__ = original.__name__, original.__doc__
    nbmod.Spec.register = register
