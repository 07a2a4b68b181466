"""pricing: an executable specification of the Tencent Cloud API Gateway and CloudBase billing guides."""
from .engine.catalog import load as load_catalog
from .engine.money import D

__all__ = ["D", "load_catalog"]
__version__ = "0.1.0"
