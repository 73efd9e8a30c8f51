{#- The key of an administrative unit's name, for telling a different unit from a different spelling of the same
    one: Unicode NFC, lower case, diacritics removed, the unit-type prefix in full or abbreviated removed
    (`Huyện Thanh Hà`, `H. Thanh Hà`, `huyện thanh hà` and `Thanh Hà` give `thanhha`), every non-alphanumeric
    character removed. -#}
{% macro admin_name_key(expression) -%}
    regexp_replace(
        regexp_replace(
            lower(strip_accents(trim(nfc_normalize({{ expression }})))),
            '^(thanh pho|thi xa|thi tran|huyen|phuong|xa|tinh|tp|tx|tt|h|p|x|t)(\.\s*|\s+)', ''
        ),
        '[^a-z0-9đ]', '', 'g'
    )
{%- endmacro %}

{#- The key of an address for comparing two spellings of it: Unicode NFC, lower case, diacritics removed, the
    abbreviated unit types expanded (X. xã, P. phường, TT. thị trấn, H. huyện, TX. thị xã, TP. thành phố, T. tỉnh),
    every non-alphanumeric character removed. -#}
{% macro address_key(expression) -%}
    regexp_replace(
        lower(strip_accents(
            regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                nfc_normalize({{ expression }}),
                '(^|,\s*)TX\.\s*', '\1thị xã ', 'g'),
                '(^|,\s*)TP\.\s*', '\1thành phố ', 'g'),
                '(^|,\s*)TT\.\s*', '\1thị trấn ', 'g'),
                '(^|,\s*)X\.\s*', '\1xã ', 'g'),
                '(^|,\s*)P\.\s*', '\1phường ', 'g'),
                '(^|,\s*)H\.\s*', '\1huyện ', 'g'),
                '(^|,\s*)T\.\s*', '\1tỉnh ', 'g')
        )),
        '[^a-z0-9đ]', '', 'g'
    )
{%- endmacro %}
