"""The pure extraction core: news article -> strike reports. No faust, Kafka or Prometheus here.

``extract(article, reference_time=None)`` is the entry point; data files (gazetteer, vocabularies)
are loaded lazily on first use and cached for the process; ``prepare()`` does that ahead of time (thread-safe).
"""

from streams.core.extract.core import extract, prepare

__all__ = ["extract", "prepare"]
