"""The language of a document: the cheap English rule never disagrees with the language model.

:func:`storyline.readers.clean.plainly_english` calls a sample English without the model.
The guard test reads the real articles of ``../shared/realdata`` and the seeds at test time
(skipped when absent; no text is copied here) and checks, on every record, on prefixes and
lines of it, and on it mixed with the other-language paragraphs below (written for this
test), that wherever the rule fires the model says "en" too.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from storyline.readers import read_paths
from storyline.readers import clean
from storyline.readers.clean import language, plainly_english

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REALDATA = SHARED / "realdata"

OTHER = {
    "fr": (
        "Le conseil municipal a voté mardi soir un budget en hausse de trois pour cent, malgré l'opposition "
        "de plusieurs élus qui réclamaient davantage de moyens pour les écoles du quartier nord. Selon le maire, "
        "la ville doit d'abord rembourser les emprunts contractés lors de la construction du nouveau pont. "
        "Les habitants, venus nombreux à la séance, ont interrompu les débats à plusieurs reprises. Une "
        "association de parents d'élèves a annoncé qu'elle déposerait un recours devant le tribunal "
        "administratif si les classes supprimées n'étaient pas rouvertes à la rentrée."
    ),
    "de": (
        "Der Stadtrat hat am Dienstagabend einen Haushalt beschlossen, der um drei Prozent höher ausfällt als im "
        "Vorjahr, obwohl mehrere Abgeordnete mehr Geld für die Schulen im Norden der Stadt gefordert hatten. "
        "Nach Angaben des Bürgermeisters muss die Stadt zunächst die Kredite zurückzahlen, die für den Bau der "
        "neuen Brücke aufgenommen wurden. Zahlreiche Bürger verfolgten die Sitzung und unterbrachen die Debatte "
        "mehrmals. Was die Regierung dazu sagt, ist noch unklar; der Landrat will die Zahlen im Sommer prüfen."
    ),
    "es": (
        "El ayuntamiento aprobó el martes por la noche un presupuesto un tres por ciento mayor que el del año "
        "pasado, a pesar de la oposición de varios concejales que pedían más recursos para las escuelas del "
        "barrio norte. Según el alcalde, la ciudad debe primero devolver los préstamos que pidió para construir "
        "el nuevo puente. Muchos vecinos acudieron a la sesión e interrumpieron el debate en varias ocasiones."
    ),
    "it": (
        "Il consiglio comunale ha approvato martedì sera un bilancio in aumento del tre per cento, nonostante "
        "l'opposizione di alcuni consiglieri che chiedevano più fondi per le scuole del quartiere nord. Secondo "
        "il sindaco, la città deve prima restituire i prestiti ottenuti per costruire il nuovo ponte. Molti "
        "cittadini hanno assistito alla seduta e hanno interrotto il dibattito più volte."
    ),
    "nl": (
        "De gemeenteraad heeft dinsdagavond een begroting aangenomen die drie procent hoger is dan vorig jaar, "
        "hoewel verschillende raadsleden meer geld wilden voor de scholen in het noorden van de stad. Volgens de "
        "burgemeester moet de stad eerst de leningen terugbetalen die zijn afgesloten voor de bouw van de nieuwe "
        "brug. Veel inwoners waren bij de vergadering en onderbraken het debat meerdere keren."
    ),
    "sv": (
        "Kommunfullmäktige antog på tisdagskvällen en budget som är tre procent större än förra årets, trots att "
        "flera ledamöter krävde mer pengar till skolorna i norra delen av staden. Enligt kommunstyrelsens "
        "ordförande måste staden först betala tillbaka de lån som togs för att bygga den nya bron. Många invånare "
        "följde mötet och avbröt debatten flera gånger."
    ),
    "pl": (
        "Rada miasta przyjęła we wtorek wieczorem budżet wyższy o trzy procent niż w zeszłym roku, mimo sprzeciwu "
        "kilku radnych, którzy domagali się więcej pieniędzy na szkoły w północnej dzielnicy. Według burmistrza "
        "miasto musi najpierw spłacić kredyty zaciągnięte na budowę nowego mostu. To była długa sesja: wielu "
        "mieszkańców przyszło na obrady i kilka razy przerwało debatę."
    ),
    "ru": (
        "Городской совет во вторник вечером утвердил бюджет, который на три процента больше прошлогоднего, "
        "несмотря на возражения нескольких депутатов, требовавших больше денег для школ северного района. "
        "По словам мэра, город сначала должен вернуть кредиты, взятые на строительство нового моста."
    ),
    "zh": (
        "市议会星期二晚上通过了一项比去年高出百分之三的预算，尽管几位议员要求为北区的学校提供更多资金。"
        "市长表示，该市必须首先偿还为建造新桥而借的贷款。许多居民出席了会议，并多次打断辩论。"
    ),
}
ENGLISH = (
    "The city council approved a budget on Tuesday night that is three percent larger than last year's, "
    "although several members had asked for more money for the schools in the north of the city. The mayor "
    "said that the city would first have to repay the loans it had taken out to build the new bridge, and "
    "that the schools' request had been heard. Many residents who were at the meeting interrupted the debate "
    "several times; their association said it would go to court if the closed classes were not reopened."
)
TABLE = "\n".join(f"{2000 + i} {i * 37 % 101} {i * 13 % 17}.{i % 10} {i * 7 % 1000} {i * 3 % 29}" for i in range(60))


def model(text: str) -> str | None:
    """The language model's answer alone (what :func:`language` gave before the rule)."""
    sample = text[:5000]
    if len(re.findall(r"\w+", sample[:1000])) < 4:
        return None
    code, prob = clean._identifier().classify(sample)
    return str(code) if prob >= 0.5 else None


