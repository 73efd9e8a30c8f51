{% macro dossier_files_in_window() %}
    {#- The lines of the daily files of the run's window (the day in the file name, received_file_date). The range on
    the delivered path (`dossiers/daily/YYYY/YYYY-MM-DD.jsonl`, docs/contracts/dossiers.md) is evaluated in the
    table scan before any other column is read, so a one-day window does not parse the JSON of every landed line;
    the test on received_file_date is the exact one. -#}
    {%- set first = modules.datetime.date.fromisoformat(daily_window_bound('min_date') | string) -%}
    {%- set after = modules.datetime.date.fromisoformat(daily_window_bound('max_date') | string) + modules.datetime.timedelta(days=1) -%}
    _source_file >= 'dossiers/daily/{{ first.year }}/{{ first.isoformat() }}'
    and _source_file < 'dossiers/daily/{{ after.year }}/{{ after.isoformat() }}'
    and {{ in_daily_window('received_file_date') }}
{%- endmacro %}
