# %% [markdown]
# # 服务指引 · Service guide
#
# *Source: 云开发 CloudBase 购买指南 › 服务指引 (section revised 2025-06-27 11:16:22), read with the
# 支持与服务 rows and notes of 价格文档 › 套餐配额与能力项说明.*
#
# The guide first draws the **boundary** of support (服务边界说明): only questions directly about
# CloudBase are answered. It then lists the **channels** (服务渠道), each open from some plan upward,
# with its own hours. One channel, expert service, is paid; its prices are printed here and again in
# *专家服务说明*. They are stored once in the catalog and quoted here by the same rule.
#
# Every table below is the catalog as in force at the notebook's as-of date; the channels, the
# boundary and the plans are dated data, so a later version changes what the rules answer from its
# effective date on.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, md_table
from pricing.rules.cloudbase import lineup, service_guide as guide, service_tables as tables

spec = Spec(catalog, "cloudbase.service_guide", as_of)
spec.entries("cloudbase.svc.")

# %% [markdown]
# ## 服务边界说明 · What standard support covers, and what it does not

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
{{ out | length }} kinds of question are outside the standard channels ({{ out | join(", ") }}); only
questions directly about CloudBase are answered there. The column *expert* says what the paid expert
service offers for the same topic; the boundary limits the standard channels only, and the expert service
has a scope of its own.
""", out=[r["topic"] for r in spec.cat.rows("cloudbase.svc.boundary") if r["standard"] == "no"])

# %%
spec.rows("cloudbase.svc.boundary")

# %% [markdown]
# Each topic on each channel, under the default reading (the boundary binds the standard channels; a
# channel with its own scope follows it):

# %%
chans = tables.channel_ids(spec.cat)
md_table(["topic"] + list(chans), [[t] + [guide.scope(spec.cat, t, ch)["supported"] for ch in chans] for t in tables.topics(spec.cat)])

# %% [markdown]
# ## 服务渠道 · The channels
#
# Who gets each channel, when it is staffed, and what it offers. The price list's own support rows
# are shown after it. The service guide opens each group to a plan "and above", so a plan keeps the
# groups of the plans below it (an enterprise plan keeps the real-time group) even where the price list
# shows one group per plan. Only the price list names a plan for expert service. An empty *min_plan*
# means the service guide states none, and the price list's row decides.

# %%
spec.rows("cloudbase.svc.channels", ["channel", "zh", "min_plan", "pricelist_item", "basis", "schedule", "boundary", "cost", "offers"])

# %%
ids = lineup.plan_ids(spec.cat)
md_table(["price list row"] + list(ids), [[r["item"]] + [r[p] for p in ids] for r in spec.cat.rows(tables.PRICELIST_TABLE)
                                          if r["area"].startswith("支持与服务")])

# %% [markdown]
# `channels(plan)` per plan, under the default readings:

# %%
rows = []
for p in lineup.plan_ids(spec.cat):
    r = guide.channels(spec.cat, p)
    rows.append([p, r["count"], r["available"], r.outputs.get("cost.one_on_one_group", "—")])
md_table(["plan", "channels", "which", "1v1 group cost"], rows)

# %% [markdown]
# ## 服务时间 · Service hours

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The two groups are staffed on workdays (工作日) from {{ cell("cloudbase.svc.schedules", "schedule", "workdays", "opens") }}
to {{ cell("cloudbase.svc.schedules", "schedule", "workdays", "closes") }}, {{ group["hours_per_day"] }} hours a day;
tickets are answered around the clock, {{ cell("cloudbase.svc.schedules", "schedule", "always", "days_per_week") }} days a week
({{ cell("cloudbase.svc.schedules", "schedule", "always", "zh") }}); the community has no stated hours; expert service
runs to its contract's SLA window ({{ v("cloudbase.expert.sla.days_per_week") }} × {{ v("cloudbase.expert.sla.hours_per_day") }},
see *专家服务说明*).
""", group=guide.schedule(spec.cat, "realtime_group"))

# %%
spec.rows("cloudbase.svc.schedules")

# %%
rows = []
for ch in tables.channel_ids(spec.cat):
    s = guide.schedule(spec.cat, ch)
    rows.append([ch, s["window"], s["days_per_week"], s["hours_per_day"], s["hours_per_week"]])
md_table(["channel", "window", "days a week", "hours a day", "hours a week"], rows)

# %% tags=["cloudbase.svc.realtime-hours"]
spec.example("cloudbase.svc.realtime-hours")

# %% tags=["cloudbase.svc.one-on-one-hours"]
spec.example("cloudbase.svc.one-on-one-hours")

# %% tags=["cloudbase.svc.ticket-24h"]
spec.example("cloudbase.svc.ticket-24h")

# %% tags=["cloudbase.svc.ticket-7days"]
spec.example("cloudbase.svc.ticket-7days")

# %% [markdown]
# Given a plan and a moment, the rule says which channels are staffed then. An enterprise customer
# on Wednesday 2025-10-01 at 11:00 (China's National Day; the guide says nothing of holidays and none
# is given here, so it counts as a workday; holidays are an input), and on Saturday 2025-10-04:

# %%
spec.show(spec.calc("cloudbase.svc.channels", {"plan": "enterprise", "at": "2025-10-01T11:00:00"}),
          "Enterprise plan, Wednesday 2025-10-01 11:00")

# %%
spec.show(spec.calc("cloudbase.svc.channels", {"plan": "standard", "at": "2025-10-04T11:00:00"}),
          "Standard plan, Saturday 2025-10-04 11:00")

# %% [markdown]
# ## 1v1专属群 (限免) · The enterprise plan's free 1v1 group

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The service guide opens the 1v1 group to {{ cell("cloudbase.svc.channels", "channel", "one_on_one_group", "min_plan") }}
and above without a price; the price list marks it free for a limited time on that plan, promised at least through
{{ v("cloudbase.pricelist.offers.until") }}, with {{ v("cloudbase.pricelist.notice") }}' notice before any change
(register `CB-SVC-ONE-ON-ONE-FREE`). The rule reads both dates at the moment it is asked about.
""")

# %% tags=["cloudbase.svc.one-on-one-free-until"]
spec.example("cloudbase.svc.one-on-one-free-until")

# %% [markdown]
# ## 专家服务 · Expert service prices, as the service guide lists them
#
# Bought separately. The figures come from the one catalog entry per service that *专家服务说明*
# also uses; quotes, per-hour equivalents and the SLA are worked through there.

# %% tags=["cloudbase.svc.expert-consulting-25000"]
spec.example("cloudbase.svc.expert-consulting-25000")

# %% tags=["cloudbase.svc.expert-training-160000"]
spec.example("cloudbase.svc.expert-training-160000")

# %% tags=["cloudbase.svc.expert-escort-18000"]
spec.example("cloudbase.svc.expert-escort-18000")

# %% tags=["cloudbase.svc.expert-load-standard-30000"]
spec.example("cloudbase.svc.expert-load-standard-30000")

# %% tags=["cloudbase.svc.expert-load-custom-50000"]
spec.example("cloudbase.svc.expert-load-custom-50000")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
