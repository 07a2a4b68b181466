# %% [markdown]
# # 包年包月套餐说明 · Monthly plans
#
# *Source: 云开发 CloudBase 购买指南 › 包年包月套餐说明 (section revised 2025-06-09 15:45:51).*
#
# The monthly plans (包年包月套餐: the lineup of the price list, dated data in the catalog) carry
# monthly quotas. This section says when those quotas reset, what happens when one runs out,
# what stops at expiry, when a plan change is refused, and how the upgrade fee (升配) and the
# downgrade refund (降配) are computed, with two worked examples (1420.27 and 1390.59). The
# examples use illustrative prices (100 and 1000 CNY a month), not list prices, as the guide says.
# The downgrade example is where most of the register entries below come from: its printed steps
# do not follow its own definitions.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
import sympy as sp
from pricing.spec.notebook import Spec, View, formula, md_table
from pricing.spec import charts, formulas
from pricing.engine.errors import PricingError
from pricing.engine.money import BILLED, D
from pricing.engine.periods import AVERAGE_MONTH_DAYS
from pricing.engine.results import show
from pricing.rules.cloudbase import lineup, monthly, plans

spec = Spec(catalog, "cloudbase.monthly", as_of)
spec.entries("cloudbase.monthly")

# %% [markdown]
# ## 套餐中资源计费周期 · Billing day and billing cycle
#
# The day of purchase becomes the plan's billing day (账期日). Quotas counted per month are reset on
# every billing day, and a billing cycle (计费周期) runs from one billing day to the next: a
# "logical month" anchored on the purchase, not the calendar month. Dates are computed as
# purchase + n months, never by adding a month repeatedly. The guide's example: bought 2022-11-01
# for two months.

# %% tags=["cloudbase.monthly.expiry-2023-01-01"]
spec.example("cloudbase.monthly.expiry-2023-01-01")

# %% tags=["cloudbase.monthly.billing-day-1"]
spec.example("cloudbase.monthly.billing-day-1")

# %% tags=["cloudbase.monthly.reset-2022-12-01"]
spec.example("cloudbase.monthly.reset-2022-12-01")

# %% [markdown]
# A purchase on the 31st meets shorter months. Anchored arithmetic clamps to the month's last day
# and comes back to the 31st when the month has one; the section does not say (register
# `CB-MONTHLY-MONTHEND`).

# %%
spec.show(spec.calc("cloudbase.monthly.cycles", {"purchased": "2023-01-31", "months": "3"}), "Bought 2023-01-31 for three months")

# %% [markdown]
# ## 套餐中资源使用量超限 · When a quota runs out
#
# Within a billing cycle a metric that reaches its quota is restricted according to its class:
#
# - **capacity** (容量, database collections 数据库集合): nothing more can be stored or processed until
#   data is cleaned up below the quota or the plan is upgraded;
# - **flow** (调用次数 calls, 存储流量 storage traffic, CDN 回源流量 origin traffic, 资源使用量 GB·s,
#   云函数外网出流量 function egress): unusable until the next billing day, unless upgraded;
# - **connection** (实时连接数 realtime connections, 函数并发 function concurrency): connections already
#   open go on; new ones are refused until some close.
#
# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
With pay-as-you-go switched on (按量付费), use goes on past the quota and the overage is settled
{{ v("cloudbase.monthly.overage_settlement") }} after the day. The catalog's table of classes (custom domains and QPS have no
stated rule; `change` says whether a metric restricts a plan change):
""")

# %%
spec.rows("cloudbase.monthly.metric_classes")

# %%
then = spec.cat.at("2022-11-15T10:00:00")
push = next(r for r in then.rows(lineup.CAPABILITIES) if r["item"].startswith("实时推送连接数"))
limits = {m: lineup.quota_cell(then, "personal", m) for m in ("capacity_gb", "storage_traffic_gb", "calls_wan")}
limits["realtime_connections"] = push["personal"]
rows = []
for m, cap in limits.items():
    for payg in ((False, True) if m != "realtime_connections" else (False,)):
        r = monthly.exhaustion(spec.cat, m, cap, cap, "2022-11-15T10:00:00", "2022-11-01", payg)
        rows.append([m, r["class"], "on" if payg else "off", r["effect"], show(r["until"]) if not payg else "—",
                     show(r["settled_at"]) if payg else "—"])
View("**Personal plan bought 2022-11-01, each metric at its quota on 2022-11-15 10:00**\n\n" +
     md_table(["metric", "class", "pay-as-you-go", "effect", "blocked until", "overage settled"], rows).md)

# %% [markdown]
# ## 套餐到期 · At expiry

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
When the plan expires without renewal, every resource and capability of the plan stops: storage,
database, CDN, calls. Cloud functions stop running and take no new requests; timer triggers do
not fire in new periods. The queue of asynchronous invocations is paused; once requests have
waited more than {{ v("cloudbase.monthly.async_retention") }} they are dropped progressively, oldest first, and a queue
whose suspension lasted less than that resumes normally when service is restored. The two statements
count those {{ v("cloudbase.monthly.async_retention") }} from different moments (register `CB-MONTHLY-ASYNC`):
""")

