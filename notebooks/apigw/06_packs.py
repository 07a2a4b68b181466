# %% [markdown]
# # 资源包计费·计费规则 · Resource-pack billing: rules
#
# *Source: API 网关 购买指南(已停售) › 资源包计费 › 计费规则 (section revised 2023-09-06 10:27:24).*
#
# A resource pack (资源包) is a prepaid amount of one metered item. An account gets packs from the
# free quota, from campaigns, or by buying them in the console. While a pack counts, the hourly bills
# draw on it before anything is charged pay-as-you-go. This notebook restates the rules, reproduces
# the section's dates and its scope example with the billing engine, and records what the section
# leaves open.

# %% tags=["parameters"]
catalog = "../../pricing/catalog"
as_of = ""

# %%
from pricing.spec.notebook import Spec, formula, md_table
from pricing.spec import formulas, charts
from pricing.engine.money import D

spec = Spec(catalog, "apigw.packs", as_of)
spec.entries("apigw.packs")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Packs launched on {{ v("apigw.packs.launched_at") }}; a pack bought before that instant is refused.
Each pack's validity, source and launch date are read at its purchase, so a later change to the
validity applies only to packs bought after it.
""")

# %% [markdown]
# ## 资源包种类 · Pack types
#
# There are two types. A **call pack** (调用次数包) pays for API calls, which only shared instances are
# billed for. An **egress pack** (外网出流量包) pays for internet egress on shared and dedicated
# instances alike. Both are drawn down and settled hour by hour, like the bills they pay.

# %%
spec.rows("apigw.packs.types")

# %% tags=["apigw.packs.covers-call-shared"]
spec.example("apigw.packs.covers-call-shared")

# %% tags=["apigw.packs.covers-egress-dedicated"]
spec.example("apigw.packs.covers-egress-dedicated")

# %% tags=["apigw.packs.call-pack-no-egress"]
spec.example("apigw.packs.call-pack-no-egress")

# %% [markdown]
# Packs pay only for the two metered items. Anything else on the bill (the section's example is the
# instance fee of a "performance-guarantee cluster", read here as the dedicated instance fee) follows
# its own price list.

# %%
spec.rows("apigw.packs.not_covered")

# %% tags=["apigw.packs.instance-fee-not-covered"]
spec.example("apigw.packs.instance-fee-not-covered")

# %%
spec.show(spec.calc("apigw.packs.other_fees", {"edition": "basic", "at": "2023-02-10T10:00:00",
                                               "purchased": "2023-02-01T08:00:00", "pack_gb": "100", "egress_gb": "10"}),
          "A basic dedicated instance with an egress pack: one pay-as-you-go hour")

# %% [markdown]
# ## 资源包来源 · Where packs come from, and where they apply
#
# Free-quota packs (免费额度) arrive on their own after activation; their monthly amount does not carry
# over and they are never refunded. Campaign packs (运营活动) are bought at a discount in a campaign;
# self-service packs (自主选购) at the console's listed price. Both keep their whole balance for the
# full validity and may be refunded when the conditions of *退费说明* hold. Every pack is all-region
# (全地域通用): one pack serves the Chinese mainland, Hong Kong (China) and the regions abroad. Packs
# are sold for public-cloud regions and CNY accounts only; some finance-cloud regions are excluded.

# %%
spec.rows("apigw.packs.sources")

# %%
spec.rows("apigw.packs.region_scope")

# %% [markdown]
# ## 资源包有效期 · Validity

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
A bought pack takes effect on the day it is bought, straight away, and is valid for
"{{ v("apigw.packs.validity_label") }}", counted as {{ v("apigw.packs.validity") }}. The section's
example: bought and effective at 2023-02-01 08:00:00, it lapses at 2023-03-03 08:00:00. (The
free-quota pack of *共享实例计费* is printed one settlement period longer: register `APIGW-PACK-WINDOW`.)
""", at="2023-02-01T08:00:00")

