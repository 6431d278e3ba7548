"""Extraction benchmark: a generated corpus of article-length documents, timed end to end.

The corpus is built from the project's own lexicons (the trigger words of
`lang/<code>/events.yaml`) and a few sentence templates, never from collected articles.
Each document is ~3 KB: title, byline and date line, a dateline, body paragraphs with actors,
dates, numbers and event verbs, and furniture (captions, "Baca Juga" teasers, tags). The
floor is plain regex tokenisation of the same texts in the same run.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from importlib import resources

import yaml

__all__ = ["BenchResult", "generate_corpus", "run_extract_bench"]

_ACTORS = {
    "id": ["Korea Utara", "Korea Selatan", "Rusia", "Amerika Serikat", "Jepang", "China", "Ukraina", "NATO",
           "Dewan Keamanan PBB", "Menteri Luar Negeri Korea Selatan Cho Tae-yul", "Presiden Rusia Vladimir Putin",
           "pemimpin Korea Utara Kim Jong-un", "Sekretaris Jenderal NATO Mark Rutte", "Kementerian Pertahanan Jepang",
           "Pyongyang", "Seoul", "Washington", "Moskow", "Uni Eropa", "Korut", "Korsel", "AS"],
    "en": ["North Korea", "South Korea", "Russia", "the United States", "Japan", "China", "Ukraine", "NATO",
           "the UN Security Council", "South Korean Foreign Minister Cho Tae-yul", "Russian President Vladimir Putin",
           "North Korean leader Kim Jong Un", "NATO Secretary General Mark Rutte", "Japan's Defence Ministry",
           "Pyongyang", "Seoul", "Washington", "Moscow", "the European Union"],
}
_TEMPLATES = {
    "id": ["{a} {v} {b} di {place} pada {day} ({d}/{m}/{y}).",
           "Menurut pernyataan resmi, {a} {v} {b} sejak {month} lalu.",
           "{a} mengatakan, {b} akan {v} {c} dalam {n} pekan mendatang.",
           "Para analis menilai {a} mungkin {v} {b} jika situasi memburuk.",
           "Sebelumnya, {a} dan {b} {v} sekitar {num} tentara ke {c}, kata pejabat setempat.",
           "Kerja sama antara {a} dan {b} terus meningkat di tengah sanksi terhadap {c}."],
    "en": ["{a} {v} {b} in {place} on {day}, officials said.",
           "According to a statement, {a} {v} {b} last {month}.",
           "{a} said {b} will {v} {c} within {n} weeks.",
           "Analysts said {a} might {v} {b} if the situation worsens.",
           "Earlier, {a} and {b} {v} about {num} troops to {c}, a spokesperson said.",
           "Cooperation between {a} and {b} has grown despite sanctions on {c}."],
}
_FURNITURE = {
    "id": ["Baca Juga: {a} dan {b} Gelar Pertemuan", "Foto: {a} (ANTARA FOTO/Dok)", "0 Komentar", "Tags: {a}",
           "Editor: Budi Santoso"],
    "en": ["Read more: {a} and {b} hold talks", "Photo: {a} (Reuters)", "Related: {b} says", "Tags: {a}",
           "Editing by John Smith"],
}
_PLACES = {"id": ["Brussels", "Vladivostok", "Jakarta", "Tokyo", "Semenanjung Korea"],
           "en": ["Brussels", "Vladivostok", "Jakarta", "Tokyo", "the Korean Peninsula"]}
_DAYS = {"id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat"], "en": ["Monday", "Tuesday", "Wednesday", "Thursday"]}
_MONTHS = {"id": ["Januari", "Maret", "Juni", "September", "Oktober"], "en": ["January", "March", "June", "October"]}
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _verbs(language: str) -> list[str]:
    raw = yaml.safe_load(resources.files(f"pantau.lang.{language}").joinpath("events.yaml").read_text("utf-8"))
    words = [str(w) for t in raw.get("triggers") or [] for w in t.get("words") or [] if " " not in str(w)]
    return words or ["meets"]


def generate_corpus(n: int, *, language: str = "id", seed: int = 7, size: int = 3000) -> list[str]:
    """`n` synthetic articles of about `size` characters each."""
    rnd = random.Random(seed)
    actors, verbs = _ACTORS[language], _verbs(language)

    def fill(t: str) -> str:
        a, b, c = rnd.sample(actors, 3)
        return t.format(a=a, b=b, c=c, v=rnd.choice(verbs), place=rnd.choice(_PLACES[language]),
                        day=rnd.choice(_DAYS[language]), d=rnd.randint(1, 28), m=rnd.randint(1, 12),
                        y=rnd.choice((2023, 2024, 2025)), month=rnd.choice(_MONTHS[language]),
                        n=rnd.randint(2, 9), num=f"{rnd.randint(1, 20)}.000" if language == "id" else
                        f"{rnd.randint(1, 20)},000")

    docs = []
    for _ in range(n):
        a, b = rnd.sample(actors, 2)
        lines = [f"{a} dan {b} {rnd.choice(verbs)}" if language == "id" else f"{a} and {b} {rnd.choice(verbs)}",
                 "Oleh: Rina Hartati" if language == "id" else "By Jane Doe",
                 f"{rnd.choice(_DAYS[language])}, {rnd.randint(1, 28)} {rnd.choice(_MONTHS[language])} 2024"]
        lines.append(fill(rnd.choice(_FURNITURE[language])))
        body = ("JAKARTA - " if language == "id" else "SEOUL (Reuters) - ") + fill(rnd.choice(_TEMPLATES[language]))
        while sum(len(x) for x in lines) + len(body) < size:
            para = " ".join(fill(rnd.choice(_TEMPLATES[language])) for _ in range(rnd.randint(1, 3)))
            lines.append(body)
            body = para
            if rnd.random() < 0.15:
                lines.append(fill(rnd.choice(_FURNITURE[language])))
        lines.append(body)
        lines.append(fill(_FURNITURE[language][-1]))
        docs.append("\n".join(lines))
    return docs


@dataclass(slots=True)
class BenchResult:
    documents: int
    characters: int
    tokens: int
    seconds: float  # CPU seconds of this process (one core), robust to other load on the machine
    floor_seconds: float
    events: int
    wall_seconds: float = 0.0
    parsed_sentences: int = 0  # sentences the dependency parser read (events_syntax)
    tokenise_seconds: float = 0.0  # the syntax model's tokeniser alone over the corpus (0: no model)

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0

    @property
    def floor_tokens_per_s(self) -> float:
        return self.tokens / self.floor_seconds if self.floor_seconds else 0.0

    @property
    def ratio(self) -> float:
        """How many times slower than the regex-tokenisation floor."""
        return self.seconds / self.floor_seconds if self.floor_seconds else 0.0


def run_extract_bench(n: int = 2000, *, language: str = "id", seed: int = 7, warmup: int = 20) -> BenchResult:
    """Time `pantau.nlp.pipeline.extract` over `n` generated documents on the calling core."""
    from pantau.nlp import events_syntax
    from pantau.nlp.pipeline import extract

    docs = generate_corpus(n, language=language, seed=seed)
    for d in docs[:warmup]:  # load lexicons, registry and models outside the timed loop
        extract(d, language=language)
    t0 = time.process_time()
    tokens = sum(len(_TOKEN.findall(d)) for d in docs)
    floor = time.process_time() - t0
    tok_secs = 0.0
    if events_syntax.available(language):  # a plain tokenise-only pass of the syntax pipeline
        from pantau.nlp import syntax

        tokenizer = syntax.load(language).tokenizer
        t0 = time.process_time()
        for d in docs:
            tokenizer(d)
        tok_secs = time.process_time() - t0
    events = 0
    parsed0 = events_syntax.STATS["parsed"]
    w0, t0 = time.perf_counter(), time.process_time()
    for d in docs:
        events += len(extract(d, language=language).events)
    secs, wall = time.process_time() - t0, time.perf_counter() - w0
    return BenchResult(len(docs), sum(len(d) for d in docs), tokens, secs, floor, events, wall,
                       events_syntax.STATS["parsed"] - parsed0, tok_secs)
