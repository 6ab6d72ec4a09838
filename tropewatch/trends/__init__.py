"""Trends over time, as plain numbers: no Django, so the dashboard, the weekly summary and a
notebook call the same functions. ``before_after.estimate`` is the before/after estimate."""
