"""The model card: what the shipped model is for, how it was made, and how well it works.

Rendered from the bundle's meta.json (and the transformer's), which ``tropewatch train``
writes with every number in it, so the card cannot drift from the model: a test checks
that ``docs/model-card.md`` is exactly what ``tropewatch model-card`` renders now.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from ..bundle import DETECTOR_DIR, read_meta
from ..floors import COUNTER_SPEECH_LIMIT
from .evaluate import BOOTSTRAP_RESAMPLES, format_interval
from .temporal import RESULT_FILE


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _metrics_table(title: str, report: Mapping, label: str = "group") -> list[str]:
    rows = [f"| {title} | posts | precision | recall | F1 | F1, 95% interval | share flagged |",
            "|---|---|---|---|---|---|---|"]
    parts = [("all", report["overall"])] + [(f"{label} `{name}`", metrics)
                                           for name, metrics in report["groups"].items()]
    for name, m in parts:
        rows.append(f"| {name} | {m['n']} | {m['precision']:.3f} | {m['recall']:.3f} | "
                    f"**{m['f1']:.3f}** | {format_interval(m['f1_interval'])} | "
                    f"{_percent(m['flagged_rate'])} |")
    return rows


def _positives(report: Mapping) -> int:
    overall = report["overall"]
    return overall["tp"] + overall["fn"]


def _reliability_table(report: Mapping, split: str) -> list[str]:
    rows = [f"| score ({split}) | posts | mean score | share antisemitic |", "|---|---|---|---|"]
    for row in report["reliability"]:
        rows.append(f"| {row['low']:.1f}–{row['high']:.1f} | {row['n']} | "
                    f"{row['mean_score']:.3f} | {row['positive_rate']:.3f} |")
    return rows


def _flag_rates(report: Mapping, names: Mapping[str, str]) -> list[str]:
    rows = ["| posts | n | share flagged |", "|---|---|---|"]
    for group, title in names.items():
        if group in report["groups"]:
            m = report["groups"][group]
            rows.append(f"| {title} | {m['n']} | {_percent(m['flagged_rate'])} |")
    return rows


def _stance_rates(report: Mapping, split: str) -> list[str]:
    """Share flagged of the tweets that read as call-outs, split by the experts' label."""
    m = report["groups"].get("reads as a call-out")
    if m is None:
        return []
    negatives, positives = m["fp"] + m["tn"], m["tp"] + m["fn"]
    return [f"| {split} tweets the cues read as calling antisemitism out | n | share flagged |",
            "|---|---|---|",
            f"| labelled not antisemitic | {negatives} | "
            f"{_percent(m['fp'] / negatives) if negatives else '–'} |",
            f"| labelled antisemitic | {positives} | "
            f"{_percent(m['tp'] / positives) if positives else '–'} |",
            ""]


def _temporal_section(model_dir: Path, version: str) -> list[str]:
    path = model_dir / RESULT_FILE
    if not path.exists():
        return []
    check = json.loads(path.read_text(encoding="utf-8"))
    # A retrained bundle keeps the last check until it is run again for its own recipe.
    recipe = ("" if check["model_version"] == version else
              f" It measured the recipe of model {check['model_version']}, not this "
              "model's: run `tropewatch temporal-check` again to measure this one.")
    year, sizes = check["until_year"], check["sizes"]
    transformer = ("a transformer fine-tuned on those tweets too" if check["transformer"] ==
                   "retrain" else "no transformer stage")
    return [
        f"### Temporal check: fitted up to {year}, tested on later tweets",
        "",
        f"Every stage fitted on ISCA tweets posted up to {year} ({sizes['train']:,} train and "
        f"{sizes['dev']:,} dev posts, HateXplain's included"
        + (f"; and the {sizes['written']:,} written training posts" if sizes.get("written")
           else "")
        + f"), with {transformer}; tested on all "
        f"{sizes['later_tweets']:,} ISCA tweets posted later (`tropewatch temporal-check`, run "
        f"{check['created']} with lexicon {check['lexicon_version']}).{recipe}",
        "",
        *_metrics_table("later ISCA tweets", check["later_by_year"], "year"),
        "",
        *_adaptation_section(check),
    ]


