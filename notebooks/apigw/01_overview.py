# %% [markdown]
# # 计费概述 · Billing overview
#
# *Source: API 网关 购买指南(已停售) › 计费概述 (section revised 2023-07-04 10:45:11).*
#
# The overview names the two kinds of instance (实例), says what each is billed for and in which
# order the sources of payment are used, and describes the first-year free quota (免费额度). This
# notebook restates it, draws the free-quota calendar of the guide's example account under each
# reading of "month", and records where the overview disagrees with itself or with later sections.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.engine.money import D

spec = Spec(catalog, "apigw.overview", as_of)
spec.entries("apigw.free_quota")

# %% [markdown]
# ## 实例类型 · Instance types
#
# Every API service runs on an instance, which supplies the addresses, compute and storage the APIs
# need. A **shared instance** (共享实例) is the default: a group of users share its machines and it is
# meant for testing and internal use. A **dedicated instance** (专享实例) is reserved for one user,
# with higher limits and SLA, for production. The comparison lives in *实例规格*; here only what
# matters for the bill: which items each kind pays for, how, and what is used up first.

# %%
spec.rows("apigw.billing_items")

# %% [markdown]
# ## 计费顺序 · The order of payment

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
For each metered item (calls, internet egress) an hourly bill takes usage first from the free
quota, then from resource packs (资源包), and only what is left is billed pay-as-you-go (按量计费).
The dedicated instance fee itself is not metered this way: it is monthly or pay-as-you-go on its
own price list. The engine (`pricing.rules.apigw.billing`) deducts in the order of the pack-source
table: the free quota with priority {{ cell("apigw.packs.sources", "pool", "free-quota", "priority") }},
bought packs with priority {{ cell("apigw.packs.sources", "pool", "resource-pack", "priority") }} (lower first).
An account opened 2023-01-05 09:00:00 that also bought a 5,000,000-call pack on 2023-02-01 makes
1,200,000 calls in one hour on 2023-02-10: the second free-quota period pays for the first
{{ v("apigw.free_quota.calls") | n }}, the pack for the rest.
""", at="2023-02-10T10:00:00")

# %%
spec.show(spec.calc("apigw.packs.order", {"activated": "2023-01-05T09:00:00", "purchased": "2023-02-01T08:00:00",
                                          "pack_calls": "500万", "calls": "1200000", "at": "2023-02-10T10:00:00"}),
          "Free quota first, then the pack, then pay-as-you-go")

# %% [markdown]
# ## 免费额度 · The free quota

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Since {{ v("apigw.free_quota.adjusted_at") }} a new account gets, in each of its first
{{ v("apigw.free_quota.periods") }} periods, **{{ v("apigw.free_quota.calls") | n }} calls** and
**{{ v("apigw.free_quota.egress_gb") }} GB of internet egress** free. The period is a "non-natural month"
(非自然月): it starts on the day of the month the service was opened, not on the 1st. The quota is
issued automatically as a resource pack of the account (it covers usage in every region), is used
before any other pack, and whatever is left at the end of a period is lost, not carried over. The
console lists it among the resource packs, with 免费额度 as its source. Each period's grant is the
one in force when the period opens; a period that opened before the free quota took its present form
is granted what was in force when it did (the recalculation for existing accounts).
""")

# %% tags=["apigw.overview.free-calls"]
spec.example("apigw.overview.free-calls")

# %% tags=["apigw.overview.free-egress"]
spec.example("apigw.overview.free-egress")

# %% tags=["prose", "from-example:apigw.overview.free-periods"] jupyter={"source_hidden": true}
acct = spec.at_example("apigw.overview.free-periods")  # the example account's figures, at the example's date
act = "2019-11-10T17:13:14"
year = acct.calc("apigw.overview.free_packs_issued", {"activated": act})
table_reading = {"apigw.free_quota.period": "anniversary-month"}
table_year = acct.calc("apigw.overview.free_packs_issued", {"activated": act}, table_reading)
acct.md("""
How many grants the first year holds depends on the reading of the period (`APIGW-FREE-PERIOD`). By default
(`{{ default }}`) a grant arrives at activation and every {{ v("apigw.shared.free_period_days") }} after it
while the first year runs, so the example account below receives {{ year["packs_issued"] }} grants, one more than
the table's {{ v("apigw.free_quota.periods") }} periods, worth {{ year["free_calls_total"] | n }} calls. Read as
{{ v("apigw.free_quota.periods") }} non-natural months (`{{ table }}`), the year holds {{ table_year["packs_issued"] }}
grants, worth {{ table_year["free_calls_total"] | n }} calls. As a formula (n grants of q calls), under each reading:
""", default=year.policies["apigw.free_quota.period"], table=table_reading["apigw.free_quota.period"],
    year=year, table_year=table_year)

# %% tags=["from-example:apigw.overview.free-periods"]
import sympy as sp
n, q = sp.symbols("n q", positive=True, integer=True)
calls = formulas.R(acct.cat.dec("apigw.free_quota.calls"))
formula(r"F_{\mathrm{year}}", n * q, {n: year["packs_issued"], q: calls},
        year["free_calls_total"], "Free calls in the first year (default reading)")

# %% tags=["from-example:apigw.overview.free-periods"]
formula(r"F_{\mathrm{year}}", n * q, {n: int(acct.cat.dec("apigw.free_quota.periods")), q: calls},
        table_year["free_calls_total"], "Free calls in the first year, read as the table's non-natural months")

# %% [markdown]
# ## 示例 · The example account: opened 2019-11-10 17:13:14
#
# The guide's example: the first million is good for the opening period, nothing carries over, the
# next quota arrives at 00:00:00 on 2019-12-10, and free use ends at 2020-11-10 23:59:59.

