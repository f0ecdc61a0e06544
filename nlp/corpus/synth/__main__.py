"""``python -m nlp.corpus.synth corpus/synth/train.jsonl``: the distribution of a corpus."""

import json
import sys

from nlp.corpus import load_records
from nlp.corpus.synth.files import distribution

for path in sys.argv[1:]:
    print(path)
    for key, counts in distribution(load_records(path)).items():
        print(f"  {key}: " + json.dumps(counts, ensure_ascii=False))
