"""Reader: the public site. It only reads (selectors), never changes state.

Dependency rule: ``reader`` imports the other apps; none imports ``reader``.
"""
