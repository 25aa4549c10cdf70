"""Unit: short business texts are recognised as Dutch, French, German or English."""

import pytest

from helix.core.matching.language import detect_language, fold_accents

pytestmark = pytest.mark.unit

SENTENCES = {
    "nl": [
        "Wij zoeken een partner voor de renovatie van ons kantoorgebouw in Gent.",
        "Het warmtenet van de stad wordt uitgebreid naar een nieuwe woonwijk.",
        "Onze bedrijven willen samen laadpalen plaatsen op het bedrijventerrein.",
        "We bieden slimme ledverlichting aan voor magazijnen en kantoren.",
        "Deze coating beschermt staal tegen corrosie in een zoute omgeving.",
        "Het ziekenhuis zoekt een oplossing voor de opvolging van patiënten thuis.",
        "Wij ontwikkelen software die de planning van onderhoud eenvoudiger maakt.",
        "Voor de isolatie van daken is er een subsidie van de overheid.",
        "Een warmtepomp met een hoog rendement is geschikt voor oudere woningen.",
        "Zij hebben ervaring met elektrische bestelwagens en hun batterijen.",
        "Wie kan ons helpen met de digitalisering van onze productie?",
        "Dit project verbindt de restwarmte van een fabriek met het warmtenet.",
    ],
    "fr": [
        "Nous cherchons un partenaire pour la rénovation de nos bureaux à Liège.",
        "Le réseau de chaleur de la ville sera étendu vers un nouveau quartier.",
        "Nos entreprises veulent installer des bornes de recharge sur le parc d'activités.",
        "Nous proposons un éclairage LED intelligent pour les entrepôts et les bureaux.",
        "Ce revêtement protège l'acier contre la corrosion dans un milieu salin.",
        "L'hôpital cherche une solution pour le suivi des patients à domicile.",
        "Nous développons un logiciel qui simplifie la planification de la maintenance.",
        "Une subvention est disponible pour l'isolation des toitures.",
        "Une pompe à chaleur performante convient aux logements anciens.",
        "Ils ont une expérience avec les camionnettes électriques et leurs batteries.",
        "Qui peut nous aider avec la numérisation de notre production?",
        "Ce projet relie la chaleur résiduelle d'une usine au réseau de chaleur.",
    ],
    "de": [
        "Wir suchen einen Partner für die Sanierung unseres Bürogebäudes in Aachen.",
        "Das Wärmenetz der Stadt wird auf ein neues Wohngebiet erweitert.",
        "Unsere Unternehmen wollen Ladesäulen auf dem Gewerbegebiet installieren.",
        "Wir bieten intelligente LED-Beleuchtung für Lagerhallen und Büros an.",
        "Diese Beschichtung schützt Stahl vor Korrosion in salziger Umgebung.",
        "Das Krankenhaus sucht eine Lösung für die Betreuung von Patienten zu Hause.",
        "Wir entwickeln eine Software, die die Planung der Wartung vereinfacht.",
        "Für die Dämmung von Dächern gibt es eine Förderung vom Staat.",
        "Eine effiziente Wärmepumpe ist auch für ältere Wohnungen geeignet.",
        "Sie haben Erfahrung mit elektrischen Lieferwagen und ihren Batterien.",
        "Wer kann uns bei der Digitalisierung der Produktion helfen?",
        "Das Projekt verbindet die Abwärme einer Fabrik mit dem Wärmenetz.",
    ],
    "en": [
        "We are looking for a partner for the renovation of our office building.",
        "The heat network of the city will be extended to a new district.",
        "Our companies want to install charging points on the business park.",
        "We offer smart LED lighting for warehouses and offices.",
        "This coating protects steel against corrosion in a salty environment.",
        "The hospital is looking for a way to follow up patients at home.",
        "We develop software that makes the planning of maintenance simpler.",
        "A grant is available for the insulation of roofs.",
        "An efficient heat pump is also suitable for older homes.",
        "They have experience with electric vans and their batteries.",
        "Who can help us with the digitalisation of our production?",
        "This project connects the waste heat of a factory to the heat network.",
    ],
}


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_business_sentences_are_recognised_in_their_language(language):
    sentences = SENTENCES[language]

    correct = sum(detect_language(sentence) == language for sentence in sentences)

    assert correct / len(sentences) >= 0.9


@pytest.mark.parametrize("text", ["", "   ", "LED 2024", "ISO-9001", "42 %"])
def test_text_without_evidence_falls_back_to_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [("café", "fr"), ("Müller", "de"), ("ijzer", "nl")],
)
def test_spelling_cues_decide_when_there_are_no_function_words(text, language):
    assert detect_language(text) == language


def test_a_word_shared_by_english_and_another_language_counts_as_english():
    assert detect_language("Energy renovation of offices") == "en"


def test_accents_are_folded_and_sharp_s_becomes_ss():
    assert fold_accents("Rénovation Wärme Straße façade") == "Renovation Warme Strasse facade"
