"""价格文档 › 短信计费情况说明 · How SMS are charged.

An SMS is charged once the carrier accepts it (提交成功), whatever the delivery status turns out
to be. It is taken first from an SMS pack; with no SMS pack left it becomes 2000 calls, which are
taken from the plan's calls, then from call packs, then paid as you go at the calls overage price:
SMS pack (短信资源包) > plan calls (套餐内调用次数) > call pack (调用次数资源包) > calls paid as you go (按量).
"""
from __future__ import annotations

from datetime import datetime, time

from pricing.engine.drawdown import drawdown
from pricing.engine.errors import InputError
from pricing.engine.calcs import calc
from pricing.engine.money import BILLED, ZERO, nonneg
from pricing.engine.periods import as_date
from pricing.engine.policies import choose
from pricing.engine.results import Result
from pricing.engine.units import WAN, parse_count
from .pricelist import (FREE, FREE_OVERAGE, PACK_WINDOW, check_plan, flag, ledger_steps, overage_fee, pack_pools,
                        plan_pool, quota, whole)


def sms_ledger(cat, plan, day, submitted, delivery_failed="0", calls_before="0", packs=None,
               keep_serving: bool = True, policies: dict | None = None) -> Result:
    plan = check_plan(plan, allow_free=True)
    at = datetime.combine(as_date(day, "day"), time())
    n = parse_count(submitted, "submitted")
    failed = parse_count(delivery_failed, "delivery_failed")
    if failed > n:
        raise InputError("delivery_failed", delivery_failed, f"at most submitted ({n}): only submitted SMS can fail delivery")
    before = nonneg(calls_before, "calls_before")
    per_sms = cat.dec("cloudbase.pricelist.calls.per_sms")
    pools = pack_pools(cat, plan, packs, policies)
    res = Result({}, policies={PACK_WINDOW.name: choose(policies, PACK_WINDOW)})
    if plan == FREE and choose(policies, FREE_OVERAGE) == "refused":
        res.policies[FREE_OVERAGE.name] = "refused"
        keep_serving = False
    res.step("SMS charged (提交成功)", n, f"{failed} of them later failed delivery (送达失败): still charged" if failed else "")
    sms_led = drawdown("sms", n, at, [p for p in pools if "sms" in p.metrics])
    ledger_steps(res, sms_led, "SMS")
    from_pack = sms_led.covered
    rest = sms_led.uncovered
    calls = rest * per_sms
    res.step("SMS left for calls × 2000", calls, f"{rest} SMS × {per_sms} calls = {calls / WAN} 万 calls")
    q = quota(cat, plan, "calls_wan")
    left_q = max(ZERO, q - before)
    res.step("plan calls left", left_q, f"万 calls ({q} − {before})")
    led = drawdown("calls_wan", calls / WAN, at, [plan_pool("calls_wan", left_q, plan), *[p for p in pools if "calls_wan" in p.metrics]])
    ledger_steps(res, led, "万 calls")
    from_plan = led.covered_by(f"plan-quota:{plan}")
    from_call_packs = led.covered - from_plan
    payg = led.uncovered
    if keep_serving:
        fee = overage_fee(cat, "calls_wan", payg)
        res.step("calls paid as you go", fee, f"{payg} 万 × 0.5")
        refused = ZERO
    else:
        fee, refused = ZERO, payg
        res.step("calls beyond quota and packs: refused (keep serving off)", payg, "万 calls")
    res.outputs.update(from_sms_pack=from_pack, calls_needed=whole(calls), calls_from_plan=whole(from_plan * WAN),
                       calls_from_packs=whole(from_call_packs * WAN), calls_payg=whole(payg * WAN) if keep_serving else ZERO,
                       calls_refused=whole(refused * WAN), fee=BILLED(fee), unrounded=fee)
    return res


@calc("cloudbase.pricelist.sms")
def _sms(cat, inputs, policies):
    return sms_ledger(cat, inputs.get("plan"), inputs.get("day", "2025-06-01"), inputs.get("submitted", "0"),
                      inputs.get("delivery_failed", "0"), inputs.get("calls_before", "0"), inputs.get("packs"),
                      flag(inputs, "keep_serving", True), policies)
