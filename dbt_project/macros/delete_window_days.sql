{% macro delete_window_days(day_column) %}
{#- A pre-hook of the daily incremental models: in an incremental run, delete the rows of the window's days
    (var min_date..max_date) before the window is loaded again, so a line removed from a re-delivered file does
    not stay behind. Rows that are still delivered are inserted again by the run. -#}
    {% if is_incremental() %}
        delete from {{ this }}
        where {{ day_column }} >= cast('{{ var("min_date") }}' as date)
            and {{ day_column }} <= cast('{{ var("max_date") }}' as date)
    {% endif %}
{% endmacro %}
