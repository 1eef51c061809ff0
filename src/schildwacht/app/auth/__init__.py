"""Accounts, roles, sessions and personal access tokens of the web app and its API."""
