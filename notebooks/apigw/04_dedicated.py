# %% [markdown]
# # 专享实例计费·计费规则 · Dedicated-instance billing: rules
#
# *Source: API 网关 购买指南(已停售) › 专享实例计费 › 计费规则 (section revised 2025-03-17 17:50:52).*
#
# A dedicated instance (专享实例) is billed on two items: the **instance fee** (实例费用) and
# **internet egress** (外网出流量). The instance fee is either prepaid by the month (包年包月) or
# pay-as-you-go (按量计费); egress is always pay-as-you-go, settled hourly, after the free quota and
# any egress pack (资源包). Most editions carry a list price; the flagship (旗舰版) is quoted by
# ticket. A price cut (特惠大降价) gave most editions a discount from a set instant. This notebook
# restates the rules and rebuilds every price the guide prints from the list prices and discount
# factors in the catalog.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from datetime import datetime, timedelta

from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.engine.money import D

spec = Spec(catalog, "apigw.dedicated", as_of)
spec.entries("apigw.dedicated")

# %% [markdown]
# ## 实例费用 · The instance fee: two billing modes

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
| | monthly 包年包月 | pay-as-you-go 按量计费 |
|---|---|---|
| payment | prepaid | the fee is frozen at purchase and settled every {{ v("apigw.dedicated.payg.settlement") }} |
| unit of billed time | {{ v("apigw.dedicated.monthly.billing_unit") }} (元/月) | {{ v("apigw.dedicated.payg.billing_unit") }} (元/秒), priced per hour |
| unit price | lower | higher |
| shortest use | {{ v("apigw.dedicated.monthly.min_term") }} | any number of seconds; buy and release at will |
| suits | steady, long-lived load | short bursts such as flash sales |

A pay-as-you-go instance is billed from the moment it is allocated, used or idle, until it is
released. Each settlement (every {{ v("apigw.dedicated.payg.settlement") }}, on the whole hour) charges
the hourly price × the seconds of its window the instance existed / 3600; where the fen is rounded is
a policy (register `BILL-DEBIT-ROUNDING`).
""")

# %% [markdown]
# ## 实例价格 · Editions and prices

# %% tags=["prose"] jupyter={"source_hidden": true}
from pricing.rules.apigw.dedicated import is_priced
cut = spec.cat.value("apigw.dedicated.price_change_at")
at_cut = spec.cat.at(cut)
priced = [r["edition"] for r in at_cut.rows("apigw.dedicated.editions") if is_priced(at_cut, r["edition"])]
quoted = [r["edition"] for r in at_cut.rows("apigw.dedicated.editions") if not is_priced(at_cut, r["edition"])]
spec.md("""
Each edition's cap and SLA, then its prices as in force from {{ v("apigw.dedicated.price_change_at") }}.
The discounted price (折后价格) is the list price (原定价) times the discount factor (上云折扣; {{ (dec("apigw.dedicated.professional.discount") * 100) | trim }}折
means × {{ v("apigw.dedicated.professional.discount") }}), brought to the fen. {{ priced | length }} editions
carry a list price; {{ quoted | join(", ") }} is quoted by ticket.
""", at=cut, priced=priced, quoted=quoted)

# %%
spec.rows("apigw.dedicated.editions")

# %%
rows = []
for e in priced:
    r = spec.calc("apigw.dedicated.price", {"edition": e, "at": cut.isoformat()})
    rows.append([e, r["monthly_list"], r["hourly_list"], r["discount"], r["monthly_exact"], r["monthly"],
                 r["hourly_exact"], r["hourly"]])
rows += [[e, "-", "-", "-", "-", "by ticket (工单)", "-", "by ticket (工单)"] for e in quoted]
md_table(["edition", "list / month", "list / hour", "discount", "list × discount / month", "monthly",
          "list × discount / hour", "hourly"], rows)

# %% [markdown]
# The discounted price as a formula, checked where the product is not a whole number of fen
# (enterprise, hourly): $P_d = P \times d$, then half-up to the fen.

# %%
import sympy as sp
P, d = sp.symbols("P d", positive=True)
ent = spec.calc("apigw.dedicated.price", {"edition": "enterprise", "at": cut.isoformat()})
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

# %% tags=["prose"] jupyter={"source_hidden": true}
offs = [(row[0], 1 - row[3]) for row in rows if row[0] in priced]
spec.md("""
List and discounted monthly prices side by side: the discount deepens with the edition
({% for e, off in offs %}{{ e }} {% if off %}{{ off | pct }} off{% else %}none{% endif %}{{ "; " if not loop.last }}{% endfor %}).
""", offs=offs)

# %%
labels, values = [], []
for row in rows:
    if row[0] in priced:
        labels += [f"{row[0]} list", f"{row[0]} discounted"]
        values += [row[1], row[5]]
charts.bar_chart(labels, values, f"Dedicated instance: monthly price, list and from {cut:%Y-%m-%d %H:%M}", "CNY / month")

# %% tags=["prose", "from-example:apigw.dedicated.editions-5"] jupyter={"source_hidden": true}
spec.at_example("apigw.dedicated.editions-5").md("""
The prose announces {{ v("apigw.dedicated.editions_stated") }} editions while both tables list
{{ rows("apigw.dedicated.editions") | length }} (register `APIGW-DED-EDITIONS`):
""")

# %% tags=["apigw.dedicated.editions-5"]
spec.example("apigw.dedicated.editions-5")

# %% [markdown]
# ## 特惠大降价 · The price cut

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The cut takes effect at {{ v("apigw.dedicated.price_change_at") }}. In the catalog it is a second
version of each discount factor, effective at that instant (no discount before). The guide's three
consequences, in our words:

1. Anything bought from the instant on, monthly or pay-as-you-go, pays the discounted price.
2. A pay-as-you-go instance bought earlier pays the old price up to the instant and the new price after it.
3. A monthly instance bought earlier keeps what it paid; its renewals from the instant on pay the new price.

The rules apply this to any later version of any price: a pay-as-you-go run is cut at every
effective date inside it, an order is priced at its order instant. One second before the instant the
professional edition still costs its list price:
""")

