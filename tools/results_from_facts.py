"""Convert research/results-facts.md into data/results.toml (rerun after the facts change).

    python tools/results_from_facts.py ../shared/research/results-facts.md > data/results.toml

Numbers are copied as printed; only labels are normalised (see the maps below), and
notes and locations are our own words, written per source group in ``GROUPS``. A teacher
row that repeats one already entered from the same source table (the same table read for
several papers) is entered once, under the paper whose table it is; the count of merged
rows is printed on stderr. Prints nothing to stdout but the TOML.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

DASH = "—"

# (paper, n-th source of that paper) -> (where, secondary, note): our own words.
GROUPS: dict[tuple[str, int], tuple[str, bool, str]] = {
    ("dphubert", 1): (
        "Table 1, SUPERB comparison (README results image)",
        False,
        "ASR without a language model. 960h/100h: LibriSpeech hours used for compression.",
    ),
    ("dphubert", 2): (
        "SUPERB leaderboard screenshot in the README",
        False,
        "Leaderboard figures, profiled by the leaderboard; params shown there as raw counts.",
    ),
    ("dphubert", 3): ("README, pre-trained models table", False, "Released checkpoints."),
    ("recycle-and-distill", 1): (
        "Results table (README image)",
        False,
        "ASR WER, LM use not stated in the table. Overall score is the table's own.",
    ),
    ("recycle-and-distill", 2): (
        "README summary bullets and checkpoints table",
        False,
        "Released checkpoints; fractions are relative to the teacher.",
    ),
    ("star", 1): (
        "Results table (README image)",
        False,
        "MACs in giga; the table also reprints other papers' models (not entered here).",
    ),
    ("lighthubert", 1): (
        "SUPERB leaderboard screenshot (constrained track) in the README",
        False,
        "Leaderboard figures, not the paper's tables; QbE there is MTWV times 100.",
    ),
    ("lighthubert", 2): (
        "SUPERB leaderboard screenshot in the DPHuBERT README",
        True,
        "Reprinted by DPHuBERT; params shown there as a raw count.",
    ),
    ("lighthubert", 3): (
        "STaR results table, baselines",
        True,
        "Reprinted by STaR as 'a_Small'; its ASR WER differs from the leaderboard's by 0.01.",
    ),
    ("lighthubert", 4): ("Abstract", False, "Claims from the abstract, not table values."),
    ("distilhubert", 1): (
        "DPHuBERT Table 1 (README image)",
        True,
        "Reprinted by DPHuBERT; ASR without LM. The 100h row has only IC, SID and ASR.",
    ),
    ("distilhubert", 2): ("ARMHuBERT results table (README image)", True, "Reprinted."),
    ("distilhubert", 3): ("Abstract", False, "Claims from the abstract, not table values."),
    ("fithubert", 1): (
        "Abstract",
        False,
        "Claims from the abstract. Its headline WER/PER match the 960h row reprinted by DPHuBERT.",
    ),
    ("fithubert", 2): (
        "DPHuBERT Table 1 (README image)",
        True,
        "Reprinted by DPHuBERT; ASR without LM. FitW2V2's teacher is not named.",
    ),
    ("fithubert", 3): ("ARMHuBERT results table (README image)", True, "Reprinted."),
    ("deep-versus-wide", 1): (
        "DPHuBERT Table 1 (README image)",
        True,
        "Reprinted by DPHuBERT; the teacher is not named in the sources read.",
    ),
    ("deep-versus-wide", 2): ("ARMHuBERT results table (README image)", True, "Reprinted."),
    ("melhubert", 1): (
        "README introduction (same figures as the abstract)",
        False,
        "MelHuBERT simplifies HuBERT rather than distilling it; savings are against HuBERT.",
    ),
    ("robustdistiller", 1): ("Abstract", False, "Only the model sizes are given."),
    ("distilxlsr", 1): (
        "README, additional experiment results table",
        False,
        "The table does not name its metric (an error rate, decoded with an n-gram LM); "
        "which DistilXLSR variant is meant is not stated.",
    ),
    ("distilxlsr", 2): ("Abstract", False, "Claim from the abstract."),
    ("dicehubert", 1): ("Abstract", False, "Relative gains over earlier distillation methods."),
    ("wav2small", 1): (
        "README abstract",
        False,
        "Two versions of the abstract disagree on the ONNX file size; both are kept.",
    ),
    ("w2v-bert-sv-pruning", 1): (
        "Table 3, pruning results (README image)",
        False,
        "Params are backbone+head. LMFT: large-margin fine-tuning. MACs/FLOPs per 1 s of audio.",
    ),
    ("fine-tune-before-pruning", 1): (
        "Recipe README, results table (collar 0 s)",
        False,
        "DER in percent, collar 0 s; pruned from the fine-tuned model.",
    ),
    ("audio-lottery", 1): (
        "CNN_LSTM README, LibriSpeech table",
        False,
        "WER with a 3-gram grapheme LM. Only the share of weights kept is given, no counts.",
    ),
    ("audio-lottery", 2): (
        "Conformer README, LibriSpeech table",
        False,
        "WER with a 6-gram BPE LM. Only the share of weights kept is given, no counts.",
    ),
    ("distil-whisper", 1): (
        "README (Dec 2023), introduction table",
        False,
        "WER averaged over out-of-distribution sets the README does not list; latency "
        "relative to large-v2. Teachers as named on the model cards.",
    ),
    ("distil-whisper", 2): (
        "README (current), introduction table",
        False,
        "Latency relative to large-v3; distil-large-v3's teacher is not stated verbatim.",
    ),
    ("liteasr", 1): (
        "README, benchmark results table",
        False,
        "Average WER over the ESB test sets. Params are encoder+decoder; only the encoder "
        "is compressed.",
    ),
    ("dq-whisper", 1): ("Abstract (also the README introduction)", False, "Claim only."),
    ("baldwhisper", 1): ("Abstract", False, "Claims only; the retained-performance metric is not named."),
    ("askd-whisper", 1): (
        "Abstract (v2)",
        False,
        "Claims only; whether the WER gain is absolute or relative is not stated.",
    ),
    ("structured-sparsity-whisper", 1): (
        "Abstract (v1)",
        False,
        "Reductions reached with no WER loss on Common Voice 11.0 Hindi, per the abstract.",
    ),
    ("stablequant", 1): ("Abstract", False, "Claims for 8-bit quantization only."),
}

# Model names: raw -> (name, role, note). Unlisted names keep their text, with the
# role suffixes below turned into a role.
ROLE_SUFFIXES = {
    " (teacher row)": "teacher",
    " (reference row)": "reference",
    " (original)": "teacher",
    " (size reference)": "reference",
}
MODELS: dict[str, tuple[str, str | None, str | None]] = {
    "DPHuBERT (960h distillation)": ("DPHuBERT (960h)", None, None),
    "DPWavLM (960h distillation)": ("DPWavLM (960h)", None, None),
    "DPHuBERT (100h distillation)": ("DPHuBERT (100h)", None, None),
    "DPHuBERT (released checkpoint, sparsity 0.75)": (
        "DPHuBERT (released checkpoint)",
        None,
        "sparsity 0.75; 23,585,946 parameters",
    ),
    "DPWavLM (released checkpoint, sparsity 0.75)": (
        "DPWavLM (released checkpoint)",
        None,
        "sparsity 0.75; 23,586,325 parameters",
    ),
    "wavLM Base (teacher row)": ("WavLM Base", "teacher", None),
    "ARMHuBERT-960h (released ckpt)": ("ARMHuBERT-960h (released checkpoint)", None, None),
    "ARMHuBERT-S-100h / ARMHuBERT-S-960h (released ckpts)": (
        "ARMHuBERT-S-100h / ARMHuBERT-S-960h (released checkpoints)",
        None,
        None,
    ),
    "ARMwavLM-S-100h / ARMwavLM-S-960h (released ckpts)": (
        "ARMwavLM-S-100h / ARMwavLM-S-960h (released checkpoints)",
        None,
        None,
    ),
    "MaskHuBERT-960h (released ckpt)": ("MaskHuBERT-960h (released checkpoint)", None, None),
    "LightHuBERT a_Small (as reprinted by STaR)": (
        "LightHuBERT Small",
        None,
        "printed as 'LightHuBERT a_Small'",
    ),
    "LightHuBERT a_Small (as reprinted by STaR/ARMHuBERT)": (
        "LightHuBERT Small",
        None,
        "printed as 'LightHuBERT a_Small'",
    ),
    "LightHuBERT (HuBERT-size subnet)": ("LightHuBERT (HuBERT-sized subnet)", None, None),
    "HuBERT Base (reference row)": ("HuBERT Base", "reference", None),
    "12-Layer Half ('12-L HALF-L2L' in ARMHuBERT table)": ("12-Layer Half", None, None),
    "12-L HALF-L2L": ("12-Layer Half", None, "printed as '12-L HALF-L2L'"),
    "3-Layer One ('3-L ONE-Pred' in ARMHuBERT table)": ("3-Layer One", None, None),
    "3-L ONE-Pred": ("3-Layer One", None, "printed as '3-L ONE-Pred'"),
    "RobustDistiller student (best reported with WavLM Base+ teacher)": (
        "RobustDistiller student",
        None,
        "teacher size given as 95M",
    ),
    "Proposed (DistilXLSR; README row 'Proposed')": (
        "DistilXLSR",
        None,
        "the README's 'Proposed' row",
    ),
    "XLSR53 (reference row)": ("XLSR-53", "reference", None),
    "MobileNet-V4-Small (other student)": ("MobileNet-V4-Small student", None, None),
    "Teacher (A/D/V model)": ("A/D/V teacher", "teacher", None),
    "LoRA_Adapter_MFA, ~80% sparsity (pruned), no LMFT": (
        "LoRA_Adapter_MFA ~80% sparsity",
        None,
        None,
    ),
    "LoRA_Adapter_MFA, ~80% sparsity (pruned), with LMFT": (
        "LoRA_Adapter_MFA ~80% sparsity + LMFT",
        None,
        None,
    ),
    "LoRA_Adapter_MFA, ~80% sparsity (pruned)": ("LoRA_Adapter_MFA ~80% sparsity", None, None),
    "LoRA_Adapter_MFA, 0% sparsity (teacher/unpruned), no LMFT": (
        "LoRA_Adapter_MFA 0% sparsity",
        "teacher",
        None,
    ),
    "LoRA_Adapter_MFA, 0% sparsity (teacher/unpruned), with LMFT": (
        "LoRA_Adapter_MFA 0% sparsity + LMFT",
        "teacher",
        None,
    ),
    "LoRA_Adapter_MFA, 0% sparsity (teacher/unpruned)": (
        "LoRA_Adapter_MFA 0% sparsity",
        "teacher",
        None,
    ),
    "WavLM Base+ (0%, fine-tuned, unpruned)": ("WavLM Base+ (fine-tuned)", "teacher", None),
    "WavLM Large (0%, fine-tuned, unpruned)": ("WavLM Large (fine-tuned)", "teacher", None),
    "CNN-LSTM (DeepSpeech2-style) winning ticket 'Extreme'": ("CNN-LSTM ticket Extreme", None, None),
    "CNN-LSTM winning ticket 'Extreme'": ("CNN-LSTM ticket Extreme", None, None),
    "CNN-LSTM winning ticket 'Best'": ("CNN-LSTM ticket Best", None, None),
    "CNN-LSTM 'Dense' (unpruned)": ("CNN-LSTM dense", "teacher", None),
    "Conformer (Efficient Conformer CTC) winning ticket 'Extreme'": (
        "Conformer ticket Extreme",
        None,
        None,
    ),
    "Conformer winning ticket 'Extreme'": ("Conformer ticket Extreme", None, None),
    "Conformer winning ticket 'Best'": ("Conformer ticket Best", None, None),
    "Conformer 'Dense' (unpruned)": ("Conformer dense", "teacher", None),
    "Whisper large-v3 (reference row)": ("Whisper large-v3", "teacher", None),
    "DQ-Whisper (best compression setting, unspecified)": ("DQ-Whisper", None, None),
    "BaldWhisper (pruned Whisper, Bambara)": ("BaldWhisper", None, None),
    "Pruned Whisper-small (SGL + weight-adaptive pruning)": ("Pruned Whisper-small", None, None),
    "StableQuant 8-bit PTQ (HuBERT and wav2vec 2.0)": ("StableQuant 8-bit", None, None),
    "StableQuant 8-bit PTQ": ("StableQuant 8-bit", None, None),
}
# Teacher names: raw -> (name or None when not stated, note).
TEACHERS: dict[str, tuple[str | None, str | None]] = {
    DASH: (None, None),
    "wavLM Base": ("WavLM Base", None),
    "wavLM": ("WavLM", None),
    "HuBERT (see notes)": ("HuBERT", None),
    "HuBERT Base supernet ('94.7 -> 27.00' in ARMHuBERT table)": ("HuBERT", None),
    "not stated (name implies wav2vec 2.0)": (None, "teacher not named; the name suggests wav2vec 2.0"),
    "not stated": (None, None),
    "not stated in sources read": (None, None),
    "HuBERT (original model being simplified; not a distillation teacher)": ("HuBERT", None),
    "WavLM Base+ (95M)": ("WavLM Base+", None),
    "XLSR-53 or XLSR-128 (not stated; compared with XLSR53 row)": (
        None,
        "teacher XLSR-53 or XLSR-128, not stated which",
    ),
    "XLSR (2 teacher models)": ("XLS-R", "two teachers tried"),
    "large Transformer A/D/V teacher (title: Wav2Vec2)": ("A/D/V teacher", None),
    "same teacher": ("A/D/V teacher", None),
    "LoRA_Adapter_MFA, 0% sparsity (w2v-BERT 2.0 based)": ("LoRA_Adapter_MFA 0% sparsity", None),
    "LoRA_Adapter_MFA, 0% sparsity": ("LoRA_Adapter_MFA 0% sparsity", None),
    "Whisper medium.en (HF card); README compares to large-v2": ("Whisper medium.en", None),
    "Whisper small.en (HF card); README compares to large-v2": ("Whisper small.en", None),
    "Whisper large-v3 (reference row of the table)": ("Whisper large-v3", None),
    "Whisper (larger model; not specified)": ("Whisper", None),
    "Whisper (base model it was pruned from; size not stated in abstract)": ("Whisper", None),
    "Whisper (teacher size not stated in abstract)": ("Whisper", None),
    "Whisper-small (fine-tuned)": ("Whisper-small", None),
    "Whisper-medium (fine-tuned)": ("Whisper-medium", None),
    "full-precision HuBERT / wav2vec2.0": ("full-precision model", None),
    "full-precision model": ("full-precision model", None),
    "CNN-LSTM dense": ("CNN-LSTM dense", None),
    "Conformer dense": ("Conformer dense", None),
}
# (benchmark, task, metric) as printed -> ours, for everything but plain SUPERB task rows.
LABELS: dict[tuple[str, str, str], tuple[str, str | None, str]] = {
    ("SUPERB", "overall", "Score"): ("SUPERB", "overall", "overall score"),
    ("SUPERB", "overall", "Overall score"): ("SUPERB", "overall", "overall score"),
    ("SUPERB", "overall", "Generalizability score"): (
        "SUPERB",
        "overall",
        "generalizability score",
    ),
    ("SUPERB", "efficiency", "MACs (Giga)"): ("efficiency", "SUPERB", "MACs"),
    ("SUPERB leaderboard", "efficiency", "MACs"): ("efficiency", "SUPERB leaderboard", "MACs"),
    ("SUPERB leaderboard", "overall", "Score"): ("SUPERB", "overall", "leaderboard score"),
    ("SUPERB", "PR", "relative improvement over existing distillation methods"): (
        "SUPERB",
        "PR",
        "relative improvement",
    ),
    ("SUPERB", "ASR", "relative improvement over existing distillation methods"): (
        "SUPERB",
        "ASR",
        "relative improvement",
    ),
    ("ASR", DASH, "WER drop vs full precision"): ("unspecified", "ASR", "WER increase"),
    ("Bambara ASR (32h data)", DASH, "performance retained vs original"): (
        "Bambara ASR",
        None,
        "performance retained",
    ),
    ("Common Voice 11.0 Hindi", DASH, "WER"): ("Common Voice", "Hindi (11.0)", "WER"),
    ("MSP Podcast (Test-1 per HF papers page)", "valence", "CCC"): (
        "MSP-Podcast",
        "valence",
        "CCC",
    ),
    ("VoxCeleb1", "Vox1-O", "EER (%)"): ("VoxCeleb1", "Vox1-O", "EER"),
    ("diverse acoustic domains (not specified)", DASH, "WER"): (
        "unspecified",
        None,
        "WER reduction vs teacher",
    ),
    ("OOD eval sets (README)", "short-form", "WER"): ("Distil-Whisper OOD", "short-form", "WER"),
    ("OOD eval sets (README)", "long-form", "WER"): ("Distil-Whisper OOD", "long-form", "WER"),
    ("ESB datasets", "average", "WER"): ("ESB", "average", "WER"),
    ("efficiency", "1-s segment", "FLOPs"): ("efficiency", "1 s of audio", "FLOPs"),
    ("efficiency", "1-s segment", "MACs"): ("efficiency", "1 s of audio", "MACs"),
    ("efficiency", "MACs per one second of speech vs HuBERT", "MACs saved"): (
        "efficiency",
        "vs HuBERT",
        "MACs saved per second of audio",
    ),
    ("efficiency", "pre-training time vs HuBERT", "time saved"): (
        "efficiency",
        "vs HuBERT",
        "pre-training time saved",
    ),
    ("efficiency", "MACs vs teacher", "fraction of teacher"): (
        "efficiency",
        "vs teacher",
        "MACs fraction",
    ),
    ("efficiency", "params vs teacher", "fraction of teacher"): (
        "efficiency",
        "vs teacher",
        "params fraction",
    ),
    ("efficiency", "params vs teacher", "reduction"): ("efficiency", "vs teacher", "params reduction"),
    ("efficiency", "MacBook Air M1", "speedup"): ("efficiency", "MacBook Air M1", "speed-up"),
    (
        "efficiency",
        "compression in 3 SUPERB tasks (ASV, KS, IC), slight accuracy loss",
        "compression ratio",
    ): ("efficiency", "SUPERB ASV, KS, IC", "compression ratio"),
    (
        "efficiency",
        "inference time vs HuBERT",
        "inference time (as worded: 'reduces the model to ... 35.9% in inference time')",
    ): ("efficiency", "vs HuBERT", "inference time fraction"),
    ("efficiency", "model file", ".onnx (quantised) size"): (
        "efficiency",
        "quantised ONNX file",
        "file size",
    ),
    ("efficiency", "params vs HuBERT", "reduction at comparable performance (most tasks)"): (
        "efficiency",
        "vs HuBERT",
        "params reduction",
    ),
    ("efficiency", "size vs HuBERT", "model size (fraction of HuBERT)"): (
        "efficiency",
        "vs HuBERT",
        "params fraction",
    ),
    ("efficiency", "size vs HuBERT", "size reduction"): ("efficiency", "vs HuBERT", "params reduction"),
    ("efficiency", "speed vs HuBERT", "faster by"): ("efficiency", "vs HuBERT", "speed gain"),
    ("efficiency", DASH, "FLOPs reduction"): ("efficiency", "vs teacher", "FLOPs reduction"),
    ("efficiency", DASH, "MACs"): ("efficiency", None, "MACs"),
    ("efficiency", DASH, "inference latency speedup"): ("efficiency", "vs teacher", "speed-up"),
    ("efficiency", DASH, "inference speed"): ("efficiency", "vs teacher", "speed-up"),
    ("efficiency", DASH, "memory consumption reduction"): (
        "efficiency",
        "vs teacher",
        "memory reduction",
    ),
    ("efficiency", DASH, "model size reduction"): ("efficiency", "vs teacher", "size reduction"),
    ("efficiency", DASH, "size reduction"): ("efficiency", "vs teacher", "size reduction"),
    ("efficiency", DASH, "model size"): ("efficiency", "vs teacher", "size fraction"),
    ("efficiency", DASH, "parameter reduction"): ("efficiency", "vs teacher", "params reduction"),
    ("efficiency", DASH, "relative latency (x, vs large-v2)"): (
        "efficiency",
        "vs Whisper large-v2",
        "relative speed",
    ),
    ("efficiency", DASH, "relative latency (x, vs large-v3)"): (
        "efficiency",
        "vs Whisper large-v3",
        "relative speed",
    ),
    ("efficiency", DASH, "relative latency"): ("efficiency", None, "relative speed"),
    ("efficiency", DASH, "speedup"): ("efficiency", "vs teacher", "speed-up"),
}
SUPERB_TASKS = {"PR", "KS", "IC", "SID", "ER", "ASR", "QbE", "SF", "ASV", "SD", "overall"}
SUPERB_METRICS = {"PER", "Acc", "WER", "MTWV", "F1", "CER", "EER", "DER"}

# Values that are not a plain number (with an optional qualifier and unit).
VALUES: dict[str, list[tuple[str | None, str | None, str | None, str | None]]] = {
    # raw -> [(value, unit, qualifier, note)], one entry per row to enter
    "48% smaller": [("48", "%", None, None)],
    "1.07% lower than teacher (absolute/relative not stated)": [("1.07", "%", None, None)],
    "not degraded (no value in abstract)": [(None, None, None, "WER not degraded; no number given")],
    "a quarter of original": [(None, None, None, "a quarter of the full-precision size")],
    "doubled (2x)": [("2", "x", None, "printed as 'doubled (2x)'")],
    "120KB (GitHub README abstract) / 60KB (HF papers-page abstract)": [
        ("120", "KB", None, None),
        ("60", "KB", None, "abstract of another arXiv version, on the Hugging Face papers page"),
    ],
}
SECOND_SOURCE = {"60": "https://huggingface.erdda.com/papers/2408.13920"}
_NUMBER = r"\d+(?:\.\d+)?(?:e[+-]?\d+)?"
_VALUE = re.compile(
    rf"^(?P<qual>over |more than |up to |less than )?(?P<num>{_NUMBER})(?P<unit>%|x|G|KB)?$"
)
_PARAMS = [
    (re.compile(rf"^(?P<n>{_NUMBER})(?: \((?:shown as [\d.e+]+|[\d,]+|\d+K)\))?$"), "{n}"),
    (re.compile(rf"^(?P<a>{_NUMBER})\+(?P<b>{_NUMBER})$"), "{a}+{b}"),
    (re.compile(rf"^encoder (?P<a>{_NUMBER}) \+ decoder (?P<b>{_NUMBER})$"), "{a}+{b}"),
]
_KEPT = re.compile(r"^remaining weight (?P<p>[\d.]+%)$")


# A repeated baseline row is the same row whatever role this paper's table gives it.
SKIP = {"note", "role"}


@dataclass
class Group:
    paper: str
    url: str
    n: int
    rows: list[dict[str, object]] = field(default_factory=list)


def parse_facts(text: str) -> list[Group]:
    groups: list[Group] = []
    paper = ""
    count: dict[str, int] = {}
    for line in text.splitlines():
        if line.startswith("## "):
            paper = line[3:].split(" ", 1)[0]
        elif line.startswith("source: "):
            url = line[len("source: ") :].split(" ", 1)[0]
            count[paper] = count.get(paper, 0) + 1
            groups.append(Group(paper, url, count[paper]))
        elif line.startswith("| ") and not line.startswith("| model |"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            assert len(cells) == 8, line
            groups[-1].rows.append(dict(zip("model teacher params bench task metric value lower".split(), cells, strict=True)))
    return groups


def convert_row(raw: dict[str, str]) -> list[dict[str, object]]:
    notes: list[str] = []
    model, role, mnote = MODELS.get(raw["model"], (raw["model"], None, None))
    if raw["model"] not in MODELS:
        for suffix, kind in ROLE_SUFFIXES.items():
            if model.endswith(suffix):
                model, role = model.removesuffix(suffix), kind
    if mnote:
        notes.append(mnote)
    teacher, tnote = TEACHERS.get(raw["teacher"], (raw["teacher"], None))
    if tnote:
        notes.append(tnote)
    params: str | None = None
    if raw["params"] != DASH:
        for pattern, form in _PARAMS:
            m = pattern.match(raw["params"])
            if m:
                params = form.format(**m.groupdict())
                break
        else:
            kept = _KEPT.match(raw["params"])
            assert kept, raw["params"]
            notes.append(f"{kept['p']} of the weights kept")
    bench, task, metric = raw["bench"], raw["task"], raw["metric"]
    out: dict[str, object] = {"model": model}
    if role:
        out["role"] = role
    if teacher:
        out["teacher"] = teacher
    if params:
        out["params"] = params
    if bench != DASH:
        if bench == "SUPERB" and task in {"ASR (w/o LM)", "SV (ASV)"} | SUPERB_TASKS and metric in SUPERB_METRICS:
            task = {"ASR (w/o LM)": "ASR", "SV (ASV)": "ASV"}.get(task, task)
        elif bench.startswith("SUPERB leaderboard (") and metric != "Score":
            bench = "SUPERB"
            task = {"SV (ASV)": "ASV"}.get(task, task)
            metric = {"MTWV x100 (as displayed)": "MTWV x100"}.get(metric, metric)
            notes.append("SUPERB leaderboard")
        elif bench.startswith("LibriSpeech"):
            metric = "WER"
        elif bench == "Common Voice (<=10h subsets)":
            bench, metric = "Common Voice", "error rate"
        elif bench == "DiariZen EEND diarization":
            bench, metric = "DiariZen", "DER"
            task = {"AMI (far-field single-channel)": "AMI", "Macro average": "macro average"}.get(task, task)
        else:
            key = (
                "SUPERB leaderboard" if bench.startswith("SUPERB leaderboard") else bench,
                task,
                metric,
            )
            bench, new_task, metric = LABELS[key]
            task = new_task if new_task is not None else DASH
            if key[0] == "SUPERB leaderboard" and key[2] == "Score":
                notes.append("SUPERB leaderboard")
        out["benchmark"] = bench
        if task != DASH:
            out["task"] = task
        out["metric"] = metric
    rows: list[dict[str, object]] = []
    entries = VALUES.get(raw["value"])
    if entries is None:
        if raw["value"] == DASH:
            entries = [(None, None, None, None)]
        else:
            m = _VALUE.match(raw["value"])
            assert m, raw["value"]
            qual = m["qual"].strip() if m["qual"] else None
            entries = [(m["num"], m["unit"], qual, None)]
    for value, unit, qual, vnote in entries:
        row = dict(out)
        if value is not None:
            row["value"] = value
        if unit:
            row["unit"] = unit
        if qual:
            row["qualifier"] = qual
        if raw["lower"] != DASH:
            row["lower_is_better"] = raw["lower"] == "yes"
        if metric == "WER reduction vs teacher":
            # Entered as a reduction (1.07 lower), so a larger number is the better one.
            row["lower_is_better"] = False
            vnote = "the abstract gives the WER as this much lower than the teacher's"
        row_notes = [*notes, *([vnote] if vnote else [])]
        if row_notes:
            row["note"] = "; ".join(row_notes)
        if value in SECOND_SOURCE and unit == "KB":
            row["_source"] = SECOND_SOURCE[value]
        rows.append(row)
    return rows


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


VOCABULARY = """\
# Names beyond scc's built-in vocabulary (SUPERB tasks and metrics, LibriSpeech test sets,
# WER/CER/PER/EER/DER, MACs, ...). A new benchmark, task or metric is added here first.
[vocabulary]
benchmarks = ["DiariZen", "Distil-Whisper OOD", "ESB", "MSP-Podcast", "Bambara ASR", "unspecified"]
tasks = [
    "SUPERB", "SUPERB leaderboard", "AMI", "AISHELL-4", "AliMeeting", "macro average", "short-form", "long-form",
    "average", "el", "nl", "eu", "ia", "pl", "Hindi (11.0)", "valence", "1 s of audio",
    "vs teacher", "vs HuBERT", "vs Whisper large-v2", "vs Whisper large-v3", "MacBook Air M1",
    "SUPERB ASV, KS, IC", "quantised ONNX file",
]
metrics = [
    "relative improvement", "performance retained", "WER increase", "WER reduction vs teacher",
    "MACs saved per second of audio", "pre-training time saved", "MACs fraction",
    "params fraction", "params reduction", "compression ratio", "inference time fraction",
    "file size", "speed gain", "FLOPs reduction", "memory reduction", "size reduction",
    "size fraction", "relative speed", "speed-up", "CCC", "error rate", "MTWV x100",
    "leaderboard score", "generalizability score",
]
"""


def main() -> None:
    text = open(sys.argv[1], encoding="utf-8").read()
    groups = parse_facts(text)
    seen: set[tuple[object, ...]] = set()
    total = merged = entered = 0
    out = [
        "# Results reported for catalogued papers: numbers exactly as printed in the source,",
        "# each group with its source (pinned where possible) and where in it the numbers are.",
        "# Generated from research/results-facts.md by tools/results_from_facts.py, then reviewed.",
        "# Fields and vocabulary: src/speechcompress/results/schema.py; check with `scc results`.",
        "",
        VOCABULARY,
    ]
    blocks: dict[tuple[str, str], list[str]] = {}
    order: list[tuple[str, str]] = []
    for group in groups:
        where, secondary, note = GROUPS[(group.paper, group.n)]
        for raw in group.rows:
            total += 1
            for row in convert_row(raw):  # type: ignore[arg-type]
                url = str(row.pop("_source", group.url))
                key = (url, *sorted((k, str(v)) for k, v in row.items() if k not in SKIP))
                if row.get("role") and key in seen:
                    merged += 1
                    print(f"merged: {group.paper}: {row}", file=sys.stderr)
                    continue
                seen.add(key)
                entered += 1
                block_key = (group.paper, url)
                if block_key not in blocks:
                    order.append(block_key)
                    head = [
                        "[[sources]]",
                        f"paper = {toml_value(group.paper)}",
                        f"url = {toml_value(url)}",
                        f"where = {toml_value(where if url == group.url else 'Abstract on the Hugging Face papers page')}",
                    ]
                    if secondary:
                        head.append("secondary = true")
                    head.append(f"note = {toml_value(note)}")
                    head.append("rows = [")
                    blocks[block_key] = head
                cells = ", ".join(f"{k} = {toml_value(v)}" for k, v in row.items())
                blocks[block_key].append(f"  {{ {cells} }},")
    for key in order:
        out.extend(blocks[key])
        out.append("]")
        out.append("")
    sys.stdout.write("\n".join(out).rstrip("\n") + "\n")
    print(f"{total} facts rows -> {entered} rows entered, {merged} repeated teacher rows merged", file=sys.stderr)


if __name__ == "__main__":
    main()
