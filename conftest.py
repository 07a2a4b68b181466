"""Test-session wiring: name nbval cells after their example tag, so a failure reads
``notebooks/apigw/03_shared.ipynb::Cell 9 [apigw.shared.fee-45.26]`` rather than only "Cell 9"."""


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None:
            continue
        tags = [t for t in cell.metadata.get("tags", []) if t != "parameters" and not t.startswith("nbval")]
        if tags:
            item.name = f"{item.name} [{', '.join(tags)}]"
            item._id = item.parent.id.child(item.name)
