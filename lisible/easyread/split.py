"""Sentence splitting for the easy-read drafter: one idea per sentence.

Each splitter takes one sentence and returns its pieces, or None when it
does not apply; :data:`SPLITTERS` lists them in the order the drafter tries
them, each with the rule name its provenance records (see
:mod:`lisible.easyread.draft` for what each rule does).

spaCy's small French model mistags verbs often (« Cette ordonnance impose »
as an adjective), so each rule asks little of the parse and falls back on
the words: a text is re-parsed after a dummy subject (``Il …``) to see if it
opens on a verb, a subject is read from its determiner. A splitter never
changes a word of the sentence except the few it adds (``Mais``, ``C’est``,
``Cette voie``) and the subjunctive of a handful of common verbs.
"""

from __future__ import annotations

import functools
import re

from lisible.easyread import text as T
from lisible.easyread.glossary import normalise
from lisible.easyread.lint import DEFAULT_CONFIG, LintConfig


def _split_concessive(sentence: str, limits: LintConfig = DEFAULT_CONFIG) -> list[str] | None:
    """``Bien qu’elle soit X, elle fait Y.`` → ``Elle est X.`` and ``Mais elle fait Y.``

    Only ``être`` and ``avoir`` are put back in the indicative; another
    subjunctive stays, and the linter flags it.
    """
    match = _CONCESSIVE.match(sentence)
    if not match:
        return None
    doc = _parse_one(sentence)
    commas = _top_level_commas(sentence, match.end())
    parsed = [c for c in commas if _clause_in(doc, c + 1, len(sentence), leading=True)]
    lexical = [c for c in commas if _opens_on_subject(sentence[c + 1 :].strip())]
    comma = parsed[-1] if parsed else (lexical[0] if lexical else None)
    if comma is not None:
        clause = sentence[match.end() : comma].strip(" ,")
        words = [_INDICATIVE.get(w, w) for w in clause.split(" ")]
        opening = "C’est vrai : " if match.group(0).lower().startswith("s") else ""
        return [opening + " ".join(words), "Mais " + sentence[comma + 1 :].strip()]
    return None


_CONCESSIVE = re.compile(
    r"^(?:bien\s+qu(?:e\b\s*|['’])|même\s+si\s+|quoiqu(?:e\b\s*|['’])|"
    r"s['’]il\s+est\s+vrai\s+qu(?:e\b\s*|['’]))",
    re.IGNORECASE,
)
_INDICATIVE = {
    "veuille": "veut",
    "veuillent": "veulent",
    "puisse": "peut",
    "puissent": "peuvent",
    "fasse": "fait",
    "fassent": "font",
    "aille": "va",
    "aillent": "vont",
    "sache": "sait",
    "sachent": "savent",
    "soit": "est",
    "soient": "sont",
    "sois": "es",
    "soyons": "sommes",
    "soyez": "êtes",
    "ait": "a",
    "aient": "ont",
    "aies": "as",
    "ayons": "avons",
    "ayez": "avez",
}


def _top_level_commas(sentence: str, start: int = 0) -> list[int]:
    """Positions of the commas outside guillemets, from ``start``."""
    found, depth = [], 0
    for i, ch in enumerate(sentence):
        depth += (ch == "«") - (ch == "»")
        if ch == "," and depth <= 0 and i >= start:
            found.append(i)
    return found


