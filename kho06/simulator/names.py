"""Vietnamese personal and place names, drawn in bulk.

Faker's `vi_VN` provider has only a handful of names (10 surnames, 20 male given names), too few for two
million people, so the lists below extend it; surname weights follow published frequency estimates.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from faker.providers.person.vi_VN import Provider as _FakerPerson

_SURNAMES = {
    "Nguyễn": 38.4,
    "Trần": 11.0,
    "Lê": 9.5,
    "Phạm": 7.1,
    "Hoàng": 5.1,
    "Vũ": 3.9,
    "Phan": 3.0,
    "Đặng": 2.1,
    "Bùi": 2.0,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1.0,
    "Lý": 0.5,
    "Đinh": 0.9,
    "Đào": 0.8,
    "Trịnh": 0.7,
    "Mạc": 0.4,
    "Lương": 0.5,
    "Tạ": 0.3,
    "Cao": 0.5,
    "Phùng": 0.4,
    "Đoàn": 0.6,
    "Tô": 0.3,
    "Chu": 0.3,
    "Lưu": 0.4,
    "Vương": 0.3,
    "Hà": 0.5,
    "Nhữ": 0.2,
    "Khúc": 0.2,
    "Tăng": 0.2,
    "Quách": 0.2,
    "Triệu": 0.3,
}
_MIDDLE_MALE = [
    "Văn",
    "Đức",
    "Quang",
    "Minh",
    "Hữu",
    "Công",
    "Xuân",
    "Thanh",
    "Ngọc",
    "Tiến",
    "Duy",
    "Trọng",
    "Mạnh",
    "Anh",
    "Hoàng",
    "Bá",
    "Đình",
    "Thế",
    "Gia",
    "Trung",
]
_MIDDLE_FEMALE = [
    "Thị",
    "Thu",
    "Ngọc",
    "Thanh",
    "Minh",
    "Phương",
    "Thuỳ",
    "Hồng",
    "Kim",
    "Bích",
    "Khánh",
    "Mai",
    "Diệu",
    "Hải",
    "Quỳnh",
    "Lan",
]
_GIVEN_MALE = sorted(
    set(_FakerPerson.first_names_male)
    | {
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đạt",
        "Hải",
        "Hiếu",
        "Hùng",
        "Huy",
        "Khánh",
        "Khoa",
        "Kiên",
        "Long",
        "Mạnh",
        "Minh",
        "Nghĩa",
        "Phong",
        "Quân",
        "Quyết",
        "Sơn",
        "Thắng",
        "Thành",
        "Thịnh",
        "Toàn",
        "Trung",
        "Tuấn",
        "Tùng",
        "Việt",
        "Vinh",
        "Hoà",
        "Lâm",
        "Thái",
        "Tiến",
        "Trường",
        "Đông",
        "Hậu",
        "Lộc",
        "Duy",
    }
)
_GIVEN_FEMALE = sorted(
    set(_FakerPerson.first_names_female)
    | {
        "Anh",
        "Ánh",
        "Châu",
        "Chi",
        "Diệp",
        "Dung",
        "Duyên",
        "Giang",
        "Hà",
        "Hằng",
        "Hạnh",
        "Hiền",
        "Hoa",
        "Huyền",
        "Lệ",
        "Loan",
        "Ly",
        "Nga",
        "Ngân",
        "Nhung",
        "Oanh",
        "Phượng",
        "Quyên",
        "Quỳnh",
        "Thảo",
        "Thơ",
        "Thu",
        "Thuý",
        "Trang",
        "Tuyết",
        "Uyên",
        "Vân",
        "Xuân",
        "Yến",
        "Hậu",
        "Nhàn",
        "Liên",
        "Huệ",
    }
)
_HAMLET_KINDS = np.array(["Thôn", "Thôn", "Thôn", "Xóm", "Khu dân cư"])
_HAMLET_WORDS = [
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Thượng",
    "Hạ",
    "Trung",
    "Cao",
    "An",
    "Phú",
    "Lạc",
    "Hưng",
    "Thịnh",
    "Vạn",
    "Kim",
    "Ngọc",
    "Mỹ",
    "Tân",
    "Đồng",
    "Văn",
    "Hoà",
    "Bình",
    "Phúc",
    "Lâm",
]

SURNAMES = np.array(list(_SURNAMES))
_SURNAME_P = np.array(list(_SURNAMES.values())) / sum(_SURNAMES.values())


def surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    return SURNAMES[rng.choice(len(SURNAMES), size=n, p=_SURNAME_P)]


def full_names(rng: np.random.Generator, female: np.ndarray, surname: np.ndarray | None = None) -> pl.Series:
    """Họ, chữ đệm và tên for each person (`female` is a boolean array); `surname` may be given (families)."""
    n = len(female)
    last = surname if surname is not None else surnames(rng, n)
    middle = np.where(
        female,
        np.array(_MIDDLE_FEMALE)[rng.integers(0, len(_MIDDLE_FEMALE), n)],
        np.array(_MIDDLE_MALE)[rng.integers(0, len(_MIDDLE_MALE), n)],
    )
    given = np.where(
        female,
        np.array(_GIVEN_FEMALE)[rng.integers(0, len(_GIVEN_FEMALE), n)],
        np.array(_GIVEN_MALE)[rng.integers(0, len(_GIVEN_MALE), n)],
    )
    return pl.DataFrame({"a": last, "b": middle, "c": given}).select(
        pl.concat_str(["a", "b", "c"], separator=" ").alias("name")
    )["name"]


def hamlet_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Names of thôn/xóm (e.g. 'Thôn Phú Lạc', 'Xóm 3')."""
    kind = _HAMLET_KINDS[rng.integers(0, len(_HAMLET_KINDS), n)]
    words = np.array(_HAMLET_WORDS)
    named = np.char.add(
        np.char.add(words[rng.integers(0, len(words), n)], " "), words[rng.integers(0, len(words), n)]
    )
    numbered = rng.integers(1, 15, n).astype(str)
    label = np.where(rng.random(n) < 0.3, numbered, named)
    return np.char.add(np.char.add(kind, " "), label)
