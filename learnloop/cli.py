"""The ``learnloop`` command: Learnloop's own commands plus every Django management command.

``learnloop seed-demo`` and ``learnloop seed_demo`` are the same command: hyphens in the
command name are accepted for readability.
"""

from __future__ import annotations

import os
import sys

OWN_COMMANDS = """Learnloop commands:
  serve [--host H] [--port P] [--no-worker]   production server (+ background worker)
  worker [--burst]                            background worker only
  migrate                                     create or update the database
  createadmin                                 create an organisation administrator
  createoperator                              create an operator account (/admin/)
  seed-demo                                   load a demo organisation to explore
  seed --scale {small,10k,100k,1m}            generate a large deterministic organisation
  import PATH... --team T                     import Markdown reviews (or an export's JSON)
  import-csv FILE --format F [--team T]       import incidents from PagerDuty/incident.io/Jira CSV
  export --out DIR                            export JSON and Markdown that import reads back
  backup --out FILE                           consistent snapshot of the install in one file
  restore FILE [--force]                      restore a backup into an empty install
  related --jsonl                             related past items for JSON-lines queries
  reindex                                     rebuild the full-text search index
  blame FILE...                               run the blame coach on text or Markdown files

Every Django management command works too: learnloop help --commands
"""

# `import`/`export` are Python keywords, so their command modules are import_files/export_files.
COMMAND_ALIASES = {"import": "import_files", "export": "export_files"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")
    if len(argv) < 2 or argv[1] in {"-h", "--help"}:
        print("usage: learnloop COMMAND [options]\n")
        print(OWN_COMMANDS)
        return
    argv[0] = "learnloop"
    if not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        argv[1] = COMMAND_ALIASES.get(argv[1], argv[1])

    if argv[1] == "blame":
        # The coach needs no settings, data folder or database (pre-commit in any repository).
        from learnloop.coach.jsonl import main as blame_main

        raise SystemExit(blame_main(argv[2:]))

    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"learnloop: configuration error: {exc}\n")
        raise SystemExit(2) from None

    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        if len(argv) > 1 and argv[1] in MIGRATE_FIRST and "--help" not in argv and "-h" not in argv:
            _migrate_if_needed()
        execute_from_command_line(argv)
    except DatabaseError as exc:
        # An operator mistake (server down, wrong URL, no permission), not a bug: no traceback.
        sys.stderr.write(f"learnloop: database error: {exc}".rstrip() + "\n")
        sys.stderr.write("Check DATABASE_URL / LEARNLOOP_DATA_DIR, and run `learnloop migrate`.\n")
        raise SystemExit(1) from None


# Commands that read or write application data: on a new or outdated database they apply the
# migrations first, so `learnloop import ...` works on a fresh LEARNLOOP_DATA_DIR.
MIGRATE_FIRST = {
    "import_files",
    "import_csv",
    "export_files",
    "related",
    "reindex",
    "seed",
    "seed_demo",
    "createadmin",
    "createoperator",
    "worker",
}


def _migrate_if_needed() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        sys.stderr.write("learnloop: applying database migrations first\n")
        call_command("migrate", interactive=False, verbosity=0)


if __name__ == "__main__":
    main()
