"""Spec tooling: worked examples, the register, notebook helpers, formulas, charts, build, report,
diff and the CLI. They read the rules; the rules never read them."""
