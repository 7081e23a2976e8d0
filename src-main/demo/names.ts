/**
 * Word lists for the demo data generator. Company and person names deliberately use Polish,
 * Ukrainian (Cyrillic), Greek, Japanese, Arabic and accented Latin letters, so that invoices and
 * PDFs built from demo data prove Unicode end to end. Every display name carries a plain ASCII
 * slug (its transliteration) from which customer IDs are made.
 */

export type Named = readonly [display: string, slug: string]

export interface Locale {
  /** ISO 3166-1 alpha-2 country code, stored in customers.country. */
  country: string
  /** The currency a customer in this country is billed in. */
  currency: string
  /** International dialling code without "+". */
  dial: string
  /** Digits of a national (significant) number. */
  nationalDigits: number
  brands: readonly Named[]
  kinds: readonly string[]
  legal: readonly string[]
  people: readonly Named[]
  streets: readonly string[]
  cities: readonly string[]
  company(brand: string, kind: string, legal: string): string
  address(street: string, no: number, city: string): string
  /** Credit limits a postpaid customer here typically gets, in major units of `currency`. */
  creditLimitsMajor: readonly number[]
}

const suffix = (b: string, k: string, l: string) => `${b} ${k} ${l}`
const numberAfter = (s: string, n: number, c: string) => `${s} ${n}, ${c}`
const numberFirst = (s: string, n: number, c: string) => `${n} ${s}, ${c}`

