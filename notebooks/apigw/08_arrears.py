# %% [markdown]
# # 欠费说明 · Arrears
#
# *Source: API 网关 购买指南(已停售) › 欠费说明 (section revised 2024-11-05 14:59:02).*
#
# Calls and egress are billed hour by hour and each bill is taken from the account balance. When a
# bill leaves the balance below zero the account is in arrears (欠费). The gateway keeps serving for
# a grace period; then calls stop and the account's creator and all its collaborators are told by
# mail and SMS. A top-up within a window after the suspension brings the service back by itself;
# after that the gateway may clear the API configuration and the data is destroyed. A resource pack
# that is still valid changes none of this (资源包计费 › 购买须知). The guide prints no dates here, so
# the dated figures below start from an arrears moment of our choosing.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.engine.money import D

spec = Spec(catalog, "apigw.arrears", as_of)
spec.entries("apigw.arrears")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The grace period is {{ v("apigw.arrears.grace") }}, its last one included; the restore window is
{{ v("apigw.arrears.restore_window") }} from the suspension. Each is the one in force when its span
begins: the grace when the balance goes negative, the window when it starts to run.
""")

# %% [markdown]
# ## 账单周期 · Billing periods

# %% tags=["prose", "from-example:apigw.arrears.grace-hours"] jupyter={"source_hidden": true}
from datetime import datetime
from pricing.rules.apigw.common import settlement_window
arrears_ex = spec.at_example("apigw.arrears.grace-hours")  # where the examples' arrears start comes from, at their own date
hour = settlement_window(arrears_ex.cat, datetime(2023, 5, 10, 7))
arrears_ex.md("""
Both metered items are billed per {{ v("apigw.settlement.period") }}; the period itself is the one entry of
*共享实例计费* (`apigw.settlement.period`). A bill appears up to {{ v("apigw.settlement.bill_delay") }}
after its period ends, so an account whose {{ start }}–{{ end }} bill cannot be paid goes into arrears
at {{ latest }} at the latest.
""", start=f"{hour.start:%H:%M}", end=f"{hour.end:%H:%M}",
     latest=f"{hour.end + arrears_ex.cat.timedelta('apigw.settlement.bill_delay'):%H:%M}")

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

# %% tags=["prose", "from-example:apigw.arrears.restore-deadline"] jupyter={"source_hidden": true}
from datetime import timedelta
from pricing.rules.apigw.arrears import timeline
deadline = spec.at_example("apigw.arrears.restore-deadline")  # the example's timeline, at its own date
t = timeline(deadline.cat, "2023-05-10T08:30:00")
deadline.md("""
The last moment a top-up can restore service sits grace + window after the arrears start under the
default readings (g = {{ g | trim }} h, w = {{ w }} × 24 h):
""", g=t["grace_hours"], w=t["restore_days"])

# %% tags=["from-example:apigw.arrears.restore-deadline"]
import sympy as sp
g, w = sp.symbols("g w", positive=True)
hours = D((t["restore_deadline"] - t["negative_at"]) // timedelta(seconds=1)) / 3600
formula(r"t_{\mathrm{restore}} - t_{0}", g + w, {g: formulas.R(t["grace_hours"]), w: formulas.R(t["restore_days"] * 24)},
        hours, "Hours from the arrears start to the restore deadline")

# %% [markdown]
# ### Every event under every reading

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The section leaves three boundaries open (register below): where the {{ v("apigw.arrears.grace") }}
end, when the {{ v("apigw.arrears.restore_window") }} begin, and when the mail goes out. The same
arrears, event by event:
""", at="2023-05-10T08:30:00")

# %%
readings = [("default", {}),
            ("grace ends the second before its last instant", {"apigw.arrears.grace_boundary": "instant-exclusive"}),
            ("grace in whole settlement hours", {"apigw.arrears.grace_boundary": "whole-hours"}),
            ("window from the arrears start", {"apigw.arrears.restore_from": "arrears-start"}),
            ("window in calendar days", {"apigw.arrears.restore_from": "calendar-days"}),
            ("notice when arrears begin", {"apigw.arrears.notice_at": "at-arrears-start"})]
runs = [(label, timeline(spec.cat, "2023-05-10T08:30:00", pol)) for label, pol in readings]
events = [("last second with service", "last_service_second"), ("calls stopped from", "suspended_from"),
          ("mail and SMS", "notice_at"), ("last moment a top-up restores", "restore_deadline"),
          ("configuration may be cleared from", "destroy_eligible_from")]