# %% tags=["apigw.overview.free-second-grant"]
spec.example("apigw.overview.free-second-grant")

# %% tags=["apigw.overview.free-until"]
spec.example("apigw.overview.free-until")

# %% tags=["apigw.overview.free-periods"]
spec.example("apigw.overview.free-periods")

# %% [markdown]
# ### The whole calendar under each reading, side by side

# %% tags=["prose", "from-example:apigw.overview.free-periods"] jupyter={"source_hidden": true}
acct.md("""
The overview calls a period a non-natural month; *共享实例计费* calls it every
{{ v("apigw.shared.free_period_days") }}; the overview's own example speaks of natural months. Below,
the start and the last second of each period under the readings of `APIGW-FREE-PERIOD` (periods turn over
at midnight, as the example prints), and how many days the {{ v("apigw.shared.free_period_days") }} count
has drifted ahead of the anniversary. Grants every {{ v("apigw.shared.free_period_days") }} through the
first year add one grant to the table's {{ v("apigw.free_quota.periods") }}, cut at the end of the anniversary day.
""")

# %% tags=["from-example:apigw.overview.free-periods"]
from pricing.rules.apigw.free_quota import calendar
anniv, anniv_end, _ = calendar(acct.cat, act, {"apigw.free_quota.period": "anniversary-month"})
thirty, thirty_end, _ = calendar(acct.cat, act, {"apigw.free_quota.period": "thirty-days"})
year, year_end, _ = calendar(acct.cat, act)  # the default: a grant every period through the first year
natural, natural_end, _ = calendar(acct.cat, act, {"apigw.free_quota.period": "natural-month"})
fmt = "%Y-%m-%d %H:%M:%S"
rows = [[k, f"{a.start:{fmt}} → {a.last_second:{fmt}}", f"{t.start:{fmt}} → {t.last_second:{fmt}}",
         f"{y.start:{fmt}} → {y.last_second:{fmt}}", f"{m.start:{fmt}} → {m.last_second:{fmt}}",
         (a.start.date() - t.start.date()).days]
        for k, (a, t, y, m) in enumerate(zip(anniv, thirty, year, natural), 1)]
rows += [[k, "—", "—", f"{y.start:{fmt}} → {y.last_second:{fmt}}", "—", "—"] for k, y in enumerate(year[len(anniv):], len(anniv) + 1)]
rows.append(["free use ends", anniv_end, thirty_end, year_end, natural_end, (anniv_end.date() - thirty_end.date()).days])
days_label = f"every {acct.cat.timedelta('apigw.shared.free_period_days').days} days"
md_table(["period", "non-natural month", days_label, days_label + " through the first year (default)", "natural month",
          "day-count start earlier by (days)"], rows)

# %% tags=["prose", "from-example:apigw.overview.free-periods"] jupyter={"source_hidden": true}
acct.md("""
The chart plots how many days each period starts before its anniversary. Periods of
{{ v("apigw.shared.free_period_days") }} start a day earlier after every month longer than that and
win time back across February 2020 (29 days): the last one starts {{ start_gap }} days before its
anniversary and ends {{ end_gap }} days before it. Natural months start {{ natural_gap }} days before
the anniversary from the second period on.
""", start_gap=(anniv[-1].start.date() - thirty[-1].start.date()).days,
     end_gap=(anniv_end.date() - thirty_end.date()).days,
     natural_gap=(anniv[1].start.date() - natural[1].start.date()).days)

# %% tags=["from-example:apigw.overview.free-periods"]
ks = list(range(1, len(anniv) + 1))
series = [(label, ks, [D((w.start.date() - a.start.date()).days) for w, a in zip(ws, anniv)])
          for label, ws in (("non-natural month (default)", anniv), (days_label, thirty), ("natural month", natural))]
charts.line_chart(series, "Free-quota period starts against the non-natural month, account opened 2019-11-10",
                  "period", "days before (-) the anniversary start")

# %% [markdown]
# ## 免费额度调整 · The adjustment and the example

# %% tags=["prose", "from-example:apigw.overview.free-periods"] jupyter={"source_hidden": true}
late = acct.calc("apigw.overview.free_packs_issued", {"activated": "2019-11-10T17:13:14"},
                 {"apigw.overview.adjustment": "from-adjustment"})
acct.md("""
The {{ v("apigw.free_quota.periods") }}-period rule and the pack form of the quota date from
{{ v("apigw.free_quota.adjusted_at") }}; accounts already using the gateway then were recalculated and
issued a full pack. The example's account was opened before that. Counting only the periods still
running at the adjustment, it would receive {{ issued }} pack(s), not {{ v("apigw.free_quota.periods") }}
(register `APIGW-FREE-RETRO`).
""", issued=late["packs_issued"])

# %% tags=["from-example:apigw.overview.free-periods"]
acct.show(late, "Packs issued if the rule is not retroactive")

# %% [markdown]
# ## 公网出流量 · The free egress

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The free egress is named public-network egress (公网出流量) here, while every price table names
the billed item internet egress (外网出流量). Read as the same item, the free quota covers a
first-year account's first {{ v("apigw.free_quota.egress_gb") }} GB of egress in each period:
""", at="2023-01-10T10:00:00")

# %%
at = spec.cat.at("2023-01-10T10:00:00")
spec.show(spec.calc("apigw.overview.first_year_egress", {"activated": "2023-01-05T09:00:00", "at": "2023-01-10T10:00:00",
                                                         "region": "guangzhou", "egress_gb": "1.5"}),
          f"First year, 1.5 GB of egress in Guangzhou: {at.dec('apigw.free_quota.egress_gb')} GB free, "
          f"the rest × {at.dec('apigw.egress.price.group_a')}")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
