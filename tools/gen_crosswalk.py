#!/usr/bin/env python3
"""Regenerate the embedded country crosswalk of attache-core from a data mirror.

Usage: python3 tools/gen_crosswalk.py ../shared/data

Writes crates/core/data/countries.tsv and crates/core/data/neighbours.tsv. The product embeds
these two files (include_str!), so `attache country` works with no data dir at all. Inputs, all
in the mirror (see its MANIFEST.md for origin and licence):
  country-codes/country-codes.csv      ISO 3166-1, UN M49, FIPS 10-4, official names (PDDL)
  countrycode/codelist_without_cldr.csv  GW and COW codes, V-Dem ids, English name regexes
  views/csv/cm_features_to_oct*.csv     ViEWS country_id <-> Gleditsch-Ward code
  views/country_list.csv                ViEWS names
  country-borders/GEODATASOURCE-COUNTRY-BORDERS.CSV  land borders (ISO alpha-2 pairs)
Historic states and the date rules are written by hand below (HISTORIC); see
crates/core/src/country.rs for how they are applied.
"""
import csv, sys, os, glob

mirror = sys.argv[1]
out = os.path.join(os.path.dirname(__file__), '..', 'crates', 'core', 'data')

def clean(s):
    s = (s or '').replace('\xa0', ' ').strip()
    return s

codes = list(csv.DictReader(open(os.path.join(mirror, 'country-codes/country-codes.csv'), encoding='utf-8')))
cc = list(csv.DictReader(open(os.path.join(mirror, 'countrycode/codelist_without_cldr.csv'), encoding='utf-8')))
cc_by_iso3 = {r['iso3c']: r for r in cc if r['iso3c']}

views_gw = {}
for f in sorted(glob.glob(os.path.join(mirror, 'views/csv/cm_features_to_oct*.csv'))):
    for r in csv.DictReader(open(f)):
        views_gw[int(float(r['gleditsch_ward']))] = int(r['country_id'])
views_names = {int(r['country_id']): r['name'] for r in csv.DictReader(open(os.path.join(mirror, 'views/country_list.csv')))}

# key -> row dict
rows = {}
COLS = ['iso3', 'iso2', 'isonum', 'm49', 'fips', 'gwn', 'gwc', 'cown', 'cowc', 'views', 'vdem',
        'name', 'valid_from', 'valid_to', 'independent', 'region', 'subregion', 'regex', 'aliases', 'alt_codes']

for r in codes:
    iso3 = clean(r['ISO3166-1-Alpha-3'])
    if not iso3:
        continue
    c = cc_by_iso3.get(iso3, {})
    name = clean(r['CLDR display name']) or clean(r['official_name_en']) or clean(c.get('country.name.en'))
    aliases = {clean(r['official_name_en']), clean(r['UNTERM English Short']), clean(r['UNTERM English Formal']),
               clean(c.get('country.name.en')), clean(c.get('iso.name.en')), clean(c.get('un.name.en')),
               clean(c.get('cow.name')), clean(c.get('p4.name')), clean(c.get('vdem.name'))}
    gwn = clean(c.get('gwn'))
    row = dict(iso3=iso3, iso2=clean(r['ISO3166-1-Alpha-2']), isonum=clean(r['ISO3166-1-numeric']),
               m49=clean(r['M49']), fips=clean(r['FIPS'])[:2], gwn=gwn, gwc=clean(c.get('gwc')),
               cown=clean(c.get('cown')), cowc=clean(c.get('cowc')), views='', vdem=clean(c.get('vdem')),
               name=name, valid_from='', valid_to='', independent=clean(r['is_independent']),
               region=clean(r['Region Name']), subregion=clean(r['Sub-region Name']),
               regex=clean(c.get('country.name.en.regex')), aliases=aliases)
    rows[iso3] = row

# Hand-written facts (documented in crates/core/src/country.rs).
FIXES = {
    # Gleditsch-Ward keep 678 for unified Yemen (continuation of the YAR); COW uses 679.
    'YEM': dict(gwn='678', gwc='YEM'),
    # COW has no separate Serbia: 345 continues as Serbia after 2006.
    'SRB': dict(cown='345', cowc='YUG'),
    'XKX': None,
}
for k, v in FIXES.items():
    if v and k in rows:
        rows[k].update(v)

