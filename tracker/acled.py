"""ACLED-compatible event types for tracker events.

ACLED (Armed Conflict Location & Event Data) codes each event with an
``event_type`` and a ``sub_event_type``. Giving tracker rows the same two
columns lets ``timeline.csv`` be loaded beside an ACLED export and filtered the
same way. The mapping:

==============  =======================  ==================================================
tracker         acled_event_type         acled_sub_event_type
==============  =======================  ==================================================
battle          Battles                  Armed clash
advance         Battles                  Armed clash (ACLED codes contested ground
                                         advances as clashes until territory changes hands)
capture         Battles                  Non-state actor overtakes territory when the actor
                                         takes ground outside its own country (ACLED codes
                                         Russian gains in Ukraine, and Ukrainian gains in
                                         Kursk, this way: a foreign state actor);
                                         Government regains territory when the actor is the
                                         government of the place's country; Armed clash when
                                         the actor is unknown
liberation      Battles                  same rule as capture (UA retaking a Ukrainian
                                         village -> Government regains territory)
withdrawal      Strategic developments   Non-violent transfer of territory
strike          Explosions/Remote        Air/drone strike when the sentence speaks of drones,
                violence                 aircraft, air strikes or glide bombs; otherwise
                                         Shelling/artillery/missile attack
negotiation     Strategic developments   Agreement when an agreement, cease-fire, truce,
                                         memorandum or exchange is named; otherwise Other
mention         (empty)                  (empty): a place named without an event
==============  =======================  ==================================================
"""

from __future__ import annotations

import re

__all__ = ["ACLED_EVENT_TYPES", "acled_types"]

#: The ACLED event types this mapping can produce, with their sub-event types.
ACLED_EVENT_TYPES = {
    "Battles": (
        "Armed clash", "Government regains territory", "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": ("Air/drone strike", "Shelling/artillery/missile attack"),
    "Strategic developments": ("Agreement", "Non-violent transfer of territory", "Other"),
}

_AIR = re.compile(
    r"\b(?:drones?|uavs?|air ?strikes?|air raids?|aircraft|aviation|airplanes?|jets?|"
    r"helicopters?|glide bombs?|guided bombs?|aerial bombs?|kabs?|shaheds?|geran\w*|kamikaze|"
    r"loitering munitions?|lancets?|bomb(?:er|ers|ing|ed)?)\b",
    re.I,
)
_AGREEMENT = re.compile(
    r"\b(?:agree\w*|cease-?fires?|truce|memorandum|deal|exchange[sd]?|swap|accord)\b", re.I
)
_GOVERNMENTS = {"RU": "RU", "UA": "UA"}


def acled_types(event_type: str, actor: str, place_country: str, quote: str = ""
                ) -> tuple[str, str]:
    """Map a tracker event to ACLED's ``(event_type, sub_event_type)``.

    Parameters
    ----------
    event_type : str
        Tracker event type (battle, advance, capture, liberation, withdrawal,
        strike, negotiation, mention).
    actor : str
        "RU", "UA" or "unknown".
    place_country : str
        ISO code of the country the place lies in ("UA", "RU", ...).
    quote : str, optional
        The sentence, used to tell air/drone strikes from shelling and
        agreements from other negotiation news.

    Returns
    -------
    tuple of str
        ACLED event type and sub-event type; two empty strings for a mention.

    Examples
    --------
    >>> acled_types("capture", "RU", "UA")
    ('Battles', 'Non-state actor overtakes territory')
    >>> acled_types("liberation", "UA", "UA")
    ('Battles', 'Government regains territory')
    >>> acled_types("liberation", "RU", "RU")
    ('Battles', 'Government regains territory')
    >>> acled_types("strike", "RU", "UA", "a drone attack on the highway")
    ('Explosions/Remote violence', 'Air/drone strike')
    >>> acled_types("strike", "RU", "UA", "Russian shelling in Kharkiv")
    ('Explosions/Remote violence', 'Shelling/artillery/missile attack')
    >>> acled_types("mention", "unknown", "UA")
    ('', '')
    """
    if event_type in ("battle", "advance"):
        return "Battles", "Armed clash"
    if event_type in ("capture", "liberation"):
        if actor not in _GOVERNMENTS:
            return "Battles", "Armed clash"
        if _GOVERNMENTS[actor] == place_country:
            return "Battles", "Government regains territory"
        return "Battles", "Non-state actor overtakes territory"
    if event_type == "withdrawal":
        return "Strategic developments", "Non-violent transfer of territory"
    if event_type == "strike":
        if _AIR.search(quote):
            return "Explosions/Remote violence", "Air/drone strike"
        return "Explosions/Remote violence", "Shelling/artillery/missile attack"
    if event_type == "negotiation":
        if _AGREEMENT.search(quote):
            return "Strategic developments", "Agreement"
        return "Strategic developments", "Other"
    return "", ""
