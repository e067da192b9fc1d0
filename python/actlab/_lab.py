"""actlab.lab: the laboratory of `actlab lab` (docs/lab.md) from Python."""
from . import _actlab


def lab(data, out, progress=None, **plan):
    """Runs the five stages (theory, screen, search, confirm, explain) on `data`, keeping its runs and study in
    `out` and resuming from `out` when it holds an earlier run of the same plan. (results.json, report.md and
    report.html are written by the CLI's `actlab lab`, not yet here: the writer lives in src/cli/lab.cpp.)
    Keywords are LabPlan's fields, the CLI's flags with '_' for '-': depth, width, candidates, epochs, lr,
    test, val, screen_seeds, screen_epochs, trials, budget_minutes, seeds, explain_points, max_regions,
    storage, seed, threads, target, keep_unstable, default_init. progress(stage, name, done, total, note) is
    called as runs finish. Returns results.json's value as a dict, with "winner" and "summary_text" added."""
    kw = dict(plan, data=str(data), out=str(out))
    if progress is not None:
        kw["progress"] = progress
    return _actlab.lab(**kw)
