# %% [markdown]
# # 共享实例计费 · Shared-instance billing
#
# *Source: API 网关 购买指南(已停售) › 共享实例计费 (section revised 2025-03-17 17:50:52).*
#
# A shared instance (共享实例) is billed on two items only: **API calls** (调用次数) and **internet
# egress traffic** (外网出流量). It is pay-as-you-go (按量计费) by default; resource packs (资源包)
# can cover either item instead (see *资源包计费*). This notebook restates the section's rules and
# reproduces each of its figures from the catalog.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.engine.money import D

spec = Spec(catalog, "apigw.shared", as_of)
spec.entries("apigw.shared")

# %% [markdown]
# ## 计费项目 · What is billed, and when

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
- **Billing cycle (计费周期): {{ v("apigw.settlement.period") }}.** Each hour's calls and egress are rated
  as one bill. The bill appears within {{ v("apigw.settlement.bill_delay") }} after the hour closes and is
  paid from the account balance at once; a balance that cannot pay it puts the account into arrears
  (欠费, see *欠费说明*).
- **Which calls count (有效调用次数).** Every request the gateway receives counts, except those
  rejected as front-end errors (前台错误).
- **The free quota.** In the first year the first {{ v("apigw.free_quota.calls") | n }} calls of each
  free-quota period cost nothing; this section calls the period "every {{ v("apigw.shared.free_period_days") }}",
  the overview calls it a non-natural month. The two readings are compared in *计费概述* (register
  `APIGW-FREE-PERIOD`).
- **WebSocket backends.** APIs whose backend is a WebSocket pay no call fee, only egress.
""")

# %% [markdown]
# ## 调用次数费用 · The call fee

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The price per {{ per | n }} calls falls as the month's cumulative
count **N** grows: {{ tiers("apigw.shared.call_tiers") }} (yuan per {{ per | n }} calls; {{ tier("apigw.shared.call_tiers", 0, "up_to") | wan }}
and {{ tier("apigw.shared.call_tiers", 1, "up_to") | wan }} in the guide's units). Tiers are graduated: each call pays the
price of the tier its own position falls in. Stated symbolically, from the catalog:
""", per=spec.cat.tiers("apigw.shared.call_tiers").unit)

# %%
N, fee_expr = formulas.tiered_fee(spec.cat, "apigw.shared.call_tiers")
ex = spec.calc("apigw.shared.call_fee", {"calls": "5000000"})
formula(r"\mathrm{fee}(N)", fee_expr, {N: 5000000}, ex["fee"], "Call fee over the tiers, checked at N = 5,000,000")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The chart shows the fee for a month against its call count, with the tier breaks marked. The
slope falls at each break; a reader can see at a glance that the last tier matters only above
{{ tier("apigw.shared.call_tiers", 1, "up_to") | n }} calls.
""")

# %%
tiers = spec.cat.tiers("apigw.shared.call_tiers")
xs = [D(n) * 1000000 for n in range(0, 151, 5)]
ys = [tiers.rate(x).amount for x in xs]
charts.line_chart([("call fee (CNY)", [x / 1000000 for x in xs], ys)], "Shared instance: monthly call fee",
                  "calls in the month (millions)", "CNY",
                  vlines=[(b / 1000000, f"{b / 1000000}M") for b in tiers.breaks()])

# %% [markdown]
# A month that crosses a break pays two prices. 15 million calls in year two, with no free quota:

# %%
spec.show(spec.calc("apigw.shared.call_fee", {"calls": "15000000"}), "15,000,000 calls in one month")

# %% [markdown]
# ## 外网出流量 · Internet egress

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Only traffic that leaves the gateway over the internet is billed: the responses the gateway sends
to clients, and the requests it forwards to a backend that sits in another region or outside
Tencent Cloud. Inbound traffic and intranet traffic are free. Sizes are {{ v("apigw.data.factor") }}-based
(1 GB = {{ v("apigw.data.factor") }} MB), counted on outbound bytes; the section warns that network overhead
(TCP/IP headers, retransmits) makes the billed volume {{ dec("apigw.traffic.overhead_low") | pct }}–{{ dec("apigw.traffic.overhead_high") | pct }}
larger than what an application counts.
""")

