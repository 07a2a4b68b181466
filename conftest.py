"""Test-session wiring: see pricing/nbval_support.py (example-tag cell names, kernel start retry)."""
pytest_plugins = ["pricing.spec.nbval_support"]
