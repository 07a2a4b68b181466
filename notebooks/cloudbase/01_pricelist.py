# %% [markdown]
# # 价格文档 · Price list
#
# *Source: 云开发 CloudBase 购买指南 › 价格文档 (section revised 2025-07-02 19:56:02). The plan
# operations at the end of the page (套餐操作: 新购, 升配/降配, 续费, 停用退费) have their own notebook.*
#
# CloudBase bills an environment (环境) in three layers: a **monthly plan** (资源套餐) that includes
# quotas per metric; **pay-as-you-go** (按量付费) for whatever goes beyond a quota, and for a few
# resources that no plan includes; and **capability items** (能力项) that differ between plans.
# Resource packs (资源包) sit between the quota and pay-as-you-go. This notebook restates each rule
# of the price list, reproduces every figure it prints from the catalog, and lists where the page can
# be read two ways. Which plans exist is itself dated data (the lineup, `cloudbase.plans`): every
# table below shows the plans in force at the notebook's as-of date.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, View, formula, md_table
from pricing.spec import formulas, charts
from pricing.engine.errors import PricingError
from pricing.engine.money import D
from pricing.rules.cloudbase import lineup

spec = Spec(catalog, "cloudbase.pricelist", as_of)
plans = lineup.plan_rows(spec.cat)
priced = lineup.priced_plans(spec.cat)
unpriced = [r["plan"] for r in plans if r["plan"] not in priced]


def refused(call):
    """The error a rule raises for a request it cannot price (shown, never hidden)."""
    try:
        call()
    except PricingError as e:
        return f"{type(e).__name__}: {e}"
    return "no error"


spec.entries("cloudbase.pricelist")

# %% [markdown]
# ## 套餐 · The plans and their prices

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The lineup in force at this notebook's as-of date, {{ as_of }}, has {{ plans | length }} plans, in rank order (a move to a later one is an
upgrade): {% for r in plans %}{{ r.zh }} {{ r.en }}{{ ", " if not loop.last }}{% endfor %}. Each plan with a list price
has it once, in its own price entry, per month: {% for p in priced %}{{ p }} {{ v("cloudbase.plan." ~ p ~ ".price") }}{{ ", " if not loop.last }}{% endfor %}.
{% for p in unpriced %}{{ p }}{% endfor %} has none: it is quoted on request (联系我们, "contact us"), and a rule that
needs its price refuses to guess. The personal plan's {{ v("cloudbase.plan.personal.price") }} is a limited-time offer
(限时优惠) kept at least until {{ v("cloudbase.pricelist.offers.until") }}, and a change to it would be announced
{{ v("cloudbase.pricelist.notice") }} ahead; enterprise customers may ask for a discount on the enterprise plan. The
lineup, the prices and the quotas live in `cloudbase.toml`, shared with the other CloudBase sections. (The
as-of date is the catalog's latest change in either guide, unless a build names another date, so it can move
for an API Gateway price; the lineup itself {% if since == "origin" %}has not changed since the guide's first
version{% else %}took effect on {{ since }}{% endif %}.)
""", plans=plans, priced=priced, unpriced=unpriced, since=spec.cat.entry(lineup.LINEUP).effective_text)

# %%
md_table(*lineup.plan_table(spec.cat))

# %% tags=["cloudbase.pricelist.plan-personal"]
spec.example("cloudbase.pricelist.plan-personal")

# %% tags=["cloudbase.pricelist.plan-standard"]
spec.example("cloudbase.pricelist.plan-standard")

# %% tags=["cloudbase.pricelist.plan-enterprise"]
spec.example("cloudbase.pricelist.plan-enterprise")

# %% [markdown]
# Pricing a plan sold on request, or a plan that is not in the lineup in force, is refused with an
# error that names the field, the value, the date and what is allowed:

# %%
md_table(["request", "answer"], [
    *[[f"plan_price({p})", refused(lambda: spec.calc("cloudbase.pricelist.plan_price", {"plan": p}))] for p in unpriced],
    ["plan_price(team)", refused(lambda: spec.calc("cloudbase.pricelist.plan_price", {"plan": "team"}))],
    ["plan_price(standard, months = -1)", refused(lambda: spec.calc("cloudbase.pricelist.plan_price", {"plan": "standard", "months": "-1"}))],
])

# %% [markdown]
# ## 能力项 · Capabilities per plan
#
# What each plan includes besides its quotas: database, storage, functions, monitoring, sign-in,
# the workbench (工作台, 云后台), low-code (微搭), APIs and integration, workflows, approvals, the
# trial/production data split, AI+ and support. "—" means the plan does not offer the item.

# %%
md_table(*lineup.capability_table(spec.cat))

# %% [markdown]
# ## 环境配额 · Environment quotas

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Each plan's monthly quotas, one column per plan of the lineup. Calls (调用次数) are counted in 万
({{ cell("cloudbase.metrics", "metric", "calls_wan", "factor") | n }} calls) and resource use (资源使用量) in 万 GB·s
({{ cell("cloudbase.metrics", "metric", "gbs_wan", "factor") | n }} GB·s); the metric ids in the first column are the ones
every CloudBase rule uses, and `cloudbase.metrics` gives each one's units and how it accrues over a
billing cycle. A cell that says `custom` (单独定制) is set per customer: looking it up is refused
(an error, never a figure of our own).
""")

