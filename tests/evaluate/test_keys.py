"""When two values are the same: names, document numbers and the opening words of duties."""

from __future__ import annotations

from pipeline.evaluate.keys import name_key, number_key, texts_start_alike


def test_name_key_rules():
    assert name_key("Sở Văn hoá, Thể thao và Du lịch") == name_key("sở văn hóa,  thể thao và du lịch")
    assert name_key("Sở Lao động – Thương binh và Xã hội") == name_key("Sở Lao động-Thương binh và Xã hội")
    assert name_key("‘Ngày 30/7’") == name_key("'Ngày 30/7'")
    assert name_key("KT. Giám đốc") == name_key("KT.GIÁM ĐỐC")
    assert name_key("Sở Tư pháp") != name_key("Sở Tài chính")
    assert number_key("1614/STTTT-TTBCXB") == number_key("1614 /STTTT–TTBCXB")
    assert number_key("675/KH-BCĐ") != number_key("675/KH-BCĐ138")


def test_duty_text_start_may_begin_at_giao_or_after_the_name():
    agencies = ("Công an tỉnh",)
    assert texts_start_alike("Giao Công an tỉnh chủ trì, phối hợp với các sở tổ chức",
                             "chủ trì, phối hợp với các sở tổ chức kiểm tra", agencies)
    assert texts_start_alike("chủ trì, phối hợp với các sở tổ chức",
                             "Giao Công an tỉnh chủ trì, phối hợp với các sở tổ chức kiểm tra", agencies)
    assert texts_start_alike("Thực hiện xã hội hoá công tác truyền thông nhằm huy động",
                             "- Thực hiện xã hội hóa công tác truyền thông nhằm huy động sức mạnh", agencies)
    assert not texts_start_alike("Tăng cường công tác giám sát, thanh tra, kiểm tra đối với",
                                 "Tăng cường công tác tuyên truyền, thanh tra, kiểm tra đối với", agencies)
