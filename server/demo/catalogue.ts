import type { AgencyType } from '../access/roles.js';

/**
 * The organisation the demo data (and a fresh development portal) starts with: the CBI as NCB,
 * the police of the 28 states and 8 union territories, and 15 central agencies, with their unit
 * offices. Names are real; unit lists are a representative selection, not an official roster.
 */
export interface CatalogueAgency {
  readonly code: string;
  readonly name: string;
  readonly type: AgencyType;
  readonly region?: string;
  /** Districts or commissionerates (city names). */
  readonly districts: readonly string[];
}

const state = (code: string, region: string, districts: string[]): CatalogueAgency => ({
  code: `${code}POL`,
  name: `${region} Police`,
  type: 'state',
  region,
  districts,
});
const territory = (code: string, region: string, districts: string[]): CatalogueAgency => ({
  code: `${code}POL`,
  name: `${region} Police`,
  type: 'union-territory',
  region,
  districts,
});
const central = (code: string, name: string, districts: string[]): CatalogueAgency => ({ code, name, type: 'central', districts });

/** The CBI, India's National Central Bureau for INTERPOL. */
export const CBI: CatalogueAgency = { code: 'CBI', name: 'Central Bureau of Investigation (NCB New Delhi)', type: 'ncb', districts: [] };

/** Specialised branches of a state police, with the short codes officers use. */
export const STATE_BRANCHES = [
  ['CID', 'State CID'],
  ['CB', 'Crime Branch'],
  ['CYBER', 'Cyber Crime Cell'],
  ['EOW', 'Economic Offences Wing'],
  ['STF', 'Special Task Force'],
  ['ATS', 'Anti-Terrorism Squad'],
  ['ANTF', 'Anti-Narcotics Task Force'],
  ['AHTU', 'Anti-Human Trafficking Unit'],
] as const;
/** Specialised branches of a union-territory police. */
export const TERRITORY_BRANCHES = [
  ['CB', 'Crime Branch'],
  ['CYBER', 'Cyber Crime Cell'],
  ['EOW', 'Economic Offences Wing'],
  ['SB', 'Special Branch'],
  ['ANC', 'Anti-Narcotics Cell'],
] as const;
export const CENTRAL_ZONES = ['Mumbai', 'Kolkata', 'Chennai', 'Guwahati', 'Lucknow', 'Bengaluru', 'Hyderabad'] as const;

