"""Needs and offers of the demo ecosystem, and the loader that writes them through the market services.

Every listing here is invented (``is_sample=True``): the source documents in /work/shared/seeds/ say what
cities and clusters work on (the four Smart Energy Cities work domains in ``helix.registry.demo.seeds``,
the waste heat workshop and the company needs of the Luxembourg clusters, the innovator zones of Flux50)
but list no concrete needs or offers. Real organisations appear as owners
of plausible, made-up listings; the figures, prices and places in the texts are invented too.

Each listing is written in the language its owner would use: Flemish cities and companies in Dutch,
Luxembourg companies in French or German, research institutes and international firms often in English.
Every published need has an offer written in another language that genuinely answers it
(``INTENDED_MATCHES``); a few offers are near-misses (same words, other problem: indoor lighting for a
street lighting need, wood pellets for a heat pump need), so the demo shows what matching gets right and
where people still judge.

``load_demo_listings`` is called by ``helix demo load`` after the registry demo is loaded. It finds each
listing by (organisation, title), saves new or changed ones through ``services.save_listing`` (language,
search text, indexing) and stores every vector at once, so the demo needs no worker to match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from helix.core.registry.nace import normalise_nace
from helix.market import services
from helix.market.models import LISTING_LIFETIME_DAYS, Listing, Side, Status, Visibility
from helix.registry.demo.seeds import DEMO
from helix.registry.models import Domain, Organisation, Sector, Site

# --- the shape of the data --------------------------------------------------------------------------


@dataclass(frozen=True)
class ListingSeed:
    key: str  # a handle for INTENDED_MATCHES; not stored
    organisation: str  # organisation slug in helix.registry.demo.seeds
    side: str  # a helix.market.models.Side value
    category: str  # a helix.market.models.Category value
    language: str  # the language it is written in; Helix detects it (the tests check they agree)
    title: str
    description: str
    domains: tuple[tuple[str, str], ...] = ()  # (cluster slug, domain slug)
    sectors: tuple[str, ...] = ()  # NACE Rev. 2.1 codes
    keywords: tuple[str, ...] = ()
    trl: int | None = None
    budget_min: int | None = None  # need: budget; offer: price (EUR)
    budget_max: int | None = None
    deadline_in: int | None = None  # days after loading
    published_ago: int = 14  # days before loading
    expires_in: int | None = None  # days after loading; default: LISTING_LIFETIME_DAYS after publication
    visibility: str = Visibility.PUBLIC
    status: str = Status.PUBLISHED


# Cluster domains (helix.registry.demo.seeds): the four Smart Energy Cities work domains and the five
# Flux50 innovator zones. The Luxembourg clusters have none.
RENOVATION = ("smart-energy-cities", "collectieve-renovatie")
GREEN_HEAT = ("smart-energy-cities", "groene-warmte")
E_MOBILITY = ("smart-energy-cities", "e-mobility-hubs")
LIGHTING = ("smart-energy-cities", "openbare-verlichting")
DISTRICTS = ("flux50", "multi-energy-districts")
BUILDINGS = ("flux50", "smart-buildings-renovation")
GRIDS = ("flux50", "flexible-grids-storage")
DATA = ("flux50", "energy-data-ict")
INDUSTRY = ("flux50", "industrial-energy-efficiency")

NEED, OFFER = Side.NEED.value, Side.OFFER.value


# --- needs ------------------------------------------------------------------------------------------

NEEDS = (
    # Smart Energy Cities: what the five cities asked for in phase 1 (seed 003), made concrete.
    ListingSeed(
        "gent-prefab-facades",
        "stad-gent",
        NEED,
        "solution",
        "nl",
        "Prefab gevel- en dakelementen voor de renovatie van rijwoningen uit de jaren 1930",
        "In Ledeberg renoveren we met een wijkaanpak 40 rijwoningen uit de jaren 1930 tegelijk, straat per "
        "straat. We zoeken een leverancier van geïsoleerde gevel- en dakelementen die in een werkplaats op "
        "maat van de bestaande gevel worden gemaakt en per woning in enkele dagen geplaatst worden, zodat de "
        "bewoners niet moeten verhuizen. Na de renovatie moeten de woningen minstens energielabel A halen.",
        domains=(RENOVATION, BUILDINGS),
        sectors=("43.23", "16.23"),
        keywords=("collective renovation", "prefabrication", "insulation", "terraced houses"),
        trl=7,
        budget_min=1_200_000,
        budget_max=1_800_000,
        deadline_in=75,
        published_ago=9,
    ),
    ListingSeed(
        "gent-port-heat",
        "stad-gent",
        NEED,
        "partner",
        "nl",
        "Restwarmte uit de haven voor een warmtenet in de Kanaalzone",
        "De stad wil sociale woonwijken langs de Kanaalzone aansluiten op een warmtenet dat gevoed wordt met "
        "restwarmte van bedrijven in de haven. We zoeken een bedrijf dat een stabiele warmtebron van enkele "
        "megawatt kan leveren en met ons een leveringscontract op lange termijn uitwerkt. Een "
        "haalbaarheidsstudie voor een transportleiding van zes kilometer staat gepland voor volgend jaar.",
        domains=(GREEN_HEAT, DISTRICTS),
        sectors=("35.30",),
        keywords=("residual heat", "district heating", "industrial symbiosis"),
        deadline_in=120,
        published_ago=21,
    ),
    ListingSeed(
        "antwerpen-district-heat",
        "stad-antwerpen",
        NEED,
        "solution",
        "nl",
        "Groene warmte zonder gas voor een nieuwe stadswijk van 1.200 woningen",
        "Op een voormalig spoorwegterrein komt een nieuwe wijk met 1.200 appartementen, een school en "
        "winkels, volledig zonder gasaansluiting. We zoeken een partner die een collectief "
        "lagetemperatuurwarmtenet ontwerpt, bouwt en uitbaat, met grote warmtepompen op riothermie of "
        "oppervlaktewater en met warmteopslag. De warmteprijs voor de bewoners mag niet hoger liggen dan bij "
        "een individuele gasketel.",
        domains=(GREEN_HEAT, DISTRICTS),
        sectors=("35.30", "43.22"),
        keywords=("district heating", "heat pumps", "green heat"),
        trl=8,
        budget_min=8_000_000,
        budget_max=12_000_000,
        deadline_in=150,
        published_ago=30,
    ),
    ListingSeed(
        "antwerpen-lighting-telemanagement",
        "stad-antwerpen",
        NEED,
        "solution",
        "nl",
        "Telemanagement voor 8.000 ledarmaturen van de openbare verlichting",
        "De stad heeft de voorbije jaren 8.000 straatlampen vervangen door ledarmaturen, maar kan ze nog "
        "niet op afstand sturen. We zoeken een systeem dat elk lichtpunt afzonderlijk dimt en schakelt "
        "volgens een kalender, defecten automatisch meldt en het verbruik per lichtpunt meet. Het moet een "
        "open protocol gebruiken, zodat we niet vastzitten aan één leverancier van armaturen.",
        domains=(LIGHTING,),
        sectors=("27.40", "43.21"),
        keywords=("public lighting", "remote control", "dimming", "led"),
        trl=8,
        budget_min=600_000,
        budget_max=900_000,
        deadline_in=60,
        published_ago=12,
    ),
    ListingSeed(
        "antwerpen-lamppost-charging",
        "stad-antwerpen",
        NEED,
        "solution",
        "nl",
        "Laadpunten in lantaarnpalen voor woonstraten zonder oprit",
        "In de negentiende-eeuwse gordel rond de binnenstad hebben de meeste bewoners geen oprit of garage "
        "en kunnen ze hun elektrische wagen niet thuis laden. We zoeken laadpunten die in of aan bestaande "
        "lantaarnpalen worden gebouwd en de voeding van de openbare verlichting gebruiken, met een eigen "
        "meter en afrekening per laadbeurt. Eerst willen we 50 palen in twee wijken uitrusten.",
        domains=(E_MOBILITY, LIGHTING),
        sectors=("27.90", "43.21"),
        keywords=("electric vehicles", "kerbside charging", "public lighting"),
        trl=7,
        budget_min=100_000,
        budget_max=200_000,
        deadline_in=90,
        published_ago=5,
    ),
    ListingSeed(
        "kortrijk-solar-path-lighting",
        "stad-kortrijk",
        NEED,
        "solution",
        "nl",
        "Autonome verlichting voor een fietssnelweg langs het kanaal, zonder elektriciteitsnet",
        "Langs het kanaal Bossuit-Kortrijk komt een nieuw stuk fietssnelweg van vier kilometer waar geen "
        "elektriciteitskabel ligt. We zoeken verlichting die zichzelf van stroom voorziet met zonnepanelen, "
        "pas volledig oplicht wanneer er een fietser nadert en in het natuurgebied gedimd amberkleurig licht "
        "geeft voor de vleermuizen. De palen moeten in de winter drie donkere dagen kunnen overbruggen.",
        domains=(LIGHTING,),
        sectors=("27.40",),
        keywords=("public lighting", "solar", "cycle paths", "led"),
        trl=8,
        budget_min=150_000,
        budget_max=250_000,
        deadline_in=90,
        published_ago=18,
    ),
    ListingSeed(
        "kortrijk-business-park-charging",
        "stad-kortrijk",
        NEED,
        "solution",
        "nl",
        "Gedeelde laadpunten op het bedrijventerrein Kortrijk-Noord",
        "Op het bedrijventerrein willen twintig bedrijven samen laadpunten voor personeel, bezoekers en "
        "bestelwagens, zonder dat elke firma haar netaansluiting moet verzwaren. We zoeken een oplossing die "
        "de laadpunten van verschillende bedrijven slim aanstuurt binnen de beschikbare netcapaciteit en de "
        "kosten correct per bedrijf verrekent. De stad trekt een proefopstelling met een veertigtal "
        "laadpunten.",
        domains=(E_MOBILITY, GRIDS),
        sectors=("62.10", "43.21"),
        keywords=("smart charging", "electric vehicles", "business parks", "load management"),
        trl=7,
        budget_min=200_000,
        budget_max=350_000,
        deadline_in=100,
        published_ago=26,
    ),
    ListingSeed(
        "leuven-coownership-renovation",
        "stad-leuven",
        NEED,
        "partner",
        "nl",
        "Beslissingshulp voor de collectieve renovatie van appartementsgebouwen in mede-eigendom",
        "In Leuven staan honderden appartementsgebouwen uit de jaren 1960 en 1970 waar een renovatie "
        "vastloopt omdat de mede-eigenaars niet tot een beslissing komen. We zoeken een partner die per "
        "gebouw renovatiescenario's doorrekent, met de kosten, de energiewinst en de terugverdientijd per "
        "appartement, en dat helder voorstelt op de algemene vergadering. Onze renovatiebegeleiders moeten "
        "het instrument zelf kunnen gebruiken.",
        domains=(RENOVATION, BUILDINGS),
        sectors=("71.12", "72.10"),
        keywords=("collective renovation", "apartment buildings", "co-ownership", "decision support"),
        budget_min=60_000,
        budget_max=120_000,
        deadline_in=80,
        published_ago=40,
    ),
    ListingSeed(
        "leuven-mobility-hub-app",
        "stad-leuven",
        NEED,
        "solution",
        "nl",
        "Eén app voor de mobipunten aan de Leuvense stations",
        "Aan het station en aan vijf voorstadsstations richten we mobipunten in met deelwagens, elektrische "
        "deelfietsen en laadpalen. We zoeken een digitaal platform waarmee reizigers met één account en één "
        "badge een wagen of fiets reserveren, ontgrendelen en betalen, en dat toont welke laadpalen vrij "
        "zijn. Het platform moet koppelen met de bestaande deelaanbieders en het laadnetwerk.",
        domains=(E_MOBILITY,),
        sectors=("62.10", "63.10"),
        keywords=("mobility hubs", "shared mobility", "booking platform", "electric vehicles"),
        trl=8,
        budget_min=150_000,
        budget_max=300_000,
        deadline_in=110,
        published_ago=33,
    ),
    ListingSeed(
        "genk-school-ground-source",
        "stad-genk",
        NEED,
        "solution",
        "nl",
        "Bodem-energiesysteem voor een nieuwe school met sporthal in Waterschei",
        "Voor een nieuwe basisschool met sporthal zoeken we een installateur die een veld met verticale "
        "boringen en warmtepompen ontwerpt en plaatst, zodat het gebouw zonder gas verwarmd wordt en in de "
        "zomer passief gekoeld. Het gaat om ongeveer 250 kW verwarmingsvermogen. De installatie moet klaar "
        "zijn voor het schooljaar dat over twee jaar begint.",
        domains=(GREEN_HEAT, BUILDINGS),
        sectors=("43.22",),
        keywords=("heat pumps", "geothermal energy", "green heat"),
        trl=9,
        budget_min=400_000,
        budget_max=600_000,
        deadline_in=70,
        published_ago=15,
    ),
    ListingSeed(
        "genk-neighbourhood-hubs",
        "stad-genk",
        NEED,
        "solution",
        "nl",
        "Buurtmobipunten met zonnecarport en batterij in de Genkse wijken",
        "In drie woonwijken willen we kleine mobipunten met twee elektrische deelwagens en vier laadpunten, "
        "overdekt met een carport met zonnepanelen. Een batterij moet de zonnestroom bufferen, zodat de "
        "wagens 's avonds groen geladen worden zonder de netaansluiting te verzwaren. We zoeken een "
        "leverancier die carport, zonnepanelen, batterij en laadpalen als één geheel levert.",
        domains=(E_MOBILITY, GRIDS),
        sectors=("43.21", "35.12"),
        keywords=("mobility hubs", "solar", "energy storage", "electric vehicles"),
        trl=8,
        budget_min=250_000,
        budget_max=400_000,
        deadline_in=95,
        published_ago=8,
    ),
    # Flemish companies (Flux50).
    ListingSeed(
        "waasland-heat-network-control",
        "warmtenet-waasland",
        NEED,
        "research",
        "nl",
        "Voorspellende sturing van de aanvoertemperatuur in een warmtenet",
        "Ons warmtenet in Sint-Niklaas draait met een vaste stooklijn, waardoor de aanvoertemperatuur vaak "
        "hoger ligt dan nodig en we warmte verliezen in de leidingen. We zoeken een partner die met een "
        "digitaal model van het net en weersvoorspellingen de aanvoertemperatuur en de inzet van de buffer "
        "een dag vooruit optimaliseert. We leveren twee jaar meetdata van de onderstations aan.",
        domains=(GREEN_HEAT, DATA),
        sectors=("72.10", "62.10"),
        keywords=("district heating", "digital twins", "forecasting"),
        trl=5,
        budget_min=80_000,
        budget_max=150_000,
        deadline_in=85,
        published_ago=20,
    ),
    ListingSeed(
        "antwerp-port-spare-parts",
        "havenbedrijf-antwerpen",
        NEED,
        "solution",
        "nl",
        "Metalen vervangstukken op aanvraag voor verouderde havenkranen en pompen",
        "Voor kranen, sluisdeuren en pompen van dertig jaar en ouder bestaan vaak geen reserveonderdelen "
        "meer, waardoor een defect tot weken stilstand leidt. We zoeken een partner die versleten onderdelen "
        "inscant, het ontwerp reconstrueert en de stukken in staal of titanium print, met de nodige "
        "certificaten. Het gaat om enkele tientallen verschillende onderdelen per jaar.",
        sectors=("25.99", "33.12"),
        keywords=("spare parts", "additive manufacturing", "reverse engineering"),
        trl=7,
        deadline_in=120,
        published_ago=45,
    ),
    ListingSeed(
        "fluvius-lv-flexibility",
        "fluvius",
        NEED,
        "solution",
        "nl",
        "Flexibiliteit van thuisbatterijen en warmtepompen tegen congestie op het laagspanningsnet",
        "In enkele Limburgse straten zit het laagspanningsnet aan de grens van zijn capaciteit, omdat er "
        "veel zonnepanelen, warmtepompen en laadpalen bijkomen. Voor een proefproject van twee jaar zoeken "
        "we een partij die bij een honderdtal gezinnen batterijen, warmtepompen en laadpalen aanstuurt op "
        "signalen van de netbeheerder, met respect voor het comfort van de bewoners. We vergoeden elke "
        "geleverde flexibiliteit.",
        domains=(GRIDS,),
        sectors=("62.10",),
        keywords=("flexibility", "congestion management", "home batteries", "heat pumps"),
        trl=7,
        budget_min=250_000,
        budget_max=400_000,
        deadline_in=75,
        published_ago=11,
        visibility=Visibility.MEMBERS,
    ),
    ListingSeed(
        "kempen-second-life-testing",
        "kempen-batterijen",
        NEED,
        "infrastructure",
        "nl",
        "Testfaciliteit om tweedehands batterijmodules te kwalificeren",
        "We bouwen stationaire opslagsystemen met modules uit afgedankte elektrische wagens. Om garanties te "
        "kunnen geven, zoeken we een labo dat van een staal modules de resterende capaciteit en de snelheid "
        "van veroudering meet met cyclustesten bij verschillende temperaturen. Op termijn willen we een "
        "snelle test die elke module in minder dan een uur beoordeelt.",
        domains=(GRIDS,),
        sectors=("71.20", "72.10"),
        keywords=("batteries", "second-life batteries", "battery testing"),
        trl=5,
        budget_min=50_000,
        budget_max=100_000,
        deadline_in=70,
        published_ago=24,
        visibility=Visibility.MEMBERS,
    ),
    ListingSeed(
        "leie-circular-insulation",
        "leie-smart-buildings",
        NEED,
        "solution",
        "nl",
        "Circulaire isolatie en bouwmaterialen voor renovatieprojecten",
        "Bij onze diepe renovaties van woningen willen we de milieu-impact van de materialen verlagen. We "
        "zoeken leveranciers van isolatie en bouwmaterialen uit gerecycleerde of hergebruikte grondstoffen, "
        "met een technische fiche en een milieuprofiel, die we in grote hoeveelheden kunnen bestellen voor "
        "werven in West-Vlaanderen.",
        domains=(BUILDINGS, RENOVATION),
        sectors=("38.21", "43.23"),
        keywords=("circular economy", "insulation", "recycled materials"),
        trl=8,
        deadline_in=100,
        published_ago=37,
    ),
    ListingSeed(
        "demer-eu-hosting",
        "demer-data-labs",
        NEED,
        "solution",
        "nl",
        "Europese hosting voor een platform met meetdata van energieklanten",
        "Ons voorspellingsplatform verwerkt kwartierwaarden van digitale meters van tienduizenden klanten, "
        "dus persoonsgegevens. We zoeken een hostingpartner met datacenters in de Europese Unie, een ISO "
        "27001-certificaat en een verwerkersovereenkomst volgens de GDPR, die ook GPU-capaciteit levert om "
        "onze modellen te trainen. De migratie staat gepland binnen zes maanden.",
        domains=(DATA,),
        sectors=("63.10",),
        keywords=("cloud", "hosting", "data protection", "energy data"),
        trl=9,
        budget_min=30_000,
        budget_max=60_000,
        deadline_in=60,
        published_ago=6,
    ),
    # Luxembourg (seed 002: company needs, the waste heat workshop of March 2024).
    ListingSeed(
        "nordstad-waste-heat-source",
        "nordstad-heat-solutions",
        NEED,
        "partner",
        "fr",
        "Source de chaleur fatale recherchée pour un réseau de chaleur de quartier",
        "Pour un nouveau réseau de chaleur à basse température au centre du pays, nous cherchons une "
        "entreprise qui rejette en continu de la chaleur entre 25 et 60 °C : centre de données, laiterie, "
        "blanchisserie industrielle ou site de production. Nous installons à nos frais la pompe à chaleur et "
        "l'échangeur et rachetons la chaleur sur quinze ans. Une étude de faisabilité peut être cofinancée.",
        domains=(GREEN_HEAT, INDUSTRY),
        sectors=("35.30",),
        keywords=("waste heat", "district heating", "heat pumps"),
        deadline_in=60,
        published_ago=28,
    ),
    ListingSeed(
        "alzette-corrosion-tests",
        "alzette-surface-coatings",
        NEED,
        "infrastructure",
        "fr",
        "Essais de corrosion à l'échelle pilote pour un nouveau revêtement plasma",
        "Nous avons mis au point un revêtement plasma anticorrosion pour des pièces en acier exposées à "
        "l'eau de mer et aux atmosphères industrielles. Avant l'industrialisation, nous cherchons un "
        "laboratoire capable de réaliser des essais au brouillard salin, de la spectroscopie d'impédance "
        "électrochimique et du vieillissement cyclique sur des pièces de taille réelle. Un partenaire de "
        "recherche pour un projet phare avec un utilisateur industriel serait le bienvenu.",
        sectors=("71.20", "72.10"),
        keywords=("coatings", "corrosion testing", "surface treatment"),
        trl=6,
        budget_min=40_000,
        budget_max=90_000,
        deadline_in=45,
        published_ago=16,
    ),
    ListingSeed(
        "environment-ministry-heat-map",
        "ministere-environnement",
        NEED,
        "research",
        "fr",
        "Cartographie du potentiel de chaleur fatale et de la demande de chaleur au Luxembourg",
        "En vue du plan national de la chaleur, le ministère souhaite une carte de la chaleur fatale "
        "disponible dans les entreprises et de la demande de chaleur des bâtiments, commune par commune. "
        "L'étude doit désigner les zones où un réseau de chaleur serait rentable et s'appuyer sur une "
        "méthode déjà éprouvée dans une autre région. Ce besoin est en préparation et réservé au personnel "
        "des clusters.",
        domains=(GREEN_HEAT,),
        sectors=("72.10", "71.12"),
        keywords=("heat mapping", "waste heat", "district heating", "energy planning"),
        budget_min=150_000,
        budget_max=250_000,
        deadline_in=120,
        published_ago=3,
        visibility=Visibility.STAFF,
    ),
    ListingSeed(
        "clervaux-fire-tests",
        "clervaux-timber-frames",
        NEED,
        "infrastructure",
        "de",
        "Brandprüfung für vorgefertigte Fassadenelemente aus Holz",
        "Für unsere vorgefertigten Fassadenelemente in Holzrahmenbauweise brauchen wir einen "
        "Großbrandversuch nach der europäischen Prüfmethode für Fassaden, bevor wir sie für mehrgeschossige "
        "Gebäude anbieten dürfen. Wir suchen ein Prüflabor mit Fassadenprüfstand, das uns auch bei den "
        "Brandsperren zwischen den Geschossen berät. Die Prüfkörper liefern wir selbst.",
        domains=(BUILDINGS,),
        sectors=("71.20",),
        keywords=("fire safety", "facades", "timber construction"),
        trl=7,
        budget_min=30_000,
        budget_max=70_000,
        deadline_in=50,
        published_ago=19,
    ),
    ListingSeed(
        "bascharage-charging-pilot-site",
        "bascharage-automotive-sensors",
        NEED,
        "infrastructure",
        "de",
        "Pilotstandort für Sensoren an öffentlichen Ladepunkten gesucht",
        "Wir haben einen Sensor entwickelt, der an einer Ladesäule die Temperatur, den Verschleiß des "
        "Steckers und die Belegung des Stellplatzes erfasst. Für einen sechsmonatigen Feldtest suchen wir "
        "einen Standort mit mehreren öffentlich genutzten Ladepunkten und echten Nutzern, an dem wir Daten "
        "sammeln und die Reaktionen der Besucher beobachten können. Ideal wäre ein Reallabor, das solche "
        "Tests schon begleitet.",
        domains=(E_MOBILITY,),
        sectors=("29.31",),
        keywords=("electric vehicles", "sensors", "living lab"),
        trl=6,
        deadline_in=80,
        published_ago=22,
    ),
    ListingSeed(
        "mullerthal-pump-efficiency",
        "mullerthal-water-technologies",
        NEED,
        "solution",
        "de",
        "Energieeffizienz der Pumpen in unseren Membrananlagen",
        "Die Hochdruckpumpen unserer Umkehrosmose- und Ultrafiltrationsanlagen verbrauchen rund 70 % der "
        "Energie, laufen aber mit fester Drehzahl und werden über Ventile gedrosselt. Wir suchen einen "
        "Partner, der die Pumpensysteme vermisst, Frequenzumrichter und effizientere Motoren vorschlägt und "
        "die Einsparung nach dem Umbau nachweist. Die Lösung soll auch in Anlagen bei unseren Kunden "
        "eingesetzt werden.",
        domains=(INDUSTRY,),
        sectors=("27.11", "33.20"),
        keywords=("energy efficiency", "pumps", "variable speed drives"),
        trl=9,
        budget_min=50_000,
        budget_max=120_000,
        deadline_in=65,
        published_ago=13,
    ),
    ListingSeed(
        "kirchberg-clinical-validation",
        "kirchberg-biosensors",
        NEED,
        "research",
        "en",
        "Clinical samples and a study site to validate a point-of-care biosensor",
        "Our biosensor measures cardiac troponin from a drop of blood in eight minutes. To prepare the CE "
        "marking under the EU medical device regulation, we need about 400 well-characterised blood samples "
        "and a clinical partner to run a performance study in an emergency department. We can fund the study "
        "and provide the devices.",
        sectors=("72.10", "86.10"),
        keywords=("biosensors", "clinical studies", "diagnostics", "medical devices"),
        trl=6,
        budget_min=100_000,
        budget_max=250_000,
        deadline_in=90,
        published_ago=27,
    ),
    ListingSeed(
        "unilu-meter-data",
        "university-of-luxembourg",
        NEED,
        "research",
        "en",
        "Anonymised smart meter data for research on low-voltage load forecasting",
        "Our energy systems group develops methods to forecast the load of each low-voltage feeder a day "
        "ahead, now that more heat pumps and electric cars are being connected. We are looking for a grid "
        "operator willing to share a year of anonymised quarter-hourly readings from a few hundred "
        "connections, together with the feeder topology. In return we share our models and co-author the "
        "publications.",
        domains=(DATA, GRIDS),
        sectors=("72.10",),
        keywords=("smart meters", "forecasting", "energy data", "distribution grid"),
        trl=3,
        deadline_in=100,
        published_ago=35,
    ),
    # Not published yet: the member user (Enervalis) sees it among their own listings.
    ListingSeed(
        "enervalis-v2g-pilot-draft",
        "enervalis",
        NEED,
        "partner",
        "en",
        "Host company for a vehicle-to-grid pilot with electric vans",
        "We are looking for a company with at least ten electric vans that return to one depot every evening "
        "and would host a one-year pilot in which the vans feed power back to the site at peak hours. We "
        "provide the bidirectional chargers and the software; the host keeps the savings on its energy bill.",
        domains=(GRIDS, E_MOBILITY),
        sectors=("49.41",),
        keywords=("vehicle-to-grid", "electric vehicles", "smart charging"),
        trl=6,
        published_ago=2,
        status=Status.DRAFT,
    ),
)


# --- offers -----------------------------------------------------------------------------------------

OFFERS = (
    ListingSeed(
        "clervaux-prefab-facades",
        "clervaux-timber-frames",
        OFFER,
        "solution",
        "fr",
        "Façades et toitures préfabriquées à ossature bois pour rénover des maisons mitoyennes",
        "Nous fabriquons dans notre atelier de Clervaux des caissons de façade et de toiture à ossature "
        "bois, isolés en fibre de bois et livrés avec les fenêtres intégrées. Un relevé laser 3D de la "
        "façade existante permet de produire des éléments sur mesure, posés en deux à trois jours par maison "
        "sans que les habitants ne déménagent. Conçu pour les rénovations groupées de maisons en rangée : "
        "plus la série est longue, plus le prix par logement baisse.",
        domains=(RENOVATION, BUILDINGS),
        sectors=("16.23", "43.23"),
        keywords=("prefabrication", "timber construction", "insulation", "collective renovation"),
        trl=8,
        budget_min=32_000,
        budget_max=48_000,
        published_ago=10,
    ),
    ListingSeed(
        "gent-port-residual-heat",
        "havenbedrijf-gent",
        OFFER,
        "infrastructure",
        "en",
        "Residual heat from port industry for district heating networks",
        "Several plants in the port of Ghent release low-grade heat at 70 to 90 °C that is now lost in "
        "cooling towers; together they could supply more than 50 MW. The port authority brings heat "
        "producers and heat network developers together, keeps a map of the available heat and can offer "
        "pipeline corridors on port land. We look for cities and developers who want a long-term heat "
        "supply.",
        domains=(GREEN_HEAT, DISTRICTS, INDUSTRY),
        sectors=("35.30",),
        keywords=("residual heat", "district heating", "industrial symbiosis"),
        published_ago=50,
    ),
    ListingSeed(
        "nordstad-low-temperature-networks",
        "nordstad-heat-solutions",
        OFFER,
        "solution",
        "fr",
        "Conception, construction et exploitation de réseaux de chaleur à basse température",
        "Nous réalisons des réseaux de chaleur de quartier à basse température (35 à 55 °C) alimentés par "
        "des pompes à chaleur de grande puissance sur les eaux usées, l'eau de rivière ou la chaleur fatale, "
        "avec un stockage tampon. Nous prenons en charge l'étude, la construction et l'exploitation pendant "
        "20 à 30 ans, avec un prix de la chaleur garanti pour les habitants. Références : deux nouveaux "
        "quartiers de 300 et 600 logements dans le nord du Luxembourg.",
        domains=(GREEN_HEAT, DISTRICTS),
        sectors=("35.30", "43.22"),
        keywords=("district heating", "heat pumps", "waste heat"),
        trl=9,
        published_ago=42,
    ),
    ListingSeed(
        "nordstad-borehole-heat-pumps",
        "nordstad-heat-solutions",
        OFFER,
        "solution",
        "de",
        "Erdwärmesonden und Sole-Wasser-Wärmepumpen für öffentliche Gebäude",
        "Wir planen und bauen Erdwärmesondenfelder mit Bohrungen bis 150 m Tiefe und Wärmepumpen von 50 bis "
        "500 kW für Schulen, Sporthallen und Verwaltungsgebäude. Im Sommer kühlt dieselbe Anlage das Gebäude "
        "passiv über die Sonden. Wir übernehmen die thermische Simulation des Untergrunds, die "
        "Genehmigungen, die Bohrarbeiten mit Partnern und die Inbetriebnahme.",
        domains=(GREEN_HEAT, BUILDINGS),
        sectors=("43.22",),
        keywords=("heat pumps", "geothermal energy", "green heat"),
        trl=9,
        budget_min=150_000,
        published_ago=25,
    ),
    ListingSeed(
        "actility-streetlight-lorawan",
        "actility-benelux",
        OFFER,
        "solution",
        "fr",
        "Télégestion de l'éclairage public par contrôleurs LoRaWAN",
        "Nos contrôleurs se montent sur la prise Zhaga ou NEMA des luminaires LED existants et communiquent "
        "par LoRaWAN, sans câblage supplémentaire. Chaque point lumineux peut être allumé, éteint ou gradué "
        "à distance selon un calendrier ; les pannes et la consommation mesurée remontent automatiquement "
        "dans un tableau de bord. Le protocole est ouvert (TALQ) et donc indépendant du fabricant des "
        "luminaires. À partir de 85 EUR par point lumineux.",
        domains=(LIGHTING, DATA),
        sectors=("61.90", "62.10"),
        keywords=("public lighting", "remote control", "dimming", "lorawan"),
        trl=9,
        budget_min=85,
        published_ago=31,
    ),
    ListingSeed(
        "contern-solar-streetlights",
        "contern-solar-systems",
        OFFER,
        "solution",
        "fr",
        "Lampadaires LED autonomes à énergie solaire avec détection de présence",
        "Nos lampadaires combinent un panneau photovoltaïque, une batterie lithium fer phosphate et un "
        "luminaire LED qui ne s'allume pleinement qu'au passage d'un piéton ou d'un cycliste. Ils "
        "s'installent sans tranchée ni raccordement au réseau, ce qui convient aux pistes cyclables, aux "
        "parcs et aux parkings isolés ; une teinte ambrée, respectueuse de la faune nocturne, est "
        "disponible. L'autonomie couvre cinq jours sans soleil en hiver.",
        domains=(LIGHTING,),
        sectors=("27.40", "43.21"),
        keywords=("public lighting", "solar", "led", "cycle paths"),
        trl=9,
        budget_min=3_200,
        published_ago=17,
    ),
    ListingSeed(
        "contern-solar-carports",
        "contern-solar-systems",
        OFFER,
        "solution",
        "de",
        "Solar-Carports mit Batteriespeicher und Ladestationen",
        "Wir liefern schlüsselfertige Carports aus Stahl oder Holz mit Photovoltaikdach, einem "
        "Batteriespeicher von 30 bis 200 kWh und AC- oder DC-Ladestationen. Das Energiemanagement lädt die "
        "Fahrzeuge vorrangig mit Solarstrom und begrenzt die Leistung am Netzanschluss. Geeignet für "
        "Mobilitätsstationen und Parkplätze von Gemeinden und Betrieben.",
        domains=(E_MOBILITY, GRIDS),
        sectors=("43.21", "35.12"),
        keywords=("solar", "energy storage", "electric vehicles", "mobility hubs"),
        trl=9,
        budget_min=85_000,
        published_ago=7,
    ),
    ListingSeed(
        "enervalis-shared-site-charging",
        "enervalis",
        OFFER,
        "solution",
        "en",
        "Smart charging software that shares one grid connection across a business park",
        "Our cloud platform steers every charging point on a site through OCPP and keeps the total load "
        "within the grid connection, giving priority to vans that must leave first. When several companies "
        "share a park, it keeps a separate account per company and bills each one for its own sessions. It "
        "also uses solar production and day-ahead prices to move charging to cheap hours.",
        domains=(E_MOBILITY, GRIDS),
        sectors=("62.10",),
        keywords=("smart charging", "load management", "electric vehicles", "business parks"),
        trl=9,
        published_ago=29,
    ),
    ListingSeed(
        "enervalis-flexibility-aggregation",
        "enervalis",
        OFFER,
        "solution",
        "en",
        "Aggregating home batteries, heat pumps and chargers into grid flexibility",
        "Our home energy management software controls batteries, heat pumps and charging points in "
        "households and bundles them into a flexible load that a grid operator can call on. It reacts to "
        "congestion signals per street or feeder, while each household sets its own comfort limits. The "
        "platform runs in more than 2,000 homes in Belgium and the Netherlands.",
        domains=(GRIDS, DATA),
        sectors=("62.10",),
        keywords=("flexibility", "congestion management", "home batteries", "heat pumps"),
        trl=8,
        published_ago=64,
    ),
    ListingSeed(
        "energyville-renovation-scenarios",
        "energyville",
        OFFER,
        "competence",
        "en",
        "Renovation scenarios per flat for apartment buildings in co-ownership",
        "We simulate the energy use of a whole apartment building before and after renovation and divide the "
        "investment, the energy savings and the payback time over every flat, subsidies included. The "
        "results come as a short report and a visual that renovation coaches can present at the general "
        "meeting of the co-owners. Tested on thirty buildings in Flemish cities.",
        domains=(RENOVATION, BUILDINGS),
        sectors=("72.10",),
        keywords=("collective renovation", "apartment buildings", "co-ownership", "building simulation"),
        trl=7,
        budget_min=4_000,
        published_ago=23,
    ),
    ListingSeed(
        "energyville-battery-lab",
        "energyville",
        OFFER,
        "test_facility",
        "en",
        "Battery test lab: cycling, ageing and second-life qualification",
        "Our lab in Genk has more than 300 test channels and climate chambers from -20 to 60 °C for cells, "
        "modules and complete packs. We run cycle and calendar ageing tests, measure remaining capacity and "
        "internal resistance, and develop fast screening methods for modules from used electric vehicles. "
        "Companies can rent test capacity or start a joint research project.",
        domains=(GRIDS,),
        sectors=("72.10", "71.20"),
        keywords=("batteries", "battery testing", "second-life batteries"),
        budget_min=5_000,
        published_ago=60,
    ),
    ListingSeed(
        "proximus-mobility-hub-platform",
        "proximus",
        OFFER,
        "solution",
        "fr",
        "Plateforme de gestion pour hubs de mobilité partagée",
        "Notre plateforme permet aux usagers de réserver, déverrouiller et payer des voitures partagées, des "
        "vélos électriques et des bornes de recharge avec un seul compte et une seule carte. Elle se "
        "connecte aux principaux opérateurs de partage et aux réseaux de recharge par des API ouvertes et "
        "affiche en temps réel la disponibilité des véhicules. Les communes suivent l'usage de chaque hub "
        "dans un tableau de bord.",
        domains=(E_MOBILITY, DATA),
        sectors=("61.10", "62.10"),
        keywords=("mobility hubs", "shared mobility", "booking platform"),
        trl=8,
        published_ago=14,
    ),
    ListingSeed(
        "list-heat-network-twins",
        "list",
        OFFER,
        "competence",
        "fr",
        "Jumeaux numériques de réseaux de chaleur pour une régulation prédictive",
        "Nos chercheurs construisent des modèles hydrauliques et thermiques de réseaux de chaleur existants, "
        "calibrés sur les mesures des sous-stations. Couplés aux prévisions météorologiques, ces jumeaux "
        "numériques calculent la veille la température de départ et la charge du stockage qui réduisent les "
        "pertes et la consommation des pompes. Nous cherchons des exploitants de réseaux pour des projets "
        "pilotes cofinancés.",
        domains=(GREEN_HEAT, DATA),
        sectors=("72.10",),
        keywords=("district heating", "digital twins", "forecasting"),
        trl=5,
        published_ago=38,
    ),
    ListingSeed(
        "clochedor-datacentre-heat",
        "cloche-dor-cloud-services",
        OFFER,
        "infrastructure",
        "de",
        "Abwärme aus unserem Rechenzentrum für ein Nahwärmenetz",
        "Unser Rechenzentrum in Luxemburg-Stadt gibt rund um die Uhr etwa 1,2 MW Wärme bei 30 bis 35 °C über "
        "Rückkühler an die Außenluft ab. Wir stellen diese Abwärme kostenlos zur Verfügung, wenn ein Partner "
        "die Wärmepumpe und die Leitung zu einem Wärmenetz oder zu Nachbargebäuden baut und betreibt. Die "
        "Kühlkreisläufe sind für einen Wärmetauscher bereits vorbereitet.",
        domains=(GREEN_HEAT, INDUSTRY),
        sectors=("63.10",),
        keywords=("waste heat", "data centre", "district heating"),
        published_ago=20,
        visibility=Visibility.MEMBERS,
    ),
    ListingSeed(
        "clochedor-sovereign-cloud",
        "cloche-dor-cloud-services",
        OFFER,
        "solution",
        "fr",
        "Hébergement cloud souverain au Luxembourg, certifié ISO 27001",
        "Nous hébergeons des applications et des données sensibles dans deux centres de données au "
        "Luxembourg, avec des serveurs GPU pour l'apprentissage automatique. Nos contrats de sous-traitance "
        "sont conformes au RGPD et aucune donnée ne quitte l'Union européenne. Nous accompagnons la "
        "migration depuis un autre fournisseur et assurons la supervision 24 heures sur 24.",
        domains=(DATA,),
        sectors=("63.10",),
        keywords=("cloud", "hosting", "data protection", "cybersecurity"),
        trl=9,
        budget_min=18_000,
        published_ago=48,
    ),
    ListingSeed(
        "ugent-corrosion-lab",
        "ghent-university",
        OFFER,
        "test_facility",
        "en",
        "Corrosion testing laboratory for coatings and steel structures",
        "Our laboratory tests coatings and metal parts in salt spray and cyclic humidity cabinets, by "
        "electrochemical impedance spectroscopy and in real seawater on a test rack in the port of Ghent. "
        "Samples up to two metres long fit in the large cabinet. We also help with failure analysis and join "
        "research projects with industrial partners.",
        sectors=("71.20", "72.10"),
        keywords=("corrosion testing", "coatings", "steel structures"),
        budget_min=2_500,
        published_ago=55,
    ),
    ListingSeed(
        "ugent-facade-fire-lab",
        "ghent-university",
        OFFER,
        "test_facility",
        "en",
        "Fire safety laboratory with a large-scale facade test rig",
        "Our fire safety laboratory runs reaction-to-fire tests and large-scale facade fire tests on a "
        "two-storey rig, following the European assessment method for facades. Our researchers advise makers "
        "of timber and composite building elements on cavity barriers and fire stops before the official "
        "test.",
        domains=(BUILDINGS,),
        sectors=("71.20", "72.10"),
        keywords=("fire safety", "facades", "timber construction"),
        budget_min=8_000,
        published_ago=44,
    ),
    ListingSeed(
        "minett-printed-spare-parts",
        "minett-additive-works",
        OFFER,
        "solution",
        "de",
        "Metallische Ersatzteile aus dem 3D-Drucker, nach einem verschlissenen Originalteil",
        "Wir scannen das Originalteil, rekonstruieren das CAD-Modell und drucken es im "
        "Laserstrahlschmelzverfahren aus Edelstahl, Werkzeugstahl oder Titan, bis 40 cm Größe. Jedes Teil "
        "wird mit Maßprüfung und Werkstoffzeugnis in ein bis drei Wochen geliefert. Ideal für Anlagen, deren "
        "Ersatzteile nicht mehr hergestellt werden.",
        sectors=("25.99", "25.53"),
        keywords=("additive manufacturing", "spare parts", "titanium", "reverse engineering"),
        trl=9,
        published_ago=36,
    ),
    ListingSeed(
        "lih-clinical-validation",
        "luxembourg-institute-of-health",
        OFFER,
        "competence",
        "fr",
        "Biobanque et études cliniques pour valider des dispositifs de diagnostic",
        "Notre biobanque met à disposition des échantillons de sang, de plasma et de tissus annotés "
        "cliniquement, collectés avec consentement selon des procédures accréditées. Notre centre "
        "d'investigation clinique conçoit et conduit des études de performance pour les dispositifs de "
        "diagnostic in vitro, du protocole à l'analyse statistique, avec les hôpitaux luxembourgeois. Nous "
        "accompagnons aussi le dossier réglementaire.",
        sectors=("72.10",),
        keywords=("clinical studies", "biobank", "diagnostics"),
        published_ago=52,
    ),
    ListingSeed(
        "belval-recycled-materials",
        "belval-circular-materials",
        OFFER,
        "solution",
        "fr",
        "Isolants et granulats recyclés issus des déchets de chantier",
        "Nous trions les déchets de démolition et de rénovation pour en tirer des granulats recyclés "
        "certifiés pour le béton, ainsi que des panneaux isolants en laine minérale et en fibre de bois "
        "recyclées. Chaque produit est livré avec une fiche technique et une déclaration environnementale. "
        "Nous livrons au Luxembourg, en Lorraine et en Belgique par lots complets.",
        domains=(BUILDINGS,),
        sectors=("38.21",),
        keywords=("circular economy", "recycled materials", "insulation"),
        trl=9,
        published_ago=19,
    ),
    ListingSeed(
        "living-tomorrow-living-lab",
        "living-tomorrow",
        OFFER,
        "test_facility",
        "nl",
        "Living lab in Vilvoorde: test uw product in de woning en de stad van morgen",
        "Op onze campus in Vilvoorde testen bedrijven nieuwe producten maandenlang in een bewoonde "
        "demowoning, een kantoorgebouw en een parking met publieke laadpalen, voor de ogen van duizenden "
        "bezoekers per jaar. Wij begeleiden de test, verzamelen de feedback van de gebruikers en leveren de "
        "meetgegevens aan. Geschikt voor toepassingen in slim wonen, energie en elektrische mobiliteit.",
        domains=(E_MOBILITY, BUILDINGS),
        sectors=("82.30",),
        keywords=("living lab", "smart home", "electric vehicles"),
        budget_min=15_000,
        published_ago=41,
    ),
    ListingSeed(
        "vito-heat-maps",
        "vito",
        OFFER,
        "competence",
        "nl",
        "Warmtekaarten en haalbaarheidsanalyses voor warmtenetten",
        "VITO maakte de warmtekaart van Vlaanderen: de warmtevraag van elk gebouw en het aanbod van "
        "restwarmte van de industrie, op een raster van 100 meter. Met die kaart en een rekenmodel duiden we "
        "voor steden en overheden de zones aan waar een warmtenet rendabel kan zijn. We passen de methode "
        "ook toe op andere regio's en landen, met hun eigen gegevens.",
        domains=(GREEN_HEAT, DISTRICTS),
        sectors=("72.10",),
        keywords=("heat mapping", "district heating", "residual heat", "energy planning"),
        published_ago=34,
    ),
    ListingSeed(
        "abb-drives-energy-appraisal",
        "abb",
        OFFER,
        "solution",
        "en",
        "Variable speed drives and energy appraisals for pumps and fans",
        "Pumps and fans that run at fixed speed and are throttled by valves waste much of their energy. Our "
        "engineers measure the load profile of your motors on site, calculate the savings of variable speed "
        "drives and high-efficiency motors, and supply, install and commission them. After the retrofit we "
        "verify the savings with the same measurements; typical savings are 20 to 50 %.",
        domains=(INDUSTRY,),
        sectors=("27.11", "27.12"),
        keywords=("energy efficiency", "variable speed drives", "pumps", "electric motors"),
        trl=9,
        published_ago=46,
    ),
    ListingSeed(
        "abb-kerbside-chargers",
        "abb",
        OFFER,
        "solution",
        "en",
        "Compact AC chargers for lamp posts and kerbside charging",
        "Our compact 11 kW AC charger fits inside or onto an existing lamp post and draws power from the "
        "street lighting supply, with a certified meter and an OCPP connection to any back office. Residents "
        "without a driveway can charge overnight in their own street, and the city does not have to dig a "
        "new cable for every charging point. Installation takes half a day per post.",
        domains=(E_MOBILITY, LIGHTING),
        sectors=("27.90",),
        keywords=("electric vehicles", "kerbside charging", "public lighting"),
        trl=9,
        budget_min=2_900,
        published_ago=12,
    ),
    ListingSeed(
        "fluvius-meter-data",
        "fluvius",
        OFFER,
        "infrastructure",
        "nl",
        "Geanonimiseerde meetdata van digitale meters voor onderzoek",
        "Fluvius stelt voor onderzoeksprojecten geanonimiseerde kwartierwaarden van digitale meters ter "
        "beschikking, gegroepeerd per laagspanningsfeeder en met een vereenvoudigde netstructuur. De "
        "gegevens worden gedeeld onder een overeenkomst die het gebruik tot het project beperkt en de "
        "publicatie van resultaten toelaat. Onderzoek naar netcongestie, prognoses en flexibiliteit krijgt "
        "voorrang.",
        domains=(DATA, GRIDS),
        sectors=("35.14",),
        keywords=("smart meters", "energy data", "distribution grid"),
        published_ago=58,
        visibility=Visibility.MEMBERS,
    ),
    # Near-misses and other offers: close in words, different in what they solve.
    ListingSeed(
        "osling-wood-pellets",
        "osling-wood-energy",
        OFFER,
        "solution",
        "fr",
        "Granulés de bois pour chaufferies collectives et réseaux de chaleur communaux",
        "Nous livrons en vrac des granulés de bois certifiés ENplus A1, produits à Wiltz à partir de résidus "
        "de scierie et d'éclaircies des forêts de l'Éislek. Pour les écoles, les piscines et les réseaux de "
        "chaleur communaux, nous proposons des contrats d'approvisionnement pluriannuels à prix indexé, avec "
        "livraison par camion souffleur.",
        domains=(GREEN_HEAT,),
        sectors=("16.26",),
        keywords=("wood pellets", "biomass", "green heat"),
        trl=9,
        published_ago=39,
    ),
    ListingSeed(
        "niko-presence-lighting",
        "niko",
        OFFER,
        "solution",
        "nl",
        "Aanwezigheidsgestuurde verlichting voor scholen en kantoren",
        "Onze bewegings- en aanwezigheidsmelders schakelen en dimmen de verlichting in klaslokalen, gangen "
        "en kantoren naargelang de aanwezigheid en het daglicht. De sturing gebeurt via DALI of ons "
        "domoticasysteem en kan per lokaal worden ingesteld vanaf een tablet. Typisch daalt het "
        "verlichtingsverbruik met een derde.",
        domains=(BUILDINGS,),
        sectors=("27.33", "27.90"),
        keywords=("lighting control", "presence detection", "smart buildings"),
        trl=9,
        published_ago=27,
    ),
    ListingSeed(
        "waasland-small-heat-networks",
        "warmtenet-waasland",
        OFFER,
        "solution",
        "nl",
        "Ontwerp en uitbating van kleine warmtenetten op restwarmte",
        "We ontwerpen, financieren en baten warmtenetten uit voor een paar honderd woningen of een "
        "bedrijventerrein, gevoed met restwarmte van een nabijgelegen bedrijf of een biogasinstallatie. Wij "
        "dragen het risico van de investering en verkopen de warmte aan een vaste prijs per megawattuur.",
        domains=(GREEN_HEAT, DISTRICTS),
        sectors=("35.30",),
        keywords=("district heating", "residual heat", "heat networks"),
        trl=9,
        published_ago=53,
    ),
    ListingSeed(
        "kempen-second-life-storage",
        "kempen-batterijen",
        OFFER,
        "solution",
        "nl",
        "Stationaire batterijen uit tweedehands cellen voor bedrijven",
        "We bouwen batterijcontainers van 100 kWh tot 1 MWh met modules uit afgedankte elektrische wagens, "
        "voor bedrijven die hun piekverbruik willen afvlakken of meer van hun eigen zonnestroom willen "
        "gebruiken. Elke container heeft een eigen batterijbeheersysteem en kost ongeveer 40 % minder dan "
        "een nieuwe.",
        domains=(GRIDS,),
        sectors=("27.20",),
        keywords=("energy storage", "second-life batteries", "peak shaving"),
        trl=7,
        budget_min=45_000,
        published_ago=30,
    ),
    ListingSeed(
        "eislek-composite-panels",
        "eislek-composites",
        OFFER,
        "solution",
        "de",
        "Leichte Sandwichplatten aus Faserverbund für Fahrzeugaufbauten und Industrieverkleidungen",
        "Wir fertigen Sandwichplatten aus glasfaserverstärktem Kunststoff mit Schaumkern, die halb so schwer "
        "sind wie Aluminium und nicht rosten. Sie werden für Kühlaufbauten von Lastwagen, Wohnmobile und "
        "Verkleidungen von Industriehallen eingesetzt, in Längen bis zwölf Meter.",
        sectors=("22.21",),
        keywords=("composites", "lightweight materials", "cladding"),
        trl=9,
        published_ago=47,
    ),
    ListingSeed(
        "leie-office-deep-renovation",
        "leie-smart-buildings",
        OFFER,
        "solution",
        "nl",
        "Studie en uitvoering van diepe renovaties van kantoorgebouwen",
        "We begeleiden eigenaars van kantoorgebouwen van de eerste energieaudit tot de oplevering: isolatie "
        "van de gebouwschil, warmtepompen, ventilatie met warmterecuperatie en een gebouwbeheersysteem dat "
        "alles op elkaar afstemt. Eén aanspreekpunt voor studie, uitvoering en nazorg.",
        domains=(BUILDINGS,),
        sectors=("43.21", "71.12"),
        keywords=("renovation", "heat pumps", "building automation"),
        trl=9,
        published_ago=21,
    ),
    ListingSeed(
        "demer-energy-forecasts",
        "demer-data-labs",
        OFFER,
        "solution",
        "nl",
        "Prognoses van energievraag en zonneproductie op basis van meterdata",
        "Onze modellen voorspellen per kwartier het verbruik en de zonneproductie van gebouwen, sites en "
        "portefeuilles van klanten, tot zeven dagen vooruit. Energieleveranciers en beheerders van "
        "gebouwenparken gebruiken ze om in te kopen en om installaties te plannen.",
        domains=(DATA,),
        sectors=("62.10",),
        keywords=("forecasting", "energy data", "machine learning"),
        trl=8,
        published_ago=32,
    ),
    ListingSeed(
        "hollerich-hub-street-furniture",
        "hollerich-design-studio",
        OFFER,
        "competence",
        "fr",
        "Design de mobilier urbain et de signalétique pour stations de mobilité",
        "Nous concevons l'identité visuelle, la signalétique et le mobilier des stations de mobilité : "
        "abris, totems d'information, marquage au sol et pictogrammes lisibles par tous. Nos projets aident "
        "les usagers à repérer de loin l'offre de vélos, de voitures partagées et de bus.",
        domains=(E_MOBILITY,),
        sectors=("74.12",),
        keywords=("design", "mobility hubs", "wayfinding"),
        published_ago=43,
    ),
    ListingSeed(
        "proximus-iot-connectivity",
        "proximus",
        OFFER,
        "solution",
        "nl",
        "Connectiviteit voor sensoren in de slimme stad via LTE-M en NB-IoT",
        "Ons mobiele netwerk voor het internet der dingen dekt heel België en verbindt sensoren die jaren op "
        "een batterij werken: parkeersensoren, luchtkwaliteitsmeters, afvalcontainers. We leveren "
        "simkaarten, een portaal om ze te beheren en koppelingen naar de eigen software van de stad.",
        domains=(DATA,),
        sectors=("61.10",),
        keywords=("internet of things", "connectivity", "sensors"),
        trl=9,
        published_ago=49,
    ),
    ListingSeed(
        "moselle-precision-machining",
        "moselle-precision-parts",
        OFFER,
        "solution",
        "fr",
        "Usinage de précision de pièces unitaires et de petites séries",
        "Notre atelier de Grevenmacher usine sur des centres cinq axes des pièces en acier, en inox, en "
        "aluminium et en titane, de la pièce unique à quelques centaines d'exemplaires, d'après plan. "
        "Contrôle tridimensionnel de chaque pièce et délai de deux semaines pour les urgences.",
        sectors=("25.53",),
        keywords=("machining", "precision engineering", "small series"),
        trl=9,
        published_ago=26,
    ),
    # Expired: the member user (Enervalis) can renew it.
    ListingSeed(
        "enervalis-business-park-living-lab",
        "enervalis",
        OFFER,
        "test_facility",
        "en",
        "Living lab for smart charging at a business park",
        "From the Flux50 Feasibility Study Call: twenty charging points at a business park in Limburg where "
        "partners can test charging algorithms, tariffs and grid services with real company cars. We offer "
        "the site, the data and our charging software to research partners.",
        domains=(E_MOBILITY, GRIDS),
        sectors=("62.10",),
        keywords=("smart charging", "living lab", "electric vehicles"),
        trl=7,
        published_ago=200,
        expires_in=-20,
    ),
)

DEMO_LISTINGS: tuple[ListingSeed, ...] = (*NEEDS, *OFFERS)

# For each published need, the offer written to answer it (in another language). The test of the demo
# checks that matching with the multilingual model puts it among the top three suggestions.
INTENDED_MATCHES: dict[str, str] = {
    "gent-prefab-facades": "clervaux-prefab-facades",
    "gent-port-heat": "gent-port-residual-heat",
    "antwerpen-district-heat": "nordstad-low-temperature-networks",
    "antwerpen-lighting-telemanagement": "actility-streetlight-lorawan",
    "antwerpen-lamppost-charging": "abb-kerbside-chargers",
    "kortrijk-solar-path-lighting": "contern-solar-streetlights",
    "kortrijk-business-park-charging": "enervalis-shared-site-charging",
    "leuven-coownership-renovation": "energyville-renovation-scenarios",
    "leuven-mobility-hub-app": "proximus-mobility-hub-platform",
    "genk-school-ground-source": "nordstad-borehole-heat-pumps",
    "genk-neighbourhood-hubs": "contern-solar-carports",
    "waasland-heat-network-control": "list-heat-network-twins",
    "antwerp-port-spare-parts": "minett-printed-spare-parts",
    "fluvius-lv-flexibility": "enervalis-flexibility-aggregation",
    "kempen-second-life-testing": "energyville-battery-lab",
    "leie-circular-insulation": "belval-recycled-materials",
    "demer-eu-hosting": "clochedor-sovereign-cloud",
    "nordstad-waste-heat-source": "clochedor-datacentre-heat",
    "alzette-corrosion-tests": "ugent-corrosion-lab",
    "environment-ministry-heat-map": "vito-heat-maps",
    "clervaux-fire-tests": "ugent-facade-fire-lab",
    "bascharage-charging-pilot-site": "living-tomorrow-living-lab",
    "mullerthal-pump-efficiency": "abb-drives-energy-appraisal",
    "kirchberg-clinical-validation": "lih-clinical-validation",
    "unilu-meter-data": "fluvius-meter-data",
}


def listing_seed(key: str) -> ListingSeed:
    for seed in DEMO_LISTINGS:
        if seed.key == key:
            return seed
    raise KeyError(key)


# --- loading ----------------------------------------------------------------------------------------

# What a seed sets on a listing and a later load restores; dates are set once, when it is created.
_FIELDS = ("side", "category", "description", "trl", "budget_min", "budget_max", "visibility", "status")


# The name of each demo organisation's site: a listing is placed at its owner's demo site.
_SITE_NAMES = {o.slug: o.site.name for o in DEMO.organisations if o.site}


def _dates(seed: ListingSeed, today: dt.date) -> dict[str, Any]:
    published_on = today - dt.timedelta(days=seed.published_ago)
    if seed.expires_in is not None:
        expires_on = today + dt.timedelta(days=seed.expires_in)
    else:
        expires_on = published_on + dt.timedelta(days=LISTING_LIFETIME_DAYS)
    return {
        "published_on": published_on if seed.status == Status.PUBLISHED else None,
        "expires_on": expires_on,
        "deadline": today + dt.timedelta(days=seed.deadline_in) if seed.deadline_in is not None else None,
    }


def _unchanged(
    listing: Listing, seed: ListingSeed, site: Site | None, domains: set[int], sectors: set[str]
) -> bool:
    return (
        all(getattr(listing, name) == getattr(seed, name) for name in _FIELDS)
        and listing.site_id == (site.pk if site else None)
        and listing.is_sample
        and {d.pk for d in listing.domains.all()} == domains
        and {s.code for s in listing.sectors.all()} == sectors
        and {k.name for k in listing.keywords.all()} == {k.lower() for k in seed.keywords}
    )


@transaction.atomic
def load_demo_listings(
    listings: Sequence[ListingSeed] = DEMO_LISTINGS, *, today: dt.date | None = None
) -> dict[str, int]:
    """Create or update the demo needs and offers and store their vectors; returns counts.

    Listings are found by (organisation, title): loading twice creates nothing new and saves nothing
    unchanged. The registry demo must be loaded first (``helix.registry.demo.load.load_demo`` calls this
    at its end).
    """
    from helix.market.tasks import reindex

    today = today or timezone.localdate()
    organisations = Organisation.objects.in_bulk({s.organisation for s in listings}, field_name="slug")
    missing = sorted({s.organisation for s in listings} - organisations.keys())
    if missing:
        raise LookupError(f"organisations not loaded (run `helix demo load`): {', '.join(missing)}")
    sites = {
        (site.organisation_id, site.name): site
        for site in Site.objects.filter(organisation__in=organisations.values())
    }
    domains = {
        (d.cluster.slug, d.slug): d
        for d in Domain.objects.select_related("cluster").filter(
            cluster__slug__in={c for s in listings for c, _ in s.domains}
        )
    }
    codes = {normalise_nace(c) for s in listings for c in s.sectors}
    sectors = {s.code: s for s in Sector.objects.filter(code__in=codes)}
    existing = {
        (x.organisation_id, x.title): x
        for x in Listing.objects.filter(
            organisation__in=organisations.values(), title__in={s.title for s in listings}
        ).prefetch_related("domains", "sectors", "keywords")
    }

    created = updated = 0
    for seed in listings:
        organisation = organisations[seed.organisation]
        site = sites.get((organisation.pk, _SITE_NAMES.get(seed.organisation, "")))
        wanted_domains = [domains[d] for d in seed.domains]
        wanted_sectors = [sectors[normalise_nace(c)] for c in seed.sectors]
        listing = existing.get((organisation.pk, seed.title))
        if listing is None:
            listing = Listing(organisation=organisation, title=seed.title, **_dates(seed, today))
            created += 1
        elif _unchanged(
            listing, seed, site, {d.pk for d in wanted_domains}, {s.code for s in wanted_sectors}
        ):
            continue
        else:
            updated += 1
        for name in _FIELDS:
            setattr(listing, name, getattr(seed, name))
        listing.site = site
        listing.is_sample = True
        services.save_listing(listing, domains=wanted_domains, sectors=wanted_sectors, keywords=seed.keywords)

    embedded = reindex()["embedded"]
    return {
        "needs": sum(1 for s in listings if s.side == NEED),
        "offers": sum(1 for s in listings if s.side == OFFER),
        "created": created,
        "updated": updated,
        "embedded": embedded,
    }
