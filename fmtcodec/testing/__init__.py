"""Helpers for test suites of projects that depend on fmtcodec."""
