"""Shared fixtures for the end-to-end tests: they run the real `inhouse` binary."""
import json
import os
import subprocess
from pathlib import Path

import pytest


def _binary() -> str:
    binary = os.environ.get("INHOUSE_BIN")
    if not binary:
        pytest.fail("INHOUSE_BIN must name the inhouse binary (make test sets it)")
    return binary


def run_inhouse(*args, home=None, check=True, timeout=300, env_extra=None):
    """Runs inhouse with args; `home` overrides INHOUSE_HOME, `env_extra` adds variables.
    Returns the CompletedProcess."""
    env = dict(os.environ, **(env_extra or {}))
    if home is not None:
        env["INHOUSE_HOME"] = str(home)
    result = subprocess.run([_binary(), *map(str, args)], capture_output=True, text=True,
                            env=env, timeout=timeout, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise AssertionError(f"inhouse {' '.join(map(str, args))} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def default_store():
    """Manifests of the default store, which `make test` fills with both real models."""
    models = json.loads(run_inhouse("list", "--json").stdout)
    by_name = {model["name"]: model for model in models}
    for name in ("smollm2", "gemma3-270m"):
        if name not in by_name:
            pytest.fail(f"model {name} is not pulled; run `make test` (it pulls both)")
    return by_name


@pytest.fixture
def empty_home(tmp_path) -> Path:
    home = tmp_path / "inhouse-home"
    home.mkdir()
    return home
