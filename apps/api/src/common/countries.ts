import countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json';

/**
 * ISO 3166-1 alpha-2 codes from what platform exports and Spotify reports write in a country cell: an
 * alpha-2 or alpha-3 code in any case, or an English name ("United Kingdom", "Korea, Republic of",
 * "Côte d'Ivoire", "UAE"). Names and aliases come from i18n-iso-countries, the same on every Node build
 * (the ICU data behind Intl.DisplayNames is not), plus the synonyms below that it lacks.
 */
countries.registerLocale(english);

/** Spellings seen in exports that i18n-iso-countries does not list; they win over its names. */
const SYNONYMS: Record<string, string> = {
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  britain: 'GB',
  'republic of ireland': 'IE',
  korea: 'KR',
  "democratic people's republic of korea": 'KP',
  'plurinational state of bolivia': 'BO',
  'bolivarian republic of venezuela': 'VE',
  'viet nam': 'VN',
  'cabo verde': 'CV',
  holland: 'NL',
  syria: 'SY',
  laos: 'LA',
  macedonia: 'MK',
  swaziland: 'SZ',
  burma: 'MM',
  'myanmar burma': 'MM',
  brunei: 'BN',
  vatican: 'VA',
  'vatican city': 'VA',
  'east timor': 'TL',
  macau: 'MO',
  'macao sar china': 'MO',
  'hong kong sar china': 'HK',
  'palestinian territories': 'PS',
  // ISO's short name of CG is "Congo"; the other Congo is "Congo, The Democratic Republic of the".
  congo: 'CG',
  'congo brazzaville': 'CG',
  'congo kinshasa': 'CD',
  'dr congo': 'CD',
  drc: 'CD',
  bosnia: 'BA',
  'us virgin islands': 'VI',
  'british virgin islands': 'VG',
};

const ALPHA2 = new Set(Object.keys(countries.getAlpha2Codes()));
const ALPHA2_BY_ALPHA3 = new Map(Object.entries(countries.getAlpha3Codes()));
const CODE_BY_NAME = namesToCodes();

/** `GB` for "gb", "GBR", "UK", "United Kingdom" or "England"; null for blank or unknown text. */
export function countryCodeOf(text: string): string | null {
  const value = text.trim();
  const upper = value.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper) && ALPHA2.has(upper)) return upper;
  if (/^[A-Z]{3}$/.test(upper) && ALPHA2_BY_ALPHA3.has(upper)) return ALPHA2_BY_ALPHA3.get(upper)!;
  const named = CODE_BY_NAME.get(nameKey(value));
  if (named) return named;
  // ISO's inverted form: "Iran, Islamic Republic of" is "Islamic Republic of Iran".
  const inverted = /^([^,]+),\s*([^,]+)$/.exec(value);
  return inverted ? (CODE_BY_NAME.get(nameKey(`${inverted[2]} ${inverted[1]}`)) ?? null) : null;
}

/**
 * Every English name and alias, and the part before a qualifier ("Moldova" of "Moldova, Republic of",
 * "Falkland Islands" of "Falkland Islands (Malvinas)"). A key that two countries share is left out
 * rather than guessed ("Virgin Islands"), unless a synonym decides it ("Congo").
 */
function namesToCodes(): Map<string, string> {
  const candidates = new Map<string, Set<string>>();
  const add = (name: string, code: string) => {
    const key = nameKey(name);
    if (key) candidates.set(key, (candidates.get(key) ?? new Set()).add(code));
  };
  for (const [code, names] of Object.entries(countries.getNames('en', { select: 'all' }))) {
    for (const name of names) {
      add(name, code);
      const qualified = /^(.+?)\s*[,(]/.exec(name);
      if (qualified) add(qualified[1]!, code);
    }
  }
  const byName = new Map<string, string>();
  for (const [key, codes] of candidates) if (codes.size === 1) byName.set(key, [...codes][0]!);
  for (const [name, code] of Object.entries(SYNONYMS)) byName.set(nameKey(name), code);
  return byName;
}

/** Case, accents, punctuation, "&", a leading "The" and "St." do not tell countries apart. */
function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .replace(/^the /, '')
    .replace(/\bst\b/g, 'saint');
}
