# %% [markdown]
# # 告警与通知 · Alerts and notifications
#
# *Source: 云开发 CloudBase 购买指南 › 告警与通知 (section revised 2025-05-26 15:55:42).*
#
# Two kinds of message reach the owner of a CloudBase monthly plan. **Usage alerts** (告警通知):
# some metered resources warn when their use reaches set shares of the plan's quota, and send an
# over-quota notice once the quota is exceeded. **Resource notices** (资源通知): events in the
# life of a monthly plan or a resource pack (资源包) each send one. Everything goes out by SMS
# (短信), in-site message (站内信) and WeChat (微信, through the 腾讯云助手 account). This notebook
# turns both lists into data and a function that, given usage or an event, returns the notices.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, View, md_table
from pricing.spec import charts
from pricing.engine.money import D
from pricing.engine.results import show
from pricing.rules.cloudbase import alerts, lineup, monthly

spec = Spec(catalog, "cloudbase.alerts", as_of)
spec.entries("cloudbase.alerts")

# %% [markdown]
# ## 告警通知 · Usage alerts

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
{{ metrics | length }} metrics are alerted ({{ metrics | join(", ") }}): a usage warning at
{% for r in rows("cloudbase.alerts.levels") %}{{ r.ratio | pct }}{{ " and " if not loop.last }}{% endfor %} of the plan's quota,
and an over-quota notice once it is exceeded, by {% for r in rows("cloudbase.alerts.channels") %}{{ r.zh }}{{ ", " if not loop.last }}{% endfor %}.
""", metrics=[f"{zh} {m}" for m, zh in alerts.alerted(spec.cat).items()])

# %%
spec.rows("cloudbase.alerts.metrics")

# %%
spec.rows("cloudbase.alerts.levels")

# %% tags=["cloudbase.alerts.levels-80-90"]
spec.example("cloudbase.alerts.levels-80-90")

# %% tags=["cloudbase.alerts.storage-traffic-over"]
spec.example("cloudbase.alerts.storage-traffic-over")

# %%
q = monthly.plan_quota(spec.cat, "standard", "storage_traffic_gb")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The function works on increments: each notice is sent once, when usage first crosses its level
within a billing cycle. Storage traffic on the standard plan
({{ cell("cloudbase.quotas", "metric", "storage_traffic_gb", "standard") }} GB) through one cycle of our own, stepping
just below and onto each level:
""")

# %%
marks = [l * q for l in alerts.levels(spec.cat)] + [q]
path = sorted({D(0), q * D("0.4"), *[m - D("0.1") for m in marks], *marks, q + D("0.5"), q * D("1.4")})
rows, prev = [], D(0)
for u in path:
    ns = alerts.usage_notices(spec.cat, "storage_traffic_gb", u, q, prev)
    rows.append([f"{prev} → {u}", alerts.pct(D(u) / q), ", ".join(f"{k} {alerts.pct(l)}" if k == "warning" else k for k, l in ns) or "—"])
    prev = D(u)
md_table(["usage (GB)", "share of quota", "notices sent"], rows)

# %% [markdown]
# Which quota metrics are alerted, and which are not. Calls (调用次数) and capacity (容量) have quotas
# that block use when exhausted (see *包年包月套餐说明*) but no advance warning in this section:

# %%
warned = ", ".join(alerts.pct(l) for l in alerts.levels(spec.cat)) + ", over-quota"
md_table(["metric", "zh", "usage alerts", "exhaustion class"],
         [[r["metric"], r["zh"], warned if r["metric"] in alerts.alerted(spec.cat) else "none",
           monthly.metric_class(spec.cat, r["metric"])["class"]] for r in lineup.metric_rows(spec.cat)])

# %% [markdown]
# A month of steady storage traffic on the standard plan, with the three levels. The quota is
# reached well before the cycle ends; without pay-as-you-go the metric is then blocked until the
# next billing day.

# %%
daily = D(12)
xs = list(range(0, 31))
lines = [(alerts.pct(l), l * q) for l in alerts.levels(spec.cat)] + [(f"quota ({q} GB)", q)]
charts.line_chart([("storage traffic used (GB)", xs, [daily * x for x in xs])] +
                  [(name, xs, [level] * len(xs)) for name, level in lines],
                  f"Standard plan: storage traffic at {daily} GB a day", "day of the billing cycle", "GB",
                  vlines=[(level / daily, name.split(" ")[0]) for name, level in lines])

# %% [markdown]
# ## 资源通知 · Event notices

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Each event sends one notice. The expiry notice is special: without auto-renewal (自动续费) it is a
renewal reminder every {{ v("cloudbase.alerts.expiry_interval") }} (每隔一天, every other day); with auto-renewal and too
little balance it asks for a top-up, as often; with auto-renewal and enough balance nothing is sent.
""")

# %%
spec.rows("cloudbase.alerts.events", ["event", "mode", "zh", "when"])

# %%
cases = [("expiring", False, True), ("expiring", True, False), ("expiring", True, True)]
cases += [(e, False, True) for e in alerts.events(spec.cat) if e != "expiring"]
md_table(["event", "auto-renew", "balance sufficient", "notice"],
         [[e, "yes" if a else "no", "yes" if b else "no", alerts.event_notice(spec.cat, e, a, b) or "none"] for e, a, b in cases])

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
When do the expiry notices start? This section does not say; the arrears section sends a renewal
reminder {{ v("cloudbase.arrears.reminder_before") }} before expiry, which is taken as the first notice. A plan of our own
expiring 2023-01-01 without auto-renewal:
""")

# %%
spec.show(spec.calc("cloudbase.alerts.expiry_notices", {"expiry": "2023-01-01"}), "Expiry notices before 2023-01-01")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
On expiry without renewal the plan is suspended (停服通知) and can be brought back by renewing from
the console's recycle bin (回收站); if it stays unrenewed it is released and its data erased
(释放通知). This section places the suspension on day {{ v("cloudbase.alerts.suspend_day") }} after expiry, the arrears
section at the expiry instant (register `CB-ALERTS-SUSPEND`).

**Resource packs.** A pack sends a notice on delivery, when any of its metrics is used up,
{{ v("cloudbase.alerts.pack_expiring_before") }} before it expires, and when it has expired (after which it no longer
offsets pay-as-you-go use).
""")

# %% tags=["cloudbase.alerts.pack-expiring-7"]
spec.example("cloudbase.alerts.pack-expiring-7")

# %%
spec.show(spec.calc("cloudbase.alerts.pack", {"delivered": "2023-03-01", "expires": "2023-03-31", "used_up": "2023-03-20"}),
          "A pack delivered 2023-03-01, used up 2023-03-20, expiring 2023-03-31")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
