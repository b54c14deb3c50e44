"""Words that are no place names: what may stand before or after one in a capitalised run.

Shared by the finder (:mod:`tracker.geoparse_find`: "In Pokrovsk", "Kharkiv Region")
and the fuzzy matcher (:mod:`tracker.geoparse_fuzzy`: "Sunday" is not tried as a
misspelt village).
"""

from __future__ import annotations

__all__ = ["FUNCTION_WORDS", "GEO_SUFFIXES"]

# Words that may stand right before a place inside a capitalised run: sentence
# starts and title case ("In Pokrovsk", "Near Toretsk"), compass adjectives
# ("Eastern Donetsk"), months and weekdays.
FUNCTION_WORDS = frozenset("""
a about above across after against along also although amid among an and around as at
before behind below beside besides between beyond both but by despite down during each
either even ever every following for from further here however if in inside into just
later like meanwhile more most near nearby neither next nor now of off on once only onto
or other out outside over overnight past per since so still such than that the their then
there these this those though through throughout thus to today toward towards under
unlike until up upon via when where whereas whether which while with within without yet
yesterday tonight also according once again
will would can could should shall may might must does did do is are was were has have had
it he she they we you i his her its our their what why how who whom whose
north south east west northern southern eastern western central northeastern northwestern
southeastern southwestern northeast northwest southeast southwest greater upper lower
occupied liberated frontline front-line embattled besieged
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
""".split())
# Capitalised words that may follow a place inside a run without making it a name.
GEO_SUFFIXES = frozenset("""
oblast oblasts region regions raion rayon district districts hromada province krai
governorate direction axis sector front area city town village river reservoir
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday on in
""".split())
