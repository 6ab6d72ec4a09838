from pathlib import Path

import pytest
import yaml

from tropewatch.detector.lexicon import load_lexicon
from tropewatch.detector.policy import GENERAL_CATEGORY, UnknownPolicyError
from tropewatch.detector.taxonomy import (
    DEFAULT_TAXONOMY_PATH,
    IHRA_EXAMPLE_NUMBERS,
    TaxonomyError,
    load_taxonomy,
)

CONTESTED_ISRAEL_EXAMPLES = {7, 8, 10}
OVERVIEW_DOC = Path(__file__).parents[2] / "docs" / "taxonomy.md"


@pytest.fixture
def shipped() -> dict:
    return yaml.safe_load(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"))


def write_taxonomy(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_the_shipped_taxonomy_validates_and_is_versioned():
    taxonomy = load_taxonomy()
    assert taxonomy.version == "2026.11.1"
    assert [e.number for e in taxonomy.ihra_examples] == list(IHRA_EXAMPLE_NUMBERS)


def test_every_ihra_example_is_covered_by_a_shipped_category():
    covered = {c.ihra_example for c in load_taxonomy().categories}
    assert set(IHRA_EXAMPLE_NUMBERS) <= covered


def test_ihra_counts_every_category():
    taxonomy = load_taxonomy()
    assert taxonomy.counts_under("ihra") == set(taxonomy.ids)


def test_ihra_core_excludes_exactly_the_contested_israel_examples():
    taxonomy = load_taxonomy()
    excluded = set(taxonomy.ids) - taxonomy.counts_under("ihra-core")
    assert excluded
    assert {taxonomy.category(i).ihra_example for i in excluded} == CONTESTED_ISRAEL_EXAMPLES


def test_contested_israel_examples_are_marked_contested():
    contested = {e.number for e in load_taxonomy().ihra_examples if e.contested_2018}
    assert CONTESTED_ISRAEL_EXAMPLES <= contested


def test_jda_counts_only_categories_the_jda_treats_as_antisemitic():
    taxonomy = load_taxonomy()
    antisemitic = {c.id for c in taxonomy.categories if c.jda.treatment == "antisemitic"}
    assert taxonomy.counts_under("jda") == antisemitic


def test_every_category_id_named_in_the_contract_is_present():
    contract_ids = {
        "incitement_violence",
        "power_control",
        "rothschild_soros",
        "dehumanisation_slurs",
        "coded_language",
        "collective_blame",
        "holocaust_denial",
        "holocaust_exaggeration",
        "dual_loyalty",
        "denial_self_determination",
        "double_standards",
        "blood_libel_deicide",
        "nazi_analogy",
        "collective_responsibility_israel",
        "smear_dismissal",
        "general_antisemitism",
    }
    assert set(load_taxonomy().ids) == contract_ids


def test_every_lexicon_entry_uses_a_taxonomy_category():
    load_lexicon(categories=set(load_taxonomy().ids))  # raises naming the offending line


def test_every_specific_category_has_at_least_two_lexicon_entries():
    entries = load_lexicon().entries
    thin = {
        category_id
        for category_id in load_taxonomy().ids
        if category_id != GENERAL_CATEGORY
        and sum(entry.category == category_id for entry in entries) < 2
    }
    assert not thin


def test_category_lookup_returns_the_named_category():
    category = load_taxonomy().category("holocaust_denial")
    assert category.ihra_example == 4
    assert category.explainer


def test_category_lookup_names_the_unknown_id():
    with pytest.raises(KeyError, match="no_such_category"):
        load_taxonomy().category("no_such_category")


def test_counts_under_rejects_an_unknown_policy():
    with pytest.raises(UnknownPolicyError):
        load_taxonomy().counts_under("ihra-lite")


def test_the_default_taxonomy_is_loaded_once():
    assert load_taxonomy() is load_taxonomy()


def test_an_explicit_path_loads_that_file(tmp_path, shipped):
    shipped["version"] = "2030.1.0"
    assert load_taxonomy(write_taxonomy(tmp_path, shipped)).version == "2030.1.0"


def test_it_names_the_field_of_an_out_of_range_ihra_example(tmp_path, shipped):
    shipped["categories"][3]["ihra_example"] = 12
    path = write_taxonomy(tmp_path, shipped)
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    assert caught.value.field_path == "categories[3].ihra_example"
    assert str(path) in str(caught.value)


def test_it_rejects_an_unknown_policy_in_counts_under(tmp_path, shipped):
    shipped["categories"][0]["counts_under"] = ["ihra", "ihra-strict"]
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write_taxonomy(tmp_path, shipped))
    assert caught.value.field_path == "categories[0].counts_under[1]"


def test_it_rejects_a_misspelt_field(tmp_path, shipped):
    shipped["categories"][2]["counts_uner"] = shipped["categories"][2].pop("counts_under")
    with pytest.raises(TaxonomyError, match=r"categories\[2\]"):
        load_taxonomy(write_taxonomy(tmp_path, shipped))


def test_it_rejects_a_duplicate_category_id(tmp_path, shipped):
    shipped["categories"][5]["id"] = shipped["categories"][1]["id"]
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write_taxonomy(tmp_path, shipped))
    assert caught.value.field_path == "categories[5].id"
    assert "categories[1]" in str(caught.value)


def test_it_rejects_a_missing_ihra_example(tmp_path, shipped):
    shipped["ihra_examples"] = [e for e in shipped["ihra_examples"] if e["number"] != 5]
    with pytest.raises(TaxonomyError, match=r"missing IHRA examples \[5\]"):
        load_taxonomy(write_taxonomy(tmp_path, shipped))


def test_it_rejects_an_ihra_example_no_category_covers(tmp_path, shipped):
    for category in shipped["categories"]:
        if category["ihra_example"] == 6:
            category["ihra_example"] = None
    with pytest.raises(TaxonomyError, match=r"no category covers IHRA examples \[6\]"):
        load_taxonomy(write_taxonomy(tmp_path, shipped))


def test_it_reports_the_line_of_broken_yaml(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    path.write_text("version: 2026.11.1\ncategories: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"taxonomy\.yaml: line \d+: invalid YAML"):
        load_taxonomy(path)


def test_it_names_a_missing_file(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(TaxonomyError, match="absent.yaml"):
        load_taxonomy(path)


def test_the_overview_doc_table_matches_the_taxonomy():
    rows = {}
    for line in OVERVIEW_DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells
    taxonomy = load_taxonomy()
    assert set(rows) == set(taxonomy.ids)
    for category in taxonomy.categories:
        _, name, example, _, counts = rows[category.id]
        assert name == category.name
        assert example == (str(category.ihra_example) if category.ihra_example else "none")
        assert set(counts.split(", ")) == category.counts_under
