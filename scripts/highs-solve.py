#!/usr/bin/env python3
"""Solve an LP/MPS model file with HiGHS (PyPI `highspy`) and print one JSON line:
{"status": ..., "objective": ..., "bound": ..., "gap": ..., "seconds": ...}.

The planner's tests and Benchmarks/compare-highs.sh use it to check GLPK's optimum against an
independent solver. Usage: highs-solve.py MODEL.lp|MODEL.mps [--gap G] [--time-limit S]
"""
import argparse
import json
import os
import sys
import time

import highspy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model")
    parser.add_argument("--gap", type=float, default=0.0, help="relative MIP gap (default 0: prove the optimum)")
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--threads", type=int, default=0, help="0: HiGHS's default")
    args = parser.parse_args()

    # HiGHS prints a banner on standard output when created: send it to standard error so
    # standard output carries only the JSON line.
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", args.gap)
    h.setOptionValue("time_limit", args.time_limit)
    if args.threads:
        h.setOptionValue("threads", args.threads)
    status = h.readModel(args.model)
    if status == highspy.HighsStatus.kError:
        os.dup2(saved, 1)
        print(json.dumps({"status": "read_error", "model": args.model}), flush=True)
        return 2
    start = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - start
    info = h.getInfo()
    model_status = h.modelStatusToString(h.getModelStatus())
    out = {
        "status": model_status,
        "objective": info.objective_function_value,
        "bound": info.mip_dual_bound,
        "gap": info.mip_gap,
        "seconds": seconds,
        "highs": h.version() if hasattr(h, "version") else None,
    }
    sys.stdout.flush()
    os.dup2(saved, 1)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
