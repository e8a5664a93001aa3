"""StrikeWatch: news articles in, deduplicated strike events and alerts out."""

__version__ = "0.1.0"
