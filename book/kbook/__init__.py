"""Shared code of the book: load the data, show the essay, draw sourced charts.

Notebooks use it as

    import kbook as kb
    kb.show_essay("ch01")
    df = kb.load("country_indicators")
"""
from .data import DataError, load, package, resource
from .essay import meta as essay_meta, show_essay
from .figures import (COUNTRY_COLOURS, events, glue, show_events, indicator_chart, indicator_frame, indicator_meta,
                      show, show_records, show_table, timeline_chart)

__all__ = ["DataError", "load", "package", "resource", "essay_meta", "show_essay",
           "COUNTRY_COLOURS", "events", "glue", "show_events", "indicator_chart", "indicator_frame", "indicator_meta",
           "show", "show_records", "show_table", "timeline_chart"]
