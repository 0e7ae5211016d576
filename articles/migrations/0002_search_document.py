import django.contrib.postgres.search
from django.db import migrations

from articles.migration_operations import run_on_postgresql

# The weighted document is computed by the database on every insert and every
# change of the three fields, so no code path can forget it; the reader's search
# ranks on it without re-reading the bodies. SQLite keeps the column empty (its
# search is a plain substring match).
CREATE = """
CREATE FUNCTION articles_article_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('english'::regconfig, COALESCE(NEW.headline, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.dek, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.body, '')), 'C');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_article_search_document
    BEFORE INSERT OR UPDATE OF headline, dek, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_document();
UPDATE articles_article SET headline = headline;
CREATE INDEX articles_article_search ON articles_article USING gin (search_document);
"""
DROP = """
DROP INDEX IF EXISTS articles_article_search;
DROP TRIGGER IF EXISTS articles_article_search_document ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_document();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
