# %% [markdown]
# # 价格文档 › 套餐操作 · Price list: plan operations
#
# *Source: 云开发 CloudBase 购买指南 › 价格文档 › 套餐操作 (section revised 2025-07-02 19:56:02).*
#
# A CloudBase environment runs on a monthly plan (包年包月套餐). The price list ends with the five
# things one can do to that plan: buy it (新购), change it up (升配) or down (降配), extend it
# (续费), or give it up by destroying the environment (停用退费). A change that costs money is an
# upgrade, one that returns money is a downgrade; neither moves the expiry date. This notebook states
# each operation's rule, computes it from the catalog, and lists what the text leaves open. The
# monthly-plan section (*包年包月套餐说明*) repeats the change rules with worked examples: see that
# notebook for the figures 1420.27 and 1390.59.

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
from pricing.rules.cloudbase import lineup, plans

spec = Spec(catalog, "cloudbase.plan_ops", as_of)
priced = lineup.priced_plans(spec.cat)
unpriced = [p for p in lineup.plan_ids(spec.cat) if p not in priced]
spec.entries("cloudbase.plan_ops")

# %%
spec.rows("cloudbase.plan_ops.operations")


# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The plans, their rank and their monthly list prices come from the lineup in force
(`cloudbase.plans` and one price entry per plan, catalog file `cloudbase.toml`). Which way a change
goes is the rank: a move to a later plan is an upgrade, to an earlier one a downgrade, even when the
two cost the same. {% for p in unpriced %}{{ p }} ({{ cell("cloudbase.plans", "plan", p, "zh") }}){% endfor %} has no price: it
is quoted on request, so any fee or refund that needs its price is refused with an error that names
the plan, never guessed.
""", unpriced=unpriced)

# %%
md_table(*lineup.plan_table(spec.cat))

# %%
def outcome(label, fn):
    """One row: what a request gives, or the error it is refused with."""
    try:
        r = fn()
        return [label, "accepted: " + ", ".join(f"{k} = {show(v)}" for k, v in sorted(r.outputs.items())
                                                 if k in ("fee", "refund", "new_expiry"))]
    except PricingError as e:
        return [label, f"{type(e).__name__}: {e}"]


up = {"at": "2022-12-15", "expiry": "2023-02-01"}
md_table(["request", "outcome"], [
    outcome("upgrade enterprise → enterprise_premium",
            lambda: spec.calc("cloudbase.plans.upgrade_fee", {**up, "old_plan": "enterprise", "new_plan": "enterprise_premium"})),
    outcome("upgrade standard → 'team' (团队版)",
            lambda: spec.calc("cloudbase.plans.upgrade_fee", {**up, "old_plan": "standard", "new_plan": "team"})),
    outcome("'upgrade' enterprise → standard",
            lambda: spec.calc("cloudbase.plans.upgrade_fee", {**up, "old_plan": "enterprise", "new_plan": "standard"})),
    outcome("upgrade after the plan expired",
            lambda: spec.calc("cloudbase.plans.upgrade_fee", {"old_plan": "personal", "new_plan": "standard",
                                                              "at": "2023-03-01", "expiry": "2023-02-01"})),
])

# %% [markdown]
# ## 新购 · New purchase

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
A new user first gets a free environment for {{ v("cloudbase.plan_ops.trial") }}, with the quotas of the
{{ v("cloudbase.plan_ops.trial_plan") }} plan; beyond them, pay-as-you-go can be switched on. The free-trial campaign at
the top of the price list describes the free environment differently (free until the mini program
launches): register `CB-PL-FREE-VS-TRIAL`.
""")

# %%
spec.show(spec.calc("cloudbase.plan_ops.trial", {"created": "2025-03-01"}), "A free environment created 2025-03-01")

# %% [markdown]
# ## 升配 · Upgrade
#
# An upgrade costs the difference between the two plans' monthly list prices, for the days from
# now to the unchanged expiry, with a month taken as 365/12 days, times a discount matched to the
# number of days:

# %% tags=["from-example:cloudbase.plan_ops.upgrade-start-2022-08-23"]
dp, d, k, M = sp.symbols(r"\Delta{p} d k M", positive=True)
fee_expr = dp * d / M * k


def fen(x):
    """An amount in whole fen (分), rounded half-up, as a sympy expression. The formulas are checked in
    fen so that sympy compares integers (its nsimplify rewrites some non-integer rationals)."""
    return sp.floor(100 * x + sp.Rational(1, 2))


upgrade = spec.at_example("cloudbase.plan_ops.upgrade-start-2022-08-23")  # the worked upgrade, at its own date
ex = upgrade.calc("cloudbase.plans.upgrade_window", {"old_plan": "personal", "new_plan": "standard", "start": "2022-07-01",
                                                     "expiry": "2022-10-01", "at": "2022-08-23"})
then = spec.cat.at("2022-08-23")  # the upgrade is priced at its order instant
diff = lineup.plan_price(then, "standard") - lineup.plan_price(then, "personal")
formula(r"100 \cdot \mathrm{fee}", fen(fee_expr), {dp: formulas.R(diff), d: 39, M: sp.Rational(365, 12),
                                            k: formulas.R(then.dec("cloudbase.plan_ops.upgrade_discount"))},
        ex["fee"] * 100, "Upgrade fee in fen (分), rounded half-up: personal → standard on 2022-08-23, expiry 2022-10-01 (39 days)")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
- **Days** are the calendar difference expiry − now; the monthly-plan notebook shows the guide's
  own split of 48 such days (31 + 16 + 1).
- **Discount** (适用折扣): matched downward by upgrade days against the discounts in force; the table
  is not given anywhere, so the catalog default is {{ v("cloudbase.plan_ops.upgrade_discount") }} (register
  `CB-PLANOPS-DISCOUNT`).
- **Prices**: the rule says *original* prices (原价), those in force at the order instant; the
  personal plan's {{ v("cloudbase.plan.personal.price") }} is a limited-time offer and its original price is not printed
  (register `CB-PLANOPS-LISTPRICE`).
- **Rank**: a move between two plans of the same price is an upgrade if the target ranks higher; its
  fee is then 0.
- Vouchers and gift balance (赠送金) may pay for an upgrade.
""")

# %% [markdown]
# **When the new quota applies.** The upgraded plan does not get a term of its own: its quota runs
# for what is left of the old plan's term, and no duration can be chosen (only a renewal chooses a
# duration). The guide's illustration: a personal plan valid 2022-07-01 → 2022-10-01, changed to
# standard on 2022-08-23, is standard from 2022-08-23 to 2022-10-01.

# %% tags=["cloudbase.plan_ops.upgrade-start-2022-08-23"]
spec.example("cloudbase.plan_ops.upgrade-start-2022-08-23")

# %% tags=["cloudbase.plan_ops.upgrade-end-2022-10-01"]
spec.example("cloudbase.plan_ops.upgrade-end-2022-10-01")

# %% [markdown]
# The fee shrinks linearly as the expiry approaches. At list prices, for each possible upgrade:

# %%
price = {p: lineup.plan_price(spec.cat, p) for p in priced}
moves = list(zip(priced, priced[1:])) + ([(priced[0], priced[-1])] if len(priced) > 2 else [])
days = list(range(0, 366, 5))
series = [(f"{a} → {b}", days, [BILLED((price[b] - price[a]) * n / AVERAGE_MONTH_DAYS) for n in days]) for a, b in moves]
charts.line_chart(series, "Upgrade fee at list prices", "days from the upgrade to the expiry", "CNY")

# %% [markdown]
# ## 降配 · Downgrade
#
# A downgrade returns the unused part of what was paid, less what the cheaper plan costs for the
# rest of the term:
#
# - refund of resources (资源清退退款) = cash of the current order + cash of orders not yet started
#   − consumed, where consumed = used days / total days × the order amount (a partial refund,
#   非全额退款);
# - new-purchase cost (资源新购费用) = the cheaper plan at its new-purchase price and discount for the
#   remaining days (the formula is only given in the monthly-plan section);
# - above zero the difference goes back the way it was paid; at or below zero the plan is downgraded
#   with no refund; vouchers and discounts used at purchase never come back.
#
# Only a plan whose quotas current usage fits can be the target.

# %%
bought = spec.cat.at("2022-11-01")
renewal = lineup.plan_price(bought, "enterprise")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Our example: an enterprise plan bought 2022-11-01 for three months
({{ (3 * dec("cloudbase.plan.enterprise.price", at="2022-11-01")) | yuan }} CNY cash at the price then), moved to standard on
2022-12-15, with a renewal for one more month already paid ({{ renewal | yuan }}, not started):
""", renewal=renewal)

