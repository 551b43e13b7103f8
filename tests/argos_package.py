"""Build real ``.argosmodel`` packages offline, for tests and the benchmark.

A package is what argos installs from its index: a zip with one top folder
holding ``metadata.json``, a CTranslate2 ``model/``, a ``sentencepiece.model``
and a packaged sentence splitter (``minisbd/<lang>.onnx``). Nothing here is
trained beyond the SentencePiece vocabulary; the CTranslate2 weights are
written directly through ``ctranslate2.specs``:

- :func:`build_package` makes a *deterministic* model: every weight is zero
  except a chain in the decoder embedding and output projection, so for any
  input it emits one fixed sentence. Tests can then predict the output.
- :func:`build_random_package` makes a transformer-base-sized model with
  random int8 weights, for measuring speed (its output is noise).

The splitter is a single ONNX ``Gather`` node mapping each character to a
minisbd class (``2`` = end of sentence for ``.``, ``!``, ``?``; ``1`` =
end of token for everything else), which is enough for argos's
``MiniSBDSentencizer`` to split sentences without any download.
"""

from __future__ import annotations

import io
import json
import random
import string
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_WORD_TEXT = (
    "le la les un une des et de du en dans pour avec sans sur sous mais ou donc car "
    "ordonnance numérique Bruxelles citoyens services publics guichet accès droit "
    "the a of and to in for with without on but or so because digital citizens public "
    "services counter access right hello world de het een van en in voor met zonder "
    "maar of dus omdat digitaal burgers openbare diensten loket toegang recht hallo wereld"
)
WORDS = tuple(_WORD_TEXT.split())
SPLITTER_CHARS = (
    string.ascii_letters + string.digits + string.punctuation + " "
    + "àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛÜŒÆ«»’“”…–—\u202f\u00a0"
)


def _corpus(extra: str, lines: int = 300, seed: int = 7) -> list[str]:
    """Random lines of the word list, plus ``extra`` so its pieces get into the vocabulary."""
    rng = random.Random(seed)
    text = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))) + "."
            for _ in range(lines)]
    return [*text, extra, extra, string.ascii_letters + string.digits + string.punctuation]


def train_sentencepiece(extra: str, vocab_size: int = 400, corpus: Sequence[str] = ()) -> bytes:
    """A small SentencePiece model whose vocabulary covers ``extra`` (and ``corpus``)."""
    import sentencepiece as spm

    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([*_corpus(extra), *corpus]),
        model_writer=out,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        normalization_rule_name="identity",
        minloglevel=2,
    )
    return out.getvalue()


def _pieces(sp_model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _shape(name: str, d: int, ffn: int, vocab: int) -> tuple[int, ...]:
    """The shape of one CTranslate2 Transformer weight, from its scope name."""
    leaf = name.rsplit("/", 1)[-1]
    parent = name.rsplit("/", 2)[-2] if name.count("/") >= 1 else ""
    if "embeddings" in name:
        return (vocab, d)
    if "projection" in name:
        return (vocab, d) if leaf == "weight" else (vocab,)
    if "position_encodings" in name:
        return (1024, d)
    if leaf in ("gamma", "beta"):
        return (d,)
    out = d
    if "ffn" in name:
        out = ffn if parent == "linear_0" else d
        inp = d if parent == "linear_0" else ffn
        return (out, inp) if leaf == "weight" else (out,)
    if "self_attention" in name and parent == "linear_0":
        out = 3 * d
    if "attention" in name and "self_attention" not in name and parent == "linear_1":
        out = 2 * d
    return (out, d) if leaf == "weight" else (out,)


def _fill_spec(spec, d: int, ffn: int, vocab: int, init) -> None:
    """Give every unset weight of ``spec`` an array from ``init(name, shape)``."""
    from ctranslate2.specs import model_spec

    def visit(layer, name, value):
        if value is None or (name.endswith("position_encodings/encodings")
                             and isinstance(value, str)):
            setattr(layer, name.rsplit("/", 1)[-1], init(name, _shape(name, d, ffn, vocab)))

    model_spec.visit_spec(spec, visit)


def build_ct2_chain_model(out: Path, pieces: list[str], chain: list[int], d: int = 32) -> None:
    """A CTranslate2 model that emits ``chain`` (token ids) then ``</s>`` for any input."""
    from ctranslate2.specs import TransformerSpec

    assert len(set(chain)) == len(chain), "chain tokens must be distinct"
    assert len(chain) + 1 < d, "d_model must exceed the chain length"
    vocab = len(pieces)
    spec = TransformerSpec.from_config((1, 1), num_heads=2)

    def init(name: str, shape: tuple[int, ...]) -> np.ndarray:
        array = np.zeros(shape, dtype=np.float32)
        if name.endswith("gamma") and name.startswith("decoder/layer_norm"):
            array[:] = 1.0
        if name.startswith("decoder/embeddings"):
            for k, token in enumerate([1, *chain]):  # <s> is id 1 in SentencePiece
                array[token, k] = 1.0
        if name == "decoder/projection/weight":
            for k, token in enumerate([*chain, 2]):  # then </s>
                array[token, k] = 1.0
        return array

    _fill_spec(spec, d, 2 * d, vocab, init)
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    out.mkdir(parents=True, exist_ok=True)
    spec.save(str(out))


def build_ct2_random_model(out: Path, pieces: list[str], *, d: int = 512, layers: int = 6,
                           heads: int = 8, ffn: int = 2048, vocab: int = 32000,
                           seed: int = 1) -> None:
    """A transformer-base-sized model with random int8 weights (for speed only)."""
    from ctranslate2.specs import TransformerSpec

    tokens = pieces + [f"tok{i}" for i in range(vocab - len(pieces))]
    rng = np.random.default_rng(seed)
    spec = TransformerSpec.from_config((layers, layers), num_heads=heads)

    def init(name: str, shape: tuple[int, ...]) -> np.ndarray:
        if name.endswith("gamma"):
            return np.ones(shape, dtype=np.float32)
        if name.endswith(("beta", "bias")):
            return np.zeros(shape, dtype=np.float32)
        return (rng.standard_normal(shape, dtype=np.float32) * 0.05).astype(np.float32)

    _fill_spec(spec, d, ffn, len(tokens), init)
    spec.register_source_vocabulary(tokens)
    spec.register_target_vocabulary(tokens)
    spec.validate()
    spec.optimize(quantization="int8")
    out.mkdir(parents=True, exist_ok=True)
    spec.save(str(out))


def build_splitter(lang: str) -> bytes:
    """A minisbd ONNX model: one Gather from characters to sentence/token classes."""
    import onnx
    from onnx import TensorProto, helper

    units = ["<PAD>", "<UNK>", *dict.fromkeys(SPLITTER_CHARS)]
    table = np.zeros((len(units), 5), dtype=np.float32)
    for i, unit in enumerate(units):
        table[i, 0 if unit == "<PAD>" else 2 if unit in ".!?" else 1] = 10.0
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "units"], ["logits"], axis=0),
         helper.make_node("Identity", ["features"], ["features_out"])],
        "minisbd-chars",
        [helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "time"]),
         helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "time", 1])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "time", 5]),
         helper.make_tensor_value_info("features_out", TensorProto.FLOAT,
                                       ["batch", "time", 1])],
        [helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.flatten())],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    vocab = {"lang": lang, "idx": 0, "cutoff": 0, "lower": False,
             "_id2unit": units, "_unit2id": {u: i for i, u in enumerate(units)}}
    config = {"feat_funcs": ["space_before"], "max_seqlen": 1000, "batch_size": 32}
    for key, value in (("lang_code", lang), ("config", json.dumps(config)),
                       ("vocab", json.dumps(vocab)), ("lexicon", "null")):
        model.metadata_props.add(key=key, value=value)
    onnx.checker.check_model(model)
    return model.SerializeToString()


