"""A deterministic corpus of N raw stories for benchmarks.

Half are in the seed's scraped news-page layout, half plain title-first text, with
lengths (8-20 paragraphs of 25-60 words, like the BBC corpus) and a density of company
and technology names like the seed's. The same N and seed give the same files.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

WORDS = [
    "the",
    "operator",
    "said",
    "network",
    "customers",
    "would",
    "pay",
    "more",
    "for",
    "faster",
    "service",
    "in",
    "the",
    "coming",
    "year",
    "while",
    "analysts",
    "expected",
    "revenue",
    "to",
    "grow",
    "as",
    "rivals",
    "cut",
    "prices",
    "and",
    "regulators",
    "reviewed",
    "the",
    "deal",
    "which",
    "could",
    "reshape",
    "the",
    "market",
    "for",
    "equipment",
    "and",
    "software",
    "across",
    "europe",
    "and",
    "asia",
    "over",
    "the",
    "next",
    "decade",
    "according",
    "to",
    "people",
    "familiar",
    "with",
    "the",
    "plans",
    "who",
    "asked",
    "not",
    "to",
    "be",
    "named",
    "because",
    "talks",
    "are",
    "private",
    "and",
    "the",
    "company",
    "declined",
    "to",
    "comment",
]
COMPANIES = [
    "NTT",
    "NEC",
    "Ericsson",
    "Nokia",
    "Samsung",
    "Huawei",
    "Vodafone",
    "Orange S.A.",
    "BT",
    "KDDI",
    "SoftBank",
    "Fujitsu",
    "Cisco",
    "Intel",
    "Qualcomm",
    "Verizon",
    "AT&T",
    "Deutsche Telekom",
    "Toyota",
]
TECHNOLOGIES = [
    "5G",
    "O-RAN",
    "small cells",
    "submarine cable",
    "fiber",
    "Wi-Fi",
    "edge computing",
    "IOWN",
    "network slicing",
    "microwave backhaul",
    "satellite broadband",
    "AI",
    "cloud computing",
]
AUTHORS = ["Robert Clark", "Iain Morris", "Ray Le Maistre", "Kelsey Ziser", "Mike Dano", "Jamie Davies"]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 20))]
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words)), rng.choice(COMPANIES))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(TECHNOLOGIES))
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


def story(number: int, rng: random.Random) -> tuple[str, str]:
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    title = (
        f"{rng.choice(COMPANIES)} and {rng.choice(COMPANIES)} plan {rng.choice(TECHNOLOGIES)} push {number}"
    )
    body = "\n\n".join(
        " ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(8, 20))
    )
    if number % 2:
        return f"{number:06}.txt", f"{title}\n\n{day:%B} {day.day}, {day.year}\n\n{body}\n"
    author = rng.choice(AUTHORS)
    text = (
        f"{title}\n\n{sentence(rng)}\n\n{author}, Senior Editor, Special to Light Reading\n\n"
        f"{day:%B} {day.day}, {day.year}\n\n{rng.randint(2, 6)} Min Read\n{title}\n\n{body}\n\n"
        f"— {author}, senior editor, special to Light Reading\n\nRead more about:\n\nAbout the Author(s)\n\n"
        f"{author}\n\nSenior Editor, Special to Light Reading\n\nSubscribe and receive the latest news.\n"
    )
    return f"{number:06}.txt", text


def write_corpus(folder: Path, count: int, seed: int = 2020) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        name, text = story(number, rng)
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("-n", "--count", type=int, default=1000)
    args = parser.parse_args()
    write_corpus(args.folder, args.count)
