"""Browser tests: Chromium through Playwright against the real app."""