export const LOCALES: readonly Locale[] = [
  {
    country: 'US',
    currency: 'USD',
    dial: '1',
    nationalDigits: 10,
    brands: [
      ['Liberty', 'liberty'],
      ['Hudson', 'hudson'],
      ['Bayside', 'bayside'],
      ['Lone Star', 'lonestar'],
      ['Empire', 'empire'],
      ['Golden Gate', 'goldengate']
    ],
    kinds: ['Telecom', 'Communications', 'Calling Center', 'Phone Booths', 'Connect'],
    legal: ['LLC', 'Inc.', 'Corp.'],
    people: [
      ['Michael Brown', 'mbrown'],
      ['Emily Johnson', 'ejohnson'],
      ['José Ramírez', 'jramirez'],
      ['Zoë Martinez', 'zmartinez']
    ],
    streets: ['Broadway', 'Main Street', 'Ocean Avenue', 'Market Street', 'Atlantic Avenue'],
    cities: ['New York, NY 10001', 'Chicago, IL 60601', 'Houston, TX 77002', 'Los Angeles, CA 90012', 'Miami, FL 33130'],
    company: suffix,
    address: numberFirst,
    creditLimitsMajor: [100, 250, 500, 1000, 2500, 5000]
  },
  {
    country: 'GB',
    currency: 'GBP',
    dial: '44',
    nationalDigits: 10,
    brands: [
      ['Thames', 'thames'],
      ['Pennine', 'pennine'],
      ['Highland', 'highland'],
      ['Brixton', 'brixton'],
      ['Mersey', 'mersey']
    ],
    kinds: ['Telecom', 'Call Centre', 'Communications', 'Phone Shop'],
    legal: ['Ltd', 'PLC', 'LLP'],
    people: [
      ['Oliver Smith', 'osmith'],
      ["Siobhán O'Connor", 'soconnor'],
      ['Rhys Llewellyn', 'rllewellyn'],
      ['Saoirse Ní Bhriain', 'snibhriain']
    ],
    streets: ['High Street', 'Station Road', 'Church Lane', 'Brick Lane', 'Whitechapel Road'],
    cities: ['London E1 6AN', 'Manchester M1 1AE', 'Birmingham B1 1BB', 'Glasgow G1 1XQ', 'Leeds LS1 4DY'],
    company: suffix,
    address: numberFirst,
    creditLimitsMajor: [100, 250, 500, 1000, 2000]
  },
  {
    country: 'DE',
    currency: 'EUR',
    dial: '49',
    nationalDigits: 10,
    brands: [
      ['Köln', 'koln'],
      ['München', 'munchen'],
      ['Düsseldorf', 'dusseldorf'],
      ['Nürnberg', 'nurnberg'],
      ['Lübeck', 'lubeck']
    ],
    kinds: ['Telefonladen', 'Kommunikation', 'Callshop', 'Fernsprech'],
    legal: ['GmbH', 'UG', 'e.K.'],
    people: [
      ['Jürgen Müller', 'jmuller'],
      ['Björn Schäfer', 'bschafer'],
      ['Ayşe Yılmaz', 'ayilmaz'],
      ['Grete Weiß', 'gweiss']
    ],
    streets: ['Hauptstraße', 'Königsallee', 'Schloßstraße', 'Gärtnerplatz', 'Münzgasse'],
    cities: ['50667 Köln', '80331 München', '40213 Düsseldorf', '90402 Nürnberg', '23552 Lübeck'],
    company: suffix,
    address: numberAfter,
    creditLimitsMajor: [100, 250, 500, 1000, 2500, 5000]
  },
  {
    country: 'FR',
    currency: 'EUR',
    dial: '33',
    nationalDigits: 9,
    brands: [
      ['Étoile', 'etoile'],
      ["Côte d'Azur", 'cotedazur'],
      ['Orléans', 'orleans'],
      ['Besançon', 'besancon'],
      ['Nîmes', 'nimes']
    ],
    kinds: ['Téléboutique', 'Communications', 'Appels', 'Télécom'],
    legal: ['SARL', 'SAS', 'EURL'],
    people: [
      ['François Lefèvre', 'flefevre'],
      ['Hélène Dubois', 'hdubois'],
      ['Amélie Girard', 'agirard'],
      ['Loïc Benoît', 'lbenoit']
    ],
    streets: ['rue de la République', 'boulevard Saint-Germain', 'rue Émile Zola', "place de l'Hôtel-de-Ville"],
    cities: ['75011 Paris', '13001 Marseille', '69002 Lyon', '45000 Orléans', '30000 Nîmes'],
    company: suffix,
    address: numberFirst,
    creditLimitsMajor: [100, 250, 500, 1000, 2500]
  },
  {
    country: 'ES',
    currency: 'EUR',
    dial: '34',
    nationalDigits: 9,
    brands: [
      ['Peñalara', 'penalara'],
      ['Andalucía', 'andalucia'],
      ['Cádiz', 'cadiz'],
      ['Málaga', 'malaga'],
      ['León', 'leon']
    ],
    kinds: ['Locutorio', 'Telecomunicaciones', 'Llamadas'],
    legal: ['S.L.', 'S.A.'],
    people: [
      ['José Núñez', 'jnunez'],
      ['María Peña', 'mpena'],
      ['Íñigo Martín', 'imartin'],
      ['Begoña Ibáñez', 'bibanez']
    ],
    streets: ['Calle de Alcalá', 'Avenida de la Constitución', 'Calle Mayor', 'Plaza de España'],
    cities: ['28013 Madrid', '08002 Barcelona', '29015 Málaga', '11001 Cádiz', '24003 León'],
    company: suffix,
    address: numberAfter,
    creditLimitsMajor: [100, 250, 500, 1000, 2500]
  },
  {
    country: 'PT',
    currency: 'EUR',
    dial: '351',
    nationalDigits: 9,
    brands: [
      ['São Jorge', 'saojorge'],
      ['Guimarães', 'guimaraes'],
      ['Açores', 'acores'],
      ['Setúbal', 'setubal']
    ],
    kinds: ['Comunicações', 'Telecomunicações', 'Chamadas'],
    legal: ['Lda.', 'S.A.'],
    people: [
      ['João Conceição', 'jconceicao'],
      ['Inês Gonçalves', 'igoncalves'],
      ['Sebastião Araújo', 'saraujo']
    ],
    streets: ['Rua Augusta', 'Avenida da Liberdade', 'Rua de Santa Catarina'],
    cities: ['1100-148 Lisboa', '4000-322 Porto', '2900-001 Setúbal'],
    company: suffix,
    address: numberAfter,
    creditLimitsMajor: [100, 250, 500, 1000]
  },
  {
    country: 'GR',
    currency: 'EUR',
    dial: '30',
    nationalDigits: 10,
    brands: [
      ['Αθηνά', 'athina'],
      ['Ολυμπία', 'olympia'],
      ['Ερμής', 'ermis'],
      ['Ποσειδών', 'poseidon'],
      ['Ίκαρος', 'ikaros']
    ],
    kinds: ['Τηλεπικοινωνίες', 'Επικοινωνίες', 'Τηλεφωνικό Κέντρο'],
    legal: ['Α.Ε.', 'Ε.Π.Ε.', 'Ι.Κ.Ε.'],
    people: [
      ['Γιώργος Παπαδόπουλος', 'gpapadopoulos'],
      ['Ελένη Οικονόμου', 'eoikonomou'],
      ['Νίκος Αντωνίου', 'nantoniou'],
      ['Σοφία Καραμανλή', 'skaramanli']
    ],
    streets: ['Οδός Ερμού', 'Λεωφόρος Συγγρού', 'Οδός Αθηνάς', 'Οδός Τσιμισκή'],
    cities: ['105 57 Αθήνα', '546 24 Θεσσαλονίκη', '262 21 Πάτρα', '712 02 Ηράκλειο'],
    company: suffix,
    address: numberAfter,
    creditLimitsMajor: [100, 250, 500, 1000, 2500]
  },
  {
    country: 'PL',
    currency: 'PLN',
    dial: '48',
    nationalDigits: 9,
    brands: [
      ['Łódź', 'lodz'],
      ['Żółć', 'zolc'],
      ['Gdańsk', 'gdansk'],
      ['Kraków', 'krakow'],
      ['Wrocław', 'wroclaw'],
      ['Poznań', 'poznan'],
      ['Bielsko-Biała', 'bielskobiala']
    ],
    kinds: ['Telekom', 'Łączność', 'Rozmowy', 'Punkt Telefoniczny'],
    legal: ['Sp. z o.o.', 's.c.', 'S.A.'],
    people: [
      ['Zofia Wójcik', 'zwojcik'],
      ['Łukasz Żółkiewski', 'lzolkiewski'],
      ['Małgorzata Dąbrowska', 'mdabrowska'],
      ['Paweł Szczęsny', 'pszczesny'],
      ['Jędrzej Ślęzak', 'jslezak']
    ],
    streets: ['ul. Piotrkowska', 'ul. Długa', 'ul. Świętokrzyska', 'ul. Źródlana', 'al. Jerozolimskie'],
    cities: ['90-001 Łódź', '80-831 Gdańsk', '31-042 Kraków', '50-077 Wrocław', '61-772 Poznań'],
    company: suffix,
    address: numberAfter,
    creditLimitsMajor: [500, 1000, 2000, 5000, 10000]
  },
  {
    country: 'UA',
    currency: 'UAH',
    dial: '380',
    nationalDigits: 9,
    brands: [
      ['Київ', 'kyiv'],
      ['Дніпро', 'dnipro'],
      ['Львів', 'lviv'],
      ['Одеса', 'odesa'],
      ['Харків', 'kharkiv']
    ],
    kinds: ['Телеком', "Зв'язок", 'Переговорний пункт'],
    legal: ['ТОВ', 'ПП', 'ФОП'],
    people: [
      ['Олена Шевченко', 'oshevchenko'],
      ['Андрій Коваленко', 'akovalenko'],
      ['Ганна Їжакевич', 'hizhakevych'],
      ['Юрій Гнатюк', 'yhnatiuk']
    ],
    streets: ['вул. Хрещатик', 'просп. Свободи', 'вул. Дерибасівська', 'вул. Сумська'],
    cities: ['01001 Київ', '79000 Львів', '65000 Одеса', '61000 Харків', '49000 Дніпро'],
    company: (b, k, l) => `${l} «${b} ${k}»`,
    address: (s, n, c) => `${s}, ${n}, ${c}`,
    creditLimitsMajor: [5000, 10000, 20000, 50000]
  },
  {
    country: 'JP',
    currency: 'JPY',
    dial: '81',
    nationalDigits: 10,
    brands: [
      ['東京', 'tokyo'],
      ['大阪', 'osaka'],
      ['さくら', 'sakura'],
      ['富士', 'fuji'],
      ['横浜', 'yokohama']
    ],
    kinds: ['通信', 'テレコム', 'コール'],
    legal: ['株式会社', '合同会社'],
    people: [
      ['山田 太郎', 'yamadataro'],
      ['佐藤 花子', 'satohanako'],
      ['鈴木 一郎', 'suzukiichiro'],
      ['高橋 美咲', 'takahashimisaki']
    ],
    streets: ['丸の内', '梅田', 'みなとみらい', '栄'],
    cities: ['〒100-0005 東京都千代田区', '〒530-0001 大阪府大阪市北区', '〒220-0012 神奈川県横浜市西区', '〒460-0008 愛知県名古屋市中区'],
    company: (b, k, l) => `${l}${b}${k}`,
    address: (s, n, c) => `${c}${s}${n}-${(n % 9) + 1}`,
    creditLimitsMajor: [10000, 50000, 100000, 300000]
  },
  {
    country: 'KW',
    currency: 'KWD',
    dial: '965',
    nationalDigits: 8,
    brands: [
      ['الكويت', 'alkuwait'],
      ['الخليج', 'alkhaleej'],
      ['النور', 'alnoor'],
      ['السالمية', 'salmiya']
    ],
    kinds: ['للاتصالات', 'تليكوم'],
    legal: ['ذ.م.م', 'ش.م.ك'],
    people: [
      ['محمد العتيبي', 'malotaibi'],
      ['فاطمة الصباح', 'falsabah'],
      ['أحمد الرشيد', 'aalrashid']
    ],
    streets: ['شارع الخليج العربي', 'شارع سالم المبارك', 'شارع تونس'],
    cities: ['مدينة الكويت', 'السالمية', 'حولي'],
    company: (b, k, l) => `شركة ${b} ${k} ${l}`,
    address: (s, n, c) => `${s} ${n}، ${c}`,
    creditLimitsMajor: [50, 100, 250, 500]
  }
]

