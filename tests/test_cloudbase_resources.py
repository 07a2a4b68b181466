"""CloudBase: resource-pack refunds, reserved resources, the gateway and WeChat Cloud Hosting.

Every figure asserted here is printed in the guide (资源包退费说明, 预留资源, 云开发网关, 微信云托管说明,
and where noted 价格文档) or follows from printed figures by the section's own rule."""
from datetime import datetime
from decimal import Decimal

import pytest

from pricing.engine import catalog
from pricing.rules.cloudbase import gateway, hosting, pack_refunds, reserved
from pricing.engine.errors import InputError, RuleError
from pricing.spec.examples import run_calc

CATALOG = catalog.load()
CAT = CATALOG.as_of(CATALOG.latest_change())  # the prices in force now (every guide example is also checked at its own date in test_examples)
D = Decimal


# ------------------------------------------------------------------ 资源包退费说明
class TestPackRefunds:
    def test_unused_pack_returns_cash_income_and_gift_but_not_vouchers(self):
        r = pack_refunds.refund(CAT, "2025-05-26T15:55:42", "2025-05-28T09:00:00", "0",
                                {"cash": "300", "income": "50", "gift": "30", "voucher": "20"})
        assert r["eligible"] is True
        assert r["refund"] == D("380")
        assert r["kept"] == D("20")

    def test_used_pack_is_refused_however_little_was_used(self):
        with pytest.raises(RuleError) as e:
            pack_refunds.refund(CAT, "2025-05-26T15:55:42", "2025-05-26T16:00:00", "1", {"cash": "400"})
        assert e.value.field == "used"
        assert "used (1)" in str(e.value)

    def test_request_before_purchase_is_an_input_error(self):
        with pytest.raises(InputError) as e:
            pack_refunds.refund(CAT, "2025-05-26T15:55:42", "2025-05-25T10:00:00", "0", {"cash": "400"})
        assert e.value.field == "requested_at"

    def test_seven_day_window_is_seven_times_24_hours(self):
        ok = pack_refunds.assess(CAT, "2025-05-26T15:55:42", "2025-06-02T15:55:41", "0", {"cash": "400"})
        assert ok["eligible"] and ok["refund"] == D("400")
        with pytest.raises(RuleError) as e:
            pack_refunds.refund(CAT, "2025-05-26T15:55:42", "2025-06-02T15:55:42", "0", {"cash": "400"})
        assert e.value.field == "requested_at"
        late = pack_refunds.refund(CAT, "2025-05-26T15:55:42", "2025-06-02T15:55:42", "0", {"cash": "400"},
                                   policies={"cloudbase.pack_refunds.window": "no-limit"})
        assert late["refund"] == D("400")

    def test_suspicious_request_may_be_refused(self):
        with pytest.raises(RuleError) as e:
            pack_refunds.refund(CAT, "2025-05-26T15:55:42", "2025-05-27T00:00:00", "0", {"cash": "400"}, suspicious=True)
        assert e.value.field == "suspicious"

    def test_bad_inputs_name_their_field(self):
        with pytest.raises(InputError) as e:
            pack_refunds.assess(CAT, "2025-05-26", "2025-05-27", "-1")
        assert e.value.field == "used"
        with pytest.raises(InputError) as e:
            pack_refunds.assess(CAT, "2025-05-26", "2025-05-27", "0", {"coupon": "5"})
        assert e.value.field == "paid" and "voucher" in e.value.allowed
        with pytest.raises(InputError):
            pack_refunds.assess(CAT, "2025-05-26", "2025-05-27", "0", {"cash": "-5"})

    def test_screenshot_row_runs_31_days_from_the_revision_instant(self):
        r = run_calc("cloudbase.pack_refunds.screenshot", CAT)
        assert r["days"] == 31
        assert r["start_is_revision_stamp"] is True
        assert r["spec"] == D("1000000") and r["unused"] is True

    def test_thirty_day_readings_use_the_price_list_validity(self):
        assert CAT.duration("cloudbase.pricelist.pack.validity").days == 30
        r = run_calc("cloudbase.pack_refunds.validity", CAT, {"start": "2025-05-26T15:55:42"},
                     {"cloudbase.pricelist.pack_window": "30x24h"})
        assert r["end"] == datetime(2025, 6, 25, 15, 55, 42) and r["days"] == 30