# %%
spec.show(spec.calc("cloudbase.monthly.async_request", {"enqueued": "2022-12-26", "suspended": "2023-01-01",
                                                        "restored": "2023-01-03"}),
          "A request queued 2022-12-26 behind a backlog; plan expired 2023-01-01; renewed 2023-01-03")

# %% [markdown]
# ## 套餐变更限制 · When a plan change is refused
#
# A change takes effect at once, but is refused while current usage exceeds the target plan's quota:
# for capacity and collections until the user cleans up; for any flow metric until the next billing
# cycle, since traffic or calls already used cannot be given back. The guide's three cases share the
# purchase of the billing-cycle example (2022-11-01, two months) and all happen on 2022-11-15.

# %% tags=["cloudbase.monthly.case1-storage-traffic"]
spec.example("cloudbase.monthly.case1-storage-traffic")

# %% tags=["cloudbase.monthly.case1-next-cycle"]
spec.example("cloudbase.monthly.case1-next-cycle")

# %% tags=["cloudbase.monthly.case2-capacity"]
spec.example("cloudbase.monthly.case2-capacity")

# %% tags=["cloudbase.monthly.case3-calls"]
spec.example("cloudbase.monthly.case3-calls")

# %% [markdown]
# The "lower plan" of the cases has limits of its own (the inputs of the three cases above). None of
# the real plans has those limits; against the real quota table (the lineup in force) the same usage fits the standard
# plan. The cases' limits are their own inputs, illustrations like the section's prices:

# %%
md_table(*lineup.quota_table(spec.cat))

# %% [markdown]
# Through the plan-change API a refused change is an error naming each blocking metric and its remedy:

# %%
def outcome(label, fn):
    try:
        r = fn()
        return [label, f"allowed: refund {show(r['refund'])}"]
    except PricingError as e:
        return [label, f"{type(e).__name__}: {e}"]


md_table(["request", "outcome"], [
    outcome("enterprise → personal on 2022-11-15 with the three cases' usage",
            lambda: plans.downgrade(spec.cat, "enterprise", "personal", 2, "2022-11-01", "2022-11-15",
                                    used={"storage_traffic_gb": "145", "capacity_gb": "95", "calls_wan": "200"})),
    outcome("enterprise → standard on 2022-11-15 with the same usage",
            lambda: plans.downgrade(spec.cat, "enterprise", "standard", 2, "2022-11-01", "2022-11-15",
                                    used={"storage_traffic_gb": "145", "capacity_gb": "95", "calls_wan": "200"})),
])