/**
 * What one US cent is worth in each demo currency, as an exact fraction [numerator, denominator]
 * of that currency's minor unit: 1 US cent = 0.92 euro cent = 1.5 yen = 3 fils. Demo-only rates.
 */
export const PER_US_CENT: Readonly<Record<string, readonly [number, number]>> = {
  USD: [1, 1],
  EUR: [23, 25],
  GBP: [79, 100],
  PLN: [4, 1],
  UAH: [41, 1],
  JPY: [3, 2],
  KWD: [3, 1]
}

/** Called destinations: country prefix, national digits, per-minute and per-message cost. */
export interface Destination {
  prefix: string
  /** The description on the demo price lists. */
  country: string
  digits: number
  /** Voice rate in thousandths of a US cent per minute. */
  voiceMilliCentsPerMin: number
  /** One message, in thousandths of a US cent. */
  smsMilliCents: number
  weight: number
}

export const DESTINATIONS: readonly Destination[] = [
  { prefix: '1', country: 'USA and Canada', digits: 10, voiceMilliCentsPerMin: 1000, smsMilliCents: 1500, weight: 14 },
  { prefix: '44', country: 'United Kingdom', digits: 10, voiceMilliCentsPerMin: 1500, smsMilliCents: 4000, weight: 8 },
  { prefix: '48', country: 'Poland', digits: 9, voiceMilliCentsPerMin: 1800, smsMilliCents: 3500, weight: 8 },
  { prefix: '380', country: 'Ukraine', digits: 9, voiceMilliCentsPerMin: 9000, smsMilliCents: 6000, weight: 8 },
  { prefix: '49', country: 'Germany', digits: 10, voiceMilliCentsPerMin: 1600, smsMilliCents: 5000, weight: 6 },
  { prefix: '33', country: 'France', digits: 9, voiceMilliCentsPerMin: 1700, smsMilliCents: 5000, weight: 4 },
  { prefix: '34', country: 'Spain', digits: 9, voiceMilliCentsPerMin: 1500, smsMilliCents: 4500, weight: 4 },
  { prefix: '30', country: 'Greece', digits: 10, voiceMilliCentsPerMin: 2500, smsMilliCents: 5500, weight: 3 },
  { prefix: '351', country: 'Portugal', digits: 9, voiceMilliCentsPerMin: 2200, smsMilliCents: 5000, weight: 2 },
  { prefix: '81', country: 'Japan', digits: 10, voiceMilliCentsPerMin: 6000, smsMilliCents: 7000, weight: 3 },
  { prefix: '965', country: 'Kuwait', digits: 8, voiceMilliCentsPerMin: 11000, smsMilliCents: 8000, weight: 2 },
  { prefix: '91', country: 'India', digits: 10, voiceMilliCentsPerMin: 1200, smsMilliCents: 2000, weight: 8 },
  { prefix: '92', country: 'Pakistan', digits: 10, voiceMilliCentsPerMin: 7000, smsMilliCents: 4000, weight: 5 },
  { prefix: '880', country: 'Bangladesh', digits: 10, voiceMilliCentsPerMin: 4500, smsMilliCents: 4000, weight: 4 },
  { prefix: '234', country: 'Nigeria', digits: 10, voiceMilliCentsPerMin: 12000, smsMilliCents: 6000, weight: 4 },
  { prefix: '63', country: 'Philippines', digits: 10, voiceMilliCentsPerMin: 14000, smsMilliCents: 3000, weight: 4 },
  { prefix: '20', country: 'Egypt', digits: 10, voiceMilliCentsPerMin: 9500, smsMilliCents: 5000, weight: 3 },
  { prefix: '212', country: 'Morocco', digits: 9, voiceMilliCentsPerMin: 21000, smsMilliCents: 7000, weight: 3 },
  { prefix: '90', country: 'Turkey', digits: 10, voiceMilliCentsPerMin: 5000, smsMilliCents: 4500, weight: 3 },
  { prefix: '55', country: 'Brazil', digits: 11, voiceMilliCentsPerMin: 3000, smsMilliCents: 3500, weight: 2 },
  { prefix: '52', country: 'Mexico', digits: 10, voiceMilliCentsPerMin: 2000, smsMilliCents: 3000, weight: 2 }
]
