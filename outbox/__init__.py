"""Outbox: follow-up work the database knows about.

Work that a change sets off (proposing claims, an email, a link check, telling
caches that readers' pages changed) is written as a ``Job`` row in the same
transaction as the change, handed to Celery once it commits, and marked done
when its task succeeds. A beat sweep sends again what is overdue, so a broker
outage, a lost message or a killed worker costs time, never work, and never
turns a committed action into an error.

Dependency rule: ``outbox`` imports no other Newsroom app; every app may
enqueue through ``outbox.services.outbox_enqueue``, naming the task by its
dotted name, so no app imports an app above it to start its work.
"""
