"""The loop every script here shares: read CASES.json, sign each case, print one JSON line
per case ({"id", "url"} or {"id", "error"}; the Rust test fails on an error)."""
import json
import sys


def run(sign, key="cases"):
    """Signs every case of sys.argv[1] with sign(case) (cases under `key` when the file is an
    object, else the file is the list) and prints the results."""
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    cases = data[key] if isinstance(data, dict) else data
    for case in cases:
        try:
            out = {"id": case["id"], "url": sign(case)}
        except Exception as e:  # reported per case; the Rust test fails on it
            out = {"id": case["id"], "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out, ensure_ascii=False))
    return data
