#!/usr/bin/env bash
# The main job on a fresh machine: set up, validate the corpus, train the default
# model on it (CPU), and extract events from the example article.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
conflict-ie validate annotations/corpus
conflict-ie stats annotations/corpus
conflict-ie train configs/default.yaml --set output.overwrite=true
conflict-ie extract examples/armenia_azerbaijan_2022.txt --model runs/default/best --published 2022-09-14 \
  --format json --output runs/default/example_events.json
python - <<'PY'
import json
doc = json.load(open("runs/default/example_events.json"))
print(f"\n{len(doc['events'])} event records from examples/armenia_azerbaijan_2022.txt "
      f"(full JSON in runs/default/example_events.json):")
for ev in doc["events"]:
    who = ", ".join(a["text"] for a in ev["actors"]) or "-"
    where = ", ".join(l["text"] for l in ev["locations"]) or "-"
    when = (ev["date"] or {}).get("iso") or "-"
    tolls = "; ".join(f"{c['count']['text'] if c['count'] else '?'} ({', '.join(s['text'] for s in c['sources']) or 'unattributed'})"
                      for c in ev["fatalities"])
    hist = " [historical]" if ev["historical"] else ""
    print(f"- {ev['event_type']:<26} {ev['triggers'][0]['text']!r:<18} actors: {who}; where: {where}; when: {when}"
          f"{'; killed: ' + tolls if tolls else ''}{hist}")
PY
