"""`endospine kb load [PATH ...]` and `endospine kb check [PATH ...]`.

load: validate the shipped articles (content/knowledge) plus any clinic folders or files given, and
replace the stored knowledge base; a bad file stops everything with `file:line: message`.
check: validate only, store nothing.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from endospine.learn import services
from endospine.learn.content import ContentError, load_lexicon


class Command(BaseCommand):
    help = "Load (or check) the knowledge base: shipped articles plus a clinic's own folders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "check"])
        parser.add_argument("paths", nargs="*", help="Extra article folders or files")
        parser.add_argument("--lexicon", default="", help="Synonym lexicon (default: shipped)")

    def handle(self, *args: Any, **options: Any) -> None:
        extra = [Path(p) for p in options["paths"]]
        lexicon = Path(options["lexicon"]) if options["lexicon"] else None
        for path in [*extra, *([lexicon] if lexicon else [])]:
            if not path.exists():
                raise CommandError(f"{path}:1: no such file or folder")
        try:
            if options["action"] == "check":
                articles = services.shipped_articles(extra)
                load_lexicon(lexicon or services.shipped_lexicon_path())
                passages = sum(len(a.sections) for a in articles)
                self.stdout.write(f"{len(articles)} articles, {passages} passages: valid")
                return
            result = services.knowledge_load(extra_paths=extra, lexicon_path=lexicon)
        except ContentError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        state = "loaded" if result.changed else "unchanged"
        self.stdout.write(
            f"knowledge base {state}: {result.articles} articles, {result.passages} passages"
        )
