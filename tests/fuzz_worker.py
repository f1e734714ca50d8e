"""Runs impactkit commands for the fuzz test (tests/test_fuzz.py), so that a command that kills
its process (a signal) or hangs is reported instead of taking the test run with it.

Usage: python -m tests.fuzz_worker JOBS.jsonl — one job a line: {"id", "args", "cwd", "timeout"}.
Jobs run one after another in this process. Prints {"start": id} as a job starts, then one JSON
line with its outcome: exit code, output and the traceback of any exception that escaped the
command. Should this process be killed (a signal, or SIGALRM when a job ran out of time), the
last "start" names the culprit and tests/other_user.py runs the rest in a new worker.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback

MEMORY_LIMIT = 4 * 1024**3  # a reader that asks for 33 GB fails here at once instead of swapping


def _run(runner, command, job: dict) -> dict:
    os.chdir(job["cwd"])
    env = {"LC_ALL": "C.UTF-8", "COLUMNS": "200", "IMPACTKIT_LANG": None, "IMPACTKIT_DEBUG": None}
    result = runner.invoke(command, job["args"], env=env)
    escaped = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        escaped = "".join(traceback.format_exception(result.exception))
    return {"exit": result.exit_code, "output": result.output[-4000:], "exception": escaped}


def main(jobs_file: str) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass
    import typer.main
    import typer.testing

    from impactkit.cli.app import app

    command = typer.main.get_command(app)
    typer.testing._get_command = lambda _app: command  # built once, not for every one of hundreds of runs
    runner = typer.testing.CliRunner()
    with open(jobs_file, encoding="utf-8") as fh:
        jobs = [json.loads(line) for line in fh if line.strip()]
    for job in jobs:
        print(json.dumps({"start": job["id"]}), flush=True)
        signal.setitimer(signal.ITIMER_REAL, job["timeout"])  # SIGALRM ends this process: the test notes the hang
        outcome = _run(runner, command, job)
        signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps({"id": job["id"], **outcome}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
