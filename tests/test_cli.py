import argparse
import subprocess
import sys

import pytest

from gansig.cli import count, parse_overrides
from gansig.errors import ConfigError
from gansig.papers.mimo5g.config import PAPER, PROFILES
from gansig.profiles import select


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, timeout=300)


def test_list_names_every_paper():
    out = run_cli("gansig", "list")
    assert out.returncode == 0
    assert "mimo5g" in out.stdout and "Table II" in out.stdout


def test_unknown_override_is_a_clean_error():
    out = run_cli("gansig", "reproduce", "mimo5g", "--profile", "smoke", "--set", "epoch=3", "--out", "/nonexistent/x")
    assert out.returncode == 2
    assert "unknown config field 'epoch'" in out.stderr
    assert "Traceback" not in out.stderr


def test_unknown_paper_is_rejected_by_argparse():
    out = run_cli("gansig", "reproduce", "nosuchpaper")
    assert out.returncode == 2 and "invalid choice" in out.stderr


@pytest.mark.parametrize("paper", ["bpgan", "mimo5g", "sinedenoise"])
def test_paper_commands_start_without_tensorflow_start_up_noise(paper):
    out = run_cli(f"gansig.papers.{paper}", "--help")
    assert out.returncode == 0 and "usage:" in out.stdout
    assert "InitializeLog" not in out.stderr and "oneDNN" not in out.stderr, out.stderr


def test_parse_overrides_types_values():
    got = parse_overrides(["epochs=3", "content_loss=mse", "test_steps=[5, 10]", "early_stopping_patience=None"],
                          PAPER)
    assert got == {"epochs": 3, "content_loss": "mse", "test_steps": (5, 10), "early_stopping_patience": None}
    with pytest.raises(ConfigError, match="FIELD=VALUE"):
        parse_overrides(["epochs"], PAPER)


def test_profiles_derive_from_paper_and_select_validates():
    assert PROFILES["quick"].n_fft == PAPER.n_fft and PROFILES["quick"].epochs < PAPER.epochs
    assert select(PROFILES, "smoke", epochs=2).epochs == 2
    with pytest.raises(ConfigError, match="unknown profile"):
        select(PROFILES, "fast")
    with pytest.raises(ConfigError, match="unknown config field"):
        select(PROFILES, "quick", nope=1)


def test_a_count_takes_decimal_integers_within_its_bounds_and_nothing_else():
    parse = count(1, 1000)
    assert parse("50") == 50 and parse("1000") == 1000 and parse(" 7 ") == 7
    for bad in ("0", "-3", "ten", "2.5", "1001", "0x10", "1_000", "1e3", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            parse(bad)
