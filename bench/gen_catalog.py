"""Write a deterministic synthetic catalog of N papers, for the scale benchmarks.

    python bench/gen_catalog.py 10000 /tmp/papers-10k.toml [--seed 1]

Realistic fields: 5-15-word titles, 3-10 authors (some with accents), a 150-250-word
abstract, new-style arXiv ids, venues, methods, models and code links. The same N and
seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

# General vocabulary, drawn with Zipf weights (a few words very common, most rare), plus
# topic words drawn only for a paper's own methods: so "pruning" is found in roughly the
# papers about pruning, as in a real catalog, not in every abstract.
GENERAL = (
    "speech model models self-supervised representation learning recognition automatic "
    "transformer conformer encoder decoder attention layer layers hidden units training "
    "fine-tuning downstream tasks benchmark superb librispeech word error rate relative "
    "reduction baseline results show that our method outperforms previous approaches while "
    "using fewer resources across evaluation streaming on-device efficient lightweight neural "
    "network accuracy latency memory footprint parameters multilingual speaker verification "
    "emotion keyword spotting translation robust noise we propose novel framework performance "
    "experiments demonstrate significant improvements compared state-of-the-art large pre-trained "
    "foundation data audio acoustic features frame level sequence length computational cost "
    "inference speed size deployment edge devices real-time analysis study empirical"
).split()
TOPICS = {
    "pruning": "pruning pruned prune sparse sparsity mask masks magnitude structured heads".split(),
    "distillation": "distillation distilled distil student teacher knowledge soft targets".split(),
    "quantization": "quantization quantized int8 4-bit 2-bit bits precision post-training".split(),
    "low-rank": "low-rank factorization decomposition svd rank approximation".split(),
    "architecture-search": "search supernet architecture nas subnet once-for-all".split(),
    "dynamic-inference": "early exit dynamic depth adaptive skipping".split(),
    "parameter-sharing": "sharing shared weights tying reuse cross-layer".split(),
    "other": "token merging sequence compression downsampling".split(),
}
_SYLLABLES = "ka ro mi ten sa lu po vin dra el or um ta ne si qu ar ex fo li".split()


#: Words and their Zipf weights.
Vocab = tuple[list[str], list[float]]


def _vocabulary(rng: random.Random) -> Vocab:
    words = list(GENERAL)
    while len(words) < 3000:
        words.append("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    rng.shuffle(words)
    return words, [1 / (rank + 1) for rank in range(len(words))]


FIRST = (
    "Yifan Wei Hung-yi Shinji Heitor Björn Lukáš Jan Mireia Zhaoqing Haoning Tara Oleg "
    "Sanchit Patrick Jiangyu Federico Takanori Kangwook Sungnyun Hoirin Yeonghyeon"
).split()
LAST = (
    "Peng Lee Watanabe Guimarães Schuller Burget Černocký Diez Li Xu Sainath Rybakov "
    "Gandhi Platen Han Landini Ashihara Jang Kim Chang Wang Zhang Liu Chen"
).split()
VENUES = ("INTERSPEECH", "ICASSP", "SLT", "ASRU", "NeurIPS", "ICLR", "TASLP", "arXiv", "arXiv")
METHODS = (
    "pruning",
    "distillation",
    "quantization",
    "low-rank",
    "architecture-search",
    "dynamic-inference",
    "parameter-sharing",
    "other",
)
MODELS = ("HuBERT", "wav2vec 2.0", "WavLM", "Whisper", "XLS-R", "Conformer", "data2vec")


def _text(rng: random.Random, vocab: Vocab, topic: list[str], n: int) -> str:
    general = rng.choices(vocab[0], weights=vocab[1], k=n)
    return " ".join(rng.choice(topic) if rng.random() < 0.15 else w for w in general)


def paper(i: int, rng: random.Random, vocab: Vocab) -> str:
    year = rng.randint(2019, 2026)
    methods = rng.sample(METHODS, rng.randint(1, 2))
    topic = [w for m in methods for w in TOPICS[m]]
    title_words = _text(rng, vocab, topic, rng.randint(4, 14))
    title = f"{rng.choice(MODELS).replace(' ', '')}-{i}: " + title_words.capitalize()
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(3, 10))]
    abstract = _text(rng, vocab, topic, rng.randint(150, 250)).capitalize() + "."
    venue = rng.choice(VENUES)
    lines = [
        "[[papers]]",
        f'id = "paper-{i}"',
        f"title = {json.dumps(title, ensure_ascii=False)}",
        f"authors = {json.dumps(authors, ensure_ascii=False)}",
        f"year = {year}",
        f'venue = "{venue}"',
        f'arxiv = "{year % 100:02d}{rng.randint(1, 12):02d}.{i % 100000:05d}"',
        f"methods = {json.dumps(methods)}",
        f"models = {json.dumps(rng.sample(MODELS, rng.randint(1, 2)))}",
        f"summary = {json.dumps(_text(rng, vocab, topic, 20).capitalize() + '.')}",
        f"abstract = {json.dumps(abstract)}",
    ]
    if rng.random() < 0.4:
        lines.insert(7, f'code = "https://github.com/speech-lab/paper-{i}"')
    return "\n".join(lines) + "\n"


def generate(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    head = '[catalog]\ntitle = "Synthetic catalog"\ndescription = "Generated for benchmarks."\n'
    vocab = _vocabulary(rng)
    return head + "".join("\n" + paper(i, rng, vocab) for i in range(n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.output.write_text(generate(args.n, args.seed), encoding="utf-8")


if __name__ == "__main__":
    main()