# ------------------------------------------------------------------ 预留资源
class TestReserved:
    WAN = {"fn_500gb": "0.24", "fn_2_5tb": "1.2", "fn_5tb": "2.32", "fn_10tb": "4.64", "fn_25tb": "11.6",
           "db_0_3w": "0.06", "db_0_5w": "0.12", "db_1w": "0.224", "db_1_5w": "0.384", "db_1_8w": "0.52"}
    YUAN = {"fn_500gb": "2400", "fn_2_5tb": "12000", "fn_5tb": "23200", "fn_10tb": "46400", "fn_25tb": "116000",
            "db_0_3w": "600", "db_0_5w": "1200", "db_1w": "2240", "db_1_5w": "3840", "db_1_8w": "5200"}

    def test_both_price_units(self):
        for pid, wan in self.WAN.items():
            assert reserved.price_wan(CAT, pid) == D(wan)
            assert reserved.daily_yuan(CAT, pid) == D(self.YUAN[pid])

    def test_price_list_promotion_table_names_these_packages(self):
        """价格文档 › 大促资源包 lists the same ten packs (another area's entry, keyed by these package ids)."""
        promo = CAT.value("cloudbase.pricelist.promo_packs")
        assert [r["pack"] for r in promo] == list(self.YUAN)
        for r in promo:
            assert reserved.package(CAT, r["pack"])["kind"] == ("function" if r["pack"].startswith("fn_") else "database")

    def test_idle_price_is_the_price_lists(self):
        assert CAT.dec(reserved.IDLE_PRICE) == D("0.00005471")

    def test_default_quotas(self):
        q = reserved.combination(CAT, [])
        assert q["provisioned_memory_mb"] == D("256000")
        assert q["max_instances"] == 1000 and q["scale_out_per_min"] == 500

    def test_package_raises_quotas_and_packages_of_two_kinds_combine(self):
        q = reserved.combination(CAT, ["fn_2_5tb", "db_1w"])
        assert q["allowed"]
        assert q["provisioned_memory_mb"] == D(2621440)  # 2.5 × 1024 × 1024
        assert q["max_instances"] == 5000 and q["scale_out_per_min"] == 1500
        assert q["db_connections"] == 10000 and q["db_online"] == 100000
        assert q["daily_price"] == D("14240")

    def test_purchase_per_day_and_at_least_one_whole_day(self):
        assert reserved.purchase(CAT, ["db_0_3w"], "5", "2025-06-01T10:00:00")["paid"] == D("3000")
        for bad in ("0", "1.5", "-1", "x"):
            with pytest.raises(InputError) as e:
                reserved.purchase(CAT, ["db_0_3w"], bad, "2025-06-01T10:00:00")
            assert e.value.field == "days"
        with pytest.raises(InputError) as e:
            reserved.purchase(CAT, ["fn_1tb"], "1", "2025-06-01T10:00:00")
        assert e.value.field == "package" and "fn_500gb" in e.value.allowed

    def test_buy_at_least_two_hours_ahead(self):
        ok = reserved.purchase(CAT, ["fn_500gb"], "1", "2025-06-01T10:00:00", needed_at="2025-06-01T12:00:00")
        assert ok["ready_at"] == datetime(2025, 6, 1, 12)
        with pytest.raises(RuleError) as e:
            reserved.purchase(CAT, ["fn_500gb"], "1", "2025-06-01T10:00:00", needed_at="2025-06-01T11:59:59")
        assert e.value.field == "needed_at"

    def test_refund_floors_the_remaining_time(self):
        r = reserved.refund(CAT, ["fn_500gb"], "3", "2025-06-01T10:00:00", "2025-06-02T13:00:00")
        assert r["refunded_days"] == 1 and r["refund"] == D("2400")
        last = reserved.refund(CAT, ["fn_500gb"], "3", "2025-06-01T10:00:00", "2025-06-03T11:00:00")
        assert last["refunded_days"] == 0 and last["refund"] == D("0")

    def test_refund_keeps_vouchers(self):
        # 3 days list 7,200, paid 6,000 after a 1,200 voucher; 2 whole days left: 2/3 of what was paid
        r = reserved.refund(CAT, ["fn_500gb"], "3", "2025-06-01T10:00:00", "2025-06-02T09:00:00", voucher="1200")
        assert r["refunded_days"] == 2 and r["refund"] == D("4000")

    def test_refund_errors(self):
        with pytest.raises(RuleError):
            reserved.refund(CAT, ["fn_500gb"], "1", "2025-06-01T10:00:00", "2025-06-02T10:00:00")
        with pytest.raises(InputError) as e:
            reserved.refund(CAT, ["fn_500gb"], "1", "2025-06-01T10:00:00", "2025-06-01T09:00:00")
        assert e.value.field == "at"

    def test_renew_upgrade_but_no_downgrade(self):
        assert reserved.change(CAT, "fn_500gb", "fn_500gb") == "renew"
        assert reserved.change(CAT, "fn_500gb", "fn_5tb") == "upgrade"
        with pytest.raises(RuleError):
            reserved.change(CAT, "db_1w", "db_0_5w")
        with pytest.raises(InputError):
            reserved.change(CAT, "db_1w", "fn_5tb")

    def test_idle_concurrency_is_not_billed_within_validity_and_is_after(self):
        w = reserved.window("2025-06-01T10:00:00", 1)
        inside = reserved.idle_charge(CAT, "256", "1000", "3600", "2025-06-01T12:00:00", w)
        assert inside["fee"] == 0
        after = reserved.idle_charge(CAT, "256", "1000", "3600", "2025-06-02T10:00:00", w)
        assert after["gbs"] == D("900000")  # 0.25 GB × 1000 × 3600 s
        assert after["fee"] == D("49.239")

    def test_one_256mb_instance_for_a_day(self):
        r = reserved.instance_day_cost(CAT, "256")
        assert r["per_instance_day"] == D("1.181736") and r["billed"] == D("1.18")
        assert CAT.dec("cloudbase.reserved.screen.instance_day_cost") == D("0.0001")


