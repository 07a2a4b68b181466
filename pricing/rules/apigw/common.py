"""Shared API Gateway lookups: regions and their egress price, data sizes."""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.calcs import catalog_column
from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError
from pricing.engine.units import convert_size


REGIONS = catalog_column("apigw.egress.regions", "region")
"""The allowed ``region`` input values: the region ids of the catalog at the calculation's moment."""


def region_group(cat: CatalogView, region: str) -> tuple[str, str]:
    """(price group, Chinese name) of a region id; unknown regions name the allowed ones."""
    for row in cat.rows("apigw.egress.regions"):
        if row["region"] == region:
            return row["group"], row["zh"]
    allowed = ", ".join(r["region"] for r in cat.rows("apigw.egress.regions"))
    raise InputError("region", region, allowed)


def egress_price(cat: CatalogView, region: str) -> Decimal:
    group, _ = region_group(cat, region)
    return cat.dec(f"apigw.egress.price.{group}")


def kb_to_gb(cat: CatalogView, kb: object) -> Decimal:
    return convert_size(kb, "KB", "GB", cat.dec("apigw.data.factor"))


