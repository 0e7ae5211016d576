"""Measurements and experiments run against a live stack: ``make bench``
(reader pages under load) and ``make chaos`` (outages under load). Scripts,
not an app: they may import any app, and no app imports them."""
