"""Suppressions: known legitimate patterns, silenced with a reason and an expiry date."""
