import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_in_process_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "mode": "in-process"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("newsroom.health.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {
        "ok": False,
        "vendor": response.json()["database"]["vendor"],
        "error": "connection refused",
    }


def test_healthz_reports_an_unreachable_broker_as_degraded(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from newsroom.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        body = client.get("/healthz").json()
    finally:
        app.conf.broker_url = original
    assert body["status"] == "degraded"
    assert body["broker"]["ok"] is False


def test_home_page_answers_with_the_site_and_a_strict_csp(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"<main" in response.content
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_admin_is_branded_as_the_newsroom(admin_client):
    response = admin_client.get("/admin/")
    assert b"Newsroom editorial desk" in response.content
