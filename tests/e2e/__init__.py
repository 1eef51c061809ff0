"""Browser tests: the real server, driven by a headless Chromium."""
