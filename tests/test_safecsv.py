"""tropewatch.safecsv: cells a spreadsheet would run are escaped, and read back unchanged."""

from __future__ import annotations

import csv
import io

import pytest

from tropewatch.safecsv import SafeWriter, escape_cell, unescape_cell


def test_cells_that_a_spreadsheet_would_run_are_neutralised():
    assert escape_cell("=1+1") == "'=1+1"
    assert escape_cell("@SUM(A1)") == "'@SUM(A1)"
    assert escape_cell("-2") == "'-2"
    assert escape_cell("+1") == "'+1"
    assert escape_cell("\t=1") == "'\t=1"
    assert escape_cell("\r=1") == "'\r=1"
    assert escape_cell("plain note") == "plain note"
    assert escape_cell("'quoted") == "'quoted"
    assert escape_cell(12) == "12"
    assert escape_cell(None) == ""


@pytest.mark.parametrize("text", [
    "=1+1", "'=1+1", "''=1+1", "'quoted", "'", "", "plain", "-", "@user hi", "a=b",
])
def test_unescaping_gives_back_what_was_escaped(text):
    assert unescape_cell(escape_cell(text)) == text


def test_the_writer_escapes_every_cell():
    out = io.StringIO()

    SafeWriter(out).writerow(["=cmd|' /C calc'!A0", 1, "fine", None])

    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=cmd|' /C calc'!A0", "1", "fine", ""]