# %% tags=["prose"] jupyter={"source_hidden": true}
bought = {"purchased": "2023-02-01T08:00:00", "source": "self-service"}
exact = spec.calc("apigw.packs.validity", bought, {"apigw.pack.window_end": "exact-30-days"})
billed = spec.calc("apigw.packs.validity", bought)  # the default reading
spec.md("""
Where the window ends has two readings (policy `apigw.pack.window_end`, register `APIGW-PACK-WINDOW`). Every
step in this notebook gives the instant a pack **lapses**, the first it no longer covers; the last second it
covers is one second earlier, and is named so where it is shown.

- `exact-30-days`, the section's own example: the pack lapses when its {{ v("apigw.packs.validity") }} have run,
  at {{ exact["lapses_at"] }}. **The three examples below pin this reading.**
- `{{ default }}`, the default, what an hourly bill does: the pack also covers the settlement period
  ({{ v("apigw.settlement.period") }}) that begins then, and lapses at {{ billed["lapses_at"] }} (shown after the examples).
""", at="2023-02-01T08:00:00", exact=exact, billed=billed, default=billed.policies["apigw.pack.window_end"])

# %% tags=["apigw.packs.validity-start"]
spec.example("apigw.packs.validity-start")

# %% tags=["apigw.packs.validity-lapse"]
spec.example("apigw.packs.validity-lapse")

# %% tags=["apigw.packs.validity-days"]
spec.example("apigw.packs.validity-days")

# %%
spec.show(billed, "The same pack under the default reading, through-settlement-hour (what a bill counts)")

# %% [markdown]
# ## 余量 · A bought pack keeps its balance; the free quota does not
#
# Inside its validity a bought pack keeps whatever it has left until it lapses. The free quota is
# renewed each period and its remainder is lost. The same 25,000 calls a day, at 10:00 each day from
# 2023-01-06, for an account opened 2023-01-05 09:00:00: what the free quota has left each day, and
# what a 1,000,000-call pack bought on 2023-02-01 08:00:00 has left (drawn alone, for comparison).

# %%
from datetime import datetime, timedelta
days = [datetime(2023, 1, 6, 10) + timedelta(days=i) for i in range(64)]
uses = [f"{d:%Y-%m-%dT%H:%M:%S} 25000" for d in days]
free_run = spec.calc("apigw.packs.carry_over", {"source": "free-quota", "start": "2023-01-05T09:00:00", "uses": uses})
pack_uses = [u for u, d in zip(uses, days) if d >= datetime(2023, 2, 1, 8)]
pack_run = spec.calc("apigw.packs.carry_over", {"source": "self-service", "start": "2023-02-01T08:00:00",
                                                "amount": "1000000", "uses": pack_uses})
md_table(["", "calls used", "covered", "billed calls", "call fee (CNY)"],
         [["free quota, 2023-01-06 → 2023-03-10", 25000 * len(uses), free_run["covered"], free_run["billed_calls"], free_run["fee"]],
          ["bought pack, 2023-02-01 → 2023-03-10", 25000 * len(pack_uses), pack_run["covered"], pack_run["billed_calls"], pack_run["fee"]]])

# %%
x_free = [D((d - days[0]).days) for d in days]
x_pack = [D((d - days[0]).days) for d in days if d >= datetime(2023, 2, 1, 8)]
charts.line_chart([("free quota: left after the day's calls", x_free, free_run["left_after"]),
                   ("bought 1,000,000-call pack: left", x_pack, pack_run["left_after"])],
                  "Balance after each day's 25,000 calls", "days after 2023-01-06", "calls left", step=True)

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The free quota refills to {{ v("apigw.free_quota.calls") | n }} when each period begins (on the 5th) and
drops what the last period left. The bought pack runs down through its {{ v("apigw.packs.validity") }}
and what remains when it lapses ({{ lapses }}, under the default window end `{{ reading }}`, as this run counts
it) lapses with it. With a validity of {{ v("apigw.packs.validity") }}
the two rules come to nearly the same thing: "keeps its balance for the whole validity" and "does not
carry over to the next month" differ only in how long the window is, not in what happens to a
remainder at its end.
""", at="2023-02-01T08:00:00", lapses=billed["lapses_at"], reading=billed.policies["apigw.pack.window_end"])

# %% [markdown]
# ## 结算顺序 · The order of deduction
#
# On each hourly bill the free quota is used first, then packs, then pay-as-you-go. Among several
# bought packs the guide sets no order; the engine takes the one that lapses first.

# %%
spec.show(spec.calc("apigw.packs.order", {"activated": "2023-01-05T09:00:00", "purchased": "2023-02-01T08:00:00",
                                          "pack_calls": "500万", "calls": "6500000", "at": "2023-02-10T10:00:00"}),
          "6,500,000 calls in one hour: free quota, then the pack, then 500,000 billed")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
**Arrears.** A pack does not protect an account in arrears: once the balance is below zero, calls
stop {{ v("apigw.arrears.grace") }} later (entry `apigw.arrears.grace`) whether or not a pack is still
valid. See *欠费说明*.
""")

