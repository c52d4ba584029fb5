"""The `lotse` console command: Django's manage.py for this project."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(command_argv(sys.argv))


def command_argv(argv: list[str]) -> list[str]:
    """Allow dashed command names (`lotse verify-audit`) for the snake_case commands."""
    argv = list(argv)
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    return argv


if __name__ == "__main__":
    main()