# %%
md_table(*lineup.quota_table(spec.cat))

# %%
spec.rows("cloudbase.metrics")

# %% tags=["cloudbase.pricelist.quota-calls-personal"]
spec.example("cloudbase.pricelist.quota-calls-personal")

# %% tags=["cloudbase.pricelist.quota-calls-standard"]
spec.example("cloudbase.pricelist.quota-calls-standard")

# %% tags=["cloudbase.pricelist.quota-calls-enterprise"]
spec.example("cloudbase.pricelist.quota-calls-enterprise")

# %% tags=["cloudbase.pricelist.quota-calls-premium"]
spec.example("cloudbase.pricelist.quota-calls-premium")

# %% tags=["cloudbase.pricelist.quota-gbs-personal"]
spec.example("cloudbase.pricelist.quota-gbs-personal")

# %% tags=["cloudbase.pricelist.quota-capacity-standard"]
spec.example("cloudbase.pricelist.quota-capacity-standard")

# %%
md_table(["request", "answer"], [
    ["quota(enterprise_premium, qps)", refused(lambda: spec.calc("cloudbase.pricelist.quota", {"plan": "enterprise_premium", "metric": "qps"}))],
    ["quota(personal, bandwidth)", refused(lambda: spec.calc("cloudbase.pricelist.quota", {"plan": "personal", "metric": "bandwidth"}))],
])

# %% [markdown]
# ## 指标说明 · What each metric counts

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
- **Calls (调用次数)** gather every API call an app makes against the environment: storage,
  database, functions, sign-in, AI. Two conversions matter for bills: one AI conversation request
  held open over SSE counts as **{{ v("cloudbase.pricelist.calls.per_sse") }}** calls, and an SMS sent while no SMS pack
  is held counts as **{{ v("cloudbase.pricelist.calls.per_sms") }}** calls.
- **Resource use (资源使用量)** is GB·s: memory in GB times billed seconds. Functions use their
  configured memory, workflows a fixed **{{ v("cloudbase.pricelist.gbs.workflow_memory_mb") }} MB**, MySQL databases their
  instance memory.
- **Storage traffic (存储流量)** is CDN traffic plus static-hosting traffic; **CDN origin traffic**
  (CDN 回源流量) is what the CDN pulls from storage once acceleration is on; **capacity** (容量)
  adds up storage, database and knowledge-base space; **egress** (外网出流量) is what function code
  and workflows send to the internet.