# ------------------------------------------------------------------ 云开发网关
class TestGateway:
    PRICES = {"测试版": 899, "入门版": 8999, "基础版": 34999, "标准版": 129999, "高级版": 219999,
              "进阶版": 429999, "企业版": 749999}
    MONTHS = {"1个月": 1, "2个月": 2, "3个月": 3, "4个月": 4, "5个月": 5, "半年": 6, "1年": 12, "2年": 24, "3年": 36, "4年": 48}

    def test_price_is_monthly_price_times_months(self):
        for zh, p in self.PRICES.items():
            for d, m in self.MONTHS.items():
                assert gateway.purchase(CAT, zh, d)["price"] == p * m

    def test_only_listed_durations(self):
        for bad in ("7mo", "7个月", "5y", "0mo", "", "1.5y"):
            with pytest.raises(InputError) as e:
                gateway.purchase(CAT, "basic", bad)
            assert e.value.field == "duration" and "半年" in e.value.allowed

    def test_unknown_edition(self):
        with pytest.raises(InputError) as e:
            gateway.purchase(CAT, "旗舰版", "1mo")
        assert e.value.field == "edition" and "企业版" in e.value.allowed

    def test_cheapest_edition(self):
        assert gateway.cheapest(CAT, "100", "1")["zh"] == "测试版"
        assert gateway.cheapest(CAT, "101", "1")["zh"] == "入门版"
        assert gateway.cheapest(CAT, "500", "50")["zh"] == "基础版"
        assert gateway.cheapest(CAT, "60000", "100")["zh"] == "进阶版"
        assert gateway.cheapest(CAT, "1000", "3001")["zh"] == "企业版"
        with pytest.raises(RuleError):
            gateway.cheapest(CAT, "200001", "1")
        with pytest.raises(InputError):
            gateway.cheapest(CAT, "-1", "1")
        with pytest.raises(TypeError):
            gateway.cheapest(CAT, 1.5, "1")

    def test_expiry_counts_from_the_start(self):
        r = gateway.purchase(CAT, "basic", "半年", "2024-08-31T00:00:00")
        assert r["expires"] == datetime(2025, 2, 28)

    def test_manual_renewal_only_before_expiry(self):
        r = gateway.renew(CAT, "test", "2025-06-30T00:00:00", "2025-06-29T23:59:59", "1y")
        assert r["expires"] == datetime(2026, 6, 30) and r["price"] == 10788
        with pytest.raises(RuleError) as e:
            gateway.renew(CAT, "test", "2025-06-30T00:00:00", "2025-06-30T00:00:00", "1mo")
        assert e.value.field == "at"
        assert gateway.renew(CAT, "test", "2025-06-30T00:00:00", "2025-07-05T00:00:00", "1mo", "auto")["expires"] == datetime(2025, 7, 30)
        with pytest.raises(InputError):
            gateway.renew(CAT, "test", "2025-06-30T00:00:00", "2025-06-01T00:00:00", "1mo", "weekly")