def _adaptation_section(check: Mapping) -> list[str]:
    """What ``tropewatch adapt`` gains for an organisation that labels new posts."""
    curve = check.get("adaptation")
    if not curve:
        return []
    rows = ["| later tweets labelled | held out | F1 without adapting | F1 adapted "
            "(lowest–highest draw) | draws fitted |", "|---|---|---|---|---|"]
    for size, row in curve["sizes"].items():
        shipped, adapted = row["shipped_f1"], row["adapted_f1"]
        rows.append(f"| {int(size):,} | {row['held_out']:,} | {shipped['mean']:.3f} | "
                    f"**{adapted['mean']:.3f}** ({adapted['min']:.3f}–{adapted['max']:.3f}) | "
                    f"{row['fitted']} of {curve['draws']} |")
    return [
        "#### Adapting to an organisation's own decisions",
        "",
        "`tropewatch adapt --org SLUG` fits a small head on the model's verdicts (score, "
        "counter-speech, endorsed claim, categories) from the organisation's confirmed and "
        "dismissed posts, with its own threshold chosen out of fold. Here the organisation is "
        "played by ISCA's experts: the head is fitted on a random draw of the later tweets, "
        f"labelled, on top of the model above, and scored on all the other later tweets; "
        f"{curve['draws']} draws of each size, mean F1 shown. Where the adapted mean is below "
        "the other, adapting on that few decisions made the model worse; so `tropewatch adapt` "
        "measures the same on the organisation's own decisions (held out) and leaves a head "
        "that does no better than the shipped model out of force. In use, moderators decide mostly "
        "posts the model flagged, so an organisation's head learns more about false alarms "
        "than about misses.",
        "",
        *rows,
        "",
    ]