""")

# %%
spec.rows("cloudbase.pricelist.metric_defs")

# %% tags=["cloudbase.pricelist.calls-sse-50"]
spec.example("cloudbase.pricelist.calls-sse-50")

# %% tags=["cloudbase.pricelist.calls-sms-2000"]
spec.example("cloudbase.pricelist.calls-sms-2000")

# %% [markdown]
# A day's mixed traffic, counted into calls:

# %%
spec.show(spec.calc("cloudbase.pricelist.calls_count", {"database_calls": "12000", "storage_calls": "3000",
                                                       "function_invocations": "5000", "sse_conversations": "40",
                                                       "sms_without_pack": "3"}), "A day's calls")

# %% tags=["cloudbase.pricelist.workflow-512mb"]
spec.example("cloudbase.pricelist.workflow-512mb")

# %% tags=["cloudbase.pricelist.workflow-gbs"]
spec.example("cloudbase.pricelist.workflow-gbs")

# %% [markdown]
# GB·s as a formula: memory *m* in MB (1 GB = 1024 MB) times billed seconds *t*. Checked on the
# workflow above and on a function of our own, 256 MB running for an hour:

# %% tags=["from-example:cloudbase.pricelist.workflow-gbs"]
import sympy as sp
m, t = sp.symbols("m t", positive=True)
gbs = m / 1024 * t
flow = spec.at_example("cloudbase.pricelist.workflow-gbs")  # the example's own date
wf = flow.calc("cloudbase.pricelist.gbs", {"kind": "workflow", "seconds": "100"})
wf_mb = flow.cat.dec("cloudbase.pricelist.gbs.workflow_memory_mb")
formula(r"\mathrm{GBs}", gbs, {m: formulas.R(wf_mb), t: 100}, wf["gbs"], f"Workflow, 100 s at the fixed {wf_mb} MB")

# %%
fn = spec.calc("cloudbase.pricelist.gbs", {"kind": "function", "memory_mb": "256", "seconds": "3600"})
formula(r"\mathrm{GBs}", gbs, {m: 256, t: 3600}, fn["gbs"], "Function, 256 MB for an hour")

# %% [markdown]
# ## 超限费用 · Overage: pay-as-you-go beyond the quota

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
When an environment goes past a quota, it stops serving that metric — unless **keep serving
beyond quota** (超限不停服) is switched on. Then the excess is paid as you go at the prices below,
and each day's excess is settled {{ v("cloudbase.pricelist.overage.settle_after") }} after the day. Once packs are held, a
metric is drawn from the plan quota first, then the packs, and only the rest is paid as you go
(`{{ v("cloudbase.pricelist.pack.order") }}`). A day's usage is priced with the plans, quotas and prices in force
on that day.
""")

# %% tags=["cloudbase.pricelist.overage-calls-wan"]
spec.example("cloudbase.pricelist.overage-calls-wan")

# %% tags=["cloudbase.pricelist.overage-capacity-gb"]
spec.example("cloudbase.pricelist.overage-capacity-gb")

# %% tags=["cloudbase.pricelist.overage-gbs-wan"]
spec.example("cloudbase.pricelist.overage-gbs-wan")

# %% tags=["cloudbase.pricelist.overage-egress-gb"]
spec.example("cloudbase.pricelist.overage-egress-gb")

# %% tags=["cloudbase.pricelist.overage-storage-traffic-gb"]
spec.example("cloudbase.pricelist.overage-storage-traffic-gb")

# %% tags=["cloudbase.pricelist.overage-cdn-origin-gb"]
spec.example("cloudbase.pricelist.overage-cdn-origin-gb")

# %% tags=["prose", "from-example:cloudbase.pricelist.overage-day"] jupyter={"source_hidden": true}
one_day = spec.at_example("cloudbase.pricelist.overage-day")  # the example's quotas, at its own date
one_day.md("""
**One day's overage** (our inputs). A personal-plan environment has already made 250,000 calls this
cycle, past its quota of {{ cell("cloudbase.quotas", "metric", "calls_wan", "personal") }}万, and makes 5万 more
today; it also holds 5 GB against a {{ cell("cloudbase.quotas", "metric", "capacity_gb", "personal") }} GB capacity quota.
Only today's calls are billed today; capacity is billed for each day it stands above the quota.
""")

