# %% [markdown]
# # 欠费说明 · Arrears
#
# *Source: 云开发 CloudBase 购买指南 › 欠费说明 (section revised 2025-06-19 19:34:53).*
#
# What happens to a monthly plan (包年包月) around its expiry when it is not renewed, and to an account
# whose balance is negative: a renewal reminder, an isolation period (隔离期), then the release of the
# environment (释放). Separately, an account in arrears (账户欠费) whose plan has not expired keeps
# running but can neither renew nor change its plan until the debt is paid.
#
# The states and moments are a small state machine (`pricing.engine.lifecycle`, new core module):
# active → isolated → released, with renewal as the way back from isolated. The windows are those
# in force at the expiry instant: a plan that expired under other windows keeps them.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from datetime import datetime, timedelta
from pricing.spec.notebook import Spec, View, md_table
from pricing.spec import charts
from pricing.engine.errors import PricingError
from pricing.engine.money import D
from pricing.engine.results import show
from pricing.rules.cloudbase import arrears

spec = Spec(catalog, "cloudbase.arrears", as_of)
spec.entries("cloudbase.arrears")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
In order: a renewal reminder {{ v("cloudbase.arrears.reminder_before") }} before expiry; from the expiry instant an
isolation period of {{ v("cloudbase.arrears.isolation") }} in which service is stopped, the console cannot operate the
environment, and a renewal restores everything; at 00:00 of day {{ v("cloudbase.arrears.release_day") }} the environment is
released, its resources and data erased for good. A renewal after expiry counts its new term from
the original expiry.
""")

# %% [markdown]
# ## The timeline of a plan expiring 2023-01-01

# %%
spec.show(spec.calc("cloudbase.arrears.timeline", {"expiry": "2023-01-01"}), "Plan expiring 2023-01-01 00:00, not renewed")

# %% tags=["cloudbase.arrears.reminder-7"]
spec.example("cloudbase.arrears.reminder-7")

# %% tags=["cloudbase.arrears.isolation-15"]
spec.example("cloudbase.arrears.isolation-15")

# %% tags=["prose", "from-example:cloudbase.arrears.isolation-15"] jupyter={"source_hidden": true}
iso = spec.at_example("cloudbase.arrears.isolation-15")  # the example's isolation, at its own date
iso.md("""
"Day {{ v("cloudbase.arrears.release_day") }}" needs a day 1. Counting the expiry's own date as day 1 makes the isolation
of a midnight expiry exactly {{ v("cloudbase.arrears.isolation") }}; counting from the next date gives one day more. For an
expiry during the day the first count leaves less than {{ v("cloudbase.arrears.isolation") }} of 24 hours each (register
`CB-ARREARS-DAY16`).
""")

# %% tags=["from-example:cloudbase.arrears.isolation-15"]
rows = []
for e in ("2023-01-01", "2023-01-01T10:00:00"):
    for pol in ("expiry-date", "day-after-expiry"):
        lc, _ = arrears.lifecycle(iso.cat, e, {"cloudbase.arrears.day_one": pol})
        rows.append([e.replace("T", " "), pol, show(lc.suspend_at), show(lc.release_at), str(lc.isolation)])
md_table(["expiry", "day 1 is", "isolated from", "released at", "isolation lasts"], rows)

# %% [markdown]
# ## 续费找回 · Renewal after expiry
#
# A renewal during isolation restores the environment, and its term starts at the original expiry:
# the guide's plan expired 1 January and renewed on 3 January runs to 1 February, not 3 February.
# The days spent isolated are part of the renewed term.

# %% tags=["cloudbase.arrears.renewed-2023-02-01"]
spec.example("cloudbase.arrears.renewed-2023-02-01")

# %% tags=["cloudbase.arrears.restored"]
spec.example("cloudbase.arrears.restored")

# %% [markdown]
# The state at a few moments, and what a renewal at that moment does:

# %%
def attempt(at):
    try:
        r = spec.calc("cloudbase.arrears.renew", {"expiry": "2023-01-01", "renewed_at": at, "months": "1"})
        return f"new expiry {show(r['new_expiry_date'])}" + (" (restored)" if r["restored"] else "")
    except PricingError as e:
        return f"{type(e).__name__}: {e}"


lc, _ = arrears.lifecycle(spec.cat, "2023-01-01")
moments = ["2022-12-20T12:00:00", "2022-12-31T23:59:59", "2023-01-01T00:00:00", "2023-01-03T09:00:00",
           "2023-01-15T23:59:59", "2023-01-16T00:00:00"]
md_table(["moment", "state", "renewal for one month"], [[m.replace("T", " "), lc.state_at(m), attempt(m)] for m in moments])

# %% [markdown]
# The lifecycle drawn against the days from expiry (0 = active, 1 = isolated, 2 = released), with and
# without the renewal of 3 January:

# %%
start = datetime(2022, 12, 20)
hours = [start + timedelta(hours=6 * i) for i in range(0, 4 * 32)]
level = {"active": 0, "isolated": 1, "released": 2}
xs = [D(int((h - lc.expiry).total_seconds())) / 86400 for h in hours]
plain = [level[lc.state_at(h)] for h in hours]
renewed = [level[lc.state_at(h)] if h < datetime(2023, 1, 3) else 0 for h in hours]
charts.line_chart([("not renewed", xs, plain), ("renewed 2023-01-03 (new expiry 2023-02-01)", xs, renewed)],
                  "Plan expiring 2023-01-01: state by day", "days from expiry", "state (0 active, 1 isolated, 2 released)",
                  step=True, vlines=[(D(int((lc.reminders[0] - lc.expiry).total_seconds())) / 86400, "reminder"), (0, "expiry"),
                                     (2, "renewal"), (D(int((lc.release_at - lc.expiry).total_seconds())) / 86400, "release")])

# %% [markdown]
# ## 账户欠费但套餐未到期 · Account in arrears, plan still running
#
# The environment goes on working; renewal and plan changes are refused until the account is back in
# credit:

# %%
def refused(label, fn):
    try:
        fn()
        return [label, "accepted"]
    except PricingError as e:
        return [label, f"{type(e).__name__}: {e}"]


md_table(["request", "outcome"], [
    refused("renew a plan expiring 2023-03-01, on 2023-01-16, account in arrears",
            lambda: spec.calc("cloudbase.arrears.renew", {"expiry": "2023-03-01", "renewed_at": "2023-01-16",
                                                          "account_in_arrears": "true"})),
    refused("upgrade the same plan",
            lambda: spec.calc("cloudbase.plans.upgrade_fee", {"old_plan": "personal", "new_plan": "standard",
                                                              "at": "2023-01-16", "expiry": "2023-03-01",
                                                              "account_in_arrears": "true"})),
    refused("renew the same plan once the arrears are paid",
            lambda: spec.calc("cloudbase.arrears.renew", {"expiry": "2023-03-01", "renewed_at": "2023-01-16"})),
])

# %% [markdown]
# ## 账户 · A balance run into arrears
#
# An account runs the balance through the plan's daily overage bills (each day debited when it is
# settled) and the top-ups. A balance below zero does not stop the environment, but it bars the
# renewal, so the plan runs out: at its expiry the environment is isolated, and on day 16 it is
# released. During isolation a top-up restores the environment only if it pays the debt and a
# renewal (续费找回), which counts from the original expiry. Our account: a personal plan bought
# 2026-03-05 10:00 with 20 yuan left, and 10 GB of egress every day from 03-06 to 03-30.

# %%
acct = {"purchased": "2026-03-05T10:00:00", "plan": "personal", "opening": "20",
        "usage": [f"2026-03-{d:02d}T10:00:00 egress_gb 10" for d in range(6, 31)], "until": "2026-04-25T00:00:00"}
run = spec.calc("cloudbase.arrears.account", acct)
spec.show(run, "20 yuan run through the daily overage bills")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The balance goes negative at {{ neg }}; the environment keeps working and its later bills take
{{ grace }} yuan more. The plan expires unrenewed at {{ stop }} and is released at {{ rel }}: a
renewal restores it until {{ deadline }}.
""", neg=run["negative_at"], grace=run["grace_charged"], stop=run["suspended_at"], rel=run["released_at"],
     deadline=run["restore_deadline"])

# %%
asks = [("before the expiry: the debt", "2026-03-20T09:00:00", None),
        ("isolated: the debt and a renewal", "2026-04-10T09:00:00", "200"),
        ("isolated: the debt only", "2026-04-10T09:00:00", None),
        ("after the release", "2026-04-20T00:00:00", "500")]
rows = []
for label, at, amount in asks:
    r = spec.calc("cloudbase.arrears.account", {**acct, "topup_at": at, **({"topup": amount} if amount else {})})
    rows.append([label, at.replace("T", " "), r["debt_at_topup"] if amount is None else amount, r["state_at_topup"], r["outcome"]])
md_table(["top-up", "at", "amount", "state then", "outcome"], rows)

# %%
spec.show(spec.calc("cloudbase.arrears.account", {**acct, "topups": ["2026-04-10T09:00:00 200"]}),
          "Topped up during isolation: the debt, then the renewal")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The suspension moment (expiry instant here, day {{ v("cloudbase.alerts.suspend_day") }} after expiry in the notices
table) is register entry `CB-ALERTS-SUSPEND` in *告警与通知*.
""")

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
