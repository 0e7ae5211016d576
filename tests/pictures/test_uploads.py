"""Uploading to the media library through the admin: what is accepted, what is
refused (with a message, never a 500, never a stored file), what is stored."""

import io

import pytest
from PIL import ExifTags, Image

from pictures.models import Picture
from tests.pictures import images
from tests.pictures.conftest import post_upload

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            images.sixty_megapixels(),
            "huge.png",
            "too large (10000 × 6000, 60 megapixels): the most we accept is 40 "
            "megapixels",
        ),
        (images.png_bomb(), "bomb.png", "the most we accept is 40 megapixels"),
        (images.NOT_AN_IMAGE, "photo.jpg", "not a JPEG, PNG, WebP or AVIF picture"),
        (images.SVG, "drawing.svg", "SVG and other drawings made of code are not"),
        (images.SVG, "drawing.jpg", "SVG and other drawings made of code are not"),
        (images.truncated_png(), "cut.png", "damaged or not what it claims to be"),
        (b"", "empty.jpg", "The submitted file is empty"),
    ],
    ids=["60-megapixels", "png-bomb", "jpg-not-an-image", "svg", "svg-as-jpg",
         "truncated", "empty"],
)  # fmt: skip
def test_a_refused_upload_says_why_and_stores_nothing(
    admin_client, settings, data, name, message
):
    response = post_upload(admin_client, data, name)
    assert response.status_code == 200  # the form again, not a 500
    errors = response.context["adminform"].form.errors["upload"]
    assert any(message in error for error in errors), errors
    assert not Picture.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    admin_client, settings
):
    settings.PICTURE_MAX_BYTES = 1000
    response = post_upload(admin_client, images.jpeg((400, 400), "white"))
    errors = response.context["adminform"].form.errors["upload"]
    assert "the most we accept is 1000\xa0bytes" in errors[0]
    assert not Picture.objects.exists() and stored_files(settings) == []


def test_alt_text_is_required(admin_client, settings):
    response = post_upload(admin_client, images.jpeg(), alt_text="")
    assert "alt_text" in response.context["adminform"].form.errors
    assert not Picture.objects.exists() and stored_files(settings) == []


def test_a_phone_photo_is_turned_upright_and_loses_its_location(
    admin_client, admin_user
):
    original = Image.open(io.BytesIO(images.phone_photo()))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's premise
    response = post_upload(admin_client, images.phone_photo(), "IMG_0001.JPG")
    assert response.status_code == 302
    picture = Picture.objects.get()
    assert (picture.width, picture.height, picture.format) == (20, 40, "jpeg")
    assert picture.uploaded_by == admin_user
    with picture.file.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (20, 40)
        exif = image.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Orientation not in exif
        assert ExifTags.Base.Make not in exif
        assert "exif" not in image.info
    assert picture.file.name.startswith("pictures/originals/img_0001")


@pytest.mark.parametrize(
    ("data", "fmt"),
    [(images.png(), "png"), (images.webp(), "webp"), (images.jpeg(), "jpeg")],
)
def test_accepted_formats_are_known_by_content_not_name(admin_client, data, fmt):
    response = post_upload(admin_client, data, "misnamed.gif")
    assert response.status_code == 302
    picture = Picture.objects.get()
    assert picture.format == fmt and picture.file.name.endswith(f".{fmt}")


def test_avif_is_accepted_where_pillow_reads_it(admin_client):
    from PIL import features

    if not features.check("avif"):
        pytest.skip("this Pillow has no AVIF support")
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "green").save(out, format="AVIF")
    assert post_upload(admin_client, out.getvalue(), "a.avif").status_code == 302
    assert Picture.objects.get().format == "avif"


def test_an_upload_makes_its_standard_renditions_in_the_background(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(admin_client, images.jpeg((2000, 1000)))
    picture = Picture.objects.get()
    shapes = set(picture.renditions.values_list("crop", "width", "format"))
    assert ("", 1600, "webp") in shapes and ("3:2", 240, "jpeg") in shapes
    assert ("40:21", 1200, "jpeg") in shapes