def _split_participle(sentence: str, limits: LintConfig = DEFAULT_CONFIG) -> list[str] | None:
    """A participle clause at the end becomes a sentence of its own.

    ``…, entraînant des conséquences.`` → ``Cela entraîne des conséquences.``
    (verbs in -er only); ``un projet …, porté par le ministre.`` → ``Ce projet
    est porté par le ministre.`` (the passive is then flagged by the linter).
    """
    commas = _top_level_commas(sentence)
    if not commas:
        return None
    comma = commas[-1]
    doc = _parse_one(sentence)
    first = next((t for t in doc if t.idx > comma), None)
    if first is None or first.pos_ != "VERB" or "Part" not in first.morph.get("VerbForm"):
        return None
    rest = sentence[first.idx + len(first.text) :].strip().rstrip(".")
    if "Pres" in first.morph.get("Tense") and first.lemma_.endswith("er"):
        return [sentence[:comma], f"Cela {first.lemma_[:-2]}e {rest}"]
    number, gender = first.morph.get("Number"), first.morph.get("Gender")
    head = _agreeing_noun(doc, first, comma)
    if "Past" in first.morph.get("Tense") and head is not None:
        subject = _demonstrative_for(head.text, number, gender)
        verb = "sont" if "Plur" in number else "est"
        return [sentence[:comma], f"{subject} {verb} {first.text} {rest}"]
    return None


def _agreeing_noun(doc, participle, comma: int):
    """The nearest noun before ``comma``, outside guillemets, agreeing with the participle."""
    number, gender = participle.morph.get("Number"), participle.morph.get("Gender")
    if not number:
        return None
    depth = 0
    for token in reversed([t for t in doc if t.idx < comma][-12:]):
        depth += (token.text == "»") - (token.text == "«")
        if depth > 0 or token.pos_ != "NOUN":
            continue
        if token.morph.get("Number") == number and token.morph.get("Gender") == gender:
            return token
    return None


def _demonstrative_for(noun: str, number: list[str], gender: list[str]) -> str:
    if "Plur" in number:
        return f"ces {noun}"
    if "Fem" in gender:
        return f"cette {noun}"
    return f"{'cet' if noun[:1].lower() in 'aeiouhéèê' else 'ce'} {noun}"


def _split_dont(sentence: str, limits: LintConfig = DEFAULT_CONFIG) -> list[str] | None:
    """``…, dont les personnes âgées.`` (no verb after) → ``Par exemple : les personnes âgées.``"""
    match = re.search(r",\s+dont\s+", sentence)
    if not match or has_clause(sentence[match.end() :] or "."):
        return None
    return [sentence[: match.start()], "Par exemple : " + sentence[match.end() :]]


def _cut(sentence: str, limits: LintConfig = DEFAULT_CONFIG) -> list[str] | None:
    """Last resort for a sentence still too long: cut at the comma nearest its middle.

    The pieces may lack a verb; the linter then says so (``one-idea``), and a
    person rewrites them. Both pieces keep at least four words, the first has
    a verb and is not a subordinate clause, the second does not open on a verb
    (its subject would be cut off) nor on a short incise (``, pour certains,``).
    """
    total = len(T.words(sentence))
    if total <= limits.max_words:
        return None
    if _SUBORDINATE.match(sentence) or re.match(r"^s['’]il est vrai", sentence, re.IGNORECASE):
        return None
    doc = _parse_one(sentence)
    commas = _top_level_commas(sentence)
    best: tuple[int, int] | None = None
    for index, comma in enumerate(commas):
        left = len(T.words(sentence[:comma]))
        following = commas[index + 1] if index + 1 < len(commas) else len(sentence)
        previous = commas[index - 1] if index else -1
        if (following < len(sentence) and len(T.words(sentence[comma:following])) <= 5) or (
            previous >= 0 and len(T.words(sentence[previous:comma])) <= 5
        ):
            continue  # a short incise: « , pour certains, »
        if " : " in sentence[:comma]:
            continue  # a list after a colon
        opens_verb = next((_finite(t) for t in doc if t.idx > comma and not t.is_punct), True)
        before = [t for t in doc if t.idx < comma and not t.is_punct]
        if before and before[-1].pos_ in ("VERB", "AUX"):
            continue  # the verb would lose its object: « va imposer, pour … »
        if (
            left >= 4
            and total - left >= 4
            and len(T.words(sentence[comma:following])) > 3
            and not opens_verb
            and (any(_finite(t) for t in doc if t.idx < comma) or _opens_on_subject(sentence))
        ):
            score = max(left, total - left)
            if best is None or score < best[0]:
                best = (score, comma)
    if best is None:
        return None
    return [sentence[: best[1]], sentence[best[1] + 1 :]]


