"""The billing rules: one package per guide (``apigw``, ``cloudbase``), one module per section or
concept. Pure functions of a dated catalog view and their inputs; they import only ``pricing.engine``."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

PACKAGES = ("pricing.rules.apigw", "pricing.rules.cloudbase")


@lru_cache(maxsize=1)
def load_all() -> tuple[str, ...]:
    """Import every rule module so that its calculations register; returns the module names."""
    names = []
    for pkg in PACKAGES:
        mod = importlib.import_module(pkg)
        for info in pkgutil.iter_modules(mod.__path__):
            importlib.import_module(f"{pkg}.{info.name}")
            names.append(f"{pkg}.{info.name}")
    return tuple(names)
