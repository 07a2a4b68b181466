"""The product-neutral core: money, units, periods, tiers, drawdown, the dated catalog, policies,
the calculation registry. It imports nothing from ``pricing.rules`` or ``pricing.spec``."""
