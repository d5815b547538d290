"""The OpenAPI schema is generated once per process and language, then served as generated."""

import pytest

from core.views import SchemaView

pytestmark = pytest.mark.django_db


def test_the_schema_is_generated_once_per_language(client, monkeypatch):
    calls: list[str] = []
    generate = SchemaView.generator_class.get_schema

    def counted(self, *args, **kwargs):
        calls.append("generated")
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(SchemaView, "_rendered", {})
    monkeypatch.setattr(SchemaView.generator_class, "get_schema", counted)
    first = client.get("/api/schema/?format=json")
    second = client.get("/api/schema/?format=json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(calls) == 1
    english = client.get("/api/schema/?format=json&lang=en")
    assert english.status_code == 200 and len(calls) == 2
    assert client.get("/api/schema/?format=json&lang=en").content == english.content and len(calls) == 2
    yaml = client.get("/api/schema/")
    assert yaml.status_code == 200 and yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert b"openapi:" in yaml.content and len(calls) == 3
    assert first["Content-Type"].startswith("application/vnd.oai.openapi+json")