# %% [markdown]
# ## 包年包月套餐资源升配 · Upgrade
#
# The fee is the monthly price difference (of the original prices) × upgrade days / (365/12) ×
# a discount, where upgrade days = expiry − now. The expiry does not move; the upgraded quota applies
# from the day the order completes (the price list says: for the old plan's remaining time; register
# `CB-MONTHLY-QUOTASTART`). The section's illustration upgrades a personal plan to a "团队版", a plan
# name the current list does not have; the examples price it as the standard plan, and the dates do not
# depend on it.

# %% tags=["cloudbase.monthly.team-upgrade-start"]
spec.example("cloudbase.monthly.team-upgrade-start")

# %% tags=["cloudbase.monthly.team-upgrade-end"]
spec.example("cloudbase.monthly.team-upgrade-end")

# %% [markdown]
# **The worked example.** Bought 2022-11-01 for three months at 100 CNY a month (expiry 2023-02-01);
# upgraded on 2022-12-15 to a 1000 CNY plan. The guide splits the 48 days as 31 (January) + 16
# (the rest of December) + 1 (February): the days after the change through the expiry date, which
# is the same count as expiry − now.

# %% tags=["cloudbase.monthly.upgrade-diff-900"]
spec.example("cloudbase.monthly.upgrade-diff-900")

# %% tags=["cloudbase.monthly.upgrade-days-48"]
spec.example("cloudbase.monthly.upgrade-days-48")

# %% tags=["cloudbase.monthly.upgrade-fee-1420.27"]
spec.example("cloudbase.monthly.upgrade-fee-1420.27")

# %% tags=["from-example:cloudbase.monthly.upgrade-fee-1420.27"]
dp, d, k, M = sp.symbols(r"\Delta{p} d k M", positive=True)


def fen(x):
    """An amount in whole fen (分), rounded half-up; formulas are checked in fen so that sympy compares integers."""
    return sp.floor(100 * x + sp.Rational(1, 2))


up = spec.at_example("cloudbase.monthly.upgrade-fee-1420.27").calc("cloudbase.plans.upgrade_fee", {"old_price": "100", "new_price": "1000", "at": "2022-12-15", "expiry": "2023-02-01"})
formula(r"100 \cdot \mathrm{fee}", fen(dp * d / M * k), {dp: 900, d: 48, M: sp.Rational(365, 12), k: formulas.R(up["discount"])}, up["fee"] * 100,
        "Upgrade fee in fen (unrounded: 900 × 48 × 12 / 365 = 103680/73 ≈ 1420.274)")

# %% tags=["from-example:cloudbase.monthly.upgrade-fee-1420.27"]
days = list(range(0, 93))
charts.line_chart([("upgrade 100 → 1000 CNY/month", days, [BILLED(900 * D(n) / AVERAGE_MONTH_DAYS) for n in days])],
                  "Upgrade fee against the days left to expiry", "upgrade days (expiry − now)", "CNY",
                  vlines=[(up["days"], f"2022-12-15: {up['days']} days, {show(up['fee'])}")])

# %% [markdown]
# ## 包年包月套餐资源降配 · Downgrade
#
# The refund is the refund of resources minus the new-purchase cost:
#
# - refund of resources (资源清退退款) = order amount − consumed, consumed = used days / order days ×
#   order amount; the order amount is the cash actually paid (vouchers and discounts excluded and not
#   returned);
# - new-purchase cost (资源新购费用) = remaining days / order days × the lower plan's price (definition);
# - a refund at or below zero downgrades without paying anything back.
#
# **The worked example.** Bought 2022-11-01 for three months at 1000 CNY a month (expiry 2023-02-01);
# downgraded on 2022-12-15 to a 100 CNY plan.

# %% tags=["cloudbase.monthly.downgrade-used-45"]
spec.example("cloudbase.monthly.downgrade-used-45")

# %% tags=["cloudbase.monthly.downgrade-total-93"]
spec.example("cloudbase.monthly.downgrade-total-93")

# %% tags=["cloudbase.monthly.downgrade-remaining-48"]
spec.example("cloudbase.monthly.downgrade-remaining-48")

