"""价格文档 › 指标说明 · What the plan metrics count.

Calls (调用次数) gather storage, CDN-origin, database, function, sign-in and AI calls; one AI
conversation over SSE counts as ``cloudbase.pricelist.calls.per_sse`` calls, and an SMS sent with
no SMS pack as ``cloudbase.pricelist.calls.per_sms``. Resource use (资源使用量) is GB·s =
configured memory in GB × billed seconds, with workflows metered at the fixed
``cloudbase.pricelist.gbs.workflow_memory_mb`` and MySQL databases at their instance memory.
Storage traffic (存储流量) is CDN traffic plus static-hosting traffic — which the 其他资源 table
also prices on its own (policy below).
"""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.calcs import calc, choice, count, day, number
from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError
from pricing.engine.money import BILLED, ZERO, nonneg
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.rules.conventions import DATA_BASE, convert as convert_data
from pricing.engine.units import parse_count
from .lineup import factor, metric_row
from .pricelist import CALLS, PLAN_OR_FREE, USAGE_DAY, overage_fee, price_text, quota, whole

STORAGE_TRAFFIC = "storage_traffic_gb"
GBS = "gbs_wan"

# the sources of calls the section names (the input names of cloudbase.pricelist.calls_count);
# two of them convert at a catalog factor
CALL_SOURCES = {
    "storage_calls": "云存储 upload / download / temporary-link calls",
    "cdn_origin_calls": "calls caused by CDN origin pulls",
    "database_calls": "数据库 create / delete / update / query calls",
    "function_invocations": "云函数 invocations",
    "auth_calls": "sign-in, sign-out, token refresh",
    "ai_calls": "AI and agent API calls (not over SSE)",
    "sse_conversations": "AI conversation requests over an SSE connection (× per_sse)",
    "sms_without_pack": "SMS sent while no SMS pack is held (× per_sms)",
}
CALL_FACTORS = {"sse_conversations": "cloudbase.pricelist.calls.per_sse", "sms_without_pack": "cloudbase.pricelist.calls.per_sms"}

GBS_KINDS = ("function", "workflow", "mysql")  # what the section meters in GB·s (not catalog ids)

STATIC_TRAFFIC = policy(
    "cloudbase.pricelist.static_traffic",
    "Is static-hosting traffic drawn from the plan's storage-traffic quota, or billed on its own?",
    {"in-storage-quota": "指标说明: storage traffic includes static hosting, so it uses the quota first and pays the storage-traffic price beyond it",
     "outside-plan": "其他资源: static-website traffic is not in the plan and pays the static-traffic price from the first GB"},
    "in-storage-quota", "CB-PL-STATIC-TRAFFIC")

ON = day("on", None, "the day (default: the as-of date): the conversion factors and prices in force then")


def count_calls(cat: CatalogView, counts: dict) -> tuple[Decimal, list[tuple[str, Decimal, Decimal]]]:
    """Total calls from counts per source, at the factors in force at ``cat.moment``;
    returns (total, [(source, count, calls)])."""
    if not isinstance(counts, dict):
        raise InputError("counts", counts, "a table of source = count; sources: " + ", ".join(CALL_SOURCES))
    total, lines = ZERO, []
    for k, v in counts.items():
        if k not in CALL_SOURCES:
            raise InputError(f"counts.{k}", k, " | ".join(CALL_SOURCES))
        n = parse_count(v, f"counts.{k}")
        calls = n * (cat.dec(CALL_FACTORS[k]) if k in CALL_FACTORS else Decimal(1))
        lines.append((k, n, calls))
        total += calls
    return total, lines


@calc("cloudbase.pricelist.calls_count", "Calls counted from their sources (AI conversations and SMS convert)",
      [count(k, "count", "0", what) for k, what in CALL_SOURCES.items()] + [ON], moment="on")
def _calls_count(cat, inputs, policies):
    total, lines = count_calls(cat, {k: inputs[k] for k in CALL_SOURCES if inputs[k]})
    f = factor(cat, CALLS)
    unit = metric_row(cat, CALLS)["unit"].replace("/month", "")
    res = Result({})
    for k, n, calls in lines:
        res.step(CALL_SOURCES[k], calls, f"{n} × {calls / n if n else 1}" if n and calls != n else f"{n}")
    res.step("calls", total, f"= {total / f} {unit}")
    res.outputs.update(calls=total, calls_wan=total / f)
    return res