# %% tags=["cloudbase.pricelist.overage-day"]
spec.example("cloudbase.pricelist.overage-day")

# %% tags=["cloudbase.pricelist.overage-settled"]
spec.example("cloudbase.pricelist.overage-settled")

# %% tags=["cloudbase.pricelist.overage-off"]
spec.example("cloudbase.pricelist.overage-off")

# %% tags=["prose", "from-example:cloudbase.pricelist.overage-day"] jupyter={"source_hidden": true}
one_day.md("""
The same day with a call pack ({{ cell("cloudbase.pricelist.packs", "pack", "calls_1yi", "zh") }}) bought on 2025-06-01:
the pack covers today's excess calls, and only capacity is billed.
""")

# %% tags=["from-example:cloudbase.pricelist.overage-day"]
one_day.show(one_day.calc("cloudbase.pricelist.overage_day", {
    "plan": "personal", "day": "2025-06-10", "before": {"calls_wan": "25"}, "today": {"calls_wan": "5", "capacity_gb": "5"},
    "packs": [{"pack": "calls_1yi", "bought": "2025-06-01", "used": "50000"}]}), "Overage day with a call pack")

# %% [markdown]
# Over a whole cycle the overage is a sum over metrics of the excess times its price. Stated with
# sympy for a personal-plan month of our own, 4,000,000 calls, 10 GB of egress and 20万 GB·s (capacity
# within quota), and checked against the package (*F* converts 万 GB·s into the GB·s the price is for):

# %%
from pricing.rules.cloudbase.pricelist import month_cost, overage_price, quota, plan_price
P, uc, qc, pc, ue, qe, pe, ug, qg, pg, F = sp.symbols("P u_c q_c p_c u_e q_e p_e u_g q_g p_g F", nonnegative=True)
cycle = P + sp.Max(0, uc - qc) * pc + sp.Max(0, ue - qe) * pe + sp.Max(0, ug - qg) * F * pg
use = {"calls_wan": D("400"), "egress_gb": D("10"), "gbs_wan": D("20")}
cost, _ = month_cost(spec.cat, "personal", use)
R = formulas.R
subs = {P: R(plan_price(spec.cat, "personal")),
        uc: 400, qc: R(quota(spec.cat, "personal", "calls_wan")), pc: R(overage_price(spec.cat, "calls_wan")[0]),
        ue: 10, qe: R(quota(spec.cat, "personal", "egress_gb")), pe: R(overage_price(spec.cat, "egress_gb")[0]),
        ug: 20, qg: R(quota(spec.cat, "personal", "gbs_wan")), pg: R(overage_price(spec.cat, "gbs_wan")[0]),
        F: R(lineup.factor(spec.cat, "gbs_wan"))}
formula(r"\mathrm{cost}", cycle, subs, cost, "Personal plan, one cycle: price + Σ max(0, usage − quota) × price (calls and GB·s in 万)")

# %% [markdown]
# ### When does a bigger plan pay?

