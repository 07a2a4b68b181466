# %% [markdown]
# # 资源包退费说明 · Resource-pack refunds
#
# *Source: 云开发 CloudBase 购买指南 › 资源包退费说明 (section revised 2025-05-26 15:55:42).*
#
# A CloudBase resource pack (资源包) can be handed back only while nothing of it has been used; after
# the first unit of use it is never refunded. An eligible refund gives back everything the order took
# from the cash (现金账户), income-transfer (收益转入账户) and gift (赠送账户) balances, into the
# Tencent Cloud account it came from; deductions and vouchers (抵扣 / 代金券) are kept. Tencent Cloud may
# refuse a request it suspects to be abnormal or abusive. The refund is requested from the console, on
# the pack's row (申请退款).
#
# Two things in the section deserve an auditor's attention: its heading promises a no-questions-asked
# refund within a number of days (7天无理由退款) that none of the rules repeats, and its **screenshot**
# shows a pack that starts at the section's own revision instant and lasts longer than the price list
# lets an extension pack run. A refund is judged under the terms in force when the pack was bought.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.rules.cloudbase import pack_refunds as pr
from pricing.engine.errors import PricingError

spec = Spec(catalog, "cloudbase.pack_refunds", as_of)
spec.entries("cloudbase.pack_refunds.")

# %% tags=["prose", "from-example:cloudbase.pack_refunds.screenshot-end"] jupyter={"source_hidden": true}
screen = spec.at_example("cloudbase.pack_refunds.screenshot-end")  # the screenshot, at the example's date
screen.md("""
The heading's window is {{ v("cloudbase.pack_refunds.no_reason_window") }}; the screenshot's pack runs
{{ shot["days"] }} days, from {{ shot["start"] }} to {{ shot["end"] }}, where the price list gives an extension pack
{{ v("cloudbase.pricelist.pack.validity") }}.
""", shot=screen.calc("cloudbase.pack_refunds.screenshot"))

# %% [markdown]
# ## 退款规则 · Who gets what back
#
# What comes back depends on the balance that paid. The table is data; the rule adds the "yes" rows.

# %%
spec.rows("cloudbase.pack_refunds.balances")

# %% [markdown]
# An unused pack, bought for 420 yuan (370 cash, 30 gift, 20 voucher) and returned two days later:

# %%
spec.show(spec.calc("cloudbase.pack_refunds.assess",
                    {"purchased_at": "2025-05-26T15:55:42", "requested_at": "2025-05-28T10:00:00", "used": "0",
                     "paid": {"cash": "370", "gift": "30", "voucher": "20"}}),
          "Unused pack, returned after two days")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Stated as a formula: with $u$ the units used, $t$ the time since purchase and $W$ the no-reason window of
{{ v("cloudbase.pack_refunds.no_reason_window") }} (default reading), the refund is the sum of the
{{ refunded | length }} refundable balances ({{ refunded | join(", ") }}) or nothing. Checked on a pack of our own,
bought 2025-05-26 15:55:42 (the window in force then):
""", refunded=[r["balance"] for r in spec.cat.at("2025-05-26T15:55:42").rows("cloudbase.pack_refunds.balances")
                 if r["refunded"] == "yes"],
    at="2025-05-26T15:55:42")

# %%
import sympy as sp
c, i, g, u, t = sp.symbols("c i g u t", nonnegative=True)
W = sp.Integer(spec.cat.at("2025-05-26T15:55:42").duration("cloudbase.pack_refunds.no_reason_window").days * 24)
refund = sp.Piecewise((c + i + g, sp.And(sp.Eq(u, 0), t < W)), (0, True))
ex = spec.calc("cloudbase.pack_refunds.assess", {"purchased_at": "2025-05-26T15:55:42", "requested_at": "2025-05-28T10:00:00",
                                                  "used": "0", "paid": {"cash": "350", "gift": "30", "voucher": "20"}})
from datetime import datetime, timedelta
span = datetime(2025, 5, 28, 10) - datetime(2025, 5, 26, 15, 55, 42)
hours = sp.Rational(span.days * 86400 + span.seconds, 3600)
formula(r"\mathrm{refund}", refund, {c: 350, i: 0, g: 30, u: 0, t: hours}, ex["refund"],
        "Refund of an unused pack within the window (t in hours; vouchers never enter)")

# %% [markdown]
# Requests the rules turn down, and inputs that cannot be priced. Each outcome below is the package's own
# answer (an error names the field and what would have been allowed):

# %%
def attempt(label, **kw):
    try:
        r = pr.refund(spec.cat, **kw)
        return [label, "refund", r["refund"], ""]
    except PricingError as e:
        return [label, type(e).__name__, "—", str(e)]

bought = datetime(2025, 5, 26, 15, 55, 42)
window = spec.cat.at(bought).timedelta("cloudbase.pack_refunds.no_reason_window")  # in force at the purchase
md_table(["request", "outcome", "refund (CNY)", "why"], [
    attempt("unused, after 3 days", purchased_at="2025-05-26T15:55:42", requested_at="2025-05-29T15:55:42", used="0", paid={"cash": "400"}),
    attempt("one unit used", purchased_at="2025-05-26T15:55:42", requested_at="2025-05-26T16:00:00", used="1", paid={"cash": "400"}),
    attempt("unused, one second inside the window", purchased_at=bought, requested_at=bought + window - timedelta(seconds=1), used="0", paid={"cash": "400"}),
    attempt("unused, when the window closes", purchased_at=bought, requested_at=bought + window, used="0", paid={"cash": "400"}),
    attempt("unused, flagged as suspicious", purchased_at="2025-05-26T15:55:42", requested_at="2025-05-27T00:00:00", used="0", paid={"cash": "400"}, suspicious=True),
    attempt("requested before the purchase", purchased_at="2025-05-26T15:55:42", requested_at="2025-05-20T00:00:00", used="0", paid={"cash": "400"}),
    attempt("negative usage", purchased_at="2025-05-26T15:55:42", requested_at="2025-05-27T00:00:00", used="-3", paid={"cash": "400"}),
])

# %% [markdown]
# ## 七天 · The days of the heading

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The heading and the last rule speak of a no-questions-asked refund within {{ v("cloudbase.pack_refunds.no_reason_window") }};
the eligibility rules themselves look only at usage. By default a request must arrive within
{{ window.days }} × 24 hours of the purchase, the window in force when the pack was bought; the other reading
(no deadline) stays computable — see `CB-REFUND-7DAY` below.
""", window=spec.cat.timedelta("cloudbase.pack_refunds.no_reason_window"))

