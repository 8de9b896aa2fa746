"""The demo's citizens as the population database knows them: the simulator answers for these IDs (and says
"not found" for any other), and the demo dossiers' applicants are drawn from them, so the intake prefill and
the later check work in `make run`. Plain data, no Django: the simulator process reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple


class Citizen(NamedTuple):
    id_number: str
    name: str
    birth_date: str  # ISO yyyy-mm-dd
    gender: str  # "male" | "female"
    address: str  # permanent residence (nơi thường trú)


# The ID to try at the counter's intake form in the demo (the banner prints it).
DEMO_LOOKUP_ID = "001190012345"

CITIZENS = [
    Citizen(
        DEMO_LOOKUP_ID,
        "Trần Thị Bình",
        "1990-05-14",
        "female",
        "12 Hàng Bạc, phường Hoàn Kiếm, Thành phố Hà Nội",
    ),
    Citizen(
        "001301365686",
        "Hoàng Thu Trang",
        "2001-12-05",
        "female",
        "80 Phan Đình Phùng, phường Ba Đình, Thành phố Hà Nội",
    ),
    Citizen(
        "079071954780",
        "Vũ Quang Long",
        "1971-05-15",
        "male",
        "154 Hàng Bạc, phường Hoàn Kiếm, Thành phố Hà Nội",
    ),
    Citizen(
        "036178037598",
        "Hoàng Thị Lan",
        "1978-05-09",
        "female",
        "97 Đội Cấn, phường Hoàn Kiếm, Thành phố Hà Nội",
    ),
    Citizen(
        "036181779342",
        "Lê Hoài Hương",
        "1981-05-03",
        "female",
        "142 Tràng Thi, phường Cửa Nam, Thành phố Hà Nội",
    ),
    Citizen(
        "001083009448", "Trần Đức Phúc", "1983-08-05", "male", "78 Lê Duẩn, phường Cửa Nam, Thành phố Hà Nội"
    ),
    Citizen(
        "001162139235",
        "Hoàng Thị Lan",
        "1962-03-17",
        "female",
        "55 Hàng Bạc, phường Cửa Nam, Thành phố Hà Nội",
    ),
    Citizen(
        "040173581902",
        "Đặng Thanh Hạnh",
        "1973-05-20",
        "female",
        "5 Hàng Gai, phường Cửa Nam, Thành phố Hà Nội",
    ),
    Citizen(
        "036305562996", "Huỳnh Thị Hà", "2005-02-28", "female", "18 Đội Cấn, phường Ba Đình, Thành phố Hà Nội"
    ),
    Citizen(
        "001092910023",
        "Phan Đức Khánh",
        "1992-07-13",
        "male",
        "50 Lý Thái Tổ, phường Ba Đình, Thành phố Hà Nội",
    ),
    Citizen(
        "036175032075",
        "Lê Ngọc Chi",
        "1975-02-10",
        "female",
        "164 Hàng Gai, phường Cửa Nam, Thành phố Hà Nội",
    ),
    Citizen(
        "001072577133", "Vũ Văn Nam", "1972-08-28", "male", "180 Hàng Bạc, phường Ba Đình, Thành phố Hà Nội"
    ),
    Citizen(
        "038303002750",
        "Huỳnh Hoài Mai",
        "2003-11-07",
        "female",
        "98 Hoàng Diệu, phường Hoàn Kiếm, Thành phố Hà Nội",
    ),
    Citizen(
        "001053277809", "Ngô Đức Sơn", "1953-01-24", "male", "80 Lê Duẩn, phường Cửa Nam, Thành phố Hà Nội"
    ),
    Citizen(
        "079179048836",
        "Phạm Thanh Hương",
        "1979-09-28",
        "female",
        "118 Quán Thánh, phường Hoàn Kiếm, Thành phố Hà Nội",
    ),
    Citizen(
        "031084609134",
        "Nguyễn Gia An",
        "1984-07-25",
        "male",
        "185 Hàng Bạc, phường Ba Đình, Thành phố Hà Nội",
    ),
    Citizen(
        "001088997058",
        "Đặng Văn Phong",
        "1988-01-22",
        "male",
        "32 Tràng Thi, phường Hoàn Kiếm, Thành phố Hà Nội",
    ),
    Citizen(
        "036055922804",
        "Trần Văn Hùng",
        "1955-05-05",
        "male",
        "79 Đội Cấn, phường Hoàn Kiếm, Thành phố Hà Nội",
    ),
    Citizen(
        "001067217814",
        "Lê Quang Hải",
        "1967-09-23",
        "male",
        "95 Lý Thái Tổ, phường Ba Đình, Thành phố Hà Nội",
    ),
    Citizen(
        "040099369615", "Hồ Minh Khánh", "1999-11-05", "male", "23 Hàng Gai, phường Ba Đình, Thành phố Hà Nội"
    ),
    Citizen(
        "036061493583",
        "Hồ Gia Quân",
        "1961-10-10",
        "male",
        "165 Điện Biên Phủ, phường Ba Đình, Thành phố Hà Nội",
    ),
    Citizen(
        "038198500452",
        "Lê Thanh Vy",
        "1998-09-27",
        "female",
        "157 Phan Đình Phùng, phường Cửa Nam, Thành phố Hà Nội",
    ),
    Citizen(
        "001076363973", "Hồ Văn Sơn", "1976-06-20", "male", "137 Lê Duẩn, phường Hoàn Kiếm, Thành phố Hà Nội"
    ),
    Citizen(
        "031192943950",
        "Phạm Thu Hạnh",
        "1992-04-27",
        "female",
        "51 Lê Duẩn, phường Cửa Nam, Thành phố Hà Nội",
    ),
    Citizen(
        "079061405223", "Phạm Minh An", "1961-06-08", "male", "91 Đội Cấn, phường Hoàn Kiếm, Thành phố Hà Nội"
    ),
    Citizen(
        "031097557051", "Phan Đức Khánh", "1997-08-07", "male", "163 Kim Mã, phường Ba Đình, Thành phố Hà Nội"
    ),
    Citizen(
        "036172538196",
        "Trần Thanh Thảo",
        "1972-10-21",
        "female",
        "188 Kim Mã, phường Hoàn Kiếm, Thành phố Hà Nội",
    ),
    Citizen(
        "001091592636", "Phạm Văn Phúc", "1991-12-04", "male", "3 Lê Duẩn, phường Ba Đình, Thành phố Hà Nội"
    ),
    Citizen(
        "001084840309",
        "Trần Quang Phúc",
        "1984-07-25",
        "male",
        "7 Hai Bà Trưng, phường Cửa Nam, Thành phố Hà Nội",
    ),
    Citizen(
        "038071880525",
        "Hoàng Quang Dũng",
        "1971-11-09",
        "male",
        "158 Phan Đình Phùng, phường Hoàn Kiếm, Thành phố Hà Nội",
    ),
]


def _signed_in_citizens() -> list[Citizen]:
    """The local VNeID provider's demo citizens (seeds/simulators/vneid/citizens.json): the population
    database knows them too, so what they file online is verified like a counter dossier."""
    path = Path(__file__).parent / "simulators" / "vneid" / "citizens.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [Citizen(r["id"], r["name"], r["birthdate"], r["gender"], r["address"]) for r in rows]


SIGN_IN_CITIZENS = _signed_in_citizens()
