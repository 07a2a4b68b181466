"""papermill runs a notebook against another catalog: the 45.26 example follows the price."""
import json
import shutil

import papermill as pm

from pricing.engine import catalog
from pricing.spec import nbtools
from pricing.spec.notebook import RESULTS_MIME


def results(nb_path):
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    out = {}
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            for e in o.get("data", {}).get(RESULTS_MIME, {}).get("examples", []):
                out[e["id"]] = e
    return out


def test_tier_one_at_007_moves_45_26_to_50_26(tmp_path):
    cat = tmp_path / "catalog"
    shutil.copytree(catalog.SHIPPED, cat)
    text = (cat / "apigw.toml").read_text(encoding="utf-8")
    assert text.count('price = "0.06"') == 1
    (cat / "apigw.toml").write_text(text.replace('price = "0.06"', 'price = "0.07"'), encoding="utf-8")
    src = nbtools.NOTEBOOKS / "apigw" / "03_shared.ipynb"
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(src), str(out), parameters={"catalog": str(cat)}, kernel_name="python3",
                        cwd=str(src.parent), progress_bar=False)
    r = results(out)
    fee = r["apigw.shared.fee-45.26"]
    assert (fee["printed"], fee["computed"], fee["status"]) == ("45.26", "50.26", "differs")
    assert r["apigw.shared.call-fee-30"]["computed"] == "35.00"
    assert r["apigw.shared.traffic-15.26"]["status"] == "match"   # egress prices untouched
    shipped = results(src)
    assert shipped["apigw.shared.fee-45.26"]["computed"] == "45.26"
