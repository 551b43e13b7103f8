"""The words of the corpus: French and Dutch paragraphs about public services going digital.

Written for lisible's tests (no third-party text). Notes are written ``{{like this}}``
inside a paragraph, where their marker goes.
"""

FR = [
    "Les services publics bruxellois deviennent numériques les uns après les autres, et les "
    "personnes qui n’ont ni ordinateur ni connexion fiable se retrouvent exclues{{Baromètre de "
    "l’inclusion numérique, Fondation Roi Baudouin, 2022, page 14.}} des démarches les plus "
    "simples. Cette évolution inquiète les associations de terrain, qui accueillent chaque "
    "semaine des dizaines de personnes désemparées devant un formulaire en ligne.",
    "Le rapport qui suit rassemble leurs constats. Il s’appuie sur des entretiens menés auprès "
    "de travailleurs sociaux, d’agents communaux et d’usagers, ainsi que sur une analyse "
    "attentive des textes réglementaires en vigueur dans la Région de Bruxelles-Capitale.",
    "Au guichet, les agents constatent que les demandes d’allocations familiales, de primes à "
    "la rénovation ou de logement social exigent désormais une adresse électronique, un "
    "téléphone intelligent et une carte d’identité électronique avec son code secret. Pour "
    "beaucoup d’habitants, réunir ces trois conditions relève de l’impossible.",
    "Les permanences sociales ont vu leur fréquentation doubler en deux ans{{Chiffres "
    "communiqués par les coordinations sociales des dix-neuf communes, décembre 2024.}}. Les "
    "travailleurs sociaux y passent une grande partie de leur temps à remplir des formulaires "
    "à la place des usagers, ce qui pose des questions de confidentialité et de responsabilité.",
    "Personne ne conteste l’intérêt des outils numériques lorsqu’ils simplifient vraiment la "
    "vie. Ce qui est en cause, c’est leur caractère obligatoire, sans solution de rechange "
    "humaine, sans délai raisonnable et sans accompagnement suffisamment financé.",
    "Nous demandons donc que chaque service public garantisse un accès non numérique de "
    "qualité équivalente : un guichet ouvert à des heures compatibles avec le travail, un "
    "numéro de téléphone qui répond réellement et la possibilité d’envoyer un courrier "
    "postal{{Cette exigence figure déjà dans la Charte des droits des usagers adoptée en 2019.}}.",
    "Les communes disposent d’une marge de manœuvre importante. Elles peuvent former leurs "
    "agents à l’accueil des personnes éloignées du numérique, simplifier leurs formulaires et "
    "publier des informations compréhensibles par toutes et tous, dans plusieurs langues.",
    "La fracture numérique n’est pas seulement une question de matériel. Elle touche aussi la "
    "lecture, la confiance et le temps disponible. Une démarche de dix minutes pour un "
    "fonctionnaire peut représenter une journée entière d’angoisse pour une mère seule qui "
    "travaille à temps partiel et ne maîtrise pas bien le français.",
    "Les associations signataires proposent enfin la création d’un observatoire indépendant, "
    "chargé de mesurer chaque année les effets de la numérisation sur l’accès effectif aux "
    "droits{{Sur le non-recours aux droits sociaux, voir les travaux de l’Observatoire de la "
    "santé et du social, rapport bruxellois sur l’état de la pauvreté, 2023.}} et de publier "
    "ses conclusions sous une forme accessible.",
    "Ces propositions ne coûtent presque rien au regard des budgets consacrés à la "
    "transformation numérique. Elles demandent surtout une volonté politique : celle de "
    "considérer que le service public appartient à tout le monde, y compris à celles et "
    "ceux qui n’ont jamais touché un clavier.",
    "Le dialogue avec les administrations reste indispensable. Plusieurs rencontres ont déjà "
    "eu lieu avec les cabinets concernés, et les premiers échanges laissent espérer des "
    "avancées concrètes avant la fin de la législature, notamment sur les horaires "
    "d’ouverture des guichets et sur la simplification des courriers officiels.",
    "Pour toute question, les lecteurs peuvent écrire à l’adresse info@lisible-collectif.be ou "
    "consulter le dossier complet sur https://lisible.example.org/dossiers/acces-aux-droits, "
    "où figurent aussi les comptes rendus des réunions publiques.",
]

