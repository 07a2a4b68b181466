# %% [markdown]
# # 云开发网关 · CloudBase gateway
#
# *Source: 云开发 CloudBase 购买指南 › 云开发网关 (section revised 2024-05-21 16:24:11).*
#
# The CloudBase gateway (网关) is sold in **editions** (版本). Each edition caps the gateway's QPS and its
# bandwidth; a buyer picks the edition that covers the QPS and bandwidth the business needs. Payment is
# prepaid only (包年包月), at a **monthly price**, for one of a fixed list of durations. Time is extended by
# a manual renewal, which must be made before the edition expires, or by auto-renewal.
#
# The section gives only monthly prices. A purchase is priced here as the monthly price times the months
# bought; no discount for longer terms is stated, and none is assumed (register `CB-GW-TERM`). A purchase
# is an order: it is priced by the monthly price in force at its order instant, for its whole term; a
# renewal is a new order, priced when it is made (manual) or at expiry (auto).

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.rules.cloudbase import gateway as gw
from pricing.engine.errors import PricingError
from pricing.engine.money import D, round_at

spec = Spec(catalog, "cloudbase.gateway", as_of)
spec.entries("cloudbase.gateway.")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
{{ column("cloudbase.gateway.editions", "zh") | length }} editions are on sale, from {{ column("cloudbase.gateway.editions", "zh")[0] }}
to {{ column("cloudbase.gateway.editions", "zh")[-1] }}, each for one of {{ column("cloudbase.gateway.durations", "zh") | length }}
durations: {{ column("cloudbase.gateway.durations", "zh") | join(", ") }}.
""")

# %% [markdown]
# ## 规格与定价 · Editions and monthly prices

# %%
md_table(["edition", "版本", "max QPS", "max bandwidth (Mbps)", "monthly price (CNY)"],
         [[e["edition"], e["zh"], e["qps"], e["bandwidth_mbps"], gw.monthly_price(spec.cat, e["edition"])] for e in gw.editions(spec.cat)])

# %% [markdown]
# Each printed monthly price, through the purchase rule with a one-month duration:

# %% tags=["cloudbase.gateway.month-test"]
spec.example("cloudbase.gateway.month-test")

# %% tags=["cloudbase.gateway.month-starter"]
spec.example("cloudbase.gateway.month-starter")

# %% tags=["cloudbase.gateway.month-basic"]
spec.example("cloudbase.gateway.month-basic")

# %% tags=["cloudbase.gateway.month-standard"]
spec.example("cloudbase.gateway.month-standard")

# %% tags=["cloudbase.gateway.month-premium"]
spec.example("cloudbase.gateway.month-premium")

# %% tags=["cloudbase.gateway.month-advanced"]
spec.example("cloudbase.gateway.month-advanced")

# %% tags=["cloudbase.gateway.month-enterprise"]
spec.example("cloudbase.gateway.month-enterprise")

# %% [markdown]
# The price climbs with the QPS ceiling; the chart plots each edition's monthly price against its QPS
# (both axes in thousands would hide the small editions, so the table above stays the reference).

# %%
eds = gw.editions(spec.cat)
charts.line_chart([("monthly price (CNY)", [D(e["qps"]) for e in eds], [gw.monthly_price(spec.cat, e["edition"]) for e in eds])],
                  "CloudBase gateway: monthly price against max QPS", "max QPS", "CNY per month", step=True,
                  vlines=[(D(e["qps"]), e["edition"]) for e in eds[2:]])

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
What a buyer pays per unit of ceiling. The price per QPS falls edition by edition except at the first
step: 入门版 costs {{ up["per_qps.starter"] | trim }} yuan per QPS a month against {{ up["per_qps.test"] | trim }} for
测试版. Per Mbps, 企业版 ({{ up["per_mbps.enterprise"] | yuan }} yuan) is dearer than 进阶版
({{ up["per_mbps.advanced"] | yuan }}). Neither is a contradiction, only a feature of the price list worth knowing.
""", up=spec.calc("cloudbase.gateway.unit_prices").outputs)

