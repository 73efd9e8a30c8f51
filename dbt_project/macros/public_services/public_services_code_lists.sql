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

{#- The 63 legacy province codes with 3 digits: the valid first three digits of a citizen ID. -#}
{% macro public_services_province_prefixes() -%}
    {%- set codes = [
        '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022', '024',
        '025', '026', '027', '030', '031', '033', '034', '035', '036', '037', '038', '040', '042', '044', '045',
        '046', '048', '049', '051', '052', '054', '056', '058', '060', '062', '064', '066', '067', '068', '070',
        '072', '074', '075', '077', '079', '080', '082', '083', '084', '086', '087', '089', '091', '092', '093',
        '094', '095', '096'
    ] -%}
    ({%- for code in codes %}'{{ code }}'{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}

{#- Weights of the scorecard's 0-100 score: the five groups of Decision 766/QĐ-TTg (18 + 20 + 22 + 22 + 18 = 100),
    each carried by the rate(s) the feed supports; the online group is split evenly between its two rates. -#}
{% macro public_services_766_weights() -%}
    {{ return({
        'portal_sync_rate': 18,
        'on_time_rate': 20,
        'digitisation_rate': 22,
        'online_rate': 11,
        'online_payment_rate': 11,
        'satisfaction_rate': 18,
    }) }}
{%- endmacro %}
