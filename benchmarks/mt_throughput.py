"""Machine-translation throughput: lisible's batched path against argos's own ``translate()``.

Builds a transformer-base-sized argos package with random int8 weights
(6+6 layers, d_model 512, 8 heads, FFN 2048, 32k vocabulary, SentencePiece
trained on the carte blanche so sentences have realistic token counts; see
``tests/argos_package.py``), installs it into a temporary models folder, and
translates the same 60+ French segments of the carte blanche both ways:

- lisible: ``make_drafts`` (placeholders, argos's sentence splitter and
  tokenizer, every sentence in a few length-grouped CTranslate2 calls);
- argos: ``translate()`` called once per unit, argos's default path.

Random weights emit noise up to the decoding cap, so both paths get the
same cap relative to the input length (:func:`lisible.translate.decoding_cap`);
beam size and threads are argos's settings in both unless ``--beam`` /
``--threads`` set them (for both). Prints sentences per second for each and
the ratio.

Then the ceiling: CTranslate2 alone on the same sentences, already split and
tokenized, in the same length groups and caps as lisible (so the same work
for the decoder), and once more as one whole batch (one call, the longest
sentence's cap). ``lisible / CTranslate2 grouped`` is the share of the
machine's throughput lisible's own work (splitting, tokenizing, markup,
checks) leaves; target >= 0.9.

    .venv/bin/python benchmarks/mt_throughput.py [--repeat 3] [--beam 4] [--threads 0]
"""

from __future__ import annotations

import argparse
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
from lisible.translate import decoding_cap, load_engine, make_drafts  # noqa: E402

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
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per path (median)")
    parser.add_argument("--beam", type=int, help="beam size (default: argos's, 4)")
    parser.add_argument("--threads", type=int, help="CTranslate2 intra threads (0 = all cores)")
    args = parser.parse_args()
    units = segments()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        corpus = [line.strip() for line in SOURCE.read_text("utf-8").splitlines()]
        archive = build_random_package(Path(tmp), corpus=[line for line in corpus if line])
        models_dir = Path(tmp) / "models"
        models.install_file(models_dir, archive)
        print(f"built and installed a random transformer-base package in "
              f"{time.perf_counter() - start:.1f} s ({archive.stat().st_size / 1e6:.0f} MB)",
              flush=True)
        from argostranslate import settings

        if args.beam:
            settings.beam_size = args.beam
        if args.threads is not None:
            settings.intra_threads = args.threads
        engine = load_engine(models_dir, "fr", "en", args.threads)
        engine.beam_size = settings.beam_size
        argos = argos_translation(models_dir)

        tokenizer = engine.hops[0].package.tokenizer
        lengths = [len(tokenizer.encode(u)) for u in units]
        print(f"{len(units)} units, {statistics.mean(lengths):.1f} tokens on average; "
              f"beam {settings.beam_size}, intra_threads {settings.intra_threads} (0 = all cores)",
              flush=True)
        make_drafts(engine, units[:4])  # warm up: load models, splitter, tokenizer
        [argos.translate(u) for u in units[:4]]
        ours, drafts = timed(lambda: make_drafts(engine, units), args.repeat)
        theirs, outputs = timed(lambda: [argos.translate(u) for u in units], args.repeat)
        grouped, whole = ceilings(engine, units, settings.beam_size, args.repeat)
    same = sum(d.text == o.strip() for d, o in zip(drafts, outputs, strict=True))
    print(f"lisible batched:        {len(units) / ours[0]:6.1f} units/s  {seconds(ours)}")
    print(f"argos translate()/unit: {len(units) / theirs[0]:6.1f} units/s  {seconds(theirs)}")
    print(f"CTranslate2 alone, lisible's groups: {seconds(grouped)}; "
          f"one whole batch: {seconds(whole)}")
    print(f"ratio to argos's default path: {ratios(theirs, ours)}  (target >= 8; median of "
          f"{args.repeat}; {same}/{len(units)} outputs identical)")
    print(f"ratio to CTranslate2 (lisible's groups): {ratios(grouped, ours)}  (target >= 0.9); "
          f"to one whole batch: {ratios(whole, ours)}")


def seconds(times: tuple[float, float]) -> str:
    return f"{times[0]:.1f} s wall, {times[1]:.1f} s CPU"


def ratios(slow: tuple[float, float], fast: tuple[float, float]) -> str:
    return f"{slow[0] / fast[0]:.2f}x wall, {slow[1] / fast[1]:.2f}x CPU"


def ceilings(engine, units: list[str], beam: int, repeat: int
             ) -> tuple[tuple[float, float], tuple[float, float]]:
    """Seconds CTranslate2 alone takes on the units' sentences, pre-split and pre-tokenized:
    in lisible's length groups and caps, then in one call."""
    from lisible.translate import length_groups

    hop = engine.hops[0]
    translator = engine._translator(hop)
    sentences = [s for u in units for line in engine.split(u) for s in line]
    tokens = [hop.package.tokenizer.encode(s) for s in sentences]
    groups = length_groups([len(t) for t in tokens])

    def run(batches: list[list[int]]) -> None:
        for group in batches:
            translator.translate_batch(
                [tokens[i] for i in group], beam_size=beam, num_hypotheses=1,
                length_penalty=0.2, max_batch_size=len(group), replace_unknowns=True,
                max_decoding_length=decoding_cap(max(len(tokens[i]) for i in group)))

    grouped, _ = timed(lambda: run(groups), repeat)
    whole, _ = timed(lambda: run([[i for g in groups for i in g]]), repeat)
    return grouped, whole


if __name__ == "__main__":
    main()