# %%
from pricing.rules.cloudbase.pricelist import breakeven_calls
pairs = list(zip(priced, priced[1:]))
breaks = {(a, b): breakeven_calls(spec.cat, a, b) for a, b in pairs}

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Looking at calls alone, a plan's monthly cost is its price until the quota, then rises by
{{ v("cloudbase.pricelist.overage.calls_wan") }} per 万 calls. The chart shows each plan with a list price and, as one more
line, the cheapest of them for each monthly call count. Because the calls overage is cheap, each
plan stays the cheaper one well past its quota: {% for (a, b), c in breaks.items() %}{{ a }} up to {{ c }}万 calls a month
(then {{ b }}){{ "; " if not loop.last }}{% endfor %}. The other metrics (capacity above all, at
{{ v("cloudbase.pricelist.overage.capacity_gb") }} per GB per *day*) can move these points, and the plans also differ in
capabilities.
""", breaks=breaks)

# %%
View("\n\n".join(spec.show(spec.calc("cloudbase.pricelist.breakeven_calls", {"low": a, "high": b}), f"{a} → {b}").md
                   for a, b in pairs))

# %%
xs = sorted(set([D(x) for x in range(0, 3201, 25)] + [c for c in breaks.values() if c is not None]))
series = []
for p in priced:
    series.append((f"{p} ({plan_price(spec.cat, p)}/month + overage)", xs,
                   [month_cost(spec.cat, p, {"calls_wan": x})[0] for x in xs]))
cheapest = [min(month_cost(spec.cat, p, {"calls_wan": x})[0] for p in priced) for x in xs]
series.append(("cheapest plan for this usage", xs, cheapest))
charts.line_chart(series, "Monthly cost against calls (other metrics within quota)", "calls in the month (× 10,000)", "CNY",
                  vlines=[(c, f"{c} × 10k") for c in breaks.values() if c is not None])

# %%
spec.show(spec.calc("cloudbase.pricelist.cheapest_plan", {"usage": {"calls_wan": "1000", "capacity_gb": "80", "storage_traffic_gb": "150"}}),
          "A month of 1000万 calls, 80 GB held, 150 GB storage traffic")

# %% [markdown]
# ## 其他资源 · Resources outside the plan
#
# Some resources are never in a plan's quota and are always paid as you go: the static website's
# space and traffic, idle provisioned concurrency of resident functions (常驻云函数: provisioned
# instances that sit unused), the log service, and the CPU and memory of cloud hosting and functions
# 2.0 (counted per instance-hour: cores × hours, GB × hours). A use that spans a price change is
# split at its effective date, each piece at its own price.

# %% tags=["cloudbase.pricelist.static-capacity"]
spec.example("cloudbase.pricelist.static-capacity")

# %% tags=["cloudbase.pricelist.static-traffic"]
spec.example("cloudbase.pricelist.static-traffic")

# %% tags=["cloudbase.pricelist.idle-concurrency"]
spec.example("cloudbase.pricelist.idle-concurrency")

# %% tags=["cloudbase.pricelist.log-index-storage"]
spec.example("cloudbase.pricelist.log-index-storage")

# %% tags=["cloudbase.pricelist.log-log-storage"]
spec.example("cloudbase.pricelist.log-log-storage")

# %% tags=["cloudbase.pricelist.log-index-traffic"]
spec.example("cloudbase.pricelist.log-index-traffic")

# %% tags=["cloudbase.pricelist.log-write-traffic"]
spec.example("cloudbase.pricelist.log-write-traffic")

# %% tags=["cloudbase.pricelist.log-requests"]
spec.example("cloudbase.pricelist.log-requests")

# %% tags=["cloudbase.pricelist.log-partitions"]
spec.example("cloudbase.pricelist.log-partitions")

# %% tags=["cloudbase.pricelist.hosting-core-hour"]
spec.example("cloudbase.pricelist.hosting-core-hour")

# %% tags=["cloudbase.pricelist.hosting-gb-hours"]
spec.example("cloudbase.pricelist.hosting-gb-hours")

# %% tags=["cloudbase.pricelist.hosting-memory"]
spec.example("cloudbase.pricelist.hosting-memory")

# %% [markdown]
# The static website's traffic is also named inside the plan's storage traffic (指标说明); whether it
# draws on that quota first is register entry `CB-PL-STATIC-TRAFFIC`.
#
# ## 扩展资源包 · Extension packs

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Call, capacity and SMS packs for one environment. A pack takes effect on the day it is bought and
lapses {{ v("cloudbase.pricelist.pack.validity") }} later (natural days), used up or not; its price, contents and
validity are those in force when it is bought. Once packs are held, usage is drawn from the plan
quota first, then from packs (soonest-lapsing first), then paid as you go. Three features are still
in beta and not billed: database realtime push, content moderation and triggers.
""")

