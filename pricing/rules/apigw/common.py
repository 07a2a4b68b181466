"""Shared API Gateway lookups: regions and their egress price, data sizes."""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.catalog import Catalog
from pricing.engine.errors import InputError
from pricing.engine.units import convert_size


def region_group(cat: Catalog, region: str) -> tuple[str, str]:
    """(price group, Chinese name) of a region id; unknown regions name the allowed ones."""
    for row in cat.value("apigw.egress.regions"):
        if row["region"] == region:
            return row["group"], row["zh"]
    allowed = ", ".join(r["region"] for r in cat.value("apigw.egress.regions"))
    raise InputError("region", region, allowed)


def egress_price(cat: Catalog, region: str) -> Decimal:
    group, _ = region_group(cat, region)
    return cat.dec(f"apigw.egress.price.{group}")


def kb_to_gb(cat: Catalog, kb: object) -> Decimal:
    return convert_size(kb, "KB", "GB", cat.dec("apigw.data.factor"))


