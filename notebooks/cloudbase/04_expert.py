# %% [markdown]
# # 专家服务说明 · Expert services
#
# *Source: 云开发 CloudBase 购买指南 › 专家服务说明 (section revised 2024-06-11 15:03:31); the same price
# table is repeated in 服务指引 › 专家服务 (revised 2025-06-27).*
#
# CloudBase's expert team (or a partner) sells hands-on help for moving to, migrating within and
# running on the cloud: consulting, training, escort through critical periods, and load testing.
# Most services are priced per **person-day** (人天), training per on-site **session** (次). The section
# adds that the real price depends on the workload and is agreed with sales, so the table is
# **indicative** (register `CB-EXP-INDICATIVE`). It then sets out how to buy, a delivery SLA, and who is
# responsible for what. A quote is priced at its order instant: a price version added later applies to
# orders from its effective date only.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.rules.cloudbase import expert, service_tables as tables

spec = Spec(catalog, "cloudbase.expert", as_of)
spec.entries("cloudbase.expert.")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
{{ per_day | length }} services are priced per person-day of {{ v("cloudbase.expert.day_hours") }} working hours
({{ per_day | join(", ") }}); {{ per_session | join(", ") }} per session of {{ v("cloudbase.expert.training.days") }}
days on site.
""", per_day=[r["service"] for r in spec.cat.rows("cloudbase.expert.services") if r["unit"] == "person-day"],
     per_session=[r["service"] for r in spec.cat.rows("cloudbase.expert.services") if r["unit"] == "session"])

# %% [markdown]
# ## 服务内容 · The services

# %%
spec.rows("cloudbase.expert.services")

# %% [markdown]
# ## 服务价格 · Prices, with per-day and per-hour equivalents

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Person-day prices divide by the {{ v("cloudbase.expert.day_hours") }}-hour day; the training session divides by its
{{ v("cloudbase.expert.training.days") }} days and then by {{ v("cloudbase.expert.day_hours") }} hours, although the
guide states no hours for a training day. A quote sells training only in whole sessions, never by the hour.
""")

# %%
rows = []
for s in tables.services(spec.cat):
    q = expert.quote(spec.cat, s, quantity="1")
    rows.append([s, spec.cat.entry(f"cloudbase.expert.price.{s}").zh, q["unit_price"], q["unit"], q["per_day"], q["per_hour"]])
md_table(["service", "中文", "list price (CNY)", "per", "per day (CNY)", "per hour (CNY)"], rows)

# %%
names = tables.services(spec.cat)
charts.bar_chart(names,
                 [expert.equivalents(spec.cat, n)[0] for n in names],
                 f"Expert services: list price per day (training: session / {spec.cat.value('cloudbase.expert.training.days')} days)", "CNY per day")

# %% tags=["cloudbase.expert.consulting-25000"]
spec.example("cloudbase.expert.consulting-25000")

# %% tags=["cloudbase.expert.training-160000"]
spec.example("cloudbase.expert.training-160000")

# %% tags=["cloudbase.expert.escort-18000"]
spec.example("cloudbase.expert.escort-18000")

# %% tags=["cloudbase.expert.load-standard-30000"]
spec.example("cloudbase.expert.load-standard-30000")

# %% tags=["cloudbase.expert.load-custom-50000"]
spec.example("cloudbase.expert.load-custom-50000")

# %% tags=["cloudbase.expert.training-2-days"]
spec.example("cloudbase.expert.training-2-days")

# %% tags=["cloudbase.expert.training-per-day-80000"]
spec.example("cloudbase.expert.training-per-day-80000")

# %% tags=["cloudbase.expert.day-hours-8"]
spec.example("cloudbase.expert.day-hours-8")

# %% [markdown]
# ## 报价 · A quote

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
amount = unit price × quantity, the quantity in person-days (or sessions for training). Work given
in hours becomes person-days at {{ v("cloudbase.expert.day_hours") }} hours each, and a part day is billed as a
whole one (the services are sold by the person-day). Three person-days of custom load testing, checked symbolically:
""")

# %%
import sympy as sp
p, n = sp.symbols("p n", positive=True)
q = spec.calc("cloudbase.expert.quote", {"service": "load_custom", "quantity": "3"})
formula(r"\mathrm{amount}", p * n, {p: formulas.R(q["unit_price"]), n: formulas.R(q["quantity_billed"])},
        q["amount"], "Custom load test, 3 person-days")

# %%
spec.show(spec.calc("cloudbase.expert.quote", {"service": "escort", "hours": "20", "plan": "enterprise"}),
          "Event escort for 20 hours, enterprise plan")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
A standard-plan customer asking for the same quote is refused. Of the sections that describe expert service,
only the price list names a plan for it (its {{ v("cloudbase.expert.pricelist_row") }} row sells it from the
{{ least }} plan up), and the quote follows it:
""", least=expert.expert_min_plan(spec.cat))

# %%
from pricing.engine.errors import PricingError
try:
    spec.calc("cloudbase.expert.quote", {"service": "escort", "quantity": "1", "plan": "standard"})
    refused = "accepted"
except PricingError as e:
    refused = f"`{type(e).__name__}`: {e}"
md_table(["request", "answer"], [["escort, 1 person-day, standard plan", refused]])

# %% [markdown]
# ## 购买方式 · How to buy

# %%
spec.rows("cloudbase.expert.purchase_steps")

# %% [markdown]
# ## 服务 SLA · Service level

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Delivery starts once the contract is signed. While the project runs, responses come in under
{{ v("cloudbase.expert.sla.response_minutes") }} minutes, within a service window of
{{ v("cloudbase.expert.sla.days_per_week") }} × {{ v("cloudbase.expert.sla.hours_per_day") }} hours. The window's hours
of the day are not stated, and it differs from the support groups' workdays
{{ cell("cloudbase.svc.schedules", "schedule", "workdays", "opens") }} ~ {{ cell("cloudbase.svc.schedules", "schedule", "workdays", "closes") }};
the two windows belong to different channels, and no charge depends on either.
""")

# %%
spec.rows("cloudbase.expert.sla.terms")

# %% tags=["cloudbase.expert.sla-response-30"]
spec.example("cloudbase.expert.sla-response-30")

# %% tags=["cloudbase.expert.sla-days-7"]
spec.example("cloudbase.expert.sla-days-7")

# %% tags=["cloudbase.expert.sla-hours-8"]
spec.example("cloudbase.expert.sla-hours-8")

# %% tags=["prose", "from-example:cloudbase.expert.sla-response-30"] jupyter={"source_hidden": true}
promise = spec.at_example("cloudbase.expert.sla-response-30")  # the printed promise, at the example's date
limit = promise.cat.dec("cloudbase.expert.sla.response_minutes")
promise.md("""
"Under {{ limit }} minutes" is strict: a response at {{ limit - 1 }} minutes meets it, one at {{ limit }} does not.
""", limit=limit)

# %% tags=["from-example:cloudbase.expert.sla-response-30"]
md_table(["response after (min)", "within SLA"],
         [[m, expert.sla(promise.cat, m)["met"]] for m in (limit - 1, limit)])

# %% [markdown]
# ## 责任分工 · Responsibilities

# %%
spec.rows("cloudbase.expert.responsibilities")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
