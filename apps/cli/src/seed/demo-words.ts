/**
 * Names and words for the synthetic families. The needs are short phrases in the person's
 * own words, the way the pilot wrote down answers to "Hva trenger du for å få et bedre liv?"
 * (seed l.1858, l.3026, l.2055-2109, l.3221-3228).
 */

export type Origin = {
  /** BCP 47 tag of the preferred language. */
  language: string;
  men: string[];
  women: string[];
  boys: string[];
  girls: string[];
  surnames: string[];
};

export const ORIGINS = {
  syria: {
    language: 'ar',
    men: ['Ahmad', 'Khaled', 'Omar', 'Mahmoud', 'Hassan', 'Bilal'],
    women: ['Fatima', 'Amina', 'Rania', 'Huda', 'Layla', 'Noor'],
    boys: ['Yusuf', 'Ali', 'Adam', 'Hamza', 'Karim', 'Rami', 'Zaid', 'Omar'],
    girls: ['Maryam', 'Sara', 'Lina', 'Zainab', 'Jana', 'Aya', 'Rahaf', 'Dana'],
    surnames: ['Al-Hassan', 'Haddad', 'Khalil', 'Nasser', 'Darwish', 'Saleh'],
  },
  eritrea: {
    language: 'ti',
    men: ['Tesfay', 'Yonas', 'Dawit', 'Filmon', 'Mehari'],
    women: ['Selam', 'Helen', 'Senait', 'Rahel', 'Mihret'],
    boys: ['Natnael', 'Abel', 'Kibrom', 'Robel', 'Amanuel', 'Yafet'],
    girls: ['Saron', 'Eden', 'Ruth', 'Meron', 'Lidya', 'Hanna'],
    surnames: ['Tesfamariam', 'Gebremedhin', 'Haile', 'Woldu', 'Berhane'],
  },
  afghanistan: {
    language: 'fa',
    men: ['Rahim', 'Mohammad', 'Farid', 'Jawad', 'Nasir'],
    women: ['Zahra', 'Parwana', 'Fariba', 'Shabnam', 'Nargis'],
    boys: ['Mahdi', 'Yasin', 'Mustafa', 'Arash', 'Reza', 'Sohrab'],
    girls: ['Setayesh', 'Hadia', 'Nilofar', 'Mahsa', 'Yalda', 'Sahar'],
    surnames: ['Ahmadi', 'Hosseini', 'Rahimi', 'Karimi', 'Sultani'],
  },
  somalia: {
    language: 'so',
    men: ['Abdi', 'Mohamed', 'Abdullahi', 'Yusuf', 'Ismail'],
    women: ['Hodan', 'Ifrah', 'Sahra', 'Ayaan', 'Fadumo'],
    boys: ['Hamse', 'Liban', 'Zakaria', 'Farah', 'Abdirahman', 'Bashir'],
    girls: ['Ilhan', 'Nasra', 'Samira', 'Hibo', 'Hamdi', 'Ubah'],
    surnames: ['Warsame', 'Jama', 'Osman', 'Farah', 'Ahmed'],
  },
  norway: {
    language: 'nb',
    men: ['Thomas', 'Kristoffer', 'Jørgen', 'Espen', 'Morten', 'Stian', 'Anders'],
    women: ['Ida', 'Kristin', 'Silje', 'Camilla', 'Marte', 'Hege', 'Linn'],
    boys: ['Noah', 'Jakob', 'Filip', 'Lukas', 'Emil', 'Oskar', 'Magnus', 'Henrik'],
    girls: ['Emma', 'Olivia', 'Nora', 'Ella', 'Sofie', 'Ingrid', 'Maja', 'Frida'],
    surnames: ['Johansen', 'Larsen', 'Pedersen', 'Berg', 'Haugen', 'Andersen', 'Nilsen', 'Strøm'],
  },
  poland: {
    language: 'pl',
    men: ['Piotr', 'Tomasz', 'Marek', 'Paweł'],
    women: ['Agnieszka', 'Katarzyna', 'Anna', 'Ewa'],
    boys: ['Jakub', 'Kacper', 'Szymon', 'Antoni'],
    girls: ['Zofia', 'Julia', 'Maja', 'Lena'],
    surnames: ['Nowak', 'Kaczmarek', 'Mazur', 'Wójcik'],
  },
} satisfies Record<string, Origin>;

