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
beam size and threads are argos's settings in both. Prints sentences per
second for each and the ratio.

    .venv/bin/python benchmarks/mt_throughput.py [--repeat 3]
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


def timed(run, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per path (median)")
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
        engine = load_engine(models_dir, "fr", "en")
        argos = argos_translation(models_dir)
        from argostranslate import settings

        tokenizer = engine.hops[0].package.tokenizer
        lengths = [len(tokenizer.encode(u)) for u in units]
        print(f"{len(units)} units, {statistics.mean(lengths):.1f} tokens on average; "
              f"beam {settings.beam_size}, intra_threads {settings.intra_threads} (0 = all cores)",
              flush=True)
        make_drafts(engine, units[:4])  # warm up: load models, splitter, tokenizer
        [argos.translate(u) for u in units[:4]]
        ours, drafts = timed(lambda: make_drafts(engine, units), args.repeat)
        theirs, outputs = timed(lambda: [argos.translate(u) for u in units], args.repeat)
    same = sum(d.text == o.strip() for d, o in zip(drafts, outputs, strict=True))
    print(f"lisible batched:        {len(units) / ours:6.1f} sentences/s  ({ours:.1f} s)")
    print(f"argos translate()/unit: {len(units) / theirs:6.1f} sentences/s  ({theirs:.1f} s)")
    print(f"ratio: {theirs / ours:.1f}x  (median of {args.repeat}; "
          f"{same}/{len(units)} outputs identical)")


if __name__ == "__main__":
    main()
