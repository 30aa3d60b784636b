#!/usr/bin/env python3
"""Writes cors-core/src/origin/public_suffix_parents.txt from the Public Suffix List.

Usage: python3 cors-core/tools/public_suffix_parents.py PATH/TO/rules.txt > cors-core/src/origin/public_suffix_parents.txt

Use the `data/rules.txt` shipped in the `psl` crate version that Cargo.lock pins
(~/.cargo/registry/src/*/psl-<version>/data/rules.txt), so the table and the
`psl` lookups agree; `cargo test -p corsair-core --lib public_suffix` checks that.

Each output line is `parent example`: `parent` is not itself a public suffix
(nor a wildcard rule's base, which the `psl` crate already answers for), but
the list has a suffix strictly beneath it; `example` is one such suffix
(explicit rules before wildcard ones, then fewest labels, then alphabetical;
a wildcard rule is written `*.base`). Lines are sorted by `parent`, bytewise,
for binary search. Names are ASCII (Unicode labels as punycode).
"""
import sys


def ascii_name(name):
    return ".".join(l if l.isascii() else "xn--" + l.encode("punycode").decode() for l in name.split("."))


rules, wild, exceptions = set(), set(), set()
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("//"):
        continue
    rule = line.split()[0]
    if rule.startswith("!"):
        exceptions.add(ascii_name(rule[1:]))
    elif rule.startswith("*."):
        wild.add(ascii_name(rule[2:]))
    else:
        rules.add(ascii_name(rule))


def is_suffix(name):
    if name in exceptions:
        return False
    if name in rules:
        return True
    parts = name.split(".", 1)
    return len(parts) == 2 and parts[1] in wild


def rank(example):
    return (example.startswith("*."), example.count("."), example)


beneath = {}
for example, base in [(r, r) for r in rules] + [("*." + w, w) for w in wild]:
    labels = base.split(".")
    # Every proper ancestor of an explicit rule; a wildcard rule's base and its ancestors.
    start = 1 if example == base else 0
    for i in range(start, len(labels)):
        parent = ".".join(labels[i:])
        if parent == example:
            continue
        if parent not in beneath or rank(example) < rank(beneath[parent]):
            beneath[parent] = example

for parent in sorted(p for p in beneath if not is_suffix(p) and p not in wild):
    print(parent, beneath[parent])