export type OriginKey = keyof typeof ORIGINS;
export const REFUGEE_ORIGINS: OriginKey[] = ['syria', 'eritrea', 'afghanistan', 'somalia'];
export const CITY_ORIGINS: OriginKey[] = ['norway', 'norway', 'norway', 'poland', 'somalia', 'syria', 'eritrea'];

export const NEEDS = {
  leisure: ['Fritidsaktiviteter for barna', 'At barna kan bli med på fotball og svømming', 'At barna kan være med på det vennene gjør'],
  housing: ['Et sted å bo der barna har hvert sitt rom', 'En større leilighet', 'Et sted å bo der barna kan ha med seg venner hjem'],
  ownHome: ['Et eget hjem som vi kan bli boende i', 'Å eie vår egen bolig'],
  job: ['En jobb så jeg kan forsørge familien selv', 'Jobb', 'Komme i arbeid eller utdanning'],
  drivingForJob: ['Førerkort så jeg kan ta jobben', 'Førerkort, så jeg kan jobbe som bud', 'Førerkort – da får jeg jobb i lageret'],
  norwegian: ['Lære norsk så jeg kan hjelpe barna med leksene', 'Bedre norsk'],
  talk: ['Noen å snakke med om det vi har opplevd', 'Hjelp til å sove om natta'],
  appliances: ['Kjøleskap og tørketrommel', 'Vaskemaskin', 'Klær og sko til barna'],
  furniture: ['Møbler', 'Seng til hvert av barna', 'Et skrivebord så barna kan gjøre lekser', 'Sofa og spisebord så vi kan spise sammen'],
  equipment: ['Sykkel og hjelm til sønnen min', 'Fotballsko og treningstøy', 'PC til skolearbeid', 'Ski til barna', 'Gitar til datteren min'],
  christmas: ['Å glede oss til jul i stedet for å grue oss'],
  noWorry: ['At barna ikke skal merke at vi har dårlig råd'],
  bankCard: ['Et bankkort så jeg kan handle selv', 'Hjelp til å få papirer, så jeg kan få BankID'],
  awayFromCrime: ['Komme meg bort fra miljøet', 'En sjanse til å vise at jeg kan'],
  normal: ['Å være en helt vanlig familie', 'Å være normal'],
  tripsTogether: ['Turer sammen med andre familier', 'Gjøre noe hyggelig sammen med barna'],
  pram: ['Barnevogn', 'Sykkelvogn så vi kommer oss ut'],
  winterClothes: ['Vinterdress og støvler til barna', 'Varme klær til vinteren'],
  birthday: ['Bursdagsfeiring for barna', 'At barna kan invitere til bursdag'],
  swimming: ['Svømmekurs for barna'],
  theatre: ['Teaterkurs for datteren min', 'Kulturskole for barna'],
  saferNeighbourhood: ['Et tryggere bomiljø', 'At det er trygt for barna å leke ute'],
  electricity: ['Hjelp med strømregningen', 'Hjelp til å betale husleia'],
  letters: ['Hjelp til å forstå brevene fra kommunen og NAV', 'Én å forholde seg til'],
  kindergarten: ['Barnehageplass til minstemann'],
  workTools: ['Arbeidsklær og verktøy så jeg kan begynne i lære', 'Mobiltelefon så arbeidsgiver kan nå meg'],
  schoolGear: ['PC og skolesekk', 'Busskort til skolen'],
} as const;

export type NeedTopic = keyof typeof NEEDS;

export const DISTRICTS = { east: 'Østbyen', lerkendal: 'Lerkendal', centre: 'Midtbyen', heimdal: 'Heimdal' } as const;
