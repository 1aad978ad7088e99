import unicodedata

from treem.lib.text import fold, normalize


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
