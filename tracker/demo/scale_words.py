"""The words a county-scale data set is made of: Stockholm County's municipalities, Swedish names, and the titles and
texts of agreements, actions and updates, so that generated pages read like a real county's."""
from tracker.actions.models import ActionStatus
from tracker.agreements.models import Theme
from tracker.organisations.models import OrganisationKind as K

# (municipality, e-mail domain stem): every domain ends in .example.se.
MUNICIPALITIES = [
    ("Botkyrka", "botkyrka"), ("Danderyd", "danderyd"), ("Ekerö", "ekero"), ("Haninge", "haninge"),
    ("Huddinge", "huddinge"), ("Järfälla", "jarfalla"), ("Lidingö", "lidingo"), ("Nacka", "nacka"),
    ("Norrtälje", "norrtalje"), ("Nykvarn", "nykvarn"), ("Nynäshamn", "nynashamn"), ("Salem", "salem"),
    ("Sigtuna", "sigtuna"), ("Sollentuna", "sollentuna"), ("Solna", "solna"), ("Stockholm", "stockholm"),
    ("Sundbyberg", "sundbyberg"), ("Södertälje", "sodertalje"), ("Tyresö", "tyreso"), ("Täby", "taby"),
    ("Upplands Väsby", "upplandsvasby"), ("Upplands-Bro", "upplandsbro"), ("Vallentuna", "vallentuna"),
    ("Vaxholm", "vaxholm"), ("Värmdö", "varmdo"), ("Österåker", "osteraker"),
]

# What each municipality has, in the order organisations are made: (name pattern, short-name pattern, kind,
# domain pattern). {m} is the municipality, {d} its domain stem, {n} a running number.
ORGANISATION_PATTERNS = [
    ("{m}s kommun, trygghet och säkerhet", "{m} kommun", K.MUNICIPALITY, "{d}.example.se"),
    ("{m}s kommun, socialtjänsten", "Soc {m}", K.SOCIAL_SERVICES, "{d}.example.se"),
    ("Polisen, lokalpolisområde {m}", "Polisen {m}", K.POLICE, "polisen.example.se"),
    ("{m}s kommun, fritidsförvaltningen", "Fritid {m}", K.MUNICIPALITY, "{d}.example.se"),
    ("{m}sskolan {n}", "{m}sskolan {n}", K.SCHOOL, "edu.{d}.example.se"),
    ("Region Stockholm, närsjukvården {m}", "Region {m}", K.REGION, "regionstockholm.example.se"),
    ("Föreningen Tryggare {m}", "Tryggare {m}", K.NGO, "tryggare{d}.example.se"),
    ("{m} bostäder", "{m} bostäder", K.OTHER, "bostader.{d}.example.se"),
    ("Räddningstjänsten {m}", "Räddning {m}", K.OTHER, "raddning.{d}.example.se"),
    ("Fältgruppen {m}", "Fältgruppen {m}", K.SOCIAL_SERVICES, "{d}.example.se"),
    ("{m}s gymnasium {n}", "Gymnasiet {m} {n}", K.SCHOOL, "edu.{d}.example.se"),
    ("Nattvandrarna {m}", "Nattvandrarna {m}", K.NGO, "nattvandring.example.se"),
]

# The county's own: the first is the administrators' organisation.
COUNTY_ORGANISATIONS = [
    ("Länsstyrelsen Stockholm, trygghetssamordning", "Länsstyrelsen", K.STATE_AGENCY, "lansstyrelsen.example.se"),
    ("Polisregion Stockholm", "Polisregion Stockholm", K.POLICE, "polisen.example.se"),
    ("Kriminalvården, frivården Stockholm", "Frivården", K.STATE_AGENCY, "kriminalvarden.example.se"),
    ("Brottsofferjouren Stockholms län", "Brottsofferjouren", K.NGO, "boj.example.se"),
    ("Fryshuset, Passus", "Fryshuset", K.NGO, "fryshuset.example.se"),
    ("Statens institutionsstyrelse, region Stockholm", "SiS Stockholm", K.STATE_AGENCY, "sis.example.se"),
]

FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Johanna", "Sofia", "Linnéa",
    "Elin", "Malin", "Hanna", "Ida", "Fatima", "Amira", "Leila", "Yasmin", "Nadia", "Aisha", "Helena", "Ulla",
    "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Mikael", "Nils", "Jan", "Gunnar", "Oskar", "Emil",
    "Ahmed", "Mohammed", "Ali", "Hassan", "Omar", "Yusuf", "Mehmet", "Daniel", "Fredrik", "Jonas", "Björn", "Mats",
]
SURNAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg", "Lindqvist", "Lindström",
    "Åberg", "Öberg", "Ekström", "Sjöberg", "Wallin", "Berg", "Holm", "Sandberg", "Forsberg", "Engström",
    "Ahmed", "Hussein", "Mohammed", "Ali", "Yilmaz", "Kaya", "Nguyen", "Rodríguez", "Kowalski", "Novak",
    "Hosseini", "Abdi", "Warsame", "Jovanović", "Virtanen", "Korhonen", "Haddad", "Khalil", "Demir", "Svärd",
]

