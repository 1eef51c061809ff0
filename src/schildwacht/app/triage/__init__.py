"""The investigation workflow of an alert: status, assignment, comments, decisions."""
