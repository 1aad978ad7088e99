import time
import tracemalloc
import unicodedata
from collections.abc import Callable

import pytest

from treem.lib.text import (
    PREFIX_MAX,
    WORDS_MAX,
    fold,
    normalize,
    search_words,
    word_prefixes,
)


class FoldTests:
    def test_it_removes_vietnamese_accents(self) -> None:
        assert fold("Nguyễn Văn Ánh") == "nguyen van anh"

    def test_it_folds_d_with_stroke(self) -> None:
        assert fold("Đặng Đình Đức") == "dang dinh duc"

    def test_nfd_and_nfc_spellings_fold_alike(self) -> None:
        nfc = "Hà Nội"
        nfd = unicodedata.normalize("NFD", nfc)
        assert nfd != nfc
        assert fold(nfd) == fold(nfc) == "ha noi"

    def test_it_collapses_white_space(self) -> None:
        assert fold("  Thành   phố\tHuế ") == "thanh pho hue"


class NormalizeTests:
    def test_it_composes_to_nfc_and_keeps_accents(self) -> None:
        text = unicodedata.normalize("NFD", "Tuyên  Quang ")
        assert normalize(text) == "Tuyên Quang"
        assert unicodedata.is_normalized("NFC", normalize(text))


class WordPrefixesTests:
    def test_it_lists_every_prefix_of_every_word_once_sorted(self) -> None:
        assert word_prefixes("nguyen van an") == "a an n ng ngu nguy nguye nguyen v va van"

    def test_words_are_runs_of_letters_and_digits(self) -> None:
        assert search_words("h'hen  nie-y") == ["h", "hen", "nie", "y"]
        assert word_prefixes("h'hen nie-y") == "h he hen n ni nie y"

    def test_a_repeated_word_counts_once(self) -> None:
        assert search_words("an van an") == ["an", "van"]

    def test_nothing_to_cut_gives_nothing(self) -> None:
        assert (word_prefixes(""), word_prefixes("- '"), search_words(" ")) == ("", "", [])


def _cost(call: Callable[[], object]) -> tuple[float, int]:
    """Seconds of processor time taken by `call` (the best of three: the machine running the
    tests is shared, and its waits for a core are no work of the call), then the peak of
    memory it allocated (another run, under tracemalloc, which slows allocation down and
    would spoil the time)."""
    times = []
    for _ in range(3):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    seconds = min(times)
    tracemalloc.start()
    try:
        call()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, peak


HUGE_NAMES = {
    "one long word": "a" * 20_000,
    "one word of a megabyte": "a" * 1_000_000,
    "a megabyte of one short word": "ab " * 350_000,
    "a megabyte of distinct words": " ".join(f"w{n}" for n in range(150_000)),
    "words of 5,000 letters": " ".join(f"{n:05d}" + "x" * 5_000 for n in range(200)),
    "a megabyte without a word": "-" * 1_000_000,
}


class WordPrefixesCapTests:
    @pytest.mark.parametrize("name", list(HUGE_NAMES))
    def test_a_huge_name_costs_a_bounded_time_and_memory(self, name: str) -> None:
        folded = HUGE_NAMES[name]
        seconds, peak = _cost(lambda: word_prefixes(folded))
        assert peak < 512 * 1024, peak
        assert seconds < 0.1, seconds
        keys = word_prefixes(folded).split()
        assert len(keys) <= WORDS_MAX * PREFIX_MAX
        assert all(len(key) <= PREFIX_MAX for key in keys)

    def test_a_word_longer_than_the_cap_keeps_its_first_letters_as_keys(self) -> None:
        word = "abcdefghijklmnopqrstuvwxyz"
        assert word_prefixes(f"ksor {word}").split() == sorted(
            ["k", "ks", "kso", "ksor", *(word[:end] for end in range(1, PREFIX_MAX + 1))])

    def test_every_word_of_a_name_the_register_accepts_has_its_keys(self) -> None:
        # 150 characters at most: 75 words of one letter, the last one read as well.
        name = "a " * 74 + "z"
        assert len(name) <= 150
        assert word_prefixes(name) == "a z"
        assert len(search_words(" ".join(f"w{n}" for n in range(200)))) == WORDS_MAX
