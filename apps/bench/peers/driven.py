"""The driven mode of the bench's training peers: the bench alternates its epochs with the peer's, so both sides of a
time ratio are measured under the same machine load.

`drive(run_epoch, epochs, report)` prints {"ready": true}, then runs one epoch per "epoch" line read from stdin (at
most `epochs`) and prints `report()` (a dict) after each. It returns at the end of stdin; the peer then prints its
summary line as in a plain run. Any other line, or one epoch too many, ends the peer with an error naming it.
"""
import json
import sys


def drive(run_epoch, epochs, report):
    print(json.dumps({"ready": True}), flush=True)
    done = 0
    for line in sys.stdin:
        if line.strip() != "epoch" or done >= epochs:
            raise SystemExit(f"unexpected command {line.strip()!r} after {done} of {epochs} epochs")
        run_epoch()
        done += 1
        print(json.dumps(report()), flush=True)
