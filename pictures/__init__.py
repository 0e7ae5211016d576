"""Pictures: the media library (uploads, credits, usage rights, renditions).

Dependency rule: ``pictures`` imports no other Newsroom app but ``outbox``.
``articles`` refers to it (a story's lead picture, pictures in the body), and
everything above ``articles`` may read it; it knows nothing of stories.
"""