def _opens_on_subject(sentence: str) -> bool:
    """True if the sentence opens on a determiner or a subject pronoun.

    The small French model sometimes tags a verb as an adjective (« Cette
    ordonnance impose … »); the opening word is a second clue.
    """
    first = normalise(sentence.split(" ", 1)[0]).lower()
    return first in _DETERMINERS or first in _SUBJECT_PRONOUNS or first.startswith("l'")


def _split_source(sentence: str, limits: LintConfig = DEFAULT_CONFIG) -> list[str] | None:
    """``Selon X, Y.`` → ``Y.`` and ``C’est ce que dit X.``"""
    match = re.match(r"^(?:selon|d['’]après)\s+([^,]+),\s+(.+)$", sentence, re.IGNORECASE)
    if not match or match.group(1).split()[0].lower() in _STRESSED_PRONOUNS:
        return None
    if match.group(2).count("«") != match.group(2).count("»"):
        return None
    return [match.group(2), f"C’est ce que dit {match.group(1).strip()}"]


_STRESSED_PRONOUNS = frozenset(["moi", "toi", "lui", "elle", "nous", "vous", "eux", "elles"])


def _split_also(sentence: str, limits: LintConfig = DEFAULT_CONFIG) -> list[str] | None:
    """In a long sentence, an addition without a verb at the end gets its own sentence.

    ``A, mais aussi B.`` → ``A.`` and ``Il y a aussi B.``; ``A, même B.`` →
    ``A.`` and ``Il y a même B.``
    """
    if len(T.words(sentence)) <= limits.warn_words:
        return None
    for match in re.finditer(r",\s+(mais\s+aussi|même)\s+", sentence):
        rest = sentence[match.end() :]
        opening = normalise(rest.split(" ", 1)[0]).lower()
        if has_clause(rest) or len(T.words(rest)) < 2 or "," in rest:
            continue
        if opening not in _DETERMINERS and not opening.startswith("l'"):
            continue  # « même pour les démarches » is not a thing one can « have »
        adverb = "aussi" if match.group(1).startswith("mais") else "même"
        return [sentence[: match.start()], f"Il y a {adverb} {rest}"]
    return None


_TRAILING = re.compile(r",?\s+(parce\s+qu(?:e\s+|['’])|depuis\s+qu(?:e\s+|['’]))", re.IGNORECASE)


def _split_subordinate(sentence: str, limits: LintConfig = DEFAULT_CONFIG) -> list[str] | None:
    """In a long sentence, a cause or a purpose at the end gets its own sentence.

    ``X parce que Y`` → ``X.`` and ``C’est parce que Y.``; ``X pour faire Y``
    → ``X.`` and ``C’est pour faire Y.`` Not after a negation, whose scope
    the cut would change (« ils ne sont pas payés pour ce travail »).
    """
    if len(T.words(sentence)) <= limits.warn_words:
        return None
    purposes = _purposes(sentence)
    for match in list(_TRAILING.finditer(sentence)) + purposes:
        left, right = sentence[: match.start()], sentence[match.end() :]
        if left.count("«") != left.count("»") or len(T.words(left)) < 5:
            continue
        if len(T.words(right)) < 3 or _SUBORDINATE.match(left):
            continue
        if match in purposes and _NEGATION.search(left):
            continue
        adverb = re.search(r"\s(par exemple|notamment|surtout|aussi|même)$", left.strip(), re.I)
        if adverb:  # « vital par exemple pour accéder » → « C’est par exemple pour accéder »
            left = left.strip()[: adverb.start()]
        conjunction = re.sub(r"\s+", " ", match.group(1).strip())
        glue = "" if conjunction.endswith(("'", "’")) else " "
        opening = f"C’est {adverb.group(1).lower()}" if adverb else "C’est"
        return [left, f"{opening} {conjunction.lower()}{glue}{right}"]
    return None


_NEGATION = re.compile(r"(?<![\w-])(?:ne|n['’])", re.IGNORECASE)


