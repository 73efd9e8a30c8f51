{#- var('as_of_date') (the end of the reporting period) as a date literal: the as-of date of every snapshot
    figure and dimension. -#}
{% macro as_of_date() -%}
    cast('{{ var("as_of_date") }}' as date)
{%- endmacro %}

{#- The dim_date key (yyyymmdd integer) of a date expression; -1 when the date is null. -#}
{% macro date_key(date_expr) -%}
    coalesce(cast(extract(year from {{ date_expr }}) * 10000 + extract(month from {{ date_expr }}) * 100
        + extract(day from {{ date_expr }}) as integer), -1)
{%- endmacro %}
