# %% [markdown]
# # 微信云托管说明 · WeChat Cloud Hosting
#
# *Source: 云开发 CloudBase 购买指南 › 微信云托管说明 (section revised 2024-12-05 11:01:31).*
#
# WeChat Cloud Hosting (微信云托管), built jointly by the WeChat and Tencent Cloud teams, runs mini-program
# and official-account back ends in containers without servers to manage. It bills at **list prices**
# (刊例价) for containers (容器: CPU, memory, build time, public traffic), MySQL (compute and storage),
# object storage (对象存储: capacity, download and upload operations, CDN and CDN origin-pull traffic) and
# static resource storage (静态资源存储: capacity, traffic).
#
# The account's **first environment** receives a free quota (免费额度) of most items, valid for some
# months from its creation. Usage above the quota while it is valid, and all usage after it lapses, is
# billed at list price. A bill is therefore, item by item, usage minus the free quota still in force,
# times the price in force when the usage happens; the free quota is the one granted at creation.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, View, formula, md_table
from pricing.spec import formulas, charts
from pricing.rules.cloudbase import hosting as ho
from pricing.engine.errors import PricingError
from pricing.engine.money import D

spec = Spec(catalog, "cloudbase.hosting", as_of)
spec.entries("cloudbase.hosting.")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The free quota is valid for {{ v("cloudbase.hosting.free_validity") }} from the first environment's creation and covers
every item except {{ unfree | join(", ") }}.
""", unfree=[k for k, r in ho.items(spec.cat).items() if r["free"] != "yes"])

# %% [markdown]
# ## 刊例价及首次免费额度 · List prices and the first environment's free quota

# %%
rows = []
for k, it in ho.items(spec.cat).items():
    e = spec.cat.entry(f"cloudbase.hosting.price.{k}")
    f = ho.free_quota(spec.cat, k)
    fe = spec.cat.entry(f"cloudbase.hosting.free.{k}") if f is not None else None
    rows.append([k, it["feature"], it["param"], e.value, e.unit, it["measured"], f if f is not None else "none",
                 fe.unit if fe else ""])
md_table(["item", "所属功能", "参数", "price", "price unit", "usage measured in", "free quota", "free unit"], rows)

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Note the units. Memory is priced per **GB**·hour but counted in **GiB**·hours (register `UNITS-DATA-BASE`);
MySQL storage is priced per GB·**hour**, object-storage capacity per GB·**day** — and the latter's free
quota is a bare "{{ v("cloudbase.hosting.free.cos_capacity") }}GB" (`CB-HOST-STORAGE-UNITS`).
""")

# %% [markdown]
# ## 计费参数说明 · Billing units

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
A resource·hour is one core (or one GiB) for one hour, or two for half an hour; an hour of resource is
{{ cell("cloudbase.hosting.time_units", "unit", "minute", "per_hour") | n }} resource·minutes or
{{ cell("cloudbase.hosting.time_units", "unit", "second", "per_hour") | n }} resource·seconds.
""")

# %%
spec.rows("cloudbase.hosting.time_units")

# %% tags=["cloudbase.hosting.core-hour-2x30min"]
spec.example("cloudbase.hosting.core-hour-2x30min")

# %% tags=["cloudbase.hosting.core-hour-minutes"]
spec.example("cloudbase.hosting.core-hour-minutes")

# %% tags=["cloudbase.hosting.core-hour-seconds"]
spec.example("cloudbase.hosting.core-hour-seconds")

# %% tags=["cloudbase.hosting.gib-hour-2x30min"]
spec.example("cloudbase.hosting.gib-hour-2x30min")

# %% tags=["cloudbase.hosting.gib-hour-minutes"]
spec.example("cloudbase.hosting.gib-hour-minutes")

# %% tags=["cloudbase.hosting.gib-hour-seconds"]
spec.example("cloudbase.hosting.gib-hour-seconds")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Object-storage downloads and uploads are counted in blocks of {{ v("cloudbase.hosting.ops_block") | n }} (万次), whether
the request succeeds or fails, and a part block counts as a whole one.
""")

