"""The hand-written evaluation probes (probes/probes.csv) and the script that reports on them.

The probes are for reporting only, so these tests check the file and the arithmetic,
never the detector's results on them.
"""

import csv
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

PROBES_DIR = Path(__file__).resolve().parents[2] / "probes"


def _load_script():
    # probes/ is a folder of data and a script, not a package: load the script by path.
    spec = importlib.util.spec_from_file_location("evaluate_probes",
                                                  PROBES_DIR / "evaluate_probes.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it is executing
    spec.loader.exec_module(module)
    return module


probes_script = _load_script()
Probe = probes_script.Probe


def _shipped_rows() -> list[dict[str, str]]:
    with (PROBES_DIR / "probes.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_shipped_probe_file_has_the_documented_columns():
    with (PROBES_DIR / "probes.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == ["id", "kind", "label", "text"]


def test_shipped_probe_ids_are_unique():
    counts = Counter(row["id"] for row in _shipped_rows())
    assert [probe_id for probe_id, n in counts.items() if n > 1] == []


def test_shipped_probes_use_known_kinds_with_the_label_each_kind_implies():
    wrong = [row["id"] for row in _shipped_rows()
             if row["kind"] not in probes_script.KIND_LABELS
             or row["label"] != str(probes_script.KIND_LABELS[row["kind"]])]
    assert wrong == []


def test_every_kind_has_enough_probes_to_report_a_rate():
    counts = Counter(row["kind"] for row in _shipped_rows())
    assert {kind: counts[kind] for kind in probes_script.KIND_LABELS if counts[kind] < 20} == {}


def test_shipped_probes_have_no_duplicate_texts():
    def canonical(text: str) -> str:
        return re.sub(r"\W+", " ", text.casefold()).strip()

    counts = Counter(canonical(row["text"]) for row in _shipped_rows())
    assert [text for text, n in counts.items() if n > 1 or not text] == []


def test_loader_accepts_the_shipped_file():
    probes = probes_script.load_probes()
    assert len(probes) == len(_shipped_rows())
    assert {probe.label for probe in probes if probe.kind == "antisemitic"} == {1}


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "probes.csv"
    path.write_text("\n".join(("id,kind,label,text", *rows)) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("rows", "problem"), [
    (("a,news,0,one", "a,news,0,two"), "line 3: duplicate id 'a'"),
    (("a,gossip,0,one",), "line 2: unknown kind 'gossip'"),
    (("a,callout,1,one",), "line 2: label '1' contradicts kind 'callout'"),
    (("a,antisemitic,0,one",), "line 2: label '0' contradicts kind 'antisemitic'"),
    (("a,news,0,",), "line 2: text is empty"),
    (("a,news,0",), "line 2: expected 4 fields, got 3"),
])
def test_loader_rejects_a_defect_naming_file_and_line(tmp_path, rows, problem):
    path = _write(tmp_path, *rows)
    with pytest.raises(probes_script.ProbeFileError, match=re.escape(f"{path}, {problem}")):
        probes_script.load_probes(path)


def test_loader_rejects_a_wrong_header(tmp_path):
    path = tmp_path / "probes.csv"
    path.write_text("id,label,text\na,0,hello\n", encoding="utf-8")
    with pytest.raises(probes_script.ProbeFileError, match="line 1: header"):
        probes_script.load_probes(path)


def test_flag_rates_count_per_kind_in_table_order():
    probes = [Probe("1", "antisemitic", 1, "x"), Probe("2", "callout", 0, "y"),
              Probe("3", "callout", 0, "z"), Probe("4", "antisemitic", 1, "w")]
    rates = probes_script.flag_rates(probes, [True, True, False, False])
    assert list(rates) == ["callout", "antisemitic"]
    assert (rates["callout"].n, rates["callout"].flagged) == (2, 1)
    assert rates["antisemitic"].share == 0.5


def test_flag_rates_refuse_mismatched_verdicts():
    with pytest.raises(ValueError, match="1 probes but 2 verdicts"):
        probes_script.flag_rates([Probe("1", "news", 0, "x")], [True, False])


def test_table_labels_antisemitic_share_as_recall_and_shows_each_policy():
    probes = [Probe("1", "news", 0, "x"), Probe("2", "antisemitic", 1, "y")]
    table = probes_script.format_table({
        "ihra": probes_script.flag_rates(probes, [False, True]),
        "jda": probes_script.flag_rates(probes, [True, False]),
    })
    header, _, news, antisemitic = table.splitlines()
    assert header.split() == ["kind", "n", "measure", "ihra", "jda"]
    assert news.split() == ["news", "1", "flagged", "0.0%", "100.0%"]
    assert antisemitic.split() == ["antisemitic", "1", "recall", "100.0%", "0.0%"]


def test_misjudged_lists_false_positives_and_misses():
    probes = [Probe("fp", "callout", 0, "x"), Probe("ok", "news", 0, "y"),
              Probe("miss", "antisemitic", 1, "z")]
    wrong = probes_script.misjudged(probes, [True, False, False])
    assert [probe.id for probe in wrong] == ["fp", "miss"]