def _metadata(from_code: str, to_code: str, version: str) -> dict:
    names = {"fr": "French", "en": "English", "nl": "Dutch"}
    return {"package_version": version, "argos_version": "1.9", "type": "translate",
            "from_code": from_code, "from_name": names.get(from_code, from_code),
            "to_code": to_code, "to_name": names.get(to_code, to_code),
            "license": "CC0-1.0 (test fixture)"}


def zip_package(out: Path, top: str, folder: Path) -> Path:
    """Zip ``folder`` as ``out`` with every member under ``top/``."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return out


def build_package(out_dir: Path, from_code: str = "fr", to_code: str = "en",
                  sentence: str = "Hello world.", version: str = "1.0",
                  splitter: bool = True) -> Path:
    """A deterministic ``translate-<from>_<to>-<version>.argosmodel`` emitting ``sentence``.

    ``splitter=False`` leaves out ``minisbd/``, like old index packages.
    """
    import sentencepiece as spm

    top = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    sp_model = train_sentencepiece(sentence)
    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / top
        folder.mkdir()
        (folder / "sentencepiece.model").write_bytes(sp_model)
        build_ct2_chain_model(folder / "model", _pieces(sp_model), sp.encode(sentence))
        if splitter:
            (folder / "minisbd").mkdir()
            (folder / "minisbd" / f"{from_code}.onnx").write_bytes(build_splitter(from_code))
        (folder / "metadata.json").write_text(
            json.dumps(_metadata(from_code, to_code, version), indent=2), "utf-8")
        return zip_package(Path(out_dir) / f"{top}.argosmodel", top, folder)


def build_random_package(out_dir: Path, from_code: str = "fr", to_code: str = "en",
                         corpus: Sequence[str] = (), **sizes) -> Path:
    """A transformer-base-sized ``.argosmodel`` with random weights (benchmark only).

    ``corpus`` (text in the source language) trains the SentencePiece model,
    so sentences get a realistic number of tokens.
    """
    top = f"translate-{from_code}_{to_code}-random"
    sp_model = train_sentencepiece("", vocab_size=2000 if corpus else 800, corpus=corpus)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / top
        folder.mkdir()
        (folder / "sentencepiece.model").write_bytes(sp_model)
        build_ct2_random_model(folder / "model", _pieces(sp_model), **sizes)
        (folder / "minisbd").mkdir()
        (folder / "minisbd" / f"{from_code}.onnx").write_bytes(build_splitter(from_code))
        (folder / "metadata.json").write_text(
            json.dumps(_metadata(from_code, to_code, "0.0"), indent=2), "utf-8")
        return zip_package(Path(out_dir) / f"{top}.argosmodel", top, folder)
