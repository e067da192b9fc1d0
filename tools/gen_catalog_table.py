#!/usr/bin/env python3
"""Rewrites the catalog table in docs/catalog.md from `actlab act list --json`.

    python3 tools/gen_catalog_table.py build/actlab docs/catalog.md

The table sits between the lines '<!-- BEGIN CATALOG -->' and '<!-- END CATALOG -->'.
"""
import json
import subprocess
import sys


def table(binary):
    data = json.loads(subprocess.run([binary, "act", "list", "--json"], check=True,
                                     capture_output=True, text=True).stdout)
    rows = ["| name | formula | parameters | range | flags |", "|---|---|---|---|---|"]
    for a in data["activations"]:
        params = ", ".join(f"{k}={v:g}" + ("*" if k in a["learnable"] else "") for k, v in a["params"].items())
        flags = [f for f, on in (("menu", a["menu"]), ("row-wise", a["row_wise"]),
                                 ("stochastic", a["stochastic"] is not None), ("monotone", a["monotone"])) if on]
        name = a["name"] + (" (" + ", ".join(a["aliases"]) + ")" if a["aliases"] else "")
        formula = a["formula"].replace("|", "\\|")
        rows.append(f"| {name} | `{formula}` | {params or '-'} | [{a['range'][0]}, {a['range'][1]}] | "
                    f"{', '.join(flags) or '-'} |")
    rows.append(f"\n{data['count']} activations; * marks a learnable parameter.")
    return "\n".join(rows)


def main():
    binary, doc = sys.argv[1], sys.argv[2]
    text = open(doc).read()
    begin, end = "<!-- BEGIN CATALOG -->", "<!-- END CATALOG -->"
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    open(doc, "w").write(head + begin + "\n" + table(binary) + "\n" + end + tail)


if __name__ == "__main__":
    main()