# %% tags=["cloudbase.monthly.downgrade-resources-1548.39"]
spec.example("cloudbase.monthly.downgrade-resources-1548.39")

# %% tags=["cloudbase.monthly.downgrade-new-157.8"]
spec.example("cloudbase.monthly.downgrade-new-157.8")

# %% tags=["cloudbase.monthly.downgrade-refund-1390.59"]
spec.example("cloudbase.monthly.downgrade-refund-1390.59")

# %% [markdown]
# **Three things in that derivation do not follow the definitions.**
#
# 1. *Day count.* 45 used and 93 total days count both the first and the last date: 2023-02-01, when
#    the plan ends at 00:00, is counted as a day of the order. As end − start they are 44 and 92.
#    The remainder is 48 either way, and equals the upgrade rule's expiry − now (register
#    `CB-MONTHLY-DAYCOUNT`).
# 2. *New-purchase cost.* The definition takes a share of the order's length (remaining / total);
#    the example divides by an average month (365/12) instead. No reading of "the lower plan's price"
#    gives 157.8 under the definition (register `CB-MONTHLY-NEWPURCHASE`). In symbols, with r
#    remaining days, T order days, n months and p the lower monthly price:

# %% tags=["from-example:cloudbase.monthly.downgrade-refund-1390.59"]
down = spec.at_example("cloudbase.monthly.downgrade-refund-1390.59")  # the worked downgrade, at its own date
r, T, n, p = sp.symbols("r T n p", positive=True)
worked = r * p / M
prose_term = r * n * p / T
prose_month = r * p / T
difference = sp.factor(worked - prose_term)
at = {r: 48, T: 93, n: 3, p: 100, M: sp.Rational(365, 12)}
runs = {pol: down.calc("cloudbase.plans.downgrade_refund",
                       {"old_price": "1000", "new_price": "100", "months": "3", "start": "2022-11-01", "at": "2022-12-15"},
                       {"cloudbase.plans.new_purchase": pol})
        for pol in ("average-month", "order-share-term", "order-share-monthly")}
View("\n\n".join([
    f"$$ \\text{{example}} = {sp.latex(worked)} \\qquad \\text{{definition (term price)}} = {sp.latex(prose_term)}"
    f" \\qquad \\text{{definition (monthly price)}} = {sp.latex(prose_month)} $$",
    f"$$ \\text{{example}} - \\text{{definition (term price)}} = {sp.latex(difference)} $$",
    md_table(["formula", "sympy, exact", "≈", "package (Decimal)"], [
        ["example: r p / M", f"${sp.latex(worked.subs(at))}$", show(BILLED(formulas.to_decimal(worked.subs(at)))),
         show(BILLED(runs["average-month"]["new_purchase_exact"]))],
        ["definition, term price: r n p / T", f"${sp.latex(prose_term.subs(at))}$", show(BILLED(formulas.to_decimal(prose_term.subs(at)))),
         show(BILLED(runs["order-share-term"]["new_purchase_exact"]))],
        ["definition, monthly price: r p / T", f"${sp.latex(prose_month.subs(at))}$", show(BILLED(formulas.to_decimal(prose_month.subs(at)))),
         show(BILLED(runs["order-share-monthly"]["new_purchase_exact"]))],
        ["difference example − term price", f"${sp.latex(difference.subs(at))}$", show(BILLED(formulas.to_decimal(difference.subs(at)))),
         show(BILLED(runs["average-month"]["new_purchase_exact"] - runs["order-share-term"]["new_purchase_exact"]))],
    ]).md]))

# %% tags=["from-example:cloudbase.monthly.downgrade-refund-1390.59"]
formula(r"100 \cdot (\text{example} - \text{definition})", fen(difference), at,
        BILLED(runs["average-month"]["new_purchase_exact"] - runs["order-share-term"]["new_purchase_exact"]) * 100,
        "The gap between the two new-purchase formulas for the example, in fen")

