# %% [markdown]
# # 预留资源 · Reserved resources
#
# *Source: 云开发 CloudBase 购买指南 › 预留资源 (section revised 2025-05-28 15:29:12); the same packages are
# priced per day in 价格文档 › 大促资源包.*
#
# For promotions and other traffic peaks, an environment can reserve capacity ahead of time with
# **promotion packages** (大促套餐), sold by the whole day. A **function package**
# (云函数) reserves provisioned-concurrency memory (预置并发内存) and raises the per-function instance cap
# (单函数最大并发实例个数), the account's scale-out speed (账号下扩容速度) and the environment's QPS. A
# **database package** (云数据库) raises concurrent connections (并发连接数), simultaneous online (watch)
# connections (同时在线连接数) and the environment's QPS, with a suggested ceiling for read/write QPS.
#
# Packages can be bought alone or together, renewed (续费) and upgraded (升配) but never downgraded
# (降配), and refunded for their remaining time, floored to whole days. While a package is valid, the
# pay-as-you-go items it stands in for are not billed (idle provisioned concurrency, database reads and
# writes); once it expires, they are. Capacity should be bought some hours before it is needed.
#
# An order is priced at its order instant for every day it buys (a later price version does not reach
# it), and refunded under the terms in force then; idle concurrency after expiry is usage, priced at
# its own instant.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.rules.cloudbase import reserved as rv
from pricing.engine.errors import PricingError
from pricing.engine.money import D, round_at
from pricing.engine.units import convert_size
from datetime import datetime, timedelta

spec = Spec(catalog, "cloudbase.reserved", as_of)
spec.entries("cloudbase.reserved.")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Packages are sold in whole days, at least {{ v("cloudbase.reserved.min_days") | trim }}, and should be bought at
least {{ v("cloudbase.reserved.lead_time") }} before the capacity is needed. The package kinds:
{% for k in rows("cloudbase.reserved.kinds") %}{{ k["kind"] }} ({{ k["zh"] }}){{ ", " if not loop.last else "." }}{% endfor %}
""")

# %% [markdown]
# ## 套餐定价 · The packages
#
# Function packages:

# %%
spec.rows("cloudbase.reserved.function_packages")

# %% [markdown]
# Database packages (W = 万 = 10,000):

# %%
spec.rows("cloudbase.reserved.database_packages")

# %% [markdown]
# ### Two price units for one price

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
This section heads its price column **万元** and gives no time unit, though it bills by the day; the
price list sells the same {{ n }} packages in **元 per day**. The catalog keeps this section's 万元 figures;
each 元/天 figure of the price list is reproduced from them (× 10,000) in the examples below, so the two
tables check each other. (The price list calls the {{ cell("cloudbase.reserved.function_packages", "package", "fn_25tb", "memory") }}
{{ cell("cloudbase.reserved.function_packages", "package", "fn_25tb", "memory_unit") }} package "20T"; that name is its own
register's business, `CB-PL-PROMO-20T`.)
""", n=len(rv.packages(spec.cat)))

# %%
md_table(["package", "中文", "this section (万元)", "× 10,000 = 元/天"],
         [[p, r["zh"], rv.price_wan(spec.cat, p), rv.daily_yuan(spec.cat, p)] for p, r in rv.packages(spec.cat).items()])

# %% tags=["cloudbase.reserved.yuan-fn_500gb"]
spec.example("cloudbase.reserved.yuan-fn_500gb")

# %% tags=["cloudbase.reserved.yuan-fn_2_5tb"]
spec.example("cloudbase.reserved.yuan-fn_2_5tb")

# %% tags=["cloudbase.reserved.yuan-fn_5tb"]
spec.example("cloudbase.reserved.yuan-fn_5tb")

# %% tags=["cloudbase.reserved.yuan-fn_10tb"]
spec.example("cloudbase.reserved.yuan-fn_10tb")

# %% tags=["cloudbase.reserved.yuan-fn_25tb"]
spec.example("cloudbase.reserved.yuan-fn_25tb")

# %% tags=["cloudbase.reserved.yuan-db_0_3w"]
spec.example("cloudbase.reserved.yuan-db_0_3w")

# %% tags=["cloudbase.reserved.yuan-db_0_5w"]
spec.example("cloudbase.reserved.yuan-db_0_5w")

# %% tags=["cloudbase.reserved.yuan-db_1w"]
spec.example("cloudbase.reserved.yuan-db_1w")

# %% tags=["cloudbase.reserved.yuan-db_1_5w"]
spec.example("cloudbase.reserved.yuan-db_1_5w")

# %% tags=["cloudbase.reserved.yuan-db_1_8w"]
spec.example("cloudbase.reserved.yuan-db_1_8w")

