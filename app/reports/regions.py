"""ISO 3166 country codes → the ILO's five regions, for the participation report.

Babel ships no territory containment data and pycountry has no regions, so the list lives
here. It follows the ILO's own grouping: the Arab States are the Gulf and Mashreq countries
(North Africa belongs to Africa); Central Asia, the Caucasus, Türkiye and Israel belong to
Europe and Central Asia. Territories count with their region. A code not listed (none,
Antarctica, a typo) is "unknown" and counted as such.
"""
from flask_babel import lazy_gettext as _l

from app.core.enums import LabelledEnum


class Region(LabelledEnum):
    AFRICA = "africa"
    AMERICAS = "americas"
    ARAB_STATES = "arab-states"
    ASIA_PACIFIC = "asia-pacific"
    EUROPE_CENTRAL_ASIA = "europe-central-asia"

    @classmethod
    def _labels(cls):
        return {cls.AFRICA: _l("Africa"), cls.AMERICAS: _l("Americas"), cls.ARAB_STATES: _l("Arab States"),
                cls.ASIA_PACIFIC: _l("Asia and the Pacific"), cls.EUROPE_CENTRAL_ASIA: _l("Europe and Central Asia")}


_CODES = {
    Region.AFRICA: """
        AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR LS LY MA MG ML MR MU MW
        MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW""",
    Region.AMERICAS: """
        AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GS GT GY HN HT JM KN KY
        LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI""",
    Region.ARAB_STATES: "AE BH IQ JO KW LB OM PS QA SA SY YE",
    Region.ASIA_PACIFIC: """
        AF AS AU BD BN BT CC CK CN CX FJ FM GU HK HM ID IN IR JP KH KI KP KR LA LK MH MM MN MO MP MV MY NC NF
        NP NR NU NZ PF PG PH PK PN PW SB SG TF TH TK TL TO TV TW UM VN VU WF WS""",
    Region.EUROPE_CENTRAL_ASIA: """
        AD AL AM AT AX AZ BA BE BG BV BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU IE IL IM IS IT JE
        KG KZ LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TJ TM TR UA UZ VA XK""",
}
REGION_OF: dict[str, Region] = {code: region for region, codes in _CODES.items() for code in codes.split()}


def region_of(country: str | None) -> Region | None:
    """The ILO region of an ISO 3166 alpha-2 code, or None when the code is missing or unknown."""
    return REGION_OF.get((country or "").upper())
