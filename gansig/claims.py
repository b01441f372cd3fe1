"""The claims ledger: each central claim of a paper (and each claim the suite makes beyond
it), the rows of its table that test it, and a verdict computed from the runs by one rule,
never typed by hand.

A claim's test reads one table (a seed's, or the seeds' aggregate, whose cells are the
means) and says whether the claim holds there (None: the rows it needs were not measured).
The rule, stated beside every ledger:

- **holds on every seed**: it holds on the mean and on each seed's table;
- **holds on the mean, not on every seed**: it holds on the mean, but some seed's table
  refutes it (how many hold is said);
- **refuted**: it does not hold on the mean;
- **out of reach on this hardware**: the claim needs what these runs cannot give (the
  paper's profile, a GPU-sized training; the reason is said);
- **not measured**: the rows it needs are not measured in these runs.

With one run (one seed) the first two read "holds (one seed)".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gansig.results import ResultsTable

Cell = tuple[str, str, str]  # (table, row, metric)
Test = Callable[[ResultsTable], bool | None]

RULE = ("Verdicts are computed from the runs by one rule (`gansig.claims`): *holds on every seed* where the claim "
        "holds on the seeds' mean and on each seed; *holds on the mean, not on every seed* where some seed refutes "
        "it; *refuted* where it fails on the mean; *out of reach on this hardware* where it needs the paper's "
        "GPU-sized profile; *not measured* where its rows were not measured.")


@dataclass(frozen=True)
class Claim:
    """One claim and how the tables decide it.

    Attributes:
        text: the claim, in one sentence.
        source: whose claim: ``"paper"`` or ``"gansig"`` (the suite's, beyond the paper).
        rows: the rows (and metrics) that test it, in words.
        test: ``table -> True`` (holds), ``False`` (refuted) or ``None`` (its rows not measured).
        out_of_reach: why these runs cannot test it ("" where they can).
    """

    text: str
    source: str
    rows: str
    test: Test
    out_of_reach: str = ""


def value(table: ResultsTable, cell: Cell) -> float | None:
    """A cell's measured value (None: absent or not measured)."""
    try:
        measured = table.get(*cell).measured
    except KeyError:
        return None
    return measured if measured is not None and math.isfinite(measured) else None


def below(left: Cell | float, right: Cell | float) -> Test:
    """A test: ``left < right`` (each a cell, or a number)."""
    def test(table: ResultsTable) -> bool | None:
        a, b = (v if isinstance(v, (int, float)) else value(table, v) for v in (left, right))
        return None if a is None or b is None else a < b
    return test


def above(left: Cell | float, right: Cell | float) -> Test:
    """A test: ``left > right``."""
    return below(right, left)


def at_least(left: Cell | float, right: Cell | float) -> Test:
    """A test: ``left >= right``."""
    def test(table: ResultsTable) -> bool | None:
        smaller = below(left, right)(table)
        return None if smaller is None else not smaller
    return test


def every(tests: Sequence[Test]) -> Test:
    """A test: all of ``tests`` hold (None if any cannot be decided)."""
    def test(table: ResultsTable) -> bool | None:
        found = [t(table) for t in tests]
        return None if any(f is None for f in found) else all(found)
    return test


def verdict(claim: Claim, mean: ResultsTable, seeds: Sequence[ResultsTable]) -> str:
    """The claim's verdict by the rule of this module's docstring.

    Args:
        claim: the claim.
        mean: the seeds' aggregate (or the one run's table).
        seeds: each seed's table (one table: a single run).
    """
    if claim.out_of_reach:
        return f"out of reach on this hardware ({claim.out_of_reach})"
    on_mean = claim.test(mean)
    if on_mean is None:
        return "not measured"
    holding = [claim.test(t) for t in seeds]
    held, n = sum(bool(h) for h in holding), len(holding)
    if not on_mean:
        return f"refuted ({held} of {n} seed(s) hold it)"
    if n == 1:
        return "holds (one seed)"
    return "holds on every seed" if held == n else f"holds on the mean, not on every seed ({held} of {n})"


def summary(claims: Sequence[Claim], mean: ResultsTable, seeds: Sequence[ResultsTable]) -> str:
    """The verdicts in one line (for the root README's table of papers): how many claims,
    the paper's and the suite's, fall under each verdict."""
    counts: dict[str, int] = {}
    for claim in claims:
        found = verdict(claim, mean, seeds).split(" (")[0]
        counts[found] = counts.get(found, 0) + 1
    parts = ", ".join(f"{found}: {n}" for found, n in counts.items())
    return (f"claims ({len(seeds)} seed{'s' if len(seeds) > 1 else ''}): {parts} — "
            f"[the ledger](papers/{mean.paper}/README.md#claims)")


def ledger(claims: Sequence[Claim], mean: ResultsTable, seeds: Sequence[ResultsTable]) -> str:
    """The ledger as markdown: a line per claim (source, claim, rows, verdict), the rule after."""
    which = f"seeds {', '.join(str(t.seed) for t in seeds)}" if len(seeds) > 1 else f"seed {seeds[0].seed}"
    lines = [f"From the `{mean.profile}` profile's runs ({which}; git {mean.provenance.get('git_sha')}).", "",
             "| whose | claim | tested by | verdict |", "|---|---|---|---|"]
    lines += [f"| {c.source} | {c.text} | {c.rows} | **{verdict(c, mean, seeds)}** |" for c in claims]
    return "\n".join(lines + ["", RULE]) + "\n"