# %%
spec.show(spec.calc("cloudbase.plans.downgrade_refund", {"old_plan": "enterprise", "new_plan": "standard", "months": "3",
                                                         "start": "2022-11-01", "at": "2022-12-15", "unstarted": str(renewal),
                                                         "used": {"storage_traffic_gb": "145"}}),
          "Enterprise → standard on 2022-12-15, with one unstarted renewal")

# %% [markdown]
# Under the price-list wording the not-yet-started renewal comes back in full, and the lower plan is
# bought only up to the current expiry; whether the renewed month is then re-bought at the lower
# plan is not said.
#
# The same downgrade with more storage traffic than standard allows is refused; the error names the
# metric and says what would unblock it (here: wait for the next billing cycle, since used traffic
# cannot be given back). Capacity is different: it can be cleaned up.

# %%
q = lambda m: lineup.quota_cell(spec.cat.at("2022-11-15"), "standard", m)
md_table(["request", "outcome"], [
    outcome(f"enterprise → standard, storage traffic 400 GB (standard: {q('storage_traffic_gb')})",
            lambda: plans.downgrade(spec.cat, "enterprise", "standard", 3, "2022-11-01", "2022-11-15",
                                    used={"storage_traffic_gb": "400"})),
    outcome(f"enterprise → standard, capacity 120 GB (standard: {q('capacity_gb')})",
            lambda: plans.downgrade(spec.cat, "enterprise", "standard", 3, "2022-11-01", "2022-11-15",
                                    used={"capacity_gb": "120"})),
    outcome("standard → personal, account in arrears",
            lambda: plans.downgrade(spec.cat, "standard", "personal", 3, "2022-11-01", "2022-11-15",
                                    account_in_arrears=True)),
])

# %% [markdown]
# ## 续费 · Renewal
#
# A renewal extends the expiry by the months bought, counted from the current expiry (anchor +
# n months). A plan that has already expired can be renewed during its isolation period; see
# *欠费说明* for the whole timeline.

# %%
spec.show(spec.calc("cloudbase.arrears.renew", {"expiry": "2023-01-31", "renewed_at": "2023-01-20", "months": "1"}),
          "A plan expiring 2023-01-31, renewed for a month on 2023-01-20")

# %% [markdown]
# ## 停用退费 · Destroying the environment
#
# Parts of an environment (say, only its cloud functions) cannot be stopped; only the whole
# environment can be destroyed. Destroying it refunds the plan fee in proportion to the valid time
# left over the current validity period; pay-as-you-go charges already incurred stay charged.

# %%
P, r, T = sp.symbols("P r T", positive=True)
dest = spec.calc("cloudbase.plans.destroy_refund", {"paid": "3000", "start": "2022-11-01", "months": "3", "at": "2022-12-15",
                                                   "payg_fees": "57.30"})
formula(r"100 \cdot \mathrm{refund}", fen(P * r / T), {P: 3000, r: 48, T: 93}, dest["refund"] * 100,
        "Destroy refund in fen: 3,000 paid for 2022-11-01 → 2023-02-01, destroyed 2022-12-15")

# %%
spec.show(dest, "The same destruction, step by step")

# %% [markdown]
# Destroying on the day of the monthly-plan section's downgrade example refunds exactly that
# example's refund of resources (1548.39): the day count is the same (register `CB-MONTHLY-DAYCOUNT`).
#
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