# %% tags=["cloudbase.hosting.ops-block"]
spec.example("cloudbase.hosting.ops-block")

# %%
block = spec.cat.dec("cloudbase.hosting.ops_block")
price, per = ho.price(spec.cat, "cos_download")
md_table(["operations", f"blocks of {block}", "billed as", f"download fee at {price} per {per}"],
         [[n, ho.ops_blocks(spec.cat, n), ho.ops_blocks(spec.cat, n) * block, ho.ops_blocks(spec.cat, n) * block * price / per]
          for n in ("1", "9999", "10000", "10001", "123456")])

# %% tags=["prose", "from-example:cloudbase.hosting.mysql-28mb"] jupyter={"source_hidden": true}
mysql = spec.at_example("cloudbase.hosting.mysql-28mb")  # the example's system tables, at its own date
mysql.md("""
A MySQL compute unit (CCU) equals the compute of a {{ v("cloudbase.hosting.ccu_cores") }}-core,
{{ v("cloudbase.hosting.ccu_memory_gb") }} GB database. Storage accrues while MySQL is enabled, data or no data, because
its system tables take at least {{ v("cloudbase.hosting.mysql_system_mb") }} MB:
""")

# %% tags=["cloudbase.hosting.mysql-28mb"]
spec.example("cloudbase.hosting.mysql-28mb")

# %% tags=["from-example:cloudbase.hosting.mysql-28mb"]
mysql.show(mysql.calc("cloudbase.hosting.mysql_storage", {"data_mb": "0", "hours": "720"}),
          "An empty database over a 30-day month: storage in GB·hours")

# %% [markdown]
# ### 产生用量条件 · What generates usage
#
# As data: each action, the item it feeds, and whether it generates usage at all. Reaching a service only
# through `callcontainer` generates no traffic; deploying from an image generates no build time.

# %%
spec.rows("cloudbase.hosting.usage_rules", ["action", "item", "generates", "en"])

