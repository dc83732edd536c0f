"""Query -> ranked results over a built HCPCS database."""

from .engine import Filters, Hit, SearchEngine, SearchResult

__all__ = ["Filters", "Hit", "SearchEngine", "SearchResult"]
