"""The book's colours, defined once: the Okabe-Ito palette, distinguishable with the common forms
of colour blindness (Okabe and Ito, "Color Universal Design", 2002). Charts, maps and tables
name a colour from here; the verdicts' colours are data (data/verdicts.csv)."""
from __future__ import annotations

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7",
}
GREY = "#999999"  # for "other" and "not checked": outside the palette on purpose


def colours(*names: str) -> list[str]:
    """The palette's colours by name, in the order given (GREY as "grey")."""
    return [GREY if n == "grey" else OKABE_ITO[n] for n in names]


COUNTRY_COLOURS = dict(zip(["ARM", "AZE", "GEO", "RUS", "TUR", "IRN"],
                           colours("vermillion", "blue", "bluish green", "reddish purple", "orange", "sky blue")))
COLOURWAY = colours("blue", "vermillion", "bluish green", "reddish purple", "orange", "sky blue", "black", "yellow")
