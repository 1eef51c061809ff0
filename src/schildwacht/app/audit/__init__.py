"""The tool's own audit trail: every look inside Schildwacht, append-only and hash-chained."""