NL = [
    "De Brusselse openbare diensten worden de een na de ander digitaal, en mensen zonder "
    "computer of betrouwbare internetverbinding vallen uit de boot{{Barometer digitale "
    "inclusie, Koning Boudewijnstichting, 2022, bladzijde 14.}} bij de eenvoudigste "
    "aanvragen. Die evolutie baart de verenigingen op het terrein zorgen, want zij ontvangen "
    "elke week tientallen radeloze mensen die vastlopen op een onlineformulier.",
    "Dit verslag bundelt hun vaststellingen. Het steunt op gesprekken met maatschappelijk "
    "werkers, gemeentelijke ambtenaren en gebruikers, en op een grondige analyse van de "
    "geldende regelgeving in het Brussels Hoofdstedelijk Gewest.",
    "Aan het loket merken de medewerkers dat aanvragen voor kinderbijslag, renovatiepremies "
    "of sociale huisvesting voortaan een e-mailadres, een smartphone en een elektronische "
    "identiteitskaart met pincode vereisen. Voor veel inwoners is het onmogelijk om aan die "
    "drie voorwaarden tegelijk te voldoen.",
    "Het aantal bezoekers van de sociale permanenties is op twee jaar tijd verdubbeld{{Cijfers "
    "van de sociale coördinaties van de negentien gemeenten, december 2024.}}. De "
    "maatschappelijk werkers besteden er een groot deel van hun tijd aan het invullen van "
    "formulieren in de plaats van de gebruikers, wat vragen oproept over vertrouwelijkheid.",
    "Niemand betwist het nut van digitale hulpmiddelen wanneer ze het leven werkelijk "
    "eenvoudiger maken. Het probleem is dat ze verplicht worden, zonder menselijk alternatief, "
    "zonder redelijke termijn en zonder voldoende gefinancierde begeleiding.",
    "Wij vragen daarom dat elke openbare dienst een niet-digitale toegang van gelijkwaardige "
    "kwaliteit waarborgt: een loket dat open is op uren die met werk te combineren zijn, een "
    "telefoonnummer dat echt opneemt en de mogelijkheid om een brief per post te "
    "sturen{{Die eis staat al in het Handvest van de rechten van de gebruikers uit 2019.}}.",
    "De gemeenten beschikken over een aanzienlijke speelruimte. Ze kunnen hun personeel "
    "opleiden in het onthaal van mensen die ver van het digitale staan, hun formulieren "
    "vereenvoudigen en begrijpelijke informatie publiceren, in verschillende talen.",
    "De digitale kloof gaat niet alleen over apparatuur. Ze raakt ook aan leesvaardigheid, "
    "vertrouwen en beschikbare tijd. Een procedure van tien minuten voor een ambtenaar kan "
    "voor een alleenstaande moeder met een deeltijdse baan een hele dag van "
    "ongerustheid betekenen.",
    "De ondertekenende verenigingen stellen ten slotte de oprichting voor van een "
    "onafhankelijk observatorium, dat elk jaar de gevolgen van de digitalisering voor de "
    "daadwerkelijke toegang tot rechten{{Over het niet-gebruik van sociale rechten, zie het "
    "Brussels armoederapport van het Observatorium voor Gezondheid en Welzijn, 2023.}} meet "
    "en zijn besluiten in een toegankelijke vorm publiceert.",
    "Deze voorstellen kosten bijna niets in vergelijking met de budgetten voor de digitale "
    "transformatie. Ze vragen vooral politieke wil: de wil om te erkennen dat de openbare "
    "dienstverlening van iedereen is, ook van wie nooit een toetsenbord heeft aangeraakt.",
    "De dialoog met de administraties blijft onmisbaar. Er vonden al verschillende "
    "ontmoetingen plaats met de betrokken kabinetten, en de eerste gesprekken doen concrete "
    "vooruitgang verhopen vóór het einde van de legislatuur, onder meer over de "
    "openingsuren van de loketten en de vereenvoudiging van officiële brieven.",
    "Met vragen kunnen lezers terecht op info@lisible-collectief.be of in het volledige "
    "dossier op https://lisible.example.org/dossiers/toegang-tot-rechten, waar ook de "
    "verslagen van de openbare vergaderingen staan.",
]

HEADINGS_FR = ["Introduction", "Constats de terrain", "Ce que nous demandons",
               "Le rôle des communes", "Conclusion et suite du dialogue"]
HEADINGS_NL = ["Inleiding", "Vaststellingen op het terrein", "Wat wij vragen",
               "De rol van de gemeenten", "Besluit en verdere dialoog"]

TABLE_FR = [["Commune", "Permanences", "Personnes reçues", "Hausse"],
            ["Anderlecht", "12", "4 215", "38 %"],
            ["Ixelles", "8", "2 904", "41 %"],
            ["Molenbeek", "10", "3 877", "52 %"],
            ["Schaerbeek", "11", "4 020", "47 %"]]
TABLE_NL = [["Gemeente", "Permanenties", "Ontvangen personen", "Stijging"],
            ["Anderlecht", "12", "4 215", "38 %"],
            ["Elsene", "8", "2 904", "41 %"],
            ["Molenbeek", "10", "3 877", "52 %"],
            ["Schaarbeek", "11", "4 020", "47 %"]]