def _purposes(sentence: str) -> list[re.Match[str]]:
    """``pour`` followed by an infinitive, after the first few words."""
    doc = _parse_one(sentence)
    found = []
    for match in re.finditer(r"\s+(pour)\s+", sentence):
        verb = next((t for t in doc if t.idx >= match.end()), None)
        if verb is not None and "Inf" in verb.morph.get("VerbForm") and match.start() > 20:
            found.append(match)
    return found


def _split_colon(sentence: str, limits: LintConfig = DEFAULT_CONFIG) -> list[str] | None:
    """``A : B`` → ``A.`` and ``B.`` when B is a clause.

    In a long sentence, a list after a noun (``… des canaux : le papier, les
    guichets``) becomes ``Ces canaux sont : le papier, les guichets.``
    """
    for match in re.finditer(r"\s:\s", sentence):
        left, right = sentence[: match.start()], sentence[match.end() :]
        if left.count("«") != left.count("»") or right.startswith("«"):
            continue
        if has_clause(right):
            if len(T.words(left)) >= 2:
                return [left, right]
            continue
        np = _noun_phrase(left)
        if np and len(T.words(sentence)) > limits.max_words and re.search(r",| et ", right):
            plural = normalise(np.split(" ", 1)[0]).lower() in ("les", "des", "ces", "leurs", "nos")
            return [left, f"{_demonstrative(np)} {'sont' if plural else 'est'} : {right}"]
    return None


_DETERMINERS = frozenset(
    [
        "le",
        "la",
        "les",
        "l'",
        "l’",
        "cette",
        "ce",
        "cet",
        "ces",
        "un",
        "une",
        "des",
        "leur",
        "leurs",
        "son",
        "sa",
        "ses",
        "notre",
        "nos",
        "votre",
        "vos",
    ]
)
_DEMONSTRATIVE = {"un": "ce", "une": "cette", "des": "ces"}
_PREPOSITIONS = frozenset(
    [
        "à",
        "de",
        "d'",
        "pour",
        "par",
        "avec",
        "sans",
        "chez",
        "sur",
        "sous",
        "dans",
        "vers",
        "entre",
        "contre",
        "selon",
        "parmi",
    ]
)


def _split_relative(sentence: str, limits: LintConfig = DEFAULT_CONFIG) -> list[str] | None:
    """``NP, qui V X, rest`` → ``NP rest`` and ``NP V X``.

    Without a comma (a restrictive relative), only a long sentence whose
    relative clause runs to its end, after an indefinite noun phrase, is
    split: ``… une voie qui met …`` → ``… une voie.`` and ``Cette voie met …``.
    After a definite one (``les personnes qui …``) the relative restricts the
    noun, and cutting it would change the meaning.
    """
    for match in re.finditer(
        r"(,)?\s+(?:(pour|avec|à|chez|sur|par|sans|contre)\s+)?qui\s+", sentence
    ):
        restrictive = match.group(1) is None
        preposition = match.group(2) or ""
        np = _noun_phrase(sentence[: match.start()])
        if not np:
            continue
        body_start = match.end()
        close = _next_comma(sentence, body_start)
        body = sentence[body_start:close].strip().rstrip(".")
        rest = sentence[close + 1 :].strip() if close < len(sentence) else ""
        if restrictive:
            indefinite = normalise(np.split(" ", 1)[0]).lower() in _DEMONSTRATIVE
            if (
                not indefinite
                or len(T.words(sentence)) <= limits.warn_words
                or (rest and _clause_in(_parse_one(rest), 0, len(rest)))
            ):
                continue  # « les personnes qui … » restricts: cutting it changes the meaning
            body, rest = sentence[body_start:].strip().rstrip("."), ""
        if len(T.words(body)) < 2:
            continue
        main = sentence[: match.start()] + (" " + rest if rest else "")
        subject = _demonstrative(np)
        if preposition:
            return [main, f"{preposition} {subject[:1].lower() + subject[1:]}, {body}"]
        return [main] + [f"{subject} {part}" for part in re.split(r",?\s+et\s+qui\s+", body)]
    return None


