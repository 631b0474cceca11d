"""Demo partner organisations and people across a few Stockholm County municipalities."""
from tracker.accounts.models import Role
from tracker.organisations.models import OrganisationKind as K

# (name, short name, kind, municipality, contact e-mail domain)
ORGANISATIONS = [
    ("Länsstyrelsen Stockholm, trygghetssamordning", "Länsstyrelsen", K.STATE_AGENCY, "Stockholm",
     "lansstyrelsen.example.se"),
    ("Polisen, lokalpolisområde Järva", "Polisen Järva", K.POLICE, "Stockholm", "polisen.example.se"),
    ("Polisen, lokalpolisområde Södertälje", "Polisen Södertälje", K.POLICE, "Södertälje", "polisen.example.se"),
    ("Rinkeby-Kista stadsdelsförvaltning, socialtjänsten", "Soc Rinkeby-Kista", K.SOCIAL_SERVICES, "Stockholm",
     "rinkebykista.example.se"),
    ("Södertälje kommun, socialkontoret", "Soc Södertälje", K.SOCIAL_SERVICES, "Södertälje", "sodertalje.example.se"),
    ("Husbygårdsskolan", "Husbygårdsskolan", K.SCHOOL, "Stockholm", "edu.example.se"),
    ("Ronnaskolan", "Ronnaskolan", K.SCHOOL, "Södertälje", "sodertalje.example.se"),
    ("Botkyrka kommun, trygghet och säkerhet", "Botkyrka kommun", K.MUNICIPALITY, "Botkyrka", "botkyrka.example.se"),
    ("Stockholms stad, trafikkontoret", "Trafikkontoret", K.MUNICIPALITY, "Stockholm", "stockholm.example.se"),
    ("Region Stockholm, ungdomsmottagningarna", "Region Stockholm", K.REGION, "Stockholm",
     "regionstockholm.example.se"),
    ("Brottsofferjouren Stockholms län", "Brottsofferjouren", K.NGO, "Stockholm", "boj.example.se"),
    ("Fryshuset, Passus", "Fryshuset", K.NGO, "Stockholm", "fryshuset.example.se"),
    ("Stiftelsen Tryggare Botkyrka", "Tryggare Botkyrka", K.NGO, "Botkyrka", "tryggarebotkyrka.example.se"),
]

# (short name of organisation, name, e-mail local part, role)
PEOPLE = [
    ("Länsstyrelsen", "Anna Lindqvist", "anna.lindqvist", Role.ADMIN),
    ("Polisen Järva", "Erik Johansson", "erik.johansson", Role.COORDINATOR),
    ("Polisen Järva", "Sara Ahmed", "sara.ahmed", Role.COORDINATOR),
    ("Polisen Södertälje", "Johan Berg", "johan.berg", Role.COORDINATOR),
    ("Soc Rinkeby-Kista", "Maria Nilsson", "maria.nilsson", Role.COORDINATOR),
    ("Soc Rinkeby-Kista", "Ali Hassan", "ali.hassan", Role.COORDINATOR),
    ("Soc Södertälje", "Lena Eriksson", "lena.eriksson", Role.COORDINATOR),
    ("Husbygårdsskolan", "Karin Ström", "karin.strom", Role.COORDINATOR),
    ("Ronnaskolan", "Peter Lund", "peter.lund", Role.COORDINATOR),
    ("Botkyrka kommun", "Åsa Öberg", "asa.oberg", Role.COORDINATOR),
    ("Trafikkontoret", "Mikael Holm", "mikael.holm", Role.COORDINATOR),
    ("Region Stockholm", "Fatima Yilmaz", "fatima.yilmaz", Role.COORDINATOR),
    ("Brottsofferjouren", "Eva Sandberg", "eva.sandberg", Role.COORDINATOR),
    ("Fryshuset", "Daniel Okafor", "daniel.okafor", Role.COORDINATOR),
    ("Tryggare Botkyrka", "Nora Svensson", "nora.svensson", Role.COORDINATOR),
    ("Länsstyrelsen", "Gunnar Wallin", "gunnar.wallin", Role.VIEWER),
    ("Botkyrka kommun", "Ingrid Carlsson", "ingrid.carlsson", Role.VIEWER),
    ("Polisen Järva", "Hans Ekström", "hans.ekstrom", Role.VIEWER),
]