# %% [markdown]
# ## 界面示例 · The screenshot
#
# The console screenshot lists one pack, unused, with its start and end:

# %%
spec.rows("cloudbase.pack_refunds.screenshot")

# %% tags=["from-example:cloudbase.pack_refunds.screenshot-end"]
screen.show(screen.calc("cloudbase.pack_refunds.screenshot"), "The screenshot's row read as data")

# %% tags=["cloudbase.pack_refunds.screenshot-end"]
spec.example("cloudbase.pack_refunds.screenshot-end")

# %% tags=["prose", "from-example:cloudbase.pack_refunds.screenshot-end"] jupyter={"source_hidden": true}
screen.md("""
The pack runs {{ v("cloudbase.pack_refunds.screenshot_validity") }}, {{ shot["days"] }} days, whereas the price list makes
extension packs valid for {{ v("cloudbase.pricelist.pack.validity") }} counted as natural days; its start is the section's
revision instant to the second. The chart sets the readings side by side (hours of validity from the printed start):
""", shot=screen.calc("cloudbase.pack_refunds.screenshot"))

# %% tags=["from-example:cloudbase.pack_refunds.screenshot-end"]
readings = ["calendar-month", "30x24h", "natural-days"]  # cloudbase.pricelist.pack_window (CB-PL-PACK-30D)
spans = [screen.calc("cloudbase.pack_refunds.validity", {"start": "2025-05-26T15:55:42"},
                   {"cloudbase.pricelist.pack_window": r})["span_hours"] for r in readings]
from pricing.engine.money import D, round_at
md_table(["reading", "hours of validity", "days"], [[r, h, round_at(D(h) / 24, "0.01")] for r, h in zip(readings, spans)])

# %% tags=["from-example:cloudbase.pack_refunds.screenshot-end"]
charts.bar_chart(readings, spans, "Screenshot pack from 2025-05-26 15:55:42: validity under each reading", "hours")

# %% tags=["prose", "from-example:cloudbase.pack_refunds.screenshot-end"] jupyter={"source_hidden": true}
screen.md("""
The pack's size, {{ shot["spec"] | n }}, matches none of the extension packs on sale; the only pack of that size in
the guide is the free token gift, valid {{ v("cloudbase.pricelist.tokens.gift_validity") }}. We take the row as an illustration: no refund rule
depends on the pack's size.
""", shot=screen.calc("cloudbase.pack_refunds.screenshot"))

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