# %% [markdown]
# ## 免费额度 · How long the free quota lasts

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The quota runs from the first environment's creation to the same moment {{ v("cloudbase.hosting.free_validity") }} later,
counted from the creation date (a day the target month lacks becomes its last day). The validity is the one in force
at the creation.
""")

# %% tags=["cloudbase.hosting.free-months"]
spec.example("cloudbase.hosting.free-months")

# %% tags=["cloudbase.hosting.free-expiry"]
spec.example("cloudbase.hosting.free-expiry")

# %%
md_table(["first environment created", "free quota lapses", "days"],
         [[c, r["expires"], r["days"]] for c, r in
          ((c, spec.calc("cloudbase.hosting.free_window", {"created": c})) for c in
           ("2025-01-01T00:00:00", "2025-01-31T09:30:00", "2024-11-30T10:00:00", "2023-11-30T10:00:00"))])

# %% [markdown]
# ## 账单 · A bill
#
# An environment created 2025-01-01 runs a 1-core, 2 GiB service all through January, builds for 650
# minutes, sends 7 GB to the internet, keeps 10 GB in object storage and serves 61 million downloads and
# 2 GB of static traffic. Each item: usage − free quota, times price.

# %%
usage = ["2025-01-01 cpu 24 x31", "2025-01-01 memory 48 x31", "2025-01-05 build 650", "2025-01-20 traffic 7",
         "2025-01-01 cos_capacity 10 x31", "2025-01-25 cos_download 6100万", "2025-01-28 static_traffic 2"]
bill = spec.calc("cloudbase.hosting.bill", {"created": "2025-01-01T00:00:00", "usage": usage})
spec.show(bill, "January, first environment, within the free quota's three months")

# %% tags=["prose"] jupyter={"source_hidden": true}
jan = spec.cat.at(bill.as_of)  # the catalog the bill was priced with (January 2025), not the notebook's as-of date
spec.md("""
The same bill as formulas, one line per item: $\\mathrm{fee}_i = \\max(0, u_i - f_i)\\,p_i$ (operations first
rounded up to blocks of {{ v("cloudbase.hosting.ops_block") | n }}, capacity free per day by default), then
$\\mathrm{bill} = \\sum_i \\mathrm{fee}_i$. Each line is checked against the package's figure for that item, the
sum against the bill's exact total; the prices are those in force in January 2025.
""", at=bill.as_of)

# %%
import sympy as sp
fees, lines = {}, []
for k in [k for k in ho.items(jan) if f"fee.{k}" in bill.outputs]:
    name = k.replace("_", "")  # subscripts without underscores, so that the LaTeX renders
    u_, f_, p_ = sp.symbols(f"u_{{{name}}} f_{{{name}}} p_{{{name}}}", nonnegative=True)
    price, per = ho.price(jan, k)
    # u: usage as billed (operations already rounded up to whole blocks), f: free quota drawn
    subs = {u_: formulas.R(bill[f"free.{k}"] + bill[f"billed.{k}"]), f_: formulas.R(bill[f"free.{k}"]),
            p_: formulas.R(price / per)}
    lines.append(formula(rf"\mathrm{{fee}}_{{{name}}}", sp.Max(0, u_ - f_) * p_, subs, bill[f"fee.{k}"],
                         f"{k} ({ho.items(jan)[k]['param']})").md)
    fees[sp.Symbol(rf"\mathrm{{fee}}_{{{name}}}", nonnegative=True)] = formulas.R(bill[f"fee.{k}"])
lines.append(formula(r"\mathrm{bill}", sp.Add(*fees), fees, bill["exact"], "January's bill: the items' sum").md)
View("\n\n".join(lines))

# %% tags=["prose"] jupyter={"source_hidden": true}
made = spec.cat.at("2025-01-01T00:00:00")  # the free quota in force at the creation, as the bills below read it
spec.md("""
After the free quota lapses, nothing is free. One core running all day every day costs, by day of the
environment's life (the free {{ v("cloudbase.hosting.free.cpu") | n }} core·hours last {{ used_up }} days of continuous
running, then the price applies; after the quota lapses on {{ w["expires"] }} every hour is billed):
""", used_up=made.dec("cloudbase.hosting.free.cpu") / 24,
     w=spec.calc("cloudbase.hosting.free_window", {"created": "2025-01-01T00:00:00"}), at=made.moment)

# %%
free_days = made.dec("cloudbase.hosting.free.cpu") / 24
lapse = spec.calc("cloudbase.hosting.free_window", {"created": "2025-01-01T00:00:00"})["days"]
days = list(range(0, 121, 5))
cost = [ho.bill(spec.cat, "2025-01-01T00:00:00", [f"2025-01-01 cpu 24 x{d}"] if d else [])["exact"] for d in days]
charts.line_chart([("cumulative CPU bill (CNY)", [D(d) for d in days], cost)],
                  "One core running continuously from creation (2025-01-01)", "days since creation", "CNY",
                  vlines=[(free_days, "free core-h used"), (lapse, "quota lapses")])

# %%
md_table(["days running", "core·hours", "billed (CNY)"], [[d, 24 * d, c] for d, c in zip(days, cost) if d % 30 == 0])

# %% [markdown]
# Errors name the field: an unknown item, a negative quantity, usage before the environment existed.

# %%
def attempt(label, records):
    try:
        return [label, "billed", ho.bill(spec.cat, "2025-01-01T00:00:00", records)["total"], ""]
    except PricingError as e:
        return [label, type(e).__name__, "—", str(e)]

md_table(["usage", "outcome", "total", "why"], [
    attempt("GPU hours", ["2025-01-10 gpu 5"]),
    attempt("negative CPU", ["2025-01-10 cpu -5"]),
    attempt("before creation", ["2024-12-31 cpu 5"]),
    attempt("no date", ["cpu 5"]),
])

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
