"""Generated histories of source edits and translators' work, over all languages at once.

A Hypothesis ``RuleBasedStateMachine`` edits a French source (word changes,
splits, merges, reorders, deletions and restorations, footnotes, the title,
a paragraph made identical to another) while translators work in every
catalogue (translate, correct, review, leave fuzzy, machine drafts, restore an
older catalogue from git). After every step the real catalogue stage
(:func:`lisible.catalogs.update_all`) runs on a temporary project, and these
invariants are checked:

- every reviewed translation is still in its own file: live and reviewed
  against the same text, fuzzy with ``#|`` holding the text it was reviewed
  against, or obsolete; never in another language's file;
- an entry whose text is unchanged (and unique) keeps everything but ``#:``;
- the ``.pot`` holds no translation, no fuzzy entry, no ``#|``;
- ``msgfmt -c`` accepts and ``msgcat`` gives back every file byte for byte;
- a second build changes nothing;
- for nl and en, compared with ``msgmerge --previous`` on the same files: an
  entry msgmerge keeps as reviewed is reviewed with the same text here, every
  translation msgmerge keeps is kept here, and a stale entry with the same
  translation shows the same previous text.

Deliberate differences from msgmerge (not asserted): identical texts are told
apart by position and neighbours rather than by their ``msgctxt``
("occurrence N"), so after an insertion lisible keeps a reviewed entry where
msgmerge makes it fuzzy or swaps translations; changed units are paired by a
word-level similarity, where msgmerge compares characters, so the two may pair
a changed unit with different old entries or leave different ones obsolete;
a new copy of a text takes its twin's translation as fuzzy without ``#|``;
msgmerge replaces lisible's ``#.`` comments with the template's; lisible drops
a draft's ``# lisible-draft`` comment once the entry is reviewed.

Bounds: the ``ci`` profile replays the same histories each run; the numbers
are set here so the test takes about a minute on one core. Run more with
``HISTORIES=200 STEPS=60``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from lisible import catalogs, pofile
from lisible.config import config_from_dict
from lisible.provenance import DRAFT_PREFIX, Provenance

SLUG = "doc"
WORDS = ("les", "guichets", "ferment", "et", "les", "usagers", "attendent", "au", "téléphone",
         "la", "commune", "répond", "par", "courrier", "chaque", "semaine", "un", "formulaire",
         "papier", "reste", "possible", "pour", "tous", "sans", "ordinateur", "ni", "internet")
LANGS = ("nl", "en", "fr@falc")
MT = Provenance("argostranslate 1.11.0", "translate-fr_xx 1.9", "0a1b2c")

paragraphs = st.lists(st.sampled_from(WORDS), min_size=4, max_size=10).map(
    lambda words: " ".join(words).capitalize() + ".")
index = st.integers(min_value=0, max_value=1000)


def _entries(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id] + list(catalog.obsolete.values())


def _carries(message: Message, token: str, source: str) -> bool:
    """Does ``message`` hold ``token``, reviewed against ``source`` (or stale since it)?"""
    if message.string != token:
        return False
    if not message.fuzzy:
        return message.id == source
    return list(message.previous_id or []) == [source]


def _block(message: Message) -> list[str]:
    """An entry as written, without the references, which move with the source lines.

    A reviewed entry is compared without its ``#|`` and draft comment: the
    build drops both once the fuzzy flag is cleared (msgmerge drops ``#|`` too).
    """
    if not message.fuzzy:
        message = Message(message.id, message.string, flags=message.flags,
                          auto_comments=message.auto_comments,
                          user_comments=[c for c in message.user_comments
                                         if not c.startswith(DRAFT_PREFIX)],
                          context=message.context)
        message.flags = set(message.flags)
    return [line for line in pofile.format_message(message) if not line.startswith("#:")]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True)


class CatalogueHistories(RuleBasedStateMachine):
    """One French document, three catalogues, translators at work, builds after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="lisible-history-"))
        (self.root / "content").mkdir()
        self.config = config_from_dict(self.root, {})
        self.title = "Les guichets ferment."
        self.paragraphs = ["Les usagers attendent au téléphone.",
                           "La commune répond par courrier chaque semaine.",
                           "Un formulaire papier reste possible pour tous."]
        self.notes: list[str] = []
        self.removed: list[str] = []
        self.reviewed: dict[str, set[tuple[str, str]]] = {code: set() for code in LANGS}
        self.counter = 0
        self.snapshots: dict[str, list[tuple[str, set[tuple[str, str]]]]] = {
            code: [] for code in LANGS}
        self._build()

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # ---------------------------------------------------------------- the project

    def _markdown(self) -> str:
        body = "\n\n".join(self.paragraphs)
        notes = "".join(f"\n[^{n}]: {text}\n" for n, text in enumerate(self.notes, start=1))
        return (f'---\ntitle: "{self.title}"\nlang: "fr-BE"\nsource: "content/{SLUG}.md"\n'
                f"---\n\n{body}\n{notes}")

    def _path(self, code: str) -> Path:
        return self.config.catalog_path(self.config.language(code), SLUG)

    def _files(self) -> dict[Path, str]:
        paths = [self.config.template_path(SLUG), *(self._path(code) for code in LANGS)]
        return {path: path.read_text("utf-8") for path in paths if path.exists()}

    def _build(self) -> None:
        markdown = self._markdown()
        (self.root / "content" / f"{SLUG}.md").write_text(markdown, "utf-8")
        target = self.config.markdown_path(self.config.source, SLUG)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, "utf-8")
        before = self._files()
        catalogs.update_all(self.config)
        after = self._files()
        catalogs.update_all(self.config)
        assert self._files() == after, "a second build changed a file"
        self._check(before, after)
        for code in LANGS:  # what `git log` would hold: each build's catalogue
            self.snapshots[code].append((after[self._path(code)], set(self.reviewed[code])))

    # ---------------------------------------------------------------- invariants

    def _check(self, before: dict[Path, str], after: dict[Path, str]) -> None:
        template_path = self.config.template_path(SLUG)
        template = catalogs.read_catalog(template_path)
        texts = [str(m.id) for m in template if m.id]
        assert all(not m.string and not m.fuzzy for m in template if m.id)
        assert "#|" not in after[template_path] and "tok-" not in after[template_path]
        for path, text in after.items():
            result = _run("msgfmt", "-c", "-o", os.devnull, str(path))
            assert result.returncode == 0, result.stderr
            assert _run("msgcat", str(path)).stdout == text, f"{path} not in msgcat's layout"
        for code in LANGS:
            path = self._path(code)
            catalog = catalogs.read_catalog(path)
            entries = _entries(catalog)
            for token, source in self.reviewed[code]:
                assert any(_carries(m, token, source) for m in entries), (code, token, source)
            others = [other for other in LANGS if other != code]
            assert not any(f"tok-{o}-" in after[path] or f"draft-{o}-" in after[path]
                           for o in others), f"another language's text in {code}"
            if path in before:
                self._check_unchanged(before[path], catalog, texts)
                if code != "fr@falc":
                    self._compare_with_msgmerge(before[path], template_path, catalog, texts)

    def _check_unchanged(self, old_text: str, catalog: Catalog, texts: list[str]) -> None:
        old = pofile.parse_catalog(old_text.encode("utf-8").splitlines(True))[0]
        old_texts = [str(m.id) for m in old if m.id]
        for message in catalog:
            text = str(message.id)
            if message.id and texts.count(text) == 1 and old_texts.count(text) == 1:
                assert _block(message) == _block(old.get(text)), text

    def _compare_with_msgmerge(self, old_text: str, template_path: Path, catalog: Catalog,
                               texts: list[str]) -> None:
        old_path = self.root / "old.po"
        old_path.write_text(old_text, "utf-8")
        merged = _run("msgmerge", "--previous", "-q", "-o", "-", str(old_path), str(template_path))
        assert merged.returncode == 0, merged.stderr
        reference = pofile.parse_catalog(merged.stdout.encode("utf-8").splitlines(True))[0]
        kept = {str(m.string) for m in _entries(catalog) if m.string}
        for message in _entries(reference):
            assert not message.string or str(message.string) in kept, message.string
        old = pofile.parse_catalog(old_text.encode("utf-8").splitlines(True))[0]
        old_strings = [str(m.string) for m in _entries(old) if m.string]
        for message in reference:
            if not message.id or texts.count(str(message.id)) != 1 or not message.string:
                continue
            ours = catalog.get(str(message.id))
            if not message.fuzzy:
                assert ours.string == message.string and not ours.fuzzy, message.id
            elif (ours.fuzzy and ours.string == message.string and message.previous_id
                  and old_strings.count(str(message.string)) == 1):  # not a copy's twin
                assert ours.previous_id == message.previous_id, message.id

    # ---------------------------------------------------------------- source edits

    @rule(i=index, j=index, word=st.sampled_from(WORDS))
    def change_a_word(self, i: int, j: int, word: str) -> None:
        i %= len(self.paragraphs)
        words = self.paragraphs[i].rstrip(".").split(" ")
        words[j % len(words)] = word
        self.paragraphs[i] = " ".join(words).capitalize() + "."
        self._build()

    @rule(i=index, text=paragraphs)
    def insert_a_paragraph(self, i: int, text: str) -> None:
        self.paragraphs.insert(i % (len(self.paragraphs) + 1), text)
        self._build()

    @rule(i=index, j=index)
    def insert_a_copy(self, i: int, j: int) -> None:
        copy = self.paragraphs[j % len(self.paragraphs)]
        self.paragraphs.insert(i % (len(self.paragraphs) + 1), copy)
        self._build()

    @precondition(lambda self: len(self.paragraphs) > 1)
    @rule(i=index)
    def delete_a_paragraph(self, i: int) -> None:
        self.removed.append(self.paragraphs.pop(i % len(self.paragraphs)))
        self._build()

    @precondition(lambda self: self.removed)
    @rule(i=index, j=index)
    def restore_a_paragraph(self, i: int, j: int) -> None:
        text = self.removed.pop(j % len(self.removed))
        self.paragraphs.insert(i % (len(self.paragraphs) + 1), text)
        self._build()

    @rule(i=index)
    def split_a_paragraph(self, i: int) -> None:
        i %= len(self.paragraphs)
        words = self.paragraphs[i].rstrip(".").split(" ")
        if len(words) < 4:
            return
        half = len(words) // 2
        self.paragraphs[i:i + 1] = [" ".join(words[:half]) + ".",
                                    " ".join(words[half:]).capitalize() + "."]
        self._build()

    @precondition(lambda self: len(self.paragraphs) > 1)
    @rule(i=index)
    def merge_two_paragraphs(self, i: int) -> None:
        i %= len(self.paragraphs) - 1
        self.paragraphs[i:i + 2] = [self.paragraphs[i] + " " + self.paragraphs[i + 1]]
        self._build()

    @precondition(lambda self: len(self.paragraphs) > 1)
    @rule(i=index)
    def swap_two_paragraphs(self, i: int) -> None:
        i %= len(self.paragraphs) - 1
        self.paragraphs[i], self.paragraphs[i + 1] = self.paragraphs[i + 1], self.paragraphs[i]
        self._build()

    @precondition(lambda self: len(self.paragraphs) > 1)
    @rule(i=index, j=index)
    def make_identical(self, i: int, j: int) -> None:
        self.paragraphs[i % len(self.paragraphs)] = self.paragraphs[j % len(self.paragraphs)]
        self._build()

    @precondition(lambda self: len(self.notes) < 3)
    @rule(i=index, text=paragraphs)
    def add_a_footnote(self, i: int, text: str) -> None:
        self.notes.append(text)
        i %= len(self.paragraphs)
        self.paragraphs[i] = self.paragraphs[i][:-1] + f"[^{len(self.notes)}]."
        self._build()

    @rule(word=st.sampled_from(WORDS))
    def change_the_title(self, word: str) -> None:
        self.title = f"Les {word} ferment."
        self._build()

    # ---------------------------------------------------------------- translators

    def _save(self, code: str, pick: int, wanted, change) -> None:
        """A translator edits one entry of the wanted kind in their editor and saves."""
        path = self._path(code)
        catalog = catalogs.read_catalog(path)
        candidates = [m for m in catalog if m.id and wanted(m)]
        if not candidates:
            return
        change(candidates[pick % len(candidates)])
        catalogs.write_catalog(path, catalog)
        self._build()

    def _token(self, code: str, kind: str = "tok") -> str:
        self.counter += 1
        return f"{kind}-{code}-{self.counter} vertaling"

    def _reviewed_now(self, code: str, message: Message) -> None:
        self.reviewed[code] = {(t, s) for t, s in self.reviewed[code] if t != message.string}
        self.reviewed[code].add((str(message.string), str(message.id)))

    @rule(code=st.sampled_from(LANGS), pick=index)
    def translate(self, code: str, pick: int) -> None:
        def change(message: Message) -> None:
            message.string = self._token(code)
            message.flags.discard("fuzzy")
            self._reviewed_now(code, message)

        self._save(code, pick, lambda m: not m.string, change)

    @rule(code=st.sampled_from(LANGS), pick=index)
    def correct(self, code: str, pick: int) -> None:
        def change(message: Message) -> None:
            old = str(message.string)
            message.string = self._token(code)
            message.flags.discard("fuzzy")
            self.reviewed[code] = {(t, s) for t, s in self.reviewed[code] if t != old}
            self._reviewed_now(code, message)

        self._save(code, pick, lambda m: bool(m.string), change)

    @rule(code=st.sampled_from(LANGS), pick=index, keep_previous=st.booleans())
    def review(self, code: str, pick: int, keep_previous: bool) -> None:
        """Clear the fuzzy flag; a text editor may leave the ``#|`` lines behind."""
        def change(message: Message) -> None:
            message.flags.discard("fuzzy")
            if not keep_previous:
                message.previous_id = []
            self._reviewed_now(code, message)

        self._save(code, pick, lambda m: m.fuzzy and bool(m.string), change)

    @rule(code=st.sampled_from(LANGS), pick=index)
    def restore_a_catalogue_from_git(self, code: str, pick: int) -> None:
        """`git checkout` of an older catalogue: its language goes back, the others must not."""
        text, reviewed = self.snapshots[code][pick % len(self.snapshots[code])]
        self._path(code).write_text(text, "utf-8")
        self.reviewed[code] = set(reviewed)
        self._build()

    @rule(code=st.sampled_from(LANGS))
    def machine_drafts(self, code: str) -> None:
        path = self._path(code)
        catalog = catalogs.read_catalog(path)
        drafts = {catalogs.key_of(m): catalogs.Draft(self._token(code, "draft"), MT)
                  for m in catalogs.pending_messages(catalog)}
        catalogs.write_catalog(path, catalogs.apply_drafts(catalog, drafts))
        self._build()


def _bounded(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


CatalogueHistories.TestCase.settings = settings(  # on top of the loaded profile (ci: derandomized)
    max_examples=_bounded("HISTORIES", 12), stateful_step_count=_bounded("STEPS", 25),
    deadline=None)
TestCatalogueHistories = CatalogueHistories.TestCase
