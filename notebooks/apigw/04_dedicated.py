# %% [markdown]
# # 专享实例计费·计费规则 · Dedicated-instance billing: rules
#
# *Source: API 网关 购买指南(已停售) › 专享实例计费 › 计费规则 (section revised 2025-03-17 17:50:52).*
#
# A dedicated instance (专享实例) is billed on two items: the **instance fee** (实例费用) and
# **internet egress** (外网出流量). The instance fee is either prepaid by the month (包年包月) or
# pay-as-you-go (按量计费); egress is always pay-as-you-go, settled hourly, after the free quota and
# any egress pack (资源包). Five editions carry a price; a sixth, the flagship (旗舰版), is quoted by
# ticket. On 2022-03-24 at 18:00:00 most editions got a discount. This notebook restates the rules and
# rebuilds every price the guide prints from the list prices and discount factors in the catalog.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.engine.money import D

spec = Spec(catalog, "apigw.dedicated", as_of)
spec.entries("apigw.dedicated")

# %% [markdown]
# ## 实例费用 · The instance fee: two billing modes
#
# | | monthly 包年包月 | pay-as-you-go 按量计费 |
# |---|---|---|
# | payment | prepaid | the fee is frozen at purchase and settled every hour |
# | unit of billed time | the month (元/月) | the second (元/秒), priced per hour |
# | unit price | lower | higher |
# | shortest use | one month | any number of seconds; buy and release at will |
# | suits | steady, long-lived load | short bursts such as flash sales |
#
# A pay-as-you-go instance is billed from the moment it is allocated, used or idle, until it is
# released. Each settlement on the whole hour charges the hourly price × the seconds of that hour
# the instance existed / 3600; where the fen is rounded is a policy (register `APIGW-DED-PAYG-ROUNDING`).

# %% [markdown]
# ## 实例价格 · Editions and prices
#
# Each edition's cap and SLA, then its prices. The discounted price (折后价格) is the list price
# (原定价) times the discount factor (上云折扣; "73折" means × 0.73), brought to the fen.

# %%
spec.rows("apigw.dedicated.editions")

# %%
rows = []
for e in ("basic", "professional", "enterprise", "platinum", "diamond"):
    r = spec.calc("apigw.dedicated.price", {"edition": e, "at": "2022-03-24T18:00:00"})
    rows.append([e, r["monthly_list"], r["hourly_list"], r["discount"], r["monthly_exact"], r["monthly"],
                 r["hourly_exact"], r["hourly"]])
rows.append(["flagship", "-", "-", "-", "-", "by ticket (工单)", "-", "by ticket (工单)"])
md_table(["edition", "list / month", "list / hour", "discount", "list × discount / month", "monthly",
          "list × discount / hour", "hourly"], rows)

# %% [markdown]
# The discounted price as a formula, checked where the product is not a whole number of fen
# (enterprise, hourly): $P_d = P \times d$, then half-up to the fen.

# %%
import sympy as sp
P, d = sp.symbols("P d", positive=True)
ent = spec.calc("apigw.dedicated.price", {"edition": "enterprise", "at": "2022-03-24T18:00:00"})
formula("P_d", P * d, {P: formulas.R(ent["hourly_list"]), d: formulas.R(ent["discount"])}, ent["hourly_exact"],
        "Enterprise (企业版) pay-as-you-go: list × discount before rounding (printed after rounding: 22.60)")

# %% tags=["apigw.dedicated.basic-monthly-3680.00"]
spec.example("apigw.dedicated.basic-monthly-3680.00")

# %% tags=["apigw.dedicated.basic-hourly-5.94"]
spec.example("apigw.dedicated.basic-hourly-5.94")

# %% tags=["apigw.dedicated.professional-monthly-7285.40"]
spec.example("apigw.dedicated.professional-monthly-7285.40")

# %% tags=["apigw.dedicated.professional-hourly-11.76"]
spec.example("apigw.dedicated.professional-hourly-11.76")

# %% tags=["apigw.dedicated.enterprise-monthly-14004.20"]
spec.example("apigw.dedicated.enterprise-monthly-14004.20")

# %% tags=["apigw.dedicated.enterprise-hourly-22.60"]
spec.example("apigw.dedicated.enterprise-hourly-22.60")

# %% tags=["apigw.dedicated.platinum-monthly-25731.00"]
spec.example("apigw.dedicated.platinum-monthly-25731.00")

# %% tags=["apigw.dedicated.platinum-hourly-41.53"]
spec.example("apigw.dedicated.platinum-hourly-41.53")

# %% tags=["apigw.dedicated.diamond-monthly-50043.00"]
spec.example("apigw.dedicated.diamond-monthly-50043.00")

# %% tags=["apigw.dedicated.diamond-hourly-80.76"]
spec.example("apigw.dedicated.diamond-hourly-80.76")

# %% [markdown]
# List and discounted monthly prices side by side: the discount deepens with the edition (none for
# basic, 27% off professional, 65% off diamond).

# %%
labels, values = [], []
for row in rows[:-1]:
    labels += [f"{row[0]} list", f"{row[0]} discounted"]
    values += [row[1], row[5]]
charts.bar_chart(labels, values, "Dedicated instance: monthly price, list and after 2022-03-24 18:00", "CNY / month")

# %% [markdown]
# The prose announces five editions while both tables list six (register `APIGW-DED-EDITIONS`):

# %% tags=["apigw.dedicated.editions-5"]
spec.example("apigw.dedicated.editions-5")

