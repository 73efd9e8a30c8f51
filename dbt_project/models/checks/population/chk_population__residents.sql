-- One row per delivered snapshot row with the facts the population rules read (the record, its household's
-- head, its life events, the reference units) and one column per rule of _population__checks.yml.
{% set as_of = as_of_date() %}

with
    residents as (select * from {{ ref('stg_population__residents') }}),

    events as (select * from {{ ref('stg_population__life_events') }} where record_id is not null),

    communes as (select * from {{ ref('stg_reference__legacy_communes') }}),

    provinces as (
        select * from {{ ref('stg_reference__provinces') }} where {{ admin_unit_valid_on('', as_of) }}
    ),

    religions as (select religion from {{ ref('population_religions') }}),

    province_codes as (select province_code from {{ ref('stg_reference__province_codes') }}),

    -- the key of every unit name the rows and the reference spell (admin_name_key), once per distinct
    -- name: after the joins below a name is no longer a dictionary DuckDB works on, and the key, worked
    -- out for each of 2 million rows and six names, took a third of the model's time
    unit_name_keys as (
        select name, {{ admin_name_key('name') }} as name_key
        from
            (
                select commune_name as name
                from residents
                union
                select district_name
                from residents
                union
                select province_name
                from residents
                union
                select commune_name
                from communes
                union
                select district_name
                from communes
                union
                select province_name
                from provinces
            )
        where name is not null
    ),

    -- what the record's life events say of it
    record_events as (
        select
            record_id,
            min(case when event_type = 'death' then event_date end) as death_date,
            min(case when event_type = 'birth' then event_date end) as birth_event_date,
            arg_max(
                case when event_type = 'move_in' then commune_code end,
                case when event_type = 'move_in' then event_date end
            ) as last_move_in_commune_code,
            max(event_date) as last_event_date,
            min(person_pseudonym) as event_person_pseudonym_min,
            max(person_pseudonym) as event_person_pseudonym_max
        from events
        group by record_id
    ),

    last_corrections as (
        select
            record_id,
            arg_max(corrected_field, event_date) as corrected_field,
            arg_max(new_value_key, event_date) as corrected_value_key
        from events
        where event_type = 'correction' and corrected_field is not null
        group by record_id
    ),

    -- the household as its living rows describe it: its heads, and the head ID its members point to
    households as (
        select
            household_id,
            count(case when relation_to_head = 'head' then 1 end) as living_heads,
            min(case when relation_to_head = 'head' then record_id end) as first_head_record_id,
            min(head_pseudonym) as declared_head_pseudonym
        from residents
        where is_living and household_id is not null
        group by household_id
    ),

    household_heads as (
        select
            r.household_id,
            r.person_pseudonym as head_person_pseudonym,
            r.birth_date as head_birth_date,
            r.sex as head_sex,
            r.commune_code as head_commune_code,
            r.hamlet_name as head_hamlet_name,
            r.birth_date between cast('1900-01-01' as date) and least(
                {{ as_of }}, coalesce(r.updated_on, {{ as_of }})
            ) as head_has_plausible_birth_date
        from residents as r
        inner join households as h on h.first_head_record_id = r.record_id
        where r.is_living
        qualify row_number() over (partition by r.household_id order by r._source_file, r._source_row) = 1
    ),

    -- records that are one person, or one key: the first row (smallest record id, then delivery order) is the
    -- reference, the others fail. Ranked over the keys and each row's identity (_source_file and _source_row,
    -- one delivered row) only, then joined back: a window over the whole row carries all its columns through
    -- its sort
    occurrences as (
        select
            _source_file,
            _source_row,
            row_number() over (
                partition by record_id order by _source_file, _source_row
            ) as record_id_occurrence,
            case
                when
                    person_pseudonym is not null
                    and name_loose_pseudonym is not null
                    and birth_date is not null
                then
                    row_number() over (
                        partition by person_pseudonym, name_loose_pseudonym, birth_date, sex
                        order by record_id, _source_file, _source_row
                    )
            end as same_person_occurrence,
            case
                when household_id is not null and name_loose_pseudonym is not null and birth_date is not null
                then
                    row_number() over (
                        partition by household_id, name_loose_pseudonym, birth_date, sex
                        order by record_id, _source_file, _source_row
                    )
            end as same_household_person_occurrence,
            first_value(name_loose_pseudonym) over (
                partition by person_pseudonym order by record_id, _source_file, _source_row
            ) as id_owner_name_loose_pseudonym,
            first_value(birth_date) over (
                partition by person_pseudonym order by record_id, _source_file, _source_row
            ) as id_owner_birth_date,
            first_value(record_id) over (
                partition by person_pseudonym order by record_id, _source_file, _source_row
            ) as id_owner_record_id
        -- the keys picked out first: the windows above a scan of the whole `residents` would carry all its
        -- columns
        from
            (
                select
                    record_id,
                    person_pseudonym,
                    name_loose_pseudonym,
                    birth_date,
                    sex,
                    household_id,
                    _source_file,
                    _source_row
                from residents
            ) as keys
    ),

    prepared as (
        select
            coalesce(
                r.record_id, 'row:' || r._source_file || ':' || cast(r._source_row as varchar)
            ) as record_key,
            r.*,
            {{ as_of }} as as_of,
            c.commune_code is not null as is_commune_known,
            coalesce(c.district_code, r.file_district_code) as district_code,
            cast(null as varchar) as agency_code,
            cast(null as varchar) as operator,
            c.commune_name as official_commune_name,
            c.district_name as official_district_name,
            c.district_code as official_district_code,
            p.province_name as official_province_name,
            rc.name_key = cc.name_key as is_commune_name_same_unit,
            rd.name_key = cd.name_key as is_district_name_same_unit,
            rp.name_key = cp.name_key as is_province_name_same_unit,
            r.citizen_id_prefix in (select province_code from province_codes) as is_citizen_id_prefix_known,
            -- the whole structure of the ID (the rules below judge each part): null when the ID, the date of
            -- birth or the sex is missing
            case
                when r.is_citizen_id_missing or r.birth_date is null or r.sex is null
                then null
                else
                    coalesce(
                        r.is_citizen_id_12_digits
                        and r.citizen_id_prefix in (select province_code from province_codes)
                        and r.citizen_id_sex_century_digit = cast(
                            2 * (divide(r.birth_year, 100) - 19)
                            + case when r.sex = 'F' then 1 else 0 end as varchar
                        )
                        and r.citizen_id_birth_year_digits
                        = lpad(cast(r.birth_year % 100 as varchar), 2, '0'),
                        false
                    )
            end as is_citizen_id_well_formed,
            r.religion in (select religion from religions) as is_religion_known,
            r.birth_date between cast('1900-01-01' as date) and least(
                {{ as_of }}, coalesce(r.updated_on, {{ as_of }})
            ) as has_plausible_birth_date,
            date_sub('year', r.birth_date, {{ as_of }}) as age_on_as_of,

            o.record_id_occurrence,
            o.same_person_occurrence,
            o.same_household_person_occurrence,
            o.id_owner_name_loose_pseudonym,
            o.id_owner_birth_date,
            o.id_owner_record_id,

            h.living_heads,
            h.first_head_record_id,
            h.declared_head_pseudonym,
            hh.head_person_pseudonym,
            hh.head_birth_date,
            hh.head_sex,
            hh.head_commune_code,
            hh.head_hamlet_name,
            coalesce(hh.head_has_plausible_birth_date, false) as head_has_plausible_birth_date,

            e.death_date,
            e.birth_event_date,
            e.last_move_in_commune_code,
            e.last_event_date,
            e.event_person_pseudonym_min,
            e.event_person_pseudonym_max,
            lc.corrected_field as last_corrected_field,
            lc.corrected_value_key as last_corrected_value_key,
            case
                lc.corrected_field
                when 'full_name'
                then r.name_key_pseudonym
                when 'birth_date'
                then strftime(r.birth_date, '%Y-%m-%d')
                when 'sex'
                then r.sex_delivered
                when 'ethnic_code'
                then r.ethnic_code_delivered
                when 'religion'
                then r.religion
            end as corrected_field_current_key
        from residents as r
        left join communes as c on c.commune_code = r.commune_code
        left join provinces as p on true
        left join unit_name_keys as rc on rc.name = r.commune_name
        left join unit_name_keys as cc on cc.name = c.commune_name
        left join unit_name_keys as rd on rd.name = r.district_name
        left join unit_name_keys as cd on cd.name = c.district_name
        left join unit_name_keys as rp on rp.name = r.province_name
        left join unit_name_keys as cp on cp.name = p.province_name
        left join households as h on h.household_id = r.household_id
        left join household_heads as hh on hh.household_id = r.household_id
        left join record_events as e on e.record_id = r.record_id
        left join last_corrections as lc on lc.record_id = r.record_id
        left join occurrences as o on o._source_file = r._source_file and o._source_row = r._source_row
    )

select prepared.* {{ quality_rule_columns() }}
from prepared
