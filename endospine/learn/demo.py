"""Demo data of the learn step: the shipped knowledge base, so the library and Ask work at once."""

from endospine.core.demo import DemoContext
from endospine.learn import services
from endospine.learn.models import ContentLoad


def populate(ctx: DemoContext) -> None:
    """Load the shipped articles unless a knowledge base is already loaded (never overwrite one)."""
    if not ContentLoad.objects.exists():
        services.knowledge_load()
