"""Draw the hand-labelling sample of GR versions for docs/gr-classification.md.

Prints, for a seeded random sample of gemeenschappelijke regelingen (one version each,
the latest), the texts a reader labels from: titel, doel, bevoegdheden and the BWB ids
of the wettelijke grondslagen. It never runs the classifier, so labels are written
before anyone sees its output. Only GR ids and labels go into the repository
(tests/data/gr_taken/labels-v2.yaml), never the texts.

    python scripts/gr_label_sample.py ../shared/data/sources/roo-polder \
        --exclude tests/data/gr_taken/labels.yaml --seed 2026 > /tmp/sample.txt

Strata (by words in the title, so that the few Wmo positives are not drowned in afval and
recreatie): A, 55 regelingen whose title has a sociaal-domein, gezondheid or cooperation
word; B, 35 of the rest; C, 30 more of those left whose title names the sociaal domein
itself (A and B together held only 3 Wmo and no Jeugdwet positives); D, 25 more of those
left whose title names jeugd, Wmo, zorg, opvang or gezondheid (A to C held no Jeugdwet
positive). Versions of a GR are grouped by the register's previous/next links.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from sdgraph.importers.report import ImportReport
from sdgraph.importers.roo import read_roo_yaml

WORDS = re.compile(
    r"sociaal|sociale|zorg|welzijn|jeugd|werk|dienst|participatie|\bisd\b|inkomen|opvang|"
    r"wonen|wmo|kracht|plein|bedrijf|samenwerk|regio|centrum|gezondheid|ggd|veilig", re.I)


NARROW = re.compile(
    r"jeugd|wmo|zorg|welzijn|sociaal|sociale|opvang|wonen|participatie|\bisd\b|inkomen|"
    r"werk(?!ing)|veilig thuis|huiselijk|maatschappelijk", re.I)

CARE = re.compile(r"jeugd|veilig thuis|huiselijk|wmo|opvang|beschermd|zorg|welzijn|ggd|gezondheid",
                  re.I)


def groups(versions):
    """Versions grouped into regelingen by previous/next links (union-find)."""
    parent = {v.roo_id: v.roo_id for v in versions if v.roo_id}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for v in versions:
        for other in (v.previous_roo_id, v.next_roo_id):
            if v.roo_id and other in parent:
                parent[find(v.roo_id)] = find(other)
    out: dict[str, list] = {}
    for v in versions:
        if v.roo_id:
            out.setdefault(find(v.roo_id), []).append(v)
    return list(out.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("roo", type=Path)
    parser.add_argument("--exclude", type=Path, action="append", default=[],
                        help="files whose 8-digit ids (GR versions) exclude their whole GR")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--a", type=int, default=55)
    parser.add_argument("--b", type=int, default=35)
    parser.add_argument("--c", type=int, default=30)
    parser.add_argument("--d", type=int, default=25)
    args = parser.parse_args()
    excluded = set()
    for path in args.exclude:
        excluded |= set(re.findall(r"\b\d{8}\b", path.read_text(encoding="utf-8")))
    versions = read_roo_yaml(args.roo, ImportReport("sample"))
    candidates = [g for g in groups(versions) if not {v.roo_id for v in g} & excluded]
    latest = [max(g, key=lambda v: (v.valid_from or "", v.roo_id)) for g in candidates]
    latest.sort(key=lambda v: v.roo_id)
    a = [v for v in latest if WORDS.search(f"{v.titel} {v.citeertitel}")]
    b = [v for v in latest if v not in a]
    rng = random.Random(args.seed)
    sample = [("A", v) for v in rng.sample(a, min(args.a, len(a)))]
    sample += [("B", v) for v in rng.sample(b, min(args.b, len(b)))]
    drawn = {v.roo_id for _, v in sample}
    c = [v for v in latest if v.roo_id not in drawn and NARROW.search(f"{v.titel} {v.citeertitel}")]
    sample += [("C", v) for v in rng.sample(c, min(args.c, len(c)))]
    drawn = {v.roo_id for _, v in sample}
    d = [v for v in latest if v.roo_id not in drawn and CARE.search(f"{v.titel} {v.citeertitel}")]
    sample += [("D", v) for v in rng.sample(d, min(args.d, len(d)))]
    for stratum, v in sorted(sample, key=lambda sv: sv[1].roo_id):
        print(f"=== {v.roo_id} [{stratum}] {v.citeertitel or v.titel}")
        print(f"doel: {v.doel or '-'}")
        for b_ in v.bevoegdheden:
            print(f"bevoegdheid: {b_}")
        bwb = sorted({m.upper() for g in v.grondslagen for m in re.findall(r"BWBR\d{7}", g, re.I)})
        print(f"grondslagen: {' '.join(bwb) or '-'}")
        print()


if __name__ == "__main__":
    main()
