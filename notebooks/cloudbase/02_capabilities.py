# %% [markdown]
# # 计费能力项说明 · Billed capability items
#
# *Source: 云开发 CloudBase 购买指南 › 计费能力项说明 (section revised 2025-07-03 14:03:01); the per-plan
# rollback range is from 价格文档 › 套餐配额与能力项说明 (数据回档 row).*
#
# The section explains two database features of CloudBase (云数据库) and argues why a customer would
# want them. It prints **no price** for either, despite its title (register `CB-CAP-UNPRICED`):
#
# - **Rollback (回档, 数据库回档)** — put the database back to the state it had at a chosen earlier
#   moment. The price list's capability table says which plans include it, and how far back.
# - **Exclusive access (独占, 独占数据库访问)** — a database instance or compute pool of one's own,
#   so other tenants' load cannot slow it down. It appears in no plan row and no price list.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas
from pricing.rules.cloudbase import lineup

spec = Spec(catalog, "cloudbase.capabilities", as_of)
plans = lineup.plan_ids(spec.cat)
rollback = next(r for r in spec.cat.rows(lineup.CAPABILITIES) if r["item"].startswith("数据回档"))
spec.entries("cloudbase.cap.")

# %% [markdown]
# ## 能力项 · The two items
#
# What each item is, and why the section says it matters, in our own summary:

# %%
spec.rows("cloudbase.cap.items")

# %%
spec.rows("cloudbase.cap.rationale")

# %% [markdown]
# ## 数据回档 · Which plans include rollback
#
# The price list's row, as stored once in the price-list catalog (`cloudbase.pricelist.capabilities`),
# one column per plan of the lineup in force:

# %%
md_table(["item", *plans], [[rollback["item"], *[rollback[p] for p in plans]]])

# %% [markdown]
# The capability calculation answers from that row. Every plan and item, side by side (the rule
# refuses plans and items it does not know, naming the allowed ones):

# %%
rows = []
for p in plans:
    for it in ("rollback", "exclusive"):
        r = spec.calc("cloudbase.cap.capability", {"plan": p, "item": it})
        rows.append([p, it, r["included"], r["rollback_days"], r["extra_price"]])
md_table(["plan", "item", "included", "rollback range (days)", "extra charge beyond the plan"], rows)

# %% tags=["cloudbase.cap.rollback-personal"]
spec.example("cloudbase.cap.rollback-personal")

# %% tags=["cloudbase.cap.rollback-standard-14"]
spec.example("cloudbase.cap.rollback-standard-14")

# %% tags=["cloudbase.cap.rollback-enterprise-14"]
spec.example("cloudbase.cap.rollback-enterprise-14")

# %% tags=["cloudbase.cap.rollback-premium-14"]
spec.example("cloudbase.cap.rollback-premium-14")

# %% [markdown]
# ## 典型场景 · The section's scenario

# %% tags=["prose", "from-example:cloudbase.cap.scenario-10-minutes"] jupyter={"source_hidden": true}
spec.at_example("cloudbase.cap.scenario-10-minutes").md("""
An order table is wiped during a sales event; within {{ v("cloudbase.cap.rollback.scenario_within_minutes") }} minutes
the database is back to where it stood {{ v("cloudbase.cap.rollback.scenario_back_minutes") }} minutes earlier. The clock
times are ours; the rule checks the target against the plan's range and restores to the whole
minute (the versions are kept by the minute, 分钟级).
""")

# %% tags=["cloudbase.cap.scenario-10-minutes"]
spec.example("cloudbase.cap.scenario-10-minutes")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The edge of the range: the rule counts the standard plan's {{ cell(table, "item", rollback.item, "standard") }} back from
the moment of the request, so the range rolls forward with it. On the personal plan (its cell:
{{ cell(table, "item", rollback.item, "personal") }}) no target is restorable.
""", table=lineup.CAPABILITIES, rollback=rollback, at="2025-07-15T10:00:00")  # the ranges the two requests below meet

# %%
spec.show(spec.calc("cloudbase.cap.rollback", {"plan": "standard", "now": "2025-07-15T10:00:00",
                                                "target": "2025-07-01T12:00:00"}),
          "Standard plan, 2025-07-15 10:00: restore the state of 2025-07-01 12:00?")

# %%
spec.show(spec.calc("cloudbase.cap.rollback", {"plan": "personal", "now": "2025-07-15T10:05:00",
                                                "target": "2025-07-15T09:55:00"}),
          "Personal plan: the same 10-minute rollback")

# %% [markdown]
# ## 独占 · Exclusive access and its availability

# %% tags=["prose", "from-example:cloudbase.cap.exclusive-sla-99.99"] jupyter={"source_hidden": true}
sla = spec.at_example("cloudbase.cap.exclusive-sla-99.99")  # the printed availability, at the example's date
sla.md("""
The section's case for exclusive access: on a shared database, contention can push latency from
about {{ v("cloudbase.cap.exclusive.latency_before") }} ms to {{ v("cloudbase.cap.exclusive.latency_after") }} ms or more; isolation is said
to keep availability at {{ v("cloudbase.cap.exclusive.sla") }}% or better. No plan, price, measurement period or remedy
comes with that figure.
""")

# %% tags=["cloudbase.cap.exclusive-sla-99.99"]
spec.example("cloudbase.cap.exclusive-sla-99.99")

# %% tags=["prose", "from-example:cloudbase.cap.exclusive-sla-99.99"] jupyter={"source_hidden": true}
sla.md("""
What {{ v("cloudbase.cap.exclusive.sla") }}% allows: downtime = (1 − availability) × length of the period. Over a 30-day
month (our illustration: the guide names no period over which the figure is measured):
""")

# %% tags=["from-example:cloudbase.cap.exclusive-sla-99.99"]
import sympy as sp
a, T = sp.symbols("a T", positive=True)
down = (1 - a / 100) * T
res = sla.calc("cloudbase.cap.sla_downtime")
formula(r"\mathrm{downtime}", down, {a: formulas.R(res["sla_percent"]), T: formulas.R(res["period_minutes"])},
        res["downtime_minutes"], f"Allowed downtime (minutes) at {res['sla_percent']}% over 30 days")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
