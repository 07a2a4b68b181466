"""价格文档 › 指标说明 · What the plan metrics count.

Calls (调用次数) gather storage, CDN-origin, database, function, sign-in and AI calls; one AI
conversation over SSE counts as 50 calls, and an SMS sent with no SMS pack as 2000. Resource use
(资源使用量) is GB·s = configured memory in GB × billed seconds, with workflows metered at a fixed
512 MB and MySQL databases at their instance memory. Storage traffic (存储流量) is CDN traffic plus
static-hosting traffic — which the 其他资源 table also prices on its own (policy below).
"""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.errors import InputError
from pricing.engine.calcs import calc
from pricing.engine.money import BILLED, ZERO, nonneg
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import WAN, convert_size, parse_count
from .pricelist import check_plan, overage_fee, quota, whole

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

GBS_KINDS = ("function", "workflow", "mysql")

STATIC_TRAFFIC = policy(
    "cloudbase.pricelist.static_traffic",
    "Is static-hosting traffic drawn from the plan's storage-traffic quota, or billed on its own?",
    {"in-storage-quota": "指标说明: storage traffic includes static hosting, so it uses the quota first and pays 0.21/GB beyond it",
     "outside-plan": "其他资源: static-website traffic is not in the plan and pays 0.21/GB from the first GB"},
    "in-storage-quota", "CB-PL-STATIC-TRAFFIC")


def count_calls(cat, counts: dict) -> tuple[Decimal, list[tuple[str, Decimal, Decimal]]]:
    """Total calls from counts per source; returns (total, [(source, count, calls)])."""
    if not isinstance(counts, dict):
        raise InputError("counts", counts, "a table of source = count; sources: " + ", ".join(CALL_SOURCES))
    factor = {"sse_conversations": cat.dec("cloudbase.pricelist.calls.per_sse"),
              "sms_without_pack": cat.dec("cloudbase.pricelist.calls.per_sms")}
    total, lines = ZERO, []
    for k, v in counts.items():
        if k not in CALL_SOURCES:
            raise InputError(f"counts.{k}", k, " | ".join(CALL_SOURCES))
        n = parse_count(v, f"counts.{k}")
        calls = n * factor.get(k, Decimal(1))
        lines.append((k, n, calls))
        total += calls
    return total, lines


@calc("cloudbase.pricelist.calls_count")
def _calls_count(cat, inputs, policies):
    total, lines = count_calls(cat, {k: v for k, v in inputs.items()})
    res = Result({})
    for k, n, calls in lines:
        res.step(CALL_SOURCES[k], calls, f"{n} × {calls / n if n else 1}" if n and calls != n else f"{n}")
    res.step("calls", total, f"= {total / WAN} 万")
    res.outputs.update(calls=total, calls_wan=total / WAN)
    return res


def gb_seconds(cat, kind: str, seconds: object, memory_mb: object = None) -> tuple[Decimal, Decimal, Decimal]:
    """(memory MB, memory GB, GB·s) for one run: functions at configured memory, workflows at the fixed 512 MB,
    MySQL at the instance's memory."""
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
    gb = convert_size(mb, "MB", "GB")
    return mb, gb, gb * s


@calc("cloudbase.pricelist.gbs")
def _gbs(cat, inputs, policies):
    kind = inputs.get("kind")
    mb, gb, gbs = gb_seconds(cat, kind, inputs.get("seconds", "0"), inputs.get("memory_mb"))
    res = Result({})
    res.step(f"{kind}: memory", mb, "MB" + (" (fixed for workflows)" if kind == "workflow" else ""))
    res.step("memory in GB (÷ 1024)", gb)
    res.step("GB·s = GB × seconds", gbs, f"{gb} × {inputs.get('seconds', '0')}")
    fee = overage_fee(cat, "gbs_wan", gbs / WAN)
    res.step("priced as overage (if beyond the quota)", fee, "CNY at 0.00011108 per GB·s")
    res.outputs.update(memory_mb=mb, memory_gb=gb, gbs=whole(gbs), overage_fee=fee)
    return res


@calc("cloudbase.pricelist.storage_traffic")
def _storage_traffic(cat, inputs, policies):
    """One day's storage traffic: CDN GB and static-hosting GB, with ``before`` GB of the cycle's
    storage-traffic quota already used."""
    plan = check_plan(inputs.get("plan"), allow_free=True)
    cdn = nonneg(inputs.get("cdn_gb", "0"), "cdn_gb")
    static = nonneg(inputs.get("static_gb", "0"), "static_gb")
    before = nonneg(inputs.get("before", "0"), "before")
    reading = choose(policies, STATIC_TRAFFIC)
    q = quota(cat, plan, "storage_traffic_gb")
    left = max(ZERO, q - before)
    res = Result({}, policies={STATIC_TRAFFIC.name: reading})
    res.step("storage-traffic quota left", left, f"GB ({q} − {before})")
    in_quota = cdn + static if reading == "in-storage-quota" else cdn
    covered = min(left, in_quota)
    over = in_quota - covered
    res.step("drawn from the quota", covered, "CDN + static hosting" if reading == "in-storage-quota" else "CDN only")
    fee = overage_fee(cat, "storage_traffic_gb", over)
    res.step("storage traffic beyond the quota", over, f"GB → {fee} CNY")
    static_fee = ZERO
    if reading == "outside-plan":
        static_fee = static * cat.dec("cloudbase.pricelist.other.static_traffic")
        res.step("static-website traffic, billed on its own", static_fee, f"{static} GB × 0.21")
    res.step("fee", fee + static_fee)
    res.outputs.update(fee=BILLED(fee + static_fee), unrounded=fee + static_fee, from_quota=covered)
    return res
