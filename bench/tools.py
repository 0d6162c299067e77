#!/usr/bin/env python3
"""One baseline tool over a JSON Lines corpus with a list of names (one per line).

usage: tools.py {spacy,flashtext,pyahocorasick} NAMES CORPUS
Prints one JSON object: load and match seconds (inside the process), documents, matches.
Every tool reads and parses the JSON Lines itself, as gazette does.
"""
import json, sys, time


def docs(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line).get("text", "")


def run_spacy(names, corpus):
    import spacy
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": "ORG", "pattern": n} for n in names])
    t1 = time.perf_counter()
    n = m = 0
    for doc in nlp.pipe(docs(corpus), batch_size=64):
        n += 1
        m += len(doc.ents)
    return t1, n, m


def run_flashtext(names, corpus):
    from flashtext import KeywordProcessor
    kp = KeywordProcessor(case_sensitive=False)
    for x in names:
        kp.add_keyword(x)
    t1 = time.perf_counter()
    n = m = 0
    for text in docs(corpus):
        n += 1
        m += len(kp.extract_keywords(text))
    return t1, n, m


def run_pyahocorasick(names, corpus):
    import ahocorasick
    a = ahocorasick.Automaton()
    for x in names:
        k = x.lower()
        a.add_word(k, len(k))
    a.make_automaton()
    t1 = time.perf_counter()
    n = m = 0
    for text in docs(corpus):
        n += 1
        low = text.lower()
        size = len(low)
        for end, length in a.iter(low):
            start = end - length + 1
            # Whole words only, like the other tools.
            if (start == 0 or not low[start - 1].isalnum()) and (end + 1 == size or not low[end + 1].isalnum()):
                m += 1
    return t1, n, m


def main():
    tool, names_path, corpus = sys.argv[1:4]
    t0 = time.perf_counter()
    names = [l.rstrip("\n") for l in open(names_path, encoding="utf-8") if l.strip()]
    t1, n, m = {"spacy": run_spacy, "flashtext": run_flashtext, "pyahocorasick": run_pyahocorasick}[tool](names, corpus)
    t2 = time.perf_counter()
    print(json.dumps({"tool": tool, "names": len(names), "load_s": round(t1 - t0, 3), "match_s": round(t2 - t1, 3), "docs": n, "matches": m}))


if __name__ == "__main__":
    main()
