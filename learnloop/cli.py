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
  seed-demo                                   load a demo organisation to explore
  seed --scale {small,10k,100k,1m}            generate a large deterministic organisation
  import PATH... --team T                     import Markdown reviews (or an export's JSON)
  export --out DIR                            export JSON and Markdown that import reads back
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

    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"learnloop: configuration error: {exc}\n")
        raise SystemExit(2) from None

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
