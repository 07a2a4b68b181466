# %% [markdown]
# # 欠费说明 · Arrears
#
# *Source: API 网关 购买指南(已停售) › 欠费说明 (section revised 2024-11-05 14:59:02).*
#
# Calls and egress are billed hour by hour and each bill is taken from the account balance. When a
# bill leaves the balance below zero the account is in arrears (欠费). The gateway keeps serving for
# 24 hours, the 24th included; then calls stop and the account's creator and all its collaborators
# are told by mail and SMS. A top-up within 7 days of the suspension brings the service back by
# itself; after that the gateway may clear the API configuration and the data is destroyed. A
# resource pack that is still valid changes none of this (资源包计费 › 购买须知). The guide prints no
# dates here, so the dated figures below start from an arrears moment of our choosing.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.engine.money import D

spec = Spec(catalog, "apigw.arrears", as_of)
spec.entries("apigw.arrears")

# %% [markdown]
# ## 账单周期 · Billing periods
#
# Both metered items are billed per hour; the period itself is the one entry of *共享实例计费*
# (`apigw.settlement.period`). A bill appears up to 30 minutes after its hour ends, so an account
# whose 07:00–08:00 bill cannot be paid goes into arrears at 08:30 at the latest.

# %%
spec.rows("apigw.arrears.billing_periods")

# %% tags=["apigw.arrears.calls-hourly"]
spec.example("apigw.arrears.calls-hourly")

# %% tags=["apigw.arrears.egress-hourly"]
spec.example("apigw.arrears.egress-hourly")

# %% [markdown]
# ## 欠费与停服 · The timeline
#
# From the moment the balance goes negative, 2023-05-10 08:30:00 in our example:

# %% tags=["apigw.arrears.grace-hours"]
spec.example("apigw.arrears.grace-hours")

# %% tags=["apigw.arrears.last-service"]
spec.example("apigw.arrears.last-service")

# %% tags=["apigw.arrears.restore-days"]
spec.example("apigw.arrears.restore-days")

# %% tags=["apigw.arrears.restore-deadline"]
spec.example("apigw.arrears.restore-deadline")

# %% [markdown]
# Who is told, and how:

# %%
spec.rows("apigw.arrears.notice")

# %% [markdown]
# The last moment a top-up can restore service sits grace + window after the arrears start under the
# default readings (g = 24 h, w = 7 × 24 h):

# %%
import sympy as sp
from pricing.rules.apigw.arrears import timeline
g, w = sp.symbols("g w", positive=True)
t = timeline(spec.cat, "2023-05-10T08:30:00")
hours = D(int((t["restore_deadline"] - t["negative_at"]).total_seconds())) / 3600
formula(r"t_{\mathrm{restore}} - t_{0}", g + w, {g: formulas.R(t["grace_hours"]), w: formulas.R(t["restore_days"] * 24)},
        hours, "Hours from the arrears start to the restore deadline")

# %% [markdown]
# ### Every event under every reading
#
# The section leaves three boundaries open (register below): where the 24 hours end, when the 7 days
# begin, and when the mail goes out. The same arrears, event by event:

# %%
readings = [("default", {}),
            ("grace ends before the 24th hour's instant", {"apigw.arrears.grace_boundary": "instant-exclusive"}),
            ("grace in whole settlement hours", {"apigw.arrears.grace_boundary": "whole-hours"}),
            ("7 days from the arrears start", {"apigw.arrears.restore_from": "arrears-start"}),
            ("7 calendar days", {"apigw.arrears.restore_from": "calendar-days"}),
            ("notice when arrears begin", {"apigw.arrears.notice_at": "at-arrears-start"})]
runs = [(label, timeline(spec.cat, "2023-05-10T08:30:00", pol)) for label, pol in readings]
events = [("last second with service", "last_service_second"), ("calls stopped from", "suspended_from"),
          ("mail and SMS", "notice_at"), ("last moment a top-up restores", "restore_deadline"),
          ("configuration may be cleared from", "destroy_eligible_from")]
md_table(["reading"] + [e for e, _ in events], [[label] + [r[k] for _, k in events] for label, r in runs])

# %% [markdown]
# The chart follows the service from the arrears start: in service (2), suspended but restorable by a
# top-up (1), past the window (0). Counting the 7 days from the arrears start takes a whole day off
# the window; counting calendar days adds up to a day to it.

# %%
from pricing.rules.apigw.arrears import state_curve
series = []
for label, pol in (readings[0], readings[3], readings[4]):
    xs, ys = state_curve(timeline(spec.cat, "2023-05-10T08:30:00", pol), 216)
    series.append((label, [D(x) for x in xs], [D(y) for y in ys]))
charts.line_chart(series, "Arrears from 2023-05-10 08:30:00: 2 in service, 1 suspended, 0 may be destroyed",
                  "hours after the balance went negative", "state", step=True,
                  vlines=[(24, "24 h"), (192, "24 h + 7 days")])

# %% [markdown]
# ## 续费恢复 · Topping up
#
# Paid within the 24 hours, the debt never stops the service; paid within the window, the service
# comes back by itself; paid later, the configuration may already be gone. A debt of 50 yuan:

# %% tags=["apigw.arrears.topup-in-grace"]
spec.example("apigw.arrears.topup-in-grace")

# %% tags=["apigw.arrears.topup-restores"]
spec.example("apigw.arrears.topup-restores")

# %% tags=["apigw.arrears.topup-too-late"]
spec.example("apigw.arrears.topup-too-late")

# %% [markdown]
# A top-up of 30 yuan against that debt leaves the balance negative; whether it restores the service
# is not said (register `APIGW-ARREARS-TOPUP`):

# %%
spec.show(spec.calc("apigw.arrears.timeline", {"negative_at": "2023-05-10T08:30:00", "topup_at": "2023-05-15T09:00:00",
                                               "debt": "50", "topup": "30"}), "Partial top-up on day 5 of the suspension")

# %% [markdown]
# ## Bad input · 错误输入

# %%
from pricing.engine.errors import PricingError
bad = []
for label, inputs in (("top-up before the arrears began", {"negative_at": "2023-05-10T08:30:00", "topup_at": "2023-05-09T08:00:00"}),
                      ("negative debt", {"negative_at": "2023-05-10T08:30:00", "topup_at": "2023-05-11T08:00:00", "debt": "-5"}),
                      ("not a date", {"negative_at": "yesterday"})):
    try:
        spec.calc("apigw.arrears.timeline", inputs)
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
