"""Tests of consortia.datafiles: the one loader every data file goes through."""

from __future__ import annotations

import pytest

from consortia.datafiles import MAX_DATA_FILE_BYTES, DataFileError, load_yaml_model, read_yaml
from consortia.sources import SourcedText


def test_loads_a_valid_file(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("text: Hello\nsource: SELA 2014 §5\n", encoding="utf-8")
    assert load_yaml_model(path, SourcedText).source == "SELA 2014 §5"


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError, match="cannot be read"):
        read_yaml(tmp_path / "absent.yaml")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("text: Monci\xf3n\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_yaml(path)


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"#" * (MAX_DATA_FILE_BYTES + 1))
    with pytest.raises(DataFileError, match="must stay under"):
        read_yaml(path)


def test_python_objects_are_not_constructed(tmp_path):
    """safe_load only: a YAML tag that would run code is an error, not an execution."""
    path = tmp_path / "evil.yaml"
    path.write_text("text: !!python/object/apply:os.system ['echo hi']\nsource: x\n")
    with pytest.raises(DataFileError, match="not valid YAML"):
        read_yaml(path)


def test_error_message_says_how_to_fix(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("text: Hello\nsource: SELA 2014 §77\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_yaml_model(path, SourcedText)
    assert info.value.field == "source"
    assert "§1 to §53" in str(info.value)