def _noun_phrase(before: str) -> str:
    """The last few words before a relative pronoun, back to their determiner."""
    words = before.split()
    if not words or normalise(words[-1]).lower() in _PREPOSITIONS:
        return ""
    for size in range(1, min(5, len(words)) + 1):
        head = normalise(words[-size]).lower()
        if head in _DETERMINERS or head.startswith("l'"):
            inner = {normalise(w).lower().strip(",") for w in words[-size + 1 :]}
            if inner & (_PREPOSITIONS - {"de"} | {"et", "ou", "au", "aux", "du"}) or (
                "," in before[-1:]
            ):
                return ""
            return " ".join(words[-size:])
    return ""


def _demonstrative(np: str) -> str:
    """``une voie`` → ``cette voie``; ``d’un projet`` → ``ce projet``: the same thing again."""
    first, _, rest = np.partition(" ")
    plain = normalise(first).lower()
    if plain.startswith("d'"):
        first, plain = first[2:], plain[2:]
    if plain in _DEMONSTRATIVE:
        demonstrative = _DEMONSTRATIVE[plain]
        if demonstrative == "ce" and rest[:1].lower() in "aeiouhéèê":
            demonstrative = "cet"
        return f"{demonstrative} {rest}"
    if plain.startswith("l'"):
        return "L’" + first[2:] + (" " + rest if rest else "")
    return f"{first} {rest}".strip()


def _next_comma(sentence: str, start: int) -> int:
    """The next comma outside guillemets, or the end of the sentence."""
    depth = 0
    for i in range(start, len(sentence)):
        ch = sentence[i]
        depth += ch == "«"
        depth -= ch == "»"
        if ch == "," and depth <= 0:
            return i
    return len(sentence)


_JOINS = re.compile(
    r",\s+(?:(et|mais|car|donc|puis|or|alors\s+que|alors\s+qu['’])\s*)?|"
    r"\s+(et|mais|car|alors\s+que|alors\s+qu['’])\s*",
    re.IGNORECASE,
)
_QU = r"qu(?:e\b|['’])"
_SUBORDINATE = re.compile(
    rf"^(?:«\s*)?(?:si\b|s['’]ils?\b|quand\b|lors{_QU}|bien\s+{_QU}|même\s+si\b|parce\s+{_QU}|"
    rf"puis{_QU}|comme\b|alors\s+{_QU}|dès\s+{_QU}|pour\s+{_QU}|afin\s+{_QU}|tandis\s+{_QU}|"
    rf"qui\b|{_QU}|dont\b|où\b)",
    re.IGNORECASE,
)
_KEEP = {
    "mais": "Mais",
    "car": "Car",
    "donc": "Donc",
    "puis": "Puis",
    "alors que": "Mais",
    "alors qu'": "Mais",
}
_CLITICS = frozenset(["ne", "n'", "se", "s'", "y", "en", "le", "la", "les", "l'", "lui", "leur"])


def _split_coordination(sentence: str, limits: LintConfig = DEFAULT_CONFIG) -> list[str] | None:
    """Two clauses joined by a comma or a conjunction become two sentences.

    Each side needs a subject and a finite verb, and the first side must not
    be a subordinate clause. When the second side has no subject of its own
    (``Elle décide et n’explique pas.``), the first side's subject is repeated.
    """
    doc = _parse_one(sentence)
    for match in _JOINS.finditer(sentence):
        left, right = sentence[: match.start()], sentence[match.end() :]
        if left.count("«") != left.count("»") and "»" not in right:
            continue
        if _SUBORDINATE.match(left) or _SUBORDINATE.match(right) or not right.strip():
            continue
        word = normalise(match.group(1) or match.group(2) or "").lower()
        word = re.sub(r"\s+", " ", word)
        prefix = _KEEP.get(word, "")
        if _clause_in(doc, 0, match.start()) and _clause_in(
            doc, match.end(), len(sentence), leading=True
        ):
            return [left, f"{prefix} {right}".strip()]
        subject = _shared_subject(doc, sentence, match.end()) if word else ""
        if subject:
            return [left, f"{prefix} {subject} {right}".strip()]
    return None


