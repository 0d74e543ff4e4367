"""The `endospine` console command: Django's management commands with our settings.

Before Django starts, it prepares the data directory and the generated secret
key (endospine/bootstrap.py), which the settings only read.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "endospine.settings")
    from endospine.bootstrap import init_from_environment

    init_from_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
