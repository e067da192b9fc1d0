"""Shared by the pytest suite of the Python package (run by ctest as `python`, PYTHONPATH=build/python)."""
import json
import os
import subprocess

import pytest


@pytest.fixture(scope="session")
def actlab_bin():
    """The built `actlab` program (ctest sets ACTLAB_BIN), whose printed answers the Python ones must equal."""
    path = os.environ.get("ACTLAB_BIN")
    if not path or not os.path.exists(path):
        pytest.fail("ACTLAB_BIN must name the built actlab program (ctest sets it)")

    def run(*args):
        out = subprocess.run([path, *args], check=True, capture_output=True, text=True,
                             env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
        return out.stdout

    def run_json(*args):
        """The printed JSON without the record of how the CLI ran (actlab_version, command): a Python call has
        no command line, and its answers are compared, not its provenance."""
        j = json.loads(run(*args))
        if isinstance(j, dict):
            j.pop("actlab_version", None)
            j.pop("command", None)
        return j

    run.json = run_json
    return run
