"""Shared code of the book: load the data, show the essay, draw sourced charts.

Notebooks use it as

    import kbook as kb
    kb.show_essay("ch01")
    df = kb.load("country_indicators")
"""
from types import ModuleType as _ModuleType

from .argument import argument_finding, argument_map, show_links, show_omissions
from .claims import (claims, predictions, show_claims, show_register, show_scorecard,
                     show_sentences, show_verdicts, state_periods, verdict_colours, verdicts)
from .teaching import (show_delegations, show_documents, show_guidance, show_guide,
                       show_objectives, show_positions, show_questions, show_reading_list)
from .data import DataError, load, package, resource
from .essay import meta as essay_meta, show_essay
from .evidence import (ALIGNMENT_EVENTS, claim_tests, dependence_summary, forecast_summary, forecasts,
                       ge_comparison, ge_peer_ranks, ge_peers_chart, ge_uncertainty_chart,
                       show_dependence, show_forecasts, show_tests)
from .figures import (COUNTRY_COLOURS, events, glue, indicator_chart, indicator_frame,
                      indicator_meta, show, show_events, show_records, show_table,
                      timeline_chart)
from .explore import ClaimsBrowser, IndicatorExplorer, TimelineExplorer, indicator_dropdown_chart
from .maps import region_map
from .readings import PERSPECTIVES, readings_by_group, show_readings, show_terms
from . import analyses

# everything imported above is the notebooks' API (submodules excluded)
__all__ = sorted(n for n, v in dict(globals()).items()
                 if not n.startswith("_") and not isinstance(v, _ModuleType))