def _opens_on_finite_verb(text: str) -> bool:
    """True if ``text`` (after clitics) opens on a finite verb.

    The text is parsed after a dummy subject, ``Il …``: alone, a clause
    without its subject often has its verb tagged as a noun.
    """
    doc = _parse_one("Il " + text)
    verb = next((t for t in doc[1:] if normalise(t.text).lower() not in _CLITICS), None)
    if verb is None or not _finite(verb):
        return False
    lemma = verb.lemma_.lower()  # a verb's lemma is its infinitive, not the word itself
    return lemma != verb.text.lower() and lemma.endswith(("er", "ir", "re", "oir"))


def _shared_subject(doc, sentence: str, start: int) -> str:
    """The subject opening the sentence, if the text from ``start`` opens on a finite verb.

    The subject is read from the words, not the parse (the small model often
    mistakes a verb for a participle): the words before the first verb, when
    they start with a determiner or are a subject pronoun, at most five.
    """
    if not _opens_on_finite_verb(sentence[start:]):
        return ""
    first_verb = next((t for t in doc if t.pos_ in ("VERB", "AUX") and t.idx < start), None)
    if first_verb is None:
        return ""
    words = sentence[: first_verb.idx].split()
    if words and words[0] in _KEEP.values():
        words = words[1:]
    while words and normalise(words[-1]).lower() in _CLITICS:
        words = words[:-1]
    if not 1 <= len(words) <= 5 or any("," in w for w in words):
        return ""
    head = normalise(words[0]).lower()
    if not (head in _DETERMINERS or head.startswith("l'") or head in _SUBJECT_PRONOUNS):
        return ""
    text = " ".join(words)
    return text if words[0][1:2].isupper() else text[:1].lower() + text[1:]


_SUBJECT_PRONOUNS = frozenset(
    ["il", "elle", "ils", "elles", "on", "nous", "vous", "je", "j'", "tu", "ce", "c'", "cela", "ça"]
)
_AUXILIARY = ("aux", "aux:tense", "aux:pass", "aux:caus", "cop")


@functools.lru_cache(maxsize=4096)
def _parse_one(text: str):
    return T.parse([text])[0]


def has_clause(text: str) -> bool:
    """True if ``text`` has a finite verb."""
    return any(_finite(t) for t in _parse_one(text))


def _finite(token) -> bool:
    return token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm")


def _clause_in(doc, start: int, end: int, leading: bool = False) -> bool:
    """True if characters ``start:end`` of the parsed sentence hold a whole clause.

    A clause is a finite verb whose subject lies in the same range, so that
    ``le papier et le contact humain seront …`` is not cut after ``papier``.
    ``leading`` also asks the subject to open the range (after at most two
    words), so that ``et de communiquer …`` is not taken for a clause.
    """
    inside = [t for t in doc if start <= t.idx < end]
    if not inside:
        return False
    for verb in (t for t in inside if _finite(t)):
        head = verb.head if verb.dep_ in _AUXILIARY else verb
        subjects = [c for c in head.children if c.dep_.startswith(("nsubj", "expl:subj"))]
        subjects += [
            t
            for t in inside
            if t.i < verb.i
            and t.text.lower() in _SUBJECT_PRONOUNS
            and t.dep_.startswith(("nsubj", "expl"))
        ]
        for subject in subjects:
            first = min(t.i for t in subject.subtree)
            if (
                start <= subject.idx < end
                and doc[first].idx >= start
                and (not leading or first <= inside[0].i + 2)
            ):
                return True
    return False


SPLITTERS = (
    ("sources", _split_source),
    ("concessive", _split_concessive),
    ("colons", _split_colon),
    ("participles", _split_participle),
    ("relatives", _split_relative),
    ("relatives", _split_dont),
    ("coordination", _split_coordination),
    ("coordination", _split_also),
    ("subordinates", _split_subordinate),
    ("cut", _cut),
)
