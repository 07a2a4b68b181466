# %% [markdown]
# # 实例规格 · Instance specifications
#
# *Source: API 网关 购买指南(已停售) › 实例规格 (section revised 2023-12-06 10:12:32).*
#
# Every API Gateway service runs on an instance (实例), which supplies its public and private
# addresses, egress, compute and storage. There are two kinds. A **shared instance** (共享实例) is the
# default: pay-as-you-go, its machines shared by a group of users in the region, meant for small,
# non-production work. A **dedicated instance** (专享实例) can do everything a shared one can, runs on
# resources reserved for one customer, offers higher throughput and SLA, and is sold prepaid per month
# (包年包月) or pay-as-you-go (按量计费). This section bills nothing by itself; its figures are the
# caps and guarantees that the billing sections price.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, md_table
from pricing.spec import charts
from pricing.engine.money import D

spec = Spec(catalog, "apigw.specs", as_of)
spec.entries("apigw.specs")

# %% [markdown]
# ## 实例对比 · Shared and dedicated, side by side

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The comparison as data. The shared instance shares its entry and exit addresses and its exit
bandwidth with other users, and its exit address changes often; the dedicated instance has its own,
fixed. The dedicated instance also runs inside a VPC (so it reaches VPCs and leased lines), accepts
request bodies {{ cell("apigw.specs.comparison", "item", body, "dedicated") }} (a shared instance:
{{ v("apigw.specs.shared.body_limit_mb") }} MB), and lets the user control the TLS version.
""", body="request body limit 请求包体大小限制")

# %%
spec.rows("apigw.specs.comparison")

# %% [markdown]
# ## QPS caps · 单个服务、API QPS 上限
#
# The cap applies per service or API. The guide warns that traffic well above the cap can hurt the
# instance as a whole and that some of the excess requests may be dropped; on a shared instance a
# neighbour's burst can have the same effect, which is why production work is steered to a dedicated
# instance. No threshold or drop rate is given, so the rule below only reports how far a rate is over
# the cap.

# %% tags=["apigw.specs.shared-qps-500"]
spec.example("apigw.specs.shared-qps-500")

# %%
spec.show(spec.calc("apigw.specs.qps_check", {"instance": "professional", "qps": "4000"}),
          "A professional edition (专业版) at 4,000 QPS")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The dedicated column gives ranges ({{ cell("apigw.specs.comparison", "item", qps, "dedicated") }} QPS,
{{ cell("apigw.specs.comparison", "item", "SLA", "dedicated") }} SLA). They are the span of the
editions table in *专享实例计费 › 计费规则*; the two tables are checked against each other here.
""", qps="QPS cap per service or API 单个服务、API QPS 上限")

# %%
spec.rows("apigw.dedicated.editions")

# %% tags=["apigw.specs.dedicated-qps-min-2500"]
spec.example("apigw.specs.dedicated-qps-min-2500")

# %% tags=["apigw.specs.dedicated-qps-max-50000"]
spec.example("apigw.specs.dedicated-qps-max-50000")

# %% tags=["apigw.specs.dedicated-sla-min-99.95"]
spec.example("apigw.specs.dedicated-sla-min-99.95")

# %% tags=["apigw.specs.dedicated-sla-max-99.99"]
spec.example("apigw.specs.dedicated-sla-max-99.99")

# %%
eds = [r for r in spec.cat.rows("apigw.dedicated.editions") if r["qps"].isdigit()]
custom = [r for r in spec.cat.rows("apigw.dedicated.editions") if not r["qps"].isdigit()]
labels = ["shared"] + [r["edition"] for r in eds]
caps = [spec.cat.dec("apigw.specs.shared.qps_cap")] + [D(r["qps"]) for r in eds]
md_table(["instance", "QPS cap"], zip(labels, caps))

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The caps grow {{ growth | trim }}-fold from the {{ low }} edition to the {{ high }} edition; the shared
instance sits at {{ share | pct }} of the smallest dedicated cap.
{%- if custom %} (The {{ custom | join(", ") }} edition has no fixed cap and is left out.){% endif %}
""", growth=max(caps[1:]) / min(caps[1:]), low=eds[0]["edition"], high=eds[-1]["edition"],
     share=caps[0] / min(caps[1:]), custom=[r["edition"] for r in custom])

# %%
charts.bar_chart(labels, caps, "QPS cap per service or API", "QPS")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
