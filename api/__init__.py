"""The content API: the public read API, the staff API and ninjs output.

Dependency rule: ``api`` sits at the top with ``ingest`` and ``webhooks``: it
may import every other app (public data only through ``reader.selectors``'
public read model; writes only through the desk and fact-check services), and
no app imports it.
"""
