{#- The as-of instant of the BTS feed in Unix seconds: the start of the day after var('as_of_date'), Vietnam
    time (UTC+7). 2023-12-31 gives 1704042000 (docs/contracts/bts.md). Rendered as an integer literal. -#}
{% macro telecom_as_of_unix() -%}
    {%- set dt = modules.datetime -%}
    {%- set day = dt.datetime.strptime(var('as_of_date'), '%Y-%m-%d') -%}
    {%- set start = day + dt.timedelta(days=1) - dt.timedelta(hours=7) -%}
    {{ (start - dt.datetime(1970, 1, 1)).total_seconds() | int }}
{%- endmacro %}
