{#- var('as_of_date') (the end of the reporting period) as a date literal: the as-of date of every snapshot
    figure and dimension. -#}
{% macro as_of_date() -%} cast('{{ var("as_of_date") }}' as date) {%- endmacro %}
