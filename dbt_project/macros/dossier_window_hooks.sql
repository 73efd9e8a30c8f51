{#- The hooks that keep the daily dossier models equal to a full build when a file of the window is delivered
    again without some of its lines. -#}
{#- int_dossier_lines_ranked, after an incremental run: the window's lines this run did not rank are lines the
    window's files no longer hold. -#}
{% macro delete_window_lines_not_delivered() %}
    {% if is_incremental() %}
        delete from {{ this }}
        where {{ in_daily_window('received_file_date') }} and _ranked_by_invocation <> '{{ invocation_id }}'
    {% endif %}
{% endmacro %}

{#- fct_dossiers, before an incremental run: a dossier received in the window with no line left (its only
    lines were missing from the re-delivered files). -#}
{% macro delete_dossiers_without_lines() %}
    {% if is_incremental() %}
        delete from {{ this }}
        where
            {{ in_daily_window('received_date') }}
            and dossier_code not in (
                select dossier_code from {{ ref('int_dossier_lines_ranked') }} where dossier_code is not null
            )
    {% endif %}
{% endmacro %}

{#- chk_dossiers__lines, before an incremental run: the window's lines (checked again by the run, when the files
    still hold them). -#}
{% macro delete_window_lines_checked() %}
    {% if is_incremental() %}
        delete from {{ this }} where {{ in_daily_window('received_file_date') }}
    {% endif %}
{% endmacro %}
