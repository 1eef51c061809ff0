"""Schildwacht: detect, handle and account for misuse of personal data by municipal staff."""

__version__ = "0.1.0"