# %% [markdown]
# ### What a GB of reserved memory costs

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Per GB of provisioned memory and per day (1 TB = 1024 GB, register `UNITS-DATA-BASE`), set against
what the same memory would cost as idle provisioned concurrency at the pay-as-you-go price
({{ v("cloudbase.pricelist.other.idle_concurrency") }} 元/GBs × 86400 s a day). The smallest package costs slightly **more**
per GB than leaving the memory idle at list price; the package also buys the higher instance cap, scale-out speed
and QPS.
""")

# %%
idle_gb_day = spec.cat.dec(rv.IDLE_PRICE) * 86400
fn = [p for p, r in rv.packages(spec.cat).items() if "memory" in r]  # the packages that reserve memory
per_gb = [rv.daily_yuan(spec.cat, p) / (rv.memory_mb(spec.cat, p) / 1024) for p in fn]
md_table(["package", "memory (GB)", "元/天", "元 per GB·day", "idle price per GB·day", "package − idle"],
         [[p, rv.memory_mb(spec.cat, p) / 1024, rv.daily_yuan(spec.cat, p), round_at(g, "0.0001"), idle_gb_day,
           round_at(g - idle_gb_day, "0.0001")] for p, g in zip(fn, per_gb)])

# %%
mem = [rv.memory_mb(spec.cat, p) / 1024 for p in fn]
charts.line_chart([("package price per GB·day", mem, per_gb), ("idle concurrency at list price", mem, [idle_gb_day] * len(mem))],
                  "Function packages: price per GB of provisioned memory per day", "provisioned memory (GB)", "CNY per GB·day")

# %% [markdown]
# ## 配额 · Quotas with and without a package

# %% tags=["prose", "from-example:cloudbase.reserved.remaining-256000"] jupyter={"source_hidden": true}
spec.at_example("cloudbase.reserved.remaining-256000").md("""
Without a package, an environment may provision {{ v("cloudbase.reserved.default.instance_memory_mb") }} MB ×
{{ v("cloudbase.reserved.default.instances") | n }} of memory, a function may run
{{ v("cloudbase.reserved.default.max_instances_per_function") | n }} concurrent instances, and the account scales out by
{{ v("cloudbase.reserved.default.scale_out_per_min") }} instances a minute. The provisioning screen shows the first as
"remaining provisionable memory {{ q["provisioned_memory_mb"] | n }} MB".
""", q=rv.combination(spec.at_example("cloudbase.reserved.remaining-256000").cat, []))

# %% tags=["cloudbase.reserved.remaining-256000"]
spec.example("cloudbase.reserved.remaining-256000")

# %% tags=["cloudbase.reserved.default-max-instances"]
spec.example("cloudbase.reserved.default-max-instances")

# %% tags=["cloudbase.reserved.default-scale-out"]
spec.example("cloudbase.reserved.default-scale-out")

# %% tags=["cloudbase.reserved.fn_500gb-instances"]
spec.example("cloudbase.reserved.fn_500gb-instances")

# %% [markdown]
# A function package and a database package held together:

# %%
spec.show(spec.calc("cloudbase.reserved.quotas", {"packages": "fn_2_5tb,db_1w"}), "2.5 TB function package + 1W database package")

# %% [markdown]
# ## 购买说明 · Buying

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Whole days only, at least {{ v("cloudbase.reserved.min_days") | trim }}; the resources should be bought at least
{{ v("cloudbase.reserved.lead_time") }} before they are needed. A 5-day 0.3W database package with a 200-yuan voucher:
""")

# %%
spec.show(spec.calc("cloudbase.reserved.purchase", {"package": "db_0_3w", "days": "5", "bought_at": "2025-11-09T08:00:00",
                                                    "needed_at": "2025-11-10T00:00:00", "voucher": "200"}),
          "Database package 0.3W for 5 days")

# %%
def attempt(label, fn):
    try:
        r = fn()
        return [label, "accepted", r if not hasattr(r, "outputs") else r["paid"], ""]
    except PricingError as e:
        return [label, type(e).__name__, "—", str(e)]

md_table(["request", "outcome", "value", "why"], [
    attempt("500 GB for 0 days", lambda: rv.purchase(spec.cat, ["fn_500gb"], "0", "2025-11-09T08:00:00")),
    attempt("500 GB for 1.5 days", lambda: rv.purchase(spec.cat, ["fn_500gb"], "1.5", "2025-11-09T08:00:00")),
    attempt("a '1 TB' package", lambda: rv.purchase(spec.cat, ["fn_1tb"], "1", "2025-11-09T08:00:00")),
    attempt("needed a minute short of the lead time", lambda: rv.purchase(spec.cat, ["fn_500gb"], "1", "2025-11-09T08:00:00",
            datetime(2025, 11, 9, 8) + spec.cat.at("2025-11-09T08:00:00").timedelta("cloudbase.reserved.lead_time")
            - timedelta(minutes=1))),
    attempt("two 500 GB packages at once", lambda: rv.purchase(spec.cat, ["fn_500gb", "fn_500gb"], "1", "2025-11-09T08:00:00")),
    attempt("change 5 TB → 10 TB", lambda: rv.change(spec.cat, "fn_5tb", "fn_10tb")),
    attempt("change 5 TB → 5 TB", lambda: rv.change(spec.cat, "fn_5tb", "fn_5tb")),
    attempt("change 1W → 0.5W", lambda: rv.change(spec.cat, "db_1w", "db_0_5w")),
])

