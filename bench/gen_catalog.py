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

WORDS = (
    "speech self-supervised model compression pruning structured unstructured distillation "
    "knowledge student teacher quantization low-bit post-training aware training transformer "
    "conformer encoder decoder attention head layer representation learning recognition "
    "automatic streaming on-device efficient lightweight sparse sparsity weight channel "
    "neural network accuracy latency memory footprint parameters benchmark task-agnostic "
    "multilingual speaker verification emotion keyword spotting translation robust noise "
    "adaptive dynamic early exit inference supernet search architecture low-rank factorization "
    "sharing hidden units masked prediction contrastive objective fine-tuning downstream "
    "superb librispeech word error rate relative reduction baseline results show that our "
    "method outperforms previous approaches while using fewer resources across evaluation"
).split()
FIRST = ("Yifan Wei Hung-yi Shinji Heitor Björn Lukáš Jan Mireia Zhaoqing Haoning Tara Oleg "
         "Sanchit Patrick Jiangyu Federico Takanori Kangwook Sungnyun Hoirin Yeonghyeon").split()
LAST = ("Peng Lee Watanabe Guimarães Schuller Burget Černocký Diez Li Xu Sainath Rybakov "
        "Gandhi Platen Han Landini Ashihara Jang Kim Chang Wang Zhang Liu Chen").split()
VENUES = ("INTERSPEECH", "ICASSP", "SLT", "ASRU", "NeurIPS", "ICLR", "TASLP", "arXiv", "arXiv")
METHODS = ("pruning", "distillation", "quantization", "low-rank", "architecture-search",
           "dynamic-inference", "parameter-sharing", "other")
MODELS = ("HuBERT", "wav2vec 2.0", "WavLM", "Whisper", "XLS-R", "Conformer", "data2vec")


def paper(i: int, rng: random.Random) -> str:
    year = rng.randint(2019, 2026)
    title_words = [rng.choice(WORDS) for _ in range(rng.randint(5, 15))]
    title = f"{rng.choice(MODELS).replace(' ', '')}-{i}: " + " ".join(title_words).capitalize()
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(3, 10))]
    abstract = " ".join(rng.choice(WORDS) for _ in range(rng.randint(150, 250))).capitalize() + "."
    venue = rng.choice(VENUES)
    lines = [
        "[[papers]]",
        f'id = "paper-{i}"',
        f"title = {json.dumps(title, ensure_ascii=False)}",
        f"authors = {json.dumps(authors, ensure_ascii=False)}",
        f"year = {year}",
        f'venue = "{venue}"',
        f'arxiv = "{year % 100:02d}{rng.randint(1, 12):02d}.{i % 100000:05d}"',
        f"methods = {json.dumps(rng.sample(METHODS, rng.randint(1, 2)))}",
        f"models = {json.dumps(rng.sample(MODELS, rng.randint(1, 2)))}",
        f"summary = {json.dumps(' '.join(rng.choice(WORDS) for _ in range(20)).capitalize() + '.')}",
        f"abstract = {json.dumps(abstract)}",
    ]
    if rng.random() < 0.4:
        lines.insert(7, f'code = "https://github.com/example-lab/paper-{i}"')
    return "\n".join(lines) + "\n"


def generate(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    head = '[catalog]\ntitle = "Synthetic catalog"\ndescription = "Generated for benchmarks."\n'
    return head + "".join("\n" + paper(i, rng) for i in range(n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.output.write_text(generate(args.n, args.seed), encoding="utf-8")


if __name__ == "__main__":
    main()