# %%
spec.rows("apigw.traffic.billed")

# %%
spec.rows("apigw.egress.regions")

# %%
spec.entries("apigw.egress.price")

# %% tags=["apigw.shared.egress-8"]
spec.example("apigw.shared.egress-8")

# %% tags=["apigw.shared.egress-8-settled"]
spec.example("apigw.shared.egress-8-settled")

# %% [markdown]
# ## 计费示例 · The worked month: 45.26 yuan
#
# Year two (no free quota), Guangzhou, 5 million calls in the month, 3 KB per response and 1 KB
# per request forwarded to a backend in another region. The guide's derivation, step by step:

# %% tags=["apigw.shared.fee-45.26"]
spec.example("apigw.shared.fee-45.26")

# %% tags=["apigw.shared.call-fee-30"]
spec.example("apigw.shared.call-fee-30")

# %% tags=["apigw.shared.response-gb-14.3"]
spec.example("apigw.shared.response-gb-14.3")

# %% tags=["apigw.shared.request-gb-4.77"]
spec.example("apigw.shared.request-gb-4.77")

# %% tags=["apigw.shared.traffic-15.26"]
spec.example("apigw.shared.traffic-15.26")

# %% tags=["prose", "from-example:apigw.shared.fee-45.26"] jupyter={"source_hidden": true}
worked = spec.at_example("apigw.shared.fee-45.26")  # the worked month's own date, not the notebook's
worked.md("""
The cells below restate the worked month, so they read the catalog as the example does: as of its own
date, {{ as_of }}, whatever the notebook's as-of date. The traffic fee as a formula: n calls, r KB per
response, q KB per forwarded request, price p per GB ({{ v("apigw.egress.price.group_a") }} in Guangzhou then).
""")

# %% tags=["from-example:apigw.shared.fee-45.26"]
import sympy as sp
n, r, q, p = sp.symbols("n r q p", positive=True)
traffic = p * (n * r + n * q) / 1024**2
month = worked.calc("apigw.shared.month_example", {"calls": "5000000", "response_kb": "3", "request_kb": "1"},
                    {"apigw.example.gb_rounding": "exact"})
formula(r"\mathrm{traffic}", traffic, {n: 5000000, r: 3, q: 1, p: formulas.R(worked.cat.dec("apigw.egress.price.group_a"))},
        month["traffic_unrounded"], "Traffic fee, exact volumes")

# %% [markdown]
# A WebSocket backend changes only the call fee: the same month costs the traffic alone.

# %% tags=["from-example:apigw.shared.fee-45.26"]
worked.show(worked.calc("apigw.shared.month_example", {"calls": "5000000", "response_kb": "3", "request_kb": "1",
                                                       "websocket_backend": "true"}), "The same month behind a WebSocket backend")

# %% [markdown]
# ## Hourly settlement with the free quota

# %% tags=["prose"] jupyter={"source_hidden": true}
from pricing.rules.apigw.billing import bill, usage
from pricing.rules.apigw.free_quota import free_pools
from datetime import datetime, timedelta
pools = [p for p in free_pools(spec.cat, "2021-01-01T00:00:00") if p.window.contains(datetime(2021, 1, 5))]
recs = [usage(f"2021-01-05T{h:02d}:00:00", "guangzhou", "calls", "400000") for h in (9, 10, 11)]
three = bill(spec.cat, recs, pools)
free_calls = sum(p.remaining for p in pools if "calls" in p.metrics)
spec.md("""
In the first year each hour's calls are first taken from the free-quota pack of the current
period, and only the rest is rated. An account activated 2021-01-01 makes 40万 calls an hour
for three hours: the free {{ free | n }} calls of its period run out in the third hour, which pays
for {{ billed | n }} calls. The tier position N counts the billed calls only (`apigw.tier.position`
= billed-calls, the table's 月累计超过次数): the calls the free quota covered do not move it.
""", free=free_calls, billed=3 * 400000 - free_calls)

