{#- chk_population__events: the snapshot records and the communes an event row is checked against, as CTEs (one
    row per record id of the snapshot: its date of birth and whether that date is plausible; the legacy
    communes), for the model and for its test whether the stored rows were checked against the same rows.
    `record_filter` narrows the records to those of an incremental run. -#}
{% macro life_event_references(as_of, record_filter='true') %}
    residents as (
        select
            record_id,
            min(birth_date) as birth_date,
            bool_and(
                birth_date
                between cast('1900-01-01' as date) and least({{ as_of }}, coalesce(updated_on, {{ as_of }}))
            ) as has_plausible_birth_date
        from {{ ref('stg_population__residents') }}
        where record_id is not null and {{ record_filter }}
        group by record_id
    ),

    communes as (select commune_code, district_code from {{ ref('stg_reference__legacy_communes') }})
{% endmacro %}

{#- chk_population__events: the rows sharing an event id (the rows without one are ranked together) or a loose
    fingerprint with a row of `keys`. -#}
{% macro shares_an_event_key(keys) -%}
    event_id in (select event_id from {{ keys }})
    or (event_id is null and (select bool_or(event_id is null) from {{ keys }}))
    or event_fingerprint_loose in (select event_fingerprint_loose from {{ keys }})
{%- endmacro %}

{#- The number of distinct reference facts stored in chk_population__events (`this`) that differ from what the
    snapshot, the communes and the as-of date give now: a snapshot delivered since, a changed commune list,
    another as-of date. Any other column of a row depends on the rows sharing its event id, its loose
    fingerprint or its record. -#}
{% macro life_events_checked_otherwise(as_of) %}
    with
        {{ life_event_references(as_of) }},

        stored as (
            select distinct
                as_of,
                record_id,
                is_record_in_snapshot,
                record_birth_date,
                record_has_plausible_birth_date,
                commune_code,
                is_commune_known,
                district_code,
                other_commune_code,
                is_other_commune_known
            from {{ this }}
        )

    select count(*) as facts
    from stored as s
    left join residents as r on r.record_id = s.record_id
    left join communes as c on c.commune_code = s.commune_code
    left join communes as oc on oc.commune_code = s.other_commune_code
    where
        s.as_of is distinct from {{ as_of }}
        or s.is_record_in_snapshot is distinct from (r.record_id is not null)
        or s.record_birth_date is distinct from r.birth_date
        or s.record_has_plausible_birth_date is distinct from coalesce(r.has_plausible_birth_date, false)
        or s.is_commune_known is distinct from (c.commune_code is not null)
        or s.district_code is distinct from c.district_code
        or s.is_other_commune_known is distinct from (oc.commune_code is not null)
{% endmacro %}

{#- chk_population__events, after an incremental run: the window's rows the window's files no longer hold. -#}
{% macro delete_window_events_not_delivered() %}
    {% if is_incremental() %}
        delete from {{ this }} as t
        where
            {{ in_daily_window('t.file_date') }}
            and not exists (
                select 1
                from {{ ref('stg_population__life_events') }} as e
                where e._source_file = t._source_file and e._source_row = t._source_row
            )
    {% endif %}
{% endmacro %}

{#- fct_life_events, before an incremental run: the events chk_population__events checked in this dbt run (the
    run loads them again), the events without an id (all loaded again) and the events no longer delivered. -#}
{% macro delete_life_events_checked_again() %}
    {% if is_incremental() %}
        {% set checks = ref('chk_population__events') %}
        delete from {{ this }}
        where
            event_id is null
            or event_id
            in (select event_id from {{ checks }} where _checked_by_invocation = '{{ invocation_id }}')
            or event_id not in (
                select event_id
                from {{ checks }}
                where event_id is not null and not coalesce(event_id_duplicated, false)
            )
    {% endif %}
{% endmacro %}