# %% [markdown]
# ## 退款 · Refunds
#
# The purchase screen's note: a refund follows the remaining validity, floored to whole days — with 1 day
# 21 hours left, one day is refunded. The buying rules speak instead of refunding "the amount actually
# paid" (register `CB-RES-REFUND`). Under the default, the refund is the floored number of remaining days
# times what was paid per day (discounts and vouchers are kept):

# %% tags=["cloudbase.reserved.refund-1d21h"]
spec.example("cloudbase.reserved.refund-1d21h")

# %% tags=["from-example:cloudbase.reserved.refund-1d21h"]
import sympy as sp
back = spec.at_example("cloudbase.reserved.refund-1d21h")  # the example's package and price, at its own date
h, p = sp.symbols("h p", nonnegative=True)
refund = sp.floor(h / 24) * p
ex = back.calc("cloudbase.reserved.refund", {"package": "fn_500gb", "days": "3", "bought_at": "2025-06-01T10:00:00",
                                             "at": "2025-06-02T13:00:00"})
formula(r"\mathrm{refund}(h)", refund, {h: 45, p: formulas.R(rv.daily_yuan(back.cat, "fn_500gb"))}, ex["refund"],
        "Refund with h hours of validity left, at p yuan per day: 45 hours, 500 GB package")

# %% tags=["prose", "from-example:cloudbase.reserved.refund-1d21h"] jupyter={"source_hidden": true}
back.md("""
The refund as the remaining time runs down (a 3-day 500 GB package, {{ paid | n }} yuan): a staircase that
drops by one day's price at each whole day left.
""", paid=rv.purchase(back.cat, ["fn_500gb"], "3", "2025-06-01T10:00:00")["paid"])

# %% tags=["from-example:cloudbase.reserved.refund-1d21h"]
start = datetime(2025, 6, 1, 10)
left = list(range(1, 73))
ref = [rv.refund(back.cat, ["fn_500gb"], "3", start, start + timedelta(hours=72 - k))["refund"] for k in left]
charts.line_chart([("refund (CNY)", [D(k) for k in left], ref)], "500 GB package bought for 3 days: refund against hours left",
                  "hours of validity left", "CNY", step=True)

# %% [markdown]
# ## 有效期内与到期后 · Inside and after the validity
#
# While a function package is valid, idle provisioned concurrency is not pushed to pay-as-you-go; while
# a database package is valid, reads and writes are not billed apart. After expiry both are billed again,
# and provisioned instances keep running (and costing) until they are deleted.

# %%
spec.rows("cloudbase.reserved.covered_in_validity")

# %%
w = rv.window("2025-06-01T10:00:00", 1)
md_table(["moment", "idle volume (GBs)", "fee (CNY)"],
         [[m, r["gbs"], r["fee"]] for m, r in
          ((m, rv.idle_charge(spec.cat, "256", "1000", "3600", m, w)) for m in ("2025-06-01T12:00:00", "2025-06-02T10:00:00"))])

# %% [markdown]
# ### 预置一个 256MB 的实例 · What one provisioned instance costs a day

# %% tags=["prose", "from-example:cloudbase.reserved.instance-day-0.0001"] jupyter={"source_hidden": true}
dialog = spec.at_example("cloudbase.reserved.instance-day-0.0001")  # the dialog's figures, at the example's date
dialog.md("""
The provisioning dialog says a {{ v("cloudbase.reserved.screen.instance_memory_mb") }} MB instance is expected to cost
{{ v("cloudbase.reserved.screen.instance_day_cost") }} yuan a day. At the idle price of
{{ v("cloudbase.pricelist.other.idle_concurrency") }} 元/GBs it costs {{ gb | trim }} GB × 86400 s ×
{{ v("cloudbase.pricelist.other.idle_concurrency") }} ≈ {{ day["per_instance_day"] | yuan }} yuan a day (register
`CB-RES-INSTANCE-DAY`); the same dialog's "expected daily consumption {{ v("cloudbase.reserved.screen.expected_daily") }}"
has no unit at all, and nothing is priced from it.
""", gb=convert_size(dialog.cat.dec("cloudbase.reserved.screen.instance_memory_mb"), "MB", "GB"),
     day=dialog.calc("cloudbase.reserved.provisioned_cost"))

# %% tags=["cloudbase.reserved.instance-day-0.0001"]
spec.example("cloudbase.reserved.instance-day-0.0001")

# %% tags=["from-example:cloudbase.reserved.instance-day-0.0001"]
g, s, q = sp.symbols("g s q", positive=True)
day = g * s * q
mb = dialog.cat.dec("cloudbase.reserved.screen.instance_memory_mb")
formula(r"\mathrm{cost}_{\mathrm{day}}", day, {g: formulas.R(convert_size(mb, "MB", "GB")), s: 86400,
                                                q: formulas.R(dialog.cat.dec(rv.IDLE_PRICE))},
        dialog.calc("cloudbase.reserved.provisioned_cost", {"memory_mb": str(mb)})["per_instance_day"],
        f"One {mb} MB instance idle for a day at the list price")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