AGREEMENT_TITLES = {
    Theme.YOUTH_CRIME_PREVENTION: ["Tidiga insatser mot nyrekrytering till kriminella nätverk i {a}",
                                   "Sociala insatsgrupper för unga i riskzon i {a}",
                                   "Samverkan skola, socialtjänst och polis för unga i {a}"],
    Theme.SAFE_LOCAL_ENVIRONMENT: ["Trygg och säker stadsmiljö i {a}", "Platssamverkan kring centrum i {a}",
                                   "Trygga stråk och mötesplatser i {a}"],
    Theme.VICTIMS_AND_WITNESSES: ["Stöd till brottsutsatta och vittnen i {a}",
                                  "Samordnat stöd till våldsutsatta i nära relationer i {a}"],
    Theme.OTHER: ["Samverkan mot våldsbejakande extremism i {a}", "Gemensam lägesbild och medborgardialog i {a}"],
}

ACTION_TITLES = [
    "Kartlägga otrygga platser kring {p}", "Utöka fältarbetet kvällstid i {p}", "Starta föräldrastöd i {p}",
    "Införa SSPF-möten varannan vecka i {p}", "Bättre belysning på gång- och cykelvägar i {p}",
    "Trygghetsvandring med boende i {p}", "Sommarjobb för unga i {p}", "Samordna skolornas närvarouppföljning i {p}",
    "Utbilda personal i orosanmälan i {p}", "Öppna mötesplats för unga på helger i {p}",
    "Klottersanering inom 24 timmar i {p}", "Gemensam lägesbild varje månad för {p}",
    "Stödsamtal för brottsutsatta unga i {p}", "Mentorsprogram med idrottsföreningar i {p}",
    "Kameraövervakning vid stationen i {p}", "Avhopparverksamhet i samverkan i {p}",
    "Förebyggande samtal med unga som dömts i {p}", "Information till nyanlända föräldrar i {p}",
]
PLACES = ["centrum", "stationsområdet", "skolområdet", "Norra stadsdelen", "Södra stadsdelen", "torget", "hamnen",
          "idrottsplatsen", "bostadsområdet Backen", "köpcentrumet", "Östra förorten", "Västra förorten"]

UPDATE_TEXTS = {
    ActionStatus.PLANNED: ["Planeringen pågår; första mötet är bokat.", "Vi har utsett kontaktpersoner."],
    ActionStatus.IN_PROGRESS: ["Arbetet går enligt plan. Nästa avstämning om två veckor.",
                               "Första delen genomförd; vi utvärderar efter sommaren.",
                               "Fler deltagare än väntat; vi har utökat med en grupp.",
                               "Avstämning med samverkansparterna genomförd, inga hinder just nu.",
                               "Personal rekryterad och introducerad; verksamheten i gång."],
    ActionStatus.BLOCKED: ["Stoppat i väntan på beslut om finansiering.", "Väntar på lokaler från fastighetsägaren.",
                           "Pausat: nyckelperson har slutat och ersättare saknas."],
    ActionStatus.DONE: ["Klart och utvärderat; rapporten skickad till styrgruppen.", "Genomfört enligt plan."],
    ActionStatus.CANCELLED: ["Avbrutet: insatsen ersätts av en regional satsning.",
                             "Avbrutet efter beslut om nya prioriteringar."],
}
BLOCKED_REASONS = ["Väntar på beslut om finansiering från nämnden.", "Lokalfrågan är olöst.",
                   "Avtal om personuppgiftsbiträde saknas.", "Ersättare för projektledaren saknas."]
REQUEST_TEXTS = ["Kan ni bidra med en kontaktperson till nästa möte?", "Behöver underlag om läget i området.",
                 "Kan ni ta fram statistik för senaste kvartalet?", "Vi behöver beslut om lokal från er."]
ANSWER_TEXTS = ["Ja, vi skickar en kontaktperson.", "Underlaget är skickat.", "Tyvärr inte i år; vi återkommer."]
DECISION_TEXTS = ["Styrgruppen godkänner den förlängda tidplanen.", "Styrgruppen följer upp åtgärderna vid nästa "
                  "möte och ger samordnaren i uppdrag att stämma av med parterna.",
                  "Styrgruppen beslutar om ny slutdag för åtgärden efter redovisat hinder."]


def ascii_local(text: str) -> str:
    """An e-mail address's local part from a name: lower case, Swedish letters folded, spaces as dots."""
    folded = text.lower().translate(str.maketrans("åäöéüćčšńí", "aaoeuccsni"))
    return "".join(c if c.isalnum() else "." for c in folded).strip(".")