# %% tags=["cloudbase.pricelist.pack-calls-1000wan"]
spec.example("cloudbase.pricelist.pack-calls-1000wan")

# %% tags=["cloudbase.pricelist.pack-calls-5000wan"]
spec.example("cloudbase.pricelist.pack-calls-5000wan")

# %% tags=["cloudbase.pricelist.pack-calls-1yi"]
spec.example("cloudbase.pricelist.pack-calls-1yi")

# %% tags=["cloudbase.pricelist.pack-capacity-100gb"]
spec.example("cloudbase.pricelist.pack-capacity-100gb")

# %% tags=["cloudbase.pricelist.pack-capacity-300gb"]
spec.example("cloudbase.pricelist.pack-capacity-300gb")

# %% tags=["cloudbase.pricelist.pack-sms-1000"]
spec.example("cloudbase.pricelist.pack-sms-1000")

# %% tags=["cloudbase.pricelist.pack-sms-1wan"]
spec.example("cloudbase.pricelist.pack-sms-1wan")

# %% tags=["cloudbase.pricelist.pack-sms-10wan"]
spec.example("cloudbase.pricelist.pack-sms-10wan")

# %% tags=["cloudbase.pricelist.pack-30-days"]
spec.example("cloudbase.pricelist.pack-30-days")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
**Do packs pay?** Each pack against paying the same contents as you go (calls at
{{ v("cloudbase.pricelist.overage.calls_wan") }} per 万, an SMS as {{ v("cloudbase.pricelist.calls.per_sms") }} calls, a capacity pack as that
many GB above the quota for its {{ v("cloudbase.pricelist.pack.validity") }} at {{ v("cloudbase.pricelist.overage.capacity_gb") }} per GB per
day). The pack page claims a saving of at most {{ dec("cloudbase.pack_refunds.max_saving") | pct }}; the call packs bear it
out, the SMS and capacity packs save more (register `CB-PL-PACK-SAVING`).
""")

# %%
rows = []
for r in spec.cat.rows("cloudbase.pricelist.packs"):
    s = spec.calc("cloudbase.pricelist.pack_saving", {"pack": r["pack"]})
    rows.append([r["zh"], s["price"], s["payg"], f"{s['saving_pct']:.2f}%"])
md_table(["pack", "price (CNY)", "same contents paid as you go (CNY)", "saving"], rows)

# %% tags=["cloudbase.pricelist.pack-saving-50"]
spec.example("cloudbase.pricelist.pack-saving-50")

# %% [markdown]
# ## 短信 · SMS

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
An SMS is charged once the carrier has accepted it (发送状态 提交成功), even if it later fails to
arrive (送达失败: the number is empty, the user refuses it, the carrier blocks it). It is taken
from an SMS pack if one is held; otherwise each SMS becomes {{ v("cloudbase.pricelist.calls.per_sms") }} calls, taken in
the order SMS pack → the plan's calls → call packs → calls paid as you go
(`{{ v("cloudbase.pricelist.sms.order") }}`).
""")

# %% tags=["cloudbase.pricelist.sms-one-2000-calls"]
spec.example("cloudbase.pricelist.sms-one-2000-calls")

# %% tags=["cloudbase.pricelist.sms-ledger"]
spec.example("cloudbase.pricelist.sms-ledger")

# %% tags=["cloudbase.pricelist.sms-failed-delivery-charged"]
spec.example("cloudbase.pricelist.sms-failed-delivery-charged")

# %% [markdown]
# ## 大促资源包 · Promotion packs, bought per day
#
# To go past the plan's QPS or connection limits for a peak, an environment buys promotion packs
# by the day; a pack takes effect on the day it is bought. Function packs reserve provisioned
# concurrency memory (with higher instance limits, scale-out speed and QPS); database packs raise
# concurrent and online connections. The same packs are sold in 预留资源 with prices in 万元; the
# contents and prices come from those entries, and this page's names are kept beside them.

