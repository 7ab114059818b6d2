"""eventline.extraction.model_files: a model file loads back as saved; a missing one is None
and an unreadable one an error naming the script that rebuilds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventline.errors import EventlineError
from eventline.extraction.model_files import load_payload, save_payload


def test_a_saved_payload_loads_back_and_a_missing_file_is_none(tmp_path: Path) -> None:
    path = tmp_path / "model.pkl"
    save_payload({"threshold": 0.4, "classes": ["O", "B-PI"]}, path)
    assert load_payload(path, "scripts/train_x.py") == {"threshold": 0.4, "classes": ["O", "B-PI"]}
    assert load_payload(tmp_path / "missing.pkl", "scripts/train_x.py") is None


@pytest.mark.parametrize("content", [b"", b"not a pickle at all", b"\x80\x04\x95\x05"])
def test_an_unreadable_file_names_its_training_script(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "model.pkl"
    path.write_bytes(content)
    with pytest.raises(EventlineError) as caught:
        load_payload(path, "scripts/train_x.py")
    assert caught.value.code == "E204" and "scripts/train_x.py" in str(caught.value)


def test_a_payload_that_is_not_a_dict_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "model.pkl"
    save_payload([1, 2], path)  # type: ignore[arg-type]
    with pytest.raises(EventlineError, match="E204"):
        load_payload(path, "scripts/train_x.py")
