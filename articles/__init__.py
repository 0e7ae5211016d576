"""Articles: the story text, its sections and tags, and its revision history.

Dependency rule: ``articles`` imports no other Newsroom app but ``outbox``
(through which it starts background work) and ``pictures`` (a story's lead
picture and the pictures in its body). ``factcheck`` builds on it,
``desk`` on both, ``reader`` on all three.
"""