# %%
rows = []
for r in spec.cat.rows("cloudbase.pricelist.promo_packs"):
    c = spec.calc("cloudbase.pricelist.promo_cost", {"pack": r["pack"], "days": "1"})
    rows.append([r["name"], r["group"], c["price"], c["env_qps"]])
md_table(["pack (as 价格文档 names it)", "group", "CNY per day", "environment QPS"], rows)

# %% tags=["cloudbase.pricelist.promo-fn-500gb"]
spec.example("cloudbase.pricelist.promo-fn-500gb")

# %% tags=["cloudbase.pricelist.promo-fn-2-5tb"]
spec.example("cloudbase.pricelist.promo-fn-2-5tb")

# %% tags=["cloudbase.pricelist.promo-fn-5tb"]
spec.example("cloudbase.pricelist.promo-fn-5tb")

# %% tags=["cloudbase.pricelist.promo-fn-10tb"]
spec.example("cloudbase.pricelist.promo-fn-10tb")

# %% tags=["cloudbase.pricelist.promo-fn-25tb-named-20t"]
spec.example("cloudbase.pricelist.promo-fn-25tb-named-20t")

# %% tags=["cloudbase.pricelist.promo-db-0-3w"]
spec.example("cloudbase.pricelist.promo-db-0-3w")

# %% tags=["cloudbase.pricelist.promo-db-0-5w"]
spec.example("cloudbase.pricelist.promo-db-0-5w")

# %% tags=["cloudbase.pricelist.promo-db-1w"]
spec.example("cloudbase.pricelist.promo-db-1w")

# %% tags=["cloudbase.pricelist.promo-db-1-5w"]
spec.example("cloudbase.pricelist.promo-db-1-5w")

# %% tags=["cloudbase.pricelist.promo-db-1-8w"]
spec.example("cloudbase.pricelist.promo-db-1-8w")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Price per TB of provisioned memory per day (1 TB = 1024 GB). Read with its contents
({{ cell("cloudbase.reserved.function_packages", "package", "fn_25tb", "memory") }} {{ cell("cloudbase.reserved.function_packages", "package", "fn_25tb", "memory_unit") }}),
the pack named {{ cell("cloudbase.pricelist.promo_packs", "pack", "fn_25tb", "name") }} costs the same per TB as two of the
smaller function packs (table below); read with its name, it would be the dearest per TB of all (register
`CB-PL-PROMO-20T`).
""")

# %%
functions = {c["package"] for c in spec.cat.rows("cloudbase.reserved.function_packages")}
rows = []
for r in spec.cat.rows("cloudbase.pricelist.promo_packs"):
    if r["pack"] not in functions:
        continue
    a = spec.calc("cloudbase.pricelist.promo_rate", {"pack": r["pack"]})
    b = spec.calc("cloudbase.pricelist.promo_rate", {"pack": r["pack"]}, {"cloudbase.pricelist.promo_20t": "name-20tb"})
    rows.append([r["name"], a["memory_tb"], a["per_tb_day"], b["memory_tb"], b["per_tb_day"]])
md_table(["pack", "TB (contents)", "CNY per TB·day (contents)", "TB (reading 'name-20tb')", "CNY per TB·day (name)"], rows)

# %% [markdown]
# ## 免费体验活动 · The free environment

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
From {{ v("cloudbase.pricelist.free_env.from") }}, an account with no CloudBase environment — or whose last one was
cancelled more than {{ v("cloudbase.pricelist.free_env.cancel_gap") }} ago — can create one free environment, with the
quotas of the {{ v("cloudbase.pricelist.free_env.quota_plan") }} plan and no add-on packs. It stays free while the mini
program is in development; once the mini program is released, the environment expires on day
{{ v("cloudbase.pricelist.free_env.after_release") }} after release and becomes a paid one from the next renewal. If the
developer does not pay, it is isolated at expiry and deleted {{ v("cloudbase.pricelist.free_env.delete_after") }} later,
data included. Switching to paid by hand also ends the free period. Environments found abusing
resources are banned. The campaign runs to {{ v("cloudbase.pricelist.free_env.campaign_end") }}; changes are announced
{{ v("cloudbase.pricelist.notice") }} ahead.
""")

