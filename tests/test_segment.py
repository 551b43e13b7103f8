"""The walker: identity round trips (Hypothesis), visible pseudo-translation, unit rules."""

from __future__ import annotations

import json
from pathlib import Path

import pypandoc
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lisible import convert, segment

CARTE = Path(__file__).parent / "golden" / "convert" / "carte-blanche-bruxelles-numerique.expect.md"

words = st.text(alphabet=st.sampled_from(list("abcdeéèàç XYZ012,.;:!?«»’'*_[]()<>#-|\\^`~")),
                min_size=1, max_size=40)


def _block(kind: str, text: str) -> str:
    text = " ".join(text.split()) or "x"
    return {
        "heading": f"## {text}",
        "paragraph": text,
        "item": f"- {text}\n- {text}",
        "numbered": f"1.  {text}",
        "quote": f"> {text}",
        "note": f"[^1]: {text}\n\n    {text}",
        "code": f"    code {text}",
        "fence": f"```\n{text}\n```",
        "table": f"| {text} | b |\n|---|---|\n| c | {text} |",
        "break": f"{text}\\\n{text}",
        "rule": "------------------------------------------------------------------------",
    }[kind]


documents = st.builds(
    lambda title, blocks: "\n\n".join(
        [f'---\ntitle: {json.dumps(title, ensure_ascii=False)}\nlang: "fr-BE"\n---\n']
        + [_block(kind, text) for kind, text in blocks]) + "\n",
    words,
    st.lists(st.tuples(st.sampled_from(["heading", "paragraph", "item", "numbered", "quote",
                                        "note", "code", "fence", "table", "break", "rule"]),
                       words), max_size=8),
)


@given(st.text())
@settings(max_examples=300)
def test_identity_on_any_text(text: str) -> None:
    assert segment.walk(text, lambda unit: unit.text) == text


@given(documents)
@settings(max_examples=200)
def test_identity_on_generated_documents(document: str) -> None:
    assert segment.walk(document, lambda unit: unit.text) == document


@given(documents)
@example('---\ntitle: "> 0"\nlang: "fr-BE"\n---\n\n> 0\n')  # found by the deep profile
@settings(max_examples=100)
def test_units_never_carry_block_markup_or_edge_whitespace(document: str) -> None:
    """Body units hold inline text only; a front-matter unit is its value, whatever it is.

    Front-matter values (title, kicker, description) are plain text, not
    Markdown: a title ``> 0`` is the text "> 0", published literally, so its
    unit is exactly the YAML string (stripped), block markers included.
    """
    lines = document.split("\n")
    for unit in segment.extract(document):
        assert unit.text == unit.text.strip() and unit.text
        if unit.kind in segment.TRANSLATED_KEYS:
            key, _, value = lines[unit.line - 1].partition(":")
            assert key == unit.kind and unit.text == yaml.safe_load(value).strip()
        else:
            assert not unit.text.startswith(("## ", "- ", "> ", "[^1]: ", "    code"))


def test_identity_on_the_carte_blanche() -> None:
    markdown = CARTE.read_text("utf-8")
    assert segment.walk(markdown, lambda unit: unit.text) == markdown


def test_carte_blanche_units() -> None:
    units = segment.extract(CARTE.read_text("utf-8"))
    kinds = [unit.kind for unit in units]
    assert kinds == ["title", "kicker", "description"] + ["paragraph"] * 8 + ["footnote"] * 2
    assert units[5].text.startswith("S’il est vrai") and "2022[^1]" in units[5].text


def _structure(markdown: str) -> list[str]:
    """Block types of the document as pandoc sees it."""
    ast = json.loads(pypandoc.convert_text(markdown, "json", format="markdown-smart"))

    def walk(blocks):
        for block in blocks:
            yield block["t"]
            if block["t"] in ("BulletList", "OrderedList"):
                items = block["c"] if block["t"] == "BulletList" else block["c"][1]
                for item in items:
                    yield from walk(item)
            elif block["t"] == "BlockQuote":
                yield from walk(block["c"])
    return list(walk(ast["blocks"]))


def test_pseudo_translation_keeps_the_structure() -> None:
    source = (Path(__file__).parent / "golden" / "convert" / "pandoc-source.md").read_text()
    canonical = convert.normalise(source.split("---\n", 2)[2])
    canonical += "\n- un\n- deux\n\n> une citation\n\nligne\\\nsuite\n"
    canonical = convert.normalise(canonical)
    seen = []

    def pseudo(unit: segment.Unit) -> str:
        seen.append(unit.kind)
        return f"⟦{unit.text}⟧"

    translated = segment.walk(canonical, pseudo)
    assert _structure(translated) == _structure(canonical)
    assert {"heading", "paragraph", "item", "cell", "footnote", "quote"} <= set(seen)
    assert "| ⟦Canal⟧" in translated and "[^1]: ⟦Voir le baromètre 2022.⟧" in translated


def test_multi_line_translation_is_indented_in_its_container() -> None:
    markdown = "Texte[^1].\n\n[^1]: Une note.\n"
    out = segment.walk(markdown, lambda u: "Een\nnoot." if u.kind == "footnote" else u.text)
    assert out == "Texte[^1].\n\n[^1]: Een\n    noot.\n"


def test_front_matter_values_are_written_as_json() -> None:
    markdown = '---\ntitle: Un titre\nlang: fr\n---\n\nTexte.\n'
    out = segment.walk(markdown, lambda u: 'Een "titel"' if u.kind == "title" else u.text)
    assert out == '---\ntitle: "Een \\"titel\\""\nlang: fr\n---\n\nTexte.\n'


def test_code_is_not_a_unit() -> None:
    markdown = "Texte.\n\n    print('code')\n\n```\nfenced\n```\n"
    assert [u.text for u in segment.extract(markdown)] == ["Texte."]
