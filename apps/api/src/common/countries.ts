/**
 * ISO 3166-1 alpha-2 codes from what platform exports and Spotify reports write in a country cell: a
 * code in any case, or an English name ("United Kingdom", "Côte d'Ivoire", "USA"). Names come from
 * the ICU data behind Intl.DisplayNames, plus the common synonyms that ICU does not use.
 */
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * Codes ICU names that are not ISO 3166-1 countries (withdrawn, exceptionally reserved or private-use):
 * their names would shadow the real code's ("Germany" is DE, not DD; "United Kingdom" is GB, not UK).
 */
const NOT_COUNTRIES = new Set(
  'AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH NT QO RH SU TA TP UK UN VD XA XB YD YU ZR ZZ'.split(' '),
);

const SYNONYMS: Record<string, string> = {
  usa: 'US',
  'united states of america': 'US',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  'republic of ireland': 'IE',
  'south korea': 'KR',
  'korea republic of': 'KR',
  'republic of korea': 'KR',
  russia: 'RU',
  'czech republic': 'CZ',
  'the netherlands': 'NL',
  holland: 'NL',
  'viet nam': 'VN',
  'hong kong sar china': 'HK',
};

const CODES = new Set<string>();
const CODE_BY_NAME = new Map<string, string>();
for (let a = 65; a <= 90; a++) {
  for (let b = 65; b <= 90; b++) {
    const code = String.fromCharCode(a, b);
    const name = regionNames.of(code);
    // Unassigned codes come back unchanged or as "Unknown Region".
    if (!name || name === code || name === 'Unknown Region' || NOT_COUNTRIES.has(code)) continue;
    CODES.add(code);
    CODE_BY_NAME.set(nameKey(name), code);
  }
}
for (const [name, code] of Object.entries(SYNONYMS)) CODE_BY_NAME.set(nameKey(name), code);

/** `GB` for "gb", "GB", "UK", "United Kingdom" or "England"; null for blank or unknown text. */
export function countryCodeOf(text: string): string | null {
  const value = text.trim();
  if (/^[a-z]{2}$/i.test(value) && CODES.has(value.toUpperCase())) return value.toUpperCase();
  return CODE_BY_NAME.get(nameKey(value)) ?? null;
}

function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z]+/g, ' ')
    .trim();
}
