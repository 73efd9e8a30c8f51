{#- The dim_date key (yyyymmdd integer) of a date expression; -1 (the unknown day) when the date is null or
    outside dim_date's calendar (vars calendar_first_day, calendar_last_day): a delivered date in 2031 or 1890 is
    judged by the quality rules and keeps its fact row, under the unknown day. -#}
{% macro date_key(date_expr) -%}
    case
        when
            cast({{ date_expr }} as date) between cast('{{ var("calendar_first_day") }}' as date) and cast(
                '{{ var("calendar_last_day") }}' as date
            )
        then
            cast(
                extract(year from {{ date_expr }}) * 10000
                + extract(month from {{ date_expr }}) * 100
                + extract(day from {{ date_expr }}) as integer
            )
        else -1
    end
{%- endmacro %}
