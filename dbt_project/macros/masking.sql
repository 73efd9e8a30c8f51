{#- Masks for the samples of failing values (dq.check_results.sample): a personal value never leaves staging
    in clear, only in these forms. -#}
{#- An identifier (citizen ID, tax code, phone number): its first three characters (a province or operator
    prefix, not personal), the rest with every letter and digit replaced by •; null stays null. -#}
{% macro mask_identifier(expression) -%}
    case
        when {{ expression }} is not null
        then left({{ expression }}, 3) || regexp_replace(substr({{ expression }}, 4), '[0-9A-Za-z]', '•', 'g')
    end
{%- endmacro %}

{#- A person's name: the first letter of each word followed by one • (NGUYỄN VĂN AN → N• V• A•). -#}
{% macro mask_name(expression) -%}
    case
        when {{ expression }} is not null
        then regexp_replace(nfc_normalize({{ expression }}), '(\S)\S*', '\1•', 'g')
    end
{%- endmacro %}

{#- An e-mail address: the domain only. -#}
{% macro mask_email(expression) -%}
    case
        when {{ expression }} is not null
        then '•••' || coalesce(nullif(regexp_extract({{ expression }}, '(@.*)$', 1), ''), ' (no @)')
    end
{%- endmacro %}
