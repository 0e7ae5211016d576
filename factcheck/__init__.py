"""Fact-check: the source registry, claims anchored in article bodies, reviews.

Dependency rule: ``factcheck`` imports ``articles`` and nothing above it.
"""
