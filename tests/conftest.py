import atexit
import os
import shutil
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
# Hermetic data: the tests build what they need (small corpora, decode caches) in a folder of
# their own, never in the user's ~/.cache/gansig.
_DATA = tempfile.mkdtemp(prefix="gansig-tests-")
os.environ["GANSIG_DATA_DIR"] = _DATA
atexit.register(shutil.rmtree, _DATA, True)

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(scope="session")
def zoo(tmp_path_factory):
    """A folder of hostile inputs (and a few good ones, and small models), made once a
    session (tests/cli_cases.py); a test that adds to it removes what it added."""
    from cli_cases import make_zoo

    return make_zoo(tmp_path_factory.mktemp("zoo"))


@pytest.fixture(scope="session")
def speech_corpus():
    """A small speech-default (3 files a source) in the tests' data folder."""
    from gansig.data.corpora import registry

    return registry.build("speech-default", max_per_source=3)


@pytest.fixture(scope="session")
def smoke(tmp_path_factory):
    """Each paper's smoke reproduction at seed 0, run once a session: ``smoke(name)`` ->
    ``(results folder, table)``."""
    from gansig.papers import load

    done = {}

    def get(name: str):
        if name not in done:
            from gansig.data.corpora import registry
            from gansig.registry import PAPERS

            for corpus in PAPERS[name].corpora:
                registry.build(corpus, max_per_source=3)
            out = tmp_path_factory.mktemp(f"smoke-{name}")
            done[name] = out, load(name).reproduce("smoke", out_dir=out, seed=0, verbose=0)
        return done[name]

    return get


# ---- tests that need the Debian packages of `make system-deps` -----------------------------
# Marked `system_deps`; skipped (with one summary line saying how to enable them) where the
# packages are missing. `make test` installs them itself where it can (root or sudo).

def _missing_debian_packages() -> list[str]:
    import re
    import subprocess
    from pathlib import Path

    script = (Path(__file__).resolve().parents[1] / "scripts" / "system-deps.sh").read_text()
    listed = re.search(r"PACKAGES=\((.*?)\n\)", script, re.S).group(1)
    packages = [w for line in listed.splitlines() for w in line.split("#")[0].split()]
    try:
        status = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Status}\\n", *packages],
                                capture_output=True, text=True, timeout=60).stdout
    except OSError:  # not a Debian system
        return packages
    installed = {line.split()[0] for line in status.splitlines() if line.endswith("install ok installed")}
    return [p for p in packages if p not in installed]


MISSING = _missing_debian_packages()
SYSTEM_DEPS_REASON = "needs the Debian packages of `make system-deps`"


def pytest_collection_modifyitems(config, items):
    if MISSING:
        skip = pytest.mark.skip(reason=f"{SYSTEM_DEPS_REASON} (missing: {', '.join(MISSING[:4])}, ...)")
        for item in items:
            if "system_deps" in item.keywords:
                item.add_marker(skip)


# ---- the report's browser test: Debian's chromium and chromium-driver, and Selenium -------------
BROWSER_REASON = "needs a headless browser: Debian's chromium and chromium-driver, and Selenium"


def browser_missing() -> list[str]:
    """What the browser test lacks (empty when it can run)."""
    import importlib.util
    import shutil

    missing = [p for p, exe in (("chromium", "chromium"), ("chromium-driver", "chromedriver")) if not shutil.which(exe)]
    return missing + ([] if importlib.util.find_spec("selenium") else ["selenium (pip)"])


def pytest_terminal_summary(terminalreporter):
    skipped = [str(r.longrepr) for r in terminalreporter.stats.get("skipped", [])]
    deps = [r for r in skipped if SYSTEM_DEPS_REASON in r]
    if deps:
        terminalreporter.write_line(f"{len(deps)} test(s) skipped: they need the Debian packages that "
                                    "`make system-deps` installs (as root); run it, then `make test` again.",
                                    yellow=True, bold=True)
    browser = [r for r in skipped if BROWSER_REASON in r]
    if browser:
        terminalreporter.write_line(f"{len(browser)} test(s) skipped: the report's browser test needs Debian's "
                                    "chromium and chromium-driver; `sudo bash scripts/system-deps.sh --with-browser` "
                                    "installs them (make test does as root), then `make test` again.",
                                    yellow=True, bold=True)
