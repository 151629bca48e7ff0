"""Shared code of the book: load the data, show the essay, draw sourced charts.

Notebooks use it as

    import kbook as kb
    kb.show_essay("ch01")
    df = kb.load("country_indicators")
"""
from .claims import (claims, show_claims, show_readings, show_register, show_scorecard,
                     state_periods)
from .data import DataError, load, package, resource
from .essay import meta as essay_meta, show_essay
from .figures import (COUNTRY_COLOURS, events, glue, indicator_chart, indicator_frame,
                      indicator_meta, show, show_events, show_records, show_table,
                      timeline_chart)
from .explore import ClaimsBrowser, IndicatorExplorer, TimelineExplorer, indicator_dropdown_chart
from .maps import region_map
from . import analyses

__all__ = ["DataError", "load", "package", "resource", "essay_meta", "show_essay",
           "COUNTRY_COLOURS", "events", "glue", "indicator_chart", "indicator_frame",
           "indicator_meta", "show", "show_events", "show_records", "show_table",
           "timeline_chart", "claims", "show_claims", "show_readings", "show_register", "show_scorecard",
           "state_periods", "region_map", "IndicatorExplorer", "TimelineExplorer",
           "ClaimsBrowser", "indicator_dropdown_chart", "analyses"]