# %% [markdown]
# ## 资源包生效范围 · The scope example
#
# A 5,000,000-call all-region call pack ("obtained on 2020-10-12, one month") is used between
# 2023-02-01 and 2023-03-03: Guangzhou makes 3,000,000 calls and 10 GB of egress, Hong Kong 500,000
# calls and 3 GB. The section answers, item by item, whether the pack pays. The engine places each
# region's totals in one settlement hour inside the window.

# %% tags=["apigw.packs.scope-gz-calls"]
spec.example("apigw.packs.scope-gz-calls")

# %% tags=["apigw.packs.scope-hk-calls"]
spec.example("apigw.packs.scope-hk-calls")

# %% tags=["apigw.packs.scope-gz-egress"]
spec.example("apigw.packs.scope-gz-egress")

# %% tags=["apigw.packs.scope-hk-egress"]
spec.example("apigw.packs.scope-hk-egress")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
The section stops at yes and no. In yuan, with the prices of *共享实例计费*: the egress is billed
because a call pack does not cover egress; the calls the pack pays for would otherwise have cost
350万 × {{ tier("apigw.shared.call_tiers", 0) }} per 万 calls. Uncovered quantities u at price p:
""", at="2023-02-15T10:00:00")

# %%
import sympy as sp
scope = {"pack_amount": "500万", "obtained": "2020-10-12T23:59:59", "window_start": "2023-02-01T00:00:00",
         "window_end": "2023-03-03T00:00:00", "at": "2023-02-15T10:00:00",
         "usage": ["guangzhou calls 300万", "guangzhou egress_gb 10", "hongkong calls 50万", "hongkong egress_gb 3"]}
# as the section intends it: the pack counts over the example's own window. That is a presentation reading
# (apigw.packs.scope_window) the worked examples above pin; its default, what a bill does, counts from the
# day the pack was obtained (the strict cell below).
intended = {"apigw.packs.scope_window": "example-window"}
res = spec.calc("apigw.packs.scope_example", scope, intended)
u_gz, u_hk, p_gz, p_hk, c = sp.symbols("u_gz u_hk p_gz p_hk c", nonnegative=True)
at_use = spec.cat.at(scope["at"])
formula(r"\mathrm{billed}", u_gz * p_gz + u_hk * p_hk,
        {u_gz: 10, p_gz: formulas.R(at_use.dec("apigw.egress.price.group_a")),
         u_hk: 3, p_hk: formulas.R(at_use.dec("apigw.egress.price.group_hk"))},
        res["total"], "Billed: the egress no pack covers")

# %%
N, tier_fee = formulas.tiered_fee(at_use, "apigw.shared.call_tiers")
formula(r"\mathrm{fee}(N)", tier_fee, {N: 3500000}, res["covered_calls_value"],
        "What the 3,000,000 + 500,000 covered calls would have cost")

# %% [markdown]
# Both runs below use the default window end, `through-settlement-hour` (see *资源包有效期* above): their
# step *pack counts* gives the instant the pack starts and the instant it lapses, the first it no longer
# covers, as the output `pack_lapses_at` and the drawdown's "validity window … to …" do.

# %%
spec.show(res, "The scope example, as the section intends it (the pack counts during the example's window)")

# %% tags=["prose"] jupyter={"source_hidden": true}
spec.md("""
Read strictly, a pack obtained on 2020-10-12 lapsed {{ v("apigw.packs.validity") }} later, more than
two years before this usage; every call is then billed as well. A real bill counts a pack from the day
it was obtained, so that is the default of `apigw.packs.scope_window`; only the section's worked example
counts it over its own window, and its examples pin that reading:
""", at="2020-10-12T23:59:59")

# %%
strict = spec.calc("apigw.packs.scope_example", scope, {"apigw.packs.scope_window": "obtained-date"})
spec.show(strict, "The same usage if the pack counts from 2020-10-12")

# %%
charts.bar_chart(["intended: billed", "intended: covered calls' value", "strict: billed"],
                 [res["total"], res["covered_calls_value"], strict["total"]],
                 "Scope example, 2023-02-01 → 2023-03-03 (CNY)", "CNY")

# %% [markdown]
# ## Discrepancy register · 本节的歧义与矛盾

# %%
spec.register()

# %% [markdown]
# ## Examples · 本节示例汇总

# %%
spec.summary()
