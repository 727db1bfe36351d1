"""`flask content check|sync`: validate content/ and upsert it into the database."""
from flask.cli import AppGroup

content_cli = AppGroup("content", help="Validate and sync course content from content/.")
