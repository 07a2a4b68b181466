# %% [markdown]
# # 资源包计费·退费说明 · Resource-pack billing: refunds
#
# *Source: API 网关 购买指南(已停售) › 资源包计费 › 退费说明 (section revised 2024-05-17 11:30:31).*
#
# A pack can be given back in the console (自助退费, self-service) when every condition holds;
# the refund then returns every yuan paid except vouchers, to the account that paid, and the pack
# is destroyed. A pack that fails a condition (the section's example: one that has been used) can be
# refunded through a ticket (工单退费) instead, which returns what remains of it; the pack then
# lapses. This notebook turns the conditions into a rule that names which ones fail, and computes
# what each route pays back.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.engine.money import D

spec = Spec(catalog, "apigw.pack_refunds", as_of)
spec.entries("apigw.pack_refunds")

# %% [markdown]
# ## 退费条件 · The conditions

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Self-service needs all {{ rows("apigw.pack_refunds.conditions") | length }} at once:
{% for r in rows("apigw.pack_refunds.conditions") %}{{ r.en }} ({{ r.zh }}){{ "; " if not loop.last else "." }}{% endfor %}
The section names no order type but the new purchase (新购). The rule `apigw.pack_refunds.refund`
checks each condition, under the rules in force when the refund is asked for, and reports the ones
that fail.
""")

# %%
spec.rows("apigw.pack_refunds.conditions")

# %%
spec.rows("apigw.pack_refunds.routes")

# %% [markdown]
# ## 退还方式 · What comes back
#
# Money paid by voucher (代金券) never comes back. Cash (现金) and gift credit (赠送金) go back to the
# paying account, each as what it was.

# %%
spec.rows("apigw.pack_refunds.payment")

# %% [markdown]
# ## 示例 · One pack, five requests
#
# A 5,000,000-call pack bought 2023-02-01 08:00:00 (new purchase) for 80 yuan cash, 5 yuan of gift
# credit and a 20-yuan voucher (our figures: the section prints no price). Asked back the next day,
# unused, every condition holds:

# %% tags=["apigw.pack_refunds.unused-self-service"]
spec.example("apigw.pack_refunds.unused-self-service")

# %% tags=["apigw.pack_refunds.voucher-kept"]
spec.example("apigw.pack_refunds.voucher-kept")

# %% [markdown]
# Once 3,500,000 of its calls have been used, self-service is refused and a ticket is the way:

# %% tags=["apigw.pack_refunds.used-ticket"]
spec.example("apigw.pack_refunds.used-ticket")

# %% tags=["apigw.pack_refunds.used-fails"]
spec.example("apigw.pack_refunds.used-fails")

# %% [markdown]
# A free-quota pack is never refunded, used or not; a pack whose order is not a new purchase, or
# asked back at the very instant it lapses (2023-03-03 08:00:00), fails one condition each:

# %% tags=["apigw.pack_refunds.free-quota-none"]
spec.example("apigw.pack_refunds.free-quota-none")

# %% tags=["apigw.pack_refunds.free-quota-fails"]
spec.example("apigw.pack_refunds.free-quota-fails")

# %% tags=["apigw.pack_refunds.other-order-fails"]
spec.example("apigw.pack_refunds.other-order-fails")

# %% tags=["apigw.pack_refunds.lapsed-fails"]
spec.example("apigw.pack_refunds.lapsed-fails")

# %% [markdown]
# ## 工单退费 · How much a ticket returns

# %% tags=["prose"] jupyter={"source_hidden": true}
from datetime import datetime, timedelta
used = {"source": "self-service", "purchased": "2023-02-01T08:00:00", "requested": "2023-02-11T08:00:00",
        "amount": "500万", "used": "350万", "cash": "80", "voucher": "20"}
from pricing.rules.apigw.packs import validity
life = validity(spec.cat, used["purchased"])
day = D(86400)
spec.md("""
"What remains" is not defined. By quantity, the used pack above still holds 1,500,000 of its
5,000,000 calls; by time, {{ left | trim }} of its {{ total | trim }} days are left when it is asked back
on 2023-02-11 08:00:00. With s the remaining share, the non-voucher money comes back in proportion
(each means of payment rounded to the fen):
""", left=D((life["lapses_at"] - datetime(2023, 2, 11, 8)) // timedelta(seconds=1)) / day, total=life["days"])

# %%
import sympy as sp
s, cash, gift, A, u = sp.symbols("s cash gift A u", nonnegative=True)
by_qty = spec.calc("apigw.pack_refunds.refund", used)
formula(r"\mathrm{refund}", ((A - u) / A) * (cash + gift), {A: 5000000, u: 3500000, cash: 80, gift: 0},
        by_qty["refund"], "Ticket refund, remaining by quantity")

# %%
spec.show(by_qty, "Ticket refund, remaining by quantity (default)")

# %%
by_time = spec.calc("apigw.pack_refunds.refund", used, {"apigw.pack_refunds.remaining": "unused-time"})
spec.show(by_time, "Ticket refund, remaining by time")

# %% [markdown]
# The two readings part company as the month goes on. The chart asks the same used pack back on
# each day of its life: by quantity the refund stays at 30% of the cash until the pack lapses; by
# time it falls every day.

# %%
from datetime import datetime, timedelta
bought = datetime(2023, 2, 1, 8)
day_list = list(range(1, 31))
series = []
for reading in ("unused-quantity", "unused-time"):
    ys = [spec.calc("apigw.pack_refunds.refund", {**used, "requested": (bought + timedelta(days=d)).isoformat()},
                    {"apigw.pack_refunds.remaining": reading})["refund"] for d in day_list]
    series.append((reading, [D(d) for d in day_list], ys))
charts.line_chart(series, "Ticket refund of a pack with 3,500,000 of 5,000,000 calls used (80 cash)",
                  "days from the purchase to the request", "CNY back", step=True)

# %% [markdown]
# ## Bad input · 错误输入
#
# A refund cannot be asked for before the pack was bought, nor can more than the pack be used; the
# rule refuses both and names the field.

# %%
from pricing.engine.errors import PricingError
bad = []
for label, change in (("request dated before the purchase", {"requested": "2023-01-31T08:00:00"}),
                      ("more used than the pack holds", {"used": "600万"}),
                      ("an unknown source", {"source": "gift"})):
    try:
        spec.calc("apigw.pack_refunds.refund", {**used, **change})
        bad.append([label, "accepted (wrong)"])
    except PricingError as e:
        bad.append([label, str(e)])
md_table(["input", "refused with"], bad)

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
