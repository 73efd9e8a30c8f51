{#- The as-of instant of the BTS feed in Unix seconds: the start of the day after var('as_of_date'), Vietnam
    time (UTC+7). 2023-12-31 gives 1704042000 (docs/contracts/bts.md). Rendered as an integer literal. -#}
{% macro telecom_as_of_unix() -%}
    {%- set dt = modules.datetime -%}
    {%- set day = dt.datetime.strptime(var('as_of_date'), '%Y-%m-%d') -%}
    {%- set start = day + dt.timedelta(days=1) - dt.timedelta(hours=7) -%}
    {{ (start - dt.datetime(1970, 1, 1)).total_seconds() | int }}
{%- endmacro %}

{#- var('as_of_date') as a date literal. -#}
{% macro telecom_as_of_date() -%}
    cast('{{ var("as_of_date") }}' as date)
{%- endmacro %}

{#- The dim_date key (yyyymmdd integer) of a date expression; -1 when the date is null. -#}
{% macro telecom_date_key(date_expr) -%}
    coalesce(cast(extract(year from {{ date_expr }}) * 10000 + extract(month from {{ date_expr }}) * 100
        + extract(day from {{ date_expr }}) as integer), -1)
{%- endmacro %}
