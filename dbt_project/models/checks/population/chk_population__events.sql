{{
    config(
        materialized='incremental',
        unique_key=['_source_file', '_source_row'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_window_events_not_delivered() }}",
        tags=['daily']
    )
}}
-- One row per delivered life-event row with the facts the population rules read (the event, its file's day,
-- the snapshot record it concerns, the reference units) and one column per rule of _population__checks.yml.
-- Incremental on the file day: a run checks again the window's rows and every row that shares an event id, a
-- loose fingerprint or a record with them (as delivered now or as checked before: a row's facts depend on
-- those rows only); its post-hook deletes the window's rows the files no longer hold, and
-- `_checked_by_invocation` names the dbt run that last checked a row (fct_life_events loads again the events
-- its own run checked). The run checks every row again, as a full build does, when the stored rows were
-- checked against another snapshot, other communes or another as-of date (life_events_checked_otherwise), or
-- under other rules, or lack a column (check_table_is_current: a rule edited or added since, or a table built
-- before the model was incremental).
{% set as_of = as_of_date() %}
{% set check_all = true %}
{% if execute and is_incremental() and check_table_is_current(['_checked_by_invocation']) %}
    {% set otherwise = run_query(life_events_checked_otherwise(as_of)) %}
    {% set check_all = otherwise.columns[0].values()[0] > 0 %}
{% endif %}

with
    events as (select * from {{ ref('stg_population__life_events') }}),

    {% if check_all %} checked as (select * from events),
    {% else %}
        -- the keys of the window's rows, as delivered now and as checked before
        window_keys as (
            select event_id, event_fingerprint_loose, record_id
            from events
            where {{ in_daily_window('file_date') }}
            union all
            select event_id, event_fingerprint_loose, record_id
            from {{ this }}
            where {{ in_daily_window('file_date') }}
        ),

        checked as (
            select *
            from events
            where
                ({{ in_daily_window('file_date') }})
                or {{ shares_an_event_key('window_keys') }}
                or record_id in (select record_id from window_keys)
        ),
    {% endif %}

    {{
        life_event_references(
            as_of, 'true' if check_all else 'record_id in (select record_id from checked)'
        )
    }},

    moves as (
        select distinct record_id, event_date, event_type
        from events
        where
            event_type in ('move_out', 'move_in') and record_id is not null
            {% if not check_all %} and record_id in (select record_id from checked) {% endif %}
    ),

    -- the repeats of an event id and the copies of an event: ranked over the keys and each row's identity
    -- (_source_file, _source_row, one delivered row) only, then joined back, so that the windows do not carry
    -- the whole row through their sorts
    occurrences as (
        select
            _source_file,
            _source_row,
            row_number() over (
                partition by event_id order by _source_file, _source_row
            ) as event_id_occurrence,
            row_number() over (
                partition by event_fingerprint_loose order by event_id, _source_file, _source_row
            ) as same_event_occurrence
        -- the keys picked out first: the windows above a scan of the whole `events` would carry all its
        -- columns
        from (select event_id, event_fingerprint_loose, _source_file, _source_row from events) as keys
        {% if not check_all %}
            -- every row of the checked rows' event ids and fingerprints: whole partitions
            where {{ shares_an_event_key('checked') }}
        {% endif %}
    ),

    prepared as (
        select
            coalesce(
                e.event_id, 'row:' || e._source_file || ':' || cast(e._source_row as varchar)
            ) as record_key,
            e.*,
            {{ as_of }} as as_of,
            c.district_code,
            cast(null as varchar) as agency_code,
            cast(null as varchar) as operator,
            c.commune_code is not null as is_commune_known,
            oc.commune_code is not null as is_other_commune_known,
            r.record_id is not null as is_record_in_snapshot,
            r.birth_date as record_birth_date,
            coalesce(r.has_plausible_birth_date, false) as record_has_plausible_birth_date,
            m.record_id is not null as has_move_counterpart,
            o.event_id_occurrence,
            o.same_event_occurrence,
            '{{ invocation_id }}' as _checked_by_invocation,
            '{{ quality_rules_checksum() }}' as _rules_checksum
        from checked as e
        left join communes as c on c.commune_code = e.commune_code
        left join communes as oc on oc.commune_code = e.other_commune_code
        left join residents as r on r.record_id = e.record_id
        left join
            moves as m
            on m.record_id = e.record_id
            and m.event_date = e.event_date
            and m.event_type
            = case e.event_type when 'move_out' then 'move_in' when 'move_in' then 'move_out' end
        left join occurrences as o on o._source_file = e._source_file and o._source_row = e._source_row
    )

select prepared.* {{ quality_rule_columns() }}
from prepared
