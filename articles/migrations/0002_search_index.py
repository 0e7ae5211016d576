from django.db import migrations

# The same expression as reader.search.SEARCH_VECTOR, so the planner uses it.
CREATE = """
CREATE INDEX IF NOT EXISTS articles_article_search ON articles_article USING gin ((
    setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE(dek, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')
));
"""
DROP = "DROP INDEX IF EXISTS articles_article_search;"


def on_postgresql(sql):
    # SQLite has no full-text index; the reader falls back to substring search there.
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
