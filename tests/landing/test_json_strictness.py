"""JSON Lines held to the contract as CSV is: an object or a list where the contract has one value and a key
repeated in an object quarantine their record with a reason (values never quoted); fields the contract does not
know land in `_extra` with a warning naming them — never silently; the records and days beside them land."""

from deliveries import dossier_day, dossier_line, dossier_path, dossier_record, event_csv, event_path

from kho06.landing.feeds.dossiers import DOSSIERS

DAY = "2023-06-09"
REL = dossier_path(DAY)


def record(code: str, **changes) -> dict:
    return dossier_record(code, DAY) | changes


def day_with(*lines: str) -> bytes:
    return "".join(x + "\n" for x in lines).encode()


def land(lander, *lines: str):
    lander.write(REL, day_with(*lines))
    lander.write(dossier_path("2023-06-10"), dossier_day("2023-06-10", 3))
    lander.write(event_path(DAY), event_csv(DAY, 2))
    outcomes = lander.land_all()
    assert outcomes[dossier_path("2023-06-10")].rows_landed == 3 and lander.rows("population_events") == 2
    lander.accounted()
    return outcomes[REL]


def test_a_clean_day_lands_on_the_fast_path(lander):
    out = land(lander, *[dossier_line(f"A-{i}", DAY) for i in range(4)])
    assert (out.rows_read, out.rows_landed, out.rows_quarantined, out.warnings) == (4, 4, 0, [])


def test_an_object_or_a_list_where_the_contract_has_one_value_is_quarantined(lander):
    out = land(
        lander,
        dossier_line("A-1", DAY),
        dossier_line("A-2", DAY, record("A-2", MaTTHC={"ma": "1.005129"})),
        dossier_line("A-3", DAY, record("A-3", ChuHoSo=["Phạm Thu Trang"])),
        dossier_line("A-4", DAY, record("A-4", NgayTiepNhan={"ngay": "20230609"})),
        dossier_line("A-5", DAY, session={"id": "s"}),
        dossier_line(
            "A-6", DAY, record("A-6", DanhSachLePhi=[{"MucThu": 20000}])
        ),  # a JSON field: a list is fine
    )
    assert (out.rows_read, out.rows_landed, out.rows_quarantined) == (6, 2, 4)
    held = {row: reason for row, reason, _ in lander.quarantine("dossiers")}
    assert held[2] == "procedure_code: an object or a list where the contract has one value"
    assert held[3] == "applicant_name: an object or a list where the contract has one value"
    assert held[4].startswith("received_at: an object or a list where the contract has one value")
    assert held[5].startswith("sync_session: an object or a list")
    assert "Phạm Thu Trang" not in str(held)


def test_a_key_repeated_in_an_object_is_quarantined(lander):
    doubled = dossier_line("B-2", DAY).replace('"MaHoSo":"B-2"', '"MaHoSo":"B-2","MaHoSo":"B-3"')
    envelope = dossier_line("B-4", DAY).replace('"service":"DongBoHoSoMC"', '"service":"A","service":"B"')
    out = land(lander, dossier_line("B-1", DAY), doubled, envelope)
    assert (out.rows_read, out.rows_landed, out.rows_quarantined) == (3, 1, 2)
    held = {row: (reason, raw) for row, reason, raw in lander.quarantine("dossiers")}
    assert held[2] == ("a key repeated in the record: MaHoSo", doubled)
    assert held[3][0] == "a key repeated in the envelope: service"


def test_fields_the_contract_does_not_know_land_in_extra_with_a_warning(lander):
    out = land(
        lander,
        dossier_line("C-1", DAY),
        dossier_line("C-2", DAY, record("C-2", GhiChu="hồ sơ giấy", MaHoSoCu=None)),
        dossier_line("C-3", DAY, phienBan=2),
    )
    assert (out.rows_read, out.rows_landed, out.rows_quarantined) == (3, 3, 0)
    assert out.warnings == ["field(s) not in the contract kept in _extra: @phienBan, GhiChu, MaHoSoCu"]
    assert out.warnings[0] in (lander.ledger_row(REL)["message"] or "")
    extra = lander.db.execute(
        "select dossier_code, _extra::varchar from landing.dossiers where dossier_code like 'C-%' order by 1"
    ).fetchall()
    assert extra[:3] == [
        ("C-1", None),
        ("C-2", '{"GhiChu":"hồ sơ giấy","MaHoSoCu":null}'),
        ("C-3", '{"@phienBan":2}'),
    ]


def test_keys_in_another_order_or_missing_land_as_they_are(lander):
    reordered = {k: v for k, v in reversed(list(dossier_record("D-1", DAY).items()))}
    missing = {k: v for k, v in dossier_record("D-2", DAY).items() if k not in ("Email", "NgayTra")}
    out = land(lander, dossier_line("D-1", DAY, reordered), dossier_line("D-2", DAY, missing))
    assert (out.rows_read, out.rows_landed, out.rows_quarantined, out.warnings) == (2, 2, 0, [])
    assert lander.db.execute(
        "select count(*) from landing.dossiers where dossier_code like 'D-%'"
    ).fetchone() == (2,)


def test_a_text_value_that_merely_starts_with_a_bracket_lands(lander):
    out = land(lander, dossier_line("E-1", DAY, record("E-1", TrichYeuHoSo="[Khẩn] Đề nghị cấp bản sao")))
    assert (out.rows_landed, out.rows_quarantined) == (1, 0)
    assert lander.db.execute(
        "select summary from landing.dossiers where dossier_code = 'E-1'"
    ).fetchone() == ("[Khẩn] Đề nghị cấp bản sao",)


def test_the_exact_path_keeps_days_in_their_chunk_apart(lander):
    lander.write(REL, day_with(dossier_line("F-1", DAY), dossier_line("F-2", DAY, record("F-2", MaTTHC=[1]))))
    lander.write(dossier_path("2023-06-11"), dossier_day("2023-06-11", 2))
    outcomes = lander.land(DOSSIERS)
    assert (outcomes[REL].rows_landed, outcomes[REL].rows_quarantined) == (1, 1)
    assert outcomes[dossier_path("2023-06-11")].rows_landed == 2
    lander.accounted()


def test_a_day_with_cr_line_endings_is_refused_with_the_reason(lander):
    lander.write(REL, dossier_day(DAY, 3).replace(b"\n", b"\r"))
    lander.write(dossier_path("2023-06-10"), dossier_day("2023-06-10", 3))
    outcomes = lander.land(DOSSIERS)
    assert outcomes[REL].status == "rejected" and "LF line endings" in outcomes[REL].message
    assert outcomes[dossier_path("2023-06-10")].rows_landed == 3 and lander.rows("dossiers") == 3
    lander.accounted()
