import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pictures.images import clean_upload
from pictures.services import picture_upload
from tests.pictures import images

ADD_URL = "admin:pictures_picture_add"


def upload_form(data: bytes, name: str, **fields) -> dict:
    values = {
        "upload": SimpleUploadedFile(name, data),
        "alt_text": "Soldiers watch a launch on a screen.",
        "caption": "Soldiers watch the launch in Seoul.",
        "photographer": "Ahn Young-joon",
        "agency": "AP",
        "tags": "military, launch",
        "rights_note": "AP subscription",
        "rights_expire_on": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }
    values.update(fields)
    return values


def post_upload(client, data: bytes, name: str = "photo.jpg", **fields):
    return client.post(reverse(ADD_URL), upload_form(data, name, **fields))


def make_picture(user, data: bytes | None = None, **fields):
    """A picture in the library, as an upload would store it."""
    values = {
        "alt_text": "A launch seen from the coast.",
        "caption": "A missile rises over the coast.",
        "agency": "AP",
    }
    values.update(fields)
    return picture_upload(
        actor=user,
        image=clean_upload(data or images.jpeg((2000, 1200), "navy")),
        **values,
    )


@pytest.fixture
def picture(admin_user):
    return make_picture(admin_user)
