/** The crime areas named at Bharatpol's launch. */
export const CRIME_AREAS = [
  'organised-crime',
  'narcotics',
  'migrant-trafficking',
  'arms-trafficking',
  'cyber-crime',
  'economic-fraud',
  'csam',
  'terrorism',
  'other',
] as const;
export type CrimeArea = (typeof CRIME_AREAS)[number];
export const CRIME_AREA_LABELS: Record<CrimeArea, string> = {
  'organised-crime': 'Transnational organised crime',
  narcotics: 'Narcotics',
  'migrant-trafficking': 'Trafficking in migrants',
  'arms-trafficking': 'Arms trafficking',
  'cyber-crime': 'Cyber crime',
  'economic-fraud': 'Economic fraud',
  csam: 'Child sexual abuse material',
  terrorism: 'Terrorism',
  other: 'Other',
};
