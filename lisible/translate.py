"""Machine-translation drafts for the nl and en catalogues, offline, with argos packages.

Only units with no msgstr at all are sent (previous drafts too with
``--redo-drafts``): a reviewed translation is a person's work and a stale one
is still more useful than a fresh guess. Each result goes back into the
catalogue as a fuzzy draft whose automatic comment names the engine, the
package and a hash of its files (:class:`~lisible.provenance.Provenance`), so
nobody mistakes it for a reviewed translation.

The models know nothing of Markdown, so :func:`~lisible.placeholders.protect` swaps footnote
references, link targets, inline code, emphasis markers and numbers for
placeholders (``[1]``, ``[2]`` …) that translation models copy through, and
:func:`~lisible.placeholders.restore` puts them back and reports any that did not come back exactly
once. Output that is empty, identical to the source or much shorter than it
is kept but flagged, so the translator sees the problem in the catalogue.

Speed: argos's own ``translate()`` runs CTranslate2 on about one sentence at
a time. :class:`ArgosEngine` keeps argos's package format, tokenizer and
sentence splitter but sends the sentences of a batch of units to CTranslate2
in a few calls of similar lengths, with a decoding cap relative to the input,
several calls at once on one thread each (:class:`Decoding`). Measured with
``benchmarks/mt_throughput.py``, which also prints CTranslate2's own ceiling.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from lisible import models
from lisible.config import Config, Language
from lisible.document import Draft, catalogued
from lisible.placeholders import protect, restore
from lisible.provenance import Finding, Provenance

UNITS_PER_BATCH = 32  # units translated (and written to the catalogue) per batch
SENTENCES_PER_CALL: int = Config.mt_batch  # per CTranslate2 call: the setting's default
TRUNCATED_RATIO = 1 / 3  # a draft shorter than this share of the source is flagged
COPY_PROVENANCE = Provenance(engine="lisible-translate", rules="copy-untranslatable")


# --------------------------------------------------------------------------- markup
# Markup hidden from the engine behind [n] placeholders: lisible.placeholders.


def output_findings(source: str, draft: str) -> tuple[Finding, ...]:
    """Flag a draft that is empty, the source itself, or cut short."""
    plain_source, plain_draft = " ".join(source.split()), " ".join(draft.split())
    if not plain_draft:
        return (Finding("MT-EMPTY", "the engine returned nothing", "error"),)
    if plain_draft == plain_source:
        return (Finding("MT-IDENTICAL", "the draft is the untranslated source", "error"),)
    if len(plain_draft) < len(plain_source) * TRUNCATED_RATIO:
        return (Finding("MT-TRUNCATED", f"the draft has {len(plain_draft)} characters for "
                        f"{len(plain_source)} in the source: probably cut short", "error"),)
    return ()


# --------------------------------------------------------------------------- engines


class Engine(Protocol):
    """A batch of texts in, a batch of translations out, and where they came from."""

    @property
    def provenance(self) -> Provenance: ...

    def translate(self, texts: Sequence[str]) -> list[str]: ...


def make_drafts(engine: Engine, sources: Sequence[str]) -> list[Draft]:
    """Translate ``sources`` in one batch, markup protected, output checked.

    A unit with nothing to translate (a number, a link alone) is copied, and
    says so in its provenance rather than claiming the engine made it.
    """
    protected = [protect(source) for source in sources]
    sent = [i for i, p in enumerate(protected) if p.has_words]
    outputs = dict(zip(sent, engine.translate([protected[i].text for i in sent]), strict=True))
    drafts = []
    for i, p in enumerate(protected):
        if i not in outputs:
            drafts.append(Draft(p.source, COPY_PROVENANCE))
            continue
        text, markup = restore(outputs[i], p)
        drafts.append(Draft(text.strip(), engine.provenance,
                            markup + output_findings(p.source, text)))
    return drafts


def decoding_cap(source_tokens: int) -> int:
    """The most tokens a sentence's translation may have: a bounded multiple of its length.

    argos sets no cap, so a confused model runs to 256 tokens per sentence.
    """
    return min(512, 2 * source_tokens + 10)


def files_digest(folders: Sequence[Path]) -> str:
    """Short sha256 over every file of the packages (names and bytes), in a fixed order."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            with path.open("rb") as handle:
                for block in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Decoding:
    """How CTranslate2 decodes: ``[tool.lisible]`` ``mt_beam``, ``mt_batch``, ``mt_threads``.

    On a CPU, a decoder step of a few sentences leaves a core's vector units
    half idle, and one call spread over several cores waits on its slowest
    thread at every step. So the calls (``batch`` sentences of similar length
    each) are queued at once, and ``workers`` of them run side by side, one
    thread each (CTranslate2's ``inter_threads``): on two cores that is
    1.15× (beam 4) to 1.45× (beam 1) the same calls one at a time on both
    cores (``benchmarks/mt_throughput.py``). Threads never change a draft;
    ``batch`` can, for a sentence whose output runs to the decoding cap, which
    CTranslate2 sets per call. ``beam`` trades draft quality for speed (1 is
    greedy decoding); 0 keeps argos's setting, 4.
    """

    beam: int = 0  # beam size; 0: argos's setting (4 unless ARGOS_BEAM_SIZE)
    batch: int = SENTENCES_PER_CALL  # most sentences per CTranslate2 call
    threads: int = 0  # cores to use; 0: every core this process may run on

    def workers(self) -> tuple[int, int]:
        """(calls run at once, threads per call) for CTranslate2."""
        cores = self.threads or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                                 else os.cpu_count() or 1)
        inter = min(cores, 4)  # beyond 4, a call gets several threads rather than more replicas
        return inter, max(1, cores // inter)

    def beam_size(self) -> int:
        """The beam size used: ``beam``, or argos's setting."""
        if self.beam:
            return self.beam
        from argostranslate import settings

        return settings.beam_size


@dataclass
class _Hop:
    """One installed package on the way from source to target."""

    package: Any  # argostranslate.package.Package
    sentencizer: Any  # argos's own sentence splitter for that package
    translator: Any = None  # ctranslate2.Translator, loaded on first use


@dataclass
class ArgosEngine:
    """argos packages, driven in batches: one hop, or two through a pivot language."""

    hops: list[_Hop]
    decoding: Decoding = Decoding()
    # argos's libraries (onnxruntime) write caches under XDG_* while they run:
    # into the project's models folder, and only while they run (models.models_env).
    models_dir: Path | None = None
    _provenance: Provenance | None = field(default=None, repr=False)

    @property
    def provenance(self) -> Provenance:
        if self._provenance is None:
            from importlib.metadata import version

            packages = [hop.package for hop in self.hops]
            self._provenance = Provenance(
                engine=f"argostranslate {version('argostranslate')}",
                model=" + ".join(f"translate-{p.from_code}_{p.to_code} {p.package_version}"
                                 for p in packages),
                digest=files_digest([p.package_path for p in packages]),
                via=",".join(p.to_code for p in packages[:-1]),
            )
        return self._provenance

    def split(self, text: str) -> list[list[str]]:
        """Lines, then sentences with argos's splitter for the source language."""
        splitter = self.hops[0].sentencizer
        return [[s for s in splitter.split_sentences(line) if s.strip()] if line.strip() else []
                for line in text.split("\n")]

    def translate(self, texts: Sequence[str]) -> list[str]:
        if self.models_dir is not None:
            with models.models_env(self.models_dir):
                return self._translate(texts)
        return self._translate(texts)

    def _translate(self, texts: Sequence[str]) -> list[str]:
        layout = [self.split(text) for text in texts]
        sentences = [s for lines in layout for line in lines for s in line]
        for hop in self.hops:
            sentences = self._run(hop, sentences)
        done = iter(sentences)
        return ["\n".join(" ".join(next(done) for _ in line) for line in lines)
                for lines in layout]

    def _translator(self, hop: _Hop) -> Any:
        if hop.translator is None:
            import ctranslate2
            from argostranslate import settings

            inter, intra = self.decoding.workers()
            hop.translator = ctranslate2.Translator(
                str(hop.package.package_path / "model"), device=settings.device,
                inter_threads=inter, intra_threads=intra, compute_type=settings.compute_type)
        return hop.translator

    def _run(self, hop: _Hop, sentences: list[str]) -> list[str]:
        """Translate sentences in CTranslate2 calls of similar lengths, queued at once.

        A sentence repeated across units and texts (a signature, a heading, a
        refrain) is translated once, and reads the same everywhere.
        """
        distinct = list(dict.fromkeys(sentences))
        done = dict(zip(distinct, self._run_distinct(hop, distinct), strict=True))
        return [done[s] for s in sentences]

    def _run_distinct(self, hop: _Hop, sentences: list[str]) -> list[str]:
        package, translator = hop.package, self._translator(hop)
        tokens = [package.tokenizer.encode(s) if s.strip() else [] for s in sentences]
        beam = self.decoding.beam_size()
        queued = []
        for group in length_groups([len(t) for t in tokens], self.decoding.batch):
            prefix = [[package.target_prefix]] * len(group) if package.target_prefix else None
            queued.append((group, translator.translate_batch(
                [tokens[i] for i in group], target_prefix=prefix, replace_unknowns=True,
                beam_size=beam, num_hypotheses=1, length_penalty=0.2,
                max_batch_size=len(group), asynchronous=True,
                max_decoding_length=decoding_cap(max(len(tokens[i]) for i in group)))))
        out = [""] * len(tokens)
        for group, results in queued:
            for i, result in zip(group, results, strict=True):
                out[i] = _decode(package, result.result().hypotheses[0])
        return out


def length_groups(lengths: Sequence[int], most: int = SENTENCES_PER_CALL) -> list[list[int]]:
    """Indices of non-empty sentences, batched by similar length.

    The decoding cap is per call, so a short sentence batched with a long one
    could run on to the long one's cap; a group ends where lengths pass 1.3×
    its shortest (plus a few tokens) or at ``most`` sentences.
    """
    order = sorted((i for i, n in enumerate(lengths) if n), key=lambda i: lengths[i])
    groups: list[list[int]] = []
    for i in order:
        if not groups or len(groups[-1]) >= most or (
                lengths[i] > 1.3 * lengths[groups[-1][0]] + 4):
            groups.append([])
        groups[-1].append(i)
    return groups


def _decode(package: Any, pieces: list[str]) -> str:
    value = package.tokenizer.decode(pieces)
    if package.target_prefix and value.startswith(package.target_prefix):
        value = value[len(package.target_prefix):]
    return value.strip()


def find_route(available: Sequence[models.PackageInfo], source: str,
               target: str) -> list[models.PackageInfo] | None:
    """The packages to chain: direct if installed, else through one pivot (English first)."""
    by_pair = {(p.from_code, p.to_code): p for p in available}
    if (source, target) in by_pair:
        return [by_pair[source, target]]
    pivots = sorted({p.to_code for p in available if p.from_code == source},
                    key=lambda code: (code != "en", code))
    for pivot in pivots:
        if (pivot, target) in by_pair:
            return [by_pair[source, pivot], by_pair[pivot, target]]
    return None


def load_engine(models_dir: Path, source: str, target: str,
                decoding: Decoding = Decoding()) -> ArgosEngine | None:
    """An engine for ``source``→``target`` from the project's packages, or None."""
    route = find_route(models.installed(models_dir), source, target)
    if route is None:
        return None
    package = models.argos(models_dir)
    hops = []
    with models.models_env(models_dir):
        from argostranslate import translate as argos_translate

        for info in route:
            models.check_splitter(info.path)
            pkg = package.Package(info.path)
            languages = (argos_translate.Language(pkg.from_code, pkg.from_name),
                         argos_translate.Language(pkg.to_code, pkg.to_name))
            # argos's PackageTranslation picks the package's own sentence splitter.
            splitter = argos_translate.PackageTranslation(*languages, pkg).sentencizer
            hops.append(_Hop(pkg, _offline(splitter)))
    return ArgosEngine(hops, decoding=decoding, models_dir=models_dir)


def _offline(sentencizer: Any) -> Any:
    """Keep argos's stanza splitter (older index packages) from going online.

    argos builds its stanza pipeline with stanza's default, which downloads
    stanza's resources index on every load; the package ships that index, so
    the same pipeline is built reusing it. A minisbd splitter is offline only
    when the package ships its model (``minisbd/<lang>.onnx``): otherwise
    MiniSBD downloads one with ``urlretrieve``, which is why
    ``models.check_splitter`` refuses such packages before we get here.
    (The stanza path is not exercised by the tests: no stanza package can be
    built offline.)
    """
    from argostranslate.sbd import StanzaSentencizer

    if not isinstance(sentencizer, StanzaSentencizer):
        return sentencizer

    def lazy_pipeline() -> Any:
        if sentencizer.stanza_pipeline is None:
            import stanza

            sentencizer.stanza_pipeline = stanza.Pipeline(
                lang=sentencizer.stanza_lang_code, processors="tokenize", use_gpu=False,
                dir=str(sentencizer.pkg.package_path / "stanza"), logging_level="WARNING",
                download_method="reuse_resources")
        return sentencizer.stanza_pipeline

    sentencizer.lazy_pipeline = lazy_pipeline
    return sentencizer


# --------------------------------------------------------------------------- pipeline


class Progress:
    """A bar on a terminal, plain log lines otherwise (CI logs, pipes)."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None):
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        self.bar = self.stream.isatty()

    def advance(self, count: int) -> None:
        self.done += count
        if self.bar:
            filled = int(30 * self.done / max(self.total, 1))
            self.stream.write(f"\r{self.label} [{'#' * filled}{' ' * (30 - filled)}] "
                              f"{self.done}/{self.total}")
            if self.done >= self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{self.label}: {self.done}/{self.total} units\n")
        self.stream.flush()


def translate_catalog(path: Path, engine: Engine, *, redo_drafts: bool = False,
                      progress: Callable[[str, int], Progress] = Progress,
                      keep: Collection[tuple[str, str | None]] = ()) -> int:
    """Draft every pending unit of one catalogue, writing it after each batch; return the count.

    Writing after each batch means an interrupted run keeps what it finished.
    An empty output is not written: the unit stays untranslated and is tried
    again on the next run. Entries in ``keep`` (just filled from the
    translation memory) are left alone even with ``redo_drafts``.
    """
    from lisible import catalogs, fsio

    catalog, read = catalogs.read_catalog_and_digest(path)  # a save meanwhile is never reverted
    pending = [m for m in catalogs.pending_messages(catalog, redo_drafts=redo_drafts)
               if isinstance(m.id, str) and m.id and catalogs.key_of(m) not in keep]
    if not pending:
        return 0
    bar = progress(f"translate {path.parent.name}/{path.stem}", len(pending))
    written = 0
    for start in range(0, len(pending), UNITS_PER_BATCH):
        batch = pending[start:start + UNITS_PER_BATCH]
        drafts = make_drafts(engine, [m.id for m in batch])
        keyed = {(m.id, m.context): d for m, d in zip(batch, drafts, strict=True) if d.text}
        catalog = catalogs.apply_drafts(catalog, keyed)
        catalogs.write_catalog(path, catalog, read_digest=read)
        read = fsio.digest(path.read_bytes())
        written += len(keyed)
        bar.advance(len(batch))
    return written


UNITS_PER_SHARED_BATCH = 256  # units of all texts of one language per batch (see below)


def translate_catalogs(jobs: Sequence[tuple[Path, Collection[tuple[str, str | None]]]],
                       engine: Engine, *, redo_drafts: bool = False, label: str = "translate",
                       progress: Callable[[str, int], Progress] = Progress) -> dict[Path, int]:
    """Draft the pending units of several catalogues of one language together.

    One text has few pending units after an edit, and fifty texts have many
    short ones: batched text by text, CTranslate2 gets small, ragged calls.
    Here the units of every text go through :func:`make_drafts` together,
    ``UNITS_PER_SHARED_BATCH`` at a time (its length groups then fill each
    call), and each catalogue touched is written after each batch, as
    :func:`translate_catalog` does, keeping ``keep`` and a save made meanwhile.
    """
    from lisible import catalogs, fsio

    state: dict[Path, tuple[Any, str | None]] = {}
    queue: list[tuple[Path, Any]] = []
    for path, keep in jobs:
        catalog, read = catalogs.read_catalog_and_digest(path)
        state[path] = (catalog, read)
        queue += [(path, m) for m in catalogs.pending_messages(catalog, redo_drafts=redo_drafts)
                  if isinstance(m.id, str) and m.id and catalogs.key_of(m) not in keep]
    written = dict.fromkeys(state, 0)
    bar = progress(label, len(queue)) if queue else None
    for start in range(0, len(queue), UNITS_PER_SHARED_BATCH):
        batch = queue[start:start + UNITS_PER_SHARED_BATCH]
        drafts = make_drafts(engine, [m.id for _, m in batch])
        keyed: dict[Path, dict] = {}
        for (path, m), d in zip(batch, drafts, strict=True):
            if d.text:
                keyed.setdefault(path, {})[(m.id, m.context)] = Draft(
                    d.text, d.provenance, d.findings)
        for path, these in keyed.items():
            catalog = catalogs.apply_drafts(state[path][0], these)
            catalogs.write_catalog(path, catalog, read_digest=state[path][1])
            state[path] = (catalog, fsio.digest(path.read_bytes()))
            written[path] += len(these)
        if bar is not None:
            bar.advance(len(batch))
    return written


def _jobs(config: Config) -> list[tuple[Language, Path]]:
    """Every (language, catalogue) that gets machine drafts, in a stable order."""
    slugs = catalogued(config)
    return [(lang, config.catalog_path(lang, slug)) for lang in config.targets
            if lang.machine_translation for slug in slugs
            if config.catalog_path(lang, slug).exists()]


def missing_models_message(source: str, targets: Sequence[str]) -> str:
    """What to run when no package covers some pairs (printed once per build)."""
    pairs = ", ".join(f"{source}→{t}" for t in targets)
    return (f"translate: no translation model installed for {pairs}; those units stay "
            "untranslated (python build.py status shows them).\n"
            f"  with internet:   python build.py models install --from-index {source} "
            + " ".join(targets) + "\n"
            "  from a file:     python build.py models install FILE.argosmodel")


@dataclass(frozen=True)
class TranslateReport:
    """What the translate stage did: drafts per catalogue, and the languages without a model."""

    source: str  # the source language's code, for the install hint
    drafted: tuple[tuple[str, int, str], ...] = ()  # (catalogue, drafts written, from where)
    missing: tuple[str, ...] = ()  # target codes with pending units and no model installed

    def describe(self) -> str:
        """One line per catalogue that got drafts (empty when none did)."""
        return "\n".join(f"translate: {where}: {count} drafts {how}"
                         for where, count, how in self.drafted)

    def warning(self) -> str:
        """What to install when a model is missing ("" when none is): said once per build."""
        return missing_models_message(self.source, self.missing) if self.missing else ""


def translate_all(config: Config, *, redo_drafts: bool = False) -> TranslateReport:
    """Drafts for every pending unit: from the translation memory, else (nl/en) by MT.

    A language pair without a model is listed in the report's ``missing``
    (the caller decides whether that fails the build), and its units stay
    untranslated.
    """
    from lisible import stamps

    stamp, key = stamps.Stamp(config.build_dir, "translate", "all"), functools.partial(
        _stamp_key, config)
    before = None if redo_drafts else stamp.fresh(key())
    if isinstance(before, dict):  # no catalogue, memory or model changed since the last run
        stamp.done(key, before)
        return TranslateReport(config.source.code, (), tuple(before["missing"]))
    report = _translate_pending(config, redo_drafts)
    stamp.done(key, {"missing": list(report.missing)})
    return report


def _stamp_key(config: Config) -> str:
    """What the stage reads: every catalogue (the memory spans texts), the memory,
    the installed models (their listing: reading them whole costs more than MT)."""
    from lisible import memory, stamps

    catalogues = sorted(config.locales_dir.glob("*/*.po"))
    return stamps.key_of([*catalogues, *sorted(config.locales_dir.glob("*.pot")),
                          memory.memory_dir(config)], stamps.listing_digest(config.models_dir),
                         repr((config.source, config.targets, config.memory_match)))


def _translate_pending(config: Config, redo_drafts: bool) -> TranslateReport:
    """Memory drafts, then MT for what is still pending, all texts of a language together;
    the languages with pending units and no model are listed as missing."""
    from lisible import catalogs, memory

    remembered = memory.fill_all(config, redo_drafts)
    drafted = [(_shown(config, path), len(keys), "from the translation memory")
               for path, keys in remembered.items()]
    todo: dict[Language, list[tuple[Path, set]]] = {}
    for lang, path in _jobs(config):
        keep = remembered.get(path, set())
        if [m for m in catalogs.pending_messages(catalogs.read_catalog(path), redo_drafts)
                if catalogs.key_of(m) not in keep]:  # else nothing to draft: no model needed
            todo.setdefault(lang, []).append((path, keep))
    missing: list[str] = []
    for lang, jobs in todo.items():
        engine = load_engine(config.models_dir, config.source.code, lang.code,
                             Decoding(config.mt_beam, config.mt_batch, config.mt_threads))
        if engine is None:
            missing.append(lang.code)
            continue
        counts = translate_catalogs(jobs, engine, redo_drafts=redo_drafts,
                                    label=f"translate {lang.code}")
        drafted += [(_shown(config, path), count, f"({engine.provenance.comment()})")
                    for path, count in counts.items() if count]
    return TranslateReport(config.source.code, tuple(drafted), tuple(missing))


def _shown(config: Config, path: Path) -> str:
    """A catalogue's path as printed: relative to the project when inside it."""
    return str(path.relative_to(config.root) if path.is_relative_to(config.root) else path)
