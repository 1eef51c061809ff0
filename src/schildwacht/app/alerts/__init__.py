"""Alerts: what detection found, persisted by stable id with their workflow status."""