# %% tags=["cloudbase.pricelist.free-env-start"]
spec.example("cloudbase.pricelist.free-env-start")

# %% tags=["cloudbase.pricelist.free-env-cancelled-recently"]
spec.example("cloudbase.pricelist.free-env-cancelled-recently")

# %% tags=["cloudbase.pricelist.free-env-before-release"]
spec.example("cloudbase.pricelist.free-env-before-release")

# %% tags=["cloudbase.pricelist.free-env-expiry"]
spec.example("cloudbase.pricelist.free-env-expiry")

# %% tags=["cloudbase.pricelist.free-env-deleted"]
spec.example("cloudbase.pricelist.free-env-deleted")

# %% tags=["cloudbase.pricelist.free-env-overage"]
spec.example("cloudbase.pricelist.free-env-overage")

# %%
md_table(["request", "answer"], [
    ["free environment buys a call pack", refused(lambda: spec.calc("cloudbase.pricelist.overage_day", {
        "plan": "free", "day": "2025-06-10", "today": {"calls_wan": "1"},
        "packs": [{"pack": "calls_1000wan", "bought": "2025-06-01"}]}))],
    ["released before created", refused(lambda: spec.calc("cloudbase.pricelist.free_env_dates", {
        "created": "2025-06-01", "released": "2025-05-01"}))],
    ["created 2026-01-10", refused(lambda: spec.calc("cloudbase.pricelist.free_env_dates", {"created": "2026-01-10"}))],
])

# %% [markdown]
# ## 100万 token 赠送活动 · The token gift

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Every environment receives {{ v("cloudbase.pricelist.tokens.gift") | n }} AI tokens once, valid
{{ v("cloudbase.pricelist.tokens.gift_validity") }}. Environments created before {{ v("cloudbase.pricelist.tokens.gift_start") }} have
them from {{ v("cloudbase.pricelist.tokens.gift_start") }} to {{ v("cloudbase.pricelist.tokens.gift_first_end") }}; those created from
{{ v("cloudbase.pricelist.tokens.gift_start") }} to {{ v("cloudbase.pricelist.tokens.campaign_end") }} have them from their creation day for
{{ v("cloudbase.pricelist.tokens.gift_validity") }}; environments created later receive none. Once a developer configures
an own API key or custom model, token use is no longer capped. Each plan also lists
{{ v("cloudbase.pricelist.tokens.plan_free") | n }} free tokens (register `CB-PL-TOKENS`).
""")

# %% tags=["cloudbase.pricelist.tokens-gift"]
spec.example("cloudbase.pricelist.tokens-gift")

# %% tags=["cloudbase.pricelist.tokens-early-start"]
spec.example("cloudbase.pricelist.tokens-early-start")

# %% tags=["cloudbase.pricelist.tokens-early-end"]
spec.example("cloudbase.pricelist.tokens-early-end")

# %% tags=["cloudbase.pricelist.tokens-from-creation"]
spec.example("cloudbase.pricelist.tokens-from-creation")

# %% tags=["cloudbase.pricelist.tokens-none-after-2025"]
spec.example("cloudbase.pricelist.tokens-none-after-2025")

# %% tags=["cloudbase.pricelist.tokens-plan-free"]
spec.example("cloudbase.pricelist.tokens-plan-free")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
A creation on the last day of August shows the month-end rule: {{ v("cloudbase.pricelist.tokens.gift_validity") }} on,
February has no 31st, so the gift lapses on its last day.
""", at="2025-08-31")  # the validity in force at the creation, as the calculation below reads it

# %%
spec.show(spec.calc("cloudbase.pricelist.token_gift", {"created": "2025-08-31"}), "Created 2025-08-31")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
