"""Desk: the newsroom's working surfaces and the editorial workflow.

It owns the article's state and the publish gate (``desk.workflow``),
corrections, notifications, reader error reports and the orchestration of an
edit (revision, claim re-anchoring, background claim proposal). Dependency
rule: ``desk`` imports ``articles``, ``audit`` and ``factcheck``; none of them
imports ``desk``.
"""
