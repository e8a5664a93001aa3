"""`strikewatch serve`: the read side. Strike events and alerts from Kafka into SQLite, served over HTTP.

``query`` parses the query string and builds the SQL (pure), ``store`` is the SQLite read model,
``ingest`` reads the topics into it, ``web`` is the aiohttp application and ``service`` runs them
together. The page (``static/``) draws the events on a map with country outlines vendored from npm.
"""
