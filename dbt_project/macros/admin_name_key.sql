{#- The key of an administrative unit's name, for telling a different unit from a different spelling of the same
    one: Unicode NFC, lower case, diacritics removed, the unit-type prefix in full or abbreviated removed
    (`Huyện Thanh Hà`, `H. Thanh Hà`, `huyện thanh hà` and `Thanh Hà` give `thanhha`), every non-alphanumeric
    character removed. -#}
{% macro admin_name_key(expression) -%}
    regexp_replace(
        regexp_replace(
            lower(strip_accents(trim(nfc_normalize({{ expression }})))),
            '^(thanh pho|thi xa|thi tran|huyen|phuong|xa|tinh|tp|tx|tt|h|p|x|t)(\.\s*|\s+)',
            ''
        ),
        '[^a-z0-9đ]',
        '',
        'g'
    )
{%- endmacro %}