# %% tags=["apigw.dedicated.professional-hourly-before-16.11"]
spec.example("apigw.dedicated.professional-hourly-before-16.11")

# %% tags=["prose"] jupyter={"source_hidden": true}
span = spec.calc("apigw.dedicated.payg_bill", {"edition": "professional", "start": "2022-03-24T16:00:00",
                                               "end": "2022-03-24T20:00:00"})
spec.md("""
**Pay-as-you-go across the instant.** A professional instance bought before the cut runs from 16:00
to 20:00 on 2022-03-24: {{ hours[0] }} hours at the list price and {{ hours[1] }} hours at the discounted
price (the two hourly rates are the worked examples below), {{ total }} in all. Which price the hour
that is settled exactly at the instant carries is register entry `APIGW-DED-PAYG-CHANGE-HOUR`.
""", hours=[secs // 3600 for _, secs in sorted(span["by_rate"].items(), reverse=True)], total=span["total"])

# %% tags=["apigw.dedicated.payg-span-rate-before-16.11"]
spec.example("apigw.dedicated.payg-span-rate-before-16.11")

# %% tags=["apigw.dedicated.payg-span-rate-after-11.76"]
spec.example("apigw.dedicated.payg-span-rate-after-11.76")

# %% tags=["prose"] jupyter={"source_hidden": true}
from pricing.rules.apigw.common import settlement_windows, whole_seconds
run_start, run_end = datetime(2022, 4, 1, 10, 0, 20), datetime(2022, 4, 1, 12, 0, 40)
parts = [whole_seconds(min(w.end, run_end) - max(w.start, run_start))
         for w in settlement_windows(spec.cat, run_start, run_end, "apigw.dedicated.payg.settlement")]
spec.md("""
**Partial hours.** Billing is per {{ v("apigw.dedicated.payg.billing_unit") }}, so an instance that
starts at 10:00:20 and is released at 12:00:40 pays {{ parts | length }} settlements:
{{ parts | join(" s, ") }} s at the hourly price.
""", at="2022-04-01T10:00:20", parts=parts)

# %%
spec.show(spec.calc("apigw.dedicated.payg_bill", {"edition": "professional", "start": "2022-04-01T10:00:20",
                                                  "end": "2022-04-01T12:00:40"}),
          "Professional, pay-as-you-go, 2022-04-01 10:00:20 → 12:00:40")

# %% tags=["prose"] jupyter={"source_hidden": true}
renewed = spec.calc("apigw.dedicated.monthly_renewal", {"edition": "professional", "bought_at": "2022-03-01T10:00:00",
                                                        "renewal_ordered_at": "2022-03-28T09:00:00"})
spec.md("""
**Monthly across the instant.** A professional month bought 2022-03-01 10:00 was paid at {{ first }} and
is not repriced. Its renewal for 2022-04-01 → 2022-05-01 costs {{ renewal }} when it is ordered after the
cut; a renewal ordered before the cut for that same later period is register entry
`APIGW-DED-RENEWAL-PRICE`.
""", first=renewed["first_amount"], renewal=renewed["renewal_amount"])

# %%
spec.show(renewed, "Professional: bought 2022-03-01, renewed by an order of 2022-03-28")

# %% tags=["apigw.dedicated.monthly-kept-9980.00"]
spec.example("apigw.dedicated.monthly-kept-9980.00")

# %% tags=["apigw.dedicated.renewal-after-7285.40"]
spec.example("apigw.dedicated.renewal-after-7285.40")

# %% [markdown]
# ## Pay-as-you-go or monthly?

# %%
before = (cut - timedelta(seconds=1)).isoformat()
be = []
for e in priced:
    for at, label in ((before, "list"), (cut.isoformat(), "discounted")):
        r = spec.calc("apigw.dedicated.payg_vs_monthly", {"edition": e, "at": at})
        be.append([e, label, r["monthly"], r["hourly"], r["break_even_hours"].quantize(D("0.01")), r["payg_hours"]])
md_table(["edition", "prices", "monthly", "hourly", "break-even hours (to 0.01)", "720 h pay-as-you-go"], be)

# %% tags=["prose"] jupyter={"source_hidden": true}
hours_all = [row[4] for row in be]
pro = spec.calc("apigw.dedicated.payg_vs_monthly", {"edition": "professional", "at": cut.isoformat()})
spec.md("""
Because each edition's hourly and monthly prices share one discount, the break-even point barely
moves between editions: {{ lo }} to {{ hi }} hours, some {{ (hi / 24) | round(1) }} days of
round-the-clock use. Below that, pay-as-you-go is cheaper; a 720-hour month (30 days round the clock)
of pay-as-you-go costs about {{ premium | pct }} more than the prepaid month (professional, discounted).
The guide's prices are consistent on this point: no edition stands out.
""", lo=min(hours_all), hi=max(hours_all), premium=(pro["payg_hours"] / pro["monthly"] - 1).quantize(D("0.01")))

# %%
hours = list(range(0, 745, 24))
charts.line_chart([("pay-as-you-go", hours, [pro["hourly"] * h for h in hours]),
                   ("monthly (one month)", hours, [pro["monthly"] for _ in hours])],
                  "Professional edition after the cut: cost of one month's use", "hours used in the month", "CNY",
                  vlines=[(pro["break_even_hours"], f"break-even {pro['break_even_hours'].quantize(D('0.1'))} h")])

# %% [markdown]
# ## 外网出流量 · Egress

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
A dedicated instance's internet egress is billed exactly like a shared instance's: per GB at the
region's price, settled every {{ v("apigw.settlement.period") }}; intranet traffic and all inbound
traffic are free. An egress pack is used before pay-as-you-go, and in the first year the free quota
({{ v("apigw.free_quota.egress_gb") }} GB per period) comes first of all. The guide repeats the shared
section's Guangzhou example, whose mention of buying an EIP we read as the gateway's own egress.
""")

# %%
spec.rows("apigw.traffic.billed")

# %% tags=["apigw.dedicated.egress-8"]
spec.example("apigw.dedicated.egress-8")

# %% tags=["apigw.dedicated.egress-8-settled"]
spec.example("apigw.dedicated.egress-8-settled")

# %% tags=["prose"] jupyter={"source_hidden": true}
pools = spec.calc("apigw.dedicated.egress", {"region": "guangzhou", "hour": "2023-01-01T07:00:00", "egress_gb": "10",
                                             "pack_gb": "6", "activated": "2022-06-01T00:00:00"})
spec.md("""
The order of the pools: an account opened 2022-06-01 (still in its free year) with a 6 GB egress pack
uses 10 GB in one hour: {{ v("apigw.free_quota.egress_gb") }} GB free, then the pack, and
{{ billed }} GB at {{ v("apigw.egress.price.group_a") }}.
""", at="2023-01-01T07:00:00", billed=pools["billed_gb"])

# %%
spec.show(pools, "10 GB in one hour: free quota, then pack, then pay-as-you-go")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
