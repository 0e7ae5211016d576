from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Background work"

    def ready(self):
        from celery import signals

        from outbox import services

        # A job names its task: every app's tasks must be registered before one
        # is sent or, without a broker, run here.
        services.celery_app().autodiscover_tasks(force=True)
        # Plumbing: a task's outcome is written back to its job, whoever sent it.
        signals.task_success.connect(services.job_succeeded, weak=False)
        signals.task_retry.connect(services.job_retrying, weak=False)
        signals.task_failure.connect(services.job_failed, weak=False)