# %% [markdown]
# ## 特惠大降价 · The price cut of 2022-03-24 18:00:00
#
# In the catalog the cut is a second version of each discount factor, effective at that instant (the
# factor was 1 before). The guide's three consequences, in our words:
#
# 1. Anything bought from the instant on, monthly or pay-as-you-go, pays the discounted price.
# 2. A pay-as-you-go instance bought earlier pays the old price up to the instant and the new price after it.
# 3. A monthly instance bought earlier keeps what it paid; its renewals from the instant on pay the new price.
#
# One second before the instant the professional edition still costs its list price:

# %% tags=["apigw.dedicated.professional-hourly-before-16.11"]
spec.example("apigw.dedicated.professional-hourly-before-16.11")

# %% [markdown]
# **Pay-as-you-go across the instant.** A professional instance bought before the cut runs from 16:00
# to 20:00 on 2022-03-24. Two hours are billed at 16.11 and two at 11.76: 55.74 in all. Which price the
# hour that is settled exactly at 18:00:00 carries is register entry `APIGW-DED-PAYG-CHANGE-HOUR`.

# %% tags=["apigw.dedicated.payg-span-rate-before-16.11"]
spec.example("apigw.dedicated.payg-span-rate-before-16.11")

# %% tags=["apigw.dedicated.payg-span-rate-after-11.76"]
spec.example("apigw.dedicated.payg-span-rate-after-11.76")

# %% [markdown]
# **Partial hours.** Billing is per second, so an instance that starts at 10:00:20 and is released at
# 12:00:40 pays three settlements: 3580 s, 3600 s and 40 s at the hourly price.

# %%
spec.show(spec.calc("apigw.dedicated.payg_bill", {"edition": "professional", "start": "2022-04-01T10:00:20",
                                                  "end": "2022-04-01T12:00:40"}),
          "Professional, pay-as-you-go, 2022-04-01 10:00:20 → 12:00:40")

# %% [markdown]
# **Monthly across the instant.** A professional month bought 2022-03-01 10:00 was paid at 9980.00 and
# is not repriced. Its renewal for 2022-04-01 → 2022-05-01 costs 7285.40 when it is ordered after the
# cut; a renewal ordered before the cut for that same later period is register entry
# `APIGW-DED-RENEWAL-PRICE`.

# %%
spec.show(spec.calc("apigw.dedicated.monthly_renewal", {"edition": "professional", "bought_at": "2022-03-01T10:00:00",
                                                        "renewal_ordered_at": "2022-03-28T09:00:00"}),
          "Professional: bought 2022-03-01, renewed by an order of 2022-03-28")

# %% tags=["apigw.dedicated.monthly-kept-9980.00"]
spec.example("apigw.dedicated.monthly-kept-9980.00")

# %% tags=["apigw.dedicated.renewal-after-7285.40"]
spec.example("apigw.dedicated.renewal-after-7285.40")

# %% [markdown]
# ## Pay-as-you-go or monthly?
#
# Because each edition's hourly and monthly prices share one discount, the break-even point barely
# moves between editions: about 620 hours, some 25.8 days of round-the-clock use. Below that,
# pay-as-you-go is cheaper; a full 30-day month of pay-as-you-go costs about 16% more than the prepaid
# month. The guide's prices are consistent on this point: no edition stands out.

# %%
be = []
for e in ("basic", "professional", "enterprise", "platinum", "diamond"):
    for at in ("2022-03-24T17:59:59", "2022-03-24T18:00:00"):
        r = spec.calc("apigw.dedicated.payg_vs_monthly", {"edition": e, "at": at})
        be.append([e, "list" if at.endswith("59") else "discounted", r["monthly"], r["hourly"],
                   r["break_even_hours"].quantize(D("0.01")), r["payg_720h"]])
md_table(["edition", "prices", "monthly", "hourly", "break-even hours (to 0.01)", "720 h pay-as-you-go"], be)

# %%
pro = spec.calc("apigw.dedicated.payg_vs_monthly", {"edition": "professional", "at": "2022-03-24T18:00:00"})
hours = list(range(0, 745, 24))
charts.line_chart([("pay-as-you-go", hours, [pro["hourly"] * h for h in hours]),
                   ("monthly (one month)", hours, [pro["monthly"] for _ in hours])],
                  "Professional edition after the cut: cost of one month's use", "hours used in the month", "CNY",
                  vlines=[(pro["break_even_hours"], f"break-even {pro['break_even_hours'].quantize(D('0.1'))} h")])

# %% [markdown]
# ## 外网出流量 · Egress
#
# A dedicated instance's internet egress is billed exactly like a shared instance's: per GB at the
# region's price, settled hourly; intranet traffic and all inbound traffic are free. An egress pack is
# used before pay-as-you-go, and in the first year the free quota (1 GB per period) comes first of all.
# The guide repeats the shared section's Guangzhou example (with its EIP slip, register `APIGW-EIP-NAME`).

# %%
spec.rows("apigw.traffic.billed")

# %% tags=["apigw.dedicated.egress-8"]
spec.example("apigw.dedicated.egress-8")

# %% tags=["apigw.dedicated.egress-8-settled"]
spec.example("apigw.dedicated.egress-8-settled")

# %% [markdown]
# The order of the pools: an account opened 2022-06-01 (still in its free year) with a 6 GB egress pack
# uses 10 GB in one hour: 1 GB free, 6 GB from the pack, 3 GB at 0.80.

# %%
spec.show(spec.calc("apigw.dedicated.egress", {"region": "guangzhou", "hour": "2023-01-01T07:00:00", "egress_gb": "10",
                                               "pack_gb": "6", "activated": "2022-06-01T00:00:00"}),
          "10 GB in one hour: free quota, then pack, then pay-as-you-go")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
