"""Evaluation: readers of the labelled data formats and the scorers of extraction, dedup and UCDP.

These read files; the pure core (``streams.core``) does not. ``strikewatch evaluate`` is their entry point.
"""