# ------------------------------------------------------------------ 微信云托管说明
class TestHosting:
    PRICES = {"cpu": "0.055", "memory": "0.032", "build": "0.05", "traffic": "0.8", "mysql_compute": "0.342",
              "mysql_storage": "0.00485", "cos_capacity": "0.0043", "cos_download": "0.01", "cos_upload": "0.01",
              "cdn_origin": "0.15", "cdn": "0.18", "static_capacity": "0.0043", "static_traffic": "0.21"}
    FREE = {"cpu": "720", "memory": "1440", "build": "600", "traffic": "5", "mysql_compute": "720",
            "mysql_storage": "720", "cos_capacity": "5", "cos_download": "60000000", "cos_upload": "30000000",
            "cdn_origin": "3", "cdn": "3", "static_capacity": None, "static_traffic": None}

    def test_list_prices_and_free_quotas(self):
        assert list(hosting.items(CAT)) == list(self.PRICES)
        for k, p in self.PRICES.items():
            assert hosting.price(CAT, k)[0] == D(p)
            f = hosting.free_quota(CAT, k)
            assert (f is None) if self.FREE[k] is None else f == D(self.FREE[k])

    def test_units(self):
        assert hosting.resource_hours(CAT, "2", "30", "minute") == 1
        assert hosting.resource_hours(CAT, "1", "3600", "second") == 1
        assert hosting.convert(CAT, "1", "hour", "minute") == 60
        assert hosting.convert(CAT, "3600", "second", "hour") == 1
        with pytest.raises(InputError):
            hosting.convert(CAT, "1", "hour", "day")

    def test_ops_round_up_to_whole_ten_thousands(self):
        assert hosting.ops_blocks(CAT, "1") == 1
        assert hosting.ops_blocks(CAT, "10000") == 1
        assert hosting.ops_blocks(CAT, "10001") == 2
        assert hosting.ops_blocks(CAT, "0") == 0

    def test_free_window_clamps_month_end(self):
        assert hosting.free_window(CAT, "2025-01-31T08:00:00").end == datetime(2025, 4, 30, 8)
        assert hosting.free_window(CAT, "2024-11-30T10:00:00").end == datetime(2025, 2, 28, 10)

    def test_bill_is_usage_minus_free_times_price(self):
        r = hosting.bill(CAT, "2025-01-01T00:00:00", ["2025-01-10 cpu 800", "2025-01-10 traffic 7", "2025-01-11 build 650",
                                                      "2025-01-12 static_traffic 10"])
        # (800-720)×0.055 + (7-5)×0.8 + (650-600)×0.05 + 10×0.21 (static has no free quota)
        assert r["exact"] == D("4.4") + D("1.6") + D("2.5") + D("2.1")
        assert r["total"] == D("10.60")

    def test_after_three_months_everything_is_billed(self):
        r = hosting.bill(CAT, "2025-01-01T00:00:00", ["2025-04-01 cpu 10"])
        assert r["total"] == D("0.55")
        inside = hosting.bill(CAT, "2025-01-01T00:00:00", ["2025-03-31T23:59:59 cpu 10"])
        assert inside["total"] == 0

    def test_only_the_first_environment_has_a_free_quota(self):
        r = hosting.bill(CAT, "2025-01-01T00:00:00", ["2025-01-10 cpu 10"], first_environment=False)
        assert r["total"] == D("0.55")

    def test_downloads_beyond_the_free_quota_in_blocks(self):
        r = hosting.bill(CAT, "2025-01-01T00:00:00", ["2025-01-10 cos_download 6000万", "2025-01-11 cos_download 1"])
        assert r["billed.cos_download"] == 10000 and r["total"] == D("0.01")

    def test_bad_usage(self):
        with pytest.raises(InputError) as e:
            hosting.bill(CAT, "2025-01-01", ["2025-01-10 gpu 1"])
        assert e.value.field == "item"
        with pytest.raises(InputError):
            hosting.bill(CAT, "2025-01-01", ["2025-01-10 cpu -1"])
        with pytest.raises(InputError) as e:
            hosting.bill(CAT, "2025-01-01", ["2024-12-31 cpu 1"])
        assert e.value.field == "usage.at"
        with pytest.raises(InputError):
            hosting.bill(CAT, "2025-01-01", ["cpu 1"])

    def test_which_actions_generate_usage(self):
        assert hosting.usage_for(CAT, "callcontainer_only")["generates"] is False
        assert hosting.usage_for(CAT, "deploy_from_image") == {"items": ["build"], "generates": False,
                                                              "why": hosting.usage_for(CAT, "deploy_from_image")["why"]}
        assert hosting.usage_for(CAT, "mysql_admin_login")["items"] == ["mysql_compute"]
        assert hosting.usage_for(CAT, "instances_running")["items"] == ["cpu", "memory"]
        with pytest.raises(InputError):
            hosting.usage_for(CAT, "ping")

    def test_empty_database_storage(self):
        r = run_calc("cloudbase.hosting.mysql_storage", CAT, {"data_mb": "0", "hours": "720"})
        assert r["billed_mb"] == 28 and r["gb_hours"] == D("19.6875")