md_table(["reading"] + [e for e, _ in events], [[label] + [r[k] for _, k in events] for label, r in runs])

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The chart follows the service from the arrears start: in service (2), suspended but restorable by a
top-up (1), past the window (0). Counting the {{ v("apigw.arrears.restore_window") }} from the arrears
start takes the grace ({{ v("apigw.arrears.grace") }}) off the window; counting calendar days adds up
to a day to it.
""", at="2023-05-10T08:30:00")

# %%
from pricing.rules.apigw.arrears import state_curve
grace_h = t["grace_hours"]
deadline_h = (t["restore_deadline"] - t["negative_at"]) // timedelta(hours=1)
series = []
for label, pol in (readings[0], readings[3], readings[4]):
    xs, ys = state_curve(timeline(spec.cat, "2023-05-10T08:30:00", pol), deadline_h + 24)
    series.append((label, [D(x) for x in xs], [D(y) for y in ys]))
charts.line_chart(series, "Arrears from 2023-05-10 08:30:00: 2 in service, 1 suspended, 0 may be destroyed",
                  "hours after the balance went negative", "state", step=True,
                  vlines=[(grace_h, f"{grace_h} h"), (deadline_h, f"{grace_h} h + {t['restore_days']} days")])

# %% [markdown]
# ## 续费恢复 · Topping up

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Paid within the {{ v("apigw.arrears.grace") }} of grace, the debt never stops the service; paid within
the window, the service comes back by itself; paid later, the configuration may already be gone. A
debt of fifty yuan:
""", at="2023-05-10T08:30:00")

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
# ## 账户 · A balance run into arrears
#
# The timeline above starts from a moment given by hand. An account gives it instead: the balance
# is run through the hourly bills (each debited when it is issued) and the top-ups, and the first
# bill that takes it below zero starts the timeline, with the durations in force at that instant.
# Bills go on being charged through the grace; once calls stop, an hour's usage is not served and
# nothing is billed for it. Our account: 30 yuan, 2,000,000 calls an hour from 06:00 to 11:00 on
# 2023-05-10, then 1,000,000 calls at 08:00 and at 09:00 the next day.

# %%
acct = {"start": "2023-05-10T00:00:00", "opening": "30",
        "usage": [f"2023-05-10T{h:02d}:00:00 guangzhou calls 2000000" for h in range(6, 12)]
        + ["2023-05-11T08:00:00 guangzhou calls 1000000", "2023-05-11T09:00:00 guangzhou calls 1000000"],
        "until": "2023-05-20T00:00:00"}
run = spec.calc("apigw.arrears.account", acct)
spec.show(run, "30 yuan run through the hourly bills")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The balance goes negative at {{ neg }}; the grace bills take {{ grace }} yuan more; calls stop at
{{ stop }} and the hour billed after that is not charged ({{ unserved }} yuan not served). A top-up
that clears the debt restores the service until {{ deadline }}; after that the configuration may be
cleared.
""", neg=run["negative_at"], grace=run["grace_charged"], stop=run["suspended_at"], unserved=run["not_served"],
     deadline=run["restore_deadline"])

# %% [markdown]
# What a top-up does, asked at several moments (the amount: the debt then, unless given):

# %%
asks = [("in the grace", "2023-05-10T20:00:00", None), ("five days into the suspension", "2023-05-15T09:00:00", None),
        ("the same day, 20 yuan only", "2023-05-15T09:00:00", "20"), ("one second past the deadline", "2023-05-18T09:30:01", None)]
rows = []
for label, at, amount in asks:
    r = spec.calc("apigw.arrears.account", {**acct, "topup_at": at, **({"topup": amount} if amount else {})})
    rows.append([label, at.replace("T", " "), r["debt_at_topup"] if amount is None else amount, r["state_at_topup"], r["outcome"]])
md_table(["top-up", "at", "amount", "state then", "outcome"], rows)

# %% [markdown]
# The same account with the debt paid five days into the suspension: the service comes back at the
# top-up and the balance is back at zero.

# %%
spec.show(spec.calc("apigw.arrears.account", {**acct, "topups": ["2023-05-15T09:00:00 42"]}), "Topped up in the window")

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