# Historic states: key, name, gwn, gwc, cown, cowc, valid_from, valid_to, regex
HISTORIC = [
    dict(iso3='SUN', name='Soviet Union', gwn='365', gwc='RUS', cown='365', cowc='RUS', valid_to='1991-12-26',
         regex='soviet.?union|u\\.?s\\.?s\\.?r|socialist.?republics', aliases={'USSR', 'Union of Soviet Socialist Republics'}),
    dict(iso3='YUG', name='Yugoslavia', gwn='345', gwc='YUG', cown='345', cowc='YUG', valid_to='1992-04-27',
         regex='yugoslavia', aliases={'Socialist Federal Republic of Yugoslavia', 'SFR Yugoslavia'}),
    dict(iso3='SCG', name='Serbia and Montenegro', gwn='345', gwc='YUG', cown='345', cowc='YUG',
         valid_from='1992-04-27', valid_to='2006-06-05', regex='serbia.and.montenegro',
         aliases={'Federal Republic of Yugoslavia', 'Serbia & Montenegro'}),
    dict(iso3='CSK', name='Czechoslovakia', gwn='315', gwc='CZE', cown='315', cowc='CZE', valid_to='1993-01-01',
         regex='czechoslovakia', aliases=set()),
    dict(iso3='DDR', name='German Democratic Republic', gwn='265', gwc='GDR', cown='265', cowc='GDR',
         valid_from='1949-10-07', valid_to='1990-10-03', regex='german.?democratic.?republic|east.?germany|\\bgdr\\b',
         aliases={'East Germany'}),
    dict(iso3='YMD', name="Yemen People's Republic", gwn='680', gwc='YPR', cown='680', cowc='YPR',
         valid_from='1967-11-30', valid_to='1990-05-22', regex='south.?yemen|yemen.?people|democratic.yemen',
         aliases={'South Yemen', "People's Democratic Republic of Yemen"}),
    dict(iso3='XKX', name='Kosovo', gwn='347', gwc='KOS', cown='347', cowc='KOS', fips='KV', valid_from='2008-02-17',
         regex='kosovo', aliases={'Republic of Kosovo'}, vdem='43', independent='Yes', region='Europe',
         subregion='Southern Europe', iso2='XK'),
    dict(iso3='ANT', name='Netherlands Antilles', iso2='AN', isonum='530', m49='530', fips='NT', valid_to='2010-10-10',
         regex='netherlands.?antilles', aliases=set(), alt_codes='iso3:ANHH', independent='Part of NL',
         region='Americas', subregion='Latin America and the Caribbean'),
]
for h in HISTORIC:
    row = {c: '' for c in COLS}
    row.update(h)
    row.setdefault('independent', 'Yes')
    rows[h['iso3']] = row

# Successor-state validity (the code changes hands on these dates).
rows['SSD']['valid_from'] = '2011-07-09'
rows['MNE']['valid_from'] = '2006-06-03'
rows['SRB']['valid_from'] = '2006-06-05'  # SCG before
rows['RUS']['valid_from'] = '1991-12-26'  # SUN before
rows['SVK']['valid_from'] = '1993-01-01'
rows['CZE']['valid_from'] = '1993-01-01'

# Gleditsch & Ward's microstates list (and Vietnam, which GW code 816 as the unified state
# while countrycode keeps 815): not in countrycode's gwn column.
GW_MICRO = {990: 'WSM', 972: 'TON', 54: 'DMA', 55: 'GRD', 56: 'LCA', 57: 'VCT', 58: 'ATG', 60: 'KNA',
            970: 'KIR', 403: 'STP', 986: 'PLW', 816: 'VNM', 983: 'MHL', 987: 'FSM', 591: 'SYC', 971: 'NRU',
            973: 'TUV', 935: 'VUT', 232: 'AND', 221: 'MCO', 223: 'LIE', 331: 'SMR', 396: 'ABK', 397: 'SOS'}