# %% [markdown]
# 3. *Intermediate rounding.* 157.808… is printed to one decimal (157.8) and the refund is the
#    difference of the printed parts. Subtracting the exact parts gives 1390.578…, i.e. 1390.58;
#    the reading `as-printed` (refund of resources to the fen, new-purchase cost to the jiao, one
#    decimal), which the worked example pins, reproduces 1390.59; the default `exact` is what a bill
#    does (`cloudbase.plans.downgrade_rounding`). Both as formulas, in fen, with P the order
#    amount, u the used days and p the lower monthly price:

# %% tags=["from-example:cloudbase.monthly.downgrade-refund-1390.59"]
P, u = sp.symbols("P u", positive=True)
whole = {P: 3000, u: 45, T: 93, r: 48, p: 100, M: sp.Rational(365, 12)}
exact_run = down.calc("cloudbase.plans.downgrade_refund",
                      {"old_price": "1000", "new_price": "100", "months": "3", "start": "2022-11-01", "at": "2022-12-15"},
                      {"cloudbase.plans.downgrade_rounding": "exact"})
formula(r"100 \cdot \mathrm{refund}_{\mathrm{exact}}", fen(P - u / T * P - r / M * p), whole, exact_run["refund"] * 100,
        "Refund rounded once (policy `exact`)")

# %% tags=["from-example:cloudbase.monthly.downgrade-refund-1390.59"]
as_printed = fen(P - u / T * P) - 10 * sp.floor(10 * r / M * p + sp.Rational(1, 2))
printed_run = down.calc("cloudbase.plans.downgrade_refund",
                        {"old_price": "1000", "new_price": "100", "months": "3", "start": "2022-11-01", "at": "2022-12-15"},
                        {"cloudbase.plans.downgrade_rounding": "as-printed"})
formula(r"100 \cdot \mathrm{refund}_{\mathrm{printed}}", as_printed, whole, printed_run["refund"] * 100,
        "Refund from the printed parts (policy `as-printed`): 1548.39 − 157.8")

# %% [markdown]
# How much the day count matters over the example's order: the refund under the calendar
# difference minus the refund under the inclusive count, for a downgrade on each day. The gap is
# largest at the start of the term (one day is a larger share of the order) and vanishes at the end.

# %% tags=["from-example:cloudbase.monthly.downgrade-refund-1390.59"]
from datetime import date, timedelta
xs, inc, cal = [], [], []
for i in range(0, 92, 2):
    day = date(2022, 11, 1) + timedelta(days=i)
    base = {"old_price": "1000", "new_price": "100", "months": "3", "start": "2022-11-01", "at": day.isoformat()}
    xs.append(i)
    inc.append(down.calc("cloudbase.plans.downgrade_refund", base)["refund"])
    cal.append(down.calc("cloudbase.plans.downgrade_refund", base, {"cloudbase.plans.day_count": "calendar"})["refund"])
charts.line_chart([("calendar − inclusive", xs, [c - i for c, i in zip(cal, inc)])],
                  "Downgrade 1000 → 100 CNY/month: refund gap between the day counts", "days since 2022-11-01",
                  "CNY", vlines=[(44, f"2022-12-15: {show(cal[xs.index(44)])} − {show(inc[xs.index(44)])}")])

# %% [markdown]
# ## 计费周期账单 · The cycle bill
#
# The rules above, run together over a cycle by one call (`cloudbase.cycle.bill`): timestamped usage
# of any metric is drawn through the plan quota of its billing cycle, then through the extension
# packs valid at its instant (soonest lapse first), and the rest is overage priced on its own day.
# SMS follow the SMS order (an SMS with no SMS pack becomes calls), capacity is held against a
# ceiling per day, a plan change moves the quota in force from its instant, and each day is one
# settlement, debited the day after. Quantities stay in each metric's base unit: calls in calls,
# the packs in their own unit.

