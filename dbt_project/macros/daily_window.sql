{#- The window of a daily run, whole days. Dagster passes the partition window in the environment
    (KHO06_DAILY_MIN_DATE, KHO06_DAILY_MAX_DATE); a run by hand may pass `--vars '{"min_date": ..., "max_date": ...}'`,
    which wins. Without either, the window covers every day.

    Why not `--vars` from Dagster: dbt parses the whole project again whenever the command-line vars change (about
    5 s of a nightly run), while a changed environment variable re-parses only the files that read it. -#}
{% macro daily_window_bound(name) -%}
    {%- set everything = {'min_date': '1900-01-01', 'max_date': '2999-12-31'} -%}
    {{- return(var(name, env_var('KHO06_DAILY_' ~ name | upper, everything[name]))) -}}
{%- endmacro %}

{#- A predicate: the day column lies in the window. -#}
{% macro in_daily_window(day_column) -%}
    {{ day_column }} >= cast('{{ daily_window_bound("min_date") }}' as date)
    and {{ day_column }} <= cast('{{ daily_window_bound("max_date") }}' as date)
{%- endmacro %}