export const AGENCIES: readonly CatalogueAgency[] = [
  state('AP', 'Andhra Pradesh', ['Visakhapatnam', 'Vijayawada', 'Guntur', 'Tirupati', 'Kurnool']),
  state('AR', 'Arunachal Pradesh', ['Itanagar', 'Tawang', 'Pasighat']),
  state('AS', 'Assam', ['Guwahati', 'Dibrugarh', 'Silchar', 'Jorhat', 'Tezpur']),
  state('BR', 'Bihar', ['Patna', 'Gaya', 'Muzaffarpur', 'Bhagalpur', 'Purnia']),
  state('CG', 'Chhattisgarh', ['Raipur', 'Bilaspur', 'Durg', 'Bastar']),
  state('GA', 'Goa', ['North Goa', 'South Goa']),
  state('GJ', 'Gujarat', ['Ahmedabad', 'Surat', 'Vadodara', 'Rajkot', 'Kutch', 'Gandhinagar']),
  state('HR', 'Haryana', ['Gurugram', 'Faridabad', 'Panchkula', 'Hisar', 'Rohtak']),
  state('HP', 'Himachal Pradesh', ['Shimla', 'Kangra', 'Kullu', 'Mandi']),
  state('JH', 'Jharkhand', ['Ranchi', 'Jamshedpur', 'Dhanbad', 'Bokaro']),
  state('KA', 'Karnataka', ['Bengaluru City', 'Mysuru', 'Mangaluru', 'Hubballi-Dharwad', 'Belagavi', 'Kalaburagi']),
  state('KL', 'Kerala', ['Thiruvananthapuram', 'Kochi', 'Kozhikode', 'Thrissur', 'Kannur']),
  state('MP', 'Madhya Pradesh', ['Bhopal', 'Indore', 'Jabalpur', 'Gwalior', 'Ujjain']),
  state('MH', 'Maharashtra', ['Mumbai', 'Pune City', 'Nagpur', 'Thane', 'Nashik', 'Aurangabad', 'Navi Mumbai']),
  state('MN', 'Manipur', ['Imphal West', 'Imphal East', 'Churachandpur']),
  state('ML', 'Meghalaya', ['East Khasi Hills', 'West Garo Hills', 'Jaintia Hills']),
  state('MZ', 'Mizoram', ['Aizawl', 'Lunglei', 'Champhai']),
  state('NL', 'Nagaland', ['Kohima', 'Dimapur', 'Mokokchung']),
  state('OD', 'Odisha', ['Bhubaneswar-Cuttack', 'Rourkela', 'Berhampur', 'Sambalpur', 'Balasore']),
  state('PB', 'Punjab', ['Ludhiana', 'Amritsar', 'Jalandhar', 'Patiala', 'Bathinda', 'SAS Nagar']),
  state('RJ', 'Rajasthan', ['Jaipur', 'Jodhpur', 'Udaipur', 'Kota', 'Bikaner', 'Ajmer']),
  state('SK', 'Sikkim', ['Gangtok', 'Namchi']),
  state('TN', 'Tamil Nadu', ['Chennai', 'Coimbatore', 'Madurai', 'Tiruchirappalli', 'Salem', 'Tirunelveli']),
  state('TS', 'Telangana', ['Hyderabad', 'Cyberabad', 'Rachakonda', 'Warangal', 'Karimnagar']),
  state('TR', 'Tripura', ['West Tripura', 'North Tripura', 'Gomati']),
  state('UP', 'Uttar Pradesh', ['Lucknow', 'Gautam Buddh Nagar', 'Kanpur Nagar', 'Varanasi', 'Prayagraj', 'Ghaziabad', 'Agra']),
  state('UK', 'Uttarakhand', ['Dehradun', 'Haridwar', 'Nainital', 'Udham Singh Nagar']),
  state('WB', 'West Bengal', ['Kolkata', 'Howrah', 'Siliguri', 'Asansol-Durgapur', 'Bidhannagar']),
  territory('AN', 'Andaman and Nicobar Islands', ['South Andaman', 'Nicobar']),
  territory('CH', 'Chandigarh', ['Chandigarh']),
  territory('DD', 'Dadra and Nagar Haveli and Daman and Diu', ['Silvassa', 'Daman', 'Diu']),
  territory('DL', 'Delhi', ['New Delhi', 'South Delhi', 'North Delhi', 'East Delhi', 'Dwarka', 'IGI Airport']),
  territory('JK', 'Jammu and Kashmir', ['Srinagar', 'Jammu', 'Anantnag', 'Baramulla']),
  territory('LA', 'Ladakh', ['Leh', 'Kargil']),
  territory('LD', 'Lakshadweep', ['Kavaratti']),
  territory('PY', 'Puducherry', ['Puducherry', 'Karaikal']),
  central('NIA', 'National Investigation Agency', [...CENTRAL_ZONES]),
  central('ED', 'Directorate of Enforcement', [...CENTRAL_ZONES]),
  central('NCBN', 'Narcotics Control Bureau', [...CENTRAL_ZONES]),
  central('DRI', 'Directorate of Revenue Intelligence', [...CENTRAL_ZONES]),
  central('DGGI', 'Directorate General of GST Intelligence', [...CENTRAL_ZONES]),
  central('SFIO', 'Serious Fraud Investigation Office', ['Mumbai', 'Kolkata', 'Chennai', 'Hyderabad']),
  central('I4C', 'Indian Cyber Crime Coordination Centre', ['National Cyber Forensic Laboratory', 'Cyber Threat Analytics Unit']),
  central('BSF', 'Border Security Force', ['Jammu', 'Punjab', 'Rajasthan', 'Gujarat', 'South Bengal', 'Meghalaya', 'Tripura']),
  central('CRPF', 'Central Reserve Police Force', [...CENTRAL_ZONES]),
  central('CISF', 'Central Industrial Security Force', ['Mumbai Airport', 'Delhi Airport', 'Kolkata', 'Chennai', 'Bengaluru Airport']),
  central('ITBP', 'Indo-Tibetan Border Police', ['Leh', 'Dehradun', 'Itanagar', 'Gangtok']),
  central('SSB', 'Sashastra Seema Bal', ['Lucknow', 'Patna', 'Siliguri', 'Guwahati']),
  central('AR', 'Assam Rifles', ['Shillong', 'Imphal', 'Kohima', 'Aizawl']),
  central('RPF', 'Railway Protection Force', ['Northern Railway', 'Western Railway', 'Eastern Railway', 'Southern Railway', 'Central Railway']),
  central('CBN', 'Central Bureau of Narcotics', ['Gwalior', 'Neemuch', 'Kota', 'Lucknow']),
];

/** A unit to create for a catalogue agency. */
export interface CatalogueUnit {
  readonly code: string;
  readonly name: string;
  readonly kind: 'district' | 'commissionerate' | 'branch' | 'zonal-office' | 'headquarters';
  readonly city?: string;
}

/** Metropolitan areas policed by a commissionerate rather than a district police. */
const COMMISSIONERATES = /City|Delhi|Mumbai|Chennai|Kolkata|Hyderabad|Cyberabad|Rachakonda|Pune|Bengaluru/;

const slug = (text: string): string =>
  text
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 20);

/** The unit offices of a catalogue agency: its branches and its districts, zones or offices. */
export function unitsOf(agency: CatalogueAgency): CatalogueUnit[] {
  const code = (name: string): string => `${agency.code}-${slug(name)}`;
  switch (agency.type) {
    case 'ncb':
      return [];
    case 'state':
    case 'union-territory': {
      const branches = agency.type === 'state' ? STATE_BRANCHES : TERRITORY_BRANCHES;
      return [
        ...branches.map(([short, branch]) => ({ code: code(short), name: `${branch}, ${agency.region ?? ''}`, kind: 'branch' as const })),
        ...agency.districts.map((district) => {
          const commissionerate = COMMISSIONERATES.test(district);
          return {
            code: code(district),
            name: commissionerate ? `${district} Police Commissionerate` : `${district} District Police`,
            kind: commissionerate ? ('commissionerate' as const) : ('district' as const),
            city: district,
          };
        }),
      ];
    }
    case 'central':
      return [
        { code: code('HQ'), name: `${agency.name} Headquarters, New Delhi`, kind: 'headquarters', city: 'New Delhi' },
        ...agency.districts.map((zone) => ({ code: code(zone), name: `${agency.name}, ${zone}`, kind: 'zonal-office' as const, city: zone })),
      ];
  }
}
