"""A deterministic corpus of N raw stories for benchmarks.

Half are in the seed's scraped news-page layout, half plain title-first text. Lengths are
like the BBC corpus's (6-14 paragraphs of one to three sentences, about 350 words), and
each story is about one to three companies and one or two technologies, named a few times,
with now and then a passing mention of another company: about what the seed and the BBC
stories carry (2 to 4 tagged companies each). Companies and technologies are drawn with
a long tail (weights 1/rank). The same N and seed give the same files.
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
# Companies in order of how often stories name them (weights fall as 1/rank, a long tail
# like a real archive's); technologies likewise.
COMPANIES = """NTT, Ericsson, Nokia, Huawei, Vodafone, Samsung, NEC, BT, Deutsche Telekom, KDDI,
SoftBank, Cisco, Intel, Qualcomm, Verizon, AT&T, Fujitsu, Telefonica, NTT Docomo, Toyota,
ZTE, China Mobile, SK Telecom, KT, LG Uplus, Rakuten Mobile, Telstra, Singtel, Reliance Jio,
Bharti Airtel, T-Mobile US, Comcast, Charter Communications, Liberty Global, Telia, Telenor,
Swisscom, Proximus, KPN, Iliad, Ciena, Juniper Networks, Arista Networks, Infinera, Mavenir,
Parallel Wireless, Samsung Networks, Broadcom, MediaTek, Marvell, AMD, Nvidia, Microsoft,
Google, Amazon Web Services, Oracle, VMware, Red Hat, IBM, Dell Technologies"""
COMPANIES = [name.strip() for name in COMPANIES.replace("\n", " ").split(",")]
TECHNOLOGIES = """5G, O-RAN, small cells, submarine cable, fiber, Wi-Fi, edge computing, IOWN,
network slicing, microwave backhaul, satellite broadband, AI, cloud computing, vRAN, 6G,
private networks, IoT, SD-WAN, data centers, FTTH"""
TECHNOLOGIES = [name.strip() for name in TECHNOLOGIES.replace("\n", " ").split(",")]
AUTHORS = ["Robert Clark", "Iain Morris", "Ray Le Maistre", "Kelsey Ziser", "Mike Dano", "Jamie Davies"]


def zipf_choice(rng: random.Random, names: list[str]) -> str:
    return rng.choices(names, weights=[1 / rank for rank in range(1, len(names) + 1)])[0]


def cast(rng: random.Random) -> tuple[list[str], list[str]]:
    """The few companies and technologies one story is about, as in real news."""
    companies = list(dict.fromkeys(zipf_choice(rng, COMPANIES) for _ in range(rng.randint(1, 3))))
    technologies = list(dict.fromkeys(zipf_choice(rng, TECHNOLOGIES) for _ in range(rng.randint(1, 2))))
    return companies, technologies


def sentence(rng: random.Random, companies: list[str], technologies: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 22))]
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), rng.choice(companies))
    if rng.random() < 0.08:
        words.insert(rng.randrange(len(words)), rng.choice(technologies))
    if rng.random() < 0.01:
        words.insert(rng.randrange(len(words)), zipf_choice(rng, COMPANIES))
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


def story(number: int, rng: random.Random) -> tuple[str, str]:
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    companies, technologies = cast(rng)
    partner = companies[1] if len(companies) > 1 else "partners"
    title = f"{companies[0]} and {partner} plan {technologies[0]} push {number}"
    paragraphs = [
        " ".join(sentence(rng, companies, technologies) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(6, 14))
    ]
    body = "\n\n".join(paragraphs)
    if number % 2:
        return f"{number:06}.txt", f"{title}\n\n{day:%B} {day.day}, {day.year}\n\n{body}\n"
    author = rng.choice(AUTHORS)
    deck = sentence(rng, companies, technologies)
    text = (
        f"{title}\n\n{deck}\n\n{author}, Senior Editor, Special to Light Reading\n\n"
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