# Figures that scripts outside `tropewatch train` measured (meta.json does not hold them),
# each with when and how. They are shown only on the card of the model they were measured
# on, so a retrained model's card drops them until they are measured again.
EARLIER_MEASUREMENTS: dict[str, list[str]] = {
    "2026.12.3": [
        "Hand-written probes (`probes/`: 650 posts written for this purpose, never trained "
        "on; `.venv/bin/python probes/evaluate_probes.py`), measured 2026-12-07; share "
        "flagged under `ihra`, model 2026.12.2 in brackets:",
        "",
        "| probes | n | share flagged |",
        "|---|---|---|",
        "| calling antisemitism out | 81 | 3.7% (2.5%) |",
        "| news | 41 | 2.4% (2.4%) |",
        "| Jewish life | 30 | 3.3% (0.0%) |",
        "| criticism of Israel | 45 | 4.4% (4.4%) |",
        "| criticism of Israeli policy, written apart from the project | 60 | 5.0% (0.0%) |",
        "| hate aimed at other groups | 22 | 0.0% (0.0%) |",
        "| support for Jews | 40 | 5.0% (2.5%) |",
        "| solidarity, written apart from the project | 40 | 5.0% (0.0%) |",
        "| kind or neutral statements about Jews as a group | 40 | 20.0% (12.5%) |",
        "| counter-speech about tropes | 80 | 3.8% (5.0%) |",
        "| replies refuting a trope, mostly restating it to reject it | 40 | 27.5% (25.0%) |",
        "| clearly antisemitic: share found (94.1% under `ihra-core`, 92.2% under `jda`) "
        "| 51 | 98.0% (96.1%) |",
        "| trope assertions as UK political groups and Telegram-style channels write them, "
        "many coded or insinuating: share found (81.2% under `ihra-core`, 76.2% under "
        "`jda`) | 80 | 85.0% (68.8%) |",
        "",
        "Disguised words (`.venv/bin/python probes/evaluate_evasions.py`, 2026-12-07): with "
        "every group word (\"Jews\", \"Israel\", \"Zionist\", \"kike\", ...) in the "
        "antisemitic ISCA tweets written with Cyrillic look-alike letters or split by dots, "
        "the detector flags 57.5% of the test split's 228, as many as undisguised (model "
        "2026.12.2: 48.2%).",
        "",
        "What changed from model 2026.12.2 (2026-12-07): six more writers' minimal sets "
        "(2,915 posts, `data/written/briefs/round2.md`: assertions that name the group only "
        "by insinuation, refutations that restate the claim without a call-out's words), "
        "5,923 written posts in all, in the n-gram model's and the transformer's training. "
        "The relevance gate's stems gained the insinuations (\"who owns\", \"same "
        "surnames\", \"a certain family\") and the Holocaust, Jewish-life and Israel words "
        "of the training assertions it cleared: 171 of those 263 now reach the models, and "
        "0.5% more of HateXplain's ordinary posts. The combiner keeps each counter-speech "
        "cue to its direction (`combiner.cue_directions`): fitted freely, \"debunking\" "
        "cues had come to raise the score (weight +0.68 in model 2026.12.2); with the new "
        "transformer and the old gate, ISCA dev F1 (out of fold) 0.659 with the constraint "
        "and 0.647 without. Dev chose a lower threshold (0.28 against 0.51): more is found "
        "and precision falls (ISCA test 0.57 against 0.73). At that threshold a transformer "
        "gate losing at most 1% of dev's flags skipped only 630 of its 1,914 relevant posts "
        "(920 of 1,892 before) and scans ran 0.62-0.73 as fast; it may now lose 3% "
        "(`triage.MAX_LOST_SHARE`), skips 857, and dev F1 is 0.655 against 0.659.",
        "",
        "Seeds (`tropewatch train --transformer retrain --seed S`, 2026-12-07): this model is "
        "seed 13, the recipe's own, shipped because its ISCA dev F1 (out of fold) was not "
        "more than 0.01 below model 2026.12.2's, a rule set before it was trained. "
        "Seeds 13, 7 and 29, each refitted with the code of this model as this one was: "
        "thresholds 0.28, 0.43 and 0.47; ISCA dev F1 (out of fold) 0.655, 0.631 and 0.621; "
        "test F1 0.571, 0.612 and 0.589 (mean 0.591); written dev assertions found 72%, 69% "
        "and 64%, refutations flagged 12%, 11% and 7%; trope assertion probes 85.0%, 77.5% "
        "and 73.8%, counter-narrative probes 27.5%, 20.0% and 17.5%, Israeli policy probes "
        "5.0%, 3.3% and 1.7%. Seed 13's transformer chose the lowest threshold: it finds the "
        "most and is wrong the most often.",
        "",
        "Choices kept from earlier models, made on dev (out of fold): HateXplain's posts "
        "aimed at Jews count fully (weight 1.0 instead of 0.3: Jewish-target recall 86.9% "
        "to 88.1% in model 2026.11.5's n-gram model and combiner, ISCA F1 unchanged). The "
        "transformer's epochs: out-of-fold F1 0.607 with 2, 0.616 with 3 and 0.621 with 4, "
        "but dev tweets from 2022-2023 did best with 2 and worst with 4, so 3. Its 7-bit "
        "weights: with full-range weights, a CPU without VNNI scored the dev split "
        "differently by up to 0.21 in probability, changing 11 of 1,441 decisions at 0.5; "
        "with 7-bit weights the integer products matched bit for bit.",
        "",
        "Trope × stance, not in this model (2026-12-05, measured against model 2026.11.6): "
        "`tropewatch train --claims` builds a candidate that adds a stance model fitted on "
        "the written training posts to the claim bank. It found 37% of the written dev "
        "assertions (2026.11.6: 21%) and 43.8% of the trope assertion probes (28.7%), but "
        "ISCA test F1 fell to 0.578 from 0.589 and the all-relevant scan took about three "
        "times the CPU time (88 against 259 ISCA test tweets per CPU-second), so it was not "
        "shipped.",
        "",
    ],
}


