# %% [markdown]
# # 专享实例计费·退费说明 · Dedicated-instance billing: refunds
#
# *Source: API 网关 购买指南(已停售) › 专享实例计费 › 退费说明 (section revised 2024-11-05 14:59:02).*
#
# How money comes back when a dedicated instance (专享实例) is given up. A **pay-as-you-go** instance
# is simply released: billing stops and there is nothing to refund. A **monthly** instance can be
# returned from the console: shortly after a new purchase each customer (主体) may return an instance
# for any reason and get back everything paid; any other return is refunded pro rata, the value of
# the time already used being kept. Vouchers and deductions (代金券 / 抵扣) never come back, refunds
# land in the account balance, and a returned instance is isolated (隔离中) for a while and then
# destroyed. Tencent Cloud may refuse returns it judges abnormal or abusive; that judgement is not
# computable and is left out. The refund rules are those in force when the refund is asked for; the
# refunded order keeps the price it was bought at.

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
# ## 包年包月退费 · Monthly: the no-reason refund (五天无理由退还)

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Conditions, as we read them: the order is a new purchase ({{ cell("apigw.dedicated.order_types", "type",
v("apigw.dedicated.refund.no_reason_order_type"), "zh") }}), not a renewal; the customer has had fewer
than {{ v("apigw.dedicated.refund.no_reason_per_customer") }} no-reason refund(s) on other dedicated
instances; the return comes within {{ v("apigw.dedicated.refund.no_reason_days") }} of the purchase,
the last day included. What comes back is the whole amount paid from the
{% for r in rows("apigw.dedicated.refund.payment") if r.refunded == "yes" %}{{ r.means }} ({{ r.zh }}){{ ", " if not loop.last }}{% endfor %}
balances. (The section's opening sentence calls the product 专项实例, a slip for 专享实例; we read it
as the dedicated instance.)
""")

# %% tags=["apigw.dedicated_refunds.no-reason-7285.40"]
spec.example("apigw.dedicated_refunds.no-reason-7285.40")

# %% tags=["apigw.dedicated_refunds.no-reason-balances-7285.40"]
spec.example("apigw.dedicated_refunds.no-reason-balances-7285.40")

# %% tags=["prose"] jupyter={"source_hidden": true}
order = spec.calc("apigw.dedicated.monthly_order", {"edition": "professional", "ordered_at": "2022-04-01T15:00:00"})
voucher = D("1000")  # a voucher of our own choosing; the rest of the order's price is paid in cash
vouched = spec.calc("apigw.dedicated.refund.monthly", {"edition": "professional", "bought_at": "2022-04-01T15:00:00",
                                                       "refund_at": "2022-04-03T10:00:00",
                                                       "cash": str(order["amount"] - voucher), "voucher": str(voucher)})
spec.md("""
A voucher is never returned, even by the no-reason refund: the same order paid {{ cash }} in cash and
{{ kept }} by voucher brings back {{ back }}.
""", cash=vouched["order"] - vouched["kept"], kept=vouched["kept"], back=vouched["refund"])

# %%
spec.show(vouched, "No-reason refund of an order paid partly by voucher")

# %%
from pricing.rules.apigw.refunds import window_last
hours_reading = {"apigw.dedicated.refund.window": "120-hours"}
rows = []
for t in ("2022-04-01T00:00:01", "2022-04-01T15:00:00", "2022-04-01T23:59:59"):
    b = datetime.fromisoformat(t)
    at = spec.cat.at(b)  # the window in force for a refund asked for soon after the purchase
    rows.append([b, window_last(at, b), window_last(at, b, hours_reading)])
md_table(["bought", "last instant: calendar days (default)", "last instant: counted in hours"], rows)

# %% tags=["prose"] jupyter={"source_hidden": true}
gaps = [r[2] - r[1] for r in rows]
spec.md("""
**When does the window end?** Counted as calendar days with the purchase day as day 1, a purchase at
2022-04-01 15:00 may be returned until {{ cal }}; counted as {{ v("apigw.dedicated.refund.no_reason_days") }}
of 24 hours from the purchase instant, until {{ hrs }} (register `APIGW-DED-REFUND-WINDOW`). The gap
grows from {{ small }} s to {{ large }} s (a whole day) the later in the day the purchase was made.
""", at="2022-04-01T15:00:00", cal=rows[1][1], hrs=rows[1][2],
     small=gaps[0] // timedelta(seconds=1), large=gaps[-1] // timedelta(seconds=1))

# %% [markdown]
# ## Pro-rata refund · 按已使用时长折算

# %% tags=["prose"] jupyter={"source_hidden": true}
q = spec.calc("apigw.dedicated.refund.monthly", {"edition": "professional", "bought_at": "2022-04-01T15:00:00",
                                                 "refund_at": "2022-04-09T03:00:00"})
unit_reading = "apigw.dedicated.refund.time_unit"
spec.md("""
Outside the no-reason rule the refund is what was paid from balances, times the share of the term not
yet used: $R = A \\cdot (T - u) / T$, with $A$ the amount paid from balances, $T$ the term and $u$ the
time used, both in one unit. By default (`{{ reading }}`, register `APIGW-DED-REFUND-UNIT`) the unit is the
day and every day begun counts as used; the reading `seconds` counts the exact seconds instead. The result is
rounded half-up to the fen once. A professional month bought 2022-04-01 15:00 and returned
2022-04-09 03:00 has used {{ q["time_used"] }} of its {{ q["term_length"] }} days, the last of them only begun:
""", q=q, reading=q.policies[unit_reading])

# %%
spec.show(q, "Pro-rata refund, returned 2022-04-09 03:00")

# %%
import sympy as sp
A, T, u = sp.symbols("A T u", positive=True)
formula("R", A * (T - u) / T, {A: formulas.R(q["order"]), T: int(q["term_length"]), u: int(q["time_used"])}, q["exact"],
        f"Pro-rata refund, T and u in days ({q.policies[unit_reading]}, the default)")

# %%
seconds = {unit_reading: "seconds"}
q_s = spec.calc("apigw.dedicated.refund.monthly", {"edition": "professional", "bought_at": "2022-04-01T15:00:00",
                                                   "refund_at": "2022-04-09T03:00:00"}, seconds)
formula("R", A * (T - u) / T, {A: formulas.R(q_s["order"]), T: int(q_s["term_length"]), u: int(q_s["time_used"])},
        q_s["exact"], "Pro-rata refund, T and u in seconds (reading seconds)")

# %% tags=["prose"] jupyter={"source_hidden": true}
longer = rows[1][2] - rows[1][1]
spec.md("""
The refund as a function of the moment of return, for a professional month bought 2022-04-01 15:00.
The default readings drop from the full amount to the pro-rata steps at the end of the last calendar
day of the window, one step down as each day begins; counting the window in hours keeps the full amount
{{ hours }} hours longer; counting seconds instead of started days turns the steps into a sloping line.
""", hours=(longer + timedelta(seconds=1)) // timedelta(hours=1))

# %%
bought = datetime(2022, 4, 1, 15)
hours = list(range(0, 30 * 24, 6))
def curve(pol):
    return [spec.calc("apigw.dedicated.refund.monthly", {"edition": "professional", "bought_at": bought.isoformat(),
                      "refund_at": (bought + timedelta(hours=h)).isoformat()}, pol)["refund"] for h in hours]
days = [D(h) / 24 for h in hours]
charts.line_chart([("calendar-day window, started days used (default)", days, curve({})),
                   ("window counted in hours", days, curve(hours_reading)),
                   ("seconds used", days, curve(seconds))],
                  "Professional month bought 2022-04-01 15:00: refund by time of return",
                  "days since purchase", "CNY refunded")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The rules section also says a monthly instance is used for at least {{ v("apigw.dedicated.monthly.min_term") }},
which a pro-rata refund of a one-month order contradicts (register `APIGW-DED-MIN-TERM`); and with a
voucher in the order, the share of the used value the voucher bears is open (register
`APIGW-DED-REFUND-VOUCHER`).
""")

# %% [markdown]
# ## 隔离与销毁 · After the refund: isolation, then destruction

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The instance is isolated from the moment the refund is submitted and destroyed
{{ v("apigw.dedicated.refund.isolation") }} later (the period in force at the refund).
""")

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
# pro rata, as the guide prescribes for every return outside the no-reason rule:

# %%
spec.show(spec.calc("apigw.dedicated.refund.monthly", {**base, "refund_at": "2022-04-02T15:00:00", "prior_no_reason": "1"}),
          "The customer's second return inside the window: pro rata")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