# %% tags=["prose"] jupyter={"source_hidden": true}
from datetime import datetime
from pricing.rules.cloudbase import cycle, packs
month = {"plan": "personal", "purchased": "2026-03-05T10:00:00", "months": "1",
         "usage": ["2026-03-06T09:00:00 calls_wan 150000", "2026-03-07T12:00:00 calls_wan 80000",
                   "2026-03-08T16:00:00 calls_wan 40000", "2026-03-10T08:00:00 sms 100",
                   "2026-03-12T09:00:00 egress_gb 3", "2026-03-13T09:00:00 egress_gb 2.5",
                   "2026-03-14T20:00:00 capacity_gb 5", "2026-03-20T10:00:00 calls_wan 1000000",
                   "2026-03-25T10:00:00 egress_gb 20"],
         "packs": ["calls_1000wan 2026-03-08T14:00:00"], "changes": ["2026-03-15T12:00:00 standard"]}
view = spec.cat.at(datetime(2026, 3, 5, 10))
spec.md("""
A {{ p }} plan bought {{ bought }} with a {{ pack }} bought on its fourth day and an upgrade to {{ up }}
on its eleventh: the pack (priced {{ pack_price }}) takes the calls beyond the quota from the day it is
bought, the upgrade lifts every quota for the rest of the cycle, less what the cycle has used.
""", at=datetime(2026, 3, 5, 10), p=lineup.plan_label(view, "personal"), bought="2026-03-05 10:00:00",
     pack=f"call pack ({packs.pack_row(view, 'calls_1000wan').zh})", up=lineup.plan_label(view, "standard"),
     pack_price=f"{packs.pack_row(view, 'calls_1000wan').price} CNY")

# %%
cb = spec.calc("cloudbase.cycle.bill", month)
spec.show(cb, "A month billed by day")

# %%
t = cycle.term(spec.catalog.as_of(datetime(2026, 3, 5, 10)), "personal", "2026-03-05T10:00:00", 1, month["changes"],
               month["packs"])
b = cycle.cycle_bill(spec.catalog.as_of(datetime(2026, 3, 5, 10)), t,
                     cycle.records(spec.catalog.as_of(datetime(2026, 3, 5, 10)), month["usage"]))
md_table(["day", "from the plan quota", "from packs (own unit)", "overage", "debited next day"],
         [[d.day, "; ".join(f"{m} {v}" for m, v in sorted(d.quota_used.items())) or "—",
           "; ".join(f"{k} {v}" for k, v in sorted(d.packs.items())) or "—",
           "; ".join(f"{m} {v}" for m, v in sorted(d.overage.items())) or "—", d.debit]
          for d in b.days if d.quota_used or d.packs or d.overage])

# %% [markdown]
# The bill's lines, one per day and metric, with the precision line; they add up to what is debited:

# %%
md_table(["day", "metric", "quantity", "unit", "line (8 decimals)", "settled"],
         [[ln.bill, ln.item, ln.quantity, ln.unit, ln.amount, ln.at] for ln in b.statement.lines]
         + [["", "precision line (月度计费精度差异)", "", "", b.statement.precision, ""],
            ["", "total debited", "", "", b.statement.due, ""]])

# %% [markdown]
# Billed in two runs, cut anywhere (here at 2026-03-14 22:00, between the capacity record and midnight),
# the cycle gives the same lines: the state between runs (pools left, quota used, capacity held) is
# carried in a snapshot.

# %%
cut = datetime(2026, 3, 14, 22)
recs = cycle.records(spec.catalog.as_of(datetime(2026, 3, 5, 10)), month["usage"])
v0 = spec.catalog.as_of(datetime(2026, 3, 5, 10))
first = cycle.run(v0, t, cycle.start(t), [r for r in recs if r.at < cut], cut)
second = cycle.run(v0, t, first.snapshot, [r for r in recs if r.at >= cut], t.expiry)
two = cycle.bill_of(v0, t, cycle.CycleRun(second.snapshot, first.history + second.history))
md_table(["", "lines", "debited"], [["one run", len(b.statement.lines), b.statement.due],
                                    ["two runs", len(two.statement.lines), two.statement.due]])

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
