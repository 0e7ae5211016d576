from celery import shared_task

from pictures.services import renditions_make


@shared_task
def make_renditions_task(picture_id: int) -> int:
    """Make a picture's standard renditions (safe to run twice or at once)."""
    return renditions_make(picture_id=picture_id)
