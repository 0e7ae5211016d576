"""Fact-check: the source registry, claims anchored in article bodies, reviews.

Dependency rule: ``factcheck`` imports ``articles`` (and ``pictures``, below
it: picture captions are claims) and nothing above it.
"""
