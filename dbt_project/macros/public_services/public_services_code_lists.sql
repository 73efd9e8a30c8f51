{#- Code lists of the dossiers feed (docs/contracts/dossiers.md) and the Decision 766 weights, in one place:
    staging maps codes with them, the code dimensions are generated from them. -#}

{#- TrangThaiHoSo: (code, Vietnamese name, English label, handling ended, completed with a result). -#}
{% macro public_services_statuses() -%}
    {{ return([
        (1, 'Mới đăng ký', 'registered', false, false),
        (2, 'Được tiếp nhận', 'accepted', false, false),
        (3, 'Không được tiếp nhận', 'not_accepted', false, false),
        (4, 'Đang xử lý', 'in_progress', false, false),
        (5, 'Yêu cầu bổ sung giấy tờ', 'documents_requested', false, false),
        (6, 'Yêu cầu thực hiện nghĩa vụ tài chính', 'payment_requested', false, false),
        (7, 'Công dân yêu cầu rút hồ sơ', 'withdrawn', true, false),
        (8, 'Dừng xử lý', 'stopped', true, false),
        (9, 'Đã xử lý xong', 'processed', true, true),
        (10, 'Đã trả kết quả', 'returned', true, true),
    ]) }}
{%- endmacro %}

{#- KenhThucHien: (code, Vietnamese name, English label). -#}
{% macro public_services_channels() -%}
    {{ return([
        (1, 'Trực tiếp', 'in_person'),
        (2, 'Trực tuyến', 'online'),
        (3, 'Bưu chính công ích', 'public_postal_service'),
    ]) }}
{%- endmacro %}

{#- `case <expression> when <code> then '<label>' ... end` for a code list (label = position 2 of the tuple). -#}
{% macro public_services_code_label(expression, codes) -%}
    case {{ expression }}
    {%- for code in codes %}
        when {{ code[0] }} then '{{ code[2] }}'
    {%- endfor %}
    end
{%- endmacro %}


{#- Weights of the scorecard's 0-100 score: the groups of Decision 766/QĐ-TTg the feeds can measure, at their
    points (progress 20, digitisation 22, online services 22, satisfaction 18), each carried by the rate(s) the
    feed supports; the online group is split evenly between its two rates. The group "publicity and
    transparency" (18: procedures published on time, dossiers synced to the national portal) has no rate here:
    the catalogue carries no publication dates and every dossier of the feed is itself a sync call. -#}
{% macro public_services_766_weights() -%}
    {{ return({
        'on_time_rate': 20,
        'digitisation_rate': 22,
        'online_rate': 11,
        'online_payment_rate': 11,
        'positive_rating_rate': 18,
    }) }}
{%- endmacro %}
