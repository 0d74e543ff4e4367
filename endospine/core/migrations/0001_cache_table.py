"""The database cache's table, so `migrate` alone prepares rate limiting.

`createcachetable` is idempotent and does nothing for a non-database cache
(Redis), so this is safe whatever ENDOSPINE_CACHE_URL says.
"""

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
