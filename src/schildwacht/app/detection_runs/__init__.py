"""Detection runs: what each run used (scenario versions, compiled SQL) and what it saw."""
