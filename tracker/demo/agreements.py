"""Demo agreements from the Stockholm County safety agenda, with actions in every state and months of history.

Days are relative to the day the demo is seeded, so the demo shows stalled commitments on day one.
"""
from typing import TypedDict

from tracker.actions.models import ActionStatus as S
from tracker.agreements.models import AgreementStatus as A
from tracker.agreements.models import Theme as T

# Each action: title, description, owning organisation (short name), owner (e-mail local part), deadline in days
# from today, created days ago, and its updates as (days ago, text, status, progress[, blocked reason]).
Update = tuple[int, str, S, int] | tuple[int, str, S, int, str]
ActionSpec = tuple[str, str, str, str, int, int, list[Update]]


class AgreementSpec(TypedDict):
    title: str
    reference_number: str
    theme: T
    area: str
    starts_in: int
    ends_in: int
    review_in: int
    status: A
    lead: str
    parties: list[str]
    steering: list[str]
    purpose: str
    actions: list[ActionSpec]


AGREEMENTS: list[AgreementSpec] = [
    dict(
        title="Tidiga insatser mot nyrekrytering till kriminella gäng i Järva",
        reference_number="LST 2026-0412", theme=T.YOUTH_CRIME_PREVENTION, area="Järva, Stockholms stad",
        starts_in=-200, ends_in=530, review_in=20, status=A.ACTIVE, lead="Polisen Järva",
        parties=["Polisen Järva", "Soc Rinkeby-Kista", "Husbygårdsskolan", "Fryshuset", "Region Stockholm"],
        steering=["gunnar.wallin", "hans.ekstrom", "maria.nilsson"],
        purpose="Polis, socialtjänst, skola, region och civilsamhälle ska gemensamt upptäcka barn och unga i "
                "riskzon tidigt och erbjuda stöd innan de dras in i kriminella nätverk. Ingen myndighet ska "
                "lämna ett barn i väntan på en annan.",
        actions=[
            ("Gemensam rutin för orosanmälningar från skolan", "Skolan, socialtjänsten och polisen tar fram en "
             "gemensam rutin för hur oro för att en elev rekryteras anmäls och följs upp inom en vecka.",
             "Soc Rinkeby-Kista", "maria.nilsson", -20, 190, [
                 (170, "Första arbetsmöte med skolan och polisen. Nuvarande flöde kartlagt.", S.IN_PROGRESS, 20),
                 (120, "Utkast till rutin skickat på remiss till rektorerna.", S.IN_PROGRESS, 50),
                 (75, "Remissvar inkomna; två skolor vill ha kortare svarstid.", S.IN_PROGRESS, 70)]),
            ("Fältassistenter i Husby centrum fredag och lördag kväll", "Två fältassistenter på plats 18–23 "
             "fredagar och lördagar, i samverkan med föreningslivet.", "Soc Rinkeby-Kista", "ali.hassan", 60, 180, [
                 (150, "Rekrytering klar, schema lagt.", S.IN_PROGRESS, 30),
                 (40, "Fältarbetet rullar. 14 unga har fått kontakt med fritidsverksamhet.", S.IN_PROGRESS, 60),
                 (6, "Utvärdering av höstterminen påbörjad.", S.IN_PROGRESS, 70)]),
            ("Mentorsprogram för elever i årskurs 7–9", "Fryshuset Passus erbjuder mentorer till elever som "
             "skolan och socialtjänsten identifierat.", "Fryshuset", "daniel.okafor", 110, 185, [
                 (160, "Avtal om lokaler med Husbygårdsskolan klart.", S.IN_PROGRESS, 15),
                 (90, "Tolv mentorer utbildade.", S.IN_PROGRESS, 40)]),
            ("Föräldramöten om rekrytering via sociala medier", "Polisen och skolan håller föräldramöten på "
             "arabiska, somaliska och svenska om hur unga värvas via sociala medier.", "Polisen Järva",
             "erik.johansson", -45, 170, [
                 (140, "Material framtaget tillsammans med skolan.", S.IN_PROGRESS, 40),
                 (60, "Lokalbokning stoppad: skolans aula är under renovering.", S.BLOCKED, 40,
                  "Ingen lokal för över 100 personer i området under hösten. Behöver beslut från styrgruppen "
                  "om att hyra Husby träff.")]),
            ("Samordnad individuell plan (SIP) inom 14 dagar", "Region och socialtjänst erbjuder SIP inom två "
             "veckor när ett barn i riskzon också har vårdbehov.", "Region Stockholm", "fatima.yilmaz", 30, 160, [
                 (150, "Kontaktvägar mellan BUP och socialtjänsten klarlagda.", S.IN_PROGRESS, 25)]),
            ("Lovaktiviteter sommaren", "Sommarlovsaktiviteter för 300 unga i Järva.", "Fryshuset",
             "daniel.okafor", -95, 190, [
                 (170, "Program och finansiering klart.", S.IN_PROGRESS, 50),
                 (100, "Över 340 unga deltog. Rapport skickad till styrgruppen.", S.DONE, 100)]),
            ("Trygghetsvandring med elever", "Elever visar polisen och skolan de platser där de känner sig "
             "otrygga.", "Husbygårdsskolan", "karin.strom", 12, 60, []),
        ]),
    dict(
        title="Trygg närmiljö i Husby: belysning, klotter och parker",
        reference_number="TK 2026-1187", theme=T.SAFE_LOCAL_ENVIRONMENT, area="Husby, Stockholms stad",
        starts_in=-150, ends_in=215, review_in=6, status=A.ACTIVE, lead="Trafikkontoret",
        parties=["Trafikkontoret", "Polisen Järva", "Soc Rinkeby-Kista"],
        steering=["gunnar.wallin", "mikael.holm"],
        purpose="Trasig gatubelysning, klotter och skräpiga parker skapar otrygghet. Parterna åtgärdar de "
                "platser som boende och polisen pekar ut, och följer upp att åtgärderna håller.",
        actions=[
            ("Byta trasig belysning på gångvägen Husby gård–tunnelbanan", "14 armaturer längs gångvägen.",
             "Trafikkontoret", "mikael.holm", -30, 140, [
                 (130, "Inventering klar: 14 armaturer trasiga, 3 stolpar påkörda.", S.IN_PROGRESS, 20),
                 (95, "Beställning lagd hos entreprenören.", S.IN_PROGRESS, 40)]),
            ("Klottersanering inom 24 timmar vid Husby torg", "Avtal med saneringsfirman om 24-timmarsgaranti.",
             "Trafikkontoret", "mikael.holm", 45, 140, [
                 (120, "Avtal tecknat.", S.IN_PROGRESS, 50),
                 (10, "Uppföljning: 92 % sanerat inom ett dygn.", S.IN_PROGRESS, 80)]),
            ("Utegym och belysning i Husbyparken", "Ett utegym med belysning som levandegör parken kvällstid.",
             "Trafikkontoret", "mikael.holm", 160, 120, [
                 (100, "Markägarfrågan oklar med bostadsbolaget.", S.BLOCKED, 10,
                  "Bostadsbolaget har inte svarat om marken; behöver kontakt på ledningsnivå.")]),
            ("Platssamverkan: polisens närvaro vid torget", "Synlig polisnärvaro torsdag–lördag kväll.",
             "Polisen Järva", "sara.ahmed", 90, 140, [
                 (110, "Schema för närvaro fastställt.", S.IN_PROGRESS, 30),
                 (3, "Anmälningarna om skadegörelse vid torget har minskat sedan i våras.", S.IN_PROGRESS, 60)]),
            ("Trygghetsmätning bland boende", "Enkät till boende i Husby före och efter åtgärderna.",
             "Soc Rinkeby-Kista", "maria.nilsson", 9, 100, [
                 (90, "Enkäten tagen fram med stadsdelens statistiker.", S.IN_PROGRESS, 30)]),
        ]),
    dict(
        title="Stärkt stöd till brottsutsatta och vittnen",
        reference_number="BOJ 2026-07", theme=T.VICTIMS_AND_WITNESSES, area="Stockholms län",
        starts_in=-120, ends_in=610, review_in=35, status=A.ACTIVE, lead="Brottsofferjouren",
        parties=["Brottsofferjouren", "Polisen Järva", "Polisen Södertälje", "Region Stockholm", "Länsstyrelsen"],
        steering=["gunnar.wallin", "eva.sandberg"],
        purpose="Den som anmäler eller vittnar ska veta att det finns stöd att få. Parterna ska göra det enkelt "
                "att få kontakt med stödet och minska rädslan för att vittna.",
        actions=[
            ("Direktslussning från polisen till Brottsofferjouren", "Polisen frågar vid varje anmälan om den "
             "brottsutsatta vill bli kontaktad av Brottsofferjouren.", "Polisen Järva", "erik.johansson", 20, 115, [
                 (100, "Rutinen införd i Järva.", S.IN_PROGRESS, 50),
                 (12, "Antalet slussningar har fördubblats.", S.IN_PROGRESS, 75)]),
            ("Vittnesstöd vid Södertälje tingsrätt", "Utbildade vittnesstödjare på plats vid förhandlingar.",
             "Brottsofferjouren", "eva.sandberg", 75, 110, [
                 (95, "Åtta vittnesstödjare utbildade.", S.IN_PROGRESS, 40),
                 (25, "Samarbetsavtal med tingsrätten klart.", S.IN_PROGRESS, 65)]),
            ("Information om stöd på fem språk", "Broschyr och webbsida om stöd till brottsutsatta och vittnen.",
             "Länsstyrelsen", "anna.lindqvist", -10, 110, [
                 (85, "Texterna klara på svenska.", S.IN_PROGRESS, 40)]),
            ("Samtalsstöd för unga vittnen via ungdomsmottagningarna", "", "Region Stockholm", "fatima.yilmaz",
             100, 90, [(80, "Ungdomsmottagningarna i Järva och Södertälje är med.", S.IN_PROGRESS, 30),
                       (2, "Första gruppen unga har fått samtalsstöd.", S.IN_PROGRESS, 45)]),
            ("Uppföljning av anmälningsbenägenhet bland unga", "", "Polisen Södertälje", "johan.berg", 200, 90, []),
        ]),
    dict(
        title="Skola, socialtjänst, polis och fritid i Södertälje (SSPF)",
        reference_number="SOC 2026-233", theme=T.YOUTH_CRIME_PREVENTION, area="Södertälje",
        starts_in=-60, ends_in=670, review_in=50, status=A.DRAFT, lead="Soc Södertälje",
        parties=["Soc Södertälje", "Polisen Södertälje", "Ronnaskolan"],
        steering=["lena.eriksson"],
        purpose="En SSPF-grupp i Ronna som möts varje vecka och ger barn i riskzon en samlad insats.",
        actions=[
            ("Samtycke och sekretessgenombrott: gemensam blankett", "", "Soc Södertälje", "lena.eriksson", 40, 55, [
                (45, "Juristerna granskar blanketten.", S.IN_PROGRESS, 40)]),
            ("Veckomöten i SSPF-gruppen", "", "Polisen Södertälje", "johan.berg", 120, 55, [
                (50, "Första mötet hållet.", S.IN_PROGRESS, 20),
                (4, "Sju ärenden på agendan; alla har en ansvarig.", S.IN_PROGRESS, 40)]),
            ("Elevhälsans kontaktperson i SSPF", "", "Ronnaskolan", "peter.lund", 25, 55, [
                (40, "Kuratorn utsedd.", S.DONE, 100)]),
        ]),
]
