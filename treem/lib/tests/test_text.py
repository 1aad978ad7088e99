import unicodedata

from treem.lib.text import fold, normalize, search_words, word_prefixes


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
