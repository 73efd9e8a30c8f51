{#- The key of an address for comparing two spellings of it: Unicode NFC, lower case, diacritics removed, the
    abbreviated unit types expanded (X. xã, P. phường, TT. thị trấn, H. huyện, TX. thị xã, TP. thành phố, T. tỉnh),
    every non-alphanumeric character removed. -#}
{% macro address_key(expression) -%}
    regexp_replace(
        lower(
            strip_accents(
                regexp_replace(
                    regexp_replace(
                        regexp_replace(
                            regexp_replace(
                                regexp_replace(
                                    regexp_replace(
                                        regexp_replace(
                                            nfc_normalize({{ expression }}),
                                            '(^|,\s*)TX\.\s*',
                                            '\1thị xã ',
                                            'g'
                                        ),
                                        '(^|,\s*)TP\.\s*',
                                        '\1thành phố ',
                                        'g'
                                    ),
                                    '(^|,\s*)TT\.\s*',
                                    '\1thị trấn ',
                                    'g'
                                ),
                                '(^|,\s*)X\.\s*',
                                '\1xã ',
                                'g'
                            ),
                            '(^|,\s*)P\.\s*',
                            '\1phường ',
                            'g'
                        ),
                        '(^|,\s*)H\.\s*',
                        '\1huyện ',
                        'g'
                    ),
                    '(^|,\s*)T\.\s*',
                    '\1tỉnh ',
                    'g'
                )
            )
        ),
        '[^a-z0-9đ]',
        '',
        'g'
    )
{%- endmacro %}