# %%
up = spec.calc("cloudbase.gateway.unit_prices")
md_table(["edition", "版本", "CNY per QPS per month", "CNY per Mbps per month"],
         [[e["edition"], e["zh"], round_at(up["per_qps." + e["edition"]], "0.001"), round_at(up["per_mbps." + e["edition"]], "0.01")] for e in eds])

# %% [markdown]
# ## 选择版本 · The cheapest edition for a need
#
# The cheapest edition whose QPS **and** bandwidth ceilings both cover the requirement. Bandwidth can
# decide: 500 QPS fits 入门版, but 40 Mbps does not.

# %%
spec.show(spec.calc("cloudbase.gateway.cheapest", {"qps": "500", "bandwidth_mbps": "40"}), "500 QPS and 40 Mbps")

# %%
def pick(q, b):
    try:
        r = gw.cheapest(spec.cat, q, b)
        return [q, b, f"{r['zh']} ({r['edition']})", r["monthly"], ""]
    except PricingError as e:
        return [q, b, type(e).__name__, "—", str(e)]

md_table(["QPS", "Mbps", "cheapest edition", "CNY/month", "why not"],
         [pick(q, b) for q, b in [("100", "1"), ("101", "1"), ("1000", "20"), ("1000", "21"), ("30000", "100"),
                                  ("60000", "2000"), ("100000", "4000"), ("250000", "1000"), ("-5", "1")]])

# %% [markdown]
# ## 计费方式 · Durations, purchase price and expiry
#
# Only the durations of the table are on offer; any other is refused with the list of allowed ones.

# %%
spec.rows("cloudbase.gateway.durations")

# %% tags=["cloudbase.gateway.basic-3mo"]
spec.example("cloudbase.gateway.basic-3mo")

# %% tags=["cloudbase.gateway.basic-3mo-expiry"]
spec.example("cloudbase.gateway.basic-3mo-expiry")

# %% [markdown]
# Stated as a formula: with monthly price $p$ and $m$ months, the purchase costs $p \cdot m$.

# %%
import sympy as sp
p, m = sp.symbols("p m", positive=True)
formula(r"\mathrm{price}", p * m, {p: formulas.R(gw.monthly_price(spec.cat, "standard")), m: 24},
        gw.purchase(spec.cat, "standard", "2年")["price"], "标准版 for 2 years")

# %%
def buy(d):
    try:
        r = gw.purchase(spec.cat, "basic", d, "2025-01-31T12:00:00")
        return [d, r["months"], r["price"], r["expires"], ""]
    except PricingError as e:
        return [d, "—", "—", "—", str(e)]

md_table(["duration", "months", "基础版 price (CNY)", "expires (start 2025-01-31 12:00:00)", "error"],
         [buy(d) for d in ["1个月", "2mo", "5mo", "半年", "1年", "4y", "7mo", "1.5年"]])

# %% [markdown]
# ## 续费 · Renewal
#
# A manual renewal must come before expiry; auto-renewal takes effect at expiry. The new expiry counts
# from the old one. How long an auto-renewal runs is not stated (register `CB-GW-AUTO-TERM`).

# %%
spec.show(spec.calc("cloudbase.gateway.renew", {"edition": "test", "expires_at": "2025-06-30T00:00:00",
                                                "at": "2025-06-20T09:00:00", "duration": "半年", "mode": "manual"}),
          "Manual renewal of 测试版 for half a year, 10 days before expiry")

# %%
def renew(at, mode):
    try:
        r = gw.renew(spec.cat, "test", "2025-06-30T00:00:00", at, "1mo", mode)
        return [at, mode, r["expires"], ""]
    except PricingError as e:
        return [at, mode, "—", str(e)]

md_table(["request at", "mode", "new expiry", "refused because"],
         [renew("2025-06-29T23:59:59", "manual"), renew("2025-06-30T00:00:00", "manual"), renew("2025-07-02T00:00:00", "auto")])

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