def _written_training(written: Mapping | None) -> list[str]:
    if not written:
        return []
    return [f"- Posts written for tropewatch (`{written['folder']}/`, its README says by whom "
            f"and under which brief): {written['posts']:,} posts in minimal sets, trope "
            "assertions beside posts with mostly the same words that refute, report or quote "
            "them, in the "
            f"training of the {' and the '.join(written['stages'])}, weighted "
            f"{written['weight']}."]


def _earlier_measurements(version: str) -> list[str]:
    notes = EARLIER_MEASUREMENTS.get(version)
    if not notes:
        return []
    return ["## Notes from earlier measurements", "",
            "Not in meta.json and not rebuilt by `tropewatch train`: run the command named "
            "with each to measure it again.", "", *notes]


def render(model_dir: Path | None = None) -> str:
    model_dir = Path(model_dir or DETECTOR_DIR)
    meta = read_meta(model_dir)
    metrics = meta["metrics"]
    transformer = (read_meta(model_dir.parent / meta["transformer"])
                   if meta.get("transformer") else None)
    gate, triage = meta["relevance_gate"], meta.get("transformer_gate")
    split = meta["split"]
    lines = [
        f"# Model card: tropewatch detector `{meta['version']}`",
        "",
        "Rendered by `tropewatch model-card` from "
        f"`tropewatch/detector/data/models/{model_dir.name}/meta.json`; "
        "`tropewatch train` rebuilds the model and every number below"
        + (" but the notes from earlier measurements at the end."
           if meta["version"] in EARLIER_MEASUREMENTS else "."),
        "",
        "## Intended use",
        "",
        f"{meta['intended_use']} Each verdict carries its score, the trope categories with "
        "their IHRA examples, the matched words and a separate counter-speech score (how "
        "likely the post calls antisemitism out), so a moderator can see why a post was "
        "flagged and when it only quotes a trope to condemn it.",
        "",
        "## Limitations",
        "",
        f"{meta['limitations']} The `Jews` sample is where it is weakest: most antisemitic "
        "tweets there are subtle, and the detector finds only a minority of them. Images, "
        "video and linked pages are not read.",
        "",
        "## How it is built",
        "",
        "A cascade: normalisation (repairing damaged exports, undoing evasions), the lexicon, "
        "counter-speech cues, a TF-IDF n-gram model"
        + (f", the fine-tuned transformer `{meta['transformer']}` (int8 ONNX)"
           if transformer else "")
        + ", and a logistic-regression combiner fitted on the dev split "
        f"(decision threshold {meta['threshold']}: the middle of the best F1 plateau on dev, "
        "out of fold).",
        "",
        f"- Relevance gate: posts that touch nothing about Jews, Israel or the Holocaust and "
        f"no known code are cleared before any model runs. On dev it cleared "
        f"{gate['cleared']} of {gate['dev_posts']} posts, {gate['cleared_antisemitic']} of "
        f"them antisemitic.",
    ]
    if meta.get("claim_naming"):
        lines.append(
            "- Claim naming: a post the models flag without any lexicon term is named by the "
            "claim of the taxonomy it comes closest to (`data/claims.yaml`, version "
            f"{meta['claim_naming']['bank_version']}, sentence by sentence in the sentence "
            f"encoder's space, cosine at least {meta['claim_naming']['similarity']}), with "
            "that sentence as its span; below that it is general antisemitism.")
    if triage:
        dev = triage["dev"]
        lines.append(
            f"- Transformer gate: relevant posts the cheap stages score below "
            f"{triage['skip_below']} keep that score and skip the transformer. On dev it "
            f"skipped {dev['skipped']} of {dev['relevant_posts']} relevant posts "
            f"({dev['skipped_antisemitic']} of them antisemitic) and lost {dev['flags_lost']} "
            "of the full pipeline's flags.")
    lines += [
        "",
        "## Data",
        "",
        f"- ISCA Gold Standard 2024 tweets ({meta['training_data']['isca']['licence']}): "
        f"{meta['training_data']['isca']['citation']}",
        f"- HateXplain ({meta['training_data']['hatexplain']['licence']}): "
        f"{meta['training_data']['hatexplain']['citation']}; in every stage's training, posts "
        f"aimed at Jews weighted "
        f"{meta['training_data']['hatexplain']['weight_aimed_at_jews']} and the rest "
        f"{meta['training_data']['hatexplain']['weight']} against ISCA's expert labels.",
        *_written_training(meta["training_data"].get("written")),
        f"- Split: {split['method']}. Sizes: "
        + ", ".join(f"{name} {size:,}" for name, size in split["sizes"].items()) + ".",
        "",
        "## Dev results (out of fold; the threshold was chosen here)",
        "",
        "Each F1 comes with a 95% bootstrap interval (the posts drawn again with replacement "
        f"{BOOTSTRAP_RESAMPLES:,} times): with a few hundred antisemitic posts, a difference "
        "between two models smaller than that spread may be chance.",
        "",
        *_metrics_table("ISCA dev tweets", metrics["dev_out_of_fold"], "keyword"),
        "",
        *_metrics_table("ISCA dev tweets", metrics["dev_out_of_fold_isca_by_year"], "year"),
        "",
        "Posts written for tropewatch as a dev set (`tropewatch/detector/data/written/dev.csv`): "
        "invented, in the styles of X, Facebook groups and Reddit; unlike ISCA's tweets, many "
        "trope assertions there are coded or insinuating, and most refutations restate the "
        "trope they refute.",
        "",
        *_flag_rates(metrics["dev_written"], {
            "written-assertion": "written: asserting a trope",
            "written-refutation": "written: refuting a trope",
            "written-supportive": "written: supportive of Jews",
            "written-israel_criticism": "written: criticism of Israel's state, free of tropes",
            "written-innocent_use": "written: words antisemites use as codes, used innocently"}),
        "",
        "## Test results (never trained or tuned on)",
        "",
        f"The ISCA test split holds {_positives(metrics['test_isca']):,} tweets labelled "
        f"antisemitic among {metrics['test_isca']['overall']['n']:,}.",
        "",
        *_metrics_table("ISCA test tweets", metrics["test_isca"], "keyword"),
        "",
        *_metrics_table("ISCA test tweets", metrics["test_isca_by_year"], "year"),
        "",
        *_flag_rates(metrics["test_hatexplain"], {
            "hatexplain-jewish": "HateXplain: hate or offence aimed at Jews",
            "hatexplain-other": "HateXplain: hate or offence aimed at other groups",
            "hatexplain-normal": "HateXplain: normal posts"}),
        "",
        "### Call-outs",
        "",
        "ISCA has no call-out label. The tweets that the counter-speech cues read as calling "
        f"antisemitism out (counter-speech score at least {COUNTER_SPEECH_LIMIT}) stand in "
        "for them here; the "
        "hand-written probes in `probes/` measure call-outs directly "
        "(`python probes/evaluate_probes.py`).",
        "",
        *_stance_rates(metrics["test_isca_by_stance"], "test"),
        *_stance_rates(metrics.get("dev_out_of_fold_isca_by_stance", {"groups": {}}),
                       "dev (out of fold)"),
        *_temporal_section(model_dir, meta["version"]),
        "## Calibration",
        "",
        "Among tweets with a given score, the share that ISCA's experts labelled "
        "antisemitic; first on dev (out-of-fold scores), then on test:",
        "",
        *_reliability_table(metrics["dev_out_of_fold"], "dev"),
        "",
        *_reliability_table(metrics["test_isca"], "test"),
        "",
    ]
    if transformer:
        lines += [
            "## The transformer stage",
            "",
            f"`{transformer['name']}-{transformer['version']}`: {transformer['architecture']}. "
            f"Input: {transformer['preprocessing']}. "
            f"Base model {transformer['base_model']['name']} "
            f"({transformer['base_model']['licence']}), fine-tuned "
            f"{transformer['training']['epochs']} epochs (seed {transformer['training']['seed']}); "
            f"{transformer['onnx']['quantisation']}. Alone, at 0.5, on ISCA dev: F1 "
            f"{transformer['metrics']['dev_int8']['at_0.5']['f1']:.3f}.",
            "",
        ]
    lines += _earlier_measurements(meta["version"])
    return "\n".join(lines)
