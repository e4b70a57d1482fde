#!/usr/bin/env python3
"""Draw the held-out share of one corpus round, by source group, before any rule sees the round.

Usage: python3 split-round.py <first-id> <last-id>   (rewrites `split` of those rows in replies.jsonl)

The round's groups, sorted by name, are shuffled with random.Random(20261206); each group is taken into `heldout`
while the held-out total stays within 30 % of the round's rows (+5); the other groups are `dev`. Rows of other
rounds are left as they are.
"""
import json
import random
import sys
from pathlib import Path

SEED = 20261206
corpus = Path(__file__).with_name('replies.jsonl')
first, last = int(sys.argv[1]), int(sys.argv[2])
rows = [json.loads(line) for line in corpus.read_text(encoding='utf-8').splitlines() if line.strip()]
round_rows = [row for row in rows if first <= row['id'] <= last]
sizes = {}
for row in round_rows:
    sizes[row['group']] = sizes.get(row['group'], 0) + 1
groups = sorted(sizes)
random.Random(SEED).shuffle(groups)
budget = 0.3 * len(round_rows) + 5
held, heldout = 0, set()
for group in groups:
    if held + sizes[group] <= budget:
        heldout.add(group)
        held += sizes[group]
for row in round_rows:
    row['split'] = 'heldout' if row['group'] in heldout else 'dev'
corpus.write_text(''.join(json.dumps(row, ensure_ascii=False) + '\n' for row in rows), encoding='utf-8')
print(f'rows {first}-{last}: {len(round_rows)}, held out {held} in {len(heldout)} groups: {sorted(heldout)}')
