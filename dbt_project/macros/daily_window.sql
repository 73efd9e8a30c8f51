{#- The window of a daily run: var('min_date')..var('max_date'), whole days (Dagster passes the partition window;
    the defaults cover everything). -#}

{#- A predicate: the day column lies in the window. -#}
{% macro in_daily_window(day_column) -%}
    {{ day_column }} >= cast('{{ var("min_date") }}' as date)
    and {{ day_column }} <= cast('{{ var("max_date") }}' as date)
{%- endmacro %}

{#- A pre-hook of the daily incremental models: in an incremental run, delete the rows of the window's days
    before the window is loaded again, so a line removed from a re-delivered file does not stay behind. Rows that
    are still delivered are inserted again by the run. -#}
{% macro delete_window_days(day_column) %}
    {% if is_incremental() %}
        delete from {{ this }}
        where {{ in_daily_window(day_column) }}
    {% endif %}
{% endmacro %}
