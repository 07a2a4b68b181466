"""价格文档 › 短信计费情况说明 · How SMS are charged.

An SMS is charged once the carrier accepts it (提交成功), whatever the delivery status turns out
to be. It is taken first from an SMS pack; with no SMS pack left it becomes
``cloudbase.pricelist.calls.per_sms`` calls, which are taken from the plan's calls, then from call
packs, then paid as you go at the calls overage price: SMS pack (短信资源包) > plan calls (套餐内调用次数)
> call pack (调用次数资源包) > calls paid as you go (按量). The day's conversion factor, quota and price
are those in force on the day the SMS are sent.
"""
from __future__ import annotations

from pricing.engine.calcs import calc, count, flag, number
from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import drawdown
from pricing.engine.errors import InputError
from pricing.engine.money import BILLED, ZERO, integral, nonneg
from pricing.engine.periods import as_date
from pricing.engine.policies import choose
from pricing.engine.results import Result
from .lineup import factor, metric_row
from .packs import PACK_WINDOW, pack_pools
from .pricelist import (CALLS, FREE, FREE_OVERAGE, PACKS, PLAN_OR_FREE, USAGE_DAY, day_start, ledger_steps, overage_fee,
                        plan_pool, price_text, quota, quota_plan, whole)


def sms_ledger(cat: CatalogView, plan, day, submitted, delivery_failed="0", calls_before="0", packs=None,
               keep_serving: bool = True, policies: dict | None = None) -> Result:
    at = day_start(as_date(day, "day"))
    cat = cat.at(at)
    qp = quota_plan(cat, plan)
    n = nonneg(submitted, "submitted")
    failed = nonneg(delivery_failed, "delivery_failed")
    if failed > n:
        raise InputError("delivery_failed", delivery_failed, f"at most submitted ({n}): only submitted SMS can fail delivery")
    before = nonneg(calls_before, "calls_before")
    per_sms = cat.dec("cloudbase.pricelist.calls.per_sms")
    f = factor(cat, CALLS)
    unit = metric_row(cat, CALLS)["unit"].replace("/month", "")
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
    res.step(f"SMS left for calls × {integral(per_sms)}", calls, f"{rest} SMS × {per_sms} calls = {calls / f} {unit}")
    q = quota(cat, plan, CALLS)
    left_q = max(ZERO, q - before)
    res.step("plan calls left", left_q, f"{unit} ({q} − {before})")
    led = drawdown(CALLS, calls / f, at, [plan_pool(CALLS, left_q, qp), *[p for p in pools if CALLS in p.metrics]])
    ledger_steps(res, led, unit)
    from_plan = led.covered_by(f"plan-quota:{qp}")
    from_call_packs = led.covered - from_plan
    payg = led.uncovered
    if keep_serving:
        fee = overage_fee(cat, CALLS, payg)
        res.step("calls paid as you go", fee, f"{payg} {unit} at {price_text(cat, CALLS)}")
        refused = ZERO
    else:
        fee, refused = ZERO, payg
        res.step("calls beyond quota and packs: refused (keep serving off)", payg, unit)
    res.outputs.update(from_sms_pack=from_pack, calls_needed=whole(calls), calls_from_plan=whole(from_plan * f),
                       calls_from_packs=whole(from_call_packs * f), calls_payg=whole(payg * f) if keep_serving else ZERO,
                       calls_refused=whole(refused * f), fee=BILLED(fee), unrounded=fee)
    return res


@calc("cloudbase.pricelist.sms", "SMS sent in a day: SMS pack, then plan calls, then call packs, then calls paid as you go",
      [PLAN_OR_FREE, USAGE_DAY, count("submitted", "SMS", "0", "SMS accepted by the carrier (提交成功)"),
       count("delivery_failed", "SMS", "0", "of those, how many later failed delivery (送达失败)"),
       number("calls_before", "quota unit of calls", "0", "the plan's calls already used this cycle", minimum="0"),
       PACKS, flag("keep_serving", True, "keep serving beyond quota (超限不停服)")],
      moment="day", policies=[PACK_WINDOW, FREE_OVERAGE])
def _sms(cat, inputs, policies):
    return sms_ledger(cat, inputs["plan"], inputs["day"] or cat.moment.date(), inputs["submitted"],
                      inputs["delivery_failed"], inputs["calls_before"], inputs["packs"], inputs["keep_serving"], policies)
