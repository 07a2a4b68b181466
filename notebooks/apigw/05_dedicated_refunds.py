# %% [markdown]
# # 专享实例计费·退费说明 · Dedicated-instance billing: refunds
#
# *Source: API 网关 购买指南(已停售) › 专享实例计费 › 退费说明 (section revised 2024-11-05 14:59:02).*
#
# How money comes back when a dedicated instance (专享实例) is given up. A **pay-as-you-go** instance
# is simply released: billing stops and there is nothing to refund. A **monthly** instance can be
# returned from the console: within five days of a new purchase each customer (主体) may return one
# instance for any reason and get back everything paid; any other return is refunded pro rata, the
# value of the time already used being kept. Vouchers and deductions (代金券 / 抵扣) never come back,
# refunds land in the account balance, and a returned instance is isolated (隔离中) for seven days and
# then destroyed. Tencent Cloud may refuse returns it judges abnormal or abusive; that judgement is not
# computable and is left out.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from datetime import datetime, timedelta

from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.engine.errors import PricingError
from pricing.engine.money import D

spec = Spec(catalog, "apigw.dedicated_refunds", as_of)
spec.entries("apigw.dedicated.refund")

# %% [markdown]
# ## 按量计费退费 · Pay-as-you-go: release, no refund
#
# Releasing the instance ends its billing. The seconds it ran are settled at the next whole hour like
# any other pay-as-you-go time (see *计费规则*); no refund process is involved.

# %% tags=["apigw.dedicated_refunds.payg-release-0"]
spec.example("apigw.dedicated_refunds.payg-release-0")

# %% [markdown]
# ## 包年包月退费 · Monthly: the five-day no-reason refund
#
# Conditions, as we read them: the order is a new purchase (新购), not a renewal; the customer has not
# used its one no-reason refund on another dedicated instance; the return comes within five days of
# the purchase, the fifth day included. What comes back is the whole amount paid from the cash,
# income-transfer and gift balances. (The section's opening sentence calls the product 专项实例, a
# slip for 专享实例: register `APIGW-DED-NAME`.)

# %% tags=["apigw.dedicated_refunds.no-reason-7285.40"]
spec.example("apigw.dedicated_refunds.no-reason-7285.40")

# %% tags=["apigw.dedicated_refunds.no-reason-balances-7285.40"]
spec.example("apigw.dedicated_refunds.no-reason-balances-7285.40")

# %% [markdown]
# A voucher is never returned, even by the no-reason refund: the same order paid 6285.40 in cash and
# 1000 by voucher brings back 6285.40.

# %%
spec.show(spec.calc("apigw.dedicated.refund.monthly", {"edition": "professional", "bought_at": "2022-04-01T15:00:00",
                                                       "refund_at": "2022-04-03T10:00:00", "cash": "6285.40",
                                                       "voucher": "1000"}),
          "No-reason refund of an order paid partly by voucher")

# %% [markdown]
# **When do the five days end?** Counted as calendar days with the purchase day as day 1, a purchase at
# 2022-04-01 15:00 may be returned until 2022-04-05 23:59:59; counted as 120 hours from the purchase
# instant, until 2022-04-06 15:00:00 (register `APIGW-DED-REFUND-WINDOW`). The gap is up to a day, and
# it grows from two seconds to a whole day the later in the day the purchase was made:

# %%
from pricing.rules.apigw.refunds import window_last
rows = []
for t in ("2022-04-01T00:00:01", "2022-04-01T15:00:00", "2022-04-01T23:59:59"):
    b = datetime.fromisoformat(t)
    rows.append([b, window_last(spec.cat, b), window_last(spec.cat, b, {"apigw.dedicated.refund.window": "120-hours"})])
md_table(["bought", "last instant: calendar days (default)", "last instant: 120 hours"], rows)

# %% [markdown]
# ## Pro-rata refund · 按已使用时长折算
#
# Outside the five-day rule the refund is what was paid from balances, times the share of the term not
# yet used: $R = A \cdot (T - u) / T$, with $A$ the amount paid from balances, $T$ the term and $u$ the
# time used, both in one unit (seconds by default; register `APIGW-DED-REFUND-UNIT`). The result is
# rounded half-up to the fen once. A professional month bought 2022-04-01 15:00 and returned
# 2022-04-09 03:00 has used 7.5 of its 30 days:

# %%
q = spec.calc("apigw.dedicated.refund.monthly", {"edition": "professional", "bought_at": "2022-04-01T15:00:00",
                                                 "refund_at": "2022-04-09T03:00:00"})
spec.show(q, "Pro-rata refund after 7.5 days")

# %%
import sympy as sp
A, T, u = sp.symbols("A T u", positive=True)
formula("R", A * (T - u) / T, {A: formulas.R(q["order"]), T: 30 * 86400, u: 7 * 86400 + 12 * 3600}, q["exact"],
        "Pro-rata refund, in seconds")

# %% [markdown]
# The refund as a function of the moment of return, for a professional month bought 2022-04-01 15:00.
# The default readings drop from the full amount to the pro-rata line at the end of the fifth calendar
# day; the 120-hour window keeps the full amount fifteen hours longer; counting started days instead of
# seconds turns the line into steps.

# %%
bought = datetime(2022, 4, 1, 15)
hours = list(range(0, 30 * 24, 6))
def curve(pol):
    return [spec.calc("apigw.dedicated.refund.monthly", {"edition": "professional", "bought_at": bought.isoformat(),
                      "refund_at": (bought + timedelta(hours=h)).isoformat()}, pol)["refund"] for h in hours]
days = [D(h) / 24 for h in hours]
charts.line_chart([("calendar-day window, seconds (default)", days, curve({})),
                   ("120-hour window", days, curve({"apigw.dedicated.refund.window": "120-hours"})),
                   ("started days used", days, curve({"apigw.dedicated.refund.time_unit": "started-days"}))],
                  "Professional month bought 2022-04-01 15:00: refund by time of return",
                  "days since purchase", "CNY refunded")

# %% [markdown]
# The rules section also says a monthly instance is used for at least a month, which a pro-rata refund
# of a one-month order contradicts (register `APIGW-DED-MIN-TERM`); and with a voucher in the order,
# the share of the used value the voucher bears is open (register `APIGW-DED-REFUND-VOUCHER`).
#
# ## 隔离与销毁 · After the refund: isolation, then destruction
#
# The instance is isolated from the moment the refund is submitted and destroyed seven days later.

# %% tags=["apigw.dedicated_refunds.isolation-7"]
spec.example("apigw.dedicated_refunds.isolation-7")

# %% [markdown]
# ## Requests the rules refuse
#
# Each is an error naming the field and what would be allowed, never a number.

# %%
base = {"edition": "professional", "bought_at": "2022-04-01T15:00:00"}
cases = [
    ("refund before the purchase", {**base, "refund_at": "2022-03-31T15:00:00"}),
    ("a negative amount", {**base, "refund_at": "2022-04-02T15:00:00", "cash": "-5"}),
    ("amounts that do not add up to the price", {**base, "refund_at": "2022-04-02T15:00:00", "cash": "5"}),
    ("a second no-reason refund for the customer", {**base, "refund_at": "2022-04-02T15:00:00", "prior_no_reason": "1",
                                                     "claim": "no-reason"}),
    ("a no-reason refund of a renewal", {**base, "refund_at": "2022-04-02T15:00:00", "order_type": "renewal",
                                          "claim": "no-reason"}),
    ("a return after the term ended", {**base, "refund_at": "2022-05-01T15:00:00"}),
    ("the flagship edition", {**base, "edition": "flagship", "refund_at": "2022-04-02T15:00:00"}),
]
out = []
for what, inp in cases:
    try:
        spec.calc("apigw.dedicated.refund.monthly", inp)
        out.append([what, "accepted (unexpected)"])
    except PricingError as e:
        out.append([what, f"{type(e).__name__}: {e}"])
md_table(["request", "answer"], out)

# %% [markdown]
# Without insisting on the no-reason refund, the second return of the same customer is simply refunded
# pro rata, as the guide prescribes for every return outside the five-day rule:

# %%
spec.show(spec.calc("apigw.dedicated.refund.monthly", {**base, "refund_at": "2022-04-02T15:00:00", "prior_no_reason": "1"}),
          "The customer's second return within five days: pro rata")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