# %%
spec.show(three, "Three hours in a first-year period")

# %% [markdown]
# ## 账单 · From rated hours to what is debited
#
# Each hour is one bill line, kept to 8 decimal places. What leaves the balance is in whole fen:
# each hourly settlement debits the running total of the lines rounded to the fen, less what earlier
# hours already debited, and the month's bill carries a precision line (月度计费精度差异) for the
# difference between its lines and its debits (`billing.debit_rounding`, default
# `line-8dp-debit-fen`). The lines plus the precision line always equal the total. Rounding every
# hourly bill on its own instead (`per-bill-fen`, how the guide's examples print a single bill) loses
# every fraction of a fen: a month of small hours is billed nothing at all.

# %% tags=["prose"] jupyter={"source_hidden": true}
month_start = datetime(2023, 3, 1)
per_hour = 390  # calls in each hour: a fraction of a fen each
small = [usage(month_start + timedelta(hours=h), "guangzhou", "calls", str(per_hour)) for h in range(720)]
by_reading = {rd: bill(spec.cat, small, [], {"billing.debit_rounding": rd})
              for rd in ("line-8dp-debit-fen", "per-bill-fen", "exact")}
spec.md("""
720 hours of {{ per_hour }} calls (the year-two price, no free quota): each hour's line is {{ line }} yuan; the
month's lines add up to {{ lines }}.
""", per_hour=per_hour, line=spec.cat.tiers("apigw.shared.call_tiers").rate(per_hour).amount,
    lines=by_reading["exact"]["call_fee"])

# %%
md_table(["reading (billing.debit_rounding)", "lines", "precision line", "debited"],
         [[rd, r["call_fee"], r["precision"], r["total"]] for rd, r in by_reading.items()])

# %% [markdown]
# Rounding each hour on its own also lets a fee fall as usage rises. Two hours, the second of 1,245
# calls; the first hour one call busier costs less:

# %%
rows = []
for first in (9999990, 9999991):
    hrs = [usage(month_start, "guangzhou", "calls", str(first)), usage(month_start + timedelta(hours=1), "guangzhou", "calls", "1245")]
    rows.append([f"{first:,} then 1,245"] + [bill(spec.cat, hrs, [], {"billing.debit_rounding": rd})["total"]
                                             for rd in ("line-8dp-debit-fen", "per-bill-fen", "exact")])
md_table(["calls", "line-8dp-debit-fen (default)", "per-bill-fen", "exact"], rows)

# %% tags=["apigw.shared.year-one-free"]
spec.example("apigw.shared.year-one-free")

# %% [markdown]
# ## 免费阶梯 · The free-quota pack's window

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The free tier is issued as an all-region call pack every {{ v("apigw.shared.free_period_days") }}.
""")

# %% tags=["prose", "from-example:apigw.shared.free-pack-end"] jupyter={"source_hidden": true}
spec.at_example("apigw.shared.free-pack-end").md("""
The guide's illustration (at its own date, {{ as_of }}): a pack whose window opens at 2023-06-20 20:00:00
is covered until 2023-07-20 20:59:59, its last second covered, so it lapses at 21:00:00, one settlement
hour past {{ v("apigw.shared.free_period_days") }}: the default reading of `apigw.pack.window_end`,
`through-settlement-hour`. The bought pack in *资源包计费* lapses exactly at {{ v("apigw.packs.validity") }}
(`exact-30-days`, the reading its examples pin; register `APIGW-PACK-WINDOW`).
""")

# %% tags=["apigw.shared.free-pack-end"]
spec.example("apigw.shared.free-pack-end")

# %% [markdown]
# ## Refunds and arrears
#
# A pay-as-you-go shared instance can be released at any time; billing stops once it is released,
# and there is nothing to refund. Suspension for arrears is covered in *欠费说明*.
#
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
