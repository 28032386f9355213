#!/usr/bin/env python3
"""Builds the 10x throughput corpus from news_en_combined (issue: performance).

Each article appears ten times: copy 0 verbatim, copies 1-9 with a new id and their paragraphs
shuffled by a seeded generator, so the copies are near duplicates (the dedup index sees real
work) but never exact ones. The output is written outside the repository: the texts may not be
redistributed.

    python3 benches/make_10x.py ../shared/corpora/news_en_combined/news_en_combined.jsonl.gz \
        /tmp/news_en_10x.jsonl.gz
"""

import gzip
import json
import random
import sys

COPIES = 10


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    with gzip.open(source, "rt", encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    rng = random.Random(20261124)
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=3) as out:
        for copy in range(COPIES):
            for article in articles:
                record = dict(article)
                record["id"] = f"{article['id']}#{copy}"
                text = article.get("text") or ""
                if copy > 0:
                    paragraphs = [p for p in text.split("\n") if p.strip()]
                    if len(paragraphs) > 1:
                        rng.shuffle(paragraphs)
                        text = "\n".join(paragraphs)
                    else:
                        words = text.split(" ")
                        keep = max(1, int(len(words) * rng.uniform(0.8, 1.0)))
                        text = " ".join(words[:keep])
                record["text"] = text
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{COPIES * len(articles)} articles written to {target}")


if __name__ == "__main__":
    main()