@pytest.mark.parametrize("code", sorted(OTHER))
def test_other_languages_go_to_the_model(code):
    text = OTHER[code]
    assert not plainly_english(text) and not plainly_english(ENGLISH + "\n" + text)
    assert language(text) == model(text) == code


def test_english_prose_is_english_without_the_model():
    clean._identifier.cache_clear()
    assert plainly_english(ENGLISH) and language(ENGLISH) == "en"
    assert clean._identifier.cache_info().currsize == 0  # not loaded
    assert model(ENGLISH) == "en"


def test_short_texts_tables_and_capitals_are_left_to_the_model():
    short = "The mayor said that the bridge would open."
    assert not plainly_english(short) and language(short) == model(short)
    for text in (TABLE, ENGLISH[:120] + "\n" + TABLE):
        assert not plainly_english(text) and language(text) == model(text)
    caps = ENGLISH.upper()  # the model reads an all-capitals text lower-cased
    assert language(caps) == model(caps) == "en"


def _real_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(REALDATA.glob("*.jsonl")):
        sentences: dict[str, list[tuple[int, str]]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if isinstance(rec.get("text"), str):
                texts.append(rec["text"])
            elif isinstance(rec.get("tokens"), list):  # CoNLL-2003: a sentence a record
                sentence = " ".join(rec["tokens"])
                texts.append(sentence)
                sentences.setdefault(str(rec.get("doc_id")), []).append((rec.get("sent_index", 0), sentence))
        texts += ["\n".join(s for _, s in sorted(group)) for group in sentences.values()]
    if (SHARED / "seeds").is_dir():
        texts += [d.text for d in read_paths([str(SHARED / "seeds")]) if hasattr(d, "text")]
    return texts


@pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is absent")
def test_the_rule_never_disagrees_with_the_model_on_real_texts():
    texts = _real_texts()
    assert len(texts) > 1000
    others = list(OTHER.values())
    variants: list[str] = []
    for i, text in enumerate(texts):
        variants.append(text)
        variants += [text[:n] for n in (300, 600, 1200, 2500) if len(text) > n]
        variants += text.split("\n")
        if i % 7 == 0 and len(text) > 600:  # mixed with another language: a block, and line by line
            other = others[i % len(others)]
            variants += [text[:cut] + "\n" + other for cut in (600, 1500, 3000)]
            sentences = re.split(r"(?<=[.。])\s*", other)
            mixed, pick = [], itertools.cycle(s for s in sentences if s)
            for k, line in enumerate(text.split("\n")):
                mixed.append(line)
                if k % 3 == 2:
                    mixed.append(next(pick))
            variants.append("\n".join(mixed))
    fired = [v for v in variants if plainly_english(v[:5000])]
    assert len(fired) > len(texts) // 4  # the rule does fire on real articles
    wrong = [v[:80] for v in fired if model(v) != "en"]
    assert not wrong, f"{len(wrong)} of {len(fired)} texts the rule calls English are not English to the model"
