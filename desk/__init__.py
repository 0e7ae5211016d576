"""Desk: the newsroom's working surfaces and the editorial workflow.

It owns the article's state and the publish gate, the audit log, assignments
and notifications, and the orchestration of an edit (revision, claim
re-anchoring, background claim proposal). Dependency rule: ``desk`` imports
``articles`` and ``factcheck``; neither imports ``desk``.
"""
