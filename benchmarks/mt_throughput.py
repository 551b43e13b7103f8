"""Machine-translation throughput: lisible against argos's own ``translate()`` and
against CTranslate2's ceiling on the same package.

Builds a transformer-base-sized argos package with random int8 weights
(6+6 layers, d_model 512, 8 heads, FFN 2048, 32k vocabulary, SentencePiece
trained on the carte blanche so sentences have realistic token counts; see
``tests/argos_package.py``), installs it into a temporary models folder, and
translates the same 60+ French segments of the carte blanche three ways:

- argos's default path: ``translate()`` called once per unit (argos's
  threads: one call at a time on every core; beam 4);
- lisible: ``make_drafts`` with :class:`lisible.translate.Decoding` (beam,
  sentences per call, cores: ``--beam``, ``--batch``, ``--threads``, the
  settings ``mt_beam``, ``mt_batch``, ``mt_threads``): placeholders, argos's
  sentence splitter and tokenizer, length-grouped calls queued at once;
- CTranslate2 alone, the ceiling: the same sentences already split and
  tokenized, every call queued at once on the same translator (same groups,
  caps, beam and threads), so only lisible's own work (markup, splitting,
  tokenizing, checks) is missing. Also printed: one single call for every
  sentence (one cap: random weights run every sentence to the longest one's
  cap, so that figure says little about a real model, which stops at ``</s>``).

Random weights emit noise up to the decoding cap, so argos's path gets
lisible's cap relative to the input length (:func:`lisible.translate.decoding_cap`):
without it argos would decode 256 tokens per sentence, which a real model
rarely does, and the ratio would flatter lisible.

Prints units per second, wall and CPU seconds, the ratio to argos's default
path (target >= 8) and to the CTranslate2 ceiling (target >= 0.9).
``--sweep`` runs lisible and the ceiling for several beams and batch sizes
(argos is measured once, at its defaults). The ceiling is also timed with
argos's thread layout (one call at a time on every core), which shows what
queuing calls side by side gains.

    .venv/bin/python benchmarks/mt_throughput.py [--repeat 2] [--beam 4] [--batch 16] [--threads 0]
    .venv/bin/python benchmarks/mt_throughput.py --sweep --repeat 1
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from argos_package import build_random_package  # noqa: E402

from lisible import models  # noqa: E402
from lisible.translate import (  # noqa: E402
    Decoding,
    decoding_cap,
    length_groups,
    load_engine,
    make_drafts,
)

SOURCE = ROOT / "content" / "carte-blanche-bruxelles-numerique.txt"


def segments(count: int = 60, most: int = 64) -> list[str]:
    """``count`` to ``most`` distinct sentences (or clauses) of the carte blanche."""
    text = " ".join(SOURCE.read_text("utf-8").split())
    sentences = re.split(r"(?<=[.!?…])\s+", text)
    pieces = []
    for sentence in sentences:
        parts = re.split(r"(?<=[,;:])\s+", sentence) if len(sentence) > 90 else [sentence]
        pieces += [p for p in parts if len(p) >= 30]
    pieces = list(dict.fromkeys(pieces))
    if len(pieces) < count:
        raise SystemExit(f"only {len(pieces)} segments in {SOURCE}")
    return pieces[:most]


class CappedTranslator:
    """argos's CTranslate2 translator with lisible's decoding cap, so both paths stop alike."""

    def __init__(self, translator):
        self.translator = translator

    def translate_batch(self, tokens, **options):
        cap = decoding_cap(max(len(t) for t in tokens))
        return self.translator.translate_batch(tokens, max_decoding_length=cap, **options)


def argos_translation(models_dir: Path):
    """argos's own fr→en translation object, its translator capped like lisible's."""
    import ctranslate2
    from argostranslate import settings
    from argostranslate import translate as argos_translate

    translation = argos_translate.get_translation_from_codes("fr", "en")
    inner = translation.underlying  # CachedTranslation -> PackageTranslation
    inner.translator = CappedTranslator(ctranslate2.Translator(
        str(inner.pkg.package_path / "model"), device=settings.device,
        inter_threads=settings.inter_threads, intra_threads=settings.intra_threads,
        compute_type=settings.compute_type))
    return translation


def timed(run, repeat: int) -> tuple[tuple[float, float], object]:
    """Median wall and CPU seconds (the process's, CTranslate2's threads included)."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per path (median)")
    parser.add_argument("--beam", type=int, default=0, help="lisible's beam (0: argos's, 4)")
    parser.add_argument("--batch", type=int, default=Decoding().batch,
                        help="lisible's most sentences per CTranslate2 call")
    parser.add_argument("--threads", type=int, default=0, help="cores lisible uses (0: all)")
    parser.add_argument("--sweep", action="store_true",
                        help="lisible and the ceiling for beams 4, 2, 1 and batches 64, 16")
    parser.add_argument("--single", action="store_true",
                        help="also time CTranslate2 on every sentence in one single call")
    args = parser.parse_args()
    units = segments()
    with tempfile.TemporaryDirectory() as tmp:
        models_dir = install_package(Path(tmp))
        engine = load_engine(models_dir, "fr", "en")  # imports argos with its models folder
        argos = argos_translation(models_dir)
        tokenizer = engine.hops[0].package.tokenizer
        lengths = [len(tokenizer.encode(u)) for u in units]
        print(f"{len(units)} units, {statistics.mean(lengths):.1f} tokens on average; "
              f"{len(os.sched_getaffinity(0))} cores", flush=True)
        [argos.translate(u) for u in units[:4]]  # warm up: load the model, splitter, tokenizer
        theirs, outputs = timed(lambda: [argos.translate(u) for u in units], args.repeat)
        print(f"argos translate() per unit: {len(units) / theirs[0]:5.1f} units/s  "
              f"{seconds(theirs)}", flush=True)
        layouts = ([Decoding(beam, batch, args.threads) for beam in (4, 2, 1)
                    for batch in (64, 16)] if args.sweep
                   else [Decoding(args.beam, args.batch, args.threads)])
        for decoding in layouts:
            measure(models_dir, units, decoding, (theirs, outputs), args.repeat, args.single)