def gb_seconds(cat: CatalogView, kind: str, seconds: object, memory_mb: object = None,
               policies: dict | None = None) -> tuple[Decimal, Decimal, Decimal]:
    """(memory MB, memory GB, GB·s) for one run: functions at configured memory, workflows at the
    fixed memory in force, MySQL at the instance's memory."""
    if kind not in GBS_KINDS:
        raise InputError("kind", kind, " | ".join(GBS_KINDS))
    s = nonneg(seconds, "seconds")
    fixed = cat.dec("cloudbase.pricelist.gbs.workflow_memory_mb")
    if kind == "workflow":
        if memory_mb not in (None, "") and nonneg(memory_mb, "memory_mb") != fixed:
            raise InputError("memory_mb", memory_mb, f"omit it (or {fixed}): workflows are metered at a fixed {fixed} MB")
        mb = fixed
    else:
        if memory_mb in (None, ""):
            raise InputError("memory_mb", memory_mb, "the configured memory of the function, or the MySQL instance's memory, in MB")
        mb = nonneg(memory_mb, "memory_mb")
    gb = convert_data(mb, "MB", "GB", policies)  # units.data_base (UNITS-DATA-BASE)
    return mb, gb, gb * s


@calc("cloudbase.pricelist.gbs", "GB·s of one run, and its price as overage",
      [choice("kind", GBS_KINDS, help="what runs: a function, a workflow (fixed memory) or a MySQL database"),
       number("seconds", "s", "0", "billed run time", minimum="0"),
       number("memory_mb", "MB", None, "configured memory (functions, MySQL); omit for workflows", minimum="0"), ON],
      moment="on", policies=[DATA_BASE])
def _gbs(cat, inputs, policies):
    kind = inputs["kind"]
    mb, gb, gbs = gb_seconds(cat, kind, inputs["seconds"], inputs["memory_mb"], policies)
    res = Result({})
    res.step(f"{kind}: memory", mb, "MB" + (" (fixed for workflows)" if kind == "workflow" else ""))
    res.step("memory in GB (÷ 1024)", gb)
    res.step("GB·s = GB × seconds", gbs, f"{gb} × {inputs['seconds']}")
    fee = overage_fee(cat, GBS, gbs / factor(cat, GBS))
    res.step("priced as overage (if beyond the quota)", fee, f"CNY at {price_text(cat, GBS)}")
    res.outputs.update(memory_mb=mb, memory_gb=gb, gbs=whole(gbs), overage_fee=fee)
    return res


@calc("cloudbase.pricelist.storage_traffic", "One day's storage traffic: CDN and static hosting against the quota",
      [PLAN_OR_FREE, number("cdn_gb", "GB", "0", minimum="0"), number("static_gb", "GB", "0", minimum="0"),
       number("before", "GB", "0", "storage-traffic quota already used this cycle", minimum="0"), USAGE_DAY],
      moment="day", policies=[STATIC_TRAFFIC])
def _storage_traffic(cat, inputs, policies):
    """One day's storage traffic: CDN GB and static-hosting GB, with ``before`` GB of the cycle's
    storage-traffic quota already used; quota and prices of the day."""
    plan = inputs["plan"]
    cdn, static, before = inputs["cdn_gb"], inputs["static_gb"], inputs["before"]
    reading = choose(policies, STATIC_TRAFFIC)
    q = quota(cat, plan, STORAGE_TRAFFIC)
    left = max(ZERO, q - before)
    res = Result({}, policies={STATIC_TRAFFIC.name: reading})
    res.step("storage-traffic quota left", left, f"GB ({q} − {before})")
    in_quota = cdn + static if reading == "in-storage-quota" else cdn
    covered = min(left, in_quota)
    over = in_quota - covered
    res.step("drawn from the quota", covered, "CDN + static hosting" if reading == "in-storage-quota" else "CDN only")
    fee = overage_fee(cat, STORAGE_TRAFFIC, over)
    res.step("storage traffic beyond the quota", over, f"GB → {fee} CNY")
    static_fee = ZERO
    if reading == "outside-plan":
        price = cat.dec("cloudbase.pricelist.other.static_traffic")
        static_fee = static * price
        res.step("static-website traffic, billed on its own", static_fee, f"{static} GB × {price}")
    res.step("fee", fee + static_fee)
    res.outputs.update(fee=BILLED(fee + static_fee), unrounded=fee + static_fee, from_quota=covered)
    return res
