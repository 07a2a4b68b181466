"""Test-session wiring: see pricing/nbval_support.py (example-tag cell names, kernel start retry)."""
pytest_plugins = ["pricing.nbval_support"]