def install_package(tmp: Path) -> Path:
    """Build the random transformer-base package and install it; the models folder."""
    start = time.perf_counter()
    corpus = [line.strip() for line in SOURCE.read_text("utf-8").splitlines()]
    archive = build_random_package(tmp, corpus=[line for line in corpus if line])
    models.install_file(tmp / "models", archive)
    print(f"built and installed a random transformer-base package in "
          f"{time.perf_counter() - start:.1f} s ({archive.stat().st_size / 1e6:.0f} MB)",
          flush=True)
    return tmp / "models"


def measure(models_dir: Path, units: list[str], decoding: Decoding,
            argos: tuple[tuple[float, float], list[str]], repeat: int, single: bool) -> None:
    """lisible and the CTranslate2 ceiling with ``decoding``; their ratios to argos's."""
    theirs, outputs = argos
    engine = load_engine(models_dir, "fr", "en", decoding)
    inter, intra = decoding.workers()
    make_drafts(engine, units[:4])  # warm up
    ours, drafts = timed(lambda: make_drafts(engine, units), repeat)
    ceiling, sequential, whole = ceilings(engine, units, decoding, repeat, single)
    same = sum(d.text == o.strip() for d, o in zip(drafts, outputs, strict=True))
    print(f"\nlisible, beam {decoding.beam_size()}, {decoding.batch} sentences per call, "
          f"{inter} call(s) at once x {intra} thread(s): "
          f"{len(units) / ours[0]:5.1f} units/s  {seconds(ours)}")
    print(f"  CTranslate2 alone, same calls queued at once: {seconds(ceiling)}"
          + (f"; one single call: {seconds(whole)}" if whole else ""))
    print(f"  CTranslate2 alone, same calls one at a time on every core: {seconds(sequential)}")
    print(f"  ratio to argos's default path: {ratios(theirs, ours)}  (target >= 8; "
          f"{same}/{len(units)} outputs identical to argos's)")
    print(f"  ratio to the CTranslate2 ceiling: {ratios(ceiling, ours)}  (target >= 0.9)"
          + (f"; to one single call: {ratios(whole, ours)}" if whole else ""), flush=True)


def seconds(times: tuple[float, float]) -> str:
    return f"{times[0]:.1f} s wall, {times[1]:.1f} s CPU"


def ratios(slow: tuple[float, float], fast: tuple[float, float]) -> str:
    return f"{slow[0] / fast[0]:.2f}x wall, {slow[1] / fast[1]:.2f}x CPU"


def ceilings(engine, units: list[str], decoding: Decoding, repeat: int, single: bool
             ) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float] | None]:
    """Seconds CTranslate2 alone takes on the units' sentences, pre-split and pre-tokenized:
    lisible's calls queued at once on lisible's translator, the same calls one at a
    time with argos's threads, and (``single``) one single call."""
    hop = engine.hops[0]
    translator = engine._translator(hop)
    sentences = [s for u in units for line in engine.split(u) for s in line]
    tokens = [hop.package.tokenizer.encode(s) for s in sentences]
    groups = length_groups([len(t) for t in tokens], decoding.batch)

    def run(batches: list[list[int]], translator=translator) -> None:
        queued = [translator.translate_batch(
            [tokens[i] for i in group], beam_size=decoding.beam_size(), num_hypotheses=1,
            length_penalty=0.2, max_batch_size=len(group), replace_unknowns=True,
            asynchronous=True,
            max_decoding_length=decoding_cap(max(len(tokens[i]) for i in group)))
            for group in batches]
        [result.result() for results in queued for result in results]

    ceiling, _ = timed(lambda: run(groups), repeat)
    import ctranslate2

    one_by_one = ctranslate2.Translator(str(hop.package.package_path / "model"),
                                        inter_threads=1, intra_threads=0)
    sequential, _ = timed(lambda: [run([group], one_by_one) for group in groups], repeat)
    if not single:
        return ceiling, sequential, None
    whole, _ = timed(lambda: run([[i for g in groups for i in g]]), 1)
    return ceiling, sequential, whole


if __name__ == "__main__":
    main()
