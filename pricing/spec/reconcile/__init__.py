"""对账 · Bill reconciliation: check a Tencent Cloud bill export line by line against the spec's rules.

``pricing reconcile FILE...`` reads ``DescribeBillDetail`` JSON pages or the console's CSV export,
maps each line to a rule of the guides (``mapping.toml``), recomputes it from the usage on it under
the catalog dated at the line's start, and reports per line what was billed, what the rules give,
the difference, the derivation and a status: match, differs, or not covered. See docs/RECONCILE.md.

Modules: ``lines`` (reading), ``mapping`` (the mapping table), ``kinds`` (the Decimal reference per
line and the Billing API's relations), ``engine`` (the streamed run, months and the precision line),
``fast`` (the vectorised int64 path), ``partitioned`` (Dask), ``output`` (text, JSON, HTML),
``generate`` (test bills).
"""