for gw, k in GW_MICRO.items():
    if k in rows:
        rows[k]['gwn'] = str(gw); rows[k]['gwc'] = rows[k]['gwc'] or rows[k].get('cowc') or k
# ViEWS ids through the GW code (current states only).
by_gw = {}
for k, r in rows.items():
    if r['gwn'] and not r['valid_to']:
        by_gw.setdefault(int(r['gwn']), []).append(k)
missing = []
gw_override = {340: 'SRB', 678: 'YEM', 365: 'RUS', 347: 'XKX'}
for gw, vid in views_gw.items():
    key = gw_override.get(gw) or (by_gw.get(gw) or [None])[0]
    if key is None:
        missing.append((gw, views_names.get(vid))); continue
    rows[key]['views'] = str(vid)
    rows[key]['aliases'].add(views_names[vid])
if missing: sys.exit(f'ViEWS GW codes without a crosswalk row: {missing}')
# Serbia's GW code after 2006 is 340 (Yugoslavia's 345 before).
rows['SRB']['gwn'] = '340'; rows['SRB']['gwc'] = 'SRB'

# Every other state of the Gleditsch-Ward and COW system lists (Hyderabad, Tibet, Bavaria, ...):
# no ISO code, so the key is "GW<number>" (or "COW<number>" for COW-only states), valid for the
# years the lists give it.
import collections
gw_years = collections.defaultdict(list); gw_names = {}; gw_letters = {}
for x in csv.DictReader(open(os.path.join(mirror, 'countrycode/data_gw.csv'), encoding='utf-8')):
    gw_years[int(x['gwn'])].append(int(x['year'])); gw_names[int(x['gwn'])] = x['country']; gw_letters[int(x['gwn'])] = x['gwc']
cow_years = collections.defaultdict(list); cow_names = {}; cow_letters = {}
for x in csv.DictReader(open(os.path.join(mirror, 'countrycode/data_cow.csv'), encoding='utf-8')):
    cow_years[int(x['cown'])].append(int(x['year'])); cow_names[int(x['cown'])] = x['cow.name']; cow_letters[int(x['cown'])] = x['cowc']
known_gw = {int(r['gwn']) for r in rows.values() if r['gwn']}
known_cow = {int(r['cown']) for r in rows.values() if r['cown']}
for n, ys in sorted(gw_years.items()):
    if n in known_gw:
        continue
    row = {c: '' for c in COLS}
    row.update(iso3=f'GW{n}', name=gw_names[n].split(' (')[0], gwn=str(n), gwc=gw_letters[n],
               valid_from=f'{min(ys)}-01-01', valid_to=f'{max(ys) + 1}-01-01', independent='Yes',
               aliases={gw_names[n]})
    if n in cow_years and n not in known_cow:
        row.update(cown=str(n), cowc=cow_letters[n]); row['aliases'].add(cow_names[n]); known_cow.add(n)
    rows[row['iso3']] = row
# States in Gleditsch & Ward's list that countrycode's copy lacks.
for n, name, frm, to in [(751, 'Hyderabad', '1947-08-15', '1948-09-18')]:
    row = {c: '' for c in COLS}
    row.update(iso3=f'GW{n}', name=name, gwn=str(n), valid_from=frm, valid_to=to, independent='Yes', aliases=set())
    rows[row['iso3']] = row
# COW codes that name an earlier form of a current state (FRG 1955-1990, YAR until 1990).
ALT_CODES = {'DEU': 'cow:260', 'YEM': 'cow:678', 'SRB': 'gw:345'}  # UCDP keeps GW 345 for Serbia after 2006
for k, v in ALT_CODES.items():
    rows[k]['alt_codes'] = v
    known_cow.add(int(v.split(':')[1]))
for n, ys in sorted(cow_years.items()):
    if n in known_cow:
        continue
    row = {c: '' for c in COLS}
    row.update(iso3=f'COW{n}', name=cow_names[n], cown=str(n), cowc=cow_letters[n],
               valid_from=f'{min(ys)}-01-01', valid_to=f'{max(ys) + 1}-01-01', independent='Yes', aliases=set())
    rows[row['iso3']] = row

# Common names and aliases that the sources above miss.
EXTRA = {
    'COD': {'Zaire', 'DR Congo', 'Congo-Kinshasa', 'Democratic Republic of Congo', 'DRC', 'Congo, DRC'},
    'COG': {'Congo-Brazzaville', 'Republic of Congo', 'Congo, Rep.'},
    'MMR': {'Burma'}, 'CIV': {'Ivory Coast', "Cote d'Ivoire"}, 'SWZ': {'Swaziland'}, 'MKD': {'Macedonia'},
    'CZE': {'Czech Republic'}, 'TUR': {'Turkey'}, 'CPV': {'Cape Verde'}, 'TLS': {'East Timor', 'Timor Leste'},
    'KHM': {'Kampuchea'}, 'LKA': {'Ceylon'}, 'BFA': {'Upper Volta'}, 'BEN': {'Dahomey'}, 'ZWE': {'Rhodesia'},
    'IRN': {'Persia'}, 'THA': {'Siam'}, 'GBR': {'UK', 'Britain', 'Great Britain'}, 'USA': {'USA', 'United States of America', 'US'},
    'RUS': {'Russian Federation'}, 'KOR': {'South Korea'}, 'PRK': {'North Korea'}, 'LAO': {'Laos'},
    'VNM': {'Viet Nam'}, 'SYR': {'Syria'}, 'BOL': {'Bolivia'}, 'VEN': {'Venezuela'}, 'TZA': {'Tanzania'},
    'MDA': {'Moldova'}, 'FSM': {'Micronesia'}, 'PSE': {'Palestine'}, 'VAT': {'Holy See', 'Vatican'},
    # Spellings of the Global Sanctions Data Base (crates/sources/src/adapters/sanctions.rs).
    'ETH': {'Ethiopia (excludes Eritrea)'}, 'MYS': {'Malaya'}, 'YEM': {'Yemen, North', 'North Yemen'},
    'GW817': {'South Vietnam'}, 'SCG': {'FRY'},
}
for k, v in EXTRA.items():
    rows[k]['aliases'] |= v

# Land borders, ISO alpha-2 pairs -> ISO alpha-3 pairs, both directions.
iso2 = {r['iso2']: k for k, r in rows.items() if r['iso2'] and not r['valid_to']}
iso2['XK'] = 'XKX'
pairs = set()
for r in csv.DictReader(open(os.path.join(mirror, 'country-borders/GEODATASOURCE-COUNTRY-BORDERS.CSV'), encoding='utf-8')):
    a, b = r['country_code'].strip(), r['country_border_code'].strip()
    if not b:
        continue
    if a not in iso2 or b not in iso2:
        sys.exit(f'border row {a}-{b}: unknown ISO alpha-2')
    pairs.add((iso2[a], iso2[b])); pairs.add((iso2[b], iso2[a]))

with open(os.path.join(out, 'countries.tsv'), 'w', encoding='utf-8', newline='\n') as f:
    f.write('# Generated by tools/gen_crosswalk.py from the data mirror; do not edit by hand.\n')
    f.write('# Sources: DataHub country-codes (PDDL), countrycode (Arel-Bundock et al.), ViEWS country list,\n')
    f.write('# Gleditsch & Ward and Correlates of War state lists. Aliases are "|"-separated.\n')
    f.write('\t'.join(COLS) + '\n')
    for k in sorted(rows):
        r = rows[k]
        al = sorted(a for a in r['aliases'] if a and a != r['name'] and '\t' not in a and '|' not in a)
        vals = [(r.get(c) or '') if c != 'aliases' else '|'.join(al) for c in COLS]
        assert not any('\t' in v or '\n' in v for v in vals), vals
        f.write('\t'.join(vals) + '\n')
with open(os.path.join(out, 'neighbours.tsv'), 'w', encoding='utf-8', newline='\n') as f:
    f.write('# Generated by tools/gen_crosswalk.py from GeoDataSource country borders (CC BY-SA 4.0).\n')
    f.write('iso3\tneighbour\n')
    for a, b in sorted(pairs):
        f.write(f'{a}\t{b}\n')
print(len(rows), 'countries,', len(pairs), 'directed land borders')
